//! Splats, lane access, shuffles and swizzles. A lane index comes from a validated immediate
//! (below the lane count); it is masked all the same, so a wrong one cannot panic.

use super::*;

/// `i8x16.splat`: the low 8 bits of `x` in every lane.
#[inline(always)]
pub(crate) fn i8x16_splat(x: u32) -> V {
    from_u8x16([x as u8; 16])
}

/// `i16x8.splat`
#[inline(always)]
pub(crate) fn i16x8_splat(x: u32) -> V {
    from_u16x8([x as u16; 8])
}

/// `i32x4.splat`
#[inline(always)]
pub(crate) fn i32x4_splat(x: u32) -> V {
    from_u32x4([x; 4])
}

/// `i64x2.splat`
#[inline(always)]
pub(crate) fn i64x2_splat(x: u64) -> V {
    from_u64x2([x; 2])
}

/// `f32x4.splat` (of the float's bits).
#[inline(always)]
pub(crate) fn f32x4_splat(x: u32) -> V {
    i32x4_splat(x)
}

/// `f64x2.splat` (of the float's bits).
#[inline(always)]
pub(crate) fn f64x2_splat(x: u64) -> V {
    i64x2_splat(x)
}

/// `i8x16.extract_lane_s`: sign-extended to 32 bits.
#[inline(always)]
pub(crate) fn i8x16_extract_lane_s(v: V, lane: u8) -> u32 {
    to_i8x16(v)[lane as usize & 15] as i32 as u32
}

/// `i8x16.extract_lane_u`
#[inline(always)]
pub(crate) fn i8x16_extract_lane_u(v: V, lane: u8) -> u32 {
    to_u8x16(v)[lane as usize & 15] as u32
}

/// `i16x8.extract_lane_s`
#[inline(always)]
pub(crate) fn i16x8_extract_lane_s(v: V, lane: u8) -> u32 {
    to_i16x8(v)[lane as usize & 7] as i32 as u32
}

/// `i16x8.extract_lane_u`
#[inline(always)]
pub(crate) fn i16x8_extract_lane_u(v: V, lane: u8) -> u32 {
    to_u16x8(v)[lane as usize & 7] as u32
}

/// `i32x4.extract_lane`
#[inline(always)]
pub(crate) fn i32x4_extract_lane(v: V, lane: u8) -> u32 {
    to_u32x4(v)[lane as usize & 3]
}

/// `i64x2.extract_lane`
#[inline(always)]
pub(crate) fn i64x2_extract_lane(v: V, lane: u8) -> u64 {
    to_u64x2(v)[lane as usize & 1]
}

/// `f32x4.extract_lane` (the float's bits).
#[inline(always)]
pub(crate) fn f32x4_extract_lane(v: V, lane: u8) -> u32 {
    i32x4_extract_lane(v, lane)
}

/// `f64x2.extract_lane` (the float's bits).
#[inline(always)]
pub(crate) fn f64x2_extract_lane(v: V, lane: u8) -> u64 {
    i64x2_extract_lane(v, lane)
}

/// `i8x16.replace_lane`: lane `lane` of `v` becomes the low 8 bits of `x`.
#[inline(always)]
pub(crate) fn i8x16_replace_lane(v: V, lane: u8, x: u32) -> V {
    let mut lanes = to_u8x16(v);
    lanes[lane as usize & 15] = x as u8;
    from_u8x16(lanes)
}

/// `i16x8.replace_lane`
#[inline(always)]
pub(crate) fn i16x8_replace_lane(v: V, lane: u8, x: u32) -> V {
    let mut lanes = to_u16x8(v);
    lanes[lane as usize & 7] = x as u16;
    from_u16x8(lanes)
}

/// `i32x4.replace_lane`
#[inline(always)]
pub(crate) fn i32x4_replace_lane(v: V, lane: u8, x: u32) -> V {
    let mut lanes = to_u32x4(v);
    lanes[lane as usize & 3] = x;
    from_u32x4(lanes)
}

/// `i64x2.replace_lane`
#[inline(always)]
pub(crate) fn i64x2_replace_lane(v: V, lane: u8, x: u64) -> V {
    let mut lanes = to_u64x2(v);
    lanes[lane as usize & 1] = x;
    from_u64x2(lanes)
}

/// `f32x4.replace_lane` (with the float's bits).
#[inline(always)]
pub(crate) fn f32x4_replace_lane(v: V, lane: u8, x: u32) -> V {
    i32x4_replace_lane(v, lane, x)
}

/// `f64x2.replace_lane` (with the float's bits).
#[inline(always)]
pub(crate) fn f64x2_replace_lane(v: V, lane: u8, x: u64) -> V {
    i64x2_replace_lane(v, lane, x)
}

/// `i8x16.shuffle`: byte `i` of the result is byte `lanes[i]` of `a` and `b` together (`b`'s
/// bytes numbered 16 to 31). A table lookup per byte, without branches.
#[inline(always)]
pub(crate) fn i8x16_shuffle(a: V, b: V, lanes: V) -> V {
    let both: [u8; 32] = core::array::from_fn(|i| if i < 16 { a[i] } else { b[i - 16] });
    core::array::from_fn(|i| both[lanes[i] as usize & 31])
}

/// `i8x16.shuffle` of whole 16-bit lanes: lane `i` of the result is lane `(lanes >> 4i) & 15`
/// of `a` and `b` together (the translator picks this form when the byte indices come in
/// aligned pairs: half the lookups of the byte form).
#[inline(always)]
pub(crate) fn i16x8_shuffle(a: V, b: V, lanes: u32) -> V {
    let (a, b) = (to_u16x8(a), to_u16x8(b));
    let both: [u16; 16] = core::array::from_fn(|i| if i < 8 { a[i] } else { b[i - 8] });
    from_u16x8(core::array::from_fn(|i| both[(lanes >> (4 * i)) as usize & 15]))
}

/// `i8x16.shuffle` of whole 32-bit lanes: lane `i` of the result is lane `(lanes >> 4i) & 7`
/// of `a` and `b` together.
#[inline(always)]
pub(crate) fn i32x4_shuffle(a: V, b: V, lanes: u32) -> V {
    let (a, b) = (to_u32x4(a), to_u32x4(b));
    let both: [u32; 8] = core::array::from_fn(|i| if i < 4 { a[i] } else { b[i - 4] });
    from_u32x4(core::array::from_fn(|i| both[(lanes >> (4 * i)) as usize & 7]))
}

/// The lane indices of a byte shuffle as whole lanes of `size` bytes (2 or 4), 4 bits each,
/// if every lane of the result is one whole, aligned lane of the inputs.
#[cfg_attr(not(feature = "simd"), allow(dead_code))]
pub(crate) fn whole_lanes(bytes: [u8; 16], size: usize) -> Option<u32> {
    let mut lanes = 0u32;
    for (i, lane) in bytes.chunks(size).enumerate() {
        let first = lane[0] as usize;
        if !first.is_multiple_of(size) || first >= 32 || lane.iter().enumerate().any(|(j, &b)| b as usize != first + j) {
            return None;
        }
        lanes |= ((first / size) as u32) << (4 * i);
    }
    Some(lanes)
}

/// `i8x16.shuffle` whose lanes are a window of `a` and `b` together: bytes `k..k + 16`
/// (`k <= 16`), the shape compilers use to shift a vector across a neighbour (the
/// translator picks this form when the lanes say so).
#[inline(always)]
pub(crate) fn i8x16_shuffle_window(a: V, b: V, k: u8) -> V {
    let (a, b, k) = (u128::from_le_bytes(a), u128::from_le_bytes(b), u32::from(k & 31).min(16));
    let low = a.checked_shr(8 * k).unwrap_or(0);
    let high = if k == 0 { 0 } else { b << (128 - 8 * k) };
    (low | high).to_le_bytes()
}

/// The byte shuffles compilers emit most, each of which gets a handler of its own in which
/// the lane indices are constants, so that the compiler turns it into the target's few
/// shuffle instructions instead of sixteen lookups. The translator gives a shuffle whose
/// lanes are one of these the form `I8x16ShuffleKnown` with the pattern's index here, and
/// `exec` picks the pattern's handler by that index.
pub(crate) const KNOWN_SHUFFLES: [V; 19] = [
    // Interleaving the low or high halves of `a` and `b`, by lanes of 1, 2, 4 and 8 bytes.
    interleave(1, false),
    interleave(1, true),
    interleave(2, false),
    interleave(2, true),
    interleave(4, false),
    interleave(4, true),
    interleave(8, false),
    interleave(8, true),
    // The even or the odd lanes of `a` then `b` (de-interleaving; narrowing by truncation).
    pick(1, 0),
    pick(1, 1),
    pick(2, 0),
    pick(2, 1),
    // Widening by zero extension as clang writes it, with the other operand zero: lane `2j`
    // of the result is lane `j` of the data's low (or high) half, lane `2j + 1` is a lane
    // of the zero vector.
    widen(1, false),
    widen(1, true),
    widen(2, false),
    widen(2, true),
    widen(4, false),
    widen(4, true),
    // Narrowing 32-bit lanes to their low bytes (the high half of the result unused).
    [0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0],
];

/// Lane `j` of the result is lane `j / 2` of the low (or high) half of `a` for even `j`, of
/// `b` for odd `j`; lanes of `size` bytes.
const fn interleave(size: usize, high: bool) -> V {
    let (mut out, mut i) = ([0; 16], 0);
    while i < 16 {
        let (lane, byte) = (i / size, i % size);
        let from = (lane / 2 + if high { 8 / size } else { 0 }) * size + byte;
        out[i] = (from + if lane % 2 == 1 { 16 } else { 0 }) as u8;
        i += 1;
    }
    out
}

/// Lane `j` of the result is lane `2j + odd` of `a` and `b` together; lanes of `size` bytes.
const fn pick(size: usize, odd: usize) -> V {
    let (mut out, mut i) = ([0; 16], 0);
    while i < 16 {
        out[i] = ((2 * (i / size) + odd) * size + i % size) as u8;
        i += 1;
    }
    out
}

/// clang's zero extension by shuffle: for the low half, lane `2j` of the result is lane `j`
/// of `b` and lane `2j + 1` is lane `2j + 1` of `a` (the zero vector); for the high half,
/// lane `2j` is lane `n / 2 + j` of `a` and lane `2j + 1` is lane `2j + 1` of `b` (zero).
const fn widen(size: usize, high: bool) -> V {
    let (mut out, mut i, n) = ([0; 16], 0, 16 / size);
    while i < 16 {
        let (lane, byte) = (i / size, i % size);
        let from = match (lane % 2 == 0, high) {
            (true, false) => 16 + (lane / 2) * size,
            (false, false) => lane * size,
            (true, true) => (n / 2 + lane / 2) * size,
            (false, true) => 16 + lane * size,
        };
        out[i] = (from + byte) as u8;
        i += 1;
    }
    out
}

/// The index in [`KNOWN_SHUFFLES`] of these shuffle lanes, if they are one of them.
#[cfg_attr(not(feature = "simd"), allow(dead_code))]
pub(crate) fn known_shuffle(lanes: V) -> Option<u8> {
    KNOWN_SHUFFLES.iter().position(|known| *known == lanes).map(|i| i as u8)
}

/// `i8x16.shuffle` with the lanes of [`KNOWN_SHUFFLES`]`[index]`.
#[inline(always)]
pub(crate) fn i8x16_shuffle_known(a: V, b: V, index: u8) -> V {
    i8x16_shuffle(a, b, KNOWN_SHUFFLES[index as usize % KNOWN_SHUFFLES.len()])
}

/// `i8x16.swizzle`: byte `i` of the result is byte `s[i]` of `a`, or 0 if `s[i] >= 16`.
#[inline(always)]
pub(crate) fn i8x16_swizzle(a: V, s: V) -> V {
    let (a, s) = (to_u8x16(a), to_u8x16(s));
    from_u8x16(core::array::from_fn(|i| a.get(s[i] as usize).copied().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_shuffles_are_what_they_say() {
        let a: V = core::array::from_fn(|i| i as u8);
        let b: V = core::array::from_fn(|i| 16 + i as u8);
        let k = |i: usize| i8x16_shuffle(a, b, KNOWN_SHUFFLES[i]);
        assert_eq!(k(0), [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23]);
        assert_eq!(k(3), [8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31]);
        assert_eq!(k(7), [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]);
        assert_eq!(k(9), [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]);
        assert_eq!(k(10), [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29]);
        // The two shapes clang 14 gives `zext <4 x i16> to <4 x i32>` (blur_simd).
        assert_eq!(k(14), [16, 17, 2, 3, 18, 19, 6, 7, 20, 21, 10, 11, 22, 23, 14, 15]);
        assert_eq!(k(15), [8, 9, 18, 19, 10, 11, 22, 23, 12, 13, 26, 27, 14, 15, 30, 31]);
        // With the other operand zero they are zero extensions.
        let zero = [0; 16];
        assert_eq!(i8x16_shuffle(zero, a, KNOWN_SHUFFLES[12]), from_u16x8(core::array::from_fn(|i| i as u16)));
        assert_eq!(i8x16_shuffle(a, zero, KNOWN_SHUFFLES[17]), from_u64x2([0x0b0a0908, 0x0f0e0d0c]));
        for (i, lanes) in KNOWN_SHUFFLES.iter().enumerate() {
            assert_eq!(known_shuffle(*lanes), Some(i as u8), "patterns are distinct");
            assert!(lanes.iter().all(|&l| l < 32));
            assert_eq!(i8x16_shuffle_known(a, b, i as u8), k(i));
        }
    }

    #[test]
    fn lanes_round_trip() {
        let v = i32x4_replace_lane([0; 16], 2, 0xdead_beef);
        assert_eq!(i32x4_extract_lane(v, 2), 0xdead_beef);
        assert_eq!(i8x16_extract_lane_s(v, 11), 0xffff_ffde);
        assert_eq!(i8x16_extract_lane_u(v, 11), 0xde);
        assert_eq!(i16x8_extract_lane_s(i16x8_splat(0x8001), 7), 0xffff_8001);
        assert_eq!(i64x2_extract_lane(i64x2_splat(7), 1), 7);
    }

    #[test]
    fn shuffle_and_swizzle() {
        let a = from_u8x16(core::array::from_fn(|i| i as u8));
        let b = from_u8x16(core::array::from_fn(|i| 16 + i as u8));
        let reversed = from_u8x16(core::array::from_fn(|i| 31 - i as u8));
        assert_eq!(to_u8x16(i8x16_shuffle(a, b, reversed))[0], 31);
        assert_eq!(to_u8x16(i8x16_shuffle(a, b, reversed))[15], 16);
        let pairs = [8u8, 9, 18, 19, 10, 11, 22, 23, 12, 13, 26, 27, 14, 15, 30, 31];
        let lanes16 = whole_lanes(pairs, 2).unwrap();
        assert_eq!(i16x8_shuffle(a, b, lanes16), i8x16_shuffle(a, b, pairs));
        assert_eq!(whole_lanes(pairs, 4), None);
        let quads = [4u8, 5, 6, 7, 28, 29, 30, 31, 0, 1, 2, 3, 16, 17, 18, 19];
        assert_eq!(i32x4_shuffle(a, b, whole_lanes(quads, 4).unwrap()), i8x16_shuffle(a, b, quads));
        assert_eq!(whole_lanes([1u8; 16], 2), None);
        for k in 0..=16u8 {
            let window = from_u8x16(core::array::from_fn(|i| k + i as u8));
            assert_eq!(i8x16_shuffle_window(a, b, k), i8x16_shuffle(a, b, window), "window {k}");
        }
        let s = from_u8x16(core::array::from_fn(|i| if i == 0 { 200 } else { 15 - i as u8 }));
        assert_eq!(to_u8x16(i8x16_swizzle(a, s))[0], 0);
        assert_eq!(to_u8x16(i8x16_swizzle(a, s))[1], 14);
    }
}
