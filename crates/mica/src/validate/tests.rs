//! `validate_body` against `FuncValidator::validate`: the same verdict, and for invalid bodies
//! the same message at the same offset, on real function bodies and on corrupted copies of
//! them, with Mica's features and with every feature on.

use super::validate_body;
use crate::test_corpus::{Body, Rng, bodies, corpus, corrupt, feature_sets};
use alloc::string::String;
use wasmparser::{BinaryReader, FuncToValidate, FuncValidatorAllocations, FunctionBody};

/// Both validators' verdicts on `bytes` as the body of `body`'s function.
fn verdicts(body: &Body, bytes: &[u8]) -> [Result<(), (String, u64)>; 2] {
    let run = |fast: bool| {
        let func = FuncToValidate { resources: body.func.resources.clone(), ..body.func };
        let mut validator = func.into_validator(FuncValidatorAllocations::default());
        let reader = BinaryReader::new_features(bytes, body.offset as u64, body.func.features);
        let body = FunctionBody::new(reader);
        let result = if fast { validate_body(&mut validator, &body) } else { validator.validate(&body) };
        result.map_err(|e| (String::from(e.message()), e.offset()))
    };
    [run(true), run(false)]
}

#[test]
fn same_verdicts_as_wasmparser() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut compared = 0;
    let mut rejected = 0;
    for features in feature_sets() {
        for module in corpus() {
            for body in bodies(&module, features) {
                let [fast, reference] = verdicts(&body, &body.bytes);
                assert_eq!(fast, Ok(()), "body at offset {}", body.offset);
                assert_eq!(reference, Ok(()));
                for _ in 0..64 {
                    let mut corrupted = corrupt(&body.bytes, &mut rng);
                    for _ in 0..rng.below(3) {
                        if !corrupted.is_empty() {
                            corrupted = corrupt(&corrupted, &mut rng);
                        }
                    }
                    let [fast, reference] = verdicts(&body, &corrupted);
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

