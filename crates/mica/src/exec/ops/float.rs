//! Floating-point arithmetic and comparisons, `f32` and `f64`: the steps of their handlers.
//! The operations the spec defines differently from Rust (min, max, nearest, copysign,
//! NaN canonicalisation) are in `exec/values.rs`.

use super::prelude::*;

steps! {
    (ip, r, mem, ctx);
    F32Abs(o) => { r.un(o, values::f32_abs); }
    F32Neg(o) => { r.un(o, values::f32_neg); }
    F32Ceil(o) => { r.un(o, rounding::f32_ceil); }
    F32Floor(o) => { r.un(o, rounding::f32_floor); }
    F32Trunc(o) => { r.un(o, rounding::f32_trunc); }
    F32Nearest(o) => { r.un(o, rounding::f32_nearest); }
    F32Sqrt(o) => { r.un(o, rounding::f32_sqrt); }
    F32Add(o) => { r.bin(o, |a: f32, b| a + b); }
    F32Sub(o) => { r.bin(o, |a: f32, b| a - b); }
    F32Mul(o) => { r.bin(o, |a: f32, b| a * b); }
    F32Div(o) => { r.bin(o, |a: f32, b| a / b); }
    F32Min(o) => { r.bin(o, values::f32_min); }
    F32Max(o) => { r.bin(o, values::f32_max); }
    F32Copysign(o) => { r.bin(o, values::f32_copysign); }
    F32Eq(o) => { r.bin(o, |a: f32, b| a == b); }
    F32Ne(o) => { r.bin(o, |a: f32, b| a != b); }
    F32Lt(o) => { r.bin(o, |a: f32, b| a < b); }
    F32Gt(o) => { r.bin(o, |a: f32, b| a > b); }
    F32Le(o) => { r.bin(o, |a: f32, b| a <= b); }
    F32Ge(o) => { r.bin(o, |a: f32, b| a >= b); }
    F64Abs(o) => { r.un(o, values::f64_abs); }
    F64Neg(o) => { r.un(o, values::f64_neg); }
    F64Ceil(o) => { r.un(o, rounding::f64_ceil); }
    F64Floor(o) => { r.un(o, rounding::f64_floor); }
    F64Trunc(o) => { r.un(o, rounding::f64_trunc); }
    F64Nearest(o) => { r.un(o, rounding::f64_nearest); }
    F64Sqrt(o) => { r.un(o, rounding::f64_sqrt); }
    F64Add(o) => { r.bin(o, |a: f64, b| a + b); }
    F64Sub(o) => { r.bin(o, |a: f64, b| a - b); }
    F64Mul(o) => { r.bin(o, |a: f64, b| a * b); }
    F64Div(o) => { r.bin(o, |a: f64, b| a / b); }
    F64Min(o) => { r.bin(o, values::f64_min); }
    F64Max(o) => { r.bin(o, values::f64_max); }
    F64Copysign(o) => { r.bin(o, values::f64_copysign); }
    F64Eq(o) => { r.bin(o, |a: f64, b| a == b); }
    F64Ne(o) => { r.bin(o, |a: f64, b| a != b); }
    F64Lt(o) => { r.bin(o, |a: f64, b| a < b); }
    F64Gt(o) => { r.bin(o, |a: f64, b| a > b); }
    F64Le(o) => { r.bin(o, |a: f64, b| a <= b); }
    F64Ge(o) => { r.bin(o, |a: f64, b| a >= b); }
}
