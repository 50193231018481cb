//! The bounded differential run: a fixed set of seeds, each a generated program run on
//! wasmi and on Mica in every translation mode (or, for a program with relaxed SIMD, on Mica
//! in every translation mode, compared with each other). Any disagreement fails the test and
//! saves the modules (see `mica_fuzz::failure_dir`); so does a seed that never finishes.
//!
//! `MICA_FUZZ_SEEDS=n` runs `n` seeds instead of the default.

use mica_fuzz::{Summary, check, failure_dir, seed_bytes};
use std::sync::mpsc;
use std::time::Duration;

/// Seeds per `cargo test`: enough to cover every generator path many times, small enough to
/// stay well under a minute in the debug profile on two cores.
const DEFAULT_SEEDS: u64 = 1000;

/// How long one seed may take before it counts as a hang (programs are fuel-bounded and take
/// milliseconds).
const HANG_AFTER: Duration = Duration::from_secs(30);

#[test]
fn seeded_programs_agree_with_wasmi() {
    let seeds = std::env::var("MICA_FUZZ_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEEDS);
    // The seeds run on a worker thread with a large stack (reserved, not committed): in the
    // test profile wasmi's dispatch takes native frames as it executes, and SIMD programs
    // run long enough to pass the default 2 MiB (seen: 2 to 4 MiB). This thread only
    // watches for a hang.
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || {
            for seed in 0..seeds {
                let outcome = check(&seed_bytes(seed, 2048));
                if send.send((seed, outcome)).is_err() {
                    return;
                }
            }
        })
        .expect("spawn the worker");
    let mut total = Summary::default();
    let mut mismatches = Vec::new();
    for expected_seed in 0..seeds {
        let (seed, outcome) = match receive.recv_timeout(HANG_AFTER) {
            Ok(message) => message,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!(
                    "seed {expected_seed} did not finish within {HANG_AFTER:?}: a call never returned"
                )
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("seed {expected_seed} panicked (see above)")
            }
        };
        match outcome {
            Ok(summary) => total.add(&summary),
            Err(mismatch) => {
                let folder = mismatch.save(&failure_dir()).expect("save mismatch");
                mismatches.push(format!(
                    "seed {seed}: saved to {}\n{mismatch}",
                    folder.display()
                ));
            }
        }
    }
    println!(
        "{seeds} programs: {} modules ({} instantiated), {} embedder calls ({} trapped), {} host calls, {} trace lines compared",
        total.modules,
        total.instantiated,
        total.calls,
        total.trapped_calls,
        total.host_calls,
        total.trace_lines
    );
    println!(
        "SIMD: {} of {} modules with SIMD instructions ({} in all), {} v128 values in traces; \
         {} programs with relaxed SIMD (Mica's modes compared), {} modules with relaxed instructions",
        total.simd_modules,
        total.modules,
        total.simd_instructions,
        total.v128_values,
        total.relaxed_programs,
        total.relaxed_modules
    );
    println!(
        "memories: {} accesses to a second memory, {} to a 64-bit memory",
        total.second_memory_accesses, total.memory64_accesses
    );
    println!("failures by kind: {:?}", total.failures);
    assert!(
        mismatches.is_empty(),
        "{} of {seeds} programs disagree:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    // The generator must actually exercise the boundary; a silent regression to trivial
    // programs would make this test meaningless.
    assert!(
        total.host_calls > seeds as usize,
        "too few host calls: {total:?}"
    );
    assert!(
        total.calls > total.trapped_calls * 2,
        "too many traps: {total:?}"
    );
    // SIMD must be exercised too (given enough seeds to tell): most modules have SIMD
    // instructions, vectors cross the boundary, and some programs (about one in six) have
    // relaxed SIMD.
    if seeds >= 100 {
        assert!(
            total.simd_modules * 4 > total.modules * 3,
            "too few modules with SIMD: {total:?}"
        );
        assert!(
            total.v128_values > seeds as usize,
            "too few v128 values in traces: {total:?}"
        );
        assert!(
            total.relaxed_modules * 20 > seeds as usize,
            "too few modules with relaxed SIMD: {total:?}"
        );
        // Every module has a second memory and a 64-bit one, which some accesses use (one in
        // eight each).
        assert!(
            total.second_memory_accesses * 2 > seeds as usize
                && total.memory64_accesses * 2 > seeds as usize,
            "too few accesses to other memories: {total:?}"
        );
    }
}
