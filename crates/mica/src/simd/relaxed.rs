//! Relaxed SIMD (WebAssembly 3.0): the instructions whose results the spec lets depend on
//! the host. Mica gives every one of them the result of the spec's *deterministic
//! profile*, so a program computes the same bits on every host.
//!
//! The spec (WebAssembly 3.0, Numerics, "Relaxed Operations"; SpecTec source
//! `specification/wasm-3.0/3.0-numerics.relaxed.spectec`) writes each relaxed result as
//! `relaxed(R)[A0, …, An]`, where `R` is a global implementation parameter, and prescribes
//! `R = 0` in the deterministic profile: every operation returns its first alternative,
//! `A0`. What that alternative is:
//!
//! | Instruction | Parameter | Mica's result (`A0`) | Alternatives not taken |
//! |---|---|---|---|
//! | `i8x16.relaxed_swizzle` | `R_swizzle` | `i8x16.swizzle`: index ≥ 16 gives 0 | `a[i mod 16]` for 16..=127 |
//! | `i32x4.relaxed_trunc_*` (4) | `R_trunc_s/u` | `trunc_sat`: NaN 0, saturating | fixed `INT_MIN`/`UINT_MAX`/… |
//! | `f32x4`/`f64x2.relaxed_madd` | `R_fmadd` | unfused `fadd(fmul(a, b), c)` (*) | fused `fma(a, b, c)` |
//! | `f32x4`/`f64x2.relaxed_nmadd` | `R_fmadd` | `relaxed_madd(-a, b, c)`, unfused | fused |
//! | `i*.relaxed_laneselect` (4) | `R_laneselect` | `v128.bitselect(a, b, m)` | top mask bit per lane |
//! | `f32x4`/`f64x2.relaxed_min/max` | `R_fmin/fmax` | `min` / `max` (NaN, `-0 < +0`) | an operand, or the NaN |
//! | `i16x8.relaxed_q15mulr_s` | `R_iq15mulr` | `q15mulr_sat_s`: `MIN × MIN` = 32767 | wraps to -32768 |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s` | `R_idot` | `b` signed; pair sums saturate (**) | `b` unsigned |
//! | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | `R_idot` | the above, `extadd_pairwise_s`, `+ c` | `b` unsigned |
//!
//! (*) Two roundings: the spec's note reads "In the deterministic profile, the unfused
//! behaviour is used".
//!
//! (**) `$ivdot_sat_`: the two 16-bit products of a lane are added with signed saturation,
//! so only `-128 × -128` twice overflows, giving 32767. The `i32x4` form then adds the
//! `i16` lanes pairwise into `i32`s and adds `c`, wrapping.
//!
//! Where the choice only matters for inputs outside an instruction's intended domain (a
//! swizzle index ≥ 16, a mask lane mixing set and clear bits, a second dot operand with its
//! top bit set), the result is the one the plain SIMD instruction gives.

use super::float;
use super::*;

#[cfg(test)]
mod tests;

/// Applies `f` lane by lane to three operands.
#[inline(always)]
fn zip3<T: Copy, U, const N: usize>(
    a: [T; N],
    b: [T; N],
    c: [T; N],
    f: impl Fn(T, T, T) -> U,
) -> [U; N] {
    core::array::from_fn(|i| f(a[i], b[i], c[i]))
}

/// `i8x16.swizzle`'s lanes: `a[s[i]]`, or 0 where the index is 16 or more.
#[inline(always)]
fn swizzle(a: V, s: V) -> V {
    let a = to_u8x16(a);
    from_u8x16(map(to_u8x16(s), |i| if i < 16 { a[i as usize] } else { 0 }))
}

/// `i8x16.relaxed_swizzle`: `a[s[i]]` for indices below 16, 0 for every other index (the
/// deterministic profile's choice, which is `i8x16.swizzle`).
#[inline(always)]
pub(crate) fn i8x16_relaxed_swizzle(a: V, s: V) -> V {
    swizzle(a, s)
}

/// `i32x4.relaxed_trunc_f32x4_s`: as `i32x4.trunc_sat_f32x4_s` (NaN gives 0, out-of-range
/// saturates).
#[inline(always)]
pub(crate) fn i32x4_relaxed_trunc_f32x4_s(a: V) -> V {
    float::i32x4_trunc_sat_f32x4_s(a)
}

/// `i32x4.relaxed_trunc_f32x4_u`: as `i32x4.trunc_sat_f32x4_u` (NaN and negatives give 0,
/// too-large values `u32::MAX`).
#[inline(always)]
pub(crate) fn i32x4_relaxed_trunc_f32x4_u(a: V) -> V {
    float::i32x4_trunc_sat_f32x4_u(a)
}

/// `i32x4.relaxed_trunc_f64x2_s_zero`: as `i32x4.trunc_sat_f64x2_s_zero`.
#[inline(always)]
pub(crate) fn i32x4_relaxed_trunc_f64x2_s_zero(a: V) -> V {
    float::i32x4_trunc_sat_f64x2_s_zero(a)
}

/// `i32x4.relaxed_trunc_f64x2_u_zero`: as `i32x4.trunc_sat_f64x2_u_zero`.
#[inline(always)]
pub(crate) fn i32x4_relaxed_trunc_f64x2_u_zero(a: V) -> V {
    float::i32x4_trunc_sat_f64x2_u_zero(a)
}

/// Defines relaxed multiply-adds from a lane expression: the product and the sum are each
/// rounded (unfused; Rust never contracts `x * y + z` into a fused multiply-add).
macro_rules! madd {
    ($($(#[$doc:meta])* $name:ident: $to:ident => $from:ident, $f:expr;)*) => {$(
        $(#[$doc])*
        #[inline(always)]
        pub(crate) fn $name(a: V, b: V, c: V) -> V {
            $from(zip3($to(a), $to(b), $to(c), $f))
        }
    )*};
}

madd! {
    /// `f32x4.relaxed_madd`: `a * b + c` lane-wise, rounding the product and then the sum.
    f32x4_relaxed_madd: to_f32x4 => from_f32x4, |x, y, z| x * y + z;
    /// `f32x4.relaxed_nmadd`: `-a * b + c` lane-wise, rounding the product and then the sum.
    f32x4_relaxed_nmadd: to_f32x4 => from_f32x4, |x: f32, y, z| -x * y + z;
    /// `f64x2.relaxed_madd`: `a * b + c` lane-wise, rounding the product and then the sum.
    f64x2_relaxed_madd: to_f64x2 => from_f64x2, |x, y, z| x * y + z;
    /// `f64x2.relaxed_nmadd`: `-a * b + c` lane-wise, rounding the product and then the sum.
    f64x2_relaxed_nmadd: to_f64x2 => from_f64x2, |x: f64, y, z| -x * y + z;
}

/// `v128.bitselect`: each result bit from `a` where `m`'s bit is set, from `b` where clear.
#[inline(always)]
fn bitselect(a: V, b: V, m: V) -> V {
    core::array::from_fn(|i| (a[i] & m[i]) | (b[i] & !m[i]))
}

/// `i8x16.relaxed_laneselect`: `v128.bitselect(a, b, m)`.
#[inline(always)]
pub(crate) fn i8x16_relaxed_laneselect(a: V, b: V, m: V) -> V {
    bitselect(a, b, m)
}

/// `i16x8.relaxed_laneselect`: `v128.bitselect(a, b, m)`.
#[inline(always)]
pub(crate) fn i16x8_relaxed_laneselect(a: V, b: V, m: V) -> V {
    bitselect(a, b, m)
}

/// `i32x4.relaxed_laneselect`: `v128.bitselect(a, b, m)`.
#[inline(always)]
pub(crate) fn i32x4_relaxed_laneselect(a: V, b: V, m: V) -> V {
    bitselect(a, b, m)
}

/// `i64x2.relaxed_laneselect`: `v128.bitselect(a, b, m)`.
#[inline(always)]
pub(crate) fn i64x2_relaxed_laneselect(a: V, b: V, m: V) -> V {
    bitselect(a, b, m)
}

/// `f32x4.relaxed_min`: as `f32x4.min` (NaN-propagating, `-0 < +0`).
#[inline(always)]
pub(crate) fn f32x4_relaxed_min(a: V, b: V) -> V {
    float::f32x4_min(a, b)
}

/// `f32x4.relaxed_max`: as `f32x4.max` (NaN-propagating, `-0 < +0`).
#[inline(always)]
pub(crate) fn f32x4_relaxed_max(a: V, b: V) -> V {
    float::f32x4_max(a, b)
}

/// `f64x2.relaxed_min`: as `f64x2.min` (NaN-propagating, `-0 < +0`).
#[inline(always)]
pub(crate) fn f64x2_relaxed_min(a: V, b: V) -> V {
    float::f64x2_min(a, b)
}

/// `f64x2.relaxed_max`: as `f64x2.max` (NaN-propagating, `-0 < +0`).
#[inline(always)]
pub(crate) fn f64x2_relaxed_max(a: V, b: V) -> V {
    float::f64x2_max(a, b)
}

/// `i16x8.relaxed_q15mulr_s`: as `i16x8.q15mulr_sat_s`, the rounded Q15 product
/// `(a * b + 2^14) >> 15`, saturated (only `-32768 × -32768` overflows, giving 32767).
#[inline(always)]
pub(crate) fn i16x8_relaxed_q15mulr_s(a: V, b: V) -> V {
    from_i16x8(zip(to_i16x8(a), to_i16x8(b), |x, y| {
        let p = (x as i32 * y as i32 + 0x4000) >> 15;
        p.clamp(i16::MIN as i32, i16::MAX as i32) as i16
    }))
}

/// The relaxed `i8x16` → `i16x8` dot product, both operands signed: lane `i` is
/// `a[2i] * b[2i] + a[2i+1] * b[2i+1]`, the two 16-bit products added with signed
/// saturation (only `-128 × -128` twice overflows, giving 32767).
#[inline(always)]
fn dot_i8x16(a: V, b: V) -> [i16; 8] {
    let p = zip(to_i8x16(a), to_i8x16(b), |x, y| x as i16 * y as i16);
    core::array::from_fn(|i| p[2 * i].saturating_add(p[2 * i + 1]))
}

/// `i16x8.relaxed_dot_i8x16_i7x16_s`: the pairwise dot product of signed bytes, saturated
/// to `i16` (the second operand read as signed, the deterministic profile's choice).
#[inline(always)]
pub(crate) fn i16x8_relaxed_dot_i8x16_i7x16_s(a: V, b: V) -> V {
    from_i16x8(dot_i8x16(a, b))
}

/// `i32x4.relaxed_dot_i8x16_i7x16_add_s`: the `i16x8` relaxed dot product above, its
/// adjacent lanes summed into `i32`s, plus `c` (wrapping).
#[inline(always)]
pub(crate) fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: V, b: V, c: V) -> V {
    let d = dot_i8x16(a, b);
    let c = to_i32x4(c);
    from_i32x4(core::array::from_fn(|i| {
        (d[2 * i] as i32 + d[2 * i + 1] as i32).wrapping_add(c[i])
    }))
}
