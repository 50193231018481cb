//! An activation of the interpreter and its slow paths: entering functions, calls and tail
//! calls the handlers hand over (host functions, other instances, first calls of lazily
//! translated code), returns that leave the activation, tables, bulk memory, growth, and
//! unwinding on a trap. The hot loop is in `threaded.rs`, driven by `dispatch.rs`.
//!
//! See the module documentation of [`super`] for the frame protocol this implements.

use super::values::CellValue;
use super::{CodeRef, CompiledFunc};
use crate::bytecode::Slot;
use crate::cell::{Cell, ref_index};
use crate::error::{Error, FrameInfo, Result, Trap, TrapCode};
use crate::store::{FuncEntity, Store, StoreInner};

/// What the loop does after a call or return.
pub(super) enum Flow {
    Continue,
    /// The activation's first frame returned.
    Done,
    /// A thrown exception was caught: the running function, instruction and frame are the
    /// handler's, wherever the throw happened.
    Caught,
}

/// The store an activation runs on, without its data type: the engine's state (`inner`), which
/// the interpreter works on throughout, and the whole `Store<T>`, erased, for the one thing
/// that needs `T`, calling a host function (with a `Caller<T>`, in the code made for its
/// closure: `host.rs`). So the interpreter's code is the same for every `T`: an embedder
/// with stores of two data types (the CLI runs programs in `Store<WasiCtx>` and spec scripts
/// in `Store<()>`) links it once.
pub(super) struct ActiveStore<'s> {
    pub(super) inner: &'s mut StoreInner,
    /// `inner`'s place, and the whole store, as raw pointers derived from the
    /// `&'s mut Store<T>` the activation was given, which it holds until it ends.
    inner_at: *mut StoreInner,
    whole: *mut (),
}

impl<'s> ActiveStore<'s> {
    pub(super) fn new<T>(store: &'s mut Store<T>) -> ActiveStore<'s> {
        let whole: *mut Store<T> = store;
        // SAFETY: `whole` comes from a live exclusive reference, held (as `whole`) for `'s`.
        let inner_at = unsafe { core::ptr::addr_of_mut!((*whole).inner) };
        // SAFETY: as above; `inner` is the one reference to the store's engine state while
        // the activation lives, but during a host call (see `call_host`).
        let inner = unsafe { &mut *inner_at };
        ActiveStore { inner, inner_at, whole: whole.cast() }
    }

    /// Calls host function `host` of the store on the value-stack cells at `at` (parameters
    /// in, results out; see `HostFunc`), as called from `instance` (if any).
    pub(super) fn call_host(&mut self, host: u32, instance: Option<u32>, at: usize) -> Result<()> {
        let instance = instance.unwrap_or(crate::func::NO_INSTANCE);
        // SAFETY: `whole` and `inner_at` were made together from one `Store<T>` (`new`). The
        // call borrows the whole store afresh, which ends the borrow `inner` was: `inner` is
        // not used during the call, and is derived again below before it is used again.
        let outcome = unsafe { super::host::call(self.whole, self.inner_at, host, instance, at) };
        // SAFETY: `inner_at` is the engine state of the store the activation holds (`new`),
        // and the host call's borrow of the store has ended.
        self.inner = unsafe { &mut *self.inner_at };
        outcome
    }
}

/// One activation of the interpreter. Between instructions the running function's state is
/// in `execute`'s locals (see `dispatch.rs`); these fields hold it whenever a slow path runs.
pub(super) struct Executor<'s> {
    pub(super) store: ActiveStore<'s>,
    /// The frame-stack depth when this activation began: returning to it ends the run.
    pub(super) entry_depth: usize,
    pub(super) code: CodeRef,
    /// The index of the next instruction.
    pub(super) ip: usize,
    /// The frame base, in cells.
    pub(super) base: usize,
    pub(super) instance: u32,
    pub(super) func: u32,
    /// The store index of the running instance's memory 0, if it has one.
    pub(super) memory: Option<u32>,
    /// Whether the running instance's code has accesses in the named form
    /// (`InstanceEntity::named_memories`): only then are its memories' views kept.
    pub(super) named_memories: bool,
    /// Where this activation's first frame starts (the value-stack cell of its arguments).
    pub(super) entry_base: usize,
    /// Whether the activation pauses rather than traps when fuel runs out or the epoch
    /// deadline passes, and when a host function asks it to (`suspend.rs`).
    pub(super) resumable: bool,
    /// Set when the interpreter itself ran out of fuel or reached the deadline (not a host
    /// function returning such a trap): the instruction before `ip` can run again.
    pub(super) stopped_before: bool,
    /// Where to go on when resumed, if not at the instruction that stopped: the target of a
    /// backward branch stopped at the epoch deadline (`FastCtx::resume_at`).
    pub(super) resume_at: Option<usize>,
    /// A host function's pause request: the callee, the cell where its results go, and
    /// whether it was a tail call.
    pub(super) host_pause: Option<(u32, usize, bool)>,
}

impl<'s> Executor<'s> {
    /// Runs wasm function `func` (a store index) whose arguments are at `base`. A
    /// `resumable` activation returns its state when it pauses (`suspend.rs`).
    pub(super) fn run<T>(
        store: &'s mut Store<T>,
        func: u32,
        base: usize,
        resumable: bool,
    ) -> Result<Option<(super::suspend::Suspended, super::suspend::PauseReason)>> {
        let mut exec = Executor::new(store, base, resumable);
        let outcome = match exec.enter(func, base) {
            Ok(()) => exec.execute(),
            Err(e) => Err(e),
        };
        exec.finish(outcome)
    }

    /// An activation whose first frame starts at `base`, not running anything yet.
    pub(super) fn new<T>(store: &'s mut Store<T>, base: usize, resumable: bool) -> Executor<'s> {
        let entry_depth = store.inner.exec.frames.len();
        Executor {
            store: ActiveStore::new(store),
            entry_depth,
            code: CodeRef(core::ptr::null()),
            ip: 0,
            base,
            instance: 0,
            func: 0,
            memory: None,
            named_memories: false,
            entry_base: base,
            resumable,
            stopped_before: false,
            resume_at: None,
            host_pause: None,
        }
    }

    /// The end of an activation: a pause (resumable activations only), or an error with its
    /// backtrace, this activation's frames dropped. A pause request that cannot pause is
    /// the host function's error.
    pub(super) fn finish(
        &mut self,
        outcome: Result<()>,
    ) -> Result<Option<(super::suspend::Suspended, super::suspend::PauseReason)>> {
        let Err(error) = outcome else { return Ok(None) };
        let pauses = if error.is_pause() { self.host_pause.is_some() } else { self.stopped_before };
        if self.resumable && pauses {
            return Ok(Some(self.suspend(error)));
        }
        let error = if error.is_pause() { Trap::host(error).into() } else { error };
        Err(self.unwind(error))
    }

    /// Attaches the backtrace to a trap and drops this activation's frames.
    ///
    /// The backtrace keeps at most `Trap::MAX_BACKTRACE` frames (across the nested
    /// activations a trap unwinds through): the innermost half and the outermost half, with
    /// the count of those left out between, so a trap in a deep recursion costs time and
    /// memory for a thousand frames, not for the recursion's depth.
    fn unwind(&mut self, mut error: Error) -> Error {
        const HEAD: usize = Trap::MAX_BACKTRACE / 2;
        const TAIL: usize = Trap::MAX_BACKTRACE - HEAD;
        let Some(trap) = error.as_trap() else {
            return self.discard_frames(error);
        };
        let mut list = trap.backtrace().to_vec();
        let mut omitted = trap.omitted_frames();
        let depth = self.store.inner.exec.frames.len() - self.entry_depth;
        // This activation's frames, innermost first: the running function, then its callers.
        let n = 1 + depth;
        let mut i = 0;
        while list.len() < HEAD && i < n {
            list.push(self.frame_at(i));
            i += 1;
        }
        let remaining = n - i;
        let tail_now = list.len().saturating_sub(HEAD);
        if tail_now + remaining > TAIL {
            let mut drop = tail_now + remaining - TAIL;
            let from_list = drop.min(tail_now);
            list.drain(HEAD..HEAD + from_list);
            drop -= from_list;
            omitted += from_list + drop;
            i += drop;
        }
        for j in i..n {
            list.push(self.frame_at(j));
        }
        if let crate::error::ErrorKind::Trap(t) = error.kind_mut() {
            t.set_backtrace(list, omitted);
        }
        self.discard_frames(error)
    }

    fn discard_frames(&mut self, error: Error) -> Error {
        self.store.inner.exec.frames.truncate(self.entry_depth);
        error
    }

    /// Frame `i` of this activation, innermost first (0: the running function, whose `ip`
    /// is past the instruction that trapped; then the suspended callers, each past its call).
    fn frame_at(&self, i: usize) -> FrameInfo {
        let (func, code, next) = if i == 0 {
            (self.func, self.code, self.ip)
        } else {
            let frames = &self.store.inner.exec.frames;
            let frame = frames[frames.len() - i];
            // SAFETY: a suspended caller's code belongs to `self.store`, which is alive.
            (frame.func, frame.code, unsafe { frame.ip() })
        };
        let offset = if code.0.is_null() {
            None
        } else {
            // SAFETY: the running function's and the suspended callers' code belong to
            // `self.store`, which is alive.
            next.checked_sub(1).and_then(|at| unsafe { code.get() }.module_offset(at))
        };
        self.frame_info(func, offset)
    }

    fn frame_info(&self, func: u32, offset: Option<usize>) -> FrameInfo {
        match &self.store.inner.funcs[func as usize] {
            FuncEntity::Wasm { instance, def_index, .. } => {
                let module = &self.store.inner.instances[*instance as usize].module;
                let func_index = module.num_imported_funcs + def_index;
                let mut frame =
                    FrameInfo::new(func_index, module.func_name(func_index).map(alloc::string::String::from), offset);
                frame.func_offset = offset.zip(module.bodies.get(*def_index as usize))
                    .and_then(|(at, body)| at.checked_sub(body.range.start));
                frame.instance = Some(crate::Instance { store: self.store.inner.id, index: *instance });
                frame
            }
            FuncEntity::Host { .. } => FrameInfo::new(func, None, None),
        }
    }

    // --- frame switching ----------------------------------------------------------------

    /// Makes wasm function `func` (store index) the running function, with its frame at
    /// `base` and its arguments already there.
    pub(super) fn enter(&mut self, func: u32, base: usize) -> Result<()> {
        let FuncEntity::Wasm { instance, def_index, code: cached, .. } =
            self.store.inner.funcs[func as usize]
        else {
            unreachable!("enter is only called for wasm functions");
        };
        let code_ref = match cached {
            Some(code) => code,
            None => {
                let module = &self.store.inner.instances[instance as usize].module;
                let code = CodeRef::new(module.compiled(def_index)?);
                if let FuncEntity::Wasm { code: slot, .. } = &mut self.store.inner.funcs[func as usize] {
                    *slot = Some(code);
                }
                code
            }
        };
        // SAFETY: `code_ref` was just taken from a function of `self.store`, which is alive.
        let code = unsafe { code_ref.get() };
        let (num_params, num_locals, frame_size) = (code.num_params, code.num_locals, code.frame_size);
        let exec = &mut self.store.inner.exec;
        exec.reserve(base + frame_size).map_err(Trap::new)?;
        // (Most entered functions declare few locals or none: not worth a `memset` call.)
        for cell in &mut exec.cells[base + num_params..base + num_locals] {
            *cell = 0;
        }
        self.code = code_ref;
        self.ip = 0;
        self.base = base;
        self.func = func;
        self.set_instance(instance);
        Ok(())
    }

    /// The running function's code.
    pub(super) fn compiled(&self) -> &CompiledFunc {
        // SAFETY: `self.code` is always the code of a function of `self.store` (set by `enter`,
        // `return_to_caller` and `take_over` from the store's functions and frames), and the
        // store outlives this borrow.
        unsafe { self.code.get() }
    }

    pub(super) fn set_instance(&mut self, instance: u32) {
        self.instance = instance;
        let entity = &self.store.inner.instances[instance as usize];
        self.memory = entity.memories.first().copied();
        self.named_memories = entity.named_memories;
    }

    /// Takes the fuel `cost` says the instruction being run costs beyond its segment's
    /// (bulk lengths, growth, host calls: `FuelCosts`), before the instruction does
    /// anything, so that running out leaves everything as it was and a resumed call runs
    /// the instruction again. Nothing when fuel is not metered.
    #[inline]
    pub(super) fn charge(&mut self, cost: impl FnOnce(&crate::fuel::FuelCosts) -> u64) -> Result<(), TrapCode> {
        let inner = &mut self.store.inner;
        if !inner.exec.metering {
            return Ok(());
        }
        let amount = cost(&inner.engine.config().fuel_costs);
        if !inner.exec.take_fuel(amount) {
            self.stopped_before = true;
            return Err(TrapCode::OutOfFuel);
        }
        Ok(())
    }

    /// Calls host function `host` (store function `callee`) with the parameters at `params`
    /// and writes its results at `results` (cell indices). The host function finds its
    /// parameters in place and writes its results over them (`HostFunc`); they are moved to
    /// `results` after, if that is elsewhere (a tail call's, to the frame it replaces).
    #[cfg_attr(feature = "fast", inline(always))]
    pub(super) fn call_host(&mut self, callee: u32, host: u32, params: usize, results: usize) -> Result<()> {
        let ty = self.store.inner.funcs[callee as usize].ty();
        let (num_params, num_results) = (ty.param_cells(), ty.result_cells());
        // Re-entrant calls from the host start above the running frame and the values.
        let frame_end = self.base + self.compiled().frame_size;
        let exec = &mut self.store.inner.exec;
        let saved_top = exec.top;
        exec.top = frame_end.max(params + num_params.max(num_results));
        // A collection during the call must see this frame (`stack_roots`); only a function
        // with stack maps can hold what it would look for.
        let tracked = !self.compiled().stack_maps.is_empty();
        if tracked {
            self.store.inner.exec.host_callers.push((self.code, self.ip, self.base));
        }
        let outcome = self.store.call_host(host, Some(self.instance), params);
        if tracked {
            self.store.inner.exec.host_callers.pop();
        }
        let exec = &mut self.store.inner.exec;
        exec.top = saved_top;
        match outcome {
            Ok(()) => {
                if results != params {
                    // (Most often one value: not worth a `memmove` call.)
                    for k in 0..num_results {
                        exec.cells[results + k] = exec.cells[params + k];
                    }
                }
                Ok(())
            }
            Err(e) => Err(host_failure(e)),
        }
    }

    // --- operand access -------------------------------------------------------------------

    #[inline(always)]
    pub(super) fn get<V: CellValue>(&self, slot: Slot) -> V {
        V::from_cell(self.store.inner.exec.cells[self.base + slot as usize])
    }

    #[inline(always)]
    pub(super) fn set<V: CellValue>(&mut self, slot: Slot, value: V) {
        self.store.inner.exec.cells[self.base + slot as usize] = value.into_cell();
    }

    /// Resolves the target of an indirect call, checking it has type `ty`.
    pub(super) fn indirect_callee(&self, index: Slot, table: u16, ty: u32) -> Result<u32, TrapCode> {
        let t = self.table_index(table.into());
        let i = self.get::<u32>(index) as usize;
        let inner = &self.store.inner;
        let cell = *inner.tables[t].elems.get(i).ok_or(TrapCode::TableOutOfBounds)?;
        let callee = ref_index(cell).ok_or(TrapCode::IndirectCallToNull)?;
        let expected = &inner.instances[self.instance as usize].module.types[ty as usize];
        // Equal types, or (GC) the callee's type declared below the expected one: the
        // handlers' fast path takes only the first, so a subtype's call comes here.
        if !inner.funcs[callee as usize].ty().is_subtype_of(expected) {
            return Err(TrapCode::BadSignature);
        }
        Ok(callee)
    }

    /// The function a `call_ref` reaches through the reference in `slot`.
    pub(super) fn ref_callee(&self, slot: Slot) -> Result<u32, TrapCode> {
        let callee = ref_index(self.get::<Cell>(slot)).ok_or(TrapCode::NullFunctionReference)?;
        // A reference in a slot of reference type is always a store function's; checked all
        // the same, as every index the slow path takes from a slot is.
        match self.store.inner.funcs.get(callee as usize) {
            Some(_) => Ok(callee),
            None => Err(TrapCode::NullFunctionReference),
        }
    }

    pub(super) fn func_index(&self, func: u32) -> u32 {
        self.store.inner.instances[self.instance as usize].funcs[func as usize]
    }
}

/// A host function's error as the trap it causes: its own trap if it returned one.
#[cold]
fn host_failure(e: Error) -> Error {
    if e.as_trap().is_some() || e.as_exception().is_some() || e.is_pause() { e } else { Trap::host(e).into() }
}
