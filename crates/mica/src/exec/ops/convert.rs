//! Conversions between the numeric types: wrapping, extension, truncation (trapping and
//! saturating), conversion, promotion and demotion. Reinterpretations are no instructions:
//! a cell already holds the bits.

use super::prelude::*;

steps! {
    (ip, r, mem, ctx);
    I32WrapI64(o) => { r.un(o, |x: u64| x as u32); }
    I32TruncF32S(o) => { fail!(r.try_un(o, values::i32_trunc_f32_s)); }
    I32TruncF32U(o) => { fail!(r.try_un(o, values::i32_trunc_f32_u)); }
    I32TruncF64S(o) => { fail!(r.try_un(o, values::i32_trunc_f64_s)); }
    I32TruncF64U(o) => { fail!(r.try_un(o, values::i32_trunc_f64_u)); }
    I64ExtendI32S(o) => { r.un(o, |x: i32| x as i64); }
    I64ExtendI32U(o) => { r.un(o, |x: u32| x as u64); }
    // A table64 index narrowed for the 32-bit table code: past `u32::MAX` it saturates, and
    // `u32::MAX` is out of bounds of every table (at most `u32::MAX` elements).
    TableIndex64(o) => { r.un(o, |x: u64| u32::try_from(x).unwrap_or(u32::MAX)); }
    I64TruncF32S(o) => { fail!(r.try_un(o, values::i64_trunc_f32_s)); }
    I64TruncF32U(o) => { fail!(r.try_un(o, values::i64_trunc_f32_u)); }
    I64TruncF64S(o) => { fail!(r.try_un(o, values::i64_trunc_f64_s)); }
    I64TruncF64U(o) => { fail!(r.try_un(o, values::i64_trunc_f64_u)); }
    F32ConvertI32S(o) => { r.un(o, |x: i32| x as f32); }
    F32ConvertI32U(o) => { r.un(o, |x: u32| x as f32); }
    F32ConvertI64S(o) => { r.un(o, |x: i64| x as f32); }
    F32ConvertI64U(o) => { r.un(o, |x: u64| x as f32); }
    F32DemoteF64(o) => { r.un(o, |x: f64| x as f32); }
    F64ConvertI32S(o) => { r.un(o, |x: i32| x as f64); }
    F64ConvertI32U(o) => { r.un(o, |x: u32| x as f64); }
    F64ConvertI64S(o) => { r.un(o, |x: i64| x as f64); }
    F64ConvertI64U(o) => { r.un(o, |x: u64| x as f64); }
    F64PromoteF32(o) => { r.un(o, |x: f32| x as f64); }
    I32TruncSatF32S(o) => { r.un(o, |x: f32| x as i32); }
    I32TruncSatF32U(o) => { r.un(o, |x: f32| x as u32); }
    I32TruncSatF64S(o) => { r.un(o, |x: f64| x as i32); }
    I32TruncSatF64U(o) => { r.un(o, |x: f64| x as u32); }
    I64TruncSatF32S(o) => { r.un(o, |x: f32| x as i64); }
    I64TruncSatF32U(o) => { r.un(o, |x: f32| x as u64); }
    I64TruncSatF64S(o) => { r.un(o, |x: f64| x as i64); }
    I64TruncSatF64U(o) => { r.un(o, |x: f64| x as u64); }
}
