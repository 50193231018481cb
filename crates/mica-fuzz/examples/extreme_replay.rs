//! Replays one case of the extreme-shape fuzzer and prints what the checks say.
//!
//! `cargo run --release -p mica-fuzz --example extreme_replay -- <seed>` for a seed of the
//! smoke test (`tests/extreme_smoke.rs`), `-- <file>` for a libFuzzer input
//! (`fuzz/artifacts/extreme_shapes/crash-...`); `--fuzz-limits` generates with the cargo-fuzz
//! target's limits instead of the smoke test's, and `--wasm FILE` also writes the module.

use mica_fuzz::extreme::{Limits, check_generated, generate};
use mica_fuzz::{Entropy, seed_bytes};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut input = None;
    let mut limits = Limits::SMOKE;
    let mut wasm_out = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fuzz-limits" => limits = Limits::FUZZ,
            "--wasm" => wasm_out = args.next(),
            _ => input = Some(arg),
        }
    }
    let Some(input) = input else {
        eprintln!("usage: extreme_replay [--fuzz-limits] [--wasm OUT] <seed | input file>");
        std::process::exit(2);
    };
    let data = match input.parse::<u64>() {
        Ok(seed) => seed_bytes(seed, 256),
        Err(_) => std::fs::read(&input).unwrap_or_else(|e| panic!("{input}: {e}")),
    };
    let generated = generate(&mut Entropy::new(&data), &limits);
    print!("{}", generated.describe());
    if let Some(path) = wasm_out {
        std::fs::write(&path, &generated.wasm).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    match check_generated(generated, &limits) {
        Ok(stats) => println!("ok: {stats:?}"),
        Err(failure) => {
            println!("FAILED: {}", failure.message);
            std::process::exit(1);
        }
    }
}
