//! The fused triples: three adjacent instructions run by one handler (`fuse::three`), for
//! the straight-line runs where pairs still leave a dispatch between them: a loop's last
//! instructions and its test, a byte copied, a generator's mixing steps. The list comes from
//! the triple counter (`pair_stats.rs`, feature `pair-stats`) run over the benchmark
//! programs, and each entry was kept only if it cut the instructions executed (cachegrind;
//! BENCHMARKS.md, "Issue 19, eighth session"): a triple that swallows the first instruction
//! of a pair that follows it saves no dispatch and can cost more than the pairs did.

use super::*;
use crate::bytecode::{OPCODES, Opcode, opcode_set};

/// The fused triples, by kind and forms. Calls `$m` with the list.
macro_rules! triple_list {
    ($m:ident) => {
        $m!(
            // A loop's tail: a sum, the counter (also into the accumulator) and its test; or a
            // value moved, the counter and its test (recursion turned into a loop; a call loop).
            (I32Add, I32SubImm, BrI32GtUImm) (0, 8, 2);
            (I32Add, I32AddImm, BrI32LtUImm) (2, 8, 2);
            (Copy, I32AddImm, BrI32LtUImm) (0, 8, 2);
            // Two counters stepped, the second (64-bit) tested (a sieve's scan over its flags).
            (I32AddImm, I64AddImm, BrI64Ne) (0, 8, 2);
            // An element's address, its load and the comparison on it (a sort's scan).
            (I32AddImm, I32Load, BrI32LtU) (8, 10, 2);
            // A byte copied: its address, the load, the store; and the store, then the next
            // address.
            (I32AddImm, I32Load8U, I32Store8) (1, 3, 4);
            (I32Load8U, I32Store8, I32AddImm) (3, 4, 0);
            // A linear congruential step and the bits taken from it; the mix that follows.
            (I32MulImm, I32AddImm, I32ShrUImm) (1, 10, 3);
            (I32Xor, I32ShlImm, I32RotlImm) (5, 0, 3);
            // A clamp stored (pixel arithmetic).
            (I32GtUImm, Select, I32Store8) (1, 3, 4);
            // Two neighbours loaded and summed; the sum mixed and stored (a pass over an array).
            (I32Load, I32Load, I32Add) (0, 1, 5);
            (I32RotlImm, I32Xor, I32Store) (3, 3, 4);
            // An opcode loaded, the program counter moved past it, and the dispatch on it (an
            // interpreter's loop).
            (I32Load8U, I32AddImm, BrTable) (0, 0, 0);
            // Registers rotated at the end of a round (message digests).
            (Copy, Copy, Copy) (0, 0, 0);
        )
    };
}

/// The opcodes at position 0, 1 or 2 of the listed triples.
macro_rules! triple_opcodes {
    ($( ($x:ident, $y:ident, $z:ident) $( ($f:expr, $g:expr, $h:expr) )+ ; )*) => {
        [opcode_set(&[$( Opcode::$x ),*]), opcode_set(&[$( Opcode::$y ),*]), opcode_set(&[$( Opcode::$z ),*])]
    };
}

/// Whether an instruction is at position 0, 1 or 2 of some listed triple: three loads rule
/// out nearly every run of three instructions before `triple_for`'s `match`.
static TRIPLES: [[bool; OPCODES]; 3] = triple_list!(triple_opcodes);

/// The handler of the triple `instrs` in `forms`, if it is listed; `polled` when the third
/// is a backward branch under epoch interruption (the first two never are: `fuse_pairs`).
///
/// Forms are listed whole: the accesses here are memory 0's 32-bit form. Form bits: DST = 1,
/// X = 2, Y = 4, ALSO = 8.
pub(super) fn triple_for(instrs: [&Instr; 3], forms: [u8; 3], polled: bool) -> Option<Handler> {
    if may_be_listed(instrs) {
        listed_triple(instrs, forms, polled)
    } else {
        debug_assert!(listed_triple(instrs, forms, polled).is_none(), "a listed triple is missing from TRIPLES");
        None
    }
}

/// Whether the kinds of `instrs` could be a listed triple's (`TRIPLES`).
#[inline]
pub(super) fn may_be_listed(instrs: [&Instr; 3]) -> bool {
    let [a, b, c] = instrs.map(Instr::opcode);
    // One branch on the three (nearly always false, so well predicted), not three.
    TRIPLES[0][a] & TRIPLES[1][b] & TRIPLES[2][c]
}

/// `triple_for`'s search of the list.
fn listed_triple(instrs: [&Instr; 3], forms: [u8; 3], polled: bool) -> Option<Handler> {
    macro_rules! triples {
        ($( ($x:ident, $y:ident, $z:ident) $( ($f:expr, $g:expr, $h:expr) )+ ; )*) => {
            match instrs {
                $( $( [Instr::$x(_), Instr::$y(_), Instr::$z(_)] if forms == [$f, $g, $h] => Some(if polled {
                    three::<kind::$x, kind::$y, kind::$z, { $f }, { $g }, { $h }, true>
                } else {
                    three::<kind::$x, kind::$y, kind::$z, { $f }, { $g }, { $h }, false>
                }), )+ )*
                _ => None,
            }
        };
    }
    triple_list!(triples)
}
