//! Script values: turning `(i32.const 1)` arguments into [`Val`]s, and checking results
//! against expected patterns (`nan:canonical`, `ref.extern 1`, ...).

use mica::{ExternRef, Store, Val};
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
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
        WastArgCore::RefExtern(n) | WastArgCore::RefHost(n) => {
            Val::ExternRef(Some(ExternRef::new(store, ScriptRef(*n))))
        }
        WastArgCore::V128(_) => return Err("v128 argument (SIMD is not supported)".into()),
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
        other => Err(format!("null reference of unsupported type {other:?}")),
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
        Err(format!("expected {}, got {}", describe_expected(expected), describe(actual)))
    }
}

fn matches<T>(store: &Store<T>, actual: &Val, expected: &WastRetCore<'_>) -> bool {
    match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(p), Val::F32(bits)) => match p {
            NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
            NanPattern::Value(e) => e.bits == *bits,
        },
        (WastRetCore::F64(p), Val::F64(bits)) => match p {
            NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
            NanPattern::Value(e) => e.bits == *bits,
        },
        (WastRetCore::RefNull(_), Val::FuncRef(None) | Val::ExternRef(None)) => true,
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        (WastRetCore::RefExtern(None), Val::ExternRef(Some(_))) => true,
        (WastRetCore::RefExtern(Some(n)) | WastRetCore::RefHost(n), Val::ExternRef(Some(r))) => {
            r.data(store).and_then(|d| d.downcast_ref::<ScriptRef>()) == Some(&ScriptRef(*n))
        }
        (WastRetCore::Either(options), _) => options.iter().any(|o| matches(store, actual, o)),
        _ => false,
    }
}

fn describe(v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32 {x}"),
        Val::I64(x) => format!("i64 {x}"),
        Val::F32(b) => format!("f32 {} ({b:#x})", f32::from_bits(*b)),
        Val::F64(b) => format!("f64 {} ({b:#x})", f64::from_bits(*b)),
        other => format!("{other:?}"),
    }
}

fn describe_expected(e: &WastRetCore<'_>) -> String {
    match e {
        WastRetCore::I32(x) => format!("i32 {x}"),
        WastRetCore::I64(x) => format!("i64 {x}"),
        WastRetCore::F32(NanPattern::Value(x)) => format!("f32 {} ({:#x})", f32::from_bits(x.bits), x.bits),
        WastRetCore::F64(NanPattern::Value(x)) => format!("f64 {} ({:#x})", f64::from_bits(x.bits), x.bits),
        other => format!("{other:?}"),
    }
}
