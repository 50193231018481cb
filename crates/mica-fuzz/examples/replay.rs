//! Replays one fuzz case and shrinks it: drops the embedder's calls one by one while the
//! engines still disagree, then prints the program and both traces.
//!
//! `cargo run -p mica-fuzz --example replay -- <seed>` for a seed of the smoke test, or
//! `-- <file>` for a libFuzzer artifact (`fuzz/artifacts/host_calls/crash-...`).

use mica_fuzz::{Entropy, Program, check_program, seed_bytes};
use std::sync::Arc;

fn main() {
    let arg = std::env::args()
        .nth(1)
        .expect("usage: replay <seed | input file>");
    let input = match arg.parse::<u64>() {
        Ok(seed) => seed_bytes(seed, 2048),
        Err(_) => std::fs::read(&arg).expect("read the input file"),
    };
    let mut program = Program::generate(&mut Entropy::new(&input));
    if check_program(&Arc::new(program.clone())).is_ok() {
        println!("the engines agree on this case:\n{}", program.describe());
        return;
    }
    let mut i = 0;
    while i < program.calls.len() {
        let mut smaller = program.clone();
        smaller.calls.remove(i);
        if check_program(&Arc::new(smaller.clone())).is_err() {
            program = smaller;
        } else {
            i += 1;
        }
    }
    let mismatch = check_program(&Arc::new(program.clone())).expect_err("still disagrees");
    println!("{}\n{mismatch}", program.describe());
    println!(
        "wasmi's trace:\n{}\n\nMica's trace:\n{}",
        mismatch.expected.join("\n"),
        mismatch.actual.join("\n")
    );
}
