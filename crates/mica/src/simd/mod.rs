//! 128-bit SIMD lane arithmetic: what each `v128` operation computes, as plain Rust over
//! [`V`] values (16 bytes, lane 0 first, as WebAssembly's little-endian memory layout puts
//! them).
//!
//! Pure functions, no `unsafe`, no `core::arch`: each converts its operands to lane arrays,
//! works lane by lane, and converts back; the conversions are byte reinterpretations the
//! compiler removes, and the lane loops are what it vectorizes. The executor's handlers
//! (`exec/ops/simd.rs`) only move values between frame slots and these functions.
//!
//! Each operation is named after its WebAssembly instruction (`i8x16.add` is
//! [`int::i8x16_add`]). Families: [`int`] (integer lanes and bitwise operations), [`float`]
//! (floating-point lanes and conversions), [`lanes`] (splat, lane access, shuffles), and
//! [`relaxed`] (relaxed SIMD, with the deterministic choices Mica makes).

pub(crate) mod float;
pub(crate) mod int;
pub(crate) mod lanes;
pub(crate) mod relaxed;

/// A `v128` value: its 16 bytes in memory order, lane 0 first. Handlers move it with one
/// 16-byte load or store, and the views below read lanes from it by position, which the
/// compiler turns into single vector instructions (through a `u128` it does not: the value
/// would sit in two integer registers and every lane would be shifted out of them).
pub(crate) type V = [u8; 16];

/// Lane views of a [`V`]: `to_xxx` splits it into lanes, `from_xxx` joins them.
macro_rules! lane_views {
    ($($to:ident $from:ident: $t:ty, $n:literal;)*) => {$(
        #[inline(always)]
        pub(crate) fn $to(v: V) -> [$t; $n] {
            const SIZE: usize = 16 / $n;
            core::array::from_fn(|i| <$t>::from_le_bytes(core::array::from_fn(|j| v[i * SIZE + j])))
        }

        #[inline(always)]
        #[allow(clippy::modulo_one)] // `i % 1` for the byte views: the macro serves all widths.
        pub(crate) fn $from(lanes: [$t; $n]) -> V {
            const SIZE: usize = 16 / $n;
            core::array::from_fn(|i| lanes[i / SIZE].to_le_bytes()[i % SIZE])
        }
    )*};
}

lane_views! {
    to_i8x16 from_i8x16: i8, 16;
    to_u8x16 from_u8x16: u8, 16;
    to_i16x8 from_i16x8: i16, 8;
    to_u16x8 from_u16x8: u16, 8;
    to_i32x4 from_i32x4: i32, 4;
    to_u32x4 from_u32x4: u32, 4;
    to_i64x2 from_i64x2: i64, 2;
    to_u64x2 from_u64x2: u64, 2;
    to_f32x4 from_f32x4: f32, 4;
    to_f64x2 from_f64x2: f64, 2;
}

/// Applies `f` lane by lane to one operand.
#[inline(always)]
pub(crate) fn map<T: Copy, U, const N: usize>(a: [T; N], f: impl Fn(T) -> U) -> [U; N] {
    core::array::from_fn(|i| f(a[i]))
}

/// Applies `f` lane by lane to two operands.
#[inline(always)]
pub(crate) fn zip<T: Copy, U, const N: usize>(a: [T; N], b: [T; N], f: impl Fn(T, T) -> U) -> [U; N] {
    core::array::from_fn(|i| f(a[i], b[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_zero_is_the_least_significant() {
        let v = 0x0f0e0d0c_0b0a0908_07060504_03020100u128.to_le_bytes();
        assert_eq!(to_u8x16(v)[0], 0);
        assert_eq!(to_u8x16(v)[15], 15);
        assert_eq!(to_u32x4(v), [0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c]);
        assert_eq!(from_u16x8(to_u16x8(v)), v);
        assert_eq!(from_f64x2(to_f64x2(v)), v);
    }
}
