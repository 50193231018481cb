//! A readable listing of translated code, for debugging and for the few snapshot tests that
//! guard optimisations.

use super::Instr;
use alloc::format;
use alloc::string::String;
use core::fmt::Write;

/// One line per instruction: its index, then the instruction. Slot 65535 is the accumulator
/// (`ACC`).
pub(crate) fn disassemble(code: &[Instr]) -> String {
    let mut out = String::new();
    for (i, instr) in code.iter().enumerate() {
        let target = match instr.branch_offset() {
            Some(o) => format!("  -> {}", i as i64 + i64::from(o)),
            None => String::new(),
        };
        let traps = if instr.may_trap() { "  (may trap)" } else { "" };
        let _ = writeln!(out, "{i:4}: {instr:?}{target}{traps}");
    }
    out
}
