//! Differential fuzzing of calls across Mica's host boundary.
//!
//! [`Program::generate`] turns fuzzer input into a small program: up to three modules that
//! import host functions, functions of earlier modules and an earlier module's table, with
//! random call graphs over `call`, `call_indirect`, `return_call` and
//! `return_call_indirect` (in statements, expressions and early exits), host functions that
//! are typed (`func_wrap`) or untyped (`func_new`), that trap, write memory, or call back
//! into wasm through their `Caller`, and start functions. [`check`] runs the program on
//! Mica (in every translation mode) and on wasmi and compares the traces: every host call
//! with its arguments, every embedder call's results or trap, and the final memory, globals
//! and fuel. A difference is a [`Mismatch`], which [`Mismatch::save`] writes out with the
//! modules.
//!
//! The cargo-fuzz target (`fuzz/fuzz_targets/host_calls.rs`) calls [`check`]; the seeded smoke
//! test (`tests/smoke.rs`) runs a fixed number of seeds in `cargo test`.
//!
//! [`extreme`] is a second fuzzer, of translation: modules of extreme shape (deep operand
//! stacks, deep nesting, huge `br_table`s, many locals, many-valued blocks branched to
//! often), loaded eagerly and lazily and checked for code linear in the body's size, modes
//! that agree, and results that agree with wasmi (`tests/extreme_smoke.rs`,
//! `fuzz/fuzz_targets/extreme_shapes.rs`).

mod body;
pub mod entropy;
pub mod extreme;
pub mod host;
pub mod mica_run;
pub mod program;
pub mod trace;
pub mod wasmi_run;

pub use entropy::{Entropy, seed_bytes};
pub use program::Program;

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every translation mode Mica offers. The `match` makes a new mode a compile error here,
/// so that it cannot go unfuzzed.
pub fn translation_modes() -> [mica::TranslationMode; 2] {
    use mica::TranslationMode::{Eager, Lazy};
    let modes = [Eager, Lazy];
    for mode in modes {
        match mode {
            Eager | Lazy => {}
        }
    }
    modes
}

/// What a run that agreed looked like, for statistics.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub modules: usize,
    pub instantiated: usize,
    pub calls: usize,
    pub trapped_calls: usize,
    pub host_calls: usize,
    pub trace_lines: usize,
    /// How often each way of failing (a trap, a host error, ...) ended an embedder call or
    /// an instantiation.
    pub failures: std::collections::BTreeMap<String, usize>,
}

impl Summary {
    pub fn add(&mut self, other: &Summary) {
        self.modules += other.modules;
        self.instantiated += other.instantiated;
        self.calls += other.calls;
        self.trapped_calls += other.trapped_calls;
        self.host_calls += other.host_calls;
        self.trace_lines += other.trace_lines;
        for (kind, n) in &other.failures {
            *self.failures.entry(kind.clone()).or_default() += n;
        }
    }
}

/// Two engines disagreed.
#[derive(Debug)]
pub struct Mismatch {
    pub program: String,
    pub wat: Vec<String>,
    pub engine: String,
    pub expected: Vec<String>,
    pub actual: Vec<String>,
    pub first_difference: usize,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = self.first_difference;
        writeln!(
            f,
            "Mica ({}) and wasmi disagree at trace line {i}:",
            self.engine
        )?;
        writeln!(
            f,
            "  wasmi: {}",
            self.expected.get(i).map_or("<end of trace>", |s| s)
        )?;
        writeln!(
            f,
            "  mica:  {}",
            self.actual.get(i).map_or("<end of trace>", |s| s)
        )?;
        writeln!(f, "common trace before it:")?;
        for line in &self.expected[i.saturating_sub(12)..i] {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

impl Mismatch {
    /// Writes the modules (`m0.wat`, ...), the whole program and both traces under `dir`, in a
    /// folder named after the program's hash; returns that folder.
    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let hash = self
            .program
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
        let folder = dir.join(format!("mismatch-{hash:016x}"));
        std::fs::create_dir_all(&folder)?;
        for (k, wat) in self.wat.iter().enumerate() {
            std::fs::write(folder.join(format!("m{k}.wat")), wat)?;
        }
        std::fs::write(folder.join("program.txt"), &self.program)?;
        std::fs::write(folder.join("report.txt"), self.to_string())?;
        std::fs::write(folder.join("trace-wasmi.txt"), self.expected.join("\n"))?;
        std::fs::write(folder.join("trace-mica.txt"), self.actual.join("\n"))?;
        Ok(folder)
    }
}

/// Where mismatches are saved: `$MICA_FUZZ_FAILURES`, or `target/mica-fuzz-failures` of the
/// workspace.
pub fn failure_dir() -> PathBuf {
    match std::env::var_os("MICA_FUZZ_FAILURES") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/mica-fuzz-failures"),
    }
}

/// Generates a program from `data` and runs it on wasmi and on Mica in every translation
/// mode.
///
/// # Panics
/// If the generated program is not valid WebAssembly: that is a bug in the generator.
pub fn check(data: &[u8]) -> Result<Summary, Box<Mismatch>> {
    let program = Arc::new(Program::generate(&mut Entropy::new(data)));
    check_program(&program)
}

/// Runs `program` on wasmi and on Mica in every translation mode.
pub fn check_program(program: &Arc<Program>) -> Result<Summary, Box<Mismatch>> {
    let wasm: Vec<Vec<u8>> = program
        .modules
        .iter()
        .map(|m| {
            wat::parse_str(&m.wat)
                .unwrap_or_else(|e| panic!("generator bug: {e}\n{}", program.describe()))
        })
        .collect();
    let expected = wasmi_run::run(program, &wasm);
    if let Some(line) = expected.iter().find(|l| l.starts_with("load ")) {
        panic!(
            "generator bug: wasmi rejects a module: {line}\n{}",
            program.describe()
        );
    }
    for mode in translation_modes() {
        let actual = mica_run::run(program, &wasm, mode);
        if let Some(i) = trace::first_difference(&expected, &actual) {
            return Err(Box::new(Mismatch {
                program: program.describe(),
                wat: program.modules.iter().map(|m| m.wat.clone()).collect(),
                engine: format!("{mode:?}"),
                expected,
                actual,
                first_difference: i,
            }));
        }
    }
    let mut failures = std::collections::BTreeMap::new();
    for line in &expected {
        if let Some((_, reason)) = line.split_once(" -> ").or_else(|| {
            line.strip_prefix("instantiate ")
                .and_then(|l| l.split_once(": "))
        }) {
            let kind = reason.split(" failed on ").next().unwrap_or(reason);
            let kind = if kind.starts_with("host error: h") {
                "host error"
            } else {
                kind
            };
            if kind != "ok" {
                *failures.entry(kind.to_string()).or_default() += 1;
            }
        }
    }
    Ok(Summary {
        failures,
        modules: program.modules.len(),
        instantiated: expected
            .iter()
            .filter(|l| l.ends_with(": ok") && l.starts_with("instantiate"))
            .count(),
        calls: expected.iter().filter(|l| l.starts_with("call ")).count(),
        trapped_calls: expected
            .iter()
            .filter(|l| l.starts_with("call ") && l.contains(" -> "))
            .count(),
        host_calls: expected.iter().filter(|l| l.starts_with("host ")).count(),
        trace_lines: expected.len(),
    })
}
