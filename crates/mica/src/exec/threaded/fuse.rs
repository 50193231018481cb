//! Generic handlers over [`Step`]s: an instruction on its own, or two adjacent instructions
//! in one handler (a *fused pair*), which saves the dispatch between them and keeps the
//! value the first hands to the second (through the accumulator) in a register.
//!
//! Fusing changes no code: the first instruction of a pair gets the pair's handler, which
//! runs both and continues after the second; the second keeps its own handler, so a branch
//! to it still works. [`fuse_pairs`] picks the pairs, from lists of the shapes that are hot
//! in real programs (loop counters feeding their exit test, address arithmetic feeding a
//! load, a load feeding arithmetic, moves in a row): `fuse/pairs.rs`. A few runs of three
//! instructions (a *fused triple*, `three`) are fused the same way: `fuse/triples.rs`.

use super::*;

mod pairs;
mod triples;
use pairs::{backward, fuel_pair_for, pair_for, polled_pair_for, return_for};

/// How a step ended.
pub(crate) enum Flow {
    /// Fall through to the next instruction.
    Next,
    /// Continue at this instruction (a taken branch).
    Jump(*const Op),
    /// Stop: the step trapped (`FastCtx::stop` says how).
    Stop,
}

/// One instruction's semantics, for the generic handlers (`handlers!` defines one type per
/// fusable instruction, in `kind`).
pub(crate) trait Step {
    /// Runs the instruction at `ip`, which has this step's variant.
    ///
    /// # Safety
    ///
    /// As for a handler: `ip` is an instruction of the running function with this step's
    /// variant and verified accumulator form `F`, and `r`, `mem` and `ctx` are current.
    unsafe fn step<const F: u8>(ip: *const Op, r: &mut Locs<F>, mem: Mem, ctx: &mut FastCtx)
    -> Flow;
}

/// Continues as a step ended: after `ip`, at a branch target, or not at all.
macro_rules! follow {
    ($flow:expr, $ip:expr, $r:ident, $mem:ident, $ctx:ident) => {
        match $flow {
            // SAFETY: an instruction that falls through has a successor.
            Flow::Next => next!(unsafe { $ip.add(1) }, $r, $mem, $ctx),
            // SAFETY: a branch's target is an instruction of its code.
            Flow::Jump(target) => return unsafe { jump_from($ip, target, $r, $mem, $ctx) },
            Flow::Stop => return Exit(core::ptr::null()),
        }
    };
}

/// `follow!` for a branch that may jump backward under epoch interruption: a jump checks the
/// deadline first (stopped there, a resumed call goes on at the target: see
/// `threaded::encode`).
macro_rules! follow_polled {
    ($flow:expr, $ip:expr, $r:ident, $mem:ident, $ctx:ident) => {
        match $flow {
            Flow::Jump(target) if $ctx.epoch_passed() => return super::interrupted($ip, target, $ctx),
            flow => follow!(flow, $ip, $r, $mem, $ctx),
        }
    };
}

/// `$handler::<$s, F>` for the accumulator form `$form` (the forms an `acc` instruction
/// has), else `bad_acc`; with `| $m`, the form `F | $m` (an access's memory bits).
macro_rules! by_acc_form {
    ($form:expr, $handler:ident::<$s:ident>) => {
        by_acc_form!($form, $handler::<$s> | 0)
    };
    // Without `fast` the translator hands nothing over in the accumulator (`take_acc`): only
    // the plain form is linked.
    ($form:expr, $handler:ident::<$s:ident> | $m:expr) => {
        match $form {
            0 => $handler::<$s, { $m }>,
            _ if !cfg!(feature = "fast") => bad_acc,
            1 => $handler::<$s, { $m | 1 }>,
            2 => $handler::<$s, { $m | 2 }>,
            3 => $handler::<$s, { $m | 3 }>,
            4 => $handler::<$s, { $m | 4 }>,
            5 => $handler::<$s, { $m | 5 }>,
            8 => $handler::<$s, { $m | 8 }>,
            10 => $handler::<$s, { $m | 10 }>,
            12 => $handler::<$s, { $m | 12 }>,
            _ => bad_acc,
        }
    };
}

/// Runs step `$s` in form `$f` at `$ip` as the first of a fused pair, and evaluates to its
/// operands for whatever follows; a taken branch or a stop leaves the handler.
macro_rules! first_half {
    ($s:ty, $f:expr, $ip:expr, $regs:expr, $mem:ident, $ctx:ident, $acc:expr, $facc:expr) => {{
        let mut r = Locs::<{ $f }> { regs: $regs, acc: $acc, facc: $facc };
        // SAFETY: the handler's contract is the first step's.
        match unsafe { <$s>::step::<{ $f }>($ip, &mut r, $mem, $ctx) } {
            Flow::Next => r,
            // SAFETY: a branch's target is an instruction of its code.
            Flow::Jump(target) => return unsafe { jump_from($ip, target, r, $mem, $ctx) },
            Flow::Stop => return Exit(core::ptr::null()),
        }
    }};
}

/// The handler of one instruction.
unsafe fn one<S: Step, const F: u8>(
    ip: *const Op,
    regs: Regs,
    mem: Mem,
    ctx: &mut FastCtx,
    acc: Cell,
    facc: f64,
) -> Exit {
    let mut r = Locs::<F> { regs, acc, facc };
    // SAFETY: the handler's contract is the step's.
    let flow = unsafe { S::step::<F>(ip, &mut r, mem, ctx) };
    #[cfg(feature = "pair-stats")]
    if let Flow::Next = flow {
        // SAFETY: the step fell through, so an instruction follows it.
        unsafe { super::pair_stats::record(ip) };
    }
    follow!(flow, ip, r, mem, ctx)
}

/// `one` for a branch that may jump backward, under epoch interruption (`follow_polled!`).
unsafe fn one_polled<S: Step, const F: u8>(
    ip: *const Op,
    regs: Regs,
    mem: Mem,
    ctx: &mut FastCtx,
    acc: Cell,
    facc: f64,
) -> Exit {
    let mut r = Locs::<F> { regs, acc, facc };
    // SAFETY: the handler's contract is the step's.
    let flow = unsafe { S::step::<F>(ip, &mut r, mem, ctx) };
    follow_polled!(flow, ip, r, mem, ctx)
}

/// The handler of the pair at `ip`: `A` (form `FA`) then `B` (form `FB`) at `ip + 1`.
unsafe fn two<A: Step, B: Step, const FA: u8, const FB: u8>(
    ip: *const Op,
    regs: Regs,
    mem: Mem,
    ctx: &mut FastCtx,
    acc: Cell,
    facc: f64,
) -> Exit {
    let a = first_half!(A, FA, ip, regs, mem, ctx, acc, facc);
    // SAFETY: the first instruction fell through, so the second follows it in the code.
    let ip = unsafe { ip.add(1) };
    let mut b = Locs::<FB> { regs: a.regs, acc: a.acc, facc: a.facc };
    // SAFETY: `fuse_pairs` pairs this handler with such an instruction only.
    let flow = unsafe { B::step::<FB>(ip, &mut b, mem, ctx) };
    follow!(flow, ip, b, mem, ctx)
}

/// `two` for a pair whose second half is a backward branch, under epoch interruption
/// (`follow_polled!`).
unsafe fn two_polled<A: Step, B: Step, const FA: u8, const FB: u8>(
    ip: *const Op,
    regs: Regs,
    mem: Mem,
    ctx: &mut FastCtx,
    acc: Cell,
    facc: f64,
) -> Exit {
    let a = first_half!(A, FA, ip, regs, mem, ctx, acc, facc);
    // SAFETY: the first instruction fell through, so the second follows it in the code.
    let ip = unsafe { ip.add(1) };
    let mut b = Locs::<FB> { regs: a.regs, acc: a.acc, facc: a.facc };
    // SAFETY: `fuse_pairs` pairs this handler with such an instruction only.
    let flow = unsafe { B::step::<FB>(ip, &mut b, mem, ctx) };
    follow_polled!(flow, ip, b, mem, ctx)
}

/// The handler of the triple at `ip`: `A` (form `FA`), then the pair `B` (form `FB`) and
/// `C` (form `FC`) at `ip + 1` (`fuse/triples.rs`), run by the pair's handler: `two_polled`
/// with `POLLED` (`C` is a backward branch under epoch interruption), else `two`.
unsafe fn three<A: Step, B: Step, C: Step, const FA: u8, const FB: u8, const FC: u8, const POLLED: bool>(
    ip: *const Op,
    regs: Regs,
    mem: Mem,
    ctx: &mut FastCtx,
    acc: Cell,
    facc: f64,
) -> Exit {
    let a = first_half!(A, FA, ip, regs, mem, ctx, acc, facc);
    // SAFETY: the first instruction fell through, so the second follows it in the code.
    let ip = unsafe { ip.add(1) };
    // SAFETY: `fuse_pairs` gives this handler only to the first of three instructions with
    // these variants and forms, so `ip` is the first of the pair `B`, `C` the handler runs.
    unsafe {
        if POLLED {
            two_polled::<B, C, FB, FC>(ip, a.regs, mem, ctx, a.acc, a.facc)
        } else {
            two::<B, C, FB, FC>(ip, a.regs, mem, ctx, a.acc, a.facc)
        }
    }
}

/// The handler of `A` (form `FA`) followed by the `return` at `ip + 1` (`ops::call::ret`).
/// (Fusing a step with a call the same way was measured too: no faster, and slower on deep
/// recursion.)
unsafe fn then_return<A: Step, const FA: u8>(
    ip: *const Op,
    regs: Regs,
    mem: Mem,
    ctx: &mut FastCtx,
    acc: Cell,
    facc: f64,
) -> Exit {
    let a = first_half!(A, FA, ip, regs, mem, ctx, acc, facc);
    let r = Locs::<0> { regs: a.regs, acc: a.acc, facc: a.facc };
    // SAFETY: the first instruction fell through, so the `return` follows it in the code
    // (`fuse_pairs` pairs this handler with such an instruction only).
    unsafe { crate::exec::ops::ret(ip.add(1), r, mem, ctx) }
}

/// The handler of `A` in form `fa` followed by a `return`, which takes no operand from the
/// accumulator: `A` leaves it alone or writes its local too (`ALSO`).
fn then_return_for<A: Step>(fa: u8) -> Option<Handler> {
    Some(match fa {
        0 => then_return::<A, 0>,
        2 => then_return::<A, 2>,
        4 => then_return::<A, 4>,
        8 => then_return::<A, 8>,
        _ => return None,
    })
}

/// The handler of a `simple` instruction (no accumulator forms).
pub(in crate::exec) fn single_plain<S: Step>(form: u8) -> Handler {
    match form {
        0 => one::<S, 0>,
        _ => bad_acc,
    }
}

/// The handler of a branch in form `form` that checks the epoch deadline when it jumps
/// (`one_polled`).
pub(super) fn polled<S: Step>(form: u8) -> Handler {
    by_acc_form!(form, one_polled::<S>)
}

/// The handler of an `acc` instruction in accumulator form `form`.
pub(super) fn single<S: Step>(form: u8) -> Handler {
    by_acc_form!(form, one::<S>)
}

/// The handler of a memory access of class `acc` in form `form`: to a 32-bit memory 0,
/// to a 64-bit memory 0 (`MEM64`), or to any memory (`NAMED`, with `MEM64` if 64-bit),
/// each in every accumulator form.
pub(super) fn single_access<S: Step>(form: u8) -> Handler {
    const W: u8 = acc::MEM64;
    const N: u8 = acc::NAMED;
    const NW: u8 = acc::NAMED | acc::MEM64;
    let acc_form = form & !MEMORY;
    match form & MEMORY {
        W => by_acc_form!(acc_form, one::<S> | W),
        N => by_acc_form!(acc_form, one::<S> | N),
        NW => by_acc_form!(acc_form, one::<S> | NW),
        _ => by_acc_form!(acc_form, one::<S>),
    }
}

/// The handler of a memory access of class `step` in form `form` (see `single_access`).
pub(super) fn single_plain_access<S: Step>(form: u8) -> Handler {
    const NW: u8 = acc::NAMED | acc::MEM64;
    match form {
        acc::MEM64 => one::<S, { acc::MEM64 }>,
        acc::NAMED => one::<S, { acc::NAMED }>,
        NW => one::<S, NW>,
        _ => single_plain::<S>(form),
    }
}

/// The memory bits of an access's form: `NAMED` or `MEM64`, or neither for an access to a
/// 32-bit memory 0.
const MEMORY: u8 = acc::NAMED | acc::MEM64;

/// The pairs a kind makes as a load or a store in the named or the 64-bit form (a form with
/// a `MEMORY` bit), with the kinds the pair lists put beside it. Every kind has this trait
/// (`threaded::define_handlers`, by `access_pairs!`): loads and stores answer with the
/// forms below, other kinds with none, so a listed pair's handlers in the memory forms are
/// made for its access alone.
pub(crate) trait Access {
    /// The handler of this access in form `fa`, which has a memory bit, then `B` in form `fb`.
    fn then<B: Step + Access>(fa: u8, fb: u8) -> Option<Handler> {
        let _ = (fa, fb);
        None
    }

    /// The handler of `A` in form `fa`, then this access in form `fb`, which has a memory bit.
    fn after<A: Step + Access>(fa: u8, fb: u8) -> Option<Handler> {
        let _ = (fa, fb);
        None
    }
}

/// The body of a kind's `Access` impl, by its shape: the memory forms of loads and stores.
/// (Vector accesses and `memory.size` fuse only in memory 0's 32-bit form.)
macro_rules! access_pairs {
    (Load) => {
        fn then<B: fuse::Step + fuse::Access>(fa: u8, fb: u8) -> Option<Handler> {
            fuse::load_then::<Self, B>(fa, fb)
        }
        fn after<A: fuse::Step + fuse::Access>(fa: u8, fb: u8) -> Option<Handler> {
            fuse::then_load::<A, Self>(fa, fb)
        }
    };
    (Store) => {
        fn then<B: fuse::Step + fuse::Access>(fa: u8, fb: u8) -> Option<Handler> {
            fuse::store_then::<Self, B>(fa, fb)
        }
        fn after<A: fuse::Step + fuse::Access>(fa: u8, fb: u8) -> Option<Handler> {
            fuse::then_store::<A, Self>(fa, fb)
        }
    };
    (StoreImm) => { fuse::access_pairs!(Store); };
    ($shape:ident) => {};
}
pub(super) use access_pairs;

/// `two::<A, B, FA, FB>` for the pair's forms with the memory bits of `fa` or `fb` (one of
/// them has one) added to the side given (`first` or `second`), over a list of the forms
/// without them.
macro_rules! memory_forms {
    ($fa:ident, $fb:ident, first: $( ($x:literal, $y:literal) ),* $(,)?) => {
        match ($fa & !MEMORY, $fb, $fa & MEMORY) {
            $(
                ($x, $y, acc::NAMED) => Some(two::<A, B, { $x | acc::NAMED }, $y>),
                ($x, $y, acc::MEM64) => Some(two::<A, B, { $x | acc::MEM64 }, $y>),
            )*
            _ => None,
        }
    };
    ($fa:ident, $fb:ident, second: $( ($x:literal, $y:literal) ),* $(,)?) => {
        match ($fa, $fb & !MEMORY, $fb & MEMORY) {
            $(
                ($x, $y, acc::NAMED) => Some(two::<A, B, $x, { $y | acc::NAMED }>),
                ($x, $y, acc::MEM64) => Some(two::<A, B, $x, { $y | acc::MEM64 }>),
            )*
            _ => None,
        }
    };
}

// The forms of each side of an access pair in the named and 64-bit forms: fewer than in
// memory 0's (`pair`), those the benchmark programs execute most (the pair counter) --
// a load handing its value on (`DST`, perhaps with its address from the accumulator, `X`),
// a store taking its value (`Y`) from the instruction before or leaving the accumulator to
// the one after.

/// A load in a memory form, then `B`.
pub(super) fn load_then<A: Step, B: Step>(fa: u8, fb: u8) -> Option<Handler> {
    memory_forms!(fa, fb, first: (1, 2), (1, 4), (1, 5), (3, 2), (3, 4), (3, 5), (10, 2))
}

/// `A`, then a load in a memory form.
pub(super) fn then_load<A: Step, B: Step>(fa: u8, fb: u8) -> Option<Handler> {
    memory_forms!(fa, fb, second: (0, 0), (0, 1), (2, 1), (4, 1), (1, 2), (1, 3), (8, 2), (8, 3))
}

/// A store in a memory form, then `B`.
pub(super) fn store_then<A: Step, B: Step>(fa: u8, fb: u8) -> Option<Handler> {
    memory_forms!(fa, fb, first: (0, 0), (0, 8), (4, 0), (4, 8))
}

/// `A`, then a store in a memory form.
pub(super) fn then_store<A: Step, B: Step>(fa: u8, fb: u8) -> Option<Handler> {
    memory_forms!(fa, fb, second: (0, 0), (1, 2), (1, 4), (5, 4))
}

/// The pair handler for forms `fa` and `fb`, for the combinations that occur in practice:
/// neither touches the accumulator; the first hands its result to the second through it
/// (`DST` or `ALSO`, then `X` or `Y`), each possibly taking its other operand from it too; or
/// one reads an accumulator the other leaves alone. (Each combination is a handler per pair,
/// so the list is kept to those measured to matter.) An access in the named or 64-bit form
/// takes the forms its kind gives (`Access`); two such accesses in a row are not fused.
fn pair<A: Step + Access, B: Step + Access>(fa: u8, fb: u8) -> Option<Handler> {
    match (fa & MEMORY, fb & MEMORY) {
        (0, 0) => {}
        (_, 0) => return A::then::<B>(fa, fb),
        (0, _) => return B::after::<A>(fa, fb),
        _ => return None,
    }
    macro_rules! forms {
        ($( ($x:literal, $y:literal) ),* $(,)?) => {
            match (fa, fb) {
                $( ($x, $y) => Some(two::<A, B, $x, $y>), )*
                _ => None,
            }
        };
    }
    // Form bits: DST = 1, X = 2, Y = 4, ALSO = 8 (`bytecode::acc`).
    forms!(
        (0, 0), (0, 1), (0, 3), (0, 8), (2, 0), (4, 0), (2, 1), (4, 1),
        (1, 2), (1, 3), (1, 4), (1, 5),
        (3, 2), (3, 3), (3, 4), (3, 5),
        (5, 2), (5, 3), (5, 4), (5, 5),
        (8, 2), (8, 3), (8, 4),
        (10, 2), (10, 3), (10, 4),
        (12, 2), (12, 3), (12, 4),
        (1, 10), (1, 12), (3, 10), (3, 12), (5, 10), (5, 12), (8, 10), (8, 12),
    )
}

/// Gives the first instruction of each fused pair the pair's handler, then the first of
/// each fused triple the triple's (`ops` were encoded with `forms`). Under epoch
/// interruption a pair with a backward branch is fused only if it has a checking handler
/// (`polled_pair_for`).
pub(crate) fn fuse_pairs(ops: &mut [Op], forms: &[u8], epochs: bool) {
    // Without the `fast` feature no pair handler is reachable, so none is linked (a third of
    // the interpreter's code).
    if !cfg!(feature = "fast") || cfg!(feature = "pair-stats") {
        return;
    }
    for i in 1..ops.len() {
        let (a, b) = (&ops[i - 1].instr, &ops[i].instr);
        if epochs && (backward(a) || backward(b)) {
            if !backward(a)
                && let Some(handler) = polled_pair_for(a, forms[i - 1], b, forms[i])
            {
                ops[i - 1].handler = handler;
            }
            continue;
        }
        if let Some(handler) = fused(a, forms[i - 1], b, forms[i]) {
            ops[i - 1].handler = handler;
        }
    }
    // A listed triple replaces the pair its first instruction starts: entered there, one
    // dispatch runs all three. Its second and third instructions keep their handlers, so a
    // branch to either runs as before. A triple whose first or second instruction may jump
    // backward is not fused (none is listed); one that ends in such a jump (or a `br_table`)
    // gets, under epoch interruption, the handler that checks the deadline when it jumps.
    for i in 2..ops.len() {
        let (a, b, c) = (&ops[i - 2].instr, &ops[i - 1].instr, &ops[i].instr);
        if !triples::may_be_listed([a, b, c]) || backward(a) || backward(b) {
            continue;
        }
        // (A `br_table`'s entries may jump backward.)
        let polled = epochs && (backward(c) || matches!(c, Instr::BrTable(_)));
        if let Some(handler) = triples::triple_for([a, b, c], [forms[i - 2], forms[i - 1], forms[i]], polled) {
            ops[i - 2].handler = handler;
        }
    }
}

/// Whether the three instructions `instrs` in `forms` are a fused triple (without epoch
/// interruption).
#[cfg(feature = "pair-stats")]
pub(super) fn fused_triple(instrs: [&Instr; 3], forms: [u8; 3]) -> bool {
    triples::triple_for(instrs, forms, false).is_some()
}

/// The handler of the pair `a` (form `fa`) then `b` (form `fb`), if it is fused (without
/// epoch interruption).
pub(super) fn fused(a: &Instr, fa: u8, b: &Instr, fb: u8) -> Option<Handler> {
    // (The product pair's instructions are `step`s: form 0, no accumulator to check.)
    pair_for(a, fa, b, fb)
        .or_else(|| fuel_pair_for(a, fa, b, fb))
        .or_else(|| return_for(a, fa, b))
        .or_else(|| crate::exec::ops::product_into_memory(a, b))
}
