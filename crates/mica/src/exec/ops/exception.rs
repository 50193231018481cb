//! Exceptions: `throw` and `throw_ref` (slow paths), and how a thrown exception finds its
//! handler (`Executor::throw`).
//!
//! A `try_table` costs nothing while nothing is thrown: it is not an instruction. The
//! translator lists its catch clauses beside the code (`CompiledFunc::catches`: the range of
//! instructions the body became, the tag, and a landing pad that takes the values to the
//! clause's label as a `br` would), innermost first. A throw looks the throwing instruction
//! up in the running function's list; if no clause covers it and matches the tag, it leaves
//! the function exactly as a `return` does (`return_to_caller`) and looks up the caller's
//! call instruction in the caller's list, and so on. Each frame skipped costs one look at
//! its function's clauses (none for a function without `try_table`), never a scan of its
//! code. Past the activation's first frame the exception leaves the activation as an error
//! holding it (`ErrorKind::Exception`), which the host call that began the activation
//! receives; if that host function returns it (or throws one of its own), the throw goes on
//! from the call in the wasm code that called the host (`Executor::call_host_at`). Traps are
//! errors of another kind and never reach a handler.

use super::prelude::*;
use crate::exception::ExnRef;

impl Slow<Throw> for kind::Throw {
    fn run(exec: &mut Executor<'_>, o: Throw) -> Result<Flow> {
        let inner = &mut exec.store.inner;
        let tag = inner.instances[exec.instance as usize].tags[o.tag as usize];
        let n = inner.tags[tag as usize].ty.func_type().param_cells();
        let from = exec.base + o.args as usize;
        let payload = inner.exec.cells.get(from..from + n).ok_or(TrapCode::StackOverflow)?.to_vec();
        let exn = inner.new_exception(tag, payload)?;
        exec.throw(exn)
    }
}

impl Slow<ThrowRef> for kind::ThrowRef {
    fn run(exec: &mut Executor<'_>, o: ThrowRef) -> Result<Flow> {
        let exn = crate::cell::ref_index(exec.get::<Cell>(o.exn)).ok_or(TrapCode::NullReference)?;
        if exn as usize >= exec.store.inner.exns.len() {
            return Err(Error::usage("internal error: an exception reference to nothing"));
        }
        exec.throw(exn)
    }
}

impl Executor<'_> {
    /// Throws exception `exn` (a store index) from the instruction before `self.ip`: lands
    /// in the innermost handler of this activation that catches it (`Flow::Caught`: the
    /// executor's state is the handler's), or leaves the activation with it as the error.
    pub(in crate::exec) fn throw(&mut self, exn: u32) -> Result<Flow> {
        let tag = self.store.inner.exns[exn as usize].tag;
        loop {
            let at = self.ip.wrapping_sub(1) as u32;
            if let Some(handler) = self.find_catch(at, tag) {
                return self.land(handler, exn);
            }
            if let Flow::Done = self.return_to_caller() {
                // It leaves this activation: whoever receives it may keep it.
                self.store.inner.exns[exn as usize].held = true;
                return Err(ExnRef { store: self.store.inner.id, index: exn }.into());
            }
        }
    }

    /// The handler of the running function's first catch clause that covers instruction
    /// `at` and catches store tag `tag`, following `delegate`s.
    fn find_catch(&self, at: u32, tag: u32) -> Option<Handler> {
        let tags = &self.store.inner.instances[self.instance as usize].tags;
        let catches = &self.compiled().catches;
        let mut i = 0;
        while let Some(c) = catches.get(i) {
            i += 1;
            if !(c.start..c.end).contains(&at) {
                continue;
            }
            match c.kind {
                // Forward only, so the search ends.
                CatchKind::Delegate { resume } => i = i.max(resume as usize),
                CatchKind::Land { tag: None, pad, slot, exn } => {
                    return Some(Handler { pad, values: false, slot, exn });
                }
                CatchKind::Land { tag: Some(t), pad, slot, exn } if tags.get(t as usize) == Some(&tag) => {
                    return Some(Handler { pad, values: true, slot, exn });
                }
                CatchKind::Land { .. } => {}
            }
        }
        None
    }

    /// Continues at `handler`'s pad with exception `exn`'s values and reference where it
    /// wants them.
    fn land(&mut self, handler: Handler, exn: u32) -> Result<Flow> {
        let outside = || Error::usage("internal error: a catch clause's values outside its frame");
        let code_len = self.compiled().code.len();
        let frame_end = self.base + self.compiled().frame_size;
        let inner = &mut self.store.inner;
        let mut at = self.base + handler.slot as usize;
        if handler.values {
            let payload = &inner.exns[exn as usize].payload;
            let end = at + payload.len();
            if end > frame_end {
                return Err(outside());
            }
            inner.exec.cells.get_mut(at..end).ok_or_else(outside)?.copy_from_slice(payload);
            at = end;
        }
        let reference = match handler.exn {
            ExnAt::Nowhere => None,
            ExnAt::AfterValues => Some(at),
            ExnAt::Slot(slot) => Some(self.base + slot as usize),
        };
        match reference {
            Some(at) => {
                if at >= frame_end {
                    return Err(outside());
                }
                *inner.exec.cells.get_mut(at).ok_or_else(outside)? = ref_cell(exn);
                inner.exns[exn as usize].held = true;
            }
            // Caught, and nothing refers to it: the next `throw` may reuse it.
            None if !inner.exns[exn as usize].held => inner.exn_free.push(exn),
            None => {}
        }
        if handler.pad as usize >= code_len {
            return Err(Error::usage("internal error: a catch clause's landing pad outside the code"));
        }
        self.ip = handler.pad as usize;
        Ok(Flow::Caught)
    }
}

/// Where a throw lands: a catch clause's pad, whether it takes the exception's values (into
/// `slot..`), and where it wants the reference.
#[derive(Copy, Clone)]
struct Handler {
    pad: u32,
    values: bool,
    slot: Slot,
    exn: ExnAt,
}
