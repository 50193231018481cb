//! The driver: runs threaded code (see `threaded.rs`) until the activation ends, and the
//! slow-path instructions — calls the handlers do not make themselves (host functions, other
//! instances, untranslated code), returns to another instance, tables, bulk memory but
//! `memory.fill`/`memory.copy` within memory 0 unmetered, growth — which the handlers call
//! out to (`run_slow`) and continue after, with pointers derived afresh.

use super::interp::{Executor, Flow};
use super::threaded::{Exit, FastCtx, Mem, Op, Regs, Slow, Stop, View, continue_at, kind};
use crate::bytecode::{Instr, for_each_instr};
use crate::cell::Cell;
use crate::error::{Error, Result, Trap};

impl Executor<'_> {
    /// Derives `ctx` afresh from the executor: after anything that may have moved the value
    /// stack, memory or the store's vectors. Field by field, as this runs after every slow
    /// path.
    fn refresh(&mut self, ctx: &mut FastCtx) {
        ctx.exec = (self as *mut Self).cast();
        let inner = &*self.store.inner;
        let instance = &inner.instances[self.instance as usize];
        ctx.mem64 = instance.memories.first().is_some_and(|&index| inner.memories[index as usize].ty.is_64);
        ctx.instance_globals = instance.globals.as_ptr();
        ctx.instance_funcs = instance.funcs.as_ptr();
        ctx.bodies = instance.module.bodies.as_ptr();
        ctx.num_bodies = instance.module.bodies.len() as u32;
        ctx.imported_funcs = instance.module.num_imported_funcs;
        ctx.instance_tables = instance.tables.as_ptr();
        ctx.num_tables = instance.tables.len() as u32;
        ctx.types = instance.module.types.as_ptr();
        ctx.num_types = instance.module.types.len() as u32;
        ctx.instance = self.instance;
        ctx.entry_depth = self.entry_depth;
        self.refresh_frame(ctx);
    }

    /// The part of `refresh` for a switch of the running function within the instance
    /// `ctx` already describes: the function, its frame and what `refresh_storage` derives.
    #[cfg_attr(feature = "fast", inline(always))]
    fn refresh_frame(&mut self, ctx: &mut FastCtx) {
        assert!(self.ip < self.compiled().code.len(), "instruction index beyond the code");
        ctx.code = self.code;
        ctx.base = self.base;
        ctx.func = self.func as usize;
        self.refresh_storage(ctx);
    }

    /// Derives afresh the parts of `ctx` that anything but a switch of the running function
    /// may move: the frame (the value stack grows in re-entrant calls), memory 0 (it grows),
    /// the store's globals (new ones may be created), and the store pointer itself, which
    /// must come from the latest borrow of the store. All a host call can change.
    #[cfg_attr(feature = "fast", inline(always))]
    fn refresh_storage(&mut self, ctx: &mut FastCtx) {
        let inner = &mut *self.store.inner;
        let cells = &mut inner.exec.cells;
        assert!(self.base <= cells.len(), "frame base beyond the value stack");
        // SAFETY: `base <= cells.len()` was just checked; `enter` reserved the frame's cells.
        ctx.regs = Regs(unsafe { cells.as_mut_ptr().add(self.base) });
        // With a reserved backing (`memory.rs`) a memory's base stays put as it grows; a heap
        // backing may move it. Either way it is re-read here.
        if self.named_memories {
            refresh_views(inner, self.instance, ctx);
        } else {
            // No access names a memory (one memory at most, with 64 KiB pages): memory 0 is
            // all the handlers use.
            ctx.views = core::ptr::null();
            ctx.mem = match self.memory {
                Some(index) => {
                    let data = inner.memories[index as usize].data.as_mut_slice();
                    Mem { base: data.as_mut_ptr(), len: data.len() }
                }
                None => Mem { base: core::ptr::null_mut(), len: 0 },
            };
        }
        ctx.globals = inner.globals.as_mut_ptr();
        let exec = &mut inner.exec;
        ctx.cells_len = exec.cells.len();
        ctx.frame_len = exec.frames.len();
        ctx.frame_room = exec.frames.capacity().min(exec.max_frames);
        ctx.frames = exec.frames.as_mut_ptr();
        ctx.fuel = inner.exec.fuel;
        ctx.deadline = inner.exec.deadline;
        ctx.epoch = inner.engine.epoch_counter();
        ctx.inner = inner;
    }

    /// Runs until the activation's first frame returns or something traps. The handlers run
    /// slow-path instructions through `run_slow` without returning here, so in optimised
    /// builds this loop turns once per activation.
    pub(super) fn execute(&mut self) -> Result<()> {
        // Built in place and filled in field by field: returning it from a function made a
        // `memcpy` call of its own on every entry into wasm.
        let mut ctx = FastCtx::new(run_slow, run_host);
        self.refresh(&mut ctx);
        // SAFETY: `refresh` filled in `ctx` and checked that `self.ip` is inside the code.
        let mut ip = unsafe { ctx.start().add(self.ip) };
        loop {
            let (regs, mem, acc, facc) = (ctx.regs, ctx.mem, ctx.acc, ctx.facc);
            // SAFETY: `ip` is an instruction of the running function and the pointers in
            // `ctx` are current (see `threaded.rs`). `ctx.exec` points at `self`, which is
            // not touched until the handlers return.
            let next = unsafe { ((*ip).handler)(ip, regs, mem, &mut ctx, acc, facc) };
            if next.0.is_null() {
                break;
            }
            // (Loop mode.) The handler left its successor's state in `ctx`.
            ip = next.0;
        }
        self.store.inner.exec.fuel = ctx.fuel;
        match ctx.stop {
            Stop::Trap(code) => {
                // SAFETY: a handler stopped: the frame stack is as the handlers left it.
                unsafe { ctx.sync_frames(&mut self.store.inner.exec) };
                // Only `Fuel` and the epoch checks stop with these, before the instruction
                // changed anything (or, a backward branch, after it is done: `resume_at`).
                self.stopped_before = matches!(code, crate::error::TrapCode::OutOfFuel | crate::error::TrapCode::Interrupt);
                if !ctx.resume_at.is_null() {
                    // SAFETY: a branch target is an instruction of the running function.
                    self.resume_at = Some(unsafe { ctx.resume_at.offset_from(ctx.start()) } as usize);
                }
                // Calls and returns in the handlers may have switched the running function.
                self.code = ctx.code;
                self.base = ctx.base;
                self.func = ctx.func as u32;
                if !ctx.trap_at.is_null() {
                    // SAFETY: the trapping instruction is in the running function's code.
                    self.ip = unsafe { ctx.trap_at.offset_from(ctx.start()) } as usize + 1;
                }
                Err(Trap::new(code).into())
            }
            // The slow path that failed or finished left the state as it was.
            Stop::Failed => Err(ctx.error.take().expect("a failed slow path sets the error")),
            Stop::Done => Ok(()),
        }
    }
}

/// Derives the views of every memory of `instance` (`FastCtx::views`, in
/// `ExecStack::views`) and memory 0 from the first: for instances with named accesses. Out
/// of line, so that the host-call path of the others stays as small as it was.
#[inline(never)]
fn refresh_views(inner: &mut crate::store::StoreInner, instance: u32, ctx: &mut FastCtx) {
    // Each memory once (a second `as_mut_slice` of a memory would invalidate the pointer
    // taken the first time); memory 0 is the first.
    let views = &mut inner.exec.views;
    views.clear();
    for &index in inner.instances[instance as usize].memories.iter() {
        let memory = &mut inner.memories[index as usize];
        let page_log2 = memory.ty.page_size_log2;
        let data = memory.data.as_mut_slice();
        views.push(View { base: data.as_mut_ptr(), len: data.len(), page_log2 });
    }
    ctx.views = views.as_ptr();
    ctx.mem = match views.first() {
        Some(view) => Mem { base: view.base, len: view.len },
        None => Mem { base: core::ptr::null_mut(), len: 0 },
    };
}

/// Generates `Executor::slow_path` from the instruction table: a `call` or `slow`
/// instruction runs its `Slow` impl (`exec/ops/`); the others have handlers that never hand
/// their instruction to the slow path.
macro_rules! define_slow_path {
    ($( $name:ident ($shape:ident) $class:ident [$($flags:tt)*] )*) => {
        impl Executor<'_> {
            /// Runs an instruction on the slow path. `self.ip` is already past it.
            fn slow_path(&mut self, instr: Instr) -> Result<Flow> {
                match instr {
                    $( Instr::$name(o) => slow_arm!($class, self, $name, o), )*
                }
            }
        }
    };
}

/// One arm of `Executor::slow_path`, by class.
macro_rules! slow_arm {
    (call, $exec:ident, $name:ident, $o:ident) => { <kind::$name as Slow<_>>::run($exec, $o) };
    (slow, $exec:ident, $name:ident, $o:ident) => { <kind::$name as Slow<_>>::run($exec, $o) };
    ($class:ident, $exec:ident, $name:ident, $o:ident) => {{
        let _ = $o;
        unreachable!(concat!(stringify!($name), " has a handler and never takes the slow path"))
    }};
}

for_each_instr!(define_slow_path);

/// A slow-path instruction, called from its handler (`threaded::exit_slow`) through
/// `FastCtx::slow`: brings the executor up to date from `ctx`, runs the instruction at `at`,
/// and derives `ctx` afresh. Returns the instruction to continue at, or null when the
/// activation ended (`ctx.stop` says how).
///
/// # Safety
///
/// As for `take_over`.
unsafe fn run_slow(exec: *mut (), ctx: &mut FastCtx, at: *const Op) -> *const Op {
    // SAFETY: the function's contract is `take_over`'s.
    let exec = unsafe { take_over(exec, ctx, at) };
    // SAFETY: `at` is an instruction of the running function.
    let instr = unsafe { (*at).instr };
    match exec.slow_path(instr) {
        Ok(Flow::Continue | Flow::Caught) => {
            exec.refresh(ctx);
            // SAFETY: `refresh` filled in `ctx` and checked that `exec.ip` is inside the code.
            unsafe { ctx.start().add(exec.ip) }
        }
        Ok(Flow::Done) => {
            ctx.stop = Stop::Done;
            core::ptr::null()
        }
        Err(error) => fail(ctx, error),
    }
}

/// The host-call handler (`FastCtx::host`): a call or tail call at `at` whose callee is the
/// host function in `ctx.host_call`. Takes the slow path's route for a host callee
/// (`Executor::call_host_at`, which every host call takes), without decoding the instruction
/// again, then continues after the call with the frame and memory derived afresh — or, after
/// a tail call, where the running function returned to — or stops if the call failed
/// (`ctx.stop` and `ctx.error` say how).
///
/// # Safety
///
/// As for a handler, and for `take_over`; `ctx.host_call` describes the call at `at`.
unsafe fn run_host(at: *const Op, _: Regs, _: Mem, ctx: &mut FastCtx, acc: Cell, facc: f64) -> Exit {
    let (callee, host, args, tail) = ctx.host_call;
    // SAFETY: the function's contract is `take_over`'s.
    let exec = unsafe { take_over(ctx.exec, ctx, at) };
    let args = exec.base + args as usize;
    match exec.call_host_at(callee, host, args, tail != 0) {
        Ok(Flow::Continue) if tail == 0 => {
            // The running function and instance are the same as before the call.
            exec.refresh_storage(ctx);
            // SAFETY: a call has a successor; `ctx` was just brought up to date.
            unsafe { continue_at(at.add(1), ctx, acc, facc) }
        }
        Ok(Flow::Continue) if exec.instance == ctx.instance => {
            // The tail call returned to a suspended caller of the same instance.
            exec.refresh_frame(ctx);
            // SAFETY: `refresh_frame` filled in `ctx` and checked that `exec.ip` is inside
            // the code.
            unsafe { continue_at(ctx.start().add(exec.ip), ctx, acc, facc) }
        }
        Ok(Flow::Continue | Flow::Caught) => {
            // The tail call returned to a suspended caller of another instance, or an
            // exception the host threw was caught.
            exec.refresh(ctx);
            // SAFETY: `refresh` filled in `ctx` and checked that `exec.ip` is inside the code.
            unsafe { continue_at(ctx.start().add(exec.ip), ctx, acc, facc) }
        }
        Ok(Flow::Done) => {
            ctx.stop = Stop::Done;
            Exit(core::ptr::null())
        }
        Err(error) => {
            fail(ctx, error);
            Exit(core::ptr::null())
        }
    }
}

/// The executor behind `ctx`, brought up to date with the running function's state for a
/// slow path at instruction `at` (which the executor's `ip` then points past).
///
/// # Safety
///
/// `exec` is `ctx.exec`: the executor running `ctx`'s activation, whose `execute` is waiting
/// for the handlers to return and does not use it meanwhile; the handlers hold no reference
/// into it, only raw pointers that `refresh` replaces. `at` is an instruction of the
/// running function.
unsafe fn take_over<'e>(exec: *mut (), ctx: &FastCtx, at: *const Op) -> &'e mut Executor<'e> {
    // SAFETY: see the function's safety section.
    let exec = unsafe { &mut *exec.cast::<Executor<'e>>() };
    exec.store.inner.exec.fuel = ctx.fuel;
    // SAFETY: the handlers were running: the frame stack is as they left it.
    unsafe { ctx.sync_frames(&mut exec.store.inner.exec) };
    exec.code = ctx.code;
    exec.base = ctx.base;
    exec.func = ctx.func as u32;
    // SAFETY: the handlers were running, so `ctx` is filled in, and `at` and `ctx.start()`
    // point into the running function's code.
    exec.ip = unsafe { at.offset_from(ctx.start()) } as usize + 1;
    exec
}

/// Stops the handlers with `error`; returns the null "stop" instruction.
fn fail(ctx: &mut FastCtx, error: Error) -> *const Op {
    ctx.error = Some(error);
    ctx.stop = Stop::Failed;
    core::ptr::null()
}
