//! Calls and returns: `call`, `call_indirect`, `call_ref`, their `return_call` forms and
//! `return`, in both halves of the frame protocol (see `exec/mod.rs`).
//!
//! - The handlers (`Plain` impls; the bodies are shared with the fused handlers that end in a
//!   `return`, `threaded/fuse.rs`) call and return between already-translated functions of
//!   the running instance themselves, and hand a host callee — for a call and a tail call
//!   alike — to the executor's host-call handler (`dispatch::run_host`).
//! - Everything else goes to the slow path (`Slow` impls), which takes the same steps on the
//!   store (`Executor::call`, `tail_call`, `return_to_caller`, `call_host_at`).
//!
//! Both halves push a caller's frame on the one frame stack — the slow path with
//! `ExecStack::push_frame`, the handlers with `FastCtx::push_frame` on the same stack held in
//! the context (`FastCtx::frames`, no growth) — find the caller a return goes to with
//! `ExecStack::caller` / `FastCtx::caller_is_local` and `pop_caller`, and send every host call, tail or not, through
//! `call_host_at`. A new call form resolves its callee and then goes where these do:
//! `call_to!` or `tail_call_to!` in its handler (or, with its code in hand, `enter_call!` /
//! `enter_tail_call!`, as a direct call does with `FastCtx::direct_callee`),
//! `Executor::call` or `tail_call` in its slow path.
//!
//! # Safety
//!
//! For the handler bodies, as for a handler: `ip` is an instruction of the running function
//! with the variant the function is named after, and `r`, `mem` and `ctx` are current.

use super::prelude::*;
use crate::store::FuncEntity;

/// Enters `$code` (store function `$callee`, a wasm function of the running instance) with
/// arguments at slot `$args`, if its frame and a caller's frame record fit the stacks;
/// falls through if not.
macro_rules! enter_call {
    ($ip:ident, $r:ident, $mem:ident, $ctx:ident, $code:expr, $callee:expr, $args:expr) => {{
        // (`$callee` is evaluated only where it is stored, after the frame push.)
        let (code, args): (crate::exec::Callee, Slot) = ($code, $args);
        // SAFETY: `code` is a function of the running store (from `fast_callee` or
        // `direct_callee`, as the macro's users take it).
        let entry = unsafe { code.entry() };
        let new_base = $ctx.base + args as usize;
        if new_base + entry.frame_size() <= $ctx.cells_len
            && $ctx.push_frame(Frame {
                code: $ctx.code,
                // SAFETY: a call does not end a path, so the instruction after it is in the
                // code (see `threaded`'s module documentation).
                ret: unsafe { $ip.add(1) },
                base: $ctx.base,
                instance: $ctx.instance,
                func: $ctx.func as u32,
            })
        {
            // SAFETY: the callee's frame, `new_base..new_base + frame_size`, was just checked
            // to lie inside the value stack.
            $r.regs = Regs(unsafe { $r.regs.0.add(args as usize) });
            let callee: u32 = $callee;
            // SAFETY: `code` is a function of the running store, whose frame was just
            // checked to fit.
            unsafe {
                zero_locals($r.regs, entry.locals());
                $ctx.switch_to(code.code, callee, new_base);
            }
            next!(entry.start(), $r, $mem, $ctx);
        }
    }};
}

/// A call of store function `$callee` with arguments at slot `$args`: entered here when it
/// is an already-translated function of the running instance and fits the limits, else
/// as `host_or_slow!`.
macro_rules! call_to {
    ($ip:ident, $r:ident, $mem:ident, $ctx:ident, $callee:expr, $args:expr) => {{
        let (callee, args) = ($callee, $args);
        if let Some(code) = $ctx.fast_callee(callee) {
            enter_call!($ip, $r, $mem, $ctx, code, callee, args);
        }
        host_or_slow!($ip, $r, $mem, $ctx, callee, args, 0);
    }};
}

/// A call (`$tail` 0) or tail call (1) of store function `$callee` that the handler does not
/// enter itself: a host function goes to the executor's host-call handler, out of line so
/// that the handlers' paths for wasm callees keep everything in registers (after a tail
/// call it returns from the running function); anything else goes to the slow path.
macro_rules! host_or_slow {
    ($ip:ident, $r:ident, $mem:ident, $ctx:ident, $callee:expr, $args:expr, $tail:expr) => {{
        let (callee, args) = ($callee, $args);
        if let Some(host) = $ctx.host_callee(callee) {
            $ctx.host_call = (callee, host, u32::from(args), $tail);
            // SAFETY: `host_call` was just set for the call at `ip`; `host` was set up with
            // the rest of `ctx` by the driver running this activation.
            return unsafe { ($ctx.host)($ip, $r.regs, $mem, $ctx, $r.acc, $r.facc) };
        }
        // SAFETY: a slow path may run for any instruction.
        return unsafe { exit_slow($ip, $r.regs, $mem, $ctx, $r.acc, $r.facc) };
    }};
}

/// Gives the running frame to `$code` (store function `$callee`, a wasm function of the
/// running instance), its arguments moved down from slot `$args`, if its frame fits the value
/// stack; falls through if not.
macro_rules! enter_tail_call {
    ($ip:ident, $r:ident, $mem:ident, $ctx:ident, $code:expr, $callee:expr, $args:expr) => {{
        let (code, callee, args): (crate::exec::Callee, u32, Slot) = ($code, $callee, $args);
        // SAFETY: `code` is a function of the running store (from `fast_callee` or
        // `direct_callee`, as the macro's users take it).
        let entry = unsafe { code.entry() };
        let cells = $ctx.cells_len;
        let params = entry.num_params();
        // Read before the arguments move (stores the compiler cannot tell from the entry):
        // the jump's target then does not wait for the move.
        let (start, locals) = (entry.start(), entry.locals());
        if $ctx.base + entry.frame_size() <= cells && $ctx.base + args as usize + params <= cells {
            // The arguments move down to the frame base; sources are never below their
            // destinations, so copying upwards is safe.
            for i in 0..params {
                $r.set(i as Slot, $r.get::<Cell>(args + i as Slot));
            }
            let base = $ctx.base;
            // SAFETY: `code` is a function of the running store, whose frame was just
            // checked to fit.
            unsafe {
                zero_locals($r.regs, locals);
                $ctx.switch_to(code.code, callee, base);
            }
            next!(start, $r, $mem, $ctx);
        }
    }};
}

/// A tail call of store function `$callee` with arguments at slot `$args`: the running frame
/// is reused here under the same conditions as `call_to!`, else as `host_or_slow!`.
macro_rules! tail_call_to {
    ($ip:ident, $r:ident, $mem:ident, $ctx:ident, $callee:expr, $args:expr) => {{
        let (callee, args) = ($callee, $args);
        if let Some(code) = $ctx.fast_callee(callee) {
            enter_tail_call!($ip, $r, $mem, $ctx, code, callee, args);
        }
        host_or_slow!($ip, $r, $mem, $ctx, callee, args, 1);
    }};
}

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

impl Plain for kind::CallRef {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        // SAFETY: as for `Call`.
        unsafe { call_ref(ip, r, mem, ctx) }
    }
}

impl Plain for kind::ReturnCallRef {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        // SAFETY: as for `Call`.
        unsafe { return_call_ref(ip, r, mem, ctx) }
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
    fn run(exec: &mut Executor<'_>, o: Call) -> Result<Flow> {
        let callee = exec.func_index(o.func);
        exec.call(callee, exec.base + o.args as usize)
    }
}

impl Slow<CallIndirect> for kind::CallIndirect {
    fn run(exec: &mut Executor<'_>, o: CallIndirect) -> Result<Flow> {
        let callee = exec.indirect_callee(o.index, o.table, o.ty)?;
        exec.call(callee, exec.base + o.args as usize)
    }
}

impl Slow<Call> for kind::ReturnCall {
    fn run(exec: &mut Executor<'_>, o: Call) -> Result<Flow> {
        let callee = exec.func_index(o.func);
        exec.tail_call(callee, exec.base + o.args as usize)
    }
}

impl Slow<CallIndirect> for kind::ReturnCallIndirect {
    fn run(exec: &mut Executor<'_>, o: CallIndirect) -> Result<Flow> {
        let callee = exec.indirect_callee(o.index, o.table, o.ty)?;
        exec.tail_call(callee, exec.base + o.args as usize)
    }
}

impl Slow<CallRef> for kind::CallRef {
    fn run(exec: &mut Executor<'_>, o: CallRef) -> Result<Flow> {
        let callee = exec.ref_callee(o.callee)?;
        exec.call(callee, exec.base + o.args as usize)
    }
}

impl Slow<CallRef> for kind::ReturnCallRef {
    fn run(exec: &mut Executor<'_>, o: CallRef) -> Result<Flow> {
        let callee = exec.ref_callee(o.callee)?;
        exec.tail_call(callee, exec.base + o.args as usize)
    }
}

impl Slow<Span> for kind::Return {
    fn run(exec: &mut Executor<'_>, span: Span) -> Result<Flow> {
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
    if let Some(code) = ctx.direct_callee(func) {
        // SAFETY: `func` is a valid function index of the running instance (validation).
        enter_call!(ip, r, mem, ctx, code, unsafe { *ctx.instance_funcs.add(func as usize) }, args);
        // SAFETY: a slow path may run for any instruction; it reports the overflow.
        return unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) };
    }
    // An import, which is never a function of the running instance (`fast_callee` would not
    // find it), or a body of the module not translated yet (the slow path translates it).
    // SAFETY: as above.
    let callee = unsafe { *ctx.instance_funcs.add(func as usize) };
    host_or_slow!(ip, r, mem, ctx, callee, args, 0);
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
    if let Some(code) = ctx.direct_callee(func) {
        enter_tail_call!(ip, r, mem, ctx, code, callee, args);
        // SAFETY: a slow path may run for any instruction; it reports the overflow.
        return unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) };
    }
    // As for `call`.
    host_or_slow!(ip, r, mem, ctx, callee, args, 1);
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

/// `call_ref`: the reference is the callee's store index plus one (validation proved its
/// type), so there is nothing to check but null, which the slow path reports.
#[inline(always)]
pub(crate) unsafe fn call_ref<const F: u8>(ip: *const Op, mut r: Locs<F>, mem: Mem, ctx: &mut FastCtx) -> Exit {
    operands!(ip, CallRef(CallRef { callee, args, .. }));
    if let Some(callee) = crate::cell::ref_index(r.get::<Cell>(callee)) {
        call_to!(ip, r, mem, ctx, callee, args);
    }
    // SAFETY: a slow path may run for any instruction; it reports the trap.
    unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
}

#[inline(always)]
pub(crate) unsafe fn return_call_ref<const F: u8>(
    ip: *const Op,
    r: Locs<F>,
    mem: Mem,
    ctx: &mut FastCtx,
) -> Exit {
    operands!(ip, ReturnCallRef(CallRef { callee, args, .. }));
    if let Some(callee) = crate::cell::ref_index(r.get::<Cell>(callee)) {
        tail_call_to!(ip, r, mem, ctx, callee, args);
    }
    // SAFETY: a slow path may run for any instruction; it reports the trap.
    unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
}

/// `return`: copies the results to the frame base and resumes the caller, if it is a frame
/// of this activation and instance; else the slow path returns.
#[inline(always)]
pub(crate) unsafe fn ret<const F: u8>(ip: *const Op, r: Locs<F>, mem: Mem, ctx: &mut FastCtx) -> Exit {
    operands!(ip, Return(span));
    if ctx.caller_is_local() {
        if !results_to_base(span, r.regs) {
            // SAFETY: `ip` is this `return`, whose caller is local (just checked).
            return unsafe { ret_moving(ip, r.regs, mem, ctx, r.acc, r.facc) };
        }
        // SAFETY: the caller is local (just checked).
        return unsafe { resume_caller(r, mem, ctx) };
    }
    // SAFETY: `ip` is this `return`, whose caller is not local (just checked).
    unsafe { ret_far(ip, r.regs, mem, ctx, r.acc, r.facc) }
}

/// A `return` whose caller is not local: the end of the activation, when its first frame
/// returns to the embedder, else the slow path. Never inlined, and reached by a jump (as
/// `ret_moving` is), so that `ret`'s path to a local caller stays as short as it was (inlined,
/// this check added ten instructions to every return of `calls`).
///
/// # Safety
///
/// As for a handler; `ip` is a `return`.
#[inline(never)]
unsafe fn ret_far(ip: *const Op, regs: Regs, mem: Mem, ctx: &mut FastCtx, acc: Cell, facc: f64) -> Exit {
    operands!(ip, Return(span));
    if ctx.frame_len == ctx.entry_depth {
        // The embedder finds the results at the frame base, where the slow path
        // (`Executor::return_to_caller`) leaves them too.
        if !results_to_base(span, regs) {
            // SAFETY: a slow path may run for any instruction.
            return unsafe { exit_slow(ip, regs, mem, ctx, acc, facc) };
        }
        // SAFETY: the handlers were running: the frame stack is as they left it.
        return unsafe { ctx.finish() };
    }
    // SAFETY: a slow path may run for any instruction.
    unsafe { exit_slow(ip, regs, mem, ctx, acc, facc) }
}

/// Moves a `return`'s results (`span`) to the frame base when that takes one copy at most;
/// `false` when they are several and not there, for the caller to move another way.
#[inline(always)]
fn results_to_base(span: Span, regs: Regs) -> bool {
    match span {
        // Results at slot 0 are in place: the translator has the instruction that computes a
        // function's one result write it there (`Translator::emit_return`).
        Span { start: 0, .. } => true,
        // The common case, without the loop's bookkeeping.
        Span { start, len: 1 } => {
            regs.set(0, regs.get::<Cell>(start));
            true
        }
        Span { .. } => false,
    }
}

/// A `return` of several results that are not at slot 0, whose caller is local: the results
/// move down in a loop. Never inlined, and reached by a jump (as `exit_slow` is), so that
/// `ret`'s own path holds no more values than the scratch registers take and saves none of
/// the callee-saved ones.
///
/// # Safety
///
/// As for a handler; `ip` is a `return` whose caller `FastCtx::caller_is_local`.
#[inline(never)]
unsafe fn ret_moving(ip: *const Op, regs: Regs, mem: Mem, ctx: &mut FastCtx, acc: Cell, facc: f64) -> Exit {
    operands!(ip, Return(Span { start, len }));
    for i in 0..len {
        regs.set(i, regs.get::<Cell>(start + i));
    }
    // SAFETY: the caller's contract.
    unsafe { resume_caller(Locs::<0> { regs, acc, facc }, mem, ctx) }
}

/// Pops the running function's caller and continues it, after its call: the end of a
/// `return` whose results are in place.
///
/// # Safety
///
/// The caller is local (`FastCtx::caller_is_local`).
#[inline(always)]
unsafe fn resume_caller<const F: u8>(mut r: Locs<F>, mem: Mem, ctx: &mut FastCtx) -> Exit {
    // SAFETY: the caller's contract. The frame is read only now, after the results moved,
    // so that none of its fields is held across that.
    let frame = unsafe { ctx.pop_caller() };
    // SAFETY: a caller's frame base is below its callee's, in the same stack.
    r.regs = Regs(unsafe { r.regs.0.sub(ctx.base - frame.base) });
    // SAFETY: a suspended caller's code is a function of the running store.
    unsafe { ctx.switch_to(frame.code, frame.func, frame.base) };
    // SAFETY: `frame.ret` is the instruction after the caller's call.
    next!(frame.ret, r, mem, ctx);
}

impl Executor<'_> {
    /// A call: suspends the running function and starts `callee` on the arguments at `args`
    /// (a cell index), or runs a host callee to completion.
    pub(in crate::exec) fn call(&mut self, callee: u32, args: usize) -> Result<Flow> {
        match self.store.inner.funcs[callee as usize] {
            FuncEntity::Wasm { .. } => {
                // SAFETY: the running function's code belongs to `self.store`, which is
                // alive, and `ip` is inside it (the instruction after the call).
                let frame = unsafe { Frame::at(self.code, self.ip, self.base, self.instance, self.func) };
                self.store.inner.exec.push_frame(frame).map_err(crate::error::Trap::new)?;
                let entered = self.enter(callee, args);
                if entered.is_err() {
                    // The callee never started: its caller is still the running function.
                    self.store.inner.exec.frames.pop();
                }
                entered.map(|()| Flow::Continue)
            }
            FuncEntity::Host { host, .. } => self.call_host_at(callee, host, args, false),
        }
    }

    /// A tail call: the running function's frame is given to `callee`.
    pub(in crate::exec) fn tail_call(&mut self, callee: u32, args: usize) -> Result<Flow> {
        match &self.store.inner.funcs[callee as usize] {
            FuncEntity::Wasm { ty, .. } => {
                let n = ty.param_cells();
                self.store.inner.exec.cells.copy_within(args..args + n, self.base);
                self.enter(callee, self.base)?;
                Ok(Flow::Continue)
            }
            FuncEntity::Host { host, .. } => {
                let host = *host;
                self.call_host_at(callee, host, args, true)
            }
        }
    }

    /// A call of host function `host` (store function `callee`) with the arguments at `args`
    /// (a cell index): the route every host call takes, from a handler (`dispatch::run_host`)
    /// or a slow path. A tail call's results become the running function's results, at its
    /// frame base, and then the running function returns to its caller, whose state is on the
    /// frame stack (nothing is read from the released frame).
    ///
    /// An exception the host function throws (or lets through from wasm it called) goes on
    /// from the call (`Executor::throw`); from a tail call, from where the running function
    /// returns to, since its frame was given to the host function.
    // (Inlined into `run_host` in the fast build; in the size build, as the compiler sees fit.)
    #[cfg_attr(feature = "fast", inline(always))]
    #[cfg_attr(not(feature = "fast"), inline)]
    pub(in crate::exec) fn call_host_at(&mut self, callee: u32, host: u32, args: usize, tail: bool) -> Result<Flow> {
        let results = if tail { self.base } else { args };
        self.charge(|costs| costs.host_call.into())?;
        match self.call_host(callee, host, args, results) {
            Ok(()) => Ok(if tail { self.return_to_caller() } else { Flow::Continue }),
            Err(e) if e.is_pause() => {
                // The host function asked to pause: its results come when the call resumes.
                self.host_pause = Some((callee, results, tail));
                Err(e)
            }
            Err(e) => self.host_failed(e, tail),
        }
    }

    /// A host call's error: an exception goes on being thrown from the call (see
    /// `call_host_at`); anything else ends the activation. Out of line, so that the host-call
    /// path stays as small as it was before exceptions.
    #[cold]
    #[inline(never)]
    fn host_failed(&mut self, e: Error, tail: bool) -> Result<Flow> {
        let Some(exn) = e.as_exception() else { return Err(e) };
        if exn.store != self.store.inner.id || exn.index as usize >= self.store.inner.exns.len() {
            return Err(Error::usage("a host function threw an exception of another store"));
        }
        if tail && let Flow::Done = self.return_to_caller() {
            return Err(e);
        }
        self.throw(exn.index)
    }

    /// Pops the suspended caller, if this activation has one.
    pub(in crate::exec) fn return_to_caller(&mut self) -> Flow {
        let exec = &mut self.store.inner.exec;
        let Some(frame) = exec.caller(self.entry_depth) else {
            return Flow::Done;
        };
        exec.frames.pop();
        self.code = frame.code;
        // SAFETY: a suspended caller's code belongs to `self.store`, which is alive.
        self.ip = unsafe { frame.ip() };
        self.base = frame.base;
        self.func = frame.func;
        self.set_instance(frame.instance);
        Flow::Continue
    }
}
