//! 128-bit SIMD lane arithmetic: what each `v128` operation computes, as plain Rust over
//! `u128` values (lane 0 in the least significant bits, as WebAssembly's little-endian
//! memory layout puts it).
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

/// Lane views of a `u128`: `to_xxx` splits it into lanes, `from_xxx` joins them.
macro_rules! lane_views {
    ($($to:ident $from:ident: $t:ty, $n:literal;)*) => {$(
        #[inline(always)]
        pub(crate) fn $to(v: u128) -> [$t; $n] {
            let bytes = v.to_le_bytes();
            core::array::from_fn(|i| {
                const SIZE: usize = 16 / $n;
                let mut lane = [0u8; SIZE];
                lane.copy_from_slice(&bytes[i * SIZE..(i + 1) * SIZE]);
                <$t>::from_le_bytes(lane)
            })
        }

        #[inline(always)]
        pub(crate) fn $from(lanes: [$t; $n]) -> u128 {
            const SIZE: usize = 16 / $n;
            let mut bytes = [0u8; 16];
            for (i, lane) in lanes.iter().enumerate() {
                bytes[i * SIZE..(i + 1) * SIZE].copy_from_slice(&lane.to_le_bytes());
            }
            u128::from_le_bytes(bytes)
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
        let v = 0x0f0e0d0c_0b0a0908_07060504_03020100u128;
        assert_eq!(to_u8x16(v)[0], 0);
        assert_eq!(to_u8x16(v)[15], 15);
        assert_eq!(to_u32x4(v), [0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c]);
        assert_eq!(from_u16x8(to_u16x8(v)), v);
        assert_eq!(from_f64x2(to_f64x2(v)).to_le_bytes(), v.to_le_bytes());
    }
}
