//! Replays one fuzz case and shrinks it, then prints the program and both traces (wasmi's and
//! Mica's, or, for a program with relaxed SIMD, those of two of Mica's translation modes).
//!
//! `cargo run --release -p mica-fuzz --example replay -- <seed>` for a seed of the smoke
//! test, or `-- <file>` for a libFuzzer artifact (`fuzz/artifacts/host_calls/crash-...`).
//!
//! Shrinking drops the embedder's calls, then lines of the modules' text (every statement
//! of a generated body is one line), as long as the engines still disagree in the same way:
//! at a trace line of the same kind, with no load/link error and no stack exhaustion (the
//! engines' limits differ, so a shrunk program that loses its fuel check would disagree for
//! a reason that is not a bug).

use mica_fuzz::{Entropy, Mismatch, Program, check_program, seed_bytes};
use std::sync::Arc;

/// The kind of a trace line: its first word (`host`, `call`, `memory:`, ...).
fn kind(line: Option<&String>) -> String {
    line.and_then(|l| l.split_whitespace().next())
        .unwrap_or("")
        .to_string()
}

fn mismatch(program: &Program) -> Option<Mismatch> {
    let program = Arc::new(program.clone());
    // A shrunk module that no longer validates is a generator "bug" (a panic): not the case.
    match std::panic::catch_unwind(|| check_program(&program)) {
        Ok(Err(mismatch)) => Some(*mismatch),
        _ => None,
    }
}

fn same_failure(program: &Program, original: &str) -> bool {
    mismatch(program).is_some_and(|m| {
        let clean = !m
            .expected
            .iter()
            .chain(&m.actual)
            .any(|l| l.contains("error:") || l.contains("exhausted"));
        clean && kind(m.expected.get(m.first_difference)) == original
    })
}

fn main() {
    let arg = std::env::args()
        .nth(1)
        .expect("usage: replay <seed | input file>");
    let input = match arg.parse::<u64>() {
        Ok(seed) => seed_bytes(seed, 2048),
        Err(_) => std::fs::read(&arg).expect("read the input file"),
    };
    let mut program = Program::generate(&mut Entropy::new(&input));
    let Some(first) = mismatch(&program) else {
        println!("the engines agree on this case:\n{}", program.describe());
        return;
    };
    let original = kind(first.expected.get(first.first_difference));
    std::panic::set_hook(Box::new(|_| {}));
    let mut i = 0;
    while i < program.calls.len() {
        let mut smaller = program.clone();
        smaller.calls.remove(i);
        if same_failure(&smaller, &original) {
            program = smaller
        } else {
            i += 1
        }
    }
    let mut changed = true;
    while changed {
        changed = false;
        for k in 0..program.modules.len() {
            let mut line = 0;
            while line < program.modules[k].wat.lines().count() {
                let mut smaller = program.clone();
                let mut lines: Vec<&str> = program.modules[k].wat.lines().collect();
                lines.remove(line);
                smaller.modules[k].wat = lines.join("\n");
                if same_failure(&smaller, &original) {
                    program = smaller;
                    changed = true;
                } else {
                    line += 1;
                }
            }
        }
    }
    let _ = std::panic::take_hook();
    let mismatch = mismatch(&program).unwrap_or(first);
    println!("{}\n{mismatch}", program.describe());
    println!(
        "{}'s trace:\n{}\n\nMica ({})'s trace:\n{}",
        mismatch.reference,
        mismatch.expected.join("\n"),
        mismatch.engine,
        mismatch.actual.join("\n")
    );
}
