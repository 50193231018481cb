//! Values on the command line: `--invoke` arguments parsed by the function's signature, and
//! results printed so they read back exactly.

use mica::{Val, ValType};

pub fn parse_value(ty: ValType, text: &str) -> mica::Result<Val> {
    let bad = || mica::Error::new(format!("`{text}` is not a valid {ty}"));
    Ok(match ty {
        ValType::I32 => Val::I32(
            text.parse::<i32>()
                .or_else(|_| text.parse::<u32>().map(|x| x as i32))
                .map_err(|_| bad())?,
        ),
        ValType::I64 => Val::I64(
            text.parse::<i64>()
                .or_else(|_| text.parse::<u64>().map(|x| x as i64))
                .map_err(|_| bad())?,
        ),
        ValType::F32 => Val::f32(text.parse::<f32>().map_err(|_| bad())?),
        ValType::F64 => Val::f64(text.parse::<f64>().map_err(|_| bad())?),
        _ => return Err(mica::Error::new(format!("cannot pass a {ty} from the command line"))),
    })
}

/// Integers in decimal; floats in Rust's shortest round-trip form (`-0`, `NaN`, `inf`).
pub fn format_value(value: &Val) -> String {
    match value {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => format_float(f32::from_bits(*b) as f64, f32::from_bits(*b).to_string()),
        Val::F64(b) => format_float(f64::from_bits(*b), f64::from_bits(*b).to_string()),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "funcref".to_string(),
        Val::ExternRef(Some(_)) => "externref".to_string(),
        other => format!("{other:?}"),
    }
}

fn format_float(x: f64, shortest: String) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".to_string() } else { "-inf".to_string() }
    } else {
        shortest
    }
}
