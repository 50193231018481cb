//! How typed values sit in stack cells, and the arithmetic that needs more than one Rust
//! operator to match the spec (trapping division and conversion, float min/max, rounding).

use crate::error::TrapCode;
use crate::cell::Cell;

/// A Rust type the interpreter reads from and writes to cells.
pub(super) trait CellValue: Copy {
    fn from_cell(cell: Cell) -> Self;
    fn into_cell(self) -> Cell;

    /// Reads the value from the accumulators: `f64` has its own (a float register), every
    /// other type is kept as its cell in the integer one.
    #[inline(always)]
    fn from_acc(acc: Cell, _facc: f64) -> Self {
        Self::from_cell(acc)
    }

    /// Writes the value to its accumulator.
    #[inline(always)]
    fn into_acc(self, acc: &mut Cell, _facc: &mut f64) {
        *acc = self.into_cell();
    }
}

macro_rules! cell_value {
    ($($ty:ty: |$c:ident| $from:expr, |$x:ident| $into:expr;)*) => {$(
        impl CellValue for $ty {
            #[inline(always)]
            fn from_cell($c: Cell) -> Self { $from }
            #[inline(always)]
            fn into_cell(self) -> Cell { let $x = self; $into }
        }
    )*};
}

cell_value! {
    i32: |c| c as u32 as i32, |x| x as u32 as Cell;
    u32: |c| c as u32, |x| x as Cell;
    i64: |c| c as i64, |x| x as Cell;
    u64: |c| c, |x| x;
    f32: |c| f32::from_bits(c as u32), |x| x.to_bits() as Cell;
    bool: |c| c as u32 != 0, |x| x as Cell;
}

impl CellValue for f64 {
    #[inline(always)]
    fn from_cell(cell: Cell) -> Self {
        f64::from_bits(cell)
    }
    #[inline(always)]
    fn into_cell(self) -> Cell {
        self.to_bits()
    }
    #[inline(always)]
    fn from_acc(_acc: Cell, facc: f64) -> Self {
        facc
    }
    #[inline(always)]
    fn into_acc(self, _acc: &mut Cell, facc: &mut f64) {
        *facc = self;
    }
}

macro_rules! int_division {
    ($($div_s:ident $div_u:ident $rem_s:ident $rem_u:ident: $s:ty, $u:ty;)*) => {$(
        pub(super) fn $div_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivisionByZero);
            }
            a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
        }
        pub(super) fn $div_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_div(b).ok_or(TrapCode::IntegerDivisionByZero)
        }
        pub(super) fn $rem_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivisionByZero);
            }
            Ok(a.wrapping_rem(b))
        }
        pub(super) fn $rem_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_rem(b).ok_or(TrapCode::IntegerDivisionByZero)
        }
    )*};
}

int_division! {
    i32_div_s i32_div_u i32_rem_s i32_rem_u: i32, u32;
    i64_div_s i64_div_u i64_rem_s i64_rem_u: i64, u64;
}

/// Trapping float-to-int conversion: `$lo < x < $hi` is exactly the range whose truncation
/// fits the target type.
macro_rules! trunc {
    ($($name:ident: $f:ty => $i:ty, $lo:expr, $hi:expr;)*) => {$(
        pub(super) fn $name(x: $f) -> Result<$i, TrapCode> {
            if x.is_nan() {
                return Err(TrapCode::BadConversionToInteger);
            }
            if !(x > $lo && x < $hi) {
                return Err(TrapCode::IntegerOverflow);
            }
            Ok(x as $i)
        }
    )*};
}

trunc! {
    i32_trunc_f32_s: f32 => i32, -2147483904.0, 2147483648.0;
    i32_trunc_f32_u: f32 => u32, -1.0, 4294967296.0;
    i32_trunc_f64_s: f64 => i32, -2147483649.0, 2147483648.0;
    i32_trunc_f64_u: f64 => u32, -1.0, 4294967296.0;
    i64_trunc_f32_s: f32 => i64, -9223373136366403584.0, 9223372036854775808.0;
    i64_trunc_f32_u: f32 => u64, -1.0, 18446744073709551616.0;
    i64_trunc_f64_s: f64 => i64, -9223372036854777856.0, 9223372036854775808.0;
    i64_trunc_f64_u: f64 => u64, -1.0, 18446744073709551616.0;
}

macro_rules! float_ops {
    ($($min:ident $max:ident $copysign:ident $abs:ident $neg:ident: $f:ty, $bits:ty;)*) => {$(
        /// Wasm `min`: NaN if either operand is, and `-0 < +0`.
        pub(super) fn $min(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                return <$f>::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b { a } else { b }
        }
        /// Wasm `max`: NaN if either operand is, and `+0 > -0`.
        pub(super) fn $max(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                return <$f>::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b { a } else { b }
        }
        /// Sign operations work on the bits, so NaN payloads pass through untouched.
        pub(super) fn $copysign(a: $f, b: $f) -> $f {
            const SIGN: $bits = 1 << (<$bits>::BITS - 1);
            <$f>::from_bits((a.to_bits() & !SIGN) | (b.to_bits() & SIGN))
        }
        pub(super) fn $abs(a: $f) -> $f {
            const SIGN: $bits = 1 << (<$bits>::BITS - 1);
            <$f>::from_bits(a.to_bits() & !SIGN)
        }
        pub(super) fn $neg(a: $f) -> $f {
            const SIGN: $bits = 1 << (<$bits>::BITS - 1);
            <$f>::from_bits(a.to_bits() ^ SIGN)
        }
    )*};
}

float_ops! {
    f32_min f32_max f32_copysign f32_abs f32_neg: f32, u32;
    f64_min f64_max f64_copysign f64_abs f64_neg: f64, u64;
}

/// Rounding and square roots: the standard library's where there is one, `libm`'s without.
/// A NaN operand gives a quiet NaN, as the spec's arithmetic NaN rule asks (some rounding
/// instructions pass a signalling NaN through unchanged).
pub(super) mod rounding {
    macro_rules! quieting {
        ($($name:ident: $f:ty => |$x:ident| $std:expr, $libm:expr;)*) => {$(
            pub fn $name($x: $f) -> $f {
                if $x.is_nan() {
                    return $x + $x;
                }
                #[cfg(feature = "std")]
                { $std }
                #[cfg(not(feature = "std"))]
                { $libm }
            }
        )*};
    }

    quieting! {
        f32_ceil: f32 => |x| x.ceil(), libm::ceilf(x);
        f32_floor: f32 => |x| x.floor(), libm::floorf(x);
        f32_trunc: f32 => |x| x.trunc(), libm::truncf(x);
        f32_nearest: f32 => |x| x.round_ties_even(), libm::rintf(x);
        f32_sqrt: f32 => |x| x.sqrt(), libm::sqrtf(x);
        f64_ceil: f64 => |x| x.ceil(), libm::ceil(x);
        f64_floor: f64 => |x| x.floor(), libm::floor(x);
        f64_trunc: f64 => |x| x.trunc(), libm::trunc(x);
        f64_nearest: f64 => |x| x.round_ties_even(), libm::rint(x);
        f64_sqrt: f64 => |x| x.sqrt(), libm::sqrt(x);
    }
}
