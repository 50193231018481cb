//! Resumable calls: a call that pauses, rather than fails, when its fuel runs out, when the
//! epoch deadline passes, or when a host function asks it to, and that the embedder resumes
//! where it stopped. How the interpreter pauses and resumes is in `exec/suspend.rs`.

use crate::error::{Error, Result};
use crate::exec::{PauseReason, Paused};
use crate::func::Func;
use crate::store::{AsContextMut, Store, StoreId};
use crate::types::{FuncType, ValType};
use crate::value::Val;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// How a resumable call ([`Func::call_resumable`], [`PausedCall::resume`]) returned.
#[derive(Debug)]
pub enum ResumableCall {
    /// The call finished: its results are in the slice given for them.
    Finished,
    /// The call paused; resume it with [`PausedCall::resume`].
    Paused(PausedCall),
}

/// A call that paused before it finished ([`PausedCall::reason`] says why). Its state is
/// kept by its store, which may be used for anything meanwhile (other calls, other paused
/// calls, collections); [`PausedCall::resume`] goes on exactly where it stopped. Dropping
/// the handle abandons the call: the store frees its state (and whatever only it kept
/// alive) at its next pause or collection.
#[derive(Debug)]
pub struct PausedCall {
    store: StoreId,
    slot: usize,
    token: Arc<()>,
    /// The type of the function called.
    ty: FuncType,
    reason: PauseReason,
    /// After a host function's pause request: its result types.
    host_results: Vec<ValType>,
}

impl Func {
    /// Calls the function as [`Func::call`] does, except that running out of fuel
    /// (`Config::consume_fuel`), reaching the epoch deadline (`Config::epoch_interruption`)
    /// and a host function's [`Error::pause`] pause the call instead of failing it: it then
    /// returns [`ResumableCall::Paused`]. Only this activation pauses: wasm that a host
    /// function calls back into traps as usual.
    ///
    /// ```
    /// use mica::{Config, Engine, Linker, Module, PauseReason, ResumableCall, Store, Val};
    ///
    /// let mut config = Config::new();
    /// config.consume_fuel(true);
    /// let engine = Engine::new(&config);
    /// let module = Module::new(&engine, r#"
    ///     (module (func (export "sum") (param $n i64) (result i64) (local $s i64)
    ///       (loop $l
    ///         (local.set $s (i64.add (local.get $s) (local.get $n)))
    ///         (br_if $l (i64.ne (local.tee $n (i64.sub (local.get $n) (i64.const 1))) (i64.const 0))))
    ///       (local.get $s)))
    /// "#)?;
    /// let mut store = Store::new(&engine, ());
    /// let sum = Linker::new(&engine).instantiate(&mut store, &module)?.get_func(&store, "sum").unwrap();
    /// let mut result = [Val::I64(0)];
    /// store.set_fuel(1000)?;
    /// let mut call = sum.call_resumable(&mut store, &[Val::I64(10_000)], &mut result)?;
    /// while let ResumableCall::Paused(paused) = call {
    ///     assert!(matches!(paused.reason(), PauseReason::OutOfFuel));
    ///     store.set_fuel(1000)?; // a time slice: other work could run here
    ///     call = paused.resume(&mut store, &[], &mut result)?;
    /// }
    /// assert_eq!(result[0].as_i64(), Some(50_005_000));
    /// # Ok::<(), mica::Error>(())
    /// ```
    pub fn call_resumable<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall> {
        let store = store.as_context_mut().0;
        store.check_owner(self.store)?;
        let ty = store.inner.funcs[self.index as usize].ty().clone();
        let mut cells = crate::exec::typed_cells(&store.inner, &ty, params, results.len())?;
        let paused = crate::exec::run_cells(store, self.index, &mut cells, true)?;
        Ok(outcome(store, paused, ty, &cells, results))
    }
}

impl PausedCall {
    /// Why the call paused.
    pub fn reason(&self) -> &PauseReason {
        &self.reason
    }

    /// The types of the values [`PausedCall::resume`] must supply: the results of the host
    /// function that asked to pause, or none.
    pub fn host_result_types(&self) -> &[ValType] {
        &self.host_results
    }

    /// Goes on with the call where it paused: after a host function's pause request, with
    /// `host_results` as that function's results (else `host_results` is empty). Writes the
    /// call's results to `results` if it finishes; it may pause again. A trap is the call's
    /// error, as with [`Func::call`]. Fails without resuming if `store` is not the call's
    /// or the values do not match their types; the call is then abandoned.
    pub fn resume<T>(
        self,
        mut store: impl AsContextMut<Data = T>,
        host_results: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall> {
        let store = store.as_context_mut().0;
        store.check_owner(self.store)?;
        if !crate::exec::values_match(&store.inner, host_results, &self.host_results) {
            return Err(Error::usage(alloc::format!(
                "the values to resume with do not match the paused host function's results {:?}",
                self.host_results
            )));
        }
        if results.len() != self.ty.results().len() {
            return Err(Error::usage(alloc::format!(
                "{} result slots given for a function of type {}",
                results.len(),
                self.ty
            )));
        }
        let mut host_cells: Vec<crate::cell::Cell> = alloc::vec![0; self.host_results.iter().map(|t| t.cells()).sum()];
        crate::exec::write_values(&store.inner, host_results, &mut host_cells)?;
        let state = store
            .inner
            .exec
            .suspended
            .take(self.slot, &self.token)
            .ok_or_else(|| Error::usage("internal error: the paused call's state is gone"))?;
        let mut cells = alloc::vec![0; self.ty.result_cells()];
        let paused = crate::exec::resume_cells(store, state, &host_cells, &mut cells)?;
        Ok(outcome(store, paused, self.ty, &cells, results))
    }
}

/// A resumable call's outcome: its results, or a handle on its paused state, kept in the
/// store.
fn outcome<T>(store: &mut Store<T>, paused: Option<Paused>, ty: FuncType, cells: &[crate::cell::Cell], results: &mut [Val]) -> ResumableCall {
    let Some((state, reason)) = paused else {
        crate::exec::read_results(&store.inner, ty.results(), cells, results);
        return ResumableCall::Finished;
    };
    let host_results = match state.host {
        Some((callee, ..)) => store.inner.funcs[callee as usize].ty().results().to_vec(),
        None => Vec::new(),
    };
    let (slot, token) = store.inner.exec.suspended.insert(state);
    ResumableCall::Paused(PausedCall { store: store.inner.id, slot, token, ty, reason, host_results })
}
