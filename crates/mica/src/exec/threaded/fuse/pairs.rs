//! The tuning table of fusion: which adjacent instructions get a pair's handler, by kind
//! and form. The lists come from the pair counter (`pair_stats.rs`) run over the benchmark
//! programs; the handlers they name are `fuse.rs`'s generic ones.

use super::*;
use crate::bytecode::Opcode;

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

/// The pairs fused in every form `pair` knows, beyond those that close loops. Calls `$m` with
/// the list.
macro_rules! common_pairs {
    ($m:ident) => {
        $m!(
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
    ($m:ident!($($args:tt)*)) => {
        $m!($($args)*;
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
            (I32Add, I32GtUImm) (2, 1);
            (I32GtUImm, Select) (1, 3);
            (Select, I32Store8) (3, 4);
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
}

/// Returns from `pair_for` with the handler of `$a` (form `$fa`) then `$b` (form `$fb`) if
/// the pair is on a list of pairs fused in the listed forms only (`pairs_in_forms!`).
macro_rules! in_listed_forms {
    ($a:ident, $fa:ident, $b:ident, $fb:ident;
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

/// A list of pairs, in either list form (`(X, Y),` or `(X, Y) (forms)+;`), as opcodes.
macro_rules! pair_opcodes {
    (forms; $( ($x:ident, $y:ident) $( ($f:literal, $g:literal) )+ ; )*) => { &[$( (Opcode::$x, Opcode::$y) ),*] };
    ($( ($x:ident, $y:ident) ),* $(,)?) => { &[$( (Opcode::$x, Opcode::$y) ),*] };
}

/// The bits of `LISTED_PAIRS`.
const PAIR_BITS: usize = 1 << 14;

/// The bit of `LISTED_PAIRS` that the pair of opcodes `a` then `b` sets.
const fn pair_bit(a: usize, b: usize) -> usize {
    (a * 1021 + b) % PAIR_BITS
}

/// A set of the pairs `pair_for` lists, by opcodes, that may also hold others (a Bloom
/// filter with one hash): one load rules out nearly every adjacent pair of instructions
/// before `pair_for`'s `match`es. 2 KiB, for ~140 listed pairs.
static LISTED_PAIRS: [u64; PAIR_BITS / 64] = {
    let lists: [&[(Opcode, Opcode)]; 3] =
        [pairs_in_forms!(pair_opcodes!(forms)), loop_closing_pairs!(pair_opcodes), common_pairs!(pair_opcodes)];
    let mut set = [0u64; PAIR_BITS / 64];
    let mut i = 0;
    while i < lists.len() {
        let mut j = 0;
        while j < lists[i].len() {
            let bit = pair_bit(lists[i][j].0 as usize, lists[i][j].1 as usize);
            set[bit / 64] |= 1 << (bit % 64);
            j += 1;
        }
        i += 1;
    }
    set
};

/// The handler of the pair `a` (form `fa`) then `b` (form `fb`), if it is one that is fused:
/// the pairs executed most often across the benchmark programs (C compiled by clang, and
/// hand-written loops), by kind. `mica run` built with the feature `pair-stats` counts them
/// (`threaded/pair_stats.rs`; how, in BENCHMARKS.md).
pub(super) fn pair_for(a: &Instr, fa: u8, b: &Instr, fb: u8) -> Option<Handler> {
    let bit = pair_bit(a.opcode(), b.opcode());
    if LISTED_PAIRS[bit / 64] & (1 << (bit % 64)) != 0 {
        listed_pair(a, fa, b, fb)
    } else {
        debug_assert!(listed_pair(a, fa, b, fb).is_none(), "a listed pair is missing from LISTED_PAIRS");
        None
    }
}

/// `pair_for`'s search of the lists.
fn listed_pair(a: &Instr, fa: u8, b: &Instr, fb: u8) -> Option<Handler> {
    macro_rules! pairs {
        ($( ($x:ident, $y:ident) ),* $(,)?) => {
            match (a, b) {
                $( (Instr::$x(_), Instr::$y(_)) => return pair::<kind::$x, kind::$y>(fa, fb), )*
                _ => {}
            }
        };
    }
    pairs_in_forms!(in_listed_forms!(a, fa, b, fb));
    loop_closing_pairs!(pairs);
    common_pairs!(pairs);
    None
}


/// The pairs with a segment's `Fuel` (fuel metering): `Fuel` and the instruction after it
/// (which takes nothing from the accumulator: a segment starts at a label or after a branch),
/// or a conditional branch and the `Fuel` of the path that does not branch. The forms are
/// only those that occur: `Fuel` has none, and what follows it may hand its result on.
pub(super) fn fuel_pair_for(a: &Instr, fa: u8, b: &Instr, fb: u8) -> Option<Handler> {
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
pub(super) fn polled_pair_for(a: &Instr, fa: u8, b: &Instr, fb: u8) -> Option<Handler> {
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
pub(super) fn backward(instr: &Instr) -> bool {
    instr.branch_offset().is_some_and(|offset| offset <= 0)
}

/// The handler of `a` (form `fa`) followed by a `return` `b`, if `a` is one of the
/// instructions that commonly compute or move a result right before one.
pub(super) fn return_for(a: &Instr, fa: u8, b: &Instr) -> Option<Handler> {
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
