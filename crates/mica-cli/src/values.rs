//! Values on the command line: `--invoke` arguments parsed by the function's signature, and
//! results printed so they read back exactly.
//!
//! Floats are written as the wasm text format writes them where Rust's notation differs: a
//! NaN keeps its sign and payload (`nan`, `-nan`, `nan:0x200000`), infinities are `inf` and
//! `-inf`. Finite values print in the shortest form that reads back to the same bits, in
//! exponent notation outside `1e-5..1e16` (`1e300`, not 301 digits). Every printed value is
//! also accepted as an argument.

use mica::{V128, Val, ValType};

pub fn parse_value(ty: ValType, text: &str) -> mica::Result<Val> {
    let bad = || mica::Error::new(format!("`{text}` is not a valid {ty}"));
    Ok(match ty {
        ValType::I32 => Val::I32(parse_int(text, u32::MAX.into()).ok_or_else(bad)? as u32 as i32),
        ValType::I64 => Val::I64(parse_int(text, u64::MAX.into()).ok_or_else(bad)? as u64 as i64),
        ValType::F32 => Val::F32(parse_f32(text).ok_or_else(bad)?),
        ValType::F64 => Val::F64(parse_f64(text).ok_or_else(bad)?),
        ValType::V128 => Val::V128(parse_v128(text).ok_or_else(bad)?),
        _ => return Err(mica::Error::new(format!("cannot pass a {ty} from the command line"))),
    })
}

/// A `v128` as wasm text writes one, shape and lanes in one argument (`i32x4 1 2 3 4`,
/// `f32x4 0.5 nan inf -1`, any of the six shapes), or its 128 bits as one integer (`0x...`).
fn parse_v128(text: &str) -> Option<V128> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let lanes: Vec<&str> = words.collect();
    if lanes.is_empty() {
        return parse_int(first, u128::MAX).map(V128::from);
    }
    let (count, bytes): (usize, usize) = match first {
        "i8x16" => (16, 1),
        "i16x8" => (8, 2),
        "i32x4" | "f32x4" => (4, 4),
        "i64x2" | "f64x2" => (2, 8),
        _ => return None,
    };
    if lanes.len() != count {
        return None;
    }
    let mut value = 0u128;
    for (i, lane) in lanes.iter().enumerate() {
        let bits = match first {
            "f32x4" => u128::from(parse_f32(lane)?),
            "f64x2" => u128::from(parse_f64(lane)?),
            _ => parse_int(lane, (1u128 << (8 * bytes)) - 1)?,
        };
        value |= bits << (8 * bytes * i);
    }
    Some(V128::from(value))
}

/// An integer of at most `max` (unsigned) in decimal or `0x` hex, or a negative one down to
/// `-(max / 2 + 1)`, as two's complement bits.
fn parse_int(text: &str, max: u128) -> Option<u128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        Some(hex) if !hex.starts_with(['+', '-']) => u128::from_str_radix(hex, 16).ok()?,
        _ if digits.starts_with(['+', '-']) => return None,
        _ => digits.parse::<u128>().ok()?,
    };
    if negative {
        // Two's complement of `magnitude` in the width of `max`, without overflowing `max + 1`.
        (magnitude <= max / 2 + 1).then(|| if magnitude == 0 { 0 } else { (max - (magnitude - 1)) & max })
    } else {
        (magnitude <= max).then_some(magnitude)
    }
}

/// The bits of a float in the notations [`format_value`] prints, plus whatever Rust's
/// parser takes (`1e3`, `inf`, `-0`).
fn parse_float(text: &str, mantissa_bits: u32, rust: impl Fn(&str) -> Option<u64>) -> Option<u64> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let sign_bit = u64::from(sign) << (mantissa_bits + if mantissa_bits == 23 { 8 } else { 11 });
    let exponent_bits = if mantissa_bits == 23 { 0xffu64 << 23 } else { 0x7ffu64 << 52 };
    let mantissa_mask = (1u64 << mantissa_bits) - 1;
    if rest.eq_ignore_ascii_case("nan") {
        return Some(sign_bit | exponent_bits | 1 << (mantissa_bits - 1));
    }
    if let Some(payload) = rest.strip_prefix("nan:0x") {
        let payload = u64::from_str_radix(payload, 16).ok()?;
        return (payload != 0 && payload <= mantissa_mask)
            .then_some(sign_bit | exponent_bits | payload);
    }
    if rest.starts_with(['+', '-']) || rest.to_ascii_lowercase().contains("nan") {
        return None;
    }
    rust(rest).map(|bits| bits | sign_bit)
}

fn parse_f32(text: &str) -> Option<u32> {
    parse_float(text, 23, |t| t.parse::<f32>().ok().map(|x| x.to_bits().into())).map(|b| b as u32)
}

fn parse_f64(text: &str) -> Option<u64> {
    parse_float(text, 52, |t| t.parse::<f64>().ok().map(f64::to_bits))
}

/// Integers in decimal; floats as described in the module's documentation.
pub fn format_value(value: &Val) -> String {
    match value {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(bits) => format_f32(*bits),
        Val::F64(bits) => format_f64(*bits),
        Val::V128(v) => format_v128(*v),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "funcref".to_string(),
        Val::ExternRef(Some(_)) => "externref".to_string(),
        other => format!("{other:?}"),
    }
}

/// A `v128` as wasm text writes it: `i32x4 0x00000001 0x00000002 0x00000003 0x00000004`.
pub fn format_v128(v: V128) -> String {
    let bits = v.as_u128();
    let lanes: Vec<String> = (0..4).map(|i| format!("{:#010x}", (bits >> (32 * i)) as u32)).collect();
    format!("i32x4 {}", lanes.join(" "))
}

pub fn format_f32(bits: u32) -> String {
    let x = f32::from_bits(bits);
    if x.is_nan() {
        return format_nan(bits >> 31 != 0, u64::from(bits & 0x7f_ffff), 1 << 22);
    }
    format_finite(f64::from(x), || x.to_string(), || format!("{x:e}"))
}

pub fn format_f64(bits: u64) -> String {
    let x = f64::from_bits(bits);
    if x.is_nan() {
        return format_nan(bits >> 63 != 0, bits & 0xf_ffff_ffff_ffff, 1 << 51);
    }
    format_finite(x, || x.to_string(), || format!("{x:e}"))
}

/// `nan` for the canonical NaN (only the quiet bit set), else `nan:0x` and the payload.
fn format_nan(negative: bool, payload: u64, canonical: u64) -> String {
    let sign = if negative { "-" } else { "" };
    if payload == canonical { format!("{sign}nan") } else { format!("{sign}nan:{payload:#x}") }
}

fn format_finite(x: f64, plain: impl Fn() -> String, exponent: impl Fn() -> String) -> String {
    if x.is_infinite() {
        return if x > 0.0 { "inf".to_string() } else { "-inf".to_string() };
    }
    let magnitude = x.abs();
    if magnitude == 0.0 || (1e-5..1e16).contains(&magnitude) { plain() } else { exponent() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v128s_read_back() {
        let v = parse_value(ValType::V128, "i32x4 1 2 0xffffffff -1").unwrap();
        let text = format_value(&v);
        assert_eq!(text, "i32x4 0x00000001 0x00000002 0xffffffff 0xffffffff");
        assert_eq!(parse_value(ValType::V128, &text).unwrap(), v);
        let bytes = parse_value(ValType::V128, "i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1").unwrap();
        assert_eq!(format_value(&bytes), "i32x4 0x03020100 0x07060504 0x0b0a0908 0xff0e0d0c");
        let floats = parse_value(ValType::V128, "f64x2 1 -nan").unwrap();
        assert_eq!(format_value(&floats), "i32x4 0x00000000 0x3ff00000 0x00000000 0xfff80000");
        assert!(parse_value(ValType::V128, "i32x4 1 2 3").is_err());
        assert_eq!(parse_value(ValType::V128, "0x1").unwrap(), Val::V128(V128::from(1)));
    }

    #[test]
    fn nans_keep_sign_and_payload() {
        assert_eq!(format_f32(0x7fc0_0000), "nan");
        assert_eq!(format_f32(0xffc0_0000), "-nan");
        assert_eq!(format_f32(0x7fa0_0000), "nan:0x200000");
        assert_eq!(format_f32(0x7f80_0001), "nan:0x1");
        assert_eq!(format_f64(0x7ff8_0000_0000_0000), "nan");
        assert_eq!(format_f64(0xfff0_0000_0000_0001), "-nan:0x1");
        assert_eq!(format_f64(0x7ff4_0000_0000_0000), "nan:0x4000000000000");
    }

    #[test]
    fn finite_values_are_shortest_and_short() {
        assert_eq!(format_f64(1e300f64.to_bits()), "1e300");
        assert_eq!(format_f64(f64::MAX.to_bits()), "1.7976931348623157e308");
        assert_eq!(format_f64(0.1f64.to_bits()), "0.1");
        assert_eq!(format_f64((-0.0f64).to_bits()), "-0");
        assert_eq!(format_f64(123456.5f64.to_bits()), "123456.5");
        assert_eq!(format_f64(5e-324f64.to_bits()), "5e-324");
        assert_eq!(format_f32(1), "1e-45");
        assert_eq!(format_f32(f32::MAX.to_bits()), "3.4028235e38");
        assert_eq!(format_f32(0.1f32.to_bits()), "0.1");
        assert_eq!(format_f32(f32::NEG_INFINITY.to_bits()), "-inf");
    }

    #[test]
    fn everything_printed_reads_back_to_the_same_bits() {
        let f32s = [
            0,
            1,
            0x8000_0000,
            0x7f80_0000,
            0xff80_0000,
            0x7fc0_0000,
            0xffc0_0000,
            0x7fa0_0000,
            0xff80_0001,
            0x3dcc_cccd,
            0x7f7f_ffff,
            0x0080_0000,
            0x4b18_9680,
        ];
        for bits in f32s {
            assert_eq!(parse_f32(&format_f32(bits)), Some(bits), "{bits:#x} {}", format_f32(bits));
        }
        let f64s = [
            0,
            1,
            1 << 63,
            0x7ff0_0000_0000_0000,
            0x7ff8_0000_0000_0000,
            0xfff8_0000_0000_0000,
            0x7ff0_0000_0000_0001,
            0x7fef_ffff_ffff_ffff,
            1e300f64.to_bits(),
            0.1f64.to_bits(),
        ];
        for bits in f64s {
            assert_eq!(parse_f64(&format_f64(bits)), Some(bits), "{bits:#x} {}", format_f64(bits));
        }
    }

    #[test]
    fn bad_floats_and_ints_are_refused() {
        for text in ["", "nan:0x0", "nan:0x800000", "--1", "+-1", "1.2.3", "nan:1", "-+nan"] {
            assert_eq!(parse_f32(text), None, "{text}");
        }
        assert_eq!(parse_int("4294967295", u32::MAX.into()), Some(0xffff_ffff));
        assert_eq!(parse_int("-2147483648", u32::MAX.into()), Some(0x8000_0000));
        assert_eq!(parse_int("-1", u32::MAX.into()), Some(0xffff_ffff));
        assert_eq!(parse_int("0x10", u32::MAX.into()), Some(16));
        assert_eq!(parse_int("4294967296", u32::MAX.into()), None);
        assert_eq!(parse_int("-2147483649", u32::MAX.into()), None);
        assert_eq!(parse_int("--1", u32::MAX.into()), None);
        assert_eq!(parse_int("0x-1", u32::MAX.into()), None);
    }
}
