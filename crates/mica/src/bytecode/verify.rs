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
        let Checked { form, target } = match check(instr, at, len, frame_size, num_consts) {
            Ok(checked) => checked,
            Err(what) => return Err(alloc::format!("instruction {at} ({instr:?}) {what}")),
        };
        if let Some(target) = target {
            targets[target] = true;
        }
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

/// What checking an instruction found: its accumulator form (as `Instr::acc_form` gives it)
/// and where it branches to.
struct Checked {
    form: u8,
    target: Option<usize>,
}

/// Checks one instruction's slots and targets, and works out its accumulator form on the way
/// (one dispatch on the instruction instead of one per question).
fn check(
    instr: &mut Instr,
    at: usize,
    len: usize,
    frame_size: usize,
    num_consts: usize,
) -> Result<Checked, &'static str> {
    let slot = |s: Slot| (s as usize) < frame_size;
    // An operand the accumulator may stand for (`bit` says which one it would be); the
    // instructions whose handlers cannot take it name their operands with `slot`, which
    // rejects `ACC`.
    let form = core::cell::Cell::new(0);
    let operand = |s: Slot, bit: u8| {
        if s == ACC {
            form.set(form.get() | bit);
            return true;
        }
        slot(s)
    };
    let run = |s: Slot, n: usize| s as usize + n <= frame_size;
    let target = core::cell::Cell::new(None);
    let to = |offset: i32| {
        let t = at as i64 + offset as i64;
        let inside = t >= 0 && (t as usize) < len;
        if inside {
            target.set(Some(t as usize));
        }
        inside
    };
    let ok = match *instr {
        Instr::Trap(_) | Instr::ElemDrop(_) | Instr::DataDrop(_) => true,
        Instr::Br(offset) => to(offset),
        Instr::BrIfNez { cond, offset } | Instr::BrIfEqz { cond, offset } => operand(cond, acc::X) && to(offset),
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
        Instr::Copy(u) | Instr::RefIsNull(u) | Instr::MemoryGrow(u) => slot(u.dst) && slot(u.src),
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
            Payload::Un(u) => operand(u.dst, acc::DST) && operand(u.src, acc::X),
            Payload::Bin(b) => operand(b.dst, acc::DST) && operand(b.a, acc::X) && operand(b.b, acc::Y),
            Payload::BinImm(b) => operand(b.dst, acc::DST) && operand(b.a, acc::X),
            Payload::Load(l) => operand(l.dst, acc::DST) && operand(l.addr, acc::X),
            Payload::Store(s) => operand(s.addr, acc::X) && operand(s.value, acc::Y),
            Payload::StoreImm(s) => operand(s.addr, acc::X),
            Payload::BrBin(b) => operand(b.a, acc::X) && operand(b.b, acc::Y) && to(b.offset),
            Payload::BrImm(b) => operand(b.a, acc::X) && to(b.offset),
            Payload::Other => false,
        },
    };
    if !ok {
        return Err("is out of range");
    }
    let form = form.get();
    if form & (acc::X | acc::Y) == acc::X | acc::Y {
        // One value is in the accumulator at a time.
        return Err("cannot take the accumulator");
    }
    debug_assert_eq!(Some(form), instr.acc_form());
    Ok(Checked { form, target: target.get() })
}
