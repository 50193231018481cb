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

/// The operand stack's storage, kept from one function to the next (`Scratch`).
#[derive(Default)]
pub(super) struct StackBuffers {
    operands: Vec<Operand>,
    refs: Vec<LocalRef>,
    homes: Vec<Slot>,
    wide: Vec<bool>,
    /// For each local, the highest position on its list, plus one (0: none). Grown on demand
    /// and left all zeros by every function (its stack is emptied at the end), so its size is
    /// paid for once per module, not once per function.
    local_top: Vec<u32>,
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
    operands: Vec<Operand>,
    refs: Vec<LocalRef>,
    /// Each position's home slot.
    homes: Vec<Slot>,
    /// Whether each position holds a wide value (`v128`, two slots).
    wide: Vec<bool>,
    local_top: Vec<u32>,
    /// The positions a `materialize_local` found, reused.
    walk: Vec<usize>,
    /// Every operand below this position is `InSlot`.
    symbolic_from: usize,
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
        let StackBuffers { mut operands, mut refs, mut homes, mut wide, mut local_top } = buffers;
        if !operands.is_empty() {
            // A translation that stopped half-way (an error) left lists behind.
            local_top.fill(0);
        }
        operands.clear();
        refs.clear();
        homes.clear();
        wide.clear();
        OperandStack {
            operands,
            refs,
            homes,
            wide,
            local_top,
            walk: Vec::new(),
            symbolic_from: 0,
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
            operands: self.operands,
            refs: self.refs,
            homes: self.homes,
            wide: self.wide,
            local_top: self.local_top,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.operands.len()
    }

    pub(super) fn max_slots(&self) -> usize {
        self.max_slots
    }

    /// The home slot of stack position `pos`, at most the stack's length (the length: the
    /// home the next pushed operand gets).
    #[inline]
    pub(super) fn home(&self, pos: usize) -> Slot {
        // `reserve` checked these slots fit when the positions were pushed.
        match self.homes.get(pos) {
            Some(&home) => home,
            None => self.next_home(),
        }
    }

    /// The home the next pushed operand gets.
    #[inline]
    fn next_home(&self) -> Slot {
        match self.homes.last() {
            Some(&top) => top + 1 + Slot::from(*self.wide.last().unwrap_or(&false)),
            None => self.num_locals as Slot,
        }
    }

    /// Whether the operand at `pos` is wide (a `v128` in two slots).
    #[inline]
    pub(super) fn is_wide(&self, pos: usize) -> bool {
        self.wide[pos]
    }

    /// Makes sure the next operand, of `slots` slots, has a home that fits the slot
    /// encoding; returns that home.
    pub(super) fn reserve(&mut self, slots: usize) -> Result<Slot> {
        let home = self.next_home();
        let end = home as usize + slots;
        if end > MAX_SLOTS {
            return Err(Error::unsupported("function frame larger than 65535 slots"));
        }
        self.max_slots = self.max_slots.max(end);
        Ok(home)
    }

    /// Pushes a one-slot operand.
    pub(super) fn push(&mut self, operand: Operand) -> Result<()> {
        self.push_value(operand, false)
    }

    /// Pushes an operand, wide (two slots) or not.
    pub(super) fn push_value(&mut self, operand: Operand, wide: bool) -> Result<()> {
        let pos = self.operands.len();
        let home = self.reserve(1 + usize::from(wide))?;
        let mut link = LocalRef::default();
        if let Operand::Local(local) = operand {
            let l = local as usize;
            if l >= self.local_top.len() {
                self.local_top.resize(l + 1, 0);
            }
            link = LocalRef { linked: true, local, prev: self.local_top[l] };
            self.local_top[l] = pos as u32 + 1;
        }
        self.operands.push(operand);
        self.refs.push(link);
        self.homes.push(home);
        self.wide.push(wide);
        Ok(())
    }

    pub(super) fn get(&self, pos: usize) -> Operand {
        self.operands[pos]
    }

    pub(super) fn pop(&mut self) -> Operand {
        let Some(operand) = self.operands.pop() else {
            return Operand::InSlot;
        };
        let pos = self.operands.len();
        self.unlink_top(pos);
        self.homes.truncate(pos);
        self.wide.truncate(pos);
        self.symbolic_from = self.symbolic_from.min(pos);
        operand
    }

    pub(super) fn truncate(&mut self, len: usize) {
        for pos in (len..self.operands.len()).rev() {
            self.unlink_top(pos);
            #[cfg(test)]
            {
                self.work += 1;
            }
        }
        self.operands.truncate(len);
        self.refs.truncate(len);
        self.homes.truncate(len);
        self.wide.truncate(len);
        self.symbolic_from = self.symbolic_from.min(self.operands.len());
    }

    /// Takes the position being popped (the top) off its local's list; it is the list's head,
    /// since every position above it has been popped first.
    fn unlink_top(&mut self, pos: usize) {
        let link = self.refs[pos];
        if link.linked {
            debug_assert_eq!(self.local_top[link.local as usize], pos as u32 + 1);
            self.local_top[link.local as usize] = link.prev;
        }
        self.refs.truncate(pos);
    }

    /// Puts the operand at `pos` into its home slot, emitting the move if needed.
    pub(super) fn materialize(&mut self, pos: usize, code: &mut Emitter) {
        let home = self.home(pos);
        match self.operands[pos] {
            Operand::InSlot => return,
            Operand::Local(local) => code.emit(copy(home, local, self.wide[pos])),
            Operand::Const(value) => code.emit_const(home, value),
        }
        // A position that named a local stays on the local's list until it is popped or the
        // list is walked: both see it is no longer a `Local` and pass over it.
        self.operands[pos] = Operand::InSlot;
    }

    /// Writes the operand's value to its home slot without recording that it is there: for
    /// code on a path that not every later instruction is reached through. Returns the slot.
    pub(super) fn write_home(&self, pos: usize, code: &mut Emitter) -> Slot {
        let home = self.home(pos);
        match self.operands[pos] {
            Operand::InSlot => {}
            Operand::Local(local) => code.emit(copy(home, local, self.wide[pos])),
            Operand::Const(value) => code.emit_const(home, value),
        }
        home
    }

    /// Materialises every operand from `from` to the top. Below `symbolic_from` there is
    /// nothing to do.
    pub(super) fn materialize_from(&mut self, from: usize, code: &mut Emitter) {
        for pos in from.max(self.symbolic_from)..self.operands.len() {
            self.materialize(pos, code);
            #[cfg(test)]
            {
                self.work += 1;
            }
        }
        if from <= self.symbolic_from {
            self.symbolic_from = self.operands.len();
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
            next = self.refs[pos].prev;
            self.refs[pos].linked = false;
            #[cfg(test)]
            {
                self.work += 1;
            }
            if self.operands[pos] == Operand::Local(local) {
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
        match self.operands[pos] {
            Operand::Local(local) => local,
            Operand::Const(value) if let Some(slot) = code.const_slot(value) => slot,
            _ => {
                self.materialize(pos, code);
                self.home(pos)
            }
        }
    }
}

/// Where constant slots are numbered until the frame size is known (see
/// `Emitter::const_slot`); the operand stack must stay below.
pub(super) const CONST_SLOT_BASE: Slot = 0xF000;

/// At most this many constant slots per function; further constants are written where used.
const MAX_CONST_SLOTS: usize = 1024;

/// The code being emitted, with its constant pool.
pub(super) struct Emitter {
    pub code: Vec<Instr>,
    pub consts: Vec<Cell>,
    /// The values of the constant slots: frame slots that the function's prologue fills
    /// once per call, so that code in loops reads constants from a slot instead of writing
    /// them to one on every iteration. Numbered from `CONST_SLOT_BASE` until `finish`
    /// renumbers them above the operand slots.
    pub const_slots: Vec<Cell>,
    /// How many loops the current position is inside.
    pub loop_depth: usize,
    /// The index of the last instruction, if it wrote the top operand's home slot and nothing
    /// else, and no label has been placed since: a following `local.set` may redirect it.
    pub last_result: Option<usize>,
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
            loop_depth: 0,
            last_result: None,
            last_local: None,
            also_acc,
            offset: 0,
            traps: Vec::new(),
        }
    }

    /// The constant slot holding `value`, if constants get slots here: inside a loop, where
    /// the slot is written once per call rather than once per use.
    pub(super) fn const_slot(&mut self, value: Cell) -> Option<Slot> {
        if self.loop_depth == 0 {
            return None;
        }
        let index = match self.const_slots.iter().position(|c| *c == value) {
            Some(i) => i,
            None if self.const_slots.len() < MAX_CONST_SLOTS => {
                self.const_slots.push(value);
                self.const_slots.len() - 1
            }
            None => return None,
        };
        Some(CONST_SLOT_BASE + index as Slot)
    }

    pub(super) fn emit(&mut self, instr: Instr) {
        self.note_trap(&instr);
        self.code.push(instr);
        self.last_result = None;
        self.last_local = None;
    }

    /// Emits an instruction whose only effect is writing the new top operand's home slot.
    pub(super) fn emit_result(&mut self, instr: Instr) {
        self.note_trap(&instr);
        self.code.push(instr);
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
            let index = match self.consts.iter().position(|c| *c == value) {
                Some(i) => i,
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
