//! `validate_body` against `FuncValidator::validate`: the same verdict, and for invalid bodies
//! the same message at the same offset, on real function bodies and on corrupted copies of
//! them, with Mica's features and with every feature on.

use super::check_body;
use crate::test_corpus::{Body, Rng, bodies, corpus, corrupt, feature_sets};
use alloc::string::String;
use wasmparser::{BinaryReader, FuncToValidate, FuncValidatorAllocations, FunctionBody};

/// Both validators' verdicts on `bytes` as the body of `body`'s function; `None` when Mica
/// refused the body for what it does not implement (GC's instructions and types, which a
/// corruption can produce): then there is no verdict of Mica's to compare.
fn verdicts(body: &Body, bytes: &[u8]) -> Option<[Result<(), (String, u64)>; 2]> {
    let run = |fast: bool| {
        let func = FuncToValidate { resources: body.func.resources.clone(), ..body.func };
        let mut validator = func.into_validator(FuncValidatorAllocations::default());
        let reader = BinaryReader::new_features(bytes, body.offset as u64, body.func.features);
        let body = FunctionBody::new(reader);
        let result = if fast {
            match check_body(&mut validator, &body) {
                Ok(Err(e)) if matches!(e.kind(), crate::ErrorKind::Unsupported(m) if m.contains("GC") || m.starts_with("local of type")) => {
                    return None;
                }
                result => result.map(|budget| budget.expect("the corpus is within the budget")),
            }
        } else {
            validator.validate(&body)
        };
        Some(result.map_err(|e| (String::from(e.message()), e.offset())))
    };
    Some([run(true)?, run(false)?])
}

#[test]
fn same_verdicts_as_wasmparser() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut compared = 0;
    let mut rejected = 0;
    for features in feature_sets() {
        for module in corpus() {
            for body in bodies(&module, features) {
                let [fast, reference] = verdicts(&body, &body.bytes).expect("the corpus needs no GC");
                assert_eq!(fast, Ok(()), "body at offset {}", body.offset);
                assert_eq!(reference, Ok(()));
                for _ in 0..64 {
                    let mut corrupted = corrupt(&body.bytes, &mut rng);
                    for _ in 0..rng.below(3) {
                        if !corrupted.is_empty() {
                            corrupted = corrupt(&corrupted, &mut rng);
                        }
                    }
                    let Some([fast, reference]) = verdicts(&body, &corrupted) else { continue };
                    assert_eq!(fast, reference, "body at offset {} corrupted to {corrupted:02x?}", body.offset);
                    compared += 1;
                    rejected += usize::from(fast.is_err());
                }
            }
        }
    }
    // The corruptions must mostly be caught, or the comparison proves little.
    assert!(compared > 20_000 && rejected * 2 > compared, "{rejected} of {compared} corrupted bodies rejected");
}


/// A function of `blocks` nested blocks of 1000 results around one `br_table` of `entries`
/// entries to them.
fn wide_br_table(blocks: usize, entries: usize) -> alloc::vec::Vec<u8> {
    use core::fmt::Write;
    let results = "i32 ".repeat(1000);
    let mut targets = String::new();
    for i in 0..entries {
        let _ = write!(targets, "{} ", i % blocks);
    }
    let mut wat = alloc::format!("(module (type $t (func (result {results}))) (func (param i32)");
    for _ in 0..blocks {
        wat.push_str(" (block (type $t)");
    }
    wat.push_str(&"local.get 0\n".repeat(1000));
    let _ = write!(wat, " local.get 0 br_table {targets} 0");
    wat.push_str(&")".repeat(blocks));
    wat.push_str(&" drop".repeat(1000));
    wat.push_str("))");
    wat::parse_str(&wat).expect("valid")
}

/// A `br_table` whose labels carry many values costs the validator entries × values: bounded
/// per byte of body, in both translation modes, with an error that says so.
#[test]
fn wide_br_tables_are_bounded_by_the_body_size() {
    for mode in [crate::TranslationMode::Lazy, crate::TranslationMode::Eager] {
        let mut config = crate::Config::new();
        config.translation(mode);
        let engine = crate::Engine::new(&config);
        // About 3 KiB of body, 200 entries of 1000 values: 200,000 comparisons, allowed.
        crate::Module::from_binary(&engine, &wide_br_table(2, 200)).expect("within the budget");
        // 20,000 entries of 1000 values (20 million comparisons) for about 50 KiB.
        let error = crate::Module::from_binary(&engine, &wide_br_table(2, 20_000)).expect_err("over the budget");
        let text = alloc::format!("{error}");
        assert!(text.contains("label types per byte") && text.contains("br_table at offset"), "{text}");
    }
}

/// A build without the feature `simd` (the C library's size build) refuses SIMD modules as
/// invalid, saying why, and cannot be asked to accept them.
#[cfg(not(feature = "simd"))]
#[test]
fn simd_is_left_out_with_a_clear_error() {
    let mut config = crate::Config::new();
    config.wasm_simd(true).wasm_relaxed_simd(true);
    let engine = crate::Engine::new(&config);
    for wat in [
        "(module (func (param v128)))",
        "(module (func (result i32) i32.const 0 i8x16.splat i8x16.extract_lane_u 0))",
        "(module (global v128 (v128.const i64x2 0 0)))",
    ] {
        let binary = wat::parse_str(wat).expect("valid text");
        let error = crate::Module::new(&engine, &binary).expect_err("refused");
        let message = alloc::format!("{error}");
        assert!(message.contains("SIMD") && message.contains("feature `simd` is off"), "{message}");
    }
}
