//! A bounded, seeded run of the fuel fuzzer (`mica_fuzz::fuel`): wasm-smith modules called
//! whole and as resumable calls paused every few units of fuel, which must agree, in results
//! and in fuel.

#[test]
fn sliced_resumable_calls_agree_with_whole_calls() {
    let seeds = if cfg!(debug_assertions) { 200 } else { 2000 };
    let mut failures = Vec::new();
    for seed in 0..seeds {
        let data = mica_fuzz::seed_bytes(seed + 10_000, 16 << 10);
        if let Err(e) = mica_fuzz::fuel::check(&data) {
            failures.push(format!("seed {seed}: {e}"));
        }
    }
    let coverage = mica_fuzz::fuel::coverage();
    println!("{seeds} seeds: {coverage:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(coverage.calls > seeds as usize && coverage.fuel > 10_000, "{coverage:?}");
}
