//! Where a taken branch goes: [`jump_from`], which the handlers call when a step jumps.
//!
//! The instruction pointer is the one loop-carried dependency that every taken branch
//! lengthens. Its target is `at + offset`, with the offset loaded from the branch, and every
//! operand load of the next handler waits for that sum: a load's latency plus an addition, 6
//! cycles on the AMD EPYC, on every taken branch, whatever the loop's body (BENCHMARKS.md,
//! "Issue 19, eleventh session": a loop of one fused pair took 8.6 cycles a turn). So a jump
//! of up to `BACK` instructions back (a loop's back edge) or `AHEAD` ahead continues through
//! `NEAR`, a table of handlers each made for one distance, which computes the target from
//! `at` and its own constant: the table's entry is chosen from the offset, but that choice is
//! an indirect jump the processor predicts and runs ahead of the load, so the next handler's
//! loads wait for one addition of a constant only. (Comparing the offset with each distance
//! in the handler did the same with a tree of predicted branches, at 1.2 MB more code.)
//! Only with `fast` and threaded dispatch, not under Miri; elsewhere the jump goes to the
//! target directly.

use super::{Exit, FastCtx, Locs, Mem, Op, TAIL_DISPATCH};
#[cfg(feature = "fast")]
use {super::Regs, crate::cell::Cell};

/// How many instructions back and ahead a jump goes through `NEAR`.
#[cfg(feature = "fast")]
const BACK: isize = 40;
#[cfg(feature = "fast")]
const AHEAD: isize = 16;

/// Continues at `target`, where a branch at `at` jumps.
///
/// # Safety
///
/// As for a handler continuing at `target` (an instruction of `at`'s code), with `regs`,
/// `mem` and `ctx` current.
#[inline(always)]
pub(crate) unsafe fn jump_from<const F: u8>(at: *const Op, target: *const Op, r: Locs<F>, mem: Mem, ctx: &mut FastCtx) -> Exit {
    #[cfg(all(feature = "fast", not(miri)))]
    if TAIL_DISPATCH {
        // SAFETY: both are instructions of the same code (the function's contract).
        let distance = unsafe { target.offset_from(at) };
        if let Some(&near) = NEAR.get(distance.wrapping_add(BACK) as usize) {
            // SAFETY: `near` is the entry for `distance`: it continues at `at + distance`,
            // which is `target`.
            return unsafe { near(at, r.regs, mem, ctx, r.acc, r.facc) };
        }
    }
    // (Without the table, only the target matters.)
    let _ = at;
    next!(target, r, mem, ctx);
}

/// The handler that continues `K` instructions from `at`: `NEAR`'s entry for `K`.
///
/// # Safety
///
/// As for a handler continuing at `at + K`, an instruction of `at`'s code.
#[cfg(feature = "fast")]
unsafe fn near<const K: isize>(at: *const Op, regs: Regs, mem: Mem, ctx: &mut FastCtx, acc: Cell, facc: f64) -> Exit {
    // SAFETY: the function's contract.
    let next = unsafe { at.offset(K) };
    // SAFETY: as above; its handler was made for it.
    unsafe { ((*next).handler)(next, regs, mem, ctx, acc, facc) }
}

/// `NEAR`'s entries, from `-BACK` to `AHEAD`.
#[cfg(feature = "fast")]
macro_rules! near_table {
    ($($k:literal)*) => { [$(near::<$k>),*] };
}

/// The handler for each distance from `-BACK` to `AHEAD` (index `distance + BACK`).
#[cfg(feature = "fast")]
static NEAR: [super::Handler; (BACK + AHEAD + 1) as usize] = near_table!(
    -40 -39 -38 -37 -36 -35 -34 -33 -32 -31 -30 -29 -28 -27 -26 -25 -24 -23 -22 -21
    -20 -19 -18 -17 -16 -15 -14 -13 -12 -11 -10 -9 -8 -7 -6 -5 -4 -3 -2 -1
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
);

#[cfg(all(test, feature = "fast"))]
mod tests {
    use super::*;
    use crate::bytecode::Instr;
    use alloc::vec;

    /// A handler that stops where it was sent.
    unsafe fn here(ip: *const Op, _: Regs, _: Mem, _: &mut FastCtx, _: Cell, _: f64) -> Exit {
        Exit(ip)
    }

    unsafe fn no_slow(_: *mut (), _: &mut FastCtx, _: *const Op) -> *const Op {
        core::ptr::null()
    }

    /// Entry `i` of the table continues `i - BACK` instructions from where it is called.
    #[test]
    fn each_entry_continues_at_its_distance() {
        let code = vec![Op { handler: here, instr: Instr::jump(0) }; 100];
        let at = 50;
        let mut ctx = FastCtx::new(no_slow, here);
        let mem = Mem { base: core::ptr::null_mut(), len: 0 };
        for (i, near) in NEAR.iter().enumerate() {
            let k = i as isize - BACK;
            // SAFETY: `at + k` is inside `code`, whose handlers touch nothing.
            let Exit(landed) = unsafe { near(code.as_ptr().add(at), Regs(core::ptr::null_mut()), mem, &mut ctx, 0, 0.0) };
            assert!(core::ptr::eq(landed, &code[(at as isize + k) as usize]), "entry {i}");
        }
    }
}
