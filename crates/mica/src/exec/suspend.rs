//! Paused calls: an activation of the interpreter that stopped before it finished
//! (`Func::call_resumable`) and can go on where it stopped.
//!
//! A resumable activation pauses instead of trapping when its fuel runs out or the epoch
//! deadline passes (the `Fuel` instruction, an epoch check, or a slow path's charge stopped
//! *before* the instruction did anything: it runs again on resume; a backward branch stops
//! after deciding to jump, and the call resumes at its target), and when a host function it
//! called returns `Error::pause` (the call is done: its results are supplied on resume).
//!
//! Pausing moves the activation out of the store's stacks: its frames (bases made relative)
//! and the value-stack cells they use go into a [`Suspended`] kept in the store
//! (`ExecStack::suspended`), and the stacks are back as they were before the call. So the
//! store can run anything meanwhile, other calls can pause too, and paused calls can be
//! resumed in any order: resuming copies the activation back on top of whatever the stacks
//! hold then. While it is out, the collector treats every cell of a paused activation as a
//! possible reference (a pause may happen where there is no stack map): conservative, so a
//! paused call keeps everything it may use alive, and at worst some garbage too until it ends.

use super::interp::Executor;
use super::{CodeRef, Frame};
use crate::cell::Cell;
use crate::error::{Error, HostError, Result, Trap, TrapCode};
use crate::store::Store;
use alloc::boxed::Box;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

/// Why a call paused.
#[derive(Debug)]
pub enum PauseReason {
    /// The store's fuel ran out (`Config::consume_fuel`): add some (`Store::set_fuel`) and
    /// resume.
    OutOfFuel,
    /// The engine's epoch reached the store's deadline (`Config::epoch_interruption`): set a
    /// new one (`Store::set_epoch_deadline`) and resume.
    Interrupted,
    /// A host function asked to pause (`Error::pause`) with this request; resuming supplies
    /// its results.
    Host(Box<dyn HostError>),
}

/// An activation taken out of the store's stacks when it paused.
pub(crate) struct Suspended {
    /// The running function: code, next instruction, frame base (relative to `cells`),
    /// store function, instance.
    code: CodeRef,
    ip: usize,
    base: usize,
    func: u32,
    instance: u32,
    /// The suspended callers, oldest first, bases relative to `cells`.
    frames: Vec<Frame>,
    /// The value-stack cells of every frame, from the first frame's base.
    cells: Vec<Cell>,
    /// After a host function's pause request: its store function, where its results go
    /// (relative to `cells`) and whether it was a tail call.
    pub(crate) host: Option<(u32, usize, bool)>,
}

/// The store's paused calls: each with the liveness token its `PausedCall` handle holds, so
/// that the store can drop those whose handle is gone.
#[derive(Default)]
pub(crate) struct SuspendedCalls {
    slots: Vec<Option<(Weak<()>, Suspended)>>,
}

impl SuspendedCalls {
    /// Keeps `state`; returns its slot and the token of its handle.
    pub(crate) fn insert(&mut self, state: Suspended) -> (usize, Arc<()>) {
        self.drop_abandoned();
        let token = Arc::new(());
        let entry = Some((Arc::downgrade(&token), state));
        let slot = match self.slots.iter().position(Option::is_none) {
            Some(slot) => {
                self.slots[slot] = entry;
                slot
            }
            None => {
                self.slots.push(entry);
                self.slots.len() - 1
            }
        };
        (slot, token)
    }

    /// Takes the state in `slot` if `token` is its handle's.
    pub(crate) fn take(&mut self, slot: usize, token: &Arc<()>) -> Option<Suspended> {
        let entry = self.slots.get_mut(slot)?;
        match entry {
            Some((weak, _)) if core::ptr::eq(weak.as_ptr(), Arc::as_ptr(token)) => entry.take().map(|(_, s)| s),
            _ => None,
        }
    }

    /// Drops the paused calls whose handle was dropped.
    pub(crate) fn drop_abandoned(&mut self) {
        for entry in &mut self.slots {
            if entry.as_ref().is_some_and(|(weak, _)| weak.strong_count() == 0) {
                *entry = None;
            }
        }
        while let Some(None) = self.slots.last() {
            self.slots.pop();
        }
    }

    /// How many paused calls the store holds (abandoned ones included until they are
    /// dropped).
    pub(crate) fn len(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// Every cell of every paused call: roots for the collector (see the module
    /// documentation).
    pub(crate) fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.slots.iter().flatten().flat_map(|(_, s)| s.cells.iter().copied())
    }
}

impl Executor<'_> {
    /// Takes this activation out of the store's stacks after it paused with `error` (see
    /// the module documentation).
    pub(super) fn suspend(&mut self, error: Error) -> (Suspended, PauseReason) {
        let reason = match *error.into_kind() {
            crate::ErrorKind::Pause(request) => PauseReason::Host(request),
            crate::ErrorKind::Trap(trap) if trap.code() == TrapCode::Interrupt => PauseReason::Interrupted,
            _ => PauseReason::OutOfFuel,
        };
        let host = self.host_pause.take().filter(|_| matches!(reason, PauseReason::Host(_)));
        if host.is_none() {
            // The instruction stopped before it did anything: it runs again; or it was a
            // backward branch, which had done everything but the jump.
            self.ip = self.resume_at.take().unwrap_or(self.ip - 1);
        }
        let start = self.entry_base;
        let mut end = self.base + self.compiled().frame_size;
        let exec = &mut self.store.inner.exec;
        let frames: Vec<Frame> = exec
            .frames
            .drain(self.entry_depth..)
            .map(|mut frame| {
                // SAFETY: a suspended caller's code is a function of this store, alive.
                end = end.max(frame.base + unsafe { frame.code.get() }.frame_size);
                frame.base -= start;
                frame
            })
            .collect();
        let end = end.min(exec.cells.len());
        let state = Suspended {
            code: self.code,
            ip: self.ip,
            base: self.base - start,
            func: self.func,
            instance: self.instance,
            frames,
            cells: exec.cells[start..end].to_vec(),
            host: host.map(|(callee, at, tail)| (callee, at - start, tail)),
        };
        (state, reason)
    }

    /// Puts `state` back on the stacks with its first frame at `base`, the host function's
    /// results (if it paused on a host request) in place, and runs it on.
    pub(super) fn resume<T>(
        store: &mut Store<T>,
        state: Suspended,
        base: usize,
        host_results: &[Cell],
    ) -> Result<Option<(Suspended, PauseReason)>> {
        let exec = &mut store.inner.exec;
        exec.reserve(base + state.cells.len()).map_err(Trap::new)?;
        exec.cells[base..base + state.cells.len()].copy_from_slice(&state.cells);
        let depth = exec.frames.len();
        for mut frame in state.frames {
            frame.base += base;
            if let Err(code) = exec.push_frame(frame) {
                exec.frames.truncate(depth);
                return Err(Trap::new(code).into());
            }
        }
        let mut executor = Executor::new(store, base, true);
        executor.entry_depth = depth;
        executor.code = state.code;
        executor.ip = state.ip;
        executor.base = base + state.base;
        executor.func = state.func;
        executor.set_instance(state.instance);
        let mut tail = false;
        if let Some((_, at, is_tail)) = state.host {
            let at = base + at;
            let Some(cells) = executor.store.inner.exec.cells.get_mut(at..at + host_results.len()) else {
                executor.store.inner.exec.frames.truncate(depth);
                return Err(Error::usage("internal error: a paused host call's results lie outside its frame"));
            };
            cells.copy_from_slice(host_results);
            tail = is_tail;
        }
        // A tail call to the host returns from the function that made it.
        let outcome = match tail {
            true => match executor.return_to_caller() {
                super::interp::Flow::Done => Ok(()),
                _ => executor.execute(),
            },
            false => executor.execute(),
        };
        executor.finish(outcome)
    }
}
