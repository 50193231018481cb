//! Floating-point lanes (`f32x4`, `f64x2`) and the conversions between float and integer
//! lanes.
//!
//! Each lane follows Mica's scalar semantics (`exec/values.rs`): `min`/`max` propagate NaN
//! and order `-0 < +0`; `abs`/`neg` touch only the sign bit; the rounding instructions and
//! `sqrt` quiet a NaN operand (the standard library's functions with `std`, `libm`'s
//! without). Other NaN results come from Rust's float arithmetic, which only ever produces
//! arithmetic NaNs, as the spec allows. Comparisons give all-ones (true) or all-zeros
//! (false) lanes. Float-to-int conversions saturate (Rust's `as` casts do exactly what
//! `trunc_sat` asks: NaN gives 0, out-of-range values clamp).

use super::*;

#[cfg(test)]
mod tests;

/// Defines the rounding functions of one float type: a NaN operand gives a quiet NaN (some
/// implementations pass a signalling NaN through), otherwise the standard library's method
/// with `std` and `libm`'s function without.
macro_rules! rounding {
    ($f:ty; $($(#[$doc:meta])* $name:ident: $std:ident, $libm:ident;)*) => {$(
        $(#[$doc])*
        #[inline(always)]
        pub(super) fn $name(x: $f) -> $f {
            if x.is_nan() {
                return x + x;
            }
            #[cfg(feature = "std")]
            {
                x.$std()
            }
            #[cfg(not(feature = "std"))]
            {
                libm::$libm(x)
            }
        }
    )*};
}

/// Defines a module of scalar lane operations for one float type, matching the scalar
/// instructions of `exec/values.rs`.
macro_rules! scalar {
    ($(
        $(#[$doc:meta])*
        $m:ident: $f:ty, $bits:ty, [$ceil:ident $floor:ident $trunc:ident $rint:ident $sqrt:ident];
    )*) => {$(
        $(#[$doc])*
        mod $m {
            /// The sign bit.
            const SIGN: $bits = 1 << (<$bits>::BITS - 1);

            /// Wasm `min`: NaN if either operand is, and `-0 < +0`.
            #[inline(always)]
            pub(super) fn min(a: $f, b: $f) -> $f {
                if a.is_nan() || b.is_nan() {
                    return a + b;
                }
                if a == b {
                    return <$f>::from_bits(a.to_bits() | b.to_bits());
                }
                if a < b { a } else { b }
            }

            /// Wasm `max`: NaN if either operand is, and `+0 > -0`.
            #[inline(always)]
            pub(super) fn max(a: $f, b: $f) -> $f {
                if a.is_nan() || b.is_nan() {
                    return a + b;
                }
                if a == b {
                    return <$f>::from_bits(a.to_bits() & b.to_bits());
                }
                if a > b { a } else { b }
            }

            /// Clears the sign bit (NaN payloads pass through).
            #[inline(always)]
            pub(super) fn abs(a: $f) -> $f {
                <$f>::from_bits(a.to_bits() & !SIGN)
            }

            /// Flips the sign bit (NaN payloads pass through).
            #[inline(always)]
            pub(super) fn neg(a: $f) -> $f {
                <$f>::from_bits(a.to_bits() ^ SIGN)
            }

            rounding! { $f;
                /// Rounds towards +∞.
                ceil: ceil, $ceil;
                /// Rounds towards −∞.
                floor: floor, $floor;
                /// Rounds towards zero.
                trunc: trunc, $trunc;
                /// Rounds to the nearest integer, ties to even.
                nearest: round_ties_even, $rint;
                /// Square root, correctly rounded.
                sqrt: sqrt, $sqrt;
            }
        }
    )*};
}

scalar! {
    /// Scalar `f32` lane operations.
    f32s: f32, u32, [ceilf floorf truncf rintf sqrtf];
    /// Scalar `f64` lane operations.
    f64s: f64, u64, [ceil floor trunc rint sqrt];
}

/// An all-ones `u32` lane for true, all-zeros for false.
#[inline(always)]
fn mask32(c: bool) -> u32 {
    (c as u32).wrapping_neg()
}

/// An all-ones `u64` lane for true, all-zeros for false.
#[inline(always)]
fn mask64(c: bool) -> u64 {
    (c as u64).wrapping_neg()
}

/// Defines lane-wise unary operations: `$to` views the operand, `$from` joins the results.
macro_rules! unary {
    ($($(#[$doc:meta])* $name:ident: $to:ident => $from:ident, $f:expr;)*) => {$(
        $(#[$doc])*
        #[inline(always)]
        pub(crate) fn $name(a: V) -> V {
            $from(map($to(a), $f))
        }
    )*};
}

/// Defines lane-wise binary operations: `$to` views both operands, `$from` joins the results.
macro_rules! binary {
    ($($(#[$doc:meta])* $name:ident: $to:ident => $from:ident, $f:expr;)*) => {$(
        $(#[$doc])*
        #[inline(always)]
        pub(crate) fn $name(a: V, b: V) -> V {
            $from(zip($to(a), $to(b), $f))
        }
    )*};
}

// Comparisons.
binary! {
    /// `f32x4.eq`: all-ones where `a == b` (false for NaN).
    f32x4_eq: to_f32x4 => from_u32x4, |x, y| mask32(x == y);
    /// `f32x4.ne`: all-ones where `a != b` (true for NaN).
    f32x4_ne: to_f32x4 => from_u32x4, |x, y| mask32(x != y);
    /// `f32x4.lt`: all-ones where `a < b`.
    f32x4_lt: to_f32x4 => from_u32x4, |x, y| mask32(x < y);
    /// `f32x4.gt`: all-ones where `a > b`.
    f32x4_gt: to_f32x4 => from_u32x4, |x, y| mask32(x > y);
    /// `f32x4.le`: all-ones where `a <= b`.
    f32x4_le: to_f32x4 => from_u32x4, |x, y| mask32(x <= y);
    /// `f32x4.ge`: all-ones where `a >= b`.
    f32x4_ge: to_f32x4 => from_u32x4, |x, y| mask32(x >= y);
    /// `f64x2.eq`: all-ones where `a == b` (false for NaN).
    f64x2_eq: to_f64x2 => from_u64x2, |x, y| mask64(x == y);
    /// `f64x2.ne`: all-ones where `a != b` (true for NaN).
    f64x2_ne: to_f64x2 => from_u64x2, |x, y| mask64(x != y);
    /// `f64x2.lt`: all-ones where `a < b`.
    f64x2_lt: to_f64x2 => from_u64x2, |x, y| mask64(x < y);
    /// `f64x2.gt`: all-ones where `a > b`.
    f64x2_gt: to_f64x2 => from_u64x2, |x, y| mask64(x > y);
    /// `f64x2.le`: all-ones where `a <= b`.
    f64x2_le: to_f64x2 => from_u64x2, |x, y| mask64(x <= y);
    /// `f64x2.ge`: all-ones where `a >= b`.
    f64x2_ge: to_f64x2 => from_u64x2, |x, y| mask64(x >= y);
}

// Sign operations, rounding and square roots.
unary! {
    /// `f32x4.abs`: clears each lane's sign bit.
    f32x4_abs: to_f32x4 => from_f32x4, f32s::abs;
    /// `f32x4.neg`: flips each lane's sign bit.
    f32x4_neg: to_f32x4 => from_f32x4, f32s::neg;
    /// `f32x4.sqrt`: lane-wise square root.
    f32x4_sqrt: to_f32x4 => from_f32x4, f32s::sqrt;
    /// `f32x4.ceil`: rounds each lane towards +∞.
    f32x4_ceil: to_f32x4 => from_f32x4, f32s::ceil;
    /// `f32x4.floor`: rounds each lane towards −∞.
    f32x4_floor: to_f32x4 => from_f32x4, f32s::floor;
    /// `f32x4.trunc`: rounds each lane towards zero.
    f32x4_trunc: to_f32x4 => from_f32x4, f32s::trunc;
    /// `f32x4.nearest`: rounds each lane to the nearest integer, ties to even.
    f32x4_nearest: to_f32x4 => from_f32x4, f32s::nearest;
    /// `f64x2.abs`: clears each lane's sign bit.
    f64x2_abs: to_f64x2 => from_f64x2, f64s::abs;
    /// `f64x2.neg`: flips each lane's sign bit.
    f64x2_neg: to_f64x2 => from_f64x2, f64s::neg;
    /// `f64x2.sqrt`: lane-wise square root.
    f64x2_sqrt: to_f64x2 => from_f64x2, f64s::sqrt;
    /// `f64x2.ceil`: rounds each lane towards +∞.
    f64x2_ceil: to_f64x2 => from_f64x2, f64s::ceil;
    /// `f64x2.floor`: rounds each lane towards −∞.
    f64x2_floor: to_f64x2 => from_f64x2, f64s::floor;
    /// `f64x2.trunc`: rounds each lane towards zero.
    f64x2_trunc: to_f64x2 => from_f64x2, f64s::trunc;
    /// `f64x2.nearest`: rounds each lane to the nearest integer, ties to even.
    f64x2_nearest: to_f64x2 => from_f64x2, f64s::nearest;
}

// Arithmetic, min and max.
binary! {
    /// `f32x4.add`: lane-wise sum.
    f32x4_add: to_f32x4 => from_f32x4, |x, y| x + y;
    /// `f32x4.sub`: lane-wise difference.
    f32x4_sub: to_f32x4 => from_f32x4, |x, y| x - y;
    /// `f32x4.mul`: lane-wise product.
    f32x4_mul: to_f32x4 => from_f32x4, |x, y| x * y;
    /// `f32x4.div`: lane-wise quotient.
    f32x4_div: to_f32x4 => from_f32x4, |x, y| x / y;
    /// `f32x4.min`: lane-wise minimum, NaN-propagating, `-0 < +0`.
    f32x4_min: to_f32x4 => from_f32x4, f32s::min;
    /// `f32x4.max`: lane-wise maximum, NaN-propagating, `-0 < +0`.
    f32x4_max: to_f32x4 => from_f32x4, f32s::max;
    /// `f32x4.pmin`: pseudo-minimum, `b < a ? b : a` (so `a` when either is NaN).
    f32x4_pmin: to_f32x4 => from_f32x4, |x, y| if y < x { y } else { x };
    /// `f32x4.pmax`: pseudo-maximum, `a < b ? b : a` (so `a` when either is NaN).
    f32x4_pmax: to_f32x4 => from_f32x4, |x, y| if x < y { y } else { x };
    /// `f64x2.add`: lane-wise sum.
    f64x2_add: to_f64x2 => from_f64x2, |x, y| x + y;
    /// `f64x2.sub`: lane-wise difference.
    f64x2_sub: to_f64x2 => from_f64x2, |x, y| x - y;
    /// `f64x2.mul`: lane-wise product.
    f64x2_mul: to_f64x2 => from_f64x2, |x, y| x * y;
    /// `f64x2.div`: lane-wise quotient.
    f64x2_div: to_f64x2 => from_f64x2, |x, y| x / y;
    /// `f64x2.min`: lane-wise minimum, NaN-propagating, `-0 < +0`.
    f64x2_min: to_f64x2 => from_f64x2, f64s::min;
    /// `f64x2.max`: lane-wise maximum, NaN-propagating, `-0 < +0`.
    f64x2_max: to_f64x2 => from_f64x2, f64s::max;
    /// `f64x2.pmin`: pseudo-minimum, `b < a ? b : a` (so `a` when either is NaN).
    f64x2_pmin: to_f64x2 => from_f64x2, |x, y| if y < x { y } else { x };
    /// `f64x2.pmax`: pseudo-maximum, `a < b ? b : a` (so `a` when either is NaN).
    f64x2_pmax: to_f64x2 => from_f64x2, |x, y| if x < y { y } else { x };
}

// Same-width conversions.
unary! {
    /// `i32x4.trunc_sat_f32x4_s`: truncates towards zero, saturating; NaN gives 0.
    i32x4_trunc_sat_f32x4_s: to_f32x4 => from_i32x4, |x| x as i32;
    /// `i32x4.trunc_sat_f32x4_u`: truncates towards zero, saturating (negatives give 0);
    /// NaN gives 0.
    i32x4_trunc_sat_f32x4_u: to_f32x4 => from_u32x4, |x| x as u32;
    /// `f32x4.convert_i32x4_s`: signed lanes to the nearest `f32` (ties to even).
    f32x4_convert_i32x4_s: to_i32x4 => from_f32x4, |x| x as f32;
    /// `f32x4.convert_i32x4_u`: unsigned lanes to the nearest `f32` (ties to even).
    f32x4_convert_i32x4_u: to_u32x4 => from_f32x4, |x| x as f32;
}

/// `i32x4.trunc_sat_f64x2_s_zero`: both `f64` lanes truncated and saturated to `i32` in
/// lanes 0 and 1 (NaN gives 0); lanes 2 and 3 are zero.
#[inline(always)]
pub(crate) fn i32x4_trunc_sat_f64x2_s_zero(a: V) -> V {
    let [x, y] = to_f64x2(a);
    from_i32x4([x as i32, y as i32, 0, 0])
}

/// `i32x4.trunc_sat_f64x2_u_zero`: both `f64` lanes truncated and saturated to `u32` in
/// lanes 0 and 1 (NaN and negatives give 0); lanes 2 and 3 are zero.
#[inline(always)]
pub(crate) fn i32x4_trunc_sat_f64x2_u_zero(a: V) -> V {
    let [x, y] = to_f64x2(a);
    from_u32x4([x as u32, y as u32, 0, 0])
}

/// `f64x2.convert_low_i32x4_s`: the two low signed `i32` lanes as `f64` (exact).
#[inline(always)]
pub(crate) fn f64x2_convert_low_i32x4_s(a: V) -> V {
    let [x, y, _, _] = to_i32x4(a);
    from_f64x2([x as f64, y as f64])
}

/// `f64x2.convert_low_i32x4_u`: the two low unsigned `i32` lanes as `f64` (exact).
#[inline(always)]
pub(crate) fn f64x2_convert_low_i32x4_u(a: V) -> V {
    let [x, y, _, _] = to_u32x4(a);
    from_f64x2([x as f64, y as f64])
}

/// `f32x4.demote_f64x2_zero`: both `f64` lanes rounded to the nearest `f32` in lanes 0 and
/// 1 (a NaN stays a NaN, quiet); lanes 2 and 3 are `+0`.
#[inline(always)]
pub(crate) fn f32x4_demote_f64x2_zero(a: V) -> V {
    let [x, y] = to_f64x2(a);
    from_f32x4([x as f32, y as f32, 0.0, 0.0])
}

/// `f64x2.promote_low_f32x4`: the two low `f32` lanes as `f64` (exact; a NaN stays a NaN,
/// quiet).
#[inline(always)]
pub(crate) fn f64x2_promote_low_f32x4(a: V) -> V {
    let [x, y, _, _] = to_f32x4(a);
    from_f64x2([x as f64, y as f64])
}
