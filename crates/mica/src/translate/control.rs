//! Control frames of the function being translated, and how a branch reaches its label.
//!
//! A label's values live in the home slots starting at the frame's height: for a block or
//! `if` these are its results, for a loop its parameters. A branch copies its values there
//! and jumps; forward jumps are patched when the frame ends.

use super::stack::{Operand, copy, is_wide};
use super::{Condition, Translator};
use crate::bytecode::{BinImm, BrTable, Catch, CatchKind, ExnAt, Instr, Slot, Span};
use crate::error::{Error, Result};
use crate::types::ValType;
use alloc::vec::Vec;

#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum FrameKind {
    /// The function body itself: branching to it returns.
    Function,
    Block,
    /// A loop whose header is at this instruction index; `test_target`: if its first
    /// instruction is a forward branch (an exit test), the index of the frame whose end it
    /// jumps to (see `thread_loop_test`).
    Loop { start: usize, test_target: Option<u32> },
    /// An `if` whose false branch jumps from `else_jump` (patched at `else` or `end`).
    If { else_jump: usize },
    Else,
    /// A `try_table` whose body starts at instruction `start`; its catch clauses are
    /// `Translator::pending_catches[first..]` until it ends.
    TryTable { start: u32, first: u32 },
    /// A legacy `try` (`translate/legacy.rs`); its clauses are
    /// `Translator::pending_catches[first..]` until it ends.
    LegacyTry { first: u32, phase: super::legacy::Phase },
}

/// A frame's type: where its parameter and result types are.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum FrameType {
    Empty,
    /// No parameters, one result.
    Single(crate::types::ValType),
    /// A type of the module.
    Index(u32),
    /// The function's own type.
    Function,
}

#[derive(Debug)]
pub(super) struct ControlFrame {
    pub kind: FrameKind,
    pub ty: FrameType,
    /// The operand-stack height below the frame's parameters.
    pub height: usize,
    pub num_params: usize,
    pub num_results: usize,
    /// Whether the frame's start was reachable. Frames opened in dead code are tracked only
    /// to match their `end`.
    pub live: bool,
    /// Forward branches to patch to the frame's end: the head of its list in
    /// `Translator::fixups` (its position plus one; 0 when there are none).
    pub fixups: u32,
}

impl ControlFrame {
    /// How many values a branch to this frame carries.
    pub(super) fn branch_arity(&self) -> usize {
        match self.kind {
            FrameKind::Loop { .. } => self.num_params,
            _ => self.num_results,
        }
    }
}

// --- the translator's control flow: frames, labels, branches ----------------------------------

impl Translator<'_> {
    /// Pushes a frame's parameters or results, in their home slots.
    pub(super) fn push_frame_types(&mut self, ty: FrameType, results: bool) -> Result<()> {
        // A shared type list: cloning it is a reference count, not a copy.
        let f = match ty {
            FrameType::Empty => return Ok(()),
            FrameType::Single(t) if results => return self.push_types(&[t]),
            FrameType::Single(_) => return Ok(()),
            FrameType::Index(i) => self.env.types[i as usize].clone(),
            FrameType::Function => self.func_ty.clone(),
        };
        self.push_types(if results { f.results() } else { f.params() })
    }

    // --- control ----------------------------------------------------------------------------

    pub(super) fn block_arity(&self, ty: wasmparser::BlockType) -> (usize, usize) {
        match ty {
            wasmparser::BlockType::Empty => (0, 0),
            wasmparser::BlockType::Type(_) => (0, 1),
            wasmparser::BlockType::FuncType(i) => {
                let ty = &self.env.types[i as usize];
                (ty.params().len(), ty.results().len())
            }
        }
    }

    pub(super) fn push_frame(&mut self, kind: FrameKind, ty: wasmparser::BlockType) {
        let (num_params, num_results) = self.block_arity(ty);
        let height = if self.reachable { self.stack.len() - num_params } else { self.stack.len() };
        let ty = match ty {
            wasmparser::BlockType::Empty => FrameType::Empty,
            wasmparser::BlockType::Type(t) => {
                FrameType::Single(self.env.value_type(t).unwrap_or(ValType::I32))
            }
            wasmparser::BlockType::FuncType(i) => FrameType::Index(i),
        };
        self.control.push(ControlFrame {
            kind,
            ty,
            height,
            num_params,
            num_results,
            live: self.reachable,
            fixups: 0,
        });
    }

    pub(super) fn begin_block(&mut self, ty: wasmparser::BlockType) {
        if self.reachable {
            self.stack.materialize_from(0, &mut self.out);
        }
        self.push_frame(FrameKind::Block, ty);
    }

    /// `try_table`: a block whose catch clauses each get a landing pad, emitted before the
    /// body and jumped over, that takes the exception's values from the slots where the
    /// unwinder puts them (the homes of the operands the clause's label receives, at the
    /// `try_table`'s height) to the label, as a `br` would. The clauses are listed for the
    /// unwinder when the body ends (`end_try_table`).
    pub(super) fn begin_try_table(&mut self, table: &wasmparser::TryTable) -> Result<()> {
        if !self.reachable {
            self.push_frame(FrameKind::Block, table.ty);
            return Ok(());
        }
        self.stack.materialize_from(0, &mut self.out);
        let (num_params, _) = self.block_arity(table.ty);
        let height = self.stack.len() - num_params;
        let params: Vec<bool> = (height..self.stack.len()).map(|p| self.stack.is_wide(p)).collect();
        self.stack.truncate(height);
        let skip = self.out.len();
        self.out.emit(Instr::jump(0));
        let first = self.pending_catches.len() as u32;
        for catch in &table.catches {
            use wasmparser::Catch as C;
            let (tag, with_ref, label) = match *catch {
                C::One { tag, label } => (Some(tag), false, label),
                C::OneRef { tag, label } => (Some(tag), true, label),
                C::All { label } => (None, false, label),
                C::AllRef { label } => (None, true, label),
            };
            let pad = self.begin_pad(tag)?;
            if with_ref {
                self.stack.push(Operand::InSlot)?;
            }
            let slot = if self.stack.len() > height { self.stack.home(height) } else { 0 };
            self.emit_branch(label)?;
            self.stack.truncate(height);
            let exn = if with_ref { ExnAt::AfterValues } else { ExnAt::Nowhere };
            let kind = CatchKind::Land { tag, pad, slot, exn };
            self.pending_catches.push(Catch { start: 0, end: 0, kind });
        }
        self.out.label();
        self.out.patch_to_here(skip);
        for wide in params {
            self.stack.push_value(Operand::InSlot, wide)?;
        }
        let start = self.out.len() as u32;
        self.push_frame(FrameKind::TryTable { start, first }, table.ty);
        Ok(())
    }

    /// Starts a catch clause's landing pad here (a label: the unwinder enters it) with the
    /// values of exceptions of `tag` (none for `catch_all`) pushed in their home slots, where
    /// the unwinder writes them. Returns the pad's first instruction.
    pub(super) fn begin_pad(&mut self, tag: Option<u32>) -> Result<u32> {
        self.out.label();
        let pad = self.out.len() as u32;
        if let Some(tag) = tag {
            let ty = self.env.tag_type(tag).clone();
            for &t in ty.params() {
                self.stack.push_value(Operand::InSlot, is_wide(t))?;
            }
        }
        Ok(pad)
    }

    /// Lists a `try_table`'s clauses for the unwinder, covering its body (which ends here):
    /// after those of every `try_table` inside it, which ended before.
    fn end_try_table(&mut self, start: u32, first: u32) {
        let end = self.out.len() as u32;
        for mut catch in self.pending_catches.drain(first as usize..) {
            (catch.start, catch.end) = (start, end);
            self.out.catches.push(catch);
        }
    }

    pub(super) fn begin_loop(&mut self, ty: wasmparser::BlockType) {
        if self.reachable {
            self.stack.materialize_from(0, &mut self.out);
        }
        self.out.label();
        self.out.loop_depth += 1;
        let start = self.out.len();
        self.fuel_boundary();
        self.push_frame(FrameKind::Loop { start, test_target: None }, ty);
    }

    pub(super) fn begin_if(&mut self, ty: wasmparser::BlockType) {
        let mut else_jump = usize::MAX;
        if self.reachable {
            let cond = self.pop_condition();
            self.stack.materialize_from(0, &mut self.out);
            else_jump = self.out.len();
            self.out.emit(cond.branch(true, 0));
        }
        self.push_frame(FrameKind::If { else_jump }, ty);
        self.fuel_boundary();
    }

    pub(super) fn begin_else(&mut self) -> Result<()> {
        let frame = self.control.last_mut().expect("validated: else inside if");
        let FrameKind::If { else_jump } = frame.kind else {
            return Ok(());
        };
        frame.kind = FrameKind::Else;
        if !frame.live {
            return Ok(());
        }
        let (height, num_results, ty) = (frame.height, frame.num_results, frame.ty);
        if self.reachable {
            // The true branch falls through to the end: its results go to their home slots.
            self.stack.materialize_from(height, &mut self.out);
            let jump = self.out.len();
            self.out.emit(Instr::jump(0));
            self.add_fixup(self.control.len() - 1, jump);
        }
        debug_assert!(self.stack.len() >= height + num_results || !self.reachable);
        self.out.label();
        self.out.patch_to_here(else_jump);
        self.stack.truncate(height);
        self.push_frame_types(ty, false)?;
        self.reachable = true;
        self.fuel_boundary();
        Ok(())
    }

    pub(super) fn end_frame(&mut self) -> Result<()> {
        self.resolve_delegates(self.control.len() - 1);
        let frame = self.control.pop().expect("validated: end matches a frame");
        self.end_frame_patching(&frame)
    }

    /// Adds the forward branch at `at` to the branches of frame `frame`.
    pub(super) fn add_fixup(&mut self, frame: usize, at: usize) {
        self.fixups.push((at as u32, self.control[frame].fixups));
        self.control[frame].fixups = self.fixups.len() as u32;
    }

    /// Whether the forward branch at `at` is one of frame `frame`'s.
    fn has_fixup(&self, frame: usize, at: usize) -> bool {
        let mut next = self.control[frame].fixups;
        while next != 0 {
            let (branch, after) = self.fixups[next as usize - 1];
            if branch as usize == at {
                return true;
            }
            next = after;
        }
        false
    }

    /// Ends `frame` (popped), patching its forward branches to here.
    pub(super) fn end_frame_patching(&mut self, frame: &ControlFrame) -> Result<()> {
        match frame.kind {
            FrameKind::TryTable { start, first } => self.end_try_table(start, first),
            FrameKind::LegacyTry { first, .. } => self.end_legacy_try(first),
            _ => {}
        }
        if let FrameKind::Loop { .. } = frame.kind {
            self.out.loop_depth -= 1;
        }
        if self.reachable {
            self.stack.materialize_from(frame.height, &mut self.out);
        }
        if frame.kind == FrameKind::Function {
            if self.reachable {
                self.emit_return(frame.num_results)?;
            }
            return Ok(());
        }
        if !frame.live {
            return Ok(());
        }
        self.out.label();
        let mut reachable = self.reachable || frame.fixups != 0;
        if let FrameKind::If { else_jump } = frame.kind {
            // No else branch: the false branch passes the parameters through as results.
            self.out.patch_to_here(else_jump);
            reachable = true;
        }
        let mut next = frame.fixups;
        while next != 0 {
            let (at, after) = self.fixups[next as usize - 1];
            self.out.patch_to_here(at as usize);
            next = after;
        }
        self.stack.truncate(frame.height);
        self.push_frame_types(frame.ty, true)?;
        self.reachable = reachable;
        self.fuel_boundary();
        Ok(())
    }

    /// Ends straight-line code: what follows is dead until the next `else` or `end`.
    pub(super) fn set_unreachable(&mut self) {
        let height = self.control.last().map_or(0, |f| f.height);
        self.stack.truncate(height.min(self.stack.len()));
        self.reachable = false;
    }

    /// Copies the top `arity` operands to the label values of the frame `depth` levels out.
    pub(super) fn copy_branch_values(&mut self, depth: u32) {
        let frame = &self.control[self.control.len() - 1 - depth as usize];
        let arity = frame.branch_arity();
        let base = self.stack.home(frame.height);
        let from = self.stack.len() - arity;
        // Destinations are never above their sources, so copying upwards is safe.
        let mut dst = base;
        for pos in from..from + arity {
            let wide = self.stack.is_wide(pos);
            match self.stack.get(pos) {
                Operand::InSlot => {
                    let src = self.stack.home(pos);
                    if src != dst {
                        self.out.emit(copy(dst, src, wide));
                    }
                }
                Operand::Local(src) => self.out.emit(copy(dst, src, wide)),
                Operand::Const(value) => self.out.emit_const(dst, value),
            }
            dst += 1 + Slot::from(wide);
        }
    }

    /// Whether a branch to `depth` needs no value copies.
    pub(super) fn branch_values_in_place(&self, depth: u32) -> bool {
        let frame = &self.control[self.control.len() - 1 - depth as usize];
        let arity = frame.branch_arity();
        let from = self.stack.len() - arity;
        arity == 0
            || (from == frame.height
                && (from..self.stack.len()).all(|p| self.stack.get(p) == Operand::InSlot))
    }

    pub(super) fn is_return_target(&self, depth: u32) -> bool {
        depth as usize == self.control.len() - 1
    }

    /// Emits the jump of a branch whose values are in place.
    pub(super) fn emit_jump(&mut self, depth: u32, make: impl FnOnce(i32) -> Instr) {
        let at = self.out.len();
        let index = self.control.len() - 1 - depth as usize;
        match self.control[index].kind {
            FrameKind::Loop { start, .. } => self.out.emit(make(start as i32 - at as i32)),
            _ => {
                self.out.emit(make(0));
                self.add_fixup(index, at);
                // A forward branch that starts the innermost loop (after its fuel, if
                // metered): its exit test, whose target `thread_loop_test` then finds
                // without a search.
                let innermost = self.control.len() - 1;
                let fuel_first = |start: usize| matches!(self.out.code.get(start), Some(Instr::Fuel(_)));
                if let FrameKind::Loop { start, .. } = self.control[innermost].kind
                    && (start == at || (start + 1 == at && fuel_first(start)))
                    && let FrameKind::Loop { test_target, .. } = &mut self.control[innermost].kind
                {
                    *test_target = Some(index as u32);
                }
            }
        }
    }

    /// Emits a complete unconditional branch: values, then jump (or return).
    pub(super) fn emit_branch(&mut self, depth: u32) -> Result<()> {
        if self.is_return_target(depth) {
            let n = self.control[0].num_results;
            return self.emit_return(n);
        }
        self.copy_branch_values(depth);
        if !self.thread_loop_test(depth) {
            self.emit_jump(depth, Instr::jump);
        }
        Ok(())
    }

    /// A branch back to a loop that begins with its exit test (`loop (br_if $out cond) ...
    /// br $loop`) becomes a copy of the test with the condition inverted, branching to the
    /// instruction after the test, followed by a jump to the test's target: the loop's
    /// path takes one dispatch instead of two. The test reads only slots whose values are
    /// the same here as after the jump (locals, constants, and operands below the loop,
    /// whose values the branch has just put in place); it cannot read the accumulator (the
    /// loop's start is a label). Returns false where this does not apply.
    ///
    /// Under fuel metering the loop starts with the test's segment's `Fuel` (final by now:
    /// the segment ended at the test), which the copy repeats before the test.
    pub(super) fn thread_loop_test(&mut self, depth: u32) -> bool {
        let index = self.control.len() - 1 - depth as usize;
        let FrameKind::Loop { start: loop_start, test_target } = self.control[index].kind else {
            return false;
        };
        let fuel = match self.out.code.get(loop_start) {
            Some(&fuel @ Instr::Fuel(_)) => Some(fuel),
            _ => None,
        };
        let start = loop_start + usize::from(fuel.is_some());
        let Some(test) = self.out.code.get(start).copied() else {
            return false;
        };
        let (Some(mut inverted), Some(offset)) = (test.negated_branch(), test.branch_offset()) else {
            return false;
        };
        // Where the test jumps: already known if patched, else pending in the fixups of the
        // enclosing frame `emit_jump` recorded, which must then patch the copy too. (A test
        // branching to itself also has offset 0 but no recorded target: nothing is threaded.)
        // Recorded rather than searched for: a search of the enclosing frames at every branch
        // back to the loop made a body of thousands of such branches under thousands of
        // blocks quadratic (a 400 KB body took 4 s).
        let pending_in = if offset == 0 {
            let Some(frame) = test_target else {
                return false;
            };
            let frame = frame as usize;
            debug_assert!(self.has_fixup(frame, start), "the test's target frame");
            Some(frame)
        } else {
            None
        };
        if let Some(fuel) = fuel {
            self.out.emit(fuel);
        }
        let at = self.out.len();
        if let Some(o) = inverted.branch_offset_mut() {
            *o = (start + 1) as i32 - at as i32;
        }
        self.out.emit(inverted);
        let jump = self.out.len();
        match pending_in {
            Some(frame) => {
                self.out.emit(Instr::jump(0));
                self.add_fixup(frame, jump);
            }
            None => self.out.emit(Instr::jump((start as i64 + offset as i64 - jump as i64) as i32)),
        }
        true
    }

    /// Returns the top `n` operands. May be on a conditional path (a `br_if` or `br_table`
    /// to the function), so the operands' recorded places are left as they are.
    pub(super) fn emit_return(&mut self, n: usize) -> Result<()> {
        let top = self.stack.len().wrapping_sub(1);
        let span = match n {
            0 => Span { start: 0, len: 0 },
            1 => {
                let len = 1 + Slot::from(self.stack.is_wide(top));
                match self.stack.get(top) {
                    Operand::Local(local) => Span { start: local, len },
                    // Computed by the instruction just emitted: into the frame's first slot,
                    // where the caller takes it, so the return has nothing to copy. (On a
                    // conditional path the branch was emitted last, so this is never done
                    // there, where the operand is still needed in its place.)
                    Operand::InSlot if self.redirect_result(top, 0) => Span { start: 0, len },
                    _ => Span { start: self.stack.write_home(top, &mut self.out), len },
                }
            }
            _ => {
                let from = self.stack.len() - n;
                for pos in from..self.stack.len() {
                    self.stack.write_home(pos, &mut self.out);
                }
                let start = self.stack.home(from);
                Span { start, len: self.stack.home(self.stack.len()) - start }
            }
        };
        self.out.emit(Instr::Return(span));
        Ok(())
    }

    pub(super) fn translate_br(&mut self, depth: u32) -> Result<()> {
        self.emit_branch(depth)?;
        self.set_unreachable();
        Ok(())
    }

    pub(super) fn translate_br_if(&mut self, depth: u32) -> Result<()> {
        let cond = self.pop_condition();
        self.branch_on(depth, cond)
    }

    /// A branch to `depth` taken when `cond` holds.
    pub(super) fn branch_on(&mut self, depth: u32, cond: Condition) -> Result<()> {
        if !self.is_return_target(depth) && self.branch_values_in_place(depth) {
            self.emit_jump(depth, |offset| cond.branch(false, offset));
        } else {
            let skip = self.out.len();
            self.out.emit(cond.branch(true, 0));
            self.emit_branch(depth)?;
            self.out.label();
            self.out.patch_to_here(skip);
        }
        // The path that does not branch pays for its operators when it is taken.
        self.fuel_boundary();
        Ok(())
    }

    /// `br_on_null` (or, with `non_null`, `br_on_non_null`): a branch on whether the
    /// reference on top is null (a null cell is 0), taking the operands below it to the label
    /// (`br_on_non_null`: and the reference itself). The reference stays in its home slot,
    /// where the branch reads it; the path that does not branch keeps it (`br_on_null`) or
    /// drops it (`br_on_non_null`).
    pub(super) fn translate_br_on_null(&mut self, depth: u32, non_null: bool) -> Result<()> {
        let pos = self.stack.len() - 1;
        self.stack.materialize(pos, &mut self.out);
        let a = self.stack.home(pos);
        let test = BinImm { dst: a, a, imm: 0 };
        let cond = Condition::Fused(if non_null { Instr::I64NeImm(test) } else { Instr::I64EqImm(test) });
        if non_null {
            self.branch_on(depth, cond)?;
            self.stack.pop();
            self.out.label();
        } else {
            // The reference is not the label's: out of the way while the branch is made.
            self.stack.pop();
            self.branch_on(depth, cond)?;
            self.stack.push(Operand::InSlot)?;
        }
        Ok(())
    }

    pub(super) fn translate_br_table(&mut self, targets: &wasmparser::BrTable<'_>) -> Result<()> {
        let index = self.pop_slot();
        let mut depths = core::mem::take(&mut self.depths);
        depths.clear();
        for depth in targets.targets() {
            depths.push(depth.map_err(|e| Error::from_parser(e, true))?);
        }
        depths.push(targets.default());
        let result = self.emit_br_table(index, &depths);
        self.depths = depths;
        result
    }

    /// The table, then one landing pad per distinct target whose values must move first:
    /// entries are grouped by target (sorted, so the work is `n log n` in the entries, never
    /// entries × targets), and a group shares one pad.
    pub(super) fn emit_br_table(&mut self, index: Slot, depths: &[u32]) -> Result<()> {
        self.out.emit(Instr::BrTable(BrTable { index, len: depths.len() as u32 }));
        let table = self.out.len();
        for _ in depths {
            self.out.emit(Instr::jump(0));
        }
        let mut order = core::mem::take(&mut self.order);
        order.clear();
        order.extend(0..depths.len());
        order.sort_by_key(|&i| depths[i]);
        for group in order.chunk_by(|a, b| depths[*a] == depths[*b]) {
            let depth = depths[group[0]];
            if !self.is_return_target(depth) && self.branch_values_in_place(depth) {
                let index = self.control.len() - 1 - depth as usize;
                for &i in group {
                    match self.control[index].kind {
                        FrameKind::Loop { start, .. } => self.out.patch(table + i, start),
                        _ => self.add_fixup(index, table + i),
                    }
                }
            } else {
                // A landing pad after the table moves the values, then branches.
                for &i in group {
                    self.out.patch_to_here(table + i);
                }
                self.emit_branch(depth)?;
                self.check_budget()?;
            }
        }
        self.order = order;
        self.set_unreachable();
        Ok(())
    }
}
