//! Calls and returns: `call`, `call_indirect`, `return_call`, `return_call_indirect` and
//! `return`, in both halves of the frame protocol (see `exec/mod.rs`).
//!
//! - The handlers (`Plain` impls; the bodies are shared with the fused handlers that end in a
//!   `return`, `threaded/fuse.rs`) call and return between already-translated functions of
//!   the running instance themselves, and hand a host callee — for a call and a tail call
//!   alike — to the executor's host-call handler (`dispatch::run_host`).
//! - Everything else goes to the slow path (`Slow` impls), which takes the same steps on the
//!   store (`Executor::call`, `tail_call`, `return_to_caller`, `call_host_at`).
//!
//! # Safety
//!
//! For the handler bodies, as for a handler: `ip` is an instruction of the running function
//! with the variant the function is named after, and `r`, `mem` and `ctx` are current.

use super::prelude::*;

impl Plain for kind::Call {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        // SAFETY: the trait's contract is `call`'s.
        unsafe { call(ip, r, mem, ctx) }
    }
}

impl Plain for kind::CallIndirect {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        // SAFETY: as for `Call`.
        unsafe { call_indirect(ip, r, mem, ctx) }
    }
}

impl Plain for kind::ReturnCall {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        // SAFETY: as for `Call`.
        unsafe { return_call(ip, r, mem, ctx) }
    }
}

impl Plain for kind::ReturnCallIndirect {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        // SAFETY: as for `Call`.
        unsafe { return_call_indirect(ip, r, mem, ctx) }
    }
}

impl Plain for kind::Return {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        // SAFETY: as for `Call`.
        unsafe { ret(ip, r, mem, ctx) }
    }
}

impl Slow<Call> for kind::Call {
    fn run<T>(exec: &mut Executor<'_, T>, o: Call) -> Result<Flow> {
        let callee = exec.func_index(o.func);
        exec.call(callee, exec.base + o.args as usize)
    }
}

impl Slow<CallIndirect> for kind::CallIndirect {
    fn run<T>(exec: &mut Executor<'_, T>, o: CallIndirect) -> Result<Flow> {
        let callee = exec.indirect_callee(o.index, o.table, o.ty)?;
        exec.call(callee, exec.base + o.args as usize)
    }
}

impl Slow<Call> for kind::ReturnCall {
    fn run<T>(exec: &mut Executor<'_, T>, o: Call) -> Result<Flow> {
        let callee = exec.func_index(o.func);
        exec.tail_call(callee, exec.base + o.args as usize)
    }
}

impl Slow<CallIndirect> for kind::ReturnCallIndirect {
    fn run<T>(exec: &mut Executor<'_, T>, o: CallIndirect) -> Result<Flow> {
        let callee = exec.indirect_callee(o.index, o.table, o.ty)?;
        exec.tail_call(callee, exec.base + o.args as usize)
    }
}

impl Slow<Span> for kind::Return {
    fn run<T>(exec: &mut Executor<'_, T>, span: Span) -> Result<Flow> {
        if span.len > 0 && span.start != 0 {
            let from = exec.base + span.start as usize;
            exec.store.inner.exec.cells.copy_within(from..from + span.len as usize, exec.base);
        }
        Ok(exec.return_to_caller())
    }
}

#[inline(always)]
pub(crate) unsafe fn call<const F: u8>(ip: *const Op, mut r: Locs<F>, mem: Mem, ctx: &mut FastCtx) -> Exit {
    operands!(ip, Call(Call { func, args }));
    // SAFETY: `func` is a valid function index of the running instance (validation).
    let callee = unsafe { *ctx.instance_funcs.add(func as usize) };
    call_to!(ip, r, mem, ctx, callee, args);
}

#[inline(always)]
pub(crate) unsafe fn call_indirect<const F: u8>(
    ip: *const Op,
    mut r: Locs<F>,
    mem: Mem,
    ctx: &mut FastCtx,
) -> Exit {
    operands!(ip, CallIndirect(CallIndirect { index, args, table, ty }));
    if let Some(callee) = ctx.indirect_target(r.get::<u32>(index), table, ty) {
        call_to!(ip, r, mem, ctx, callee, args);
    }
    // SAFETY: a slow path may run for any instruction; it reports the trap.
    unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
}

#[inline(always)]
pub(crate) unsafe fn return_call<const F: u8>(
    ip: *const Op,
    r: Locs<F>,
    mem: Mem,
    ctx: &mut FastCtx,
) -> Exit {
    operands!(ip, ReturnCall(Call { func, args }));
    // SAFETY: as for `call`.
    let callee = unsafe { *ctx.instance_funcs.add(func as usize) };
    tail_call_to!(ip, r, mem, ctx, callee, args);
}

#[inline(always)]
pub(crate) unsafe fn return_call_indirect<const F: u8>(
    ip: *const Op,
    r: Locs<F>,
    mem: Mem,
    ctx: &mut FastCtx,
) -> Exit {
    operands!(ip, ReturnCallIndirect(CallIndirect { index, args, table, ty }));
    if let Some(callee) = ctx.indirect_target(r.get::<u32>(index), table, ty) {
        tail_call_to!(ip, r, mem, ctx, callee, args);
    }
    // SAFETY: a slow path may run for any instruction; it reports the trap.
    unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
}

/// `return`: copies the results to the frame base and resumes the caller, if it is a frame
/// of this activation and instance; else the slow path returns.
#[inline(always)]
pub(crate) unsafe fn ret<const F: u8>(ip: *const Op, mut r: Locs<F>, mem: Mem, ctx: &mut FastCtx) -> Exit {
    operands!(ip, Return(span));
    // SAFETY: `inner` is the store of the running activation.
    let exec = unsafe { &mut (*ctx.inner).exec };
    if exec.frames.len() > ctx.entry_depth
        && let Some(frame) = exec.frames.last().copied()
        && frame.instance == ctx.instance
    {
        exec.frames.pop();
        for i in 0..span.len {
            r.set(i, r.get::<Cell>(span.start + i));
        }
        // SAFETY: a caller's frame base is below its callee's, in the same stack.
        r.regs = Regs(unsafe { r.regs.0.sub(ctx.base - frame.base) });
        ctx.switch_to(frame.code, frame.func, frame.base);
        // SAFETY: `frame.ip` is the instruction after the caller's call.
        next!(unsafe { ctx.start.add(frame.ip) }, r, mem, ctx);
    }
    // SAFETY: a slow path may run for any instruction.
    unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
}
