//! Where a taken branch goes: [`branch_target`], which the branch steps' `jump!` calls.

use super::Op;

/// The target of a taken branch at `at` whose byte offset is `offset` (`encode` made it
/// bytes), computed so that the next handler does not wait for the offset's load.
///
/// The instruction pointer is the handlers' one loop-carried dependency that every taken
/// branch lengthens: `at + offset` needs the offset loaded from the instruction first, and
/// the next handler's operand loads need the sum, so a loop pays a load's latency plus an
/// addition (6 cycles on the AMD EPYC) per iteration, whatever its body (BENCHMARKS.md,
/// "Issue 19, eleventh session": a one-pair loop took 8.8 cycles an iteration, 4.1 with
/// this). So the common offsets — a loop's back edge up to 40 instructions, a forward jump
/// of up to 16 — are compared with constants, and each gives a target computed
/// from `at` alone: the comparisons are branches, which the processor predicts and runs
/// ahead of the load, so the target is one addition of a constant away. An empty `asm!`
/// with its own text in each case keeps the compiler from folding the cases back into
/// `at + offset` (it would otherwise make a lookup of them, or the sum itself).
///
/// # Safety
///
/// `at + offset` is an instruction of `at`'s code (a verified branch target).
#[inline(always)]
#[allow(clippy::neg_multiply, clippy::erasing_op, clippy::identity_op)] // the cases' `k * S`
pub(crate) unsafe fn branch_target(at: *const Op, offset: i32) -> *const Op {
    #[cfg(all(feature = "fast", not(miri), any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        const S: i32 = core::mem::size_of::<Op>() as i32;
        macro_rules! near {
            ($($k:literal)*) => {
                $(
                    if offset == $k * S {
                        // SAFETY: the function's contract: `at + k` is the target.
                        let mut target = unsafe { at.offset($k) }.addr();
                        // SAFETY: an empty instruction sequence (a comment) that leaves its
                        // register as it is; it reads and writes no memory, nor the flags.
                        unsafe {
                            core::arch::asm!(
                                concat!("/* ", stringify!($k), " {0} */"),
                                inout(reg) target,
                                options(nomem, nostack, preserves_flags),
                            )
                        };
                        return at.with_addr(target);
                    }
                )*
            };
        }
        // Up to 40 instructions back (a loop's back edge) and 16 ahead, in instructions.
        near!(
            -1 -2 -3 -4 -5 -6 -7 -8 -9 -10 -11 -12 -13 -14 -15 -16 -17 -18 -19 -20
            -21 -22 -23 -24 -25 -26 -27 -28 -29 -30 -31 -32 -33 -34 -35 -36 -37 -38 -39 -40
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16
        );
    }
    // SAFETY: the function's contract.
    unsafe { at.byte_offset(offset as isize) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::Instr;
    use alloc::vec;

    /// Every offset, in the cases and outside them, backward and forward, gives the
    /// instruction that many bytes away.
    #[test]
    fn every_offset_gives_its_target() {
        let op = Op { handler: super::super::bad_acc, instr: Instr::jump(0) };
        let code = vec![op; 200];
        let at = 100;
        let size = core::mem::size_of::<Op>() as i32;
        for k in -100..100 {
            // SAFETY: `at + k` is inside `code`.
            let target = unsafe { branch_target(code.as_ptr().add(at), k * size) };
            assert!(core::ptr::eq(target, &code[(at as i32 + k) as usize]), "{k} instructions away");
        }
    }
}
