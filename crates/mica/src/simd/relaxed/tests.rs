//! Concrete lane values for every relaxed SIMD instruction, above all on the inputs where
//! the deterministic profile's choice shows.

use super::*;

/// `1 + 2^-12` as `f32`: its square, `1 + 2^-11 + 2^-24`, rounds to `1 + 2^-11` (a tie).
const F32_A: u32 = 0x3f80_0800;
/// `1 + 2^-11` as `f32`.
const F32_A2: u32 = 0x3f80_1000;
/// `1 + 2^-27` as `f64`: its square, `1 + 2^-26 + 2^-54`, rounds to `1 + 2^-26`.
const F64_A: u64 = 0x3ff0_0000_0200_0000;
/// `1 + 2^-26` as `f64`.
const F64_A2: u64 = 0x3ff0_0000_0400_0000;

#[test]
fn relaxed_swizzle_zeroes_every_out_of_range_index() {
    let a = from_u8x16(core::array::from_fn(|i| 0x10 + i as u8));
    let s = from_u8x16([
        0, 15, 16, 17, 31, 127, 128, 255, 3, 0x8f, 0x40, 7, 7, 1, 0x7f, 14,
    ]);
    let r = to_u8x16(i8x16_relaxed_swizzle(a, s));
    assert_eq!(
        r,
        [
            0x10, 0x1f, 0, 0, 0, 0, 0, 0, 0x13, 0, 0, 0x17, 0x17, 0x11, 0, 0x1e
        ]
    );
}

#[test]
fn relaxed_trunc_is_trunc_sat() {
    let a = from_f32x4([f32::NAN, 3e9, -3e9, -1.5]);
    assert_eq!(
        to_i32x4(i32x4_relaxed_trunc_f32x4_s(a)),
        [0, i32::MAX, i32::MIN, -1]
    );
    let b = from_f32x4([f32::NAN, -1.0, 5e9, 2.9]);
    assert_eq!(
        to_u32x4(i32x4_relaxed_trunc_f32x4_u(b)),
        [0, 0, u32::MAX, 2]
    );
    let c = from_f32x4([f32::INFINITY, f32::NEG_INFINITY, 2147483520.0, -0.0]);
    assert_eq!(
        to_i32x4(i32x4_relaxed_trunc_f32x4_s(c)),
        [i32::MAX, i32::MIN, 2147483520, 0]
    );
    assert_eq!(
        to_u32x4(i32x4_relaxed_trunc_f32x4_u(c)),
        [u32::MAX, 0, 2147483520, 0]
    );
    let d = from_f64x2([f64::NAN, -1e10]);
    assert_eq!(
        to_i32x4(i32x4_relaxed_trunc_f64x2_s_zero(d)),
        [0, i32::MIN, 0, 0]
    );
    assert_eq!(to_u32x4(i32x4_relaxed_trunc_f64x2_u_zero(d)), [0, 0, 0, 0]);
    let e = from_f64x2([1e10, -7.9]);
    assert_eq!(
        to_i32x4(i32x4_relaxed_trunc_f64x2_s_zero(e)),
        [i32::MAX, -7, 0, 0]
    );
    assert_eq!(
        to_u32x4(i32x4_relaxed_trunc_f64x2_u_zero(e)),
        [u32::MAX, 0, 0, 0]
    );
    let f = from_f64x2([4294967295.5, 2147483647.5]);
    assert_eq!(
        to_u32x4(i32x4_relaxed_trunc_f64x2_u_zero(f)),
        [u32::MAX, 2147483647, 0, 0]
    );
}

#[test]
fn f32x4_relaxed_madd_is_unfused() {
    // Fused, these would be 2^-24, FLT_MAX, 7 and NaN; unfused, the product rounds first.
    let a = from_u32x4([
        F32_A,
        f32::MAX.to_bits(),
        2.0f32.to_bits(),
        f32::NAN.to_bits(),
    ]);
    let b = from_u32x4([F32_A, 2.0f32.to_bits(), 3.0f32.to_bits(), 1.0f32.to_bits()]);
    let c = from_u32x4([F32_A2 | 1 << 31, (-f32::MAX).to_bits(), 1.0f32.to_bits(), 0]);
    let r = to_f32x4(f32x4_relaxed_madd(a, b, c));
    assert_eq!(
        [r[0].to_bits(), r[1].to_bits(), r[2].to_bits()],
        [0, f32::INFINITY.to_bits(), 7.0f32.to_bits()]
    );
    assert!(r[3].is_nan());
    // nmadd is madd(-a, b, c): -(1 + 2^-11) + (1 + 2^-11) is +0.
    let c = from_u32x4([F32_A2, f32::MAX.to_bits(), 1.0f32.to_bits(), 0]);
    let r = to_f32x4(f32x4_relaxed_nmadd(a, b, c));
    assert_eq!(
        [r[0].to_bits(), r[1].to_bits(), r[2].to_bits()],
        [0, f32::NEG_INFINITY.to_bits(), (-5.0f32).to_bits()]
    );
    assert!(r[3].is_nan());
    // inf * 0 is NaN whatever c is.
    let r = to_f32x4(f32x4_relaxed_madd(
        from_f32x4([f32::INFINITY, 0.0, 1.0, -1.0]),
        from_f32x4([0.0, f32::INFINITY, f32::INFINITY, f32::INFINITY]),
        from_f32x4([1.0, 1.0, f32::NEG_INFINITY, f32::NEG_INFINITY]),
    ));
    assert!(r[0].is_nan() && r[1].is_nan() && r[2].is_nan());
    assert_eq!(r[3], f32::NEG_INFINITY);
}

#[test]
fn f64x2_relaxed_madd_is_unfused() {
    // Fused, lane 0 would be 2^-54 and lane 1 f64::MAX.
    let a = from_u64x2([F64_A, f64::MAX.to_bits()]);
    let b = from_u64x2([F64_A, 2.0f64.to_bits()]);
    let c = from_u64x2([F64_A2 | 1 << 63, (-f64::MAX).to_bits()]);
    assert_eq!(
        to_u64x2(f64x2_relaxed_madd(a, b, c)),
        [0, f64::INFINITY.to_bits()]
    );
    let c = from_u64x2([F64_A2, f64::MAX.to_bits()]);
    assert_eq!(
        to_u64x2(f64x2_relaxed_nmadd(a, b, c)),
        [0, f64::NEG_INFINITY.to_bits()]
    );
    let r = to_f64x2(f64x2_relaxed_madd(
        from_f64x2([1.5, f64::NAN]),
        from_f64x2([2.0, 1.0]),
        from_f64x2([0.25, 1.0]),
    ));
    assert_eq!(r[0], 3.25);
    assert!(r[1].is_nan());
    let r = to_f64x2(f64x2_relaxed_nmadd(
        from_f64x2([1.5, 1.0]),
        from_f64x2([2.0, 1.0]),
        from_f64x2([0.25, f64::NAN]),
    ));
    assert_eq!(r[0], -2.75);
    assert!(r[1].is_nan());
}

#[test]
fn relaxed_laneselect_is_bitselect() {
    let a = [0xaa; 16];
    let b = [0x55; 16];
    // Lane masks mixing set and clear bits: every bit selects, not just the top one.
    let m = [0x80; 16];
    let expect = [0xd5; 16];
    for op in [
        i8x16_relaxed_laneselect,
        i16x8_relaxed_laneselect,
        i32x4_relaxed_laneselect,
        i64x2_relaxed_laneselect,
    ] {
        assert_eq!(op(a, b, m), expect);
        assert_eq!(op(a, b, [0xff; 16]), a);
        assert_eq!(op(a, b, [0; 16]), b);
    }
    let m = from_u16x8([0xffff, 0, 0x00ff, 0x8000, 0x7fff, 1, 0xffff, 0]);
    let a = from_u16x8([0x1234; 8]);
    let b = from_u16x8([0xabcd; 8]);
    assert_eq!(
        to_u16x8(i16x8_relaxed_laneselect(a, b, m)),
        [
            0x1234, 0xabcd, 0xab34, 0x2bcd, 0x9234, 0xabcc, 0x1234, 0xabcd
        ]
    );
    let m = from_u64x2([0x8000_0000_0000_0000, 0x0000_0000_ffff_ffff]);
    let r = to_u64x2(i64x2_relaxed_laneselect(
        from_u64x2([!0, !0]),
        from_u64x2([0, 0]),
        m,
    ));
    assert_eq!(r, [0x8000_0000_0000_0000, 0x0000_0000_ffff_ffff]);
    let m = from_u32x4([0x8000_0000, 0xffff_0000, 0, !0]);
    let r = to_u32x4(i32x4_relaxed_laneselect(
        from_u32x4([!0; 4]),
        from_u32x4([0; 4]),
        m,
    ));
    assert_eq!(r, [0x8000_0000, 0xffff_0000, 0, !0]);
}

#[test]
fn relaxed_min_and_max_are_min_and_max() {
    let a = from_f32x4([-0.0, 0.0, f32::NAN, 1.0]);
    let b = from_f32x4([0.0, -0.0, 1.0, f32::NAN]);
    let r = to_u32x4(f32x4_relaxed_min(a, b));
    assert_eq!([r[0], r[1]], [0x8000_0000, 0x8000_0000]);
    assert!(f32::from_bits(r[2]).is_nan() && f32::from_bits(r[3]).is_nan());
    let r = to_u32x4(f32x4_relaxed_max(a, b));
    assert_eq!([r[0], r[1]], [0, 0]);
    assert!(f32::from_bits(r[2]).is_nan() && f32::from_bits(r[3]).is_nan());
    assert_eq!(
        to_f32x4(f32x4_relaxed_min(
            from_f32x4([1.0, 2.0, -3.0, 4.0]),
            from_f32x4([2.0, 1.0, 3.0, -4.0])
        )),
        [1.0, 1.0, -3.0, -4.0]
    );
    assert_eq!(
        to_f32x4(f32x4_relaxed_max(
            from_f32x4([1.0, 2.0, -3.0, 4.0]),
            from_f32x4([2.0, 1.0, 3.0, -4.0])
        )),
        [2.0, 2.0, 3.0, 4.0]
    );

    let r = to_u64x2(f64x2_relaxed_min(
        from_f64x2([0.0, f64::NAN]),
        from_f64x2([-0.0, 5.0]),
    ));
    assert_eq!(r[0], 1 << 63);
    assert!(f64::from_bits(r[1]).is_nan());
    let r = to_u64x2(f64x2_relaxed_max(
        from_f64x2([0.0, 5.0]),
        from_f64x2([-0.0, f64::NAN]),
    ));
    assert_eq!(r[0], 0);
    assert!(f64::from_bits(r[1]).is_nan());
    assert_eq!(
        to_f64x2(f64x2_relaxed_max(
            from_f64x2([1.0, -1.0]),
            from_f64x2([0.5, -0.5])
        )),
        [1.0, -0.5]
    );
    assert_eq!(
        to_f64x2(f64x2_relaxed_min(
            from_f64x2([1.0, -1.0]),
            from_f64x2([0.5, -0.5])
        )),
        [0.5, -1.0]
    );
}

#[test]
fn relaxed_q15mulr_saturates() {
    let a = from_i16x8([i16::MIN, 16384, i16::MIN, 1, -1, 100, i16::MAX, 0]);
    let b = from_i16x8([
        i16::MIN,
        16384,
        i16::MAX,
        16384,
        16384,
        200,
        i16::MAX,
        i16::MIN,
    ]);
    assert_eq!(
        to_i16x8(i16x8_relaxed_q15mulr_s(a, b)),
        [i16::MAX, 8192, -32767, 1, 0, 1, 32766, 0]
    );
}

/// Dot-product operands: lane pairs chosen for saturation, signedness and plain sums.
fn dot_operands() -> (V, V) {
    let a = from_i8x16([
        -128, -128, 127, 127, 1, 2, -1, 3, -128, 127, -128, -128, 0, 0, 5, -7,
    ]);
    let b = from_i8x16([
        -128, -128, 127, 127, 3, 4, 5, -6, 127, -128, -1, -128, 9, 9, -9, 11,
    ]);
    (a, b)
}

#[test]
fn relaxed_dot_is_signed_and_saturating() {
    let (a, b) = dot_operands();
    // Lane 0: 16384 + 16384 saturates; lane 5: the second operand's 0x80 reads as -128.
    assert_eq!(
        to_i16x8(i16x8_relaxed_dot_i8x16_i7x16_s(a, b)),
        [i16::MAX, 32258, 11, -23, -32512, 16512, 0, -122]
    );
    // i7 operands (the intended domain): the plain dot product.
    let a = from_i8x16([-128, -128, 127, 127, -1, -1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    let b = from_i8x16([
        127, 127, 127, 127, 127, 127, 127, 127, 1, 1, 1, 1, 2, 2, 2, 2,
    ]);
    assert_eq!(
        to_i16x8(i16x8_relaxed_dot_i8x16_i7x16_s(a, b)),
        [-32512, 32258, -254, 0, 3, 7, 22, 30]
    );
}

#[test]
fn relaxed_dot_add() {
    let (a, b) = dot_operands();
    let c = from_i32x4([i32::MAX, -100, 7, 0]);
    // (32767 + 32258) + MAX wraps; (11 - 23) - 100; (-32512 + 16512) + 7; (0 - 122) + 0.
    assert_eq!(
        to_i32x4(i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, c)),
        [i32::MIN + 65024, -112, -15993, -122]
    );
    // The spec tests' case: -128 * -127 four times, plus 1.
    let a = from_i8x16([-128; 16]);
    let b = from_i8x16([-127; 16]);
    assert_eq!(
        to_i32x4(i32x4_relaxed_dot_i8x16_i7x16_add_s(
            a,
            b,
            from_i32x4([1; 4])
        )),
        [65025; 4]
    );
    let a = from_i8x16([127; 16]);
    assert_eq!(
        to_i32x4(i32x4_relaxed_dot_i8x16_i7x16_add_s(
            a,
            a,
            from_i32x4([0, 1, 2, -64516])
        )),
        [64516, 64517, 64518, 0]
    );
}
