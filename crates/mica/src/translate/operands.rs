//! The operand stack seen from the instructions: how an instruction gets its operands
//! (from a slot, a local, a constant, or the accumulator the instruction just before wrote)
//! and where it puts its result. The accumulator's handover (`take_acc`, `take_local_acc`),
//! the leaf-first order (`leaf_first`) and result redirection (`redirect_result`) live here;
//! ARCHITECTURE.md ("The accumulator") says why.

use super::{Condition, Translator};
use super::stack::{Operand, is_wide};
use crate::bytecode::{ACC, Instr, Slot};
use crate::error::Result;
use crate::types::ValType;

impl Translator<'_> {
    /// Pops the top operand and returns a slot holding its value.
    pub(super) fn pop_slot(&mut self) -> Slot {
        let pos = self.stack.len() - 1;
        let slot = self.stack.read_slot(pos, &mut self.out);
        self.stack.pop();
        slot
    }

    /// If the operand at `pos` is the result of the instruction just emitted, and that
    /// instruction can write the accumulator, makes it do so and returns `ACC`: the caller
    /// must emit the instruction that reads it next (see `bytecode::ACC`).
    pub(super) fn take_acc(&mut self, pos: usize) -> Option<Slot> {
        if !cfg!(feature = "fast") {
            return None;
        }
        let at = self.out.len().checked_sub(1)?;
        if self.stack.get(pos) != Operand::InSlot || self.out.last_result != Some(at) {
            return None;
        }
        let home = self.stack.home(pos);
        let dst = self.out.code[at].acc_result_slot_mut().filter(|dst| **dst == home)?;
        *dst = ACC;
        self.out.last_result = None;
        Some(ACC)
    }

    /// Pops the top `N` operands (deepest first) for an instruction that can read one of them
    /// from the accumulator: the one the last instruction computed, if any. Operands that need
    /// a move get it first, since a move emitted after the accumulator is written would come
    /// between its writer and its reader.
    pub(super) fn pop_operands<const N: usize>(&mut self) -> [Slot; N] {
        let from = self.stack.len() - N;
        if N == 2 {
            self.leaf_first(from);
        }
        let mut slots = [None; N];
        for (i, slot) in slots.iter_mut().enumerate() {
            if self.stack.get(from + i) != Operand::InSlot {
                *slot = Some(self.stack.read_slot(from + i, &mut self.out));
            }
        }
        let mut out = [0; N];
        for (i, slot) in slots.iter().enumerate() {
            out[i] = match *slot {
                Some(slot) if !out.contains(&ACC) => self.take_local_acc(from + i).unwrap_or(slot),
                Some(slot) => slot,
                None if !out.contains(&ACC) => self.take_acc(from + i).unwrap_or(self.stack.home(from + i)),
                None => self.stack.home(from + i),
            };
        }
        self.stack.truncate(from);
        out
    }

    /// If the operands at `from` and `from + 1` were computed by the last two instructions,
    /// the second by a *leaf* (a pure instruction, `Instr::is_pure`, that reads neither the
    /// first operand nor the accumulator: in practice one that reads locals and constants),
    /// emits the leaf first. The first operand then comes in the
    /// accumulator, and the leaf's value goes through its slot: the first operand is usually
    /// the end of a longer chain (`(i32.add (i32.rotl (i32.xor ..) ..) (i32.shl (local.get
    /// $a) ..))`), and a store and reload on the critical path cost several cycles.
    ///
    /// The two may trade places: the leaf reads neither the other's result nor the
    /// accumulator, the other does not read the leaf's result, neither writes anything but
    /// its home slot, and the leaf cannot trap, so no order of events can tell. If the
    /// other read the accumulator, the leaf now stands between its writer and its reader,
    /// which it leaves alone (the verifier allows exactly such instructions there).
    ///
    /// Afterwards `last_result` names the other instruction, no longer the top operand's:
    /// the caller (`pop_operands`) hands it over right away, and every use of `last_result`
    /// checks the slot it names against the operand's home.
    pub(super) fn leaf_first(&mut self, from: usize) {
        if !cfg!(feature = "fast") {
            return;
        }
        let Some(at) = self.out.len().checked_sub(1) else { return };
        if at == 0
            || self.out.last_result != Some(at)
            || self.out.prev_result != Some(at - 1)
            || self.stack.get(from) != Operand::InSlot
            || self.stack.get(from + 1) != Operand::InSlot
        {
            return;
        }
        let (first, second) = (self.stack.home(from), self.stack.home(from + 1));
        let (other, leaf) = (self.out.code[at - 1], self.out.code[at]);
        if !leaf.is_pure()
            || leaf.result_slot() != Some(second)
            || other.acc_result_slot() != Some(first)
            || names(leaf, |slot| slot == first || slot == ACC)
            || names(other, |slot| slot == second)
        {
            return;
        }
        self.out.code.swap(at - 1, at);
        if let Some(trap) = self.out.traps.last_mut()
            && trap.0 as usize == at - 1
        {
            // The other instruction may trap; the leaf cannot.
            trap.0 += 1;
        }
        self.out.prev_result = None;
    }

    /// If the operand at `pos` is a local that the instruction just emitted computed its
    /// result into (and nothing has happened since), has that instruction write the
    /// accumulator too (`acc::ALSO`) and returns `ACC`: the caller must emit the instruction
    /// that reads it next.
    pub(super) fn take_local_acc(&mut self, pos: usize) -> Option<Slot> {
        if !cfg!(feature = "fast") {
            return None;
        }
        let Operand::Local(local) = self.stack.get(pos) else {
            return None;
        };
        let at = self.out.len().checked_sub(1)?;
        if self.out.last_local != Some((at, local)) || !self.out.code[at].can_write_acc() {
            return None;
        }
        self.out.last_local = None;
        self.out.also_acc.push(at);
        Some(ACC)
    }

    /// If the operand at `pos` was computed by the instruction just emitted, into its home
    /// slot and nothing else, makes that instruction write `slot` instead (a `local.set` of
    /// it, or a `return` of it into the frame's first slot). Only the operand's place
    /// changes: the caller records where the value now is, or that it is not needed.
    pub(super) fn redirect_result(&mut self, pos: usize, slot: Slot) -> bool {
        let Some(at) = self.out.len().checked_sub(1) else { return false };
        if self.stack.get(pos) != Operand::InSlot || self.out.last_result != Some(at) {
            return false;
        }
        let home = self.stack.home(pos);
        let Some(dst) = self.out.code[at].result_slot_mut().filter(|dst| **dst == home) else {
            return false;
        };
        *dst = slot;
        self.out.last_result = None;
        true
    }

    /// Pops a branch condition. A comparison computed by the instruction just emitted is
    /// taken back, to be fused with the branch.
    pub(super) fn pop_condition(&mut self) -> Condition {
        let pos = self.stack.len() - 1;
        let at = self.out.len().wrapping_sub(1);
        let fusable = self.stack.get(pos) == Operand::InSlot
            && self.out.last_result == Some(at)
            && self.out.code[at].result_slot() == Some(self.stack.home(pos))
            && self.out.code[at].fuse_branch(false, 0).is_some();
        if fusable {
            let compare = self.out.code.pop().expect("the last instruction");
            self.out.last_result = None;
            self.stack.pop();
            return Condition::Fused(compare);
        }
        let [cond] = self.pop_operands();
        Condition::Slot(cond)
    }

    /// Pops `n` operands after putting them in their home slots; returns the first slot.
    pub(super) fn pop_span(&mut self, n: usize) -> Slot {
        let from = self.stack.len() - n;
        self.stack.materialize_from(from, &mut self.out);
        self.stack.truncate(from);
        self.stack.home(from)
    }

    /// The home slot the next pushed one-slot operand will have.
    pub(super) fn next_home(&mut self) -> Result<Slot> {
        self.stack.reserve(1)
    }

    /// The home slot the next pushed wide operand (a `v128`) will have.
    pub(super) fn next_home_wide(&mut self) -> Result<Slot> {
        self.stack.reserve(2)
    }

    /// Emits an instruction that writes a new top operand, and pushes it.
    pub(super) fn push_result(&mut self, instr: Instr) -> Result<()> {
        self.out.emit_result(instr);
        self.stack.push(Operand::InSlot)
    }

    /// Emits an instruction that writes a new wide top operand (a `v128`), and pushes it.
    pub(super) fn push_result_wide(&mut self, instr: Instr) -> Result<()> {
        self.out.emit_result(instr);
        self.stack.push_value(Operand::InSlot, true)
    }

    /// Pushes operands in their home slots, of the given types.
    pub(super) fn push_types(&mut self, types: &[ValType]) -> Result<()> {
        for ty in types {
            self.stack.push_value(Operand::InSlot, is_wide(*ty))?;
        }
        Ok(())
    }
}

/// Whether `instr` names a slot that `is` picks (as an operand or its result).
#[inline]
fn names(mut instr: Instr, is: impl Fn(Slot) -> bool) -> bool {
    let mut found = false;
    instr.for_each_slot(|slot| found |= is(*slot));
    found
}
