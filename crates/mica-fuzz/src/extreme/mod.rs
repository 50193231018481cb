//! Extreme-shape modules: random valid modules whose bodies are built to make a translator
//! do more than linear work or emit more than linear code — operand stacks thousands deep,
//! thousands of nested blocks, `br_table`s of up to hundreds of thousands of entries, tens of
//! thousands of locals, blocks of up to 1000 results branched to thousands of times (see
//! [`generator`] for the shapes), a third of the functions with `v128` values among the
//! others (a vector takes two of Mica's frame slots).
//!
//! [`check`] generates one from fuzzer input and loads it in Mica eagerly and lazily. What
//! must hold, none of it about wall time:
//! - loading never panics, and either succeeds or fails with one of Mica's budget errors
//!   (`Unsupported`: "instructions per byte" when translating, "label types per byte" when
//!   validating `br_table`s of many-valued labels); the module is valid, so any other error
//!   is a bug (in Mica or in the generator: the report says which check failed);
//! - both modes agree: lazy loading (validation only) succeeds, or both modes refuse the same
//!   `br_table` (or eager loading stopped at an earlier function's budget); each function translates
//!   lazily to exactly the listing (`Module::disassemble`) eager loading made, or, when eager
//!   loading was refused for function `k`, lazy translation refuses `k` too;
//! - the code is linear in the body: every translated function has at most
//!   [`code_bound`]`(body bytes)` instructions, whatever its shape;
//! - with [`Limits::execute`], every function that translates is run with fixed arguments
//!   on Mica in both modes and on wasmi, and the results agree (the generator's code always
//!   terminates and never traps). A module wasmi refuses (its limits are lower: 30,000
//!   locals, 131,072 `br_table` entries) is run on Mica only, and so is a function with a
//!   `br_table` that wasmi runs wrongly (see `tests/reference_bugs.rs`), and a module on
//!   which wasmi panics: wasmi 2.0's translator has debug assertions that some valid modules trip (see
//!   `tests/reference_bugs.rs`), and debug assertions are on in `cargo test` and cargo-fuzz
//!   builds. [`check`] installs a panic hook that keeps such panics quiet and unwinding
//!   (cargo-fuzz's own hook aborts) while the reference runs, and only then.
//!
//! The seeded smoke test (`tests/extreme_smoke.rs`) runs a bounded number of seeds in
//! `cargo test`; the cargo-fuzz target `fuzz/fuzz_targets/extreme_shapes.rs` runs it for long.

pub mod encode;
pub mod generator;

pub use generator::{GenFunc, Generated, Limits, Shape, generate};

use crate::entropy::Entropy;
use mica::{Config, Engine, ErrorKind, Module, TranslationMode};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

impl Limits {
    /// The seeded smoke test's: small enough for the debug profile.
    pub const SMOKE: Limits = Limits {
        max_body: 12 * 1024,
        max_funcs: 3,
        fuel: 3,
        execute: true,
    };
    /// The cargo-fuzz target's.
    pub const FUZZ: Limits = Limits {
        max_body: 256 * 1024,
        max_funcs: 4,
        fuel: 8,
        execute: true,
    };
}

/// The most instructions a body of `len` bytes may translate to: Mica's budget (8 per byte,
/// plus 1024), then the prologue that fills constant slots (two jumps and one instruction
/// per constant, and a constant takes two bytes at least).
pub fn code_bound(len: usize) -> usize {
    8 * len + 1024 + len / 2 + 2
}

/// Whether a load or translation error is Mica's translation budget.
pub fn is_budget_refusal(error: &mica::Error) -> bool {
    matches!(error.kind(), ErrorKind::Unsupported(m) if m.contains("instructions per byte"))
}

/// Whether a load error is Mica's `br_table` validation budget (the same in both modes).
pub fn is_label_refusal(error: &mica::Error) -> bool {
    matches!(error.kind(), ErrorKind::Unsupported(m) if m.contains("label types per byte"))
}

/// What the checks saw, for the smoke test's statistics.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub modules: usize,
    pub functions: usize,
    pub body_bytes: usize,
    /// Functions Mica's budget refused (lazily).
    pub refused: usize,
    /// The most instructions per body byte of a translated function.
    pub max_instrs_per_byte: f64,
    /// Calls compared between Mica (both modes) and wasmi.
    pub compared_calls: usize,
    /// Calls run on Mica only (wasmi refused the module, or panicked).
    pub mica_only_calls: usize,
    /// Modules wasmi panicked on (a debug assertion of its translator), and its messages.
    pub wasmi_panics: usize,
    pub wasmi_panic_messages: std::collections::BTreeSet<String>,
    /// Functions by shape.
    pub shapes: BTreeMap<String, usize>,
    /// Functions that use `v128`, and those of them that were run and compared with wasmi.
    pub vector_functions: usize,
    pub compared_vector_calls: usize,
    /// Eager loading, in all.
    pub eager_load: Duration,
    /// The slowest eager load per KiB of body among modules of 16 KiB of bodies or more, in
    /// microseconds (reported, never asserted; smaller modules are all fixed cost).
    pub max_load_us_per_kib: f64,
}

impl Stats {
    pub fn add(&mut self, other: &Stats) {
        self.modules += other.modules;
        self.functions += other.functions;
        self.body_bytes += other.body_bytes;
        self.refused += other.refused;
        self.max_instrs_per_byte = self.max_instrs_per_byte.max(other.max_instrs_per_byte);
        self.compared_calls += other.compared_calls;
        self.mica_only_calls += other.mica_only_calls;
        self.wasmi_panics += other.wasmi_panics;
        self.wasmi_panic_messages
            .extend(other.wasmi_panic_messages.iter().cloned());
        for (shape, n) in &other.shapes {
            *self.shapes.entry(shape.clone()).or_default() += n;
        }
        self.vector_functions += other.vector_functions;
        self.compared_vector_calls += other.compared_vector_calls;
        self.eager_load += other.eager_load;
        self.max_load_us_per_kib = self.max_load_us_per_kib.max(other.max_load_us_per_kib);
    }
}

/// A check that failed, with the module.
#[derive(Debug)]
pub struct Failure {
    pub generated: Generated,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.message)?;
        write!(f, "module: {}", self.generated.describe())
    }
}

impl Failure {
    /// Writes the module (`module.wasm`) and the report under `dir`, in a folder named after
    /// the module's hash; returns that folder.
    pub fn save(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let hash = self
            .generated
            .wasm
            .iter()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
        let folder = dir.join(format!("extreme-{hash:016x}"));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join("module.wasm"), &self.generated.wasm)?;
        std::fs::write(folder.join("report.txt"), self.to_string())?;
        Ok(folder)
    }
}

/// Generates a module from `data` within `limits` and checks it (see the module's
/// documentation).
pub fn check(data: &[u8], limits: &Limits) -> Result<Stats, Box<Failure>> {
    install_reference_panic_filter();
    let generated = generate(&mut Entropy::new(data), limits);
    check_generated(generated, limits)
}

fn engine(mode: TranslationMode) -> Engine {
    let mut config = Config::new();
    config.translation(mode);
    Engine::new(&config)
}

/// The function a budget error names (`function 3 translates to more than ...`).
fn refused_function(error: &mica::Error) -> Option<u32> {
    let ErrorKind::Unsupported(message) = error.kind() else {
        return None;
    };
    let rest = &message[message.find("function ")? + "function ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Checks a generated module.
pub fn check_generated(generated: Generated, limits: &Limits) -> Result<Stats, Box<Failure>> {
    let fail =
        |generated: Generated, message: String| Err(Box::new(Failure { generated, message }));
    let n = generated.funcs.len();
    let mut stats = Stats {
        modules: 1,
        functions: n,
        body_bytes: generated.funcs.iter().map(|f| f.body_bytes).sum(),
        ..Stats::default()
    };
    for f in &generated.funcs {
        *stats.shapes.entry(format!("{:?}", f.shape)).or_default() += 1;
        stats.vector_functions += usize::from(f.vectors);
    }

    // Eager: loads, or refuses one function for the budget.
    let eager_engine = engine(TranslationMode::Eager);
    let start = Instant::now();
    let eager = Module::from_binary(&eager_engine, &generated.wasm);
    stats.eager_load = start.elapsed();
    if stats.body_bytes >= 16 * 1024 {
        stats.max_load_us_per_kib =
            stats.eager_load.as_secs_f64() * 1e6 / (stats.body_bytes as f64 / 1024.0);
    }
    // A `br_table` past the validation budget: refused by both modes, in the same words.
    if let Err(e) = &eager
        && is_label_refusal(e)
    {
        return match Module::from_binary(&engine(TranslationMode::Lazy), &generated.wasm) {
            Err(lazy) if lazy.to_string() == e.to_string() => {
                stats.refused += 1;
                Ok(stats)
            }
            other => {
                let message = format!("refused eagerly ({e}) but lazily: {:?}", other.map(drop));
                fail(generated, message)
            }
        };
    }
    let mut eager_listings = Vec::new();
    let eager_refused = match &eager {
        Ok(module) => {
            for i in 0..n as u32 {
                match module.disassemble(i) {
                    Some(Ok(listing)) => eager_listings.push(listing),
                    other => {
                        let message = format!("eager module: no listing of f{i}: {other:?}");
                        return fail(generated, message);
                    }
                }
            }
            None
        }
        Err(e) if is_budget_refusal(e) => match refused_function(e) {
            Some(k) if (k as usize) < n => Some(k as usize),
            _ => return fail(generated, format!("eager refusal names no function: {e}")),
        },
        Err(e) => return fail(generated, format!("eager loading failed: {e}")),
    };

    // Lazy: validation succeeds; each function translates as eagerly, or is refused.
    let lazy_engine = engine(TranslationMode::Lazy);
    let lazy = match Module::from_binary(&lazy_engine, &generated.wasm) {
        Ok(module) => module,
        // Eager loading stopped at an earlier function's translation budget.
        Err(e)
            if is_label_refusal(&e)
                && eager_refused.is_some_and(|k| Some(k as u32) < refused_function(&e)) =>
        {
            stats.refused += 1;
            return Ok(stats);
        }
        Err(e) => return fail(generated, format!("lazy loading (validation) failed: {e}")),
    };
    let mut translated = vec![false; n];
    for i in 0..n {
        let f = &generated.funcs[i];
        match lazy.disassemble(i as u32) {
            Some(Ok(listing)) => {
                translated[i] = true;
                let instrs = listing.lines().count();
                if instrs > code_bound(f.body_bytes) {
                    let message = format!(
                        "f{i}: {instrs} instructions for a body of {} bytes (bound {})",
                        f.body_bytes,
                        code_bound(f.body_bytes)
                    );
                    return fail(generated, message);
                }
                stats.max_instrs_per_byte = stats
                    .max_instrs_per_byte
                    .max(instrs as f64 / f.body_bytes as f64);
                if eager_refused.is_none() && eager_listings[i] != listing {
                    let message = format!("f{i}: lazy translation differs from eager");
                    return fail(generated, message);
                }
                if eager_refused == Some(i) {
                    let message = format!("f{i}: refused eagerly but translated lazily");
                    return fail(generated, message);
                }
            }
            Some(Err(e)) if is_budget_refusal(&e) => {
                stats.refused += 1;
                if eager_refused.is_none_or(|k| i < k) {
                    let message = format!(
                        "f{i}: refused lazily ({e}) but eager loading {}",
                        match eager_refused {
                            None => "succeeded".to_string(),
                            Some(k) => format!("refused f{k} only"),
                        }
                    );
                    return fail(generated, message);
                }
            }
            Some(Err(e)) => return fail(generated, format!("f{i}: lazy translation failed: {e}")),
            None => return fail(generated, format!("f{i}: no listing")),
        }
    }

    if limits.execute {
        let lazy_results = run::mica(&lazy_engine, &lazy, &generated.funcs, &translated);
        if let Ok(eager) = &eager {
            let eager_results = run::mica(&eager_engine, eager, &generated.funcs, &translated);
            if let Some(i) = (0..n).find(|i| eager_results[*i] != lazy_results[*i]) {
                let message = format!(
                    "f{i}: eager and lazy Mica disagree: eager {:?}, lazy {:?}",
                    eager_results[i], lazy_results[i]
                );
                return fail(generated, message);
            }
        }
        match run::wasmi(&generated.wasm, &generated.funcs, &translated) {
            run::Reference::Ran(wasmi_results) => {
                for i in (0..n).filter(|i| translated[*i]) {
                    if generated.funcs[i].wasmi_miscompiles {
                        stats.mica_only_calls += 1;
                        continue;
                    }
                    match &wasmi_results[i] {
                        // wasmi's resource limits are not Mica's bugs.
                        Some(Err(e)) if e.contains("stack") => stats.mica_only_calls += 1,
                        w if *w != lazy_results[i] => {
                            let message = format!(
                                "f{i}: Mica and wasmi disagree: wasmi {w:?}, Mica {:?}",
                                lazy_results[i]
                            );
                            return fail(generated, message);
                        }
                        _ => {
                            stats.compared_calls += 1;
                            stats.compared_vector_calls += usize::from(generated.funcs[i].vectors);
                        }
                    }
                }
            }
            run::Reference::Refused => {
                stats.mica_only_calls += translated.iter().filter(|t| **t).count();
            }
            run::Reference::Panicked(message) => {
                stats.wasmi_panics += 1;
                stats.wasmi_panic_messages.insert(message);
                stats.mica_only_calls += translated.iter().filter(|t| **t).count();
            }
        }
    }
    Ok(stats)
}

thread_local! {
    /// Whether this thread is running the reference (wasmi), whose panics are caught.
    static IN_REFERENCE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Wraps the panic hook (once per process) so that a panic while the reference runs
/// ([`in_reference`]) prints nothing and unwinds, whatever the hook before it did
/// (cargo-fuzz's aborts the process); any other panic goes to that hook as before.
pub fn install_reference_panic_filter() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_REFERENCE.get() {
                previous(info);
            }
        }));
    });
}

/// Runs `f` (the reference), catching its panic: the panic's message. Quiet once
/// [`install_reference_panic_filter`] ran.
pub fn in_reference<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    IN_REFERENCE.set(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_REFERENCE.set(false);
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

/// Running the functions: each one called once, with its arguments, on a fresh instance.
mod run {
    use super::GenFunc;
    use crate::program::Ty;

    /// A call's results (bits), or its error; `None` for a function not run.
    pub type Outcome = Option<Result<Vec<u128>, String>>;

    pub fn mica(
        engine: &mica::Engine,
        module: &mica::Module,
        funcs: &[GenFunc],
        run: &[bool],
    ) -> Vec<Outcome> {
        use mica::Val;
        let mut store = mica::Store::new(engine, ());
        let instance = match mica::Linker::new(engine).instantiate(&mut store, module) {
            Ok(instance) => instance,
            Err(e) => return vec![Some(Err(format!("instantiation: {e}"))); funcs.len()],
        };
        let to_val = |ty: Ty, bits: u128| match ty {
            Ty::I32 => Val::I32(bits as u32 as i32),
            Ty::I64 => Val::I64(bits as u64 as i64),
            Ty::F32 => Val::F32(bits as u32),
            Ty::F64 => Val::F64(bits as u64),
            Ty::V128 => Val::V128(mica::V128::from(bits)),
        };
        let from_val = |v: &Val| match v {
            Val::I32(x) => u128::from(*x as u32),
            Val::I64(x) => u128::from(*x as u64),
            Val::F32(x) => u128::from(*x),
            Val::F64(x) => u128::from(*x),
            Val::V128(x) => x.as_u128(),
            other => panic!("unexpected value {other:?}"),
        };
        funcs
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if !run[i] {
                    return None;
                }
                let func = instance
                    .get_func(&store, &format!("f{i}"))
                    .expect("exported");
                let params: Vec<Val> =
                    f.ty.params
                        .iter()
                        .zip(&f.args)
                        .map(|(t, b)| to_val(*t, *b))
                        .collect();
                let mut results: Vec<Val> = f.ty.results.iter().map(|t| to_val(*t, 0)).collect();
                Some(
                    func.call(&mut store, &params, &mut results)
                        .map(|()| results.iter().map(from_val).collect())
                        .map_err(|e| e.to_string()),
                )
            })
            .collect()
    }

    /// What the reference made of a module.
    pub enum Reference {
        Ran(Vec<Outcome>),
        /// It refused the module (its limits).
        Refused,
        /// It panicked (a debug assertion), with this message.
        Panicked(String),
    }

    pub fn wasmi(wasm: &[u8], funcs: &[GenFunc], run: &[bool]) -> Reference {
        match super::in_reference(|| wasmi_run(wasm, funcs, run)) {
            Ok(Some(outcomes)) => Reference::Ran(outcomes),
            Ok(None) => Reference::Refused,
            Err(message) => Reference::Panicked(message),
        }
    }

    /// `None` if wasmi refuses the module.
    fn wasmi_run(wasm: &[u8], funcs: &[GenFunc], run: &[bool]) -> Option<Vec<Outcome>> {
        use wasmi::{F32, F64, Val};
        let mut config = wasmi::Config::default();
        config.compilation_mode(wasmi::CompilationMode::Eager);
        let engine = wasmi::Engine::new(&config);
        let module = wasmi::Module::new(&engine, wasm).ok()?;
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .ok()?;
        let to_val = |ty: Ty, bits: u128| match ty {
            Ty::I32 => Val::I32(bits as u32 as i32),
            Ty::I64 => Val::I64(bits as u64 as i64),
            Ty::F32 => Val::F32(F32::from_bits(bits as u32)),
            Ty::F64 => Val::F64(F64::from_bits(bits as u64)),
            Ty::V128 => Val::V128(wasmi::V128::from(bits)),
        };
        let from_val = |v: &Val| match v {
            Val::I32(x) => u128::from(*x as u32),
            Val::I64(x) => u128::from(*x as u64),
            Val::F32(x) => u128::from(x.to_bits()),
            Val::F64(x) => u128::from(x.to_bits()),
            Val::V128(x) => x.as_u128(),
            other => panic!("unexpected value {other:?}"),
        };
        let outcomes = funcs
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if !run[i] {
                    return None;
                }
                let func = instance
                    .get_func(&store, &format!("f{i}"))
                    .expect("exported");
                let params: Vec<Val> =
                    f.ty.params
                        .iter()
                        .zip(&f.args)
                        .map(|(t, b)| to_val(*t, *b))
                        .collect();
                let mut results: Vec<Val> = f.ty.results.iter().map(|t| to_val(*t, 0)).collect();
                Some(
                    func.call(&mut store, &params, &mut results)
                        .map(|()| results.iter().map(from_val).collect())
                        .map_err(|e| e.to_string()),
                )
            })
            .collect();
        Some(outcomes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_modules_validate_in_wasmparser_terms() {
        // Lazy loading is validation alone: every generated module must pass it.
        let engine = engine(TranslationMode::Lazy);
        for seed in 0..40 {
            let data = crate::seed_bytes(seed, 256);
            let generated = generate(&mut Entropy::new(&data), &Limits::SMOKE);
            if let Err(e) = Module::from_binary(&engine, &generated.wasm) {
                panic!("seed {seed}: {e}\n{}", generated.describe());
            }
        }
    }

    /// The checks rely on the budget error's kind and wording.
    #[test]
    fn a_refusal_is_recognised_and_names_its_function() {
        let results = "i32 ".repeat(200);
        let values = "local.get 0\n".repeat(200);
        let branches = "i32.const 1 br_if 0\n".repeat(20_000);
        let wat =
            format!("(module (func) (func (param i32) (result {results}) {values} {branches}))");
        let wasm = wat::parse_str(&wat).expect("valid");
        let e = Module::from_binary(&engine(TranslationMode::Eager), &wasm).expect_err("refused");
        assert!(is_budget_refusal(&e), "{e}");
        assert_eq!(refused_function(&e), Some(1), "{e}");
        assert!(!is_budget_refusal(&mica::Error::new(
            "instructions per byte"
        )));
    }
}
