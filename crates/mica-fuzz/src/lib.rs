//! Differential fuzzing of calls across Mica's host boundary.
//!
//! [`Program::generate`] turns fuzzer input into a small program: up to three modules that
//! import host functions, functions of earlier modules and an earlier module's table, with
//! random call graphs over `call`, `call_indirect`, `return_call` and
//! `return_call_indirect` (in statements, expressions and early exits), host functions that
//! are typed (`func_wrap`) or untyped (`func_new`), that trap, write memory, or call back
//! into wasm through their `Caller`, and start functions; values of every number type and
//! `v128`, with fixed-width SIMD instructions in expressions and statements. [`check`] runs
//! the program on Mica (in every translation mode) and on wasmi and compares the traces: every
//! host call with its arguments, every embedder call's results or trap, and the final memory,
//! globals and fuel (`v128` values lane-wise, see [`trace::v128_agree`]). A difference is a
//! [`Mismatch`], which [`Mismatch::save`] writes out with the modules.
//!
//! One program in six may use relaxed SIMD too ([`Program::relaxed_simd`]). Relaxed
//! operations may give different results in different engines by design (Mica gives the
//! specification's deterministic ones), so such a program is not run on wasmi: Mica's lazy
//! translation is compared with its eager one.
//!
//! The cargo-fuzz target (`fuzz/fuzz_targets/host_calls.rs`) calls [`check`]; the seeded smoke
//! test (`tests/smoke.rs`) runs a fixed number of seeds in `cargo test`.
//!
//! [`extreme`] is a second fuzzer, of translation: modules of extreme shape (deep operand
//! stacks, deep nesting, huge `br_table`s, many locals, many-valued blocks branched to
//! often), loaded eagerly and lazily and checked for code linear in the body's size, modes
//! that agree, and results that agree with wasmi (`tests/extreme_smoke.rs`,
//! `fuzz/fuzz_targets/extreme_shapes.rs`).
//!
//! [`gc`] is a third, of GC: `wasm-smith`'s modules with structs, arrays and casts, run
//! eagerly and lazily under collection stress, which must agree (`tests/gc_smoke.rs`,
//! `fuzz/fuzz_targets/gc.rs`).
//!
//! [`fuel`] is a fourth, of fuel and resumable calls: the same modules called whole and in
//! slices of a few units of fuel (pausing and resuming), which must agree in results and
//! fuel (`tests/fuel_smoke.rs`, `fuzz/fuzz_targets/fuel.rs`).

mod body;
pub mod entropy;
pub mod extreme;
pub mod fuel;
pub mod gc;
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
    /// Modules with at least one SIMD instruction, and SIMD instructions in all.
    pub simd_modules: usize,
    pub simd_instructions: usize,
    /// `v128` values in the traces (arguments, results, globals).
    pub v128_values: usize,
    /// Programs with relaxed SIMD (compared between Mica's modes only), and their modules with
    /// at least one relaxed SIMD instruction.
    pub relaxed_programs: usize,
    pub relaxed_modules: usize,
    /// Accesses to each module's second memory (`$m1`) and to its 64-bit memory (`$m64`).
    pub second_memory_accesses: usize,
    pub memory64_accesses: usize,
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
        self.simd_modules += other.simd_modules;
        self.simd_instructions += other.simd_instructions;
        self.v128_values += other.v128_values;
        self.relaxed_programs += other.relaxed_programs;
        self.relaxed_modules += other.relaxed_modules;
        self.second_memory_accesses += other.second_memory_accesses;
        self.memory64_accesses += other.memory64_accesses;
        for (kind, n) in &other.failures {
            *self.failures.entry(kind.clone()).or_default() += n;
        }
    }
}

/// Two engines (or two of Mica's translation modes) disagreed.
#[derive(Debug)]
pub struct Mismatch {
    pub program: String,
    pub wat: Vec<String>,
    /// What ran the expected trace: `wasmi`, or Mica in a translation mode (`Mica (Eager)`)
    /// for a program with relaxed SIMD.
    pub reference: String,
    /// The translation mode of the Mica that ran the actual trace.
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
            "Mica ({}) and {} disagree at trace line {i}:",
            self.engine, self.reference
        )?;
        writeln!(
            f,
            "  {}: {}",
            self.reference,
            self.expected.get(i).map_or("<end of trace>", |s| s)
        )?;
        writeln!(
            f,
            "  Mica ({}): {}",
            self.engine,
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
    /// folder named after the program's hash; returns that folder. The expected trace is
    /// `trace-wasmi.txt`, or `trace-reference.txt` when the reference was Mica.
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
        let expected = match self.reference.as_str() {
            "wasmi" => "trace-wasmi.txt",
            _ => "trace-reference.txt",
        };
        std::fs::write(folder.join(expected), self.expected.join("\n"))?;
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

/// SIMD instructions in a module's text: every instruction of the generated (folded) text
/// opens with `(`, and every SIMD instruction's name starts with `v128.` or a lane shape.
pub fn simd_instructions(wat: &str) -> usize {
    const PREFIXES: [&str; 7] = [
        "(v128.", "(i8x16.", "(i16x8.", "(i32x4.", "(i64x2.", "(f32x4.", "(f64x2.",
    ];
    PREFIXES.iter().map(|p| wat.matches(p).count()).sum()
}

/// Relaxed SIMD instructions in a module's text (all of them are named `<shape>.relaxed_*`).
pub fn relaxed_simd_instructions(wat: &str) -> usize {
    wat.matches(".relaxed_").count()
}

/// Runs `program` on wasmi and on Mica in every translation mode; a program with relaxed
/// SIMD runs on Mica only, and its first translation mode is the reference for the others.
pub fn check_program(program: &Arc<Program>) -> Result<Summary, Box<Mismatch>> {
    let wasm: Vec<Vec<u8>> = program
        .modules
        .iter()
        .map(|m| {
            wat::parse_str(&m.wat)
                .unwrap_or_else(|e| panic!("generator bug: {e}\n{}", program.describe()))
        })
        .collect();
    let modes = translation_modes();
    let (reference, expected, compared) = if program.relaxed_simd {
        let reference = format!("Mica ({:?})", modes[0]);
        let expected = mica_run::run(program, &wasm, modes[0]);
        (reference, expected, &modes[1..])
    } else {
        let expected = wasmi_run::run(program, &wasm);
        ("wasmi".to_string(), expected, &modes[..])
    };
    if let Some(line) = expected.iter().find(|l| l.starts_with("load ")) {
        panic!(
            "generator bug: {reference} rejects a module: {line}\n{}",
            program.describe()
        );
    }
    for mode in compared {
        let actual = mica_run::run(program, &wasm, *mode);
        if let Some(i) = trace::first_difference(&expected, &actual) {
            return Err(Box::new(Mismatch {
                program: program.describe(),
                wat: program.modules.iter().map(|m| m.wat.clone()).collect(),
                reference,
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
    let simd: Vec<usize> = program
        .modules
        .iter()
        .map(|m| simd_instructions(&m.wat))
        .collect();
    Ok(Summary {
        failures,
        simd_modules: simd.iter().filter(|n| **n > 0).count(),
        simd_instructions: simd.iter().sum(),
        v128_values: expected.iter().map(|l| l.matches("v128:").count()).sum(),
        relaxed_programs: usize::from(program.relaxed_simd),
        relaxed_modules: program
            .modules
            .iter()
            .filter(|m| relaxed_simd_instructions(&m.wat) > 0)
            .count(),
        // (Less each memory's declaration.)
        second_memory_accesses: program.modules.iter().map(|m| m.wat.matches("$m1 ").count().saturating_sub(1)).sum(),
        memory64_accesses: program.modules.iter().map(|m| m.wat.matches("$m64 ").count().saturating_sub(1)).sum(),
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
