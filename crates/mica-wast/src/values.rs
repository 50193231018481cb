//! Script values: turning `(i32.const 1)` arguments into [`Val`]s, and checking results
//! against expected patterns (`nan:canonical`, `ref.extern 1`, ...).

use mica::{AnyRef, ExternRef, Store, V128, Val};
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::Index;
use wast::{WastArg, WastRet};

/// The payload of an extern reference made by a script's `ref.extern N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScriptRef(pub u32);

pub fn arg<T>(store: &mut Store<T>, arg: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(core) = arg else {
        return Err("component-model argument".into());
    };
    Ok(match core {
        WastArgCore::I32(x) => Val::I32(*x),
        WastArgCore::I64(x) => Val::I64(*x),
        WastArgCore::F32(x) => Val::F32(x.bits),
        WastArgCore::F64(x) => Val::F64(x.bits),
        WastArgCore::RefNull(ty) => null_of(ty)?,
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(store, ScriptRef(*n)))),
        // A host reference as `anyref` sees it (`any.convert_extern` of one).
        WastArgCore::RefHost(n) => Val::AnyRef(Some(ExternRef::new(store, ScriptRef(*n)).to_any())),
        WastArgCore::V128(v) => Val::V128(V128::from_le_bytes(v.to_le_bytes())),
    })
}

fn null_of(ty: &HeapType<'_>) -> Result<Val, String> {
    match ty {
        HeapType::Abstract { ty: AbstractHeapType::Func | AbstractHeapType::NoFunc, .. } => {
            Ok(Val::FuncRef(None))
        }
        HeapType::Abstract { ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern, .. } => {
            Ok(Val::ExternRef(None))
        }
        HeapType::Abstract { ty: AbstractHeapType::Exn | AbstractHeapType::NoExn, .. } => Ok(Val::ExnRef(None)),
        HeapType::Abstract {
            ty:
                AbstractHeapType::Any
                | AbstractHeapType::Eq
                | AbstractHeapType::I31
                | AbstractHeapType::Struct
                | AbstractHeapType::Array
                | AbstractHeapType::None,
            shared: false,
        } => Ok(Val::AnyRef(None)),
        other => Err(format!("null reference of unsupported type {}", heap_type(other))),
    }
}

/// Checks `actual` against `expected`; the error says what differed.
pub fn check<T>(store: &Store<T>, actual: &Val, expected: &WastRet<'_>) -> Result<(), String> {
    let WastRet::Core(expected) = expected else {
        return Err("component-model result".into());
    };
    if matches(store, actual, expected) {
        Ok(())
    } else {
        Err(format!("expected {}, got {}", describe_expected(expected), describe(store, actual)))
    }
}

fn f32_matches(p: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(e) => e.bits == bits,
    }
}

fn f64_matches(p: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(e) => e.bits == bits,
    }
}

/// Whether a `v128` matches a pattern, lane by lane.
fn v128_matches(p: &V128Pattern, v: V128) -> bool {
    let b = v.to_le_bytes();
    let lane = |i: usize, n: usize| -> u64 {
        b[i * n..(i + 1) * n].iter().rev().fold(0u64, |acc, &x| acc << 8 | u64::from(x))
    };
    match p {
        V128Pattern::I8x16(e) => (0..16).all(|i| lane(i, 1) == u64::from(e[i] as u8)),
        V128Pattern::I16x8(e) => (0..8).all(|i| lane(i, 2) == u64::from(e[i] as u16)),
        V128Pattern::I32x4(e) => (0..4).all(|i| lane(i, 4) == u64::from(e[i] as u32)),
        V128Pattern::I64x2(e) => (0..2).all(|i| lane(i, 8) == e[i] as u64),
        V128Pattern::F32x4(e) => (0..4).all(|i| f32_matches(&e[i], lane(i, 4) as u32)),
        V128Pattern::F64x2(e) => (0..2).all(|i| f64_matches(&e[i], lane(i, 8))),
    }
}

fn matches<T>(store: &Store<T>, actual: &Val, expected: &WastRetCore<'_>) -> bool {
    match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(p), Val::F32(bits)) => f32_matches(p, *bits),
        (WastRetCore::F64(p), Val::F64(bits)) => f64_matches(p, *bits),
        (WastRetCore::V128(p), Val::V128(v)) => v128_matches(p, *v),
        (WastRetCore::RefNull(_), Val::FuncRef(None) | Val::ExternRef(None) | Val::ExnRef(None) | Val::AnyRef(None)) => {
            true
        }
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        (WastRetCore::RefExtern(None), Val::ExternRef(Some(_))) => true,
        (WastRetCore::RefExtern(Some(n)) | WastRetCore::RefHost(n), Val::ExternRef(Some(r))) => script_ref(store, r) == Some(*n),
        (WastRetCore::RefHost(n), Val::AnyRef(Some(a))) => script_ref(store, &a.to_extern()) == Some(*n),
        (WastRetCore::RefAny, Val::AnyRef(Some(_))) => true,
        (WastRetCore::RefEq, Val::AnyRef(Some(a))) => a.as_i31().is_some() || a.is_struct(store) || a.is_array(store),
        (WastRetCore::RefI31, Val::AnyRef(Some(a))) => a.as_i31().is_some(),
        (WastRetCore::RefStruct, Val::AnyRef(Some(a))) => a.is_struct(store),
        (WastRetCore::RefArray, Val::AnyRef(Some(a))) => a.is_array(store),
        (WastRetCore::Either(options), _) => options.iter().any(|o| matches(store, actual, o)),
        _ => false,
    }
}

/// The number of the script's `ref.extern N` that `r` is, if it is one.
fn script_ref<T>(store: &Store<T>, r: &ExternRef) -> Option<u32> {
    r.data(store).and_then(|d| d.downcast_ref::<ScriptRef>()).map(|s| s.0)
}

/// How an `anyref` reads in wasm text.
fn describe_any<T>(store: &Store<T>, a: &AnyRef) -> String {
    if let Some(v) = a.as_i31() {
        format!("(ref.i31 {})", v.get_u())
    } else if a.is_struct(store) {
        "(ref.struct)".into()
    } else if a.is_array(store) {
        "(ref.array)".into()
    } else {
        match script_ref(store, &a.to_extern()) {
            Some(n) => format!("(ref.host {n})"),
            None => "(ref.any)".into(),
        }
    }
}

/// A value as the wasm text format writes it: `(i32.const 1)`, `(f32.const nan:0x200000)`,
/// `(ref.null func)`, `(ref.extern 1)`.
pub fn describe<T>(store: &Store<T>, v: &Val) -> String {
    match v {
        Val::I32(x) => format!("(i32.const {x})"),
        Val::I64(x) => format!("(i64.const {x})"),
        Val::F32(bits) => format!("(f32.const {})", f32_text(*bits)),
        Val::F64(bits) => format!("(f64.const {})", f64_text(*bits)),
        Val::V128(v) => format!("(v128.const {})", v128_text(*v)),
        Val::FuncRef(None) => "(ref.null func)".into(),
        Val::ExternRef(None) => "(ref.null extern)".into(),
        Val::ExnRef(None) => "(ref.null exn)".into(),
        Val::ExnRef(Some(_)) => "(ref.exn)".into(),
        Val::FuncRef(Some(_)) => "(ref.func)".into(),
        Val::AnyRef(None) => "(ref.null any)".into(),
        Val::AnyRef(Some(a)) => describe_any(store, a),
        Val::ExternRef(Some(r)) => {
            match r.data(store).and_then(|d| d.downcast_ref::<ScriptRef>()) {
                Some(ScriptRef(n)) => format!("(ref.extern {n})"),
                None => "(ref.extern)".into(),
            }
        }
        _ => "(a value of a type Mica's runner cannot show)".into(),
    }
}

/// Values as a list in wasm text: `(i32.const 1) (i64.const 2)`, or `nothing`.
pub fn describe_all<T>(store: &Store<T>, values: &[Val]) -> String {
    if values.is_empty() {
        return "nothing".into();
    }
    values.iter().map(|v| describe(store, v)).collect::<Vec<_>>().join(" ")
}

fn describe_expected(e: &WastRetCore<'_>) -> String {
    match e {
        WastRetCore::I32(x) => format!("(i32.const {x})"),
        WastRetCore::I64(x) => format!("(i64.const {x})"),
        WastRetCore::F32(p) => format!("(f32.const {})", nan_pattern(p, |x| f32_text(x.bits))),
        WastRetCore::F64(p) => format!("(f64.const {})", nan_pattern(p, |x| f64_text(x.bits))),
        WastRetCore::V128(p) => format!("(v128.const {})", v128_pattern(p)),
        WastRetCore::RefNull(None) => "(ref.null)".into(),
        WastRetCore::RefNull(Some(ty)) => format!("(ref.null {})", heap_type(ty)),
        WastRetCore::RefExtern(None) => "(ref.extern)".into(),
        WastRetCore::RefExtern(Some(n)) => format!("(ref.extern {n})"),
        WastRetCore::RefHost(n) => format!("(ref.host {n})"),
        WastRetCore::RefFunc(None) => "(ref.func)".into(),
        WastRetCore::RefFunc(Some(Index::Num(n, _))) => format!("(ref.func {n})"),
        WastRetCore::RefFunc(Some(Index::Id(id))) => format!("(ref.func ${})", id.name()),
        WastRetCore::RefAny => "(ref.any)".into(),
        WastRetCore::RefEq => "(ref.eq)".into(),
        WastRetCore::RefArray => "(ref.array)".into(),
        WastRetCore::RefStruct => "(ref.struct)".into(),
        WastRetCore::RefI31 => "(ref.i31)".into(),
        WastRetCore::RefI31Shared => "(ref.i31_shared)".into(),
        WastRetCore::Either(options) => {
            let options: Vec<String> = options.iter().map(describe_expected).collect();
            format!("(either {})", options.join(" "))
        }
    }
}

/// A `v128` as wasm text writes it: `i32x4 0x00000001 0x00000002 0x00000003 0x00000004`.
pub fn v128_text(v: V128) -> String {
    let b = v.to_le_bytes();
    let lanes: Vec<String> = (0..4)
        .map(|i| format!("{:#010x}", u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])))
        .collect();
    format!("i32x4 {}", lanes.join(" "))
}

fn v128_pattern(p: &V128Pattern) -> String {
    fn join<T>(shape: &str, lanes: &[T], f: impl Fn(&T) -> String) -> String {
        let lanes: Vec<String> = lanes.iter().map(f).collect();
        format!("{shape} {}", lanes.join(" "))
    }
    match p {
        V128Pattern::I8x16(l) => join("i8x16", l, |x| x.to_string()),
        V128Pattern::I16x8(l) => join("i16x8", l, |x| x.to_string()),
        V128Pattern::I32x4(l) => join("i32x4", l, |x| x.to_string()),
        V128Pattern::I64x2(l) => join("i64x2", l, |x| x.to_string()),
        V128Pattern::F32x4(l) => join("f32x4", l, |x| nan_pattern(x, |x| f32_text(x.bits))),
        V128Pattern::F64x2(l) => join("f64x2", l, |x| nan_pattern(x, |x| f64_text(x.bits))),
    }
}

fn nan_pattern<F>(pattern: &NanPattern<F>, value: impl Fn(&F) -> String) -> String {
    match pattern {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(x) => value(x),
    }
}

fn heap_type(ty: &HeapType<'_>) -> String {
    match ty {
        HeapType::Abstract { shared, ty } => {
            let name = match ty {
                AbstractHeapType::Func => "func",
                AbstractHeapType::Extern => "extern",
                AbstractHeapType::Exn => "exn",
                AbstractHeapType::Cont => "cont",
                AbstractHeapType::Any => "any",
                AbstractHeapType::Eq => "eq",
                AbstractHeapType::Struct => "struct",
                AbstractHeapType::Array => "array",
                AbstractHeapType::I31 => "i31",
                AbstractHeapType::NoFunc => "nofunc",
                AbstractHeapType::NoExtern => "noextern",
                AbstractHeapType::None => "none",
                AbstractHeapType::NoExn => "noexn",
                AbstractHeapType::NoCont => "nocont",
            };
            if *shared { format!("(shared {name})") } else { name.into() }
        }
        HeapType::Concrete(index) | HeapType::Exact(index) => match index {
            Index::Num(n, _) => n.to_string(),
            Index::Id(id) => format!("${}", id.name()),
        },
    }
}

/// A float in the text format: the shortest decimal that reads back to the same bits
/// (`0.1`, `1e300`), `inf`, or a NaN with its sign and payload (`nan`, `-nan:0x1`).
fn float_text(negative: bool, nan_payload: Option<(u64, u64)>, finite: String) -> String {
    let sign = if negative { "-" } else { "" };
    match nan_payload {
        Some((payload, canonical)) if payload == canonical => format!("{sign}nan"),
        Some((payload, _)) => format!("{sign}nan:{payload:#x}"),
        None => finite,
    }
}

pub fn f32_text(bits: u32) -> String {
    let x = f32::from_bits(bits);
    let nan = x.is_nan().then_some((u64::from(bits & 0x7f_ffff), 1 << 22));
    float_text(
        bits >> 31 != 0,
        nan,
        finite_text(f64::from(x), || format!("{x}"), || format!("{x:e}")),
    )
}

pub fn f64_text(bits: u64) -> String {
    let x = f64::from_bits(bits);
    let nan = x.is_nan().then_some((bits & 0xf_ffff_ffff_ffff, 1 << 51));
    float_text(bits >> 63 != 0, nan, finite_text(x, || format!("{x}"), || format!("{x:e}")))
}

fn finite_text(x: f64, plain: impl Fn() -> String, exponent: impl Fn() -> String) -> String {
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 || (1e-5..1e16).contains(&x.abs()) { plain() } else { exponent() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_wasm_text() {
        let store = Store::new(&mica::Engine::default(), ());
        assert_eq!(describe(&store, &Val::I32(-1)), "(i32.const -1)");
        assert_eq!(describe(&store, &Val::F32(0x7fa0_0000)), "(f32.const nan:0x200000)");
        assert_eq!(describe(&store, &Val::F32(0xffc0_0000)), "(f32.const -nan)");
        assert_eq!(describe(&store, &Val::F64(1e300f64.to_bits())), "(f64.const 1e300)");
        assert_eq!(describe(&store, &Val::F64(0.5f64.to_bits())), "(f64.const 0.5)");
        assert_eq!(describe(&store, &Val::FuncRef(None)), "(ref.null func)");
        assert_eq!(describe_all(&store, &[]), "nothing");
        assert_eq!(
            describe_expected(&WastRetCore::F32(NanPattern::CanonicalNan)),
            "(f32.const nan:canonical)"
        );
        assert_eq!(
            describe_expected(&WastRetCore::Either(vec![WastRetCore::I32(1), WastRetCore::I64(2)])),
            "(either (i32.const 1) (i64.const 2))"
        );
    }
}
