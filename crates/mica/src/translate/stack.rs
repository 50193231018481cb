//! The translator's model of the operand stack.
//!
//! Every operand-stack position owns frame slots (its *home*): the first position's home is
//! right above the locals, and each next one follows its predecessor, which takes one slot,
//! or two for a `v128` (a *wide* operand: its home slot and the one after). An
//! operand may not be in its home slot yet: a `local.get` or a constant is kept symbolic until
//! something needs it in a slot, which saves the copy in the common case where an instruction
//! can read the local (or take the constant as an immediate) directly.
//!
//! Invariant: an operand below the innermost control frame's height is always `InSlot`. Block
//! entries materialise the whole stack, so a symbolic operand never crosses a label and every
//! path into a label agrees on where each value lives.

use crate::bytecode::{Const32, Const64, Instr, MAX_SLOTS, Slot, Un, VUn};
use crate::types::ValType;
use crate::cell::Cell;
use crate::error::{Error, Result};

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// Where an operand's value is.
#[derive(Debug, Copy, Clone, PartialEq)]
pub(super) enum Operand {
    /// In its home slot.
    InSlot,
    /// Still in the local whose (first) slot is this, below the operand area.
    Local(Slot),
    /// A scalar constant not yet written anywhere (a `v128` constant is always written).
    Const(Cell),
}

/// A move of a value of one slot, or of two for a wide one.
pub(super) fn copy(dst: Slot, src: Slot, wide: bool) -> Instr {
    if wide { Instr::Copy128(VUn { dst, src }) } else { Instr::Copy(Un { dst, src }) }
}

/// Whether values of the type take two slots.
pub(super) fn is_wide(ty: ValType) -> bool {
    ty == ValType::V128
}

/// An operand that names a local, linked to the next one down that names the same local, so
/// that the operands naming a local are found without scanning the stack.
#[derive(Copy, Clone, Default)]
struct LocalRef {
    /// Whether this position is on its local's list.
    linked: bool,
    /// The local it named when pushed.
    local: Slot,
    /// The next position down on the same list, plus one (0: none).
    prev: u32,
}

/// One operand-stack position: where its value is, its home, its width, and its place on its
/// local's list. One vector of these, so that a push is one capacity check and one write.
#[derive(Copy, Clone)]
struct Entry {
    operand: Operand,
    /// Whether its value may be a reference the collector follows (its type is of the `any`
    /// or `extern` hierarchy): set after the operator that pushed it (`set_gc_types`), for
    /// functions with stack maps only.
    gc: bool,
    link: LocalRef,
    /// The home slot.
    home: Slot,
    /// Whether the value is wide (a `v128`, two slots).
    wide: bool,
}

/// The operand stack's storage, kept from one function to the next (`Scratch`).
#[derive(Default)]
pub(super) struct StackBuffers {
    entries: Vec<Entry>,
    /// For each local, the highest position on its list, plus one (0: none). Grown on demand
    /// and left all zeros by every function (its stack is emptied at the end), so its size is
    /// paid for once per module, not once per function.
    local_top: Vec<u32>,
}

impl StackBuffers {
    /// Empties the stack and its lists (all of `local_top`: its entries are zeros again) and
    /// gives back capacity beyond what is kept between modules (`super::empty`).
    pub(super) fn trim(&mut self) {
        super::empty(&mut self.entries);
        super::empty(&mut self.local_top);
    }
}

/// The operand stack. Every operation costs time independent of the stack's height (or, for
/// those that touch many operands, proportional to the operands they change), so translation
/// is linear in the body's size whatever the height (see ARCHITECTURE.md):
///
/// - operands below `symbolic_from` are all in their home slots, so materialising "from the
///   bottom" (at every block, loop and if) only visits the operands pushed since;
/// - the operands that name each local are on a list of their own (`LocalRef`), so a
///   `local.set` materialises exactly those.
pub(super) struct OperandStack {
    entries: Vec<Entry>,
    local_top: Vec<u32>,
    /// The positions a `materialize_local` found, reused.
    walk: Vec<usize>,
    /// Every operand below this position is `InSlot`.
    symbolic_from: usize,
    /// The lowest the stack has been since the last `set_gc_types`: positions from here up
    /// are new since then.
    low: usize,
    /// The positions whose `gc` flag is set, in increasing order.
    gc_positions: Vec<u32>,
    /// Operand positions visited by the operations that visit several (tests check it is
    /// linear in the body's size).
    #[cfg(test)]
    pub(super) work: usize,
    num_locals: usize,
    /// The highest home slot used plus one: the frame size so far.
    max_slots: usize,
}

impl OperandStack {
    /// An empty stack over locals that take `num_locals` slots, using `buffers`' storage.
    pub(super) fn new(num_locals: usize, buffers: StackBuffers) -> OperandStack {
        let StackBuffers { mut entries, mut local_top } = buffers;
        if !entries.is_empty() {
            // A translation that stopped half-way (an error) left lists behind.
            local_top.fill(0);
        }
        entries.clear();
        OperandStack {
            entries,
            local_top,
            walk: Vec::new(),
            symbolic_from: 0,
            low: 0,
            gc_positions: Vec::new(),
            #[cfg(test)]
            work: 0,
            num_locals,
            max_slots: num_locals,
        }
    }

    /// The storage, for the next function.
    pub(super) fn into_buffers(mut self) -> StackBuffers {
        self.truncate(0);
        StackBuffers {
            entries: self.entries,
            local_top: self.local_top,
        }
    }

    #[inline]
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(super) fn max_slots(&self) -> usize {
        self.max_slots
    }

    /// The home slot of stack position `pos`, at most the stack's length (the length: the
    /// home the next pushed operand gets).
    #[inline]
    pub(super) fn home(&self, pos: usize) -> Slot {
        // `reserve` checked these slots fit when the positions were pushed.
        match self.entries.get(pos) {
            Some(entry) => entry.home,
            None => self.next_home(),
        }
    }

    /// The home the next pushed operand gets.
    #[inline]
    fn next_home(&self) -> Slot {
        match self.entries.last() {
            Some(top) => top.home + 1 + Slot::from(top.wide),
            None => self.num_locals as Slot,
        }
    }

    /// Whether the operand at `pos` is wide (a `v128` in two slots).
    #[inline]
    pub(super) fn is_wide(&self, pos: usize) -> bool {
        self.entries[pos].wide
    }

    /// Makes sure the next operand, of `slots` slots, has a home that fits the slot
    /// encoding; returns that home.
    #[inline(always)]
    pub(super) fn reserve(&mut self, slots: usize) -> Result<Slot> {
        let home = self.next_home();
        let end = home as usize + slots;
        if end > MAX_SLOTS {
            return Err(frame_too_large());
        }
        self.max_slots = self.max_slots.max(end);
        Ok(home)
    }

    /// Pushes a one-slot operand.
    #[inline]
    pub(super) fn push(&mut self, operand: Operand) -> Result<()> {
        self.push_value(operand, false)
    }

    /// Pushes an operand, wide (two slots) or not.
    #[inline]
    pub(super) fn push_value(&mut self, operand: Operand, wide: bool) -> Result<()> {
        let pos = self.entries.len();
        let home = self.reserve(1 + usize::from(wide))?;
        let mut link = LocalRef::default();
        if let Operand::Local(local) = operand {
            let l = local as usize;
            if l >= self.local_top.len() {
                grow_local_tops(&mut self.local_top, l);
            }
            link = LocalRef { linked: true, local, prev: self.local_top[l] };
            self.local_top[l] = pos as u32 + 1;
        }
        self.entries.push(Entry { operand, gc: false, link, home, wide });
        Ok(())
    }

    #[inline]
    pub(super) fn get(&self, pos: usize) -> Operand {
        self.entries[pos].operand
    }

    pub(super) fn pop(&mut self) -> Operand {
        let Some(entry) = self.entries.pop() else {
            return Operand::InSlot;
        };
        let pos = self.entries.len();
        self.unlink(entry.link, pos);
        self.symbolic_from = self.symbolic_from.min(pos);
        self.low = self.low.min(pos);
        entry.operand
    }

    pub(super) fn truncate(&mut self, len: usize) {
        for pos in (len..self.entries.len()).rev() {
            self.unlink(self.entries[pos].link, pos);
            #[cfg(test)]
            {
                self.work += 1;
            }
        }
        self.entries.truncate(len);
        self.symbolic_from = self.symbolic_from.min(self.entries.len());
        self.low = self.low.min(self.entries.len());
    }

    /// The lowest position changed since the last `set_gc_types`.
    pub(super) fn low(&self) -> usize {
        self.low.min(self.entries.len())
    }

    /// Flags the positions pushed since the last call by whether `is_gc` says their value may
    /// be a reference the collector follows (`is_gc(pos)`), and forgets the flags of
    /// positions popped since. Linear in the positions pushed and popped.
    pub(super) fn set_gc_types(&mut self, is_gc: impl Fn(usize) -> bool) {
        let low = self.low.min(self.entries.len());
        while self.gc_positions.last().is_some_and(|&p| p as usize >= low) {
            self.gc_positions.pop();
        }
        for pos in low..self.entries.len() {
            let gc = is_gc(pos);
            self.entries[pos].gc = gc;
            if gc {
                self.gc_positions.push(pos as u32);
            }
        }
        self.low = self.entries.len();
    }

    /// The home slots of the operands below `len` that may hold a reference the collector
    /// follows and are in their home slots (an operand naming a local is in the local, which
    /// the collector scans anyway; a constant is null). Time proportional to what it yields.
    pub(super) fn gc_homes(&self, len: usize) -> impl Iterator<Item = Slot> + '_ {
        self.gc_positions
            .iter()
            .map(|&p| p as usize)
            .take_while(move |&p| p < len)
            .filter(|&p| self.entries[p].operand == Operand::InSlot)
            .map(|p| self.entries[p].home)
    }

    /// Takes the position being popped (the top, with `link`) off its local's list; it is the
    /// list's head, since every position above it has been popped first.
    #[inline]
    fn unlink(&mut self, link: LocalRef, pos: usize) {
        if link.linked {
            debug_assert_eq!(self.local_top[link.local as usize], pos as u32 + 1);
            self.local_top[link.local as usize] = link.prev;
        }
    }

    /// Puts the operand at `pos` into its home slot, emitting the move if needed.
    pub(super) fn materialize(&mut self, pos: usize, code: &mut Emitter) {
        let home = self.home(pos);
        match self.entries[pos].operand {
            Operand::InSlot => return,
            Operand::Local(local) => code.emit(copy(home, local, self.entries[pos].wide)),
            Operand::Const(value) => code.emit_const(home, value),
        }
        // A position that named a local stays on the local's list until it is popped or the
        // list is walked: both see it is no longer a `Local` and pass over it.
        self.entries[pos].operand = Operand::InSlot;
    }

    /// Writes the operand's value to its home slot without recording that it is there: for
    /// code on a path that not every later instruction is reached through. Returns the slot.
    pub(super) fn write_home(&self, pos: usize, code: &mut Emitter) -> Slot {
        let home = self.home(pos);
        match self.entries[pos].operand {
            Operand::InSlot => {}
            Operand::Local(local) => code.emit(copy(home, local, self.entries[pos].wide)),
            Operand::Const(value) => code.emit_const(home, value),
        }
        home
    }

    /// Materialises every operand from `from` to the top. Below `symbolic_from` there is
    /// nothing to do.
    pub(super) fn materialize_from(&mut self, from: usize, code: &mut Emitter) {
        for pos in from.max(self.symbolic_from)..self.entries.len() {
            self.materialize(pos, code);
            #[cfg(test)]
            {
                self.work += 1;
            }
        }
        if from <= self.symbolic_from {
            self.symbolic_from = self.entries.len();
        }
    }

    /// Materialises every operand that still refers to `local`: done before the local is
    /// written, so they keep the value they had when pushed. Walks the local's list (and
    /// empties it): each position is on it once per push.
    pub(super) fn materialize_local(&mut self, local: Slot, code: &mut Emitter) {
        let Some(top) = self.local_top.get_mut(local as usize) else {
            return;
        };
        let mut next = core::mem::take(top);
        // Materialised bottom-up, as the moves were emitted before the lists existed (the
        // order is visible in the code, not in its meaning).
        let mut positions = core::mem::take(&mut self.walk);
        positions.clear();
        while next != 0 {
            let pos = next as usize - 1;
            next = self.entries[pos].link.prev;
            self.entries[pos].link.linked = false;
            #[cfg(test)]
            {
                self.work += 1;
            }
            if self.entries[pos].operand == Operand::Local(local) {
                positions.push(pos);
            }
        }
        for &pos in positions.iter().rev() {
            self.materialize(pos, code);
        }
        self.walk = positions;
    }
    /// A slot holding the value of the operand at `pos`: the local itself for `Local`; for a
    /// constant, its constant slot inside loops (see `Emitter::const_slot`), else the home
    /// slot (written now).
    pub(super) fn read_slot(&mut self, pos: usize, code: &mut Emitter) -> Slot {
        match self.entries[pos].operand {
            Operand::Local(local) => local,
            Operand::Const(value) if let Some(slot) = code.const_slot(value) => slot,
            _ => {
                self.materialize(pos, code);
                self.home(pos)
            }
        }
    }
}

/// The error of an operand whose home would not fit the slot encoding (rare: kept out of
/// the push path).
#[cold]
#[inline(never)]
fn frame_too_large() -> Error {
    Error::unsupported("function frame larger than 65535 slots")
}

/// Makes room in the operand lists' heads for local `local` (once per module and local).
#[cold]
#[inline(never)]
fn grow_local_tops(local_top: &mut Vec<u32>, local: usize) {
    local_top.resize(local + 1, 0);
}

/// Where constant slots are numbered until the frame size is known (see
/// `Emitter::const_slot`); the operand stack must stay below.
pub(super) const CONST_SLOT_BASE: Slot = 0xF000;

/// At most this many constant slots per function; further constants are written where used.
const MAX_CONST_SLOTS: usize = 1024;

/// How many of the latest pooled 64-bit constants a new one may share an entry with.
const CONST_REUSE_WINDOW: usize = 16;

/// The code being emitted, with its constant pool.
pub(super) struct Emitter {
    pub code: Vec<Instr>,
    pub consts: Vec<Cell>,
    /// The values of the constant slots: frame slots that the function's prologue fills
    /// once per call, so that code in loops reads constants from a slot instead of writing
    /// them to one on every iteration. Numbered from `CONST_SLOT_BASE` until `finish`
    /// renumbers them above the operand slots.
    pub const_slots: Vec<Cell>,
    /// Which constant slot holds each value (`const_slot`).
    const_slot_index: BTreeMap<Cell, Slot>,
    /// How many loops the current position is inside.
    pub loop_depth: usize,
    /// The index of the last instruction, if it wrote the top operand's home slot and nothing
    /// else, and no label has been placed since: a following `local.set` may redirect it.
    pub last_result: Option<usize>,
    /// The index of the instruction before the last, if it wrote the home slot of the
    /// operand below the top and nothing else, and the last one wrote the top's (so both are
    /// `last_result` in turn with no label between): the pair `Translator::leaf_first` may
    /// swap.
    pub prev_result: Option<usize>,
    /// The index of the last instruction and the local it wrote, if it computed its result
    /// straight into that local (a redirected `local.set`/`local.tee`) and nothing has been
    /// emitted and no label placed since: a following read of the local may take the value
    /// from the accumulator, if that instruction writes it there too.
    pub last_local: Option<(usize, Slot)>,
    /// The instructions that write their result to the accumulator as well (`acc::ALSO`),
    /// in order.
    pub also_acc: Vec<usize>,
    /// The module offset of the operator being translated.
    pub offset: u32,
    /// For each instruction that may trap (calls included), its index and the module offset
    /// of the operator it came from, in order: where a trap or a caller's frame is in the
    /// module, for backtraces.
    pub traps: Vec<(u32, u32)>,
    /// The `try_table` catch clauses of the function, innermost first (`bytecode::Catch`).
    pub catches: Vec<crate::bytecode::Catch>,
}

impl Emitter {
    /// An emitter using the given buffers' storage; what they hold is cleared.
    pub(super) fn new(
        mut code: Vec<Instr>,
        mut consts: Vec<Cell>,
        mut const_slots: Vec<Cell>,
        mut also_acc: Vec<usize>,
    ) -> Emitter {
        code.clear();
        consts.clear();
        const_slots.clear();
        also_acc.clear();
        Emitter {
            code,
            consts,
            const_slots,
            const_slot_index: BTreeMap::new(),
            loop_depth: 0,
            last_result: None,
            prev_result: None,
            last_local: None,
            also_acc,
            offset: 0,
            traps: Vec::new(),
            catches: Vec::new(),
        }
    }

    /// The constant slot holding `value`, if constants get slots here: inside a loop, where
    /// the slot is written once per call rather than once per use.
    pub(super) fn const_slot(&mut self, value: Cell) -> Option<Slot> {
        if self.loop_depth == 0 {
            return None;
        }
        if let Some(&slot) = self.const_slot_index.get(&value) {
            return Some(slot);
        }
        if self.const_slots.len() >= MAX_CONST_SLOTS {
            return None;
        }
        let slot = CONST_SLOT_BASE + self.const_slots.len() as Slot;
        self.const_slots.push(value);
        self.const_slot_index.insert(value, slot);
        Some(slot)
    }

    /// A frame slot of its own below the operand slots (among the constant slots, set to 0
    /// by the prologue), for a value kept across calls: a legacy `catch`'s exception.
    pub(super) fn scratch_slot(&mut self) -> Option<Slot> {
        if self.const_slots.len() >= MAX_CONST_SLOTS {
            return None;
        }
        self.const_slots.push(0);
        Some(CONST_SLOT_BASE + (self.const_slots.len() - 1) as Slot)
    }

    pub(super) fn emit(&mut self, instr: Instr) {
        self.note_trap(&instr);
        self.code.push(instr);
        self.last_result = None;
        self.prev_result = None;
        self.last_local = None;
    }

    /// Emits an instruction whose only effect is writing the new top operand's home slot.
    pub(super) fn emit_result(&mut self, instr: Instr) {
        self.note_trap(&instr);
        self.code.push(instr);
        self.prev_result = self.last_result;
        self.last_result = Some(self.code.len() - 1);
        self.last_local = None;
    }

    #[inline(always)]
    fn note_trap(&mut self, instr: &Instr) {
        if instr.may_trap() {
            self.traps.push((self.code.len() as u32, self.offset));
        }
    }

    pub(super) fn emit_const(&mut self, dst: Slot, value: Cell) {
        if value <= u32::MAX as Cell {
            self.emit(Instr::Const32(Const32 { dst, value: value as u32 }));
        } else {
            // A value pooled among the last few is shared; others get an entry of their own.
            // (Searching the whole pool made a body of many distinct constants quadratic:
            // 160,000 `i64.const`s, 1.4 MB, took 4.4 s to translate.)
            let recent = self.consts.len().saturating_sub(CONST_REUSE_WINDOW);
            let index = match self.consts[recent..].iter().position(|c| *c == value) {
                Some(i) => recent + i,
                None => {
                    self.consts.push(value);
                    self.consts.len() - 1
                }
            };
            self.emit(Instr::Const64(Const64 { dst, index: index as u32 }));
        }
    }

    pub(super) fn len(&self) -> usize {
        self.code.len()
    }

    /// Makes sure the next instruction takes no value from the accumulator: neither the last
    /// result nor a local the last instruction wrote.
    pub(super) fn no_handover(&mut self) {
        self.last_result = None;
        self.prev_result = None;
        self.last_local = None;
    }

    /// Marks the current position as a branch target.
    pub(super) fn label(&mut self) {
        self.no_handover();
    }

    /// Points the branch at `at` to the current position.
    pub(super) fn patch_to_here(&mut self, at: usize) {
        let here = self.code.len();
        self.patch(at, here);
    }

    pub(super) fn patch(&mut self, at: usize, target: usize) {
        if let Some(offset) = self.code[at].branch_offset_mut() {
            *offset = target as i32 - at as i32;
        }
    }
}
