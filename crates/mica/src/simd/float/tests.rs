//! Concrete lane values for every floating-point SIMD instruction, NaNs and signed zeros
//! included.

use super::*;

/// A signalling `f32` NaN (quiet bit clear, non-zero payload).
const SNAN32: u32 = 0x7fa0_0000;
/// A signalling `f64` NaN.
const SNAN64: u64 = 0x7ff4_0000_0000_0000;
/// The `f32` quiet bit.
const QUIET32: u32 = 0x0040_0000;
/// The `f64` quiet bit.
const QUIET64: u64 = 0x0008_0000_0000_0000;

/// Four `f32` lanes.
fn f4(l: [f32; 4]) -> V {
    from_f32x4(l)
}

/// Two `f64` lanes.
fn d2(l: [f64; 2]) -> V {
    from_f64x2(l)
}

/// The bits of four `f32` lanes, so `-0.0` and `+0.0` compare different.
fn bits4(l: [f32; 4]) -> [u32; 4] {
    l.map(f32::to_bits)
}

/// The bits of two `f64` lanes.
fn bits2(l: [f64; 2]) -> [u64; 2] {
    l.map(f64::to_bits)
}

/// Whether an `f32` lane is a quiet (arithmetic) NaN.
///
/// Under Miri only whether it is a NaN: Miri picks among every NaN result Rust's float
/// semantics allow, an unquieted signalling input among them, while the x86-64 and AArch64
/// instructions these operations compile to always quiet it (which the spec suite's
/// `nan:arithmetic` results check natively). Miri is here for memory safety.
fn quiet32(bits: u32) -> bool {
    f32::from_bits(bits).is_nan() && (cfg!(miri) || bits & QUIET32 != 0)
}

/// Whether an `f64` lane is a quiet (arithmetic) NaN (under Miri: a NaN; see `quiet32`).
fn quiet64(bits: u64) -> bool {
    f64::from_bits(bits).is_nan() && (cfg!(miri) || bits & QUIET64 != 0)
}

const T32: u32 = u32::MAX;
const T64: u64 = u64::MAX;

#[test]
fn f32x4_comparisons() {
    let a = f4([1.0, f32::NAN, -0.0, 2.0]);
    let b = f4([1.0, f32::NAN, 0.0, 3.0]);
    assert_eq!(to_u32x4(f32x4_eq(a, b)), [T32, 0, T32, 0]);
    assert_eq!(to_u32x4(f32x4_ne(a, b)), [0, T32, 0, T32]);
    assert_eq!(to_u32x4(f32x4_lt(a, b)), [0, 0, 0, T32]);
    assert_eq!(to_u32x4(f32x4_gt(a, b)), [0, 0, 0, 0]);
    assert_eq!(to_u32x4(f32x4_le(a, b)), [T32, 0, T32, T32]);
    assert_eq!(to_u32x4(f32x4_ge(a, b)), [T32, 0, T32, 0]);
    assert_eq!(to_u32x4(f32x4_gt(b, a)), [0, 0, 0, T32]);
    let n = f4([f32::NAN, 1.0, f32::INFINITY, f32::NEG_INFINITY]);
    let m = f4([1.0, f32::NAN, f32::INFINITY, f32::INFINITY]);
    assert_eq!(to_u32x4(f32x4_lt(n, m)), [0, 0, 0, T32]);
    assert_eq!(to_u32x4(f32x4_ge(n, m)), [0, 0, T32, 0]);
    assert_eq!(to_u32x4(f32x4_ne(n, m)), [T32, T32, 0, T32]);
}

#[test]
fn f64x2_comparisons() {
    let a = d2([-0.0, f64::NAN]);
    let b = d2([0.0, 1.0]);
    assert_eq!(to_u64x2(f64x2_eq(a, b)), [T64, 0]);
    assert_eq!(to_u64x2(f64x2_ne(a, b)), [0, T64]);
    assert_eq!(to_u64x2(f64x2_lt(a, b)), [0, 0]);
    assert_eq!(to_u64x2(f64x2_le(a, b)), [T64, 0]);
    assert_eq!(to_u64x2(f64x2_gt(a, b)), [0, 0]);
    assert_eq!(to_u64x2(f64x2_ge(a, b)), [T64, 0]);
    let c = d2([1.0, 5.0]);
    let d = d2([2.0, -5.0]);
    assert_eq!(to_u64x2(f64x2_lt(c, d)), [T64, 0]);
    assert_eq!(to_u64x2(f64x2_gt(c, d)), [0, T64]);
    assert_eq!(to_u64x2(f64x2_le(c, d)), [T64, 0]);
    assert_eq!(to_u64x2(f64x2_ge(c, d)), [0, T64]);
    assert_eq!(to_u64x2(f64x2_eq(c, c)), [T64, T64]);
}

#[test]
fn abs_and_neg_touch_only_the_sign() {
    let a = from_u32x4([0xffc0_0001, SNAN32, 0x8000_0000, 0x3f80_0000]);
    assert_eq!(
        to_u32x4(f32x4_abs(a)),
        [0x7fc0_0001, SNAN32, 0, 0x3f80_0000]
    );
    assert_eq!(
        to_u32x4(f32x4_neg(a)),
        [0x7fc0_0001, SNAN32 | 0x8000_0000, 0, 0xbf80_0000]
    );
    let b = from_u64x2([SNAN64 | 1 << 63, 0]);
    assert_eq!(to_u64x2(f64x2_abs(b)), [SNAN64, 0]);
    assert_eq!(to_u64x2(f64x2_neg(b)), [SNAN64, 1 << 63]);
    assert_eq!(
        to_f64x2(f64x2_abs(d2([-2.5, f64::NEG_INFINITY]))),
        [2.5, f64::INFINITY]
    );
}

#[test]
fn sqrt() {
    let r = to_f32x4(f32x4_sqrt(f4([4.0, 2.0, -1.0, -0.0])));
    assert_eq!(
        bits4([r[0], r[1], r[3], 0.0]),
        bits4([2.0, core::f32::consts::SQRT_2, -0.0, 0.0])
    );
    assert!(r[2].is_nan());
    let r = to_u32x4(f32x4_sqrt(from_u32x4([
        SNAN32,
        0x7f80_0000,
        0,
        0x7fc0_0000,
    ])));
    assert!(quiet32(r[0]) && quiet32(r[3]));
    assert_eq!([r[1], r[2]], [0x7f80_0000, 0]);
    let r = to_f64x2(f64x2_sqrt(d2([9.0, 2.0])));
    assert_eq!(r, [3.0, core::f64::consts::SQRT_2]);
    let r = to_u64x2(f64x2_sqrt(from_u64x2([SNAN64, (-1.0f64).to_bits()])));
    assert!(quiet64(r[0]) && quiet64(r[1]));
}

#[test]
fn f32x4_rounding() {
    let a = f4([1.5, -1.5, 2.5, -0.5]);
    assert_eq!(
        bits4(to_f32x4(f32x4_ceil(a))),
        bits4([2.0, -1.0, 3.0, -0.0])
    );
    assert_eq!(
        bits4(to_f32x4(f32x4_floor(a))),
        bits4([1.0, -2.0, 2.0, -1.0])
    );
    assert_eq!(
        bits4(to_f32x4(f32x4_trunc(a))),
        bits4([1.0, -1.0, 2.0, -0.0])
    );
    assert_eq!(
        bits4(to_f32x4(f32x4_nearest(a))),
        bits4([2.0, -2.0, 2.0, -0.0])
    );
    let b = f4([0.5, 3.5, -2.5, f32::INFINITY]);
    assert_eq!(
        bits4(to_f32x4(f32x4_nearest(b))),
        bits4([0.0, 4.0, -2.0, f32::INFINITY])
    );
    assert_eq!(
        bits4(to_f32x4(f32x4_ceil(b))),
        bits4([1.0, 4.0, -2.0, f32::INFINITY])
    );
    assert_eq!(
        bits4(to_f32x4(f32x4_floor(b))),
        bits4([0.0, 3.0, -3.0, f32::INFINITY])
    );
    // Past 2^23 every f32 is an integer; zeros keep their sign.
    let c = f4([8388609.0, -16777216.0, -0.0, 0.0]);
    for op in [f32x4_ceil, f32x4_floor, f32x4_trunc, f32x4_nearest] {
        assert_eq!(
            bits4(to_f32x4(op(c))),
            bits4([8388609.0, -16777216.0, -0.0, 0.0])
        );
        let r = to_u32x4(op(from_u32x4([
            SNAN32,
            0xffc0_0000,
            0x7f80_0000,
            0xff80_0000,
        ])));
        assert!(quiet32(r[0]) && quiet32(r[1]), "NaN in, quiet NaN out");
        assert_eq!([r[2], r[3]], [0x7f80_0000, 0xff80_0000]);
    }
    let d = f4([0.3, -0.3, 0.7, -0.7]);
    assert_eq!(
        bits4(to_f32x4(f32x4_ceil(d))),
        bits4([1.0, -0.0, 1.0, -0.0])
    );
    assert_eq!(
        bits4(to_f32x4(f32x4_floor(d))),
        bits4([0.0, -1.0, 0.0, -1.0])
    );
    assert_eq!(
        bits4(to_f32x4(f32x4_trunc(d))),
        bits4([0.0, -0.0, 0.0, -0.0])
    );
    assert_eq!(
        bits4(to_f32x4(f32x4_nearest(d))),
        bits4([0.0, -0.0, 1.0, -1.0])
    );
}

#[test]
fn f64x2_rounding() {
    let a = d2([2.5, -0.5]);
    assert_eq!(bits2(to_f64x2(f64x2_nearest(a))), bits2([2.0, -0.0]));
    assert_eq!(bits2(to_f64x2(f64x2_ceil(a))), bits2([3.0, -0.0]));
    assert_eq!(bits2(to_f64x2(f64x2_floor(a))), bits2([2.0, -1.0]));
    assert_eq!(bits2(to_f64x2(f64x2_trunc(a))), bits2([2.0, -0.0]));
    let b = d2([-1.5, 3.5]);
    assert_eq!(bits2(to_f64x2(f64x2_nearest(b))), bits2([-2.0, 4.0]));
    assert_eq!(bits2(to_f64x2(f64x2_ceil(b))), bits2([-1.0, 4.0]));
    assert_eq!(bits2(to_f64x2(f64x2_floor(b))), bits2([-2.0, 3.0]));
    assert_eq!(bits2(to_f64x2(f64x2_trunc(b))), bits2([-1.0, 3.0]));
    // 2^52 + 1 is an integer; 2^52 - 0.5 rounds to even.
    let c = d2([4503599627370497.0, 4503599627370495.5]);
    assert_eq!(
        to_f64x2(f64x2_nearest(c)),
        [4503599627370497.0, 4503599627370496.0]
    );
    for op in [f64x2_ceil, f64x2_floor, f64x2_trunc, f64x2_nearest] {
        let r = to_u64x2(op(from_u64x2([SNAN64, f64::NEG_INFINITY.to_bits()])));
        assert!(quiet64(r[0]), "NaN in, quiet NaN out");
        assert_eq!(r[1], f64::NEG_INFINITY.to_bits());
    }
}

#[test]
fn f32x4_arithmetic() {
    let a = f4([1.5, f32::NAN, f32::INFINITY, 1.0]);
    let b = f4([2.0, 1.0, f32::INFINITY, 0.0]);
    let r = to_f32x4(f32x4_add(a, b));
    assert_eq!([r[0], r[2], r[3]], [3.5, f32::INFINITY, 1.0]);
    assert!(r[1].is_nan());
    let r = to_f32x4(f32x4_sub(a, b));
    assert_eq!([r[0], r[3]], [-0.5, 1.0]);
    assert!(r[1].is_nan() && r[2].is_nan(), "inf - inf is NaN");
    let r = to_f32x4(f32x4_mul(a, b));
    assert_eq!([r[0], r[2], r[3]], [3.0, f32::INFINITY, 0.0]);
    assert!(r[1].is_nan());
    let r = to_f32x4(f32x4_div(a, b));
    assert_eq!([r[0], r[3]], [0.75, f32::INFINITY]);
    assert!(r[1].is_nan() && r[2].is_nan());
    assert_eq!(
        to_f32x4(f32x4_div(f4([-1.0; 4]), f4([0.0; 4]))),
        [f32::NEG_INFINITY; 4]
    );
    let r = to_u32x4(f32x4_add(from_u32x4([SNAN32; 4]), f4([1.0; 4])));
    assert!(r.iter().all(|&x| quiet32(x)));
}

#[test]
fn f64x2_arithmetic() {
    let a = d2([0.1, f64::NAN]);
    let b = d2([0.2, 3.0]);
    let r = to_f64x2(f64x2_add(a, b));
    assert_eq!(r[0], 0.1 + 0.2);
    assert!(r[1].is_nan());
    let r = to_f64x2(f64x2_sub(b, a));
    assert_eq!(r[0], 0.2 - 0.1);
    assert!(r[1].is_nan());
    let r = to_f64x2(f64x2_mul(d2([3.0, 0.0]), d2([-2.0, f64::INFINITY])));
    assert_eq!(r[0], -6.0);
    assert!(r[1].is_nan(), "0 * inf is NaN");
    let r = to_f64x2(f64x2_div(d2([1.0, 0.0]), d2([4.0, 0.0])));
    assert_eq!(r[0], 0.25);
    assert!(r[1].is_nan(), "0 / 0 is NaN");
}

#[test]
fn min_and_max() {
    let a = f4([-0.0, 0.0, 1.0, f32::NAN]);
    let b = f4([0.0, -0.0, 2.0, 1.0]);
    let r = to_f32x4(f32x4_min(a, b));
    assert_eq!(
        bits4([r[0], r[1], r[2], 0.0]),
        bits4([-0.0, -0.0, 1.0, 0.0])
    );
    assert!(r[3].is_nan());
    let r = to_f32x4(f32x4_max(a, b));
    assert_eq!(bits4([r[0], r[1], r[2], 0.0]), bits4([0.0, 0.0, 2.0, 0.0]));
    assert!(r[3].is_nan());
    let r = to_f32x4(f32x4_min(b, a));
    assert!(r[3].is_nan(), "NaN in either operand");
    assert_eq!(
        to_f32x4(f32x4_min(f4([f32::NEG_INFINITY; 4]), f4([-1e30; 4]))),
        [f32::NEG_INFINITY; 4]
    );
    let r = to_u32x4(f32x4_max(from_u32x4([SNAN32; 4]), f4([1.0; 4])));
    assert!(r.iter().all(|&x| quiet32(x)));

    let r = to_f64x2(f64x2_min(d2([-0.0, f64::NAN]), d2([0.0, -5.0])));
    assert_eq!(r[0].to_bits(), (-0.0f64).to_bits());
    assert!(r[1].is_nan());
    let r = to_f64x2(f64x2_max(d2([-0.0, 3.0]), d2([0.0, f64::NAN])));
    assert_eq!(r[0].to_bits(), 0);
    assert!(r[1].is_nan());
    assert_eq!(
        to_f64x2(f64x2_max(d2([1.0, -3.0]), d2([2.0, -4.0]))),
        [2.0, -3.0]
    );
    assert_eq!(
        to_f64x2(f64x2_min(d2([1.0, -3.0]), d2([2.0, -4.0]))),
        [1.0, -4.0]
    );
}

#[test]
fn pseudo_min_and_max() {
    let a = f4([f32::NAN, 1.0, -0.0, 0.0]);
    let b = f4([1.0, f32::NAN, 0.0, -0.0]);
    // Both return `a` unless the strict comparison says otherwise.
    let r = to_u32x4(f32x4_pmin(a, b));
    assert!(f32::from_bits(r[0]).is_nan());
    assert_eq!([r[1], r[2], r[3]], [1.0f32.to_bits(), 0x8000_0000, 0]);
    let r = to_u32x4(f32x4_pmax(a, b));
    assert!(f32::from_bits(r[0]).is_nan());
    assert_eq!([r[1], r[2], r[3]], [1.0f32.to_bits(), 0x8000_0000, 0]);
    assert_eq!(
        to_f32x4(f32x4_pmin(
            f4([3.0, -1.0, 2.0, 2.0]),
            f4([2.0, 1.0, 3.0, 2.0])
        )),
        [2.0, -1.0, 2.0, 2.0]
    );
    assert_eq!(
        to_f32x4(f32x4_pmax(
            f4([3.0, -1.0, 2.0, 2.0]),
            f4([2.0, 1.0, 3.0, 2.0])
        )),
        [3.0, 1.0, 3.0, 2.0]
    );

    let r = to_f64x2(f64x2_pmin(d2([1.0, f64::NAN]), d2([f64::NAN, -1.0])));
    assert_eq!(r[0], 1.0);
    assert!(r[1].is_nan());
    let r = to_f64x2(f64x2_pmax(d2([-0.0, 1.0]), d2([0.0, 2.0])));
    assert_eq!(bits2(r), bits2([-0.0, 2.0]));
    assert_eq!(
        to_f64x2(f64x2_pmin(d2([5.0, -5.0]), d2([4.0, -4.0]))),
        [4.0, -5.0]
    );
}

#[test]
fn trunc_sat_f32x4() {
    let a = f4([f32::NAN, 3e9, -3e9, -1.9]);
    assert_eq!(
        to_i32x4(i32x4_trunc_sat_f32x4_s(a)),
        [0, i32::MAX, i32::MIN, -1]
    );
    let b = f4([
        2147483520.0,
        -2147483648.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
    ]);
    assert_eq!(
        to_i32x4(i32x4_trunc_sat_f32x4_s(b)),
        [2147483520, i32::MIN, i32::MAX, i32::MIN]
    );
    let c = f4([f32::NAN, -1.9, 5e9, 4294967040.0]);
    assert_eq!(
        to_u32x4(i32x4_trunc_sat_f32x4_u(c)),
        [0, 0, u32::MAX, 4294967040]
    );
    let d = f4([f32::NEG_INFINITY, f32::INFINITY, 0.99, -0.0]);
    assert_eq!(to_u32x4(i32x4_trunc_sat_f32x4_u(d)), [0, u32::MAX, 0, 0]);
    assert_eq!(
        to_u32x4(i32x4_trunc_sat_f32x4_u(from_u32x4([
            SNAN32,
            0xffc0_0000,
            0,
            0
        ]))),
        [0; 4]
    );
}

#[test]
fn convert_i32x4() {
    let a = from_i32x4([-1, i32::MIN, 16777217, i32::MAX]);
    assert_eq!(
        to_f32x4(f32x4_convert_i32x4_s(a)),
        [-1.0, -2147483648.0, 16777216.0, 2147483648.0]
    );
    let b = from_i32x4([16777219, -16777219, 0, 7]);
    assert_eq!(
        to_f32x4(f32x4_convert_i32x4_s(b)),
        [16777220.0, -16777220.0, 0.0, 7.0]
    );
    let c = from_u32x4([u32::MAX, 0x8000_0000, 1, 16777217]);
    assert_eq!(
        to_f32x4(f32x4_convert_i32x4_u(c)),
        [4294967296.0, 2147483648.0, 1.0, 16777216.0]
    );
}

#[test]
fn trunc_sat_f64x2_zero() {
    let a = d2([f64::NAN, -3e9]);
    assert_eq!(
        to_i32x4(i32x4_trunc_sat_f64x2_s_zero(a)),
        [0, i32::MIN, 0, 0]
    );
    let b = d2([2147483647.9, -2147483648.9]);
    assert_eq!(
        to_i32x4(i32x4_trunc_sat_f64x2_s_zero(b)),
        [i32::MAX, i32::MIN, 0, 0]
    );
    let c = d2([1e300, -0.5]);
    assert_eq!(
        to_i32x4(i32x4_trunc_sat_f64x2_s_zero(c)),
        [i32::MAX, 0, 0, 0]
    );
    let d = d2([4294967295.9, -0.9]);
    assert_eq!(
        to_u32x4(i32x4_trunc_sat_f64x2_u_zero(d)),
        [u32::MAX, 0, 0, 0]
    );
    let e = d2([f64::NAN, f64::INFINITY]);
    assert_eq!(
        to_u32x4(i32x4_trunc_sat_f64x2_u_zero(e)),
        [0, u32::MAX, 0, 0]
    );
    let f = d2([-1e300, 42.7]);
    assert_eq!(to_u32x4(i32x4_trunc_sat_f64x2_u_zero(f)), [0, 42, 0, 0]);
}

#[test]
fn convert_low_i32x4() {
    let a = from_i32x4([-1, i32::MIN, 7, 9]);
    assert_eq!(
        to_f64x2(f64x2_convert_low_i32x4_s(a)),
        [-1.0, -2147483648.0]
    );
    let b = from_u32x4([u32::MAX, 0x8000_0000, 7, 9]);
    assert_eq!(
        to_f64x2(f64x2_convert_low_i32x4_u(b)),
        [4294967295.0, 2147483648.0]
    );
    assert_eq!(
        to_f64x2(f64x2_convert_low_i32x4_s(from_i32x4([i32::MAX, 0, -5, -5]))),
        [2147483647.0, 0.0]
    );
}

#[test]
fn demote_and_promote() {
    let r = to_u32x4(f32x4_demote_f64x2_zero(d2([1e300, 0.1])));
    assert_eq!(r, [0x7f80_0000, 0.1f32.to_bits(), 0, 0]);
    // 1 + 2^-24 is halfway between two f32s: ties to even.
    let r = to_u32x4(f32x4_demote_f64x2_zero(from_u64x2([
        0x3ff0_0000_1000_0000,
        1 << 63,
    ])));
    assert_eq!(r, [1.0f32.to_bits(), 0x8000_0000, 0, 0]);
    let r = to_u32x4(f32x4_demote_f64x2_zero(from_u64x2([
        f64::NAN.to_bits(),
        SNAN64,
    ])));
    assert!(quiet32(r[0]) && quiet32(r[1]));
    assert_eq!([r[2], r[3]], [0, 0]);
    let r = to_f32x4(f32x4_demote_f64x2_zero(d2([-1e-300, f64::NEG_INFINITY])));
    assert_eq!(bits4(r), bits4([-0.0, f32::NEG_INFINITY, 0.0, 0.0]));

    let r = to_f64x2(f64x2_promote_low_f32x4(f4([
        0.1,
        f32::NEG_INFINITY,
        5.0,
        6.0,
    ])));
    assert_eq!(r, [0.1f32 as f64, f64::NEG_INFINITY]);
    let r = to_u64x2(f64x2_promote_low_f32x4(from_u32x4([
        SNAN32,
        0x7fc0_0000,
        0,
        0,
    ])));
    assert!(quiet64(r[0]) && quiet64(r[1]));
    assert_eq!(
        to_u64x2(f64x2_promote_low_f32x4(f4([-0.0, 0.0, 1.0, 1.0]))),
        [1 << 63, 0]
    );
}
