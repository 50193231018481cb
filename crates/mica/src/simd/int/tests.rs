//! Integer-lane operations against hand-computed lane values (an edge case each: wrapping,
//! saturation, shift counts at and past the lane width, signed against unsigned views), plus
//! sweeps comparing the 8- and 16-bit lane-wise operations with wide-integer reference
//! arithmetic.

use super::*;
use core::array::from_fn;

/// A `v128` with every byte `b`.
fn bytes(b: u8) -> V {
    [b; 16]
}

/// Four signed 8-bit lanes repeated over the vector.
fn r8(p: [i8; 4]) -> V {
    from_i8x16(from_fn(|i| p[i % 4]))
}

/// Four unsigned 8-bit lanes repeated over the vector.
fn ru8(p: [u8; 4]) -> V {
    from_u8x16(from_fn(|i| p[i % 4]))
}

/// Four signed 16-bit lanes repeated over the vector.
fn r16(p: [i16; 4]) -> V {
    from_i16x8(from_fn(|i| p[i % 4]))
}

/// Four unsigned 16-bit lanes repeated over the vector.
fn ru16(p: [u16; 4]) -> V {
    from_u16x8(from_fn(|i| p[i % 4]))
}

// ---------------------------------------------------------------------------------------
// Bitwise.

#[test]
fn v128_bitwise() {
    let (a, b) = (bytes(0xcc), bytes(0xaa));
    assert_eq!(v128_not([0; 16]), [0xff; 16]);
    assert_eq!(v128_not(a), bytes(0x33));
    assert_eq!(v128_and(a, b), bytes(0x88));
    assert_eq!(v128_andnot(a, b), bytes(0x44));
    assert_eq!(v128_or(a, b), bytes(0xee));
    assert_eq!(v128_xor(a, b), bytes(0x66));
    // Operands that differ across the whole width, not byte-periodic.
    let x = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210u128;
    let xv = x.to_le_bytes();
    assert_eq!(v128_andnot(xv, xv), [0; 16]);
    assert_eq!(v128_andnot(xv, [0; 16]), xv);
    assert_eq!(v128_xor(xv, [0xff; 16]), (!x).to_le_bytes());
}

#[test]
fn v128_bitselect_takes_a_where_the_mask_is_set() {
    assert_eq!(v128_bitselect(bytes(0xf0), bytes(0x0f), bytes(0x3c)), bytes(0x33));
    let low_and_top = 0x8000_0000_0000_0001u128.to_le_bytes();
    assert_eq!(v128_bitselect([0xff; 16], [0; 16], low_and_top), low_and_top);
    let top = 1u128 << 127;
    assert_eq!(v128_bitselect([0; 16], [0xff; 16], top.to_le_bytes()), (!top).to_le_bytes());
}

#[test]
fn v128_any_true_sees_every_bit() {
    assert!(!v128_any_true([0; 16]));
    assert!(v128_any_true(1u128.to_le_bytes()));
    assert!(v128_any_true((1u128 << 127).to_le_bytes()));
    assert!(v128_any_true((1u128 << 64).to_le_bytes()));
}

// ---------------------------------------------------------------------------------------
// Comparisons.

/// Checks a comparison on lanes of `w` bytes over the operand pairs `(0, 0)`, `(1, -1)`,
/// `(-1, 1)` and `(MIN, MAX)`, each rotated through every lane: `expect[k]` is whether the
/// comparison holds for pair `k`.
fn check_compare(w: usize, f: fn(V, V) -> V, name: &str, expect: [bool; 4]) {
    let bits = 8 * w as u32;
    let (min, max) = (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1);
    let pairs = [(0, 0), (1, -1), (-1, 1), (min, max)];
    for start in 0..4 {
        let lane = |k: usize| (start + k / w) % 4;
        let a: V = from_fn(|k| pairs[lane(k)].0.to_le_bytes()[k % w]);
        let b: V = from_fn(|k| pairs[lane(k)].1.to_le_bytes()[k % w]);
        let want: V = from_fn(|k| if expect[lane(k)] { 0xff } else { 0 });
        assert_eq!(f(a, b), want, "{name} on {w}-byte lanes, rotation {start}");
    }
}

// Expected results over the pairs of `check_compare`. Unsigned, 1 is less than -1 (all
// ones) and MIN (the top bit alone) is greater than MAX.
const EQ: [bool; 4] = [true, false, false, false];
const NE: [bool; 4] = [false, true, true, true];
const LT_S: [bool; 4] = [false, false, true, true];
const LT_U: [bool; 4] = [false, true, false, false];
const GT_S: [bool; 4] = [false, true, false, false];
const GT_U: [bool; 4] = [false, false, true, true];
const LE_S: [bool; 4] = [true, false, true, true];
const LE_U: [bool; 4] = [true, true, false, false];
const GE_S: [bool; 4] = [true, true, false, false];
const GE_U: [bool; 4] = [true, false, true, true];

#[test]
fn i8x16_comparisons() {
    check_compare(1, i8x16_eq, "eq", EQ);
    check_compare(1, i8x16_ne, "ne", NE);
    check_compare(1, i8x16_lt_s, "lt_s", LT_S);
    check_compare(1, i8x16_lt_u, "lt_u", LT_U);
    check_compare(1, i8x16_gt_s, "gt_s", GT_S);
    check_compare(1, i8x16_gt_u, "gt_u", GT_U);
    check_compare(1, i8x16_le_s, "le_s", LE_S);
    check_compare(1, i8x16_le_u, "le_u", LE_U);
    check_compare(1, i8x16_ge_s, "ge_s", GE_S);
    check_compare(1, i8x16_ge_u, "ge_u", GE_U);
}

#[test]
fn i16x8_comparisons() {
    check_compare(2, i16x8_eq, "eq", EQ);
    check_compare(2, i16x8_ne, "ne", NE);
    check_compare(2, i16x8_lt_s, "lt_s", LT_S);
    check_compare(2, i16x8_lt_u, "lt_u", LT_U);
    check_compare(2, i16x8_gt_s, "gt_s", GT_S);
    check_compare(2, i16x8_gt_u, "gt_u", GT_U);
    check_compare(2, i16x8_le_s, "le_s", LE_S);
    check_compare(2, i16x8_le_u, "le_u", LE_U);
    check_compare(2, i16x8_ge_s, "ge_s", GE_S);
    check_compare(2, i16x8_ge_u, "ge_u", GE_U);
    // Lanes equal in their low byte only are not equal.
    assert_eq!(i16x8_eq(ru16([0x0100, 1, 2, 3]), ru16([0x0000, 1, 2, 3])), ru16([0, !0, !0, !0]));
}

#[test]
fn i32x4_comparisons() {
    check_compare(4, i32x4_eq, "eq", EQ);
    check_compare(4, i32x4_ne, "ne", NE);
    check_compare(4, i32x4_lt_s, "lt_s", LT_S);
    check_compare(4, i32x4_lt_u, "lt_u", LT_U);
    check_compare(4, i32x4_gt_s, "gt_s", GT_S);
    check_compare(4, i32x4_gt_u, "gt_u", GT_U);
    check_compare(4, i32x4_le_s, "le_s", LE_S);
    check_compare(4, i32x4_le_u, "le_u", LE_U);
    check_compare(4, i32x4_ge_s, "ge_s", GE_S);
    check_compare(4, i32x4_ge_u, "ge_u", GE_U);
}

#[test]
fn i64x2_comparisons() {
    check_compare(8, i64x2_eq, "eq", EQ);
    check_compare(8, i64x2_ne, "ne", NE);
    check_compare(8, i64x2_lt_s, "lt_s", LT_S);
    check_compare(8, i64x2_gt_s, "gt_s", GT_S);
    check_compare(8, i64x2_le_s, "le_s", LE_S);
    check_compare(8, i64x2_ge_s, "ge_s", GE_S);
    // Lanes that differ only in their high half.
    let (a, b) = (from_i64x2([1 << 40, 5]), from_i64x2([0, 5]));
    assert_eq!(i64x2_eq(a, b), from_i64x2([0, -1]));
    assert_eq!(i64x2_gt_s(a, b), from_i64x2([-1, 0]));
}

// ---------------------------------------------------------------------------------------
// Unary operations.

#[test]
fn i8x16_abs_neg_popcnt() {
    let a = r8([0, -1, -128, 127]);
    assert_eq!(i8x16_abs(a), r8([0, 1, -128, 127]));
    assert_eq!(i8x16_neg(a), r8([0, 1, -128, -127]));
    assert_eq!(i8x16_abs(r8([-127, 5, -5, 1])), r8([127, 5, 5, 1]));
    assert_eq!(i8x16_popcnt(ru8([0x00, 0xff, 0x80, 0x55])), ru8([0, 8, 1, 4]));
    assert_eq!(i8x16_popcnt(ru8([0x01, 0x7e, 0x0f, 0xf0])), ru8([1, 6, 4, 4]));
}

#[test]
fn i16x8_abs_neg() {
    let a = r16([0, -1, i16::MIN, i16::MAX]);
    assert_eq!(i16x8_abs(a), r16([0, 1, i16::MIN, i16::MAX]));
    assert_eq!(i16x8_neg(a), r16([0, 1, i16::MIN, -i16::MAX]));
    assert_eq!(i16x8_abs(r16([-300, 300, -256, 1])), r16([300, 300, 256, 1]));
}

#[test]
fn i32x4_abs_neg() {
    let a = from_i32x4([0, -1, i32::MIN, i32::MAX]);
    assert_eq!(i32x4_abs(a), from_i32x4([0, 1, i32::MIN, i32::MAX]));
    assert_eq!(i32x4_neg(a), from_i32x4([0, 1, i32::MIN, -i32::MAX]));
    assert_eq!(i32x4_abs(from_i32x4([-70000, 1, 2, 3])), from_i32x4([70000, 1, 2, 3]));
}

#[test]
fn i64x2_abs_neg() {
    let a = from_i64x2([i64::MIN, -5]);
    assert_eq!(i64x2_abs(a), from_i64x2([i64::MIN, 5]));
    assert_eq!(i64x2_neg(a), from_i64x2([i64::MIN, 5]));
    let b = from_i64x2([0, i64::MAX]);
    assert_eq!(i64x2_abs(b), b);
    assert_eq!(i64x2_neg(b), from_i64x2([0, -i64::MAX]));
    assert_eq!(i64x2_abs(from_i64x2([-(1 << 40), 1])), from_i64x2([1 << 40, 1]));
}

// ---------------------------------------------------------------------------------------
// Reductions.

#[test]
fn all_true_needs_every_lane_nonzero() {
    assert!(i8x16_all_true(bytes(1)));
    assert!(i8x16_all_true(bytes(0x80)));
    assert!(!i8x16_all_true((u128::from_le_bytes(bytes(1)) & !(0xff << 120)).to_le_bytes()));
    assert!(!i8x16_all_true([0; 16]));
    // Every 16-bit lane has a nonzero byte, but not every byte is nonzero.
    assert!(i16x8_all_true(ru16([0x0100, 0x0001, 0x8000, 1])));
    assert!(!i8x16_all_true(ru16([0x0100, 0x0001, 0x8000, 1])));
    assert!(!i16x8_all_true(ru16([1, 1, 1, 0])));
    assert!(i32x4_all_true(from_u32x4([1 << 31, 1, 1 << 16, 1 << 8])));
    assert!(!i32x4_all_true(from_u32x4([1, 1, 0, 1])));
    assert!(!i16x8_all_true(from_u32x4([1, 1, 1, 1])));
    assert!(i64x2_all_true(from_u64x2([1 << 63, 1 << 32])));
    assert!(!i64x2_all_true(from_u64x2([0, u64::MAX])));
    assert!(i32x4_all_true([0xff; 16]) && i64x2_all_true([0xff; 16]));
}

#[test]
fn bitmask_takes_each_lanes_top_bit() {
    let mut lanes = [1i8; 16];
    (lanes[0], lanes[3], lanes[15]) = (-1, -128, -100);
    assert_eq!(i8x16_bitmask(from_i8x16(lanes)), 0x8009);
    assert_eq!(i8x16_bitmask([0xff; 16]), 0xffff);
    assert_eq!(i8x16_bitmask(bytes(0x7f)), 0);
    assert_eq!(i16x8_bitmask(from_i16x8([1, -1, 0x7fff, 0x00ff, 0, 0, 0, i16::MIN])), 0x82);
    assert_eq!(i16x8_bitmask(bytes(0x80)), 0xff);
    assert_eq!(i32x4_bitmask(from_i32x4([0x7fff_ffff, -1, i32::MIN, 0])), 0b0110);
    assert_eq!(i32x4_bitmask(bytes(0x80)), 0xf);
    assert_eq!(i64x2_bitmask(from_i64x2([i64::MAX, -1])), 0b10);
    assert_eq!(i64x2_bitmask(from_i64x2([i64::MIN, 1])), 0b01);
    assert_eq!(i64x2_bitmask([0xff; 16]), 0b11);
}

// ---------------------------------------------------------------------------------------
// Narrowing, extension, extended multiplication, pairwise addition, dot product.

#[test]
fn i8x16_narrow_i16x8_saturates() {
    let a = from_i16x8([0, 127, 128, -128, -129, 32767, -32768, 255]);
    let b = from_i16x8([256, -1, 1, 100, -100, 200, -200, 0]);
    assert_eq!(
        i8x16_narrow_i16x8_s(a, b),
        from_i8x16([0, 127, 127, -128, -128, 127, -128, 127, 127, -1, 1, 100, -100, 127, -128, 0])
    );
    assert_eq!(
        i8x16_narrow_i16x8_u(a, b),
        from_u8x16([0, 127, 128, 0, 0, 255, 0, 255, 255, 0, 1, 100, 0, 200, 0, 0])
    );
}

#[test]
fn i16x8_narrow_i32x4_saturates() {
    let a = from_i32x4([0, 32768, -32769, 65535]);
    let b = from_i32x4([65536, -1, i32::MAX, i32::MIN]);
    assert_eq!(i16x8_narrow_i32x4_s(a, b), from_i16x8([0, 32767, -32768, 32767, 32767, -1, 32767, -32768]));
    assert_eq!(i16x8_narrow_i32x4_u(a, b), from_u16x8([0, 32768, 0, 65535, 65535, 0, 65535, 0]));
}

#[test]
fn i16x8_extend_i8x16() {
    let a = from_i8x16([0, 1, -1, -128, 127, 2, -2, 100, -100, 50, -50, 0, 127, -128, -1, 1]);
    assert_eq!(i16x8_extend_low_i8x16_s(a), from_i16x8([0, 1, -1, -128, 127, 2, -2, 100]));
    assert_eq!(i16x8_extend_high_i8x16_s(a), from_i16x8([-100, 50, -50, 0, 127, -128, -1, 1]));
    assert_eq!(i16x8_extend_low_i8x16_u(a), from_u16x8([0, 1, 255, 128, 127, 2, 254, 100]));
    assert_eq!(i16x8_extend_high_i8x16_u(a), from_u16x8([156, 50, 206, 0, 127, 128, 255, 1]));
}

#[test]
fn i32x4_extend_i16x8() {
    let a = from_i16x8([0, -1, -32768, 32767, 1, -2, 1000, -1000]);
    assert_eq!(i32x4_extend_low_i16x8_s(a), from_i32x4([0, -1, -32768, 32767]));
    assert_eq!(i32x4_extend_high_i16x8_s(a), from_i32x4([1, -2, 1000, -1000]));
    assert_eq!(i32x4_extend_low_i16x8_u(a), from_u32x4([0, 65535, 32768, 32767]));
    assert_eq!(i32x4_extend_high_i16x8_u(a), from_u32x4([1, 65534, 1000, 64536]));
}

#[test]
fn i64x2_extend_i32x4() {
    let a = from_i32x4([-1, i32::MIN, 7, i32::MAX]);
    assert_eq!(i64x2_extend_low_i32x4_s(a), from_i64x2([-1, -(1 << 31)]));
    assert_eq!(i64x2_extend_high_i32x4_s(a), from_i64x2([7, (1 << 31) - 1]));
    assert_eq!(i64x2_extend_low_i32x4_u(a), from_u64x2([0xffff_ffff, 1 << 31]));
    assert_eq!(i64x2_extend_high_i32x4_u(a), from_u64x2([7, (1 << 31) - 1]));
}

#[test]
fn i16x8_extmul_i8x16() {
    let a = from_i8x16([-128, 127, -1, 2, 0, 0, 0, 0, -128, -128, 3, -3, 0, 0, 0, 100]);
    let b = from_i8x16([-128, -128, -1, -3, 5, 5, 5, 5, 127, -1, 3, 3, 0, 0, 0, 100]);
    assert_eq!(i16x8_extmul_low_i8x16_s(a, b), from_i16x8([16384, -16256, 1, -6, 0, 0, 0, 0]));
    assert_eq!(i16x8_extmul_high_i8x16_s(a, b), from_i16x8([-16256, 128, 9, -9, 0, 0, 0, 10000]));
    assert_eq!(i16x8_extmul_low_i8x16_u(a, b), from_u16x8([16384, 16256, 65025, 506, 0, 0, 0, 0]));
    assert_eq!(i16x8_extmul_high_i8x16_u(a, b), from_u16x8([16256, 32640, 9, 759, 0, 0, 0, 10000]));
}

#[test]
fn i32x4_extmul_i16x8() {
    let a = from_i16x8([-32768, 32767, -1, 2, -32768, 3, 0, 1000]);
    let b = from_i16x8([-32768, -32768, -1, -3, 32767, -3, 9, 1000]);
    assert_eq!(i32x4_extmul_low_i16x8_s(a, b), from_i32x4([1 << 30, -1_073_709_056, 1, -6]));
    assert_eq!(i32x4_extmul_high_i16x8_s(a, b), from_i32x4([-1_073_709_056, -9, 0, 1_000_000]));
    assert_eq!(i32x4_extmul_low_i16x8_u(a, b), from_u32x4([1 << 30, 1_073_709_056, 4_294_836_225, 131_066]));
    assert_eq!(i32x4_extmul_high_i16x8_u(a, b), from_u32x4([1_073_709_056, 196_599, 0, 1_000_000]));
}

#[test]
fn i64x2_extmul_i32x4() {
    let a = from_i32x4([i32::MIN, -1, i32::MAX, 3]);
    let b = from_i32x4([i32::MIN, 2, i32::MIN, -3]);
    assert_eq!(i64x2_extmul_low_i32x4_s(a, b), from_i64x2([1 << 62, -2]));
    assert_eq!(i64x2_extmul_high_i32x4_s(a, b), from_i64x2([-4_611_686_016_279_904_256, -9]));
    assert_eq!(i64x2_extmul_low_i32x4_u(a, b), from_u64x2([1 << 62, 8_589_934_590]));
    assert_eq!(i64x2_extmul_high_i32x4_u(a, b), from_u64x2([4_611_686_016_279_904_256, 12_884_901_879]));
}

#[test]
fn i16x8_extadd_pairwise_i8x16() {
    let a = from_i8x16([-128, -128, 127, 127, -1, 1, 100, -50, -1, -1, 0, 0, 5, 6, -7, 8]);
    assert_eq!(i16x8_extadd_pairwise_i8x16_s(a), from_i16x8([-256, 254, 0, 50, -2, 0, 11, 1]));
    assert_eq!(i16x8_extadd_pairwise_i8x16_u(a), from_u16x8([256, 254, 256, 306, 510, 0, 11, 257]));
}

#[test]
fn i32x4_extadd_pairwise_i16x8() {
    let a = from_i16x8([-32768, -32768, 32767, 32767, -1, 1, -1, -1]);
    assert_eq!(i32x4_extadd_pairwise_i16x8_s(a), from_i32x4([-65536, 65534, 0, -2]));
    assert_eq!(i32x4_extadd_pairwise_i16x8_u(a), from_u32x4([65536, 65534, 65536, 131070]));
}

#[test]
fn i32x4_dot_i16x8_s_wraps() {
    let a = from_i16x8([-32768, -32768, 1, 2, 3, -4, 32767, 32767]);
    let b = from_i16x8([-32768, -32768, 5, 6, 7, 8, 32767, -32768]);
    assert_eq!(i32x4_dot_i16x8_s(a, b), from_i32x4([i32::MIN, 17, -11, -32767]));
}

// ---------------------------------------------------------------------------------------
// Shifts.

#[test]
fn i8x16_shifts() {
    let a = ru8([0x01, 0x80, 0x7f, 0xff]);
    for count in [1, 9, 17, 0x1_0001] {
        assert_eq!(i8x16_shl(a, count), ru8([0x02, 0x00, 0xfe, 0xfe]), "shl {count}");
        assert_eq!(i8x16_shr_s(a, count), ru8([0x00, 0xc0, 0x3f, 0xff]), "shr_s {count}");
        assert_eq!(i8x16_shr_u(a, count), ru8([0x00, 0x40, 0x3f, 0x7f]), "shr_u {count}");
    }
    for count in [0, 8, 256] {
        assert_eq!(i8x16_shl(a, count), a);
        assert_eq!(i8x16_shr_s(a, count), a);
        assert_eq!(i8x16_shr_u(a, count), a);
    }
    for count in [7, u32::MAX] {
        assert_eq!(i8x16_shl(a, count), ru8([0x80, 0x00, 0x80, 0x80]), "shl {count}");
        assert_eq!(i8x16_shr_s(a, count), ru8([0x00, 0xff, 0x00, 0xff]), "shr_s {count}");
        assert_eq!(i8x16_shr_u(a, count), ru8([0x00, 0x01, 0x00, 0x01]), "shr_u {count}");
    }
}

#[test]
fn i16x8_shifts() {
    let a = ru16([0x0001, 0x8000, 0x7fff, 0xffff]);
    for count in [1, 17, 33] {
        assert_eq!(i16x8_shl(a, count), ru16([0x0002, 0x0000, 0xfffe, 0xfffe]), "shl {count}");
        assert_eq!(i16x8_shr_s(a, count), ru16([0x0000, 0xc000, 0x3fff, 0xffff]), "shr_s {count}");
        assert_eq!(i16x8_shr_u(a, count), ru16([0x0000, 0x4000, 0x3fff, 0x7fff]), "shr_u {count}");
    }
    for count in [0, 16, 32] {
        assert_eq!(i16x8_shl(a, count), a);
        assert_eq!(i16x8_shr_s(a, count), a);
        assert_eq!(i16x8_shr_u(a, count), a);
    }
    for count in [15, u32::MAX] {
        assert_eq!(i16x8_shl(a, count), ru16([0x8000, 0, 0x8000, 0x8000]), "shl {count}");
        assert_eq!(i16x8_shr_s(a, count), ru16([0, 0xffff, 0, 0xffff]), "shr_s {count}");
        assert_eq!(i16x8_shr_u(a, count), ru16([0, 1, 0, 1]), "shr_u {count}");
    }
    // Bits do not cross into the neighbouring lane.
    assert_eq!(i16x8_shl(ru16([0x00ff, 0, 0, 0]), 8), ru16([0xff00, 0, 0, 0]));
}

#[test]
fn i32x4_shifts() {
    let a = from_u32x4([1, 0x8000_0000, 0x7fff_ffff, 0xffff_ffff]);
    for count in [1, 33] {
        assert_eq!(i32x4_shl(a, count), from_u32x4([2, 0, 0xffff_fffe, 0xffff_fffe]));
        assert_eq!(i32x4_shr_s(a, count), from_u32x4([0, 0xc000_0000, 0x3fff_ffff, 0xffff_ffff]));
        assert_eq!(i32x4_shr_u(a, count), from_u32x4([0, 0x4000_0000, 0x3fff_ffff, 0x7fff_ffff]));
    }
    for count in [0, 32, 64] {
        assert_eq!(i32x4_shl(a, count), a);
        assert_eq!(i32x4_shr_s(a, count), a);
        assert_eq!(i32x4_shr_u(a, count), a);
    }
    assert_eq!(i32x4_shl(a, 31), from_u32x4([0x8000_0000, 0, 0x8000_0000, 0x8000_0000]));
    assert_eq!(i32x4_shr_s(a, u32::MAX), from_u32x4([0, 0xffff_ffff, 0, 0xffff_ffff]));
    assert_eq!(i32x4_shr_u(a, 63), from_u32x4([0, 1, 0, 1]));
}

#[test]
fn i64x2_shifts() {
    let a = from_u64x2([1, 1 << 63]);
    let b = from_u64x2([u64::MAX >> 1, u64::MAX]);
    for count in [1, 65] {
        assert_eq!(i64x2_shl(a, count), from_u64x2([2, 0]));
        assert_eq!(i64x2_shl(b, count), from_u64x2([u64::MAX - 1, u64::MAX - 1]));
        assert_eq!(i64x2_shr_s(a, count), from_u64x2([0, 0xc000_0000_0000_0000]));
        assert_eq!(i64x2_shr_s(b, count), from_u64x2([u64::MAX >> 2, u64::MAX]));
        assert_eq!(i64x2_shr_u(a, count), from_u64x2([0, 1 << 62]));
        assert_eq!(i64x2_shr_u(b, count), from_u64x2([u64::MAX >> 2, u64::MAX >> 1]));
    }
    for count in [0, 64, 128] {
        assert_eq!(i64x2_shl(a, count), a);
        assert_eq!(i64x2_shr_s(a, count), a);
        assert_eq!(i64x2_shr_u(a, count), a);
    }
    assert_eq!(i64x2_shl(a, 63), from_u64x2([1 << 63, 0]));
    assert_eq!(i64x2_shr_s(a, u32::MAX), from_u64x2([0, u64::MAX]));
    assert_eq!(i64x2_shr_u(a, 127), from_u64x2([0, 1]));
    assert_eq!(i64x2_shl(from_u64x2([u64::MAX, 0]), 32), from_u64x2([0xffff_ffff_0000_0000, 0]));
}

// ---------------------------------------------------------------------------------------
// Binary arithmetic.

#[test]
fn i8x16_add_sub() {
    let (a, b) = (r8([100, -100, -1, 1]), r8([100, -100, 1, -1]));
    assert_eq!(i8x16_add(a, b), r8([-56, 56, 0, 0]));
    assert_eq!(i8x16_add_sat_s(a, b), r8([127, -128, 0, 0]));
    assert_eq!(i8x16_add_sat_u(a, b), ru8([200, 255, 255, 255]));
    let (a, b) = (r8([100, -100, 0, 1]), r8([-100, 100, 1, -1]));
    assert_eq!(i8x16_sub(a, b), r8([-56, 56, -1, 2]));
    assert_eq!(i8x16_sub_sat_s(a, b), r8([127, -128, -1, 2]));
    assert_eq!(i8x16_sub_sat_u(a, b), ru8([0, 56, 0, 0]));
}

#[test]
fn i8x16_min_max_avgr() {
    let (a, b) = (r8([-1, 1, -128, 127]), r8([1, -1, 127, -128]));
    assert_eq!(i8x16_min_s(a, b), r8([-1, -1, -128, -128]));
    assert_eq!(i8x16_max_s(a, b), r8([1, 1, 127, 127]));
    assert_eq!(i8x16_min_u(a, b), r8([1, 1, 127, 127]));
    assert_eq!(i8x16_max_u(a, b), r8([-1, -1, -128, -128]));
    assert_eq!(i8x16_avgr_u(ru8([255, 255, 1, 200]), ru8([0, 255, 2, 100])), ru8([128, 255, 2, 150]));
}

#[test]
fn i16x8_add_sub_mul() {
    let (a, b) = (r16([30000, -30000, -1, 1]), r16([30000, -30000, 1, -1]));
    assert_eq!(i16x8_add(a, b), r16([-5536, 5536, 0, 0]));
    assert_eq!(i16x8_add_sat_s(a, b), r16([32767, -32768, 0, 0]));
    assert_eq!(i16x8_add_sat_u(a, b), ru16([60000, 65535, 65535, 65535]));
    let (a, b) = (r16([30000, -30000, 0, 1]), r16([-30000, 30000, 1, -1]));
    assert_eq!(i16x8_sub(a, b), r16([-5536, 5536, -1, 2]));
    assert_eq!(i16x8_sub_sat_s(a, b), r16([32767, -32768, -1, 2]));
    assert_eq!(i16x8_sub_sat_u(a, b), ru16([0, 5536, 0, 0]));
    let (a, b) = (r16([256, -1, 300, 0x7fff]), r16([256, -1, -300, 2]));
    assert_eq!(i16x8_mul(a, b), r16([0, 1, -24464, -2]));
}

#[test]
fn i16x8_min_max_avgr() {
    let (a, b) = (r16([-1, 1, i16::MIN, i16::MAX]), r16([1, -1, i16::MAX, i16::MIN]));
    assert_eq!(i16x8_min_s(a, b), r16([-1, -1, i16::MIN, i16::MIN]));
    assert_eq!(i16x8_max_s(a, b), r16([1, 1, i16::MAX, i16::MAX]));
    assert_eq!(i16x8_min_u(a, b), r16([1, 1, i16::MAX, i16::MAX]));
    assert_eq!(i16x8_max_u(a, b), r16([-1, -1, i16::MIN, i16::MIN]));
    let (a, b) = (ru16([65535, 65535, 1, 60000]), ru16([0, 65535, 2, 10000]));
    assert_eq!(i16x8_avgr_u(a, b), ru16([32768, 65535, 2, 35000]));
}

#[test]
fn i16x8_q15mulr_sat_s_rounds_and_saturates() {
    let a = from_i16x8([-32768, 16384, 1, -1, 32767, -32768, 0, 2]);
    let b = from_i16x8([-32768, -16384, 16384, 16384, 32767, 32767, 12345, 3]);
    assert_eq!(i16x8_q15mulr_sat_s(a, b), from_i16x8([32767, -8192, 1, 0, 32766, -32767, 0, 0]));
}

#[test]
fn i32x4_arithmetic() {
    let (a, b) = (from_i32x4([i32::MAX, i32::MIN, -1, 5]), from_i32x4([1, -1, 1, 7]));
    assert_eq!(i32x4_add(a, b), from_i32x4([i32::MIN, i32::MAX, 0, 12]));
    let (a, b) = (from_i32x4([i32::MIN, i32::MAX, 0, 5]), from_i32x4([1, -1, 1, 7]));
    assert_eq!(i32x4_sub(a, b), from_i32x4([i32::MAX, i32::MIN, -1, -2]));
    let (a, b) = (from_i32x4([0x10000, -1, 0x7fff_ffff, 123_456]), from_i32x4([0x10000, -1, 2, -1000]));
    assert_eq!(i32x4_mul(a, b), from_i32x4([0, 1, -2, -123_456_000]));
    let (a, b) = (from_i32x4([-1, 1, i32::MIN, i32::MAX]), from_i32x4([1, -1, i32::MAX, i32::MIN]));
    assert_eq!(i32x4_min_s(a, b), from_i32x4([-1, -1, i32::MIN, i32::MIN]));
    assert_eq!(i32x4_max_s(a, b), from_i32x4([1, 1, i32::MAX, i32::MAX]));
    assert_eq!(i32x4_min_u(a, b), from_i32x4([1, 1, i32::MAX, i32::MAX]));
    assert_eq!(i32x4_max_u(a, b), from_i32x4([-1, -1, i32::MIN, i32::MIN]));
}

#[test]
fn i64x2_arithmetic() {
    assert_eq!(i64x2_add(from_i64x2([i64::MAX, -1]), from_i64x2([1, 1])), from_i64x2([i64::MIN, 0]));
    assert_eq!(i64x2_add(from_i64x2([i64::MIN, 5]), from_i64x2([-1, 7])), from_i64x2([i64::MAX, 12]));
    // A carry out of the low lane does not reach the high lane.
    assert_eq!(i64x2_add(from_u64x2([u64::MAX, 0]), from_u64x2([1, 0])), [0; 16]);
    assert_eq!(i64x2_sub(from_i64x2([i64::MIN, 0]), from_i64x2([1, 1])), from_i64x2([i64::MAX, -1]));
    assert_eq!(i64x2_sub(from_u64x2([0, 5]), from_u64x2([1, 0])), from_u64x2([u64::MAX, 5]));
    assert_eq!(i64x2_mul(from_i64x2([1 << 32, -1]), from_i64x2([1 << 32, -1])), from_i64x2([0, 1]));
    assert_eq!(
        i64x2_mul(from_i64x2([i64::MAX, 5_000_000_000]), from_i64x2([2, 5_000_000_000])),
        from_i64x2([-2, 6_553_255_926_290_448_384])
    );
}

// ---------------------------------------------------------------------------------------
// Sweeps against wide-integer arithmetic.

/// A lane-wise binary operation on 8-bit lanes and its reference on one pair of lanes.
type Case8 = (&'static str, fn(V, V) -> V, fn(i8, i8) -> u8);

/// A lane's signed value.
fn s(x: i8) -> i32 {
    i32::from(x)
}

/// A lane's unsigned value.
fn u(x: i8) -> i32 {
    i32::from(x as u8)
}

/// A comparison result lane.
fn m(c: bool) -> u8 {
    if c { 0xff } else { 0 }
}

const CASES8: [Case8; 21] = [
    ("add", i8x16_add, |x, y| (s(x) + s(y)) as u8),
    ("add_sat_s", i8x16_add_sat_s, |x, y| (s(x) + s(y)).clamp(-128, 127) as u8),
    ("add_sat_u", i8x16_add_sat_u, |x, y| (u(x) + u(y)).min(255) as u8),
    ("sub", i8x16_sub, |x, y| (s(x) - s(y)) as u8),
    ("sub_sat_s", i8x16_sub_sat_s, |x, y| (s(x) - s(y)).clamp(-128, 127) as u8),
    ("sub_sat_u", i8x16_sub_sat_u, |x, y| (u(x) - u(y)).max(0) as u8),
    ("min_s", i8x16_min_s, |x, y| if s(x) < s(y) { x as u8 } else { y as u8 }),
    ("min_u", i8x16_min_u, |x, y| if u(x) < u(y) { x as u8 } else { y as u8 }),
    ("max_s", i8x16_max_s, |x, y| if s(x) > s(y) { x as u8 } else { y as u8 }),
    ("max_u", i8x16_max_u, |x, y| if u(x) > u(y) { x as u8 } else { y as u8 }),
    ("avgr_u", i8x16_avgr_u, |x, y| ((u(x) + u(y) + 1) / 2) as u8),
    ("eq", i8x16_eq, |x, y| m(x == y)),
    ("ne", i8x16_ne, |x, y| m(x != y)),
    ("lt_s", i8x16_lt_s, |x, y| m(s(x) < s(y))),
    ("lt_u", i8x16_lt_u, |x, y| m(u(x) < u(y))),
    ("gt_s", i8x16_gt_s, |x, y| m(s(x) > s(y))),
    ("gt_u", i8x16_gt_u, |x, y| m(u(x) > u(y))),
    ("le_s", i8x16_le_s, |x, y| m(s(x) <= s(y))),
    ("le_u", i8x16_le_u, |x, y| m(u(x) <= u(y))),
    ("ge_s", i8x16_ge_s, |x, y| m(s(x) >= s(y))),
    ("ge_u", i8x16_ge_u, |x, y| m(u(x) >= u(y))),
];

#[test]
fn i8x16_binary_ops_on_every_pair_of_lanes() {
    // Under Miri, which checks the code's memory use rather than its arithmetic, a sample of
    // the left operands.
    let step = if cfg!(miri) { 51 } else { 1 };
    for (name, f, reference) in CASES8 {
        for x in (i8::MIN..=i8::MAX).step_by(step) {
            for chunk in 0..16u8 {
                // Sixteen different right operands, one per lane, and `x` on the left.
                let ys: [i8; 16] = from_fn(|i| (chunk * 16 + i as u8) as i8);
                let got = to_u8x16(f(from_i8x16([x; 16]), from_i8x16(ys)));
                let want: [u8; 16] = from_fn(|i| reference(x, ys[i]));
                assert_eq!(got, want, "i8x16.{name} with {x} on the left");
            }
        }
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A `v128` whose 16-bit lanes lean towards the edges (0, ±1, MIN, MAX).
    fn v128_i16(&mut self) -> V {
        from_i16x8(from_fn(|_| {
            let r = self.next();
            match r % 8 {
                0 => [0, 1, -1, i16::MIN, i16::MAX, i16::MIN + 1, i16::MAX - 1, 0x4000][(r >> 8) as usize % 8],
                _ => (r >> 16) as i16,
            }
        }))
    }
}

/// A lane-wise binary operation on 16-bit lanes and its reference on one pair of lanes.
type Case16 = (&'static str, fn(V, V) -> V, fn(i64, i64) -> i64);

/// Clamps to the signed 16-bit range.
fn sat_s(x: i64) -> i64 {
    x.clamp(-32768, 32767)
}

/// Clamps to the unsigned 16-bit range.
fn sat_u(x: i64) -> i64 {
    x.clamp(0, 65535)
}

/// References take and give the lanes' values as signed; the unsigned ones reinterpret.
const CASES16: [Case16; 13] = [
    ("add", i16x8_add, |x, y| x + y),
    ("add_sat_s", i16x8_add_sat_s, |x, y| sat_s(x + y)),
    ("add_sat_u", i16x8_add_sat_u, |x, y| sat_u((x & 0xffff) + (y & 0xffff))),
    ("sub", i16x8_sub, |x, y| x - y),
    ("sub_sat_s", i16x8_sub_sat_s, |x, y| sat_s(x - y)),
    ("sub_sat_u", i16x8_sub_sat_u, |x, y| sat_u((x & 0xffff) - (y & 0xffff))),
    ("mul", i16x8_mul, |x, y| x * y),
    ("min_s", i16x8_min_s, |x, y| x.min(y)),
    ("min_u", i16x8_min_u, |x, y| (x & 0xffff).min(y & 0xffff)),
    ("max_s", i16x8_max_s, |x, y| x.max(y)),
    ("max_u", i16x8_max_u, |x, y| (x & 0xffff).max(y & 0xffff)),
    ("avgr_u", i16x8_avgr_u, |x, y| ((x & 0xffff) + (y & 0xffff) + 1) / 2),
    ("q15mulr_sat_s", i16x8_q15mulr_sat_s, |x, y| sat_s((x * y + 0x4000) >> 15)),
];

#[test]
fn i16x8_binary_ops_on_sampled_lanes() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Miri checks the code's memory use, which a few samples exercise as well as thousands.
    let samples = if cfg!(miri) { 40 } else { 4000 };
    for _ in 0..samples {
        let (a, b) = (rng.v128_i16(), rng.v128_i16());
        for (name, f, reference) in CASES16 {
            let (xs, ys) = (to_i16x8(a), to_i16x8(b));
            let want: [u16; 8] = from_fn(|i| reference(xs[i].into(), ys[i].into()) as u16);
            assert_eq!(to_u16x8(f(a, b)), want, "i16x8.{name} on {xs:?} and {ys:?}");
        }
    }
}
