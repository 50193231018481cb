//! The bounded run of the extreme-shape fuzzer (`mica_fuzz::extreme`): a fixed set of seeds,
//! each a generated module of extreme shape loaded eagerly and lazily, its code checked to be
//! linear in its body's size, and its functions run on Mica in both modes and on wasmi. Any
//! failed check fails the test and saves the module (see `mica_fuzz::failure_dir`); so does a
//! seed that never finishes. Nothing here is about wall time: the times printed are for
//! reading.
//!
//! `MICA_FUZZ_EXTREME_SEEDS=n` runs `n` seeds instead of the default.

use mica_fuzz::extreme::{Limits, Stats, check};
use mica_fuzz::{failure_dir, seed_bytes};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Seeds per `cargo test`: every shape many times, in about ten seconds of the debug profile
/// on two cores.
const DEFAULT_SEEDS: u64 = 500;

/// How long one seed may take before it counts as a hang (seeds take milliseconds; a
/// translation gone quadratic on a 12 KiB body would take far longer than usual, but only a
/// runaway one this long).
const HANG_AFTER: Duration = Duration::from_secs(60);

#[test]
fn extreme_shapes_load_linearly_and_agree() {
    let seeds = std::env::var("MICA_FUZZ_EXTREME_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEEDS);
    let started = Instant::now();
    // The seeds run on a worker thread with a large stack (reserved, not committed): in the
    // test profile wasmi's dispatch takes a native frame per executed instruction. This
    // thread only watches for a hang.
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            for seed in 0..seeds {
                let outcome = check(&seed_bytes(seed, 256), &Limits::SMOKE);
                if send.send((seed, outcome)).is_err() {
                    return;
                }
            }
        })
        .expect("spawn the worker");
    let mut total = Stats::default();
    let mut failures = Vec::new();
    for expected_seed in 0..seeds {
        let (seed, outcome) = match receive.recv_timeout(HANG_AFTER) {
            Ok(message) => message,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("seed {expected_seed} did not finish within {HANG_AFTER:?}")
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("seed {expected_seed} panicked (see above)")
            }
        };
        match outcome {
            Ok(stats) => total.add(&stats),
            Err(failure) => {
                let folder = failure.save(&failure_dir()).expect("save the failure");
                failures.push(format!(
                    "seed {seed}: saved to {}\n{failure}",
                    folder.display()
                ));
            }
        }
    }
    println!(
        "{seeds} modules in {:.1} s: {} functions, {} KiB of bodies, {} refused by the budget, \
         at most {:.2} instructions per byte; {} calls compared with wasmi, {} on Mica only \
         (wasmi panicked on {} modules: {:?})",
        started.elapsed().as_secs_f64(),
        total.functions,
        total.body_bytes / 1024,
        total.refused,
        total.max_instrs_per_byte,
        total.compared_calls,
        total.mica_only_calls,
        total.wasmi_panics,
        total.wasmi_panic_messages,
    );
    println!(
        "vectors: {} functions use v128, {} of their calls compared with wasmi",
        total.vector_functions, total.compared_vector_calls
    );
    println!(
        "eager loading: {:.1} ms in all, at worst {:.0} µs per KiB of body (debug build); shapes: {:?}",
        total.eager_load.as_secs_f64() * 1e3,
        total.max_load_us_per_kib,
        total.shapes
    );
    assert!(
        failures.is_empty(),
        "{} of {seeds} modules fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The generator must keep making what it is for: every shape, refusals and runs.
    assert_eq!(total.shapes.len(), 6, "shapes seen: {:?}", total.shapes);
    if seeds >= DEFAULT_SEEDS {
        assert!(total.refused > 0, "no body reached the budget: {total:?}");
        assert!(
            total.compared_calls > total.functions / 2,
            "too few calls compared: {total:?}"
        );
        // A third of the functions use v128: in every shape, and run against wasmi.
        assert!(
            total.vector_functions * 5 > total.functions,
            "too few functions with vectors: {total:?}"
        );
        assert!(
            total.compared_vector_calls * 5 > total.vector_functions * 2,
            "too few calls with vectors compared: {total:?}"
        );
    }
}
