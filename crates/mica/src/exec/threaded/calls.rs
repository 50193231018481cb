//! Calls and returns between functions of the running instance, run by the handlers
//! themselves (anything else is a slow path): the bodies of the `call`, `call_indirect`,
//! `return_call`, `return_call_indirect` and `return` handlers, shared with the fused handlers
//! that end in one of them (`fuse.rs`).
//!
//! Each reads its instruction at `ip`, and continues where the call or return leads.
//!
//! # Safety
//!
//! For all of them, as for a handler: `ip` is an instruction of the running function with
//! the variant the function is named after, and `r`, `mem` and `ctx` are current.

use super::*;

/// Reads the instruction at `ip`, which has variant `$v`.
macro_rules! operands {
    ($ip:ident, $v:ident $args:tt) => {
        // SAFETY: `ip` points at an instruction of the running function.
        let Instr::$v $args = (unsafe { &*$ip }).instr else {
            // SAFETY: the caller's contract: the instruction has this variant.
            unsafe { core::hint::unreachable_unchecked() }
        };
    };
}

#[inline(always)]
pub(super) unsafe fn call<const F: u8>(ip: *const Op, mut r: Locs<F>, mem: Mem, ctx: &mut FastCtx) -> Exit {
    operands!(ip, Call { func, args });
    // SAFETY: `func` is a valid function index of the running instance (validation).
    let callee = unsafe { *ctx.instance_funcs.add(func as usize) };
    call_to!(ip, r, mem, ctx, callee, args);
}

#[inline(always)]
pub(super) unsafe fn call_indirect<const F: u8>(
    ip: *const Op,
    mut r: Locs<F>,
    mem: Mem,
    ctx: &mut FastCtx,
) -> Exit {
    operands!(ip, CallIndirect { index, args, table, ty });
    if let Some(callee) = ctx.indirect_target(r.get::<u32>(index), table, ty) {
        call_to!(ip, r, mem, ctx, callee, args);
    }
    // SAFETY: a slow path may run for any instruction; it reports the trap.
    unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
}

#[inline(always)]
pub(super) unsafe fn return_call<const F: u8>(
    ip: *const Op,
    r: Locs<F>,
    mem: Mem,
    ctx: &mut FastCtx,
) -> Exit {
    operands!(ip, ReturnCall { func, args });
    // SAFETY: as for `call`.
    let callee = unsafe { *ctx.instance_funcs.add(func as usize) };
    tail_call_to!(ip, r, mem, ctx, callee, args);
}

#[inline(always)]
pub(super) unsafe fn return_call_indirect<const F: u8>(
    ip: *const Op,
    r: Locs<F>,
    mem: Mem,
    ctx: &mut FastCtx,
) -> Exit {
    operands!(ip, ReturnCallIndirect { index, args, table, ty });
    if let Some(callee) = ctx.indirect_target(r.get::<u32>(index), table, ty) {
        tail_call_to!(ip, r, mem, ctx, callee, args);
    }
    // SAFETY: a slow path may run for any instruction; it reports the trap.
    unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
}

/// `return`: copies the results to the frame base and resumes the caller, if it is a frame
/// of this activation and instance; else the slow path returns.
#[inline(always)]
pub(super) unsafe fn ret<const F: u8>(ip: *const Op, mut r: Locs<F>, mem: Mem, ctx: &mut FastCtx) -> Exit {
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
