//! Execution: the value and frame stacks, calls in and out of wasm, and the interpreter.
//!
//! # The frame protocol
//!
//! One protocol covers every way control moves between functions:
//!
//! - **State lives in the interpreter, not in frames.** The running function's code,
//!   instruction pointer, frame base and instance are the handlers' arguments and
//!   `threaded::FastCtx` while code runs, and fields of [`interp::Executor`] while a slow
//!   path runs (`dispatch::run_slow` hands them over in both directions). The frame
//!   stack holds only *suspended callers*: a `Frame` is pushed by a call and popped by the
//!   matching return, and is never read at any other time.
//! - **Frames are windows on one value stack.** A callee's frame starts where the caller put
//!   the arguments, so arguments are passed in place and results come back in place.
//! - **Wasm calls never recurse on the Rust stack.** `call`, `call_indirect` push a `Frame` and
//!   switch state; `return` pops one and switches back (in the handlers for functions of the
//!   running instance, in the executor's slow path otherwise — the same steps either way).
//! - **Tail calls reuse the frame.** `return_call*` to a wasm function copies the arguments to
//!   the frame base and switches the running function; nothing is pushed. A tail call to a
//!   host function calls the host with the arguments, writes the host's results at the frame
//!   base, and then performs an ordinary return — from the state of the suspended caller,
//!   which is live on the frame stack. No state is ever read back from the released frame.
//! - **Host calls borrow nothing.** Before calling a host function the interpreter records
//!   the top of the current frame (`ExecStack::top`) so that re-entrant calls from the host
//!   start above it; after the host returns it re-reads everything it needs from the store.
//! - **Traps unwind by truncation.** A trap collects the backtrace from the live frames and
//!   truncates the frame stack back to where this activation of the interpreter began;
//!   the store stays usable.

mod dispatch;
mod host;
mod interp;
mod suspend;
#[macro_use]
mod threaded;
mod ops;
mod values;
mod wide;

pub(crate) use host::{HostCall, Typed};
pub(crate) use ops::in_bounds;
pub use suspend::PauseReason;
#[cfg(feature = "pair-stats")]
pub use threaded::pair_stats;
pub(crate) use suspend::{Suspended, SuspendedCalls};
pub(crate) use threaded::{Op, decode};

use crate::engine::Config;
use crate::error::{Error, Result, Trap, TrapCode};
use crate::store::{FuncEntity, Store};
use crate::bytecode::Bytecode;
use alloc::boxed::Box;
use crate::cell::Cell;
use crate::value::Val;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

/// How many host→wasm re-entries may nest, whatever native stack they take.
const MAX_NESTED_ACTIVATIONS: u32 = 10_000;

/// A suspended caller: where to continue when the callee returns.
#[derive(Debug, Copy, Clone)]
pub(crate) struct Frame {
    pub code: CodeRef,
    /// The instruction to continue at, in `code`: a pointer rather than an index, so that a
    /// return jumps there without arithmetic and without waiting for `code`'s loads
    /// (`Frame::ip` gives the index).
    pub ret: *const Op,
    /// The caller's frame base, in cells.
    pub base: usize,
    pub instance: u32,
    /// The caller's store function index, for backtraces.
    pub func: u32,
}

// SAFETY: `ret` points into `code`'s instructions, immutable shared data that the store
// keeps alive, as for `CodeRef`.
unsafe impl Send for Frame {}
// SAFETY: as above.
unsafe impl Sync for Frame {}

impl Frame {
    /// A caller's frame that continues at instruction `ip` of `code`.
    ///
    /// # Safety
    ///
    /// As for `CodeRef::get`, and `ip` is at most the number of `code`'s instructions.
    pub(crate) unsafe fn at(code: CodeRef, ip: usize, base: usize, instance: u32, func: u32) -> Frame {
        // SAFETY: the caller's contract: `ip` is inside the instructions or one past them.
        let ret = unsafe { code.get().code.as_ptr().add(ip) };
        Frame { code, ret, base, instance, func }
    }

    /// The index of the instruction to continue at.
    ///
    /// # Safety
    ///
    /// As for `CodeRef::get`.
    pub(crate) unsafe fn ip(&self) -> usize {
        // SAFETY: the caller's contract keeps the code alive; `ret` points into it (or one
        // past its end), which every way of making a frame ensures.
        unsafe { self.ret.offset_from(self.code.get().code.as_ptr()) as usize }
    }
}

/// A function ready to run: its verified bytecode, each instruction paired with its
/// handler. Owned by its module (`ModuleInner::bodies`).
pub(crate) struct CompiledFunc {
    pub code: Box<[Op]>,
    /// 64-bit constants that `Const64` instructions load.
    pub consts: Box<[Cell]>,
    /// Each instruction that may trap (calls included) and its module offset.
    pub traps: Box<[(u32, u32)]>,
    /// The `try_table` catch clauses, innermost first (`bytecode::Catch`).
    pub catches: Box<[crate::bytecode::Catch]>,
    pub num_params: usize,
    /// Parameters plus declared locals.
    pub num_locals: usize,
    /// Cells the frame needs.
    pub frame_size: usize,
    /// Where the frame holds references at each collection point (`bytecode::StackMaps`).
    pub stack_maps: crate::bytecode::StackMaps,
}

impl CompiledFunc {
    /// Encodes verified bytecode for dispatch.
    pub(crate) fn new(bytecode: Bytecode<'_>) -> CompiledFunc {
        CompiledFunc {
            code: threaded::encode(bytecode.code, bytecode.forms, (bytecode.memory0_form, bytecode.memories_64), bytecode.epochs),
            consts: bytecode.consts,
            traps: bytecode.traps,
            catches: bytecode.catches,
            num_params: bytecode.num_params,
            num_locals: bytecode.num_locals,
            frame_size: bytecode.frame_size,
            stack_maps: bytecode.stack_maps,
        }
    }
}

impl CompiledFunc {
    /// The module offset of the instruction at `ip`, if it may trap or call.
    pub(crate) fn module_offset(&self, ip: usize) -> Option<usize> {
        let at = self.traps.binary_search_by_key(&(ip as u32), |&(i, _)| i).ok()?;
        Some(self.traps[at].1 as usize)
    }
}

/// A pointer to translated code.
///
/// Translated code is owned by its module (`ModuleInner::bodies`), set once and never
/// changed or freed while the module lives; every instance in a store holds its module's
/// `Arc`, and instances live as long as the store. So a `CodeRef` taken from a function of a
/// store is valid for as long as that store is.
#[derive(Debug, Copy, Clone)]
pub(crate) struct CodeRef(pub(crate) *const CompiledFunc);

impl CodeRef {
    pub(crate) fn new(code: &CompiledFunc) -> CodeRef {
        CodeRef(code)
    }

    /// The code.
    ///
    /// # Safety
    ///
    /// The store whose function this `CodeRef` was taken from is alive (see the type's
    /// documentation), and the reference is not kept past the store's life.
    pub(crate) unsafe fn get<'a>(self) -> &'a CompiledFunc {
        // SAFETY: the caller's contract: the pointee is owned by a module that the live store
        // keeps alive, and it is never mutated after translation.
        unsafe { &*self.0 }
    }
}

// SAFETY: `CompiledFunc` is immutable shared data (`Sync`); a `CodeRef` is just a shared
// reference whose lifetime the store guarantees.
unsafe impl Send for CodeRef {}
// SAFETY: as above.
unsafe impl Sync for CodeRef {}

/// What a call needs of a translated function, published beside its body once it is
/// translated (`module::FuncBody`): a direct call reads these from the body record itself, so
/// that its loads of the callee's first instruction and frame size do not wait on a load of
/// the `CompiledFunc` pointer first (`FastCtx::direct_callee`).
///
/// Written once per translation with the same values by whichever thread publishes it
/// (`publish`), read by the handlers (`get`): `func` is stored last with `Release` and loaded
/// first with `Acquire`, so a reader that sees it sees the rest.
pub(crate) struct CallEntry {
    func: AtomicPtr<CompiledFunc>,
    start: AtomicPtr<Op>,
    frame_size: AtomicU32,
    num_params: AtomicU32,
    num_locals: AtomicU32,
}

impl CallEntry {
    pub(crate) const fn new() -> CallEntry {
        CallEntry {
            func: AtomicPtr::new(core::ptr::null_mut()),
            start: AtomicPtr::new(core::ptr::null_mut()),
            frame_size: AtomicU32::new(0),
            num_params: AtomicU32::new(0),
            num_locals: AtomicU32::new(0),
        }
    }

    /// Publishes `compiled`, which the module owns and never changes, as this body's
    /// translation. A function whose sizes do not fit 32 bits is left unpublished: its calls
    /// take the slow path (`Executor::call`).
    pub(crate) fn publish(&self, compiled: &CompiledFunc) {
        let (Ok(frame_size), Ok(num_params), Ok(num_locals)) = (
            u32::try_from(compiled.frame_size),
            u32::try_from(compiled.num_params),
            u32::try_from(compiled.num_locals),
        ) else {
            return;
        };
        self.start.store(compiled.code.as_ptr().cast_mut(), Ordering::Relaxed);
        self.frame_size.store(frame_size, Ordering::Relaxed);
        self.num_params.store(num_params, Ordering::Relaxed);
        self.num_locals.store(num_locals, Ordering::Relaxed);
        self.func.store((compiled as *const CompiledFunc).cast_mut(), Ordering::Release);
    }

    /// The published translation, if there is one.
    #[inline(always)]
    pub(crate) fn get(&self) -> Option<Callee> {
        let func = self.func.load(Ordering::Acquire);
        (!func.is_null()).then_some(Callee { code: CodeRef(func), entry: self })
    }

    // The fields, read where a call uses them: once `get` has seen `func`, they hold what
    // `publish` stored.

    #[inline(always)]
    pub(crate) fn start(&self) -> *const Op {
        self.start.load(Ordering::Relaxed)
    }

    #[inline(always)]
    pub(crate) fn frame_size(&self) -> usize {
        self.frame_size.load(Ordering::Relaxed) as usize
    }

    /// The frame's declared locals, after its parameters: the slots a call zeroes.
    #[inline(always)]
    pub(crate) fn locals(&self) -> core::ops::Range<usize> {
        self.num_params.load(Ordering::Relaxed) as usize..self.num_locals.load(Ordering::Relaxed) as usize
    }

    #[inline(always)]
    pub(crate) fn num_params(&self) -> usize {
        self.num_params.load(Ordering::Relaxed) as usize
    }
}

/// A published translated function as a call enters it: its code, and its `CallEntry`, whose
/// fields the call reads where it uses them (so that they are not all held in registers
/// across the call's other work).
#[derive(Copy, Clone)]
pub(crate) struct Callee {
    pub code: CodeRef,
    entry: *const CallEntry,
}

impl Callee {
    /// The entry.
    ///
    /// # Safety
    ///
    /// As for `CodeRef::get`: the entry is its module's, which the live store keeps alive.
    #[inline(always)]
    pub(crate) unsafe fn entry<'a>(self) -> &'a CallEntry {
        // SAFETY: the caller's contract; a published entry is never changed again but for
        // stores of the same values.
        unsafe { &*self.entry }
    }
}

/// Value-stack cells and frames a new store starts with.
const INITIAL_CELLS: usize = 1024;
const INITIAL_FRAMES: usize = 16;

/// The store's execution stacks.
pub(crate) struct ExecStack {
    pub cells: Vec<Cell>,
    pub frames: Vec<Frame>,
    /// Where a new activation's first frame starts: above every live frame.
    pub top: usize,
    pub max_cells: usize,
    pub max_frames: usize,
    /// How many interpreter activations are running (host→wasm re-entry nests them).
    pub activations: u32,
    /// The frames that called a host function and wait for it to return, when their
    /// functions have stack maps: code, the index of the instruction after the call, frame
    /// base. The frame stack holds only suspended callers of wasm calls; these are what a
    /// collection during a host call (or in wasm it re-entered) must see besides
    /// (`stack_roots`).
    pub host_callers: Vec<(CodeRef, usize, usize)>,
    /// The running instance's memories as the handlers' named accesses see them
    /// (`FastCtx::views`), re-derived with memory 0 after every slow path and host call.
    pub views: Vec<threaded::View>,
    /// The native stack address where the outermost activation began.
    pub native_base: usize,
    /// How much native stack nested activations may use below `native_base`.
    pub max_native_stack: usize,
    /// Whether fuel is metered (`Config::consume_fuel`), and the fuel left: `u64::MAX`
    /// when it is not. While handlers run, the count is in `FastCtx::fuel`.
    pub metering: bool,
    pub fuel: u64,
    /// The epoch at which running code stops (`Store::set_epoch_deadline`; `u64::MAX`: never).
    pub deadline: u64,
    /// Calls that paused and wait to be resumed (`suspend.rs`).
    pub suspended: SuspendedCalls,
}

impl ExecStack {
    pub(crate) fn new(config: &Config) -> ExecStack {
        ExecStack {
            // The first stack comes with the store (zeroed by the allocator, which is cheaper
            // than growing an empty one on the first call); it grows on demand from there.
            cells: alloc::vec![0; INITIAL_CELLS.min(config.max_stack_cells)],
            frames: Vec::with_capacity(INITIAL_FRAMES),
            top: 0,
            max_cells: config.max_stack_cells,
            max_frames: config.max_call_depth,
            activations: 0,
            host_callers: Vec::new(),
            views: Vec::new(),
            native_base: 0,
            max_native_stack: config.max_native_stack,
            metering: config.consume_fuel,
            fuel: if config.consume_fuel { 0 } else { u64::MAX },
            deadline: u64::MAX,
            suspended: SuspendedCalls::default(),
        }
    }

    /// Pushes `frame` if that needs no allocation and stays within the call-depth limit;
    /// false otherwise. (The handlers push the same way on the stack as `FastCtx` holds it:
    /// `FastCtx::push_frame`.)
    #[inline(always)]
    fn push_frame_in_place(&mut self, frame: Frame) -> bool {
        let len = self.frames.len();
        if len >= self.max_frames || len >= self.frames.capacity() {
            return false;
        }
        // SAFETY: `len < capacity`, so the slot is allocated; it is written before the length
        // covers it.
        unsafe {
            self.frames.as_mut_ptr().add(len).write(frame);
            self.frames.set_len(len + 1);
        }
        true
    }

    /// Pushes `frame`, growing the frame stack if needed; a stack overflow past the
    /// call-depth limit. The slow path's call; the handlers' is `FastCtx::push_frame`, the
    /// same push without growth.
    pub(crate) fn push_frame(&mut self, frame: Frame) -> Result<(), TrapCode> {
        if self.push_frame_in_place(frame) {
            return Ok(());
        }
        if self.frames.len() >= self.max_frames {
            return Err(TrapCode::StackOverflow);
        }
        self.frames.push(frame);
        Ok(())
    }

    /// The suspended caller a return from the running function goes to: the top frame, if
    /// it belongs to the activation that began at frame depth `entry_depth`.
    #[inline(always)]
    pub(crate) fn caller(&self, entry_depth: usize) -> Option<Frame> {
        if self.frames.len() > entry_depth { self.frames.last().copied() } else { None }
    }

    /// Takes `amount` fuel if there is that much (always, when fuel is not metered); leaves
    /// the count as it was and returns false if not.
    pub(crate) fn take_fuel(&mut self, amount: u64) -> bool {
        if !self.metering {
            return true;
        }
        let Some(left) = self.fuel.checked_sub(amount) else { return false };
        self.fuel = left;
        true
    }

    /// Makes sure cells `..end` exist.
    pub(crate) fn reserve(&mut self, end: usize) -> Result<(), TrapCode> {
        if end > self.max_cells {
            return Err(TrapCode::StackOverflow);
        }
        if end > self.cells.len() {
            let len = end.next_power_of_two().max(1024).min(self.max_cells.max(end));
            self.cells.resize(len, 0);
        }
        Ok(())
    }
}

/// Calls store function `func` with typed values, as the embedder does.
pub(crate) fn call_from_host<T>(
    store: &mut Store<T>,
    func: u32,
    params: &[Val],
    results: &mut [Val],
) -> Result<()> {
    let ty = store.inner.funcs[func as usize].ty().clone();
    let mut cells = typed_cells(&store.inner, &ty, params, results.len())?;
    call_cells(store, func, &mut cells)?;
    read_results(&store.inner, ty.results(), &cells, results);
    Ok(())
}

/// The cells of `params`, which must be values of this store of `ty`'s parameter types,
/// with room for the results too; `results` must be the number of `ty`'s results.
pub(crate) fn typed_cells(
    inner: &crate::store::StoreInner,
    ty: &crate::types::FuncType,
    params: &[Val],
    results: usize,
) -> Result<Vec<Cell>> {
    if !values_match(inner, params, ty.params()) {
        return Err(Error::usage(alloc::format!("arguments do not match the function's type {ty}")));
    }
    if results != ty.results().len() {
        return Err(Error::usage(alloc::format!("{results} result slots given for a function of type {ty}")));
    }
    let mut cells: Vec<Cell> = alloc::vec![0; ty.param_cells().max(ty.result_cells())];
    write_values(inner, params, &mut cells)?;
    Ok(cells)
}

/// Whether `values` are values of this store of `types`, one each.
pub(crate) fn values_match(inner: &crate::store::StoreInner, values: &[Val], types: &[crate::types::ValType]) -> bool {
    values.len() == types.len() && values.iter().zip(types).all(|(v, t)| v.belongs_to(inner.id) && v.has_type(inner, *t))
}

/// Writes `values` to `cells`, one after the other (a `v128` takes two).
pub(crate) fn write_values(inner: &crate::store::StoreInner, values: &[Val], cells: &mut [Cell]) -> Result<()> {
    let mut at = 0;
    for v in values {
        v.write_cells(&mut cells[at..], inner)?;
        at += v.ty().cells();
    }
    Ok(())
}

/// Reads values of `types` from `cells` into `results`.
pub(crate) fn read_results(inner: &crate::store::StoreInner, types: &[crate::types::ValType], cells: &[Cell], results: &mut [Val]) {
    let mut at = 0;
    for (slot, ty) in results.iter_mut().zip(types) {
        *slot = Val::read_cells(&cells[at..], *ty, inner);
        at += ty.cells();
    }
}

/// Calls store function `func`: parameters in `cells`, results written over them.
pub(crate) fn call_cells<T>(store: &mut Store<T>, func: u32, cells: &mut [Cell]) -> Result<()> {
    match run_cells(store, func, cells, false)? {
        None => Ok(()),
        Some(_) => unreachable!("only a resumable activation pauses"),
    }
}

/// A call's outcome when it paused: its state (kept by the store) and why.
pub(crate) type Paused = (Suspended, PauseReason);

/// `call_cells`, as a resumable call when `resumable`: then it may pause instead.
pub(crate) fn run_cells<T>(store: &mut Store<T>, func: u32, cells: &mut [Cell], resumable: bool) -> Result<Option<Paused>> {
    match &store.inner.funcs[func as usize] {
        FuncEntity::Host { host, .. } => {
            let host = *host;
            // The values go where a host function finds them: on the value stack, above
            // everything on it (`HostFunc`).
            let exec = &mut store.inner.exec;
            let at = exec.top;
            exec.reserve(at + cells.len()).map_err(Trap::new)?;
            copy_cells(&mut exec.cells[at..at + cells.len()], cells);
            exec.top = at + cells.len();
            let whole: *mut Store<T> = store;
            // SAFETY: `whole` comes from the exclusive `store`, not used during the call, and
            // `inner` is its engine state.
            let outcome = unsafe {
                host::call(whole.cast(), &raw mut (*whole).inner, host, crate::func::NO_INSTANCE, at)
            };
            let exec = &mut store.inner.exec;
            exec.top = at;
            // With no wasm frame to pause, a pause request is the host function's error.
            match outcome {
                Err(e) if e.is_pause() => Err(Trap::host(e).into()),
                Err(e) => Err(e),
                Ok(()) => {
                    copy_cells(cells, &exec.cells[at..at + cells.len()]);
                    Ok(None)
                }
            }
        }
        FuncEntity::Wasm { ty, .. } => {
            let (params, results) = (ty.param_cells(), ty.result_cells());
            let base = begin_activation(&mut store.inner.exec, params.max(results))?;
            copy_cells(&mut store.inner.exec.cells[base..base + params], &cells[..params]);
            let outcome = interp::Executor::run(store, func, base, resumable);
            end_activation(&mut store.inner.exec, base, outcome, &mut cells[..results])
        }
    }
}

/// Resumes a paused call (`suspend.rs`) with the host function's results (if it paused on
/// a host request), writing the call's results to `results` if it finishes.
pub(crate) fn resume_cells<T>(
    store: &mut Store<T>,
    state: Suspended,
    host_results: &[Cell],
    results: &mut [Cell],
) -> Result<Option<Paused>> {
    let base = begin_activation(&mut store.inner.exec, results.len())?;
    let outcome = interp::Executor::resume(store, state, base, host_results);
    end_activation(&mut store.inner.exec, base, outcome, results)
}

/// Copies a call's values between the caller's cells and the value stack (`dst` and `src`
/// have the same length): cell by cell for the few a call usually passes, where
/// `copy_from_slice`'s `memcpy` call costs more than the copy (24 instructions for none).
#[inline(always)]
fn copy_cells(dst: &mut [Cell], src: &[Cell]) {
    if dst.len() <= 4 {
        for (d, s) in dst.iter_mut().zip(src) {
            *d = *s;
        }
    } else {
        dst.copy_from_slice(src);
    }
}

/// Starts an activation of the interpreter: checks how deep host→wasm re-entry nests, and
/// reserves `cells` cells (at least one) where it begins, which it returns.
fn begin_activation(exec: &mut ExecStack, cells: usize) -> Result<usize> {
    // Host→wasm re-entry recurses on the native stack: bound both the nesting and the
    // native stack it has used, measured from the outermost activation.
    let marker = 0u8;
    let here = core::ptr::addr_of!(marker) as usize;
    if exec.activations == 0 {
        exec.native_base = here;
    } else if exec.activations >= MAX_NESTED_ACTIVATIONS || exec.native_base.abs_diff(here) > exec.max_native_stack {
        return Err(Trap::new(TrapCode::StackOverflow).into());
    }
    let base = exec.top;
    // At least one cell, so the stack is allocated by the first call whatever its frame:
    // calls on a never-allocated stack were measured ten times slower.
    exec.reserve(base + cells.max(1)).map_err(Trap::new)?;
    exec.activations += 1;
    Ok(base)
}

/// Ends the activation `begin_activation` started at `base`: the stacks are as they were
/// before it, and the results (`results.len()` cells at `base`) copied out if it finished.
fn end_activation(
    exec: &mut ExecStack,
    base: usize,
    outcome: Result<Option<Paused>>,
    results: &mut [Cell],
) -> Result<Option<Paused>> {
    exec.activations -= 1;
    exec.top = base;
    let paused = outcome?;
    if paused.is_none() {
        copy_cells(results, &exec.cells[base..base + results.len()]);
    }
    Ok(paused)
}

/// Calls `f` with every cell of the value stack that may hold a reference the collector
/// follows, by the stack maps (`bytecode::StackMaps`): for each suspended frame (wasm callers
/// on the frame stack, host callers in `host_callers`) and the `running` frame (code, the index
/// of the instruction after the one collecting, base), its function's map at that
/// instruction. A frame whose function has no map there holds none (its module declares no
/// such references, or it was released by a tail call).
pub(crate) fn stack_roots(exec: &ExecStack, running: Option<(CodeRef, usize, usize)>, mut f: impl FnMut(Cell)) {
    // SAFETY: the frames' code belongs to the store that owns `exec`, alive while it is.
    let suspended = exec.frames.iter().map(|frame| (frame.code, unsafe { frame.ip() }, frame.base));
    for (code, next, base) in suspended.chain(exec.host_callers.iter().copied()).chain(running) {
        // SAFETY: every frame's code, every host caller's and the running function's are
        // functions of the store that owns `exec`, alive while it is (`CodeRef`).
        let maps = &unsafe { code.get() }.stack_maps;
        let Some(slots) = next.checked_sub(1).and_then(|at| maps.at(at)) else { continue };
        for &slot in maps.locals.iter().chain(slots) {
            if let Some(&cell) = exec.cells.get(base + slot as usize) {
                f(cell);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::TranslationMode;

    /// A module body's call entry (what a direct call reads, `CallEntry`) is published with its
    /// translation, made at load or on first use, and says what the translation says.
    #[test]
    fn call_entries_are_published_with_their_translation() {
        let wat = "(module (func (param i32) (result i32) (local i64 i64) local.get 0))";
        for mode in [TranslationMode::Lazy, TranslationMode::Eager] {
            let mut config = crate::Config::new();
            config.translation(mode);
            let engine = crate::Engine::new(&config);
            let module = crate::Module::new(&engine, wat).expect("valid");
            let body = &module.inner.bodies[0];
            assert_eq!(body.entry().is_some(), mode == TranslationMode::Eager, "{mode:?}");
            let compiled = module.inner.compiled(0).expect("translates");
            let callee = body.entry().expect("published once translated");
            assert!(core::ptr::eq(callee.code.0, compiled));
            // SAFETY: the module, which owns the entry, is alive.
            let entry = unsafe { callee.entry() };
            assert_eq!(entry.start(), compiled.code.as_ptr());
            assert_eq!(entry.frame_size(), compiled.frame_size);
            assert_eq!((entry.num_params(), entry.locals()), (1, 1..3));
        }
    }
}
