//! The legacy exception instructions (`try`, `catch`, `catch_all`, `delegate`, `rethrow`; the
//! spec's legacy appendix), on the same catch-clause table as `try_table`
//! (`bytecode::Catch`).
//!
//! - `try` is a block whose body's instructions the clauses cover.
//! - Each `catch`/`catch_all` ends the section before it as `else` ends an `if` (a jump to the
//!   end), and its body is its own landing pad: the unwinder puts the exception's values in
//!   the homes of the operands the body starts with (the `try`'s height), where the
//!   translator pushes them.
//! - `rethrow l` throws the exception the `catch` at label `l` caught: that clause keeps the
//!   reference in a slot of its own (a constant slot, so calls do not clobber it), made when
//!   the first `rethrow` names the clause; clauses nobody rethrows from keep no reference,
//!   so their exceptions are reused.
//! - `delegate l` lists a clause that sends the search on to the clauses of the blocks that
//!   end after label `l`'s frame (its own, if it is a `try`), resolved when that frame ends.

use super::Translator;
use super::control::FrameKind;
use crate::bytecode::{Catch, CatchKind, ExnAt, Instr, ThrowRef};
use crate::error::{Error, Result};

/// Where a legacy `try` is.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum Phase {
    /// In the body, which starts at this instruction.
    Body { start: u32 },
    /// In the body of the `catch` (or `catch_all`) that is `Translator::pending_catches[at]`,
    /// the body having been `start..end`.
    Catch { start: u32, end: u32, at: u32, all: bool },
}

impl Translator<'_> {
    pub(super) fn begin_try(&mut self, ty: wasmparser::BlockType) {
        if self.reachable {
            self.stack.materialize_from(0, &mut self.out);
        }
        self.out.label();
        let start = self.out.len() as u32;
        let first = self.pending_catches.len() as u32;
        self.push_frame(FrameKind::LegacyTry { first, phase: Phase::Body { start } }, ty);
    }

    /// `catch tag` (`tag: None`: `catch_all`).
    pub(super) fn begin_catch(&mut self, tag: Option<u32>) -> Result<()> {
        let index = self.control.len() - 1;
        let frame = &self.control[index];
        let FrameKind::LegacyTry { first, phase } = frame.kind else {
            return Err(Error::unsupported("internal error: catch outside try"));
        };
        let (start, end) = match phase {
            Phase::Body { start } => (start, self.out.len() as u32),
            Phase::Catch { start, end, .. } => (start, end),
        };
        let (live, height, num_results) = (frame.live, frame.height, frame.num_results);
        let at = self.pending_catches.len() as u32;
        self.control[index].kind = FrameKind::LegacyTry { first, phase: Phase::Catch { start, end, at, all: tag.is_none() } };
        if !live {
            return Ok(());
        }
        if self.reachable {
            // The section before falls through to the end: its results go to their homes.
            self.stack.materialize_from(height, &mut self.out);
            debug_assert!(self.stack.len() >= height + num_results);
            let jump = self.out.len();
            self.out.emit(Instr::jump(0));
            self.add_fixup(index, jump);
        }
        self.stack.truncate(height);
        let pad = self.begin_pad(tag)?;
        let slot = if self.stack.len() > height { self.stack.home(height) } else { 0 };
        let kind = CatchKind::Land { tag, pad, slot, exn: ExnAt::Nowhere };
        self.pending_catches.push(Catch { start, end, kind });
        self.reachable = true;
        self.fuel_boundary();
        Ok(())
    }

    /// `delegate l`: ends the `try` (which has no `catch`), whose body's throws go on to the
    /// clauses of label `l` (counted from outside the `try`) and around it.
    pub(super) fn delegate(&mut self, depth: u32) -> Result<()> {
        let frame = self.control.last().expect("validated: delegate ends a try");
        let delegated = match (frame.kind, frame.live) {
            (FrameKind::LegacyTry { phase: Phase::Body { start }, .. }, true) => {
                let end = self.out.len() as u32;
                self.pending_catches.push(Catch { start, end, kind: CatchKind::Delegate { resume: u32::MAX } });
                Some(self.control.len() - 2 - depth as usize)
            }
            _ => None,
        };
        self.end_frame()?;
        if let Some(target) = delegated {
            // The clause was just listed (the `try` ended), last; its place to resume is
            // known when the label's frame ends (`resolve_delegates`).
            self.pending_delegates.push((target as u32, self.out.catches.len() as u32 - 1));
        }
        Ok(())
    }

    /// `rethrow l`: the exception the `catch` at label `l` caught, kept in a slot of its own.
    pub(super) fn rethrow(&mut self, depth: u32) -> Result<()> {
        let index = self.control.len() - 1 - depth as usize;
        let FrameKind::LegacyTry { phase: Phase::Catch { at, .. }, .. } = self.control[index].kind else {
            return Err(Error::unsupported("internal error: rethrow outside catch"));
        };
        let catch = &mut self.pending_catches[at as usize];
        let CatchKind::Land { exn, .. } = &mut catch.kind else {
            return Err(Error::unsupported("internal error: rethrow of a delegate"));
        };
        let slot = match *exn {
            ExnAt::Slot(slot) => slot,
            _ => {
                let slot = self.out.scratch_slot().ok_or_else(|| Error::unsupported("too many rethrown exceptions in a function"))?;
                *exn = ExnAt::Slot(slot);
                slot
            }
        };
        self.out.emit(Instr::ThrowRef(ThrowRef { exn: slot }));
        self.set_unreachable();
        Ok(())
    }

    /// Lists a legacy `try`'s clauses for the unwinder, when its frame ends.
    pub(super) fn end_legacy_try(&mut self, first: u32) {
        self.out.catches.extend(self.pending_catches.drain(first as usize..));
    }

    /// Gives the `delegate`s that name the frame at control index `frame` (ending now, its
    /// own clauses not listed yet) the position in the clause list where the search goes
    /// on: the clauses listed from here on are this frame's and those around it.
    pub(super) fn resolve_delegates(&mut self, frame: usize) {
        if self.pending_delegates.is_empty() {
            return;
        }
        let resume = self.out.catches.len() as u32;
        let catches = &mut self.out.catches;
        self.pending_delegates.retain(|&(target, at)| {
            if target as usize != frame {
                return true;
            }
            catches[at as usize].kind = CatchKind::Delegate { resume };
            false
        });
    }
}
