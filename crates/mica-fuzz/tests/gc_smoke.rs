//! A bounded, seeded run of the GC fuzzer (`mica_fuzz::gc`): wasm-smith modules with GC run
//! eagerly and lazily under collection stress, which must agree.

#[test]
fn gc_modules_agree_under_collection_stress() {
    let seeds = if cfg!(debug_assertions) { 150 } else { 1000 };
    let mut failures = Vec::new();
    for seed in 0..seeds {
        let data = mica_fuzz::seed_bytes(seed, 16 << 10);
        if let Err(e) = mica_fuzz::gc::check(&data) {
            failures.push(format!("seed {seed}: {e}"));
        }
    }
    let coverage = mica_fuzz::gc::coverage();
    println!("{seeds} seeds: {coverage:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The generator must reach the collector: modules run and objects made.
    assert!(coverage.calls > seeds as usize && coverage.allocations > 1000, "{coverage:?}");
}
