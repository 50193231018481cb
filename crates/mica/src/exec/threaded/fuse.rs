//! Generic handlers over [`Step`]s: an instruction on its own, or two adjacent instructions
//! in one handler (a *fused pair*), which saves the dispatch between them and keeps the
//! value the first hands to the second (through the accumulator) in a register.
//!
//! Fusing changes no code: the first instruction of a pair gets the pair's handler, which
//! runs both and continues after the second; the second keeps its own handler, so a branch
//! to it still works. [`fuse_pairs`] picks the pairs, from a list of the shapes that are hot
//! in real programs (loop counters feeding their exit test, address arithmetic feeding a
//! load, a load feeding arithmetic, moves in a row).

use super::*;

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
            Flow::Jump(target) => next!(target, $r, $mem, $ctx),
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
            Flow::Jump(target) => next!(target, r, $mem, $ctx),
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

/// The fused pairs that end in a branch which often jumps back: a loop counter or a loaded
/// value and the test on it; the last instruction of a block and the jump out of it (an
/// interpreter's cases, and loops closed by `br`). Fused with plain handlers (`pair_for`),
/// and under epoch interruption, where the branch goes backward, with checking ones
/// (`polled_pair_for`). Calls `$m` with the list.
macro_rules! loop_closing_pairs {
    ($m:ident) => {
        $m!(
            (I32AddImm, BrI32LtU),
            (I32AddImm, BrI32LtUImm),
            (I32AddImm, BrI32Ne),
            (I32AddImm, BrI32NeImm),
            (I32AddImm, BrI32LeU),
            (I32AddImm, BrI32LtS),
            (I32AddImm, BrI32LtSImm),
            (I32AddImm, BrIfNez),
            (I32SubImm, BrIfNez),
            (I32SubImm, BrI32GtSImm),
            (I32SubImm, BrI32GtUImm),
            (I32SubImm, BrI32LtU),
            (I64AddImm, BrI64Ne),
            (I64AddImm, BrI64LtU),
            (I64AddImm, BrI64LeU),
            (I64Add, BrI64LeU),
            (I32Add, BrI32LeU),
            (I32Load, BrI32LtU),
            (I32Load8U, BrIfNez),
            (I32Load8U, BrIfEqz),
            (I32AddImm, Br),
            (I32SubImm, Br),
            (I32Add, Br),
            (I64Add, Br),
            (I64Xor, Br),
            (I64RotlImm, Br),
            (I32Load8U, Br),
            (I32Store, Br),
            (Copy, Br),
            (Const32, Br),
        )
    };
}

/// Returns the handler of the pair `$a` (form `$fa`) then `$b` (form `$fb`) if it is one of
/// the pairs fused in the forms listed only: a handler per listed form, where `pair` makes
/// one for every form pair it knows. These are the fall-throughs that the pair counter still
/// found hot in the benchmark programs once the pairs of `pair_for` were fused (BENCHMARKS.md,
/// "Issue 19, seventh session"); each is the shape of common compiled code, not of one
/// program. Form bits: DST = 1, X = 2, Y = 4, ALSO = 8; a listed access is memory 0's
/// 32-bit form (its memory bits are not in the literals).
macro_rules! pairs_in_forms {
    ($a:ident, $fa:ident, $b:ident, $fb:ident) => {
        pairs_in_forms!(@list $a, $fa, $b, $fb;
            // Index arithmetic and loop tests (sorting, searching).
            (BrI32LtU, I32AddImm) (0, 8);
            (BrI32LtU, I32SubImm) (2, 0);
            (Copy, I32SubImm) (0, 0);
            (I32SubImm, I32ShlImm) (0, 1);
            (I32SubImm, I32LtS) (0, 0);
            (I32LtS, I32SubImm) (0, 0);
            (I32Store, Copy) (2, 0) (4, 0);
            (I32Add, Copy) (4, 0);
            (Copy, BrI32LeS) (0, 0);
            (BrI32LtS, I32Store) (2, 0);
            (I32AddImm, I32SubImm) (0, 8);
            (I64Load, BrI64LtU) (8, 2);
            (BrI64LtU, I64AddImm) (2, 0);
            (BrIfNez, I64Load) (0, 8);
            (I64Add, I32AddImm) (2, 8);
            (I64AddImm, Copy) (0, 0);
            (Copy, I64ExtendI32U) (0, 0);
            (Const32, Const32) (0, 0);
            // Mixing 64-bit state (hashes, generators).
            (I32SubImm, I64ExtendI32U) (0, 0);
            (I64ExtendI32U, I64AddImm) (0, 1);
            (I64AddImm, I64Xor) (1, 2);
            (I64MulImm, I64Add) (1, 2);
            (I64Xor, I32SubImm) (2, 0);
            (I64Add, I32AndImm) (2, 0);
            // Bit operations on words (message digests).
            (I32Add, I32EqImm) (0, 1);
            (I32EqImm, BrIfNez) (1, 2);
            (I32Add, I32Xor) (2, 1);
            (I32Add, I32XorImm) (2, 1);
            (I32And, I32And) (0, 3);
            (I32And, I32RotlImm) (0, 0);
            (I32And, I32Xor) (3, 2);
            (I32And, I32Add) (5, 5);
            (I32Xor, I32And) (1, 0);
            (I32Xor, I32ShrUImm) (2, 1);
            (I32XorImm, I32And) (1, 5);
            // Packing bytes into words, words copied.
            (I32ShrUImm, I32ShlImm) (0, 3);
            (I32ShlImm, I32Or) (3, 3);
            (I32Or, I32Store) (3, 4);
            (I32AddImm, I64Load) (1, 3);
            (I64Load, I64Store) (3, 4);
            (I32Load, I32ShrUImm) (10, 0);
            // Pixel arithmetic: sums of neighbours, scaled, clamped, stored.
            (I32Load8U, I32Add) (1, 4) (3, 5);
            (I32Load16U, I32Add) (1, 4) (1, 5);
            (I32Load8U, I32Load8U) (0, 1);
            (I32Add, I32AddImm) (4, 8);
            (I32Add, I32MulImm) (5, 10);
            (I32MulImm, I32ShrUImm) (10, 0);
            (I32ShrUImm, I32ShrUImm) (0, 3);
            (I32ShrUImm, I32Add) (3, 2);
            (I32Add, I32GtUImm) (2, 0);
            (I32GtUImm, Select) (0, 0);
            (Select, I32Store8) (0, 0);
            (I32Add, I32Store16) (5, 4);
            (I32Store16, I32AddImm) (4, 0);
            (I32Add, BrI32NeImm) (5, 2);
            // Floating-point expressions (vector lengths, forces).
            (F64Load, F64Load) (0, 0);
            (F64Load, I32SubImm) (0, 1);
            (F64Mul, I32SubImm) (0, 1);
            (F64Add, F64Add) (5, 12);
            (F64Add, F64Sqrt) (12, 3);
            (F64Sqrt, F64Mul) (3, 5);
            (F64Mul, F64Div) (5, 12);
            (F64Div, F64Mul) (12, 5);
            // The shadow stack and a host call's result (a C library's wrappers).
            (I32AddImm, GlobalGet) (0, 0);
            (I32AddImm, Const32) (0, 0);
            (BrIfNez, I64Load32S) (0, 0);
            (I64Load32S, I64Load) (0, 1);
            (I64Store, I64MulImm) (4, 1);
            (I64Store32, Const32) (4, 0);
            (I64Add, Copy) (4, 0);
            (I64Add, I32SubImm) (4, 8);
            (Copy, I64LeU) (0, 1);
            (GlobalSet, BrIfNez) (0, 0);
            (I64Sub, I64Store32) (5, 4);
        )
    };
    (@list $a:ident, $fa:ident, $b:ident, $fb:ident;
        $( ($x:ident, $y:ident) $( ($f:literal, $g:literal) )+ ; )*) => {
        match ($a, $b) {
            $( (Instr::$x(_), Instr::$y(_)) => match ($fa, $fb) {
                $( ($f, $g) => return Some(two::<kind::$x, kind::$y, $f, $g>), )+
                _ => {}
            }, )*
            _ => {}
        }
    };
}

/// The handler of the pair `a` (form `fa`) then `b` (form `fb`), if it is one that is fused:
/// the pairs executed most often across the benchmark programs (C compiled by clang, and
/// hand-written loops), by kind. `mica run` built with the feature `pair-stats` counts them
/// (`threaded/pair_stats.rs`; how, in BENCHMARKS.md).
fn pair_for(a: &Instr, fa: u8, b: &Instr, fb: u8) -> Option<Handler> {
    macro_rules! pairs {
        ($( ($x:ident, $y:ident) ),* $(,)?) => {
            match (a, b) {
                $( (Instr::$x(_), Instr::$y(_)) => return pair::<kind::$x, kind::$y>(fa, fb), )*
                _ => {}
            }
        };
    }
    pairs_in_forms!(a, fa, b, fb);
    loop_closing_pairs!(pairs);
    pairs!(
        // A test that falls through into the loop body.
        (BrIfNez, I32AddImm),
        (BrIfNez, I32SubImm),
        (BrIfNez, I32Add),
        (BrI32LtUImm, I32Load),
        (BrI32LtUImm, I32SubImm),
        (BrI32GtUImm, I32Add),
        // A flag tested (a status code's low bits, a bit of a mask).
        (I32AndImm, BrIfEqz),
        // Counters and index arithmetic.
        (I32AddImm, I32AddImm),
        (I32SubImm, I32SubImm),
        (I32Add, I32AddImm),
        (I32AddImm, I32Add),
        (I32Add, I32SubImm),
        (I32AddImm, I64AddImm),
        (I64AddImm, I32SubImm),
        (I64Add, I32AddImm),
        (Copy, I32AddImm),
        (I32SubImm, Copy),
        (I32ShlImm, I32Add),
        (I32WrapI64, I32Add),
        (I64ExtendI32U, I64MulImm),
        // Address arithmetic and the access it feeds.
        (I32Add, I32Load),
        (I32Add, I32Load8U),
        (I32Add, I32Store),
        (I32AddImm, I32Load),
        (I32AddImm, I32Load8U),
        (I32AddImm, I32Store),
        (I32AddImm, I32Store8),
        (I32AddImm, F64Load),
        (I32SubImm, F64Load),
        (I32SubImm, I32Load),
        (I32Add, I32Load16U),
        (I32Add, I64Load8U),
        (I32AddImm, I64Load8U),
        (I32ShlImm, I32Store),
        // An access and what follows it.
        (I32Load8U, I32Store8),
        (I32Load8U, I32AddImm),
        (I32Load, I32Add),
        (I32Load, I32AddImm),
        (I32Load, I32SubImm),
        (I32Load, I32Load),
        (I32Store, I32AddImm),
        (I32Store8, I32AddImm),
        (I32Store8Imm, I32Add),
        (I32Store8Imm, I64Add),
        (I64Load8U, I64Xor),
        (I64Load8U, I64Add),
        (I64Load32U, I64Add),
        (I64Store, I32AddImm),
        (F64Store, I32AddImm),
        (F64Store, I32SubImm),
        (F64Store, F64Load),
        // Floating-point chains.
        (F64Load, F64Add),
        (F64Load, F64Mul),
        (F64Load, F64Sub),
        (F64Mul, F64Load),
        (F64Mul, F64Add),
        (F64Mul, F64Sub),
        (F64Mul, F64Mul),
        (F64Sub, F64Mul),
        (F64Add, F64Store),
        (F64Sub, F64Store),
        // Integer chains (hashing, bit mixing).
        (I32Add, I32Add),
        (I32Xor, I32Add),
        (I32Add, I32RotlImm),
        (I32RotlImm, I32Xor),
        (I32Xor, I32RotlImm),
        (I32RotlImm, I32RotlImm),
        (I32Xor, I32AndImm),
        (I32AndImm, Copy),
        (I32Xor, I32Store),
        (I32MulImm, I32AddImm),
        (I32ShrUImm, I32Xor),
        (I32RotlImm, I32Add),
        (I64ExtendI32U, I64Add),
        (I64ExtendI32U, I32Add),
        (I64Add, I64ShrUImm),
        (I64ShrUImm, I64Xor),
        (I64ShlImm, I64Add),
        (I64ShlImm, I64Xor),
        (I64Xor, I64ShlImm),
        (I64Xor, I64Mul),
        (I64Mul, I64Add),
        (I64MulImm, I64AddImm),
        (I64MulImm, I64Sub),
        (I64Load, I64DivU),
        (I64Load, I64MulImm),
        (I64LeU, I64ExtendI32U),
        // The shadow-stack pointer (a global) moved by a function's prologue and epilogue.
        (GlobalGet, I32SubImm),
        (I32SubImm, GlobalSet),
        (I32AddImm, GlobalSet),
        (GlobalSet, I32Load),
        // SIMD chains: a vector loaded, combined and stored (vectorized loops).
        (V128Load, F64x2Mul),
        (V128Load, F64x2Add),
        (F64x2Mul, F64x2Add),
        (F64x2Add, V128Store),
        (V128Load, F32x4Mul),
        (V128Load, F32x4Add),
        (F32x4Mul, F32x4Add),
        (F32x4Add, V128Store),
        (V128Load, I32x4Add),
        (I32x4Add, V128Store),
        (I32x4Add, I32x4Add),
        (I16x8Add, I16x8Add),
        (I32x4Mul, I32x4Add),
        (I32x4Add, I32x4ShrU),
        (V128Load8x8U, I16x8Add),
        (V128Store, I32AddImm),
        // A product added to a vector from memory (a product added back to memory has a
        // handler of its own, `ops::product_into_memory`).
        (F64x2MulMem, F64x2AddMem),
        (F32x4MulMem, F32x4AddMem),
        // Moves in a row.
        (Copy, Copy),
        (Const32, Copy),
    );
    None
}

/// The pairs with a segment's `Fuel` (fuel metering): `Fuel` and the instruction after it
/// (which takes nothing from the accumulator: a segment starts at a label or after a branch),
/// or a conditional branch and the `Fuel` of the path that does not branch. The forms are
/// only those that occur: `Fuel` has none, and what follows it may hand its result on.
fn fuel_pair_for(a: &Instr, fa: u8, b: &Instr, fb: u8) -> Option<Handler> {
    macro_rules! fuel_then {
        ($( $x:ident ),* $(,)?) => {
            match b {
                $( Instr::$x(_) => match fb {
                    0 => Some(two::<kind::Fuel, kind::$x, 0, 0>),
                    1 => Some(two::<kind::Fuel, kind::$x, 0, 1>),
                    8 => Some(two::<kind::Fuel, kind::$x, 0, 8>),
                    _ => None,
                }, )*
                _ => None,
            }
        };
    }
    macro_rules! then_fuel {
        ($( $x:ident ),* $(,)?) => {
            match a {
                $( Instr::$x(_) => match fa {
                    0 => Some(two::<kind::$x, kind::Fuel, 0, 0>),
                    2 => Some(two::<kind::$x, kind::Fuel, 2, 0>),
                    4 => Some(two::<kind::$x, kind::Fuel, 4, 0>),
                    6 => Some(two::<kind::$x, kind::Fuel, 6, 0>),
                    _ => None,
                }, )*
                _ => None,
            }
        };
    }
    /// A loop's exit test (the copy at its end, when threaded) or an `if`'s condition:
    /// after a segment's `Fuel`, or before the `Fuel` of the path that does not branch.
    macro_rules! tests {
        ($m:ident $(, $more:ident)*) => {
            $m!(
                BrIfNez, BrIfEqz, BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GeS, BrI32GeU,
                BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm,
                BrI32LeSImm, BrI32GeSImm, BrI32GeUImm, BrI64Ne, BrI64LtU, $($more),*
            )
        };
    }
    match (a, b) {
        (Instr::Fuel(_), _) if fa == 0 => tests!(
            fuel_then,
            // The first instruction of a loop body or a branch's path.
            I32AddImm, I32SubImm, I32Add, I32ShlImm, I32Load, I32Load8U, I64Load, F64Load,
            I32Store, Copy, Const32, GlobalGet
        ),
        (_, Instr::Fuel(_)) if fb == 0 => tests!(then_fuel),
        _ => None,
    }
}

/// `pair` for a pair ending in a backward branch, under epoch interruption (`two_polled`).
fn pair_polled<A: Step, B: Step>(fa: u8, fb: u8) -> Option<Handler> {
    macro_rules! forms {
        ($( ($x:literal, $y:literal) ),* $(,)?) => {
            match (fa, fb) {
                $( ($x, $y) => Some(two_polled::<A, B, $x, $y>), )*
                _ => None,
            }
        };
    }
    // A value computed and tested (`DST` then `X`), or neither touching the accumulator.
    forms!((0, 0), (1, 2), (1, 0), (0, 2), (8, 2), (0, 4), (1, 4))
}

/// Under epoch interruption, the handler of `a` followed by the backward branch `b`, for
/// the pairs that close loops (`loop_closing_pairs!`).
fn polled_pair_for(a: &Instr, fa: u8, b: &Instr, fb: u8) -> Option<Handler> {
    macro_rules! pairs {
        ($( ($x:ident, $y:ident) ),* $(,)?) => {
            match (a, b) {
                $( (Instr::$x(_), Instr::$y(_)) => pair_polled::<kind::$x, kind::$y>(fa, fb), )*
                _ => None,
            }
        };
    }
    loop_closing_pairs!(pairs)
}

/// Whether `instr` is a branch that may jump backward (or to itself).
fn backward(instr: &Instr) -> bool {
    instr.branch_offset().is_some_and(|offset| offset <= 0)
}

/// The handler of `a` (form `fa`) followed by a `return` `b`, if `a` is one of the
/// instructions that commonly compute or move a result right before one.
fn return_for(a: &Instr, fa: u8, b: &Instr) -> Option<Handler> {
    if !matches!(b, Instr::Return(_)) {
        return None;
    }
    macro_rules! before {
        ($( $x:ident ),* $(,)?) => {
            match a {
                $( Instr::$x(_) => then_return_for::<kind::$x>(fa), )*
                _ => None,
            }
        };
    }
    before!(
        Copy, Const32, Const64, I32Add, I32Sub, I32AddImm, I32SubImm, I32AndImm, I32Load, I32Xor,
        I64Add, I64Sub, I64AddImm, I64ExtendI32U, I64ExtendI32S, I64Load, F64Add, F64Mul,
        F64Load, GlobalSet, I32Store,
    )
}

/// Gives the first instruction of each fused pair the pair's handler (`ops` were encoded
/// with `forms`). Under epoch interruption a pair with a backward branch is fused only if it
/// has a checking handler (`polled_pair_for`).
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
