//! The bytecode verifier: the facts the interpreter's unchecked accesses rely on, checked
//! for every translated function before it can run.
//!
//! The translator is built to produce only such code; this pass makes the interpreter's
//! safety independent of the translator's correctness. It checks that
//! - every slot an instruction names (and every run of slots it reads or writes) lies below
//!   the frame size,
//! - every branch target, and every `br_table` entry, lies inside the code,
//! - execution cannot run off the end: the last instruction ends its path,
//! - every constant-pool index is in range, and every index into a module index space
//!   (function, global, table, type, element and data segment, memory) names an entity the
//!   module has: the handlers' unchecked accesses to the instance's index spaces rely on
//!   this, not on `wasmparser` having validated the module,
//! - the accumulator (`ACC`) is named only where the instruction's handler takes it, and is
//!   read only right after it was written: the reader is not a branch target and follows a
//!   writer with nothing between but instructions that leave the accumulator alone and are
//!   not branch targets: constant and copy moves, and pure instructions (`Instr::is_pure`)
//!   that do not name the accumulator.
//!   (The accumulator is a plain machine value, so a mistake here could only compute a wrong
//!   result, never touch memory it should not; the check turns such a translator bug into a
//!   loud failure.)

use super::{ACC, Instr, Role, Slot, Space, Span, Visit, acc};
use alloc::vec::Vec;

/// How many entities each of the module's index spaces has, for checking the indices
/// instructions carry.
#[derive(Debug, Copy, Clone, Default)]
pub(crate) struct ModuleCounts {
    pub funcs: u32,
    pub globals: u32,
    pub tables: u32,
    pub types: u32,
    pub elems: u32,
    pub datas: u32,
    pub memories: u32,
    pub tags: u32,
}

impl ModuleCounts {
    fn has(&self, space: Space, index: u32) -> bool {
        let count = match space {
            Space::Func => self.funcs,
            Space::Global => self.globals,
            Space::Table => self.tables,
            Space::Type => self.types,
            Space::Elem => self.elems,
            Space::Data => self.datas,
            Space::Memory => self.memories,
            Space::Tag => self.tags,
        };
        index < count
    }
}

/// Verification's working storage, kept from one function to the next. After a successful
/// [`verify`], `forms` holds each instruction's accumulator form.
#[derive(Default)]
pub(crate) struct VerifyBuffers {
    targets: Vec<bool>,
    pub forms: Vec<u8>,
}

impl VerifyBuffers {
    /// Empties the buffers and gives back capacity beyond `keep` instructions.
    pub(crate) fn trim(&mut self, keep: usize) {
        self.targets.clear();
        self.targets.shrink_to(keep);
        self.forms.clear();
        self.forms.shrink_to(keep);
    }
}

/// Checks `code` against a frame of `frame_size` cells, a pool of `num_consts` constants
/// and the module's index spaces, and leaves each instruction's accumulator form (`Instr::acc_form`), which choosing its
/// handler needs too, in `buffers.forms`.
///
/// `also` lists (in order) the instructions that write their result to the accumulator as
/// well as to their slot (`acc::ALSO`). `catches` are the function's catch clauses: their
/// tags must exist and their landing pads are entered from outside the code (by the
/// unwinder), so they count as branch targets.
pub(crate) fn verify(
    code: &mut [Instr],
    frame_size: usize,
    num_consts: usize,
    module: &ModuleCounts,
    also: &[usize],
    catches: &[super::Catch],
    buffers: &mut VerifyBuffers,
) -> Result<(), alloc::string::String> {
    let len = code.len();
    let Some(last) = code.last() else {
        return Err("empty function code".into());
    };
    if !last.ends_path() {
        return Err(alloc::format!("code can run past its end ({})", shown(last)));
    }
    let VerifyBuffers { targets, forms } = buffers;
    targets.clear();
    targets.resize(len, false);
    forms.clear();
    forms.reserve(len);
    let mut reads_acc = false;
    for (at, instr) in code.iter_mut().enumerate() {
        let Checked { form, target } = match check(instr, at, len, frame_size, num_consts, module) {
            Ok(checked) => checked,
            Err(what) => return Err(alloc::format!("instruction {at} ({}) {what}", shown(instr))),
        };
        if let Some(target) = target {
            targets[target] = true;
        }
        reads_acc |= form & (acc::X | acc::Y) != 0;
        forms.push(form);
    }
    for (i, catch) in catches.iter().enumerate() {
        if catch.start > catch.end || catch.end as usize > len {
            return Err(alloc::format!("catch clause {i} covers instructions outside the code"));
        }
        if let super::CatchKind::Land { tag, pad, slot, .. } = catch.kind {
            if pad as usize >= len {
                return Err(alloc::format!("catch clause {i}'s landing pad is outside the code"));
            }
            if tag.is_some_and(|t| !module.has(Space::Tag, t)) || slot as usize > frame_size {
                return Err(alloc::format!("catch clause {i} names a tag or slot that does not exist"));
            }
            targets[pad as usize] = true;
        }
    }
    // A `br_table` handler jumps straight to its entry's target, so every entry must be a
    // `Br` (`check` saw that they exist).
    for (at, instr) in code.iter().enumerate() {
        if let Instr::BrTable(table) = *instr
            && !code[at + 1..=at + table.len as usize].iter().all(|e| matches!(e, Instr::Br(_)))
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
                    "instruction {at} ({}) reads the accumulator without a write just before",
                    shown(&code[at])
                ));
            }
        }
    }
    Ok(())
}

/// An instruction as the verifier's messages show it: with its operands, except in the size
/// build (no `fast`), where `Debug` for every instruction would be 15 KB of code for messages
/// that only a translator bug can produce.
fn shown(instr: &Instr) -> alloc::string::String {
    if cfg!(feature = "fast") { alloc::format!("{instr:?}") } else { instr.name().into() }
}

/// Whether the accumulator read at `at` was written just before (see the module docs).
fn acc_written_before(code: &[Instr], forms: &[u8], targets: &[bool], at: usize) -> bool {
    let mut i = at;
    while !targets[i] && i > 0 {
        i -= 1;
        let leaves_acc_alone = code[i].is_move() || forms[i] == 0 && code[i].is_pure();
        if !leaves_acc_alone {
            return forms[i] & (acc::DST | acc::ALSO) != 0;
        }
    }
    false
}

/// What checking an instruction found: its accumulator form (as `Instr::acc_form` gives it)
/// and where it branches to.
struct Checked {
    form: u8,
    target: Option<usize>,
}

/// Checks one instruction's operands, and works out its accumulator form on the way (one
/// visit of the instruction instead of one per question).
fn check(
    instr: &mut Instr,
    at: usize,
    len: usize,
    frame_size: usize,
    num_consts: usize,
    module: &ModuleCounts,
) -> Result<Checked, &'static str> {
    let mut check = Check {
        frame_size,
        at,
        len,
        num_consts,
        module,
        takes_acc: instr.takes_acc(),
        form: 0,
        target: None,
        ok: true,
    };
    instr.visit(&mut check);
    if !check.ok {
        return Err("is out of range");
    }
    let form = check.form;
    if form & (acc::X | acc::Y) == acc::X | acc::Y {
        // One value is in the accumulator at a time.
        return Err("cannot take the accumulator");
    }
    debug_assert_eq!(Some(form), instr.acc_form());
    Ok(Checked { form, target: check.target })
}

/// The checks of one instruction's operands, by role.
struct Check<'m> {
    frame_size: usize,
    at: usize,
    len: usize,
    num_consts: usize,
    module: &'m ModuleCounts,
    /// Whether the instruction's handlers take operands from the accumulator.
    takes_acc: bool,
    form: u8,
    target: Option<usize>,
    ok: bool,
}

impl Check<'_> {
    fn run_fits(&self, start: Slot, n: usize) -> bool {
        start as usize + n <= self.frame_size
    }
}

impl Visit<'_> for Check<'_> {
    #[inline(always)]
    fn slot(&mut self, slot: &mut Slot, role: Role) {
        if *slot == ACC && self.takes_acc {
            // An operand the accumulator may stand for, by role; elsewhere `ACC` is not
            // below the frame size and fails the slot check.
            match role {
                Role::Dst => return self.form |= acc::DST,
                Role::X => return self.form |= acc::X,
                Role::Y => return self.form |= acc::Y,
                Role::Read | Role::Write | Role::VDst | Role::VRead => {}
            }
        }
        self.ok &= *slot as usize + role.width() <= self.frame_size;
    }

    #[inline(always)]
    fn run(&mut self, start: &mut Slot, len: usize) {
        self.ok &= self.run_fits(*start, len);
    }

    #[inline(always)]
    fn results(&mut self, span: &mut Span) {
        self.ok &= self.run_fits(span.start, span.len as usize) && self.run_fits(0, span.len as usize);
    }

    #[inline(always)]
    fn target(&mut self, offset: &mut i32) {
        let t = self.at as i64 + *offset as i64;
        if t >= 0 && (t as usize) < self.len {
            self.target = Some(t as usize);
        } else {
            self.ok = false;
        }
    }

    /// The `br_table` entries follow it: ordinary `Br`s, checked on their own (and to be
    /// `Br`s, by `verify`); they must all exist.
    #[inline(always)]
    fn entries(&mut self, entries: u32) {
        self.ok &= entries > 0 && self.at + 1 + entries as usize <= self.len;
    }

    #[inline(always)]
    fn constant(&mut self, index: u32) {
        self.ok &= (index as usize) < self.num_consts;
    }

    #[inline(always)]
    fn index(&mut self, space: Space, index: u32) {
        self.ok &= self.module.has(space, index);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{GlobalGet, Load, MemoryCopy, MemoryFill, Span, TableGet, Un};
    use super::*;
    use crate::error::TrapCode;

    fn check(code: &mut [Instr], counts: ModuleCounts) -> Result<(), alloc::string::String> {
        verify(code, 8, 0, &counts, &[], &[], &mut VerifyBuffers::default())
    }

    fn ret() -> Instr {
        Instr::Return(Span { start: 0, len: 1 })
    }

    /// Every module index an instruction names is checked against the module, so no handler
    /// depends on the module having been validated by someone else.
    #[test]
    fn indices_are_checked_against_the_module() {
        let counts = ModuleCounts { globals: 2, tables: 1, memories: 1, ..ModuleCounts::default() };
        let global = |global| Instr::GlobalGet(GlobalGet { dst: 0, global });
        assert!(check(&mut [global(1), ret()], counts).is_ok());
        assert!(check(&mut [global(2), ret()], counts).is_err());
        let table = |table| Instr::TableGet(TableGet { dst: 0, index: 1, table });
        assert!(check(&mut [table(0), ret()], counts).is_ok());
        assert!(check(&mut [table(1), ret()], counts).is_err());
        let load = |memory| Instr::I32Load(Load { dst: 0, addr: 1, offset: 0, memory });
        assert!(check(&mut [load(0), ret()], counts).is_ok());
        let no_memory = ModuleCounts { memories: 0, ..counts };
        assert!(check(&mut [load(0), ret()], no_memory).is_err(), "a load needs memory 0");
        assert!(check(&mut [load(1), ret()], counts).is_err(), "a load of memory 1 needs two memories");
        let two = ModuleCounts { memories: 2, ..counts };
        assert!(check(&mut [load(1), ret()], two).is_ok());
        let fill = Instr::MemoryFill(MemoryFill { args: 0, memory: 1 });
        assert!(check(&mut [fill, ret()], counts).is_err(), "memory 1 does not exist");
        let copy = |dst_memory, src_memory| Instr::MemoryCopy(MemoryCopy { args: 0, dst_memory, src_memory });
        assert!(check(&mut [copy(1, 0), ret()], two).is_ok());
        assert!(check(&mut [copy(0, 2), ret()], two).is_err(), "memory 2 does not exist");
        let call = Instr::Call(crate::bytecode::Call { func: 0, args: 0 });
        assert!(check(&mut [call, ret()], counts).is_err(), "the module has no functions");
    }

    #[test]
    fn slots_and_the_accumulator_are_checked_by_role() {
        let counts = ModuleCounts::default();
        let neg = |dst, src| Instr::I32Eqz(Un { dst, src });
        assert!(check(&mut [neg(7, 0), ret()], counts).is_ok());
        assert!(check(&mut [neg(8, 0), ret()], counts).is_err(), "slot 8 is past the frame");
        // A copy cannot take the accumulator; an `acc` instruction can, right after a writer.
        let copy = Instr::Copy(Un { dst: 0, src: ACC });
        assert!(check(&mut [neg(ACC, 1), copy, ret()], counts).is_err());
        assert!(check(&mut [neg(ACC, 1), neg(0, ACC), ret()], counts).is_ok());
        assert!(check(&mut [neg(0, ACC), ret()], counts).is_err(), "no writer before the read");
        // Between the writer and the reader: a pure instruction that leaves the accumulator
        // alone, but not one that may trap, nor one that reads or writes it.
        assert!(check(&mut [neg(ACC, 1), neg(2, 3), neg(0, ACC), ret()], counts).is_ok());
        let div = Instr::I32DivU(crate::bytecode::Bin { dst: 2, a: 3, b: 4 });
        assert!(check(&mut [neg(ACC, 1), div, neg(0, ACC), ret()], counts).is_err());
        assert!(check(&mut [neg(ACC, 1), neg(ACC, 3), neg(0, ACC), ret()], counts).is_ok());
        assert!(check(&mut [neg(ACC, 1), neg(2, ACC), neg(0, ACC), ret()], counts).is_err());
        assert!(check(&mut [Instr::Trap(TrapCode::Unreachable)], counts).is_ok());
        assert!(check(&mut [neg(0, 1)], counts).is_err(), "code runs past its end");
    }
}
