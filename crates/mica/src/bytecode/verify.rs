//! The bytecode verifier: the facts the interpreter's unchecked accesses rely on, checked
//! for every translated function before it can run.
//!
//! The translator is built to produce only such code; this pass makes the interpreter's
//! safety independent of the translator's correctness. It checks that
//! - every slot an instruction names (and every run of slots it reads or writes) lies below
//!   the frame size,
//! - every branch target, and every `br_table` entry, lies inside the code,
//! - execution cannot run off the end: the last instruction ends its path,
//! - every constant-pool index is in range,
//! - the accumulator (`ACC`) is named only where the instruction's handler takes it, and is
//!   read only right after it was written: the reader is not a branch target and follows a
//!   writer with nothing between but constant and copy moves that are not branch targets.
//!   (The accumulator is a plain machine value, so a mistake here could only compute a wrong
//!   result, never touch memory it should not; the check turns such a translator bug into a
//!   loud failure.)

use super::{ACC, Instr, Payload, Slot, acc};
use alloc::vec::Vec;

/// Verification's working storage, kept from one function to the next. After a successful
/// [`verify`], `forms` holds each instruction's accumulator form.
#[derive(Default)]
pub(crate) struct VerifyBuffers {
    targets: Vec<bool>,
    pub forms: Vec<u8>,
}

/// Checks `code` against a frame of `frame_size` cells and a pool of `num_consts` constants,
/// and leaves each instruction's accumulator form (`Instr::acc_form`), which choosing its
/// handler needs too, in `buffers.forms`.
///
/// `also` lists (in order) the instructions that write their result to the accumulator as
/// well as to their slot (`acc::ALSO`).
pub(crate) fn verify(
    code: &mut [Instr],
    frame_size: usize,
    num_consts: usize,
    also: &[usize],
    buffers: &mut VerifyBuffers,
) -> Result<(), alloc::string::String> {
    let len = code.len();
    let Some(last) = code.last() else {
        return Err("empty function code".into());
    };
    if !ends_path(last) {
        return Err(alloc::format!("code can run past its end ({last:?})"));
    }
    let VerifyBuffers { targets, forms } = buffers;
    targets.clear();
    targets.resize(len, false);
    forms.clear();
    forms.reserve(len);
    let mut reads_acc = false;
    for (at, instr) in code.iter_mut().enumerate() {
        let mut names_acc = false;
        if !check(instr, at, len, frame_size, num_consts, &mut names_acc) {
            return Err(alloc::format!("instruction {at} ({instr:?}) is out of range"));
        }
        if let Some(offset) = instr.branch_offset_mut() {
            targets[(at as i64 + *offset as i64) as usize] = true;
        }
        // Only an instruction that names `ACC` can have a form other than 0.
        let form = if names_acc { instr.acc_form() } else { Some(0) };
        let Some(form) = form else {
            return Err(alloc::format!("instruction {at} ({instr:?}) cannot take the accumulator"));
        };
        reads_acc |= form & (acc::X | acc::Y) != 0;
        forms.push(form);
    }
    // A `br_table` handler jumps straight to its entry's target, so every entry must be a
    // `Br` (`check` saw that they exist).
    for (at, instr) in code.iter().enumerate() {
        if let Instr::BrTable { len: entries, .. } = *instr
            && !code[at + 1..=at + entries as usize].iter().all(|e| matches!(e, Instr::Br(_)))
        {
            return Err(alloc::format!("instruction {at}: a br_table entry is not a br"));
        }
    }
    for &at in also {
        match code.get(at) {
            Some(instr) if instr.can_write_acc() && forms[at] & acc::DST == 0 => forms[at] |= acc::ALSO,
            _ => return Err(alloc::format!("instruction {at} cannot write the accumulator too")),
        }
    }
    if reads_acc {
        for (at, form) in forms.iter().enumerate() {
            if form & (acc::X | acc::Y) != 0 && !acc_written_before(code, forms, targets, at) {
                return Err(alloc::format!(
                    "instruction {at} ({:?}) reads the accumulator without a write just before",
                    code[at]
                ));
            }
        }
    }
    Ok(())
}

/// Whether the accumulator read at `at` was written just before (see the module docs).
fn acc_written_before(code: &[Instr], forms: &[u8], targets: &[bool], at: usize) -> bool {
    let mut i = at;
    while !targets[i] && i > 0 {
        i -= 1;
        match code[i] {
            Instr::Const32 { .. } | Instr::Const64 { .. } | Instr::Copy(_) => continue,
            _ => return forms[i] & (acc::DST | acc::ALSO) != 0,
        }
    }
    false
}

/// Whether execution never falls through past `instr`.
fn ends_path(instr: &Instr) -> bool {
    matches!(
        instr,
        Instr::Trap(_)
            | Instr::Br(_)
            | Instr::Return(_)
            | Instr::ReturnCall { .. }
            | Instr::ReturnCallIndirect { .. }
    )
}

/// Checks one instruction's slots and targets; `names_acc` is set if it names `ACC`.
fn check(
    instr: &mut Instr,
    at: usize,
    len: usize,
    frame_size: usize,
    num_consts: usize,
    names_acc: &mut bool,
) -> bool {
    let slot = |s: Slot| (s as usize) < frame_size;
    // Where the accumulator may stand in for a slot (`acc_form` says which instructions).
    let acc_seen = core::cell::Cell::new(false);
    let operand = |s: Slot| {
        acc_seen.set(acc_seen.get() | (s == ACC));
        s == ACC || slot(s)
    };
    let run = |s: Slot, n: usize| s as usize + n <= frame_size;
    let target = |offset: i32| {
        let t = at as i64 + offset as i64;
        t >= 0 && (t as usize) < len
    };
    let ok = match *instr {
        Instr::Trap(_) | Instr::ElemDrop(_) | Instr::DataDrop(_) => true,
        Instr::Br(offset) => target(offset),
        Instr::BrIfNez { cond, offset } | Instr::BrIfEqz { cond, offset } => operand(cond) && target(offset),
        // The entries are ordinary `Br`s, checked on their own (and to be `Br`s, by
        // `verify`); they must all exist.
        Instr::BrTable { index, len: entries } => {
            slot(index) && entries > 0 && at + 1 + entries as usize <= len
        }
        Instr::Return(span) => run(span.start, span.len as usize) && run(0, span.len as usize),
        Instr::Call { args, .. } | Instr::ReturnCall { args, .. } => run(args, 0),
        Instr::CallIndirect { index, args, .. } | Instr::ReturnCallIndirect { index, args, .. } => {
            slot(index) && run(args, 0)
        }
        Instr::Const32 { dst, .. } => slot(dst),
        Instr::Const64 { dst, index } => slot(dst) && (index as usize) < num_consts,
        Instr::Select { dst, cond, a, b } => slot(dst) && slot(cond) && slot(a) && slot(b),
        Instr::GlobalGet { dst, .. } | Instr::RefFunc { dst, .. } => slot(dst),
        Instr::GlobalSet { src, .. } => slot(src),
        Instr::TableGet { dst, index, .. } => slot(dst) && slot(index),
        Instr::TableSet { index, value, .. } => slot(index) && slot(value),
        Instr::TableSize { dst, .. } | Instr::MemorySize { dst } => slot(dst),
        Instr::TableGrow { dst, args, .. } => slot(dst) && run(args, 2),
        Instr::TableFill { args, .. }
        | Instr::TableCopy { args, .. }
        | Instr::TableInit { args, .. }
        | Instr::MemoryFill { args }
        | Instr::MemoryCopy { args }
        | Instr::MemoryInit { args, .. } => run(args, 3),
        _ => match instr.payload_mut() {
            Payload::Un(u) => operand(u.dst) && operand(u.src),
            Payload::Bin(b) => operand(b.dst) && operand(b.a) && operand(b.b),
            Payload::BinImm(b) => operand(b.dst) && operand(b.a),
            Payload::Load(l) => operand(l.dst) && operand(l.addr),
            Payload::Store(s) => operand(s.addr) && operand(s.value),
            Payload::StoreImm(s) => operand(s.addr),
            Payload::BrBin(b) => operand(b.a) && operand(b.b) && target(b.offset),
            Payload::BrImm(b) => operand(b.a) && target(b.offset),
            Payload::Other => false,
        },
    };
    *names_acc = acc_seen.get();
    ok
}

