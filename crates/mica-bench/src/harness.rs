//! The measurement loop: every workload on both engines, interleaved sample by sample.

use crate::engines::mica::Mica;
use crate::engines::wasmi::Wasmi;
use crate::engines::{CallShape, Entry, Mode, Outcome, Runtime};
use crate::heap::{self, HeapUse};
use crate::hostile::{self, Shape};
use crate::stats::{Samples, fmt_secs};
use crate::workloads::{self, Group, WORKLOADS, Workload};
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod runs;
use runs::{SHORT_BATCH, exec_batch, interleave, interleave_into, translate_once};

/// The parts of the benchmark, each selectable with `--phase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Compile (validate + translate, eager) and instantiate each workload's module.
    Translate,
    /// Run each workload.
    Execute,
    /// Host-to-wasm call overhead.
    Calls,
    /// Compile and instantiate a large generated module, eagerly and lazily.
    Startup,
    /// Compile generated bodies of hostile shapes (deep operand stacks, deep nesting, a huge
    /// `br_table`, many locals) at two sizes: time per byte, and its growth.
    Hostile,
    /// Start a very large real program (75 MB) in a child process per sample: start-up time
    /// and peak memory (see [`crate::big`]).
    Big,
    /// CPython's WASI build under the `mica` CLI: time to its first line of output, lazy and
    /// eager (Mica alone; see [`crate::python`]).
    Python,
    /// WasmGC programs on Mica and wasmtime (see [`crate::gc`]).
    Gc,
    /// The shared programs through the command-line runners, start-up included: `mica run`
    /// against the `wasmi` CLI and WAMR's `iwasm` where installed (see [`crate::cli`]).
    Cli,
}

impl Phase {
    pub const ALL: [Phase; 9] = [
        Phase::Translate,
        Phase::Execute,
        Phase::Calls,
        Phase::Startup,
        Phase::Hostile,
        Phase::Big,
        Phase::Python,
        Phase::Gc,
        Phase::Cli,
    ];

    pub fn parse(name: &str) -> Option<Phase> {
        Some(match name {
            "translate" | "compile" | "instantiate" => Phase::Translate,
            "execute" | "exec" => Phase::Execute,
            "calls" | "call" | "call-overhead" => Phase::Calls,
            "startup" => Phase::Startup,
            "hostile" => Phase::Hostile,
            "big" => Phase::Big,
            "python" | "cpython" => Phase::Python,
            "gc" => Phase::Gc,
            "cli" => Phase::Cli,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Smaller sizes, one sample, no warm-up (for CI).
    pub quick: bool,
    /// Only workloads whose name contains one of these (all if empty).
    pub filter: Vec<String>,
    pub phases: Vec<Phase>,
    /// Timed execution samples per engine.
    pub samples: usize,
    /// Untimed (but checked) runs per engine before the samples.
    pub warmup: usize,
    /// `shared/bench`.
    pub bench_dir: PathBuf,
    /// Functions in the generated start-up module.
    pub large_funcs: u32,
    /// Progress lines on stderr.
    pub verbose: bool,
    /// Seconds one workload's execution samples may take (both engines together); `None`
    /// for exactly `warmup` + `samples` runs. See [`Options::plan`].
    pub budget: Option<f64>,
}

/// How many runs follow the first (checked) run of each engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Whether the first run is kept as a sample (else it is the first warm-up run).
    pub probe_is_sample: bool,
    /// More untimed runs.
    pub warmup: usize,
    /// More timed runs.
    pub samples: usize,
    /// The runs whose mean makes one sample: 1, or `SHORT_BATCH` for a workload whose first
    /// run took under a millisecond.
    pub batch: usize,
}

impl Options {
    pub fn new(quick: bool) -> Options {
        Options {
            quick,
            filter: Vec::new(),
            phases: Phase::ALL.to_vec(),
            samples: if quick { 1 } else { 5 },
            warmup: if quick { 0 } else { 1 },
            bench_dir: default_bench_dir(),
            large_funcs: if quick { 500 } else { 5000 },
            verbose: true,
            budget: if quick { None } else { Some(30.0) },
        }
    }

    /// The runs after a first run that took `probe_secs` (both engines). Without a budget:
    /// `warmup` runs (the first among them) and `samples` samples. With one, a workload whose
    /// first run took a second or more has no warm-up (an interpreter has nothing to warm up
    /// over such a run) and as many samples as fit in the budget, at least 3, at most
    /// `samples`; one whose runs take less than a millisecond (`empty`: a few hundred
    /// nanoseconds, where one interrupt doubles a sample) takes as many samples as fit in
    /// a tenth of a second of execution, at least `samples`, at most `SHORT_SAMPLES`, each
    /// the mean of `SHORT_BATCH` runs; and one whose runs take less than a tenth of a second
    /// (the host-call workloads: tens of milliseconds, where this machine's spread between
    /// runs moved a ratio by 0.3 with five samples) as many as fit in a second, at least
    /// `samples`, at most `BRIEF_SAMPLES`.
    pub fn plan(&self, probe_secs: f64) -> Plan {
        /// The most samples a short workload takes (each run also instantiates, untimed).
        const SHORT_SAMPLES: usize = 101;
        /// The most samples a workload of a few milliseconds takes.
        const BRIEF_SAMPLES: usize = 21;
        let samples = self.samples.max(1);
        // As many as fit in `secs` of execution, at least `samples`, at most `most`.
        let fitting =
            |secs: f64, most: usize| ((secs / probe_secs.max(1e-9)) as usize).clamp(samples, most.max(samples));
        match self.budget {
            Some(budget) if probe_secs >= 1.0 => {
                let n = ((budget / probe_secs) as usize).clamp(3.min(samples), samples);
                Plan { probe_is_sample: true, warmup: 0, samples: n - 1, batch: 1 }
            }
            Some(_) if probe_secs < 1e-3 && self.warmup > 0 => Plan {
                probe_is_sample: false,
                warmup: self.warmup - 1,
                samples: fitting(0.1, SHORT_SAMPLES),
                batch: SHORT_BATCH,
            },
            Some(_) if probe_secs < 0.1 && self.warmup > 0 => Plan {
                probe_is_sample: false,
                warmup: self.warmup - 1,
                samples: fitting(1.0, BRIEF_SAMPLES),
                batch: 1,
            },
            _ if self.warmup == 0 => Plan { probe_is_sample: true, warmup: 0, samples: samples - 1, batch: 1 },
            _ => Plan { probe_is_sample: false, warmup: self.warmup - 1, samples, batch: 1 },
        }
    }

    pub(crate) fn selected(&self, name: &str) -> bool {
        self.filter.is_empty() || self.filter.iter().any(|f| name.contains(f.as_str()))
    }

    fn has(&self, phase: Phase) -> bool {
        self.phases.contains(&phase)
    }
}

/// `shared/bench` beside the repository: `$MICA_BENCH_DIR`, else `../shared/bench` from the
/// repository root.
pub fn default_bench_dir() -> PathBuf {
    match std::env::var_os("MICA_BENCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench"),
    }
}

/// A value per engine.
#[derive(Debug, Clone, Default)]
pub struct Pair<T> {
    pub mica: T,
    pub wasmi: T,
}

/// What was measured of one workload.
#[derive(Debug, Clone)]
pub struct Row {
    pub workload: Workload,
    pub size: String,
    pub wasm_bytes: usize,
    /// Execution samples (`None` for an engine that failed or a phase not run).
    pub exec: Pair<Option<Samples>>,
    pub compile: Pair<Option<Samples>>,
    pub instantiate: Pair<Option<Samples>>,
    pub heap: Pair<Option<HeapUse>>,
    /// Whether each engine's checksum was verified (every execution run is checked).
    pub verified: Pair<bool>,
}

#[derive(Debug, Clone)]
pub struct StartupRow {
    pub mode: Mode,
    pub compile: Pair<Option<Samples>>,
    pub instantiate: Pair<Option<Samples>>,
    pub first_call: Pair<Option<Samples>>,
    pub heap: Pair<Option<HeapUse>>,
}

/// One hostile shape at one size.
#[derive(Debug, Clone)]
pub struct HostileRow {
    pub shape: Shape,
    pub size: hostile::Size,
    /// The shape's counts at this size.
    pub counts: String,
    pub body_bytes: usize,
    /// Eager compilation (`None` for an engine that refused or failed).
    pub compile: Pair<Option<Samples>>,
    /// Why an engine refused the module: for Mica, its translation budget ("instructions
    /// per byte"; any other error of Mica's is a failure); for wasmi, any error (its own
    /// limits are not Mica's failures).
    pub refused: Pair<Option<String>>,
    /// The instructions of Mica's code for the body (lines of `Module::disassemble`).
    pub mica_instrs: Option<usize>,
    /// The heap Mica allocated at most while compiling (an untimed pass).
    pub mica_heap: Option<HeapUse>,
}

#[derive(Debug, Clone)]
pub struct CallRow {
    pub shape: CallShape,
    pub calls: u32,
    pub time: Pair<Option<Samples>>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub rows: Vec<Row>,
    pub startup: Vec<StartupRow>,
    pub startup_module: Option<(u32, usize)>,
    pub calls: Vec<CallRow>,
    pub hostile: Vec<HostileRow>,
    pub big: Vec<crate::big::BigRow>,
    pub python: Vec<crate::python::PythonRow>,
    pub gc: Vec<crate::gc::GcRow>,
    /// The CLI phase: the runners (`mica` first) and a row per workload.
    pub cli: (Vec<crate::cli::Runner>, Vec<crate::cli::CliRow>),
    /// Wrong checksums and errors, one precise line each.
    pub failures: Vec<String>,
    /// Why workloads were skipped (the `shared/bench` folder missing).
    pub skipped: Vec<String>,
    pub elapsed: Duration,
}

/// The heap a compiled module holds (and the peak while compiling), measured untimed.
fn heap_of<R: Runtime>(ctx: &R::Ctx, wasm: &[u8]) -> Option<HeapUse> {
    let (module, used) = heap::measure(|| R::compile(ctx, wasm));
    let ok = module.is_ok();
    drop(module);
    ok.then_some(used)
}

struct Engines {
    mica: <Mica as Runtime>::Ctx,
    wasmi: <Wasmi as Runtime>::Ctx,
}

impl Engines {
    fn new(mode: Mode) -> Engines {
        Engines { mica: Mica::new_ctx(mode), wasmi: Wasmi::new_ctx(mode) }
    }
}

/// Records an engine's failure (if any) and returns its samples.
fn keep<T>(
    report: &mut Report,
    what: &str,
    engine: &str,
    r: Result<Vec<T>, String>,
) -> Option<Vec<T>> {
    match r {
        Ok(v) if !v.is_empty() => Some(v),
        Ok(_) => None,
        Err(msg) => {
            report.failures.push(format!("{what} [{engine}]: {msg}"));
            None
        }
    }
}

fn to_samples(v: Option<Vec<Duration>>) -> Option<Samples> {
    v.map(Samples)
}

fn split(v: Option<Vec<(Duration, Duration)>>) -> (Option<Samples>, Option<Samples>) {
    match v {
        Some(v) => {
            let (a, b): (Vec<_>, Vec<_>) = v.into_iter().unzip();
            (Some(Samples(a)), Some(Samples(b)))
        }
        None => (None, None),
    }
}

pub(crate) fn log(opts: &Options, msg: impl AsRef<str>) {
    if opts.verbose {
        eprintln!("{}", msg.as_ref());
    }
}

/// Runs everything the options select and returns the report.
pub fn run(opts: &Options) -> Report {
    let started = Instant::now();
    let mut report = Report::default();
    let eager = Engines::new(Mode::Eager);
    let shared_present = opts.bench_dir.join("wasm").is_dir();
    if !shared_present {
        let msg = format!(
            "{} not found: skipping the shared/bench programs (set MICA_BENCH_DIR to run them)",
            opts.bench_dir.display()
        );
        log(opts, format!("note: {msg}"));
        report.skipped.push(msg);
    }
    let selected: Vec<&Workload> = WORKLOADS
        .iter()
        .filter(|w| opts.selected(w.name))
        .filter(|w| w.group == Group::Micro || shared_present)
        .collect();
    let count = selected.len();
    if opts.has(Phase::Translate) || opts.has(Phase::Execute) {
        for (i, w) in selected.into_iter().enumerate() {
            log(opts, format!("[{}/{count}] {} ({})", i + 1, w.name, w.what));
            if let Some(row) = run_workload(opts, &eager, w, &mut report) {
                report.rows.push(row);
            }
        }
    }
    if opts.has(Phase::Calls) && opts.selected("call_overhead") {
        run_calls(opts, &eager, &mut report);
    }
    if opts.has(Phase::Startup) && opts.selected("startup") {
        run_startup(opts, &mut report);
    }
    if opts.has(Phase::Hostile) {
        run_hostile(opts, &mut report);
    }
    if opts.has(Phase::Big) && opts.selected("big") {
        run_big(opts, &mut report);
    }
    if opts.has(Phase::Python) && opts.selected("python") {
        crate::python::run_phase(opts, &mut report);
    }
    if opts.has(Phase::Gc) {
        log(opts, "GC programs (Mica and wasmtime)");
        report.gc = crate::gc::measure(opts.quick, opts.samples, &|name| opts.selected(name), &mut report.failures);
    }
    if opts.has(Phase::Cli) {
        crate::cli::run_phase(opts, shared_present, &mut report);
    }
    report.elapsed = started.elapsed();
    report
}

/// What an engine that is not run for a workload "fails" with (and the progress log says).
const NOT_RUN: &str = "not run";

fn run_workload(
    opts: &Options,
    engines: &Engines,
    w: &Workload,
    report: &mut Report,
) -> Option<Row> {
    let quick = opts.quick;
    let wasm = match w.wasm(&opts.bench_dir, quick) {
        Ok(wasm) => wasm,
        Err(e) => {
            report.failures.push(format!("{}: cannot load the module: {e}", w.name));
            return None;
        }
    };
    let (entry, args) = w.entry(quick);
    let expected = w.expected(quick);
    // wasmi does not implement what the `Features` group measures: it is not run there.
    let wasmi_runs = w.group != Group::Features;
    let mut row = Row {
        workload: *w,
        size: w.size_label(quick),
        wasm_bytes: wasm.len(),
        exec: Pair::default(),
        compile: Pair::default(),
        instantiate: Pair::default(),
        heap: Pair::default(),
        verified: Pair::default(),
    };

    if opts.has(Phase::Translate) {
        // One warm-up pair tells how many samples fit in about a quarter second.
        let runs = if quick {
            1
        } else {
            let probe = Instant::now();
            let _ = translate_once::<Mica>(&engines.mica, &wasm, &args);
            if wasmi_runs {
                let _ = translate_once::<Wasmi>(&engines.wasmi, &wasm, &args);
            }
            let pair = probe.elapsed().as_secs_f64().max(1e-6);
            ((0.25 / pair) as usize).clamp(5, 30)
        };
        let r = interleave(
            runs,
            0,
            &mut || translate_once::<Mica>(&engines.mica, &wasm, &args),
            &mut || if wasmi_runs { translate_once::<Wasmi>(&engines.wasmi, &wasm, &args) } else { Err(NOT_RUN.into()) },
        );
        let what = format!("{} translate", w.name);
        (row.compile.mica, row.instantiate.mica) = split(keep(report, &what, "mica", r.mica));
        if wasmi_runs {
            (row.compile.wasmi, row.instantiate.wasmi) = split(keep(report, &what, "wasmi", r.wasmi));
        }
        row.heap = Pair {
            mica: heap_of::<Mica>(&engines.mica, &wasm),
            wasmi: if wasmi_runs { heap_of::<Wasmi>(&engines.wasmi, &wasm) } else { None },
        };
    }

    if opts.has(Phase::Execute) {
        let what = format!("{} (size {})", w.name, row.size);
        let mica = Mica::compile(&engines.mica, &wasm);
        let wasmi = Wasmi::compile(&engines.wasmi, &wasm);
        // Runs per sample: 1 for the first run, then the plan's.
        let batch = std::cell::Cell::new(1);
        let mut run_mica = || match &mica {
            Ok(m) => exec_batch::<Mica>(&engines.mica, m, entry, &args, expected.as_deref(), batch.get()),
            Err(e) => Err(format!("compilation failed: {e}")),
        };
        let mut run_wasmi = || match &wasmi {
            _ if !wasmi_runs => Err(NOT_RUN.into()),
            Ok(m) => exec_batch::<Wasmi>(&engines.wasmi, m, entry, &args, expected.as_deref(), batch.get()),
            Err(e) => Err(format!("compilation failed: {e}")),
        };
        // The first, checked run of each engine; it decides how many more to make.
        let mut probe = Pair { mica: Ok(Vec::new()), wasmi: Ok(Vec::new()) };
        interleave_into(&mut probe, 0, 1, true, &mut run_mica, &mut run_wasmi);
        let probe_secs: f64 = [&probe.mica, &probe.wasmi]
            .iter()
            .filter_map(|r| r.as_ref().ok()?.first().map(Duration::as_secs_f64))
            .sum();
        let plan = opts.plan(probe_secs);
        batch.set(plan.batch);
        let mut r = Pair {
            mica: probe.mica.map(|v| if plan.probe_is_sample { v } else { Vec::new() }),
            wasmi: probe.wasmi.map(|v| if plan.probe_is_sample { v } else { Vec::new() }),
        };
        interleave_into(&mut r, 1, plan.warmup, false, &mut run_mica, &mut run_wasmi);
        interleave_into(&mut r, 1 + plan.warmup, plan.samples, true, &mut run_mica, &mut run_wasmi);
        row.verified = Pair {
            mica: r.mica.is_ok() && expected.is_some(),
            wasmi: r.wasmi.is_ok() && expected.is_some(),
        };
        row.exec.mica = to_samples(keep(report, &what, "mica", r.mica));
        if wasmi_runs {
            row.exec.wasmi = to_samples(keep(report, &what, "wasmi", r.wasmi));
        }
        let show =
            |s: &Option<Samples>| s.as_ref().map_or("FAILED".to_string(), |s| fmt_secs(s.median()));
        let wasmi = if wasmi_runs { show(&row.exec.wasmi) } else { NOT_RUN.to_string() };
        log(opts, format!("    execute: mica {}, wasmi {wasmi}", show(&row.exec.mica)));
    }
    Some(row)
}

fn run_calls(opts: &Options, engines: &Engines, report: &mut Report) {
    log(opts, "call overhead (host -> wasm)");
    let wasm =
        wat::parse_str(workloads::CALL_OVERHEAD_WAT).expect("the call-overhead module assembles");
    let n: u32 = if opts.quick { 1_000 } else { 1_000_000 };
    let mica =
        Mica::compile(&engines.mica, &wasm).and_then(|m| Mica::instantiate(&engines.mica, &m, &[]));
    let wasmi = Wasmi::compile(&engines.wasmi, &wasm)
        .and_then(|m| Wasmi::instantiate(&engines.wasmi, &m, &[]));
    let (mut mica, mut wasmi) = match (mica, wasmi) {
        (Ok(m), Ok(w)) => (m, w),
        (m, w) => {
            for (engine, e) in [("mica", m.err()), ("wasmi", w.err())] {
                if let Some(e) = e {
                    report.failures.push(format!("call_overhead [{engine}]: {e}"));
                }
            }
            return;
        }
    };
    for shape in [CallShape::Nop, CallShape::Add] {
        let r = interleave(
            opts.warmup + opts.samples.max(1),
            opts.warmup,
            &mut || Mica::call_loop(&mut mica, shape, n),
            &mut || Wasmi::call_loop(&mut wasmi, shape, n),
        );
        let what = format!("call_overhead {shape:?}");
        let time = Pair {
            mica: to_samples(keep(report, &what, "mica", r.mica)),
            wasmi: to_samples(keep(report, &what, "wasmi", r.wasmi)),
        };
        report.calls.push(CallRow { shape, calls: n, time });
    }
}

/// One start-up sample.
struct StartupSample {
    compile: Duration,
    instantiate: Duration,
    first_call: Duration,
    result: i64,
}

/// Compile, instantiate, and the first call of `run(3)` (which, in lazy mode, translates the
/// four functions it reaches).
fn startup_once<R: Runtime>(ctx: &R::Ctx, wasm: &[u8]) -> Result<StartupSample, String> {
    let start = Instant::now();
    let module = R::compile(ctx, wasm)?;
    let compile = start.elapsed();
    let start = Instant::now();
    let mut inst = R::instantiate(ctx, &module, &[])?;
    let instantiate = start.elapsed();
    let (outcome, first_call) = R::run(&mut inst, Entry::Run { export: "run", arg: 3 })?;
    drop(inst);
    drop(module);
    Ok(StartupSample {
        compile,
        instantiate,
        first_call,
        result: outcome.result.unwrap_or_default(),
    })
}

fn run_startup(opts: &Options, report: &mut Report) {
    let funcs = opts.large_funcs.max(1);
    let wasm =
        wat::parse_str(workloads::large_module_wat(funcs)).expect("the generated module assembles");
    report.startup_module = Some((funcs, wasm.len()));
    let runs = if opts.quick { 1 } else { 30 };
    for mode in [Mode::Eager, Mode::Lazy] {
        log(opts, format!("startup: {funcs} functions, {} KiB, {mode:?}", wasm.len() / 1024));
        let engines = Engines::new(mode);
        let r = interleave(
            runs + opts.warmup,
            opts.warmup,
            &mut || startup_once::<Mica>(&engines.mica, &wasm),
            &mut || startup_once::<Wasmi>(&engines.wasmi, &wasm),
        );
        let what = format!("startup {mode:?}");
        let mica = keep(report, &what, "mica", r.mica);
        let wasmi = keep(report, &what, "wasmi", r.wasmi);
        // Both engines must compute the same result.
        if let (Some(m), Some(w)) = (&mica, &wasmi)
            && m.iter().chain(w.iter()).any(|s| s.result != w[0].result)
        {
            report.failures.push(format!(
                "{what}: results differ: mica {}, wasmi {}",
                m[0].result as u64, w[0].result as u64
            ));
        }
        let unzip3 = |v: Option<Vec<StartupSample>>| match v {
            Some(v) => {
                let c = v.iter().map(|s| s.compile).collect();
                let i = v.iter().map(|s| s.instantiate).collect();
                let f = v.iter().map(|s| s.first_call).collect();
                (Some(Samples(c)), Some(Samples(i)), Some(Samples(f)))
            }
            None => (None, None, None),
        };
        let (mc, mi, mf) = unzip3(mica);
        let (wc, wi, wf) = unzip3(wasmi);
        report.startup.push(StartupRow {
            mode,
            compile: Pair { mica: mc, wasmi: wc },
            instantiate: Pair { mica: mi, wasmi: wi },
            first_call: Pair { mica: mf, wasmi: wf },
            heap: Pair {
                mica: heap_of::<Mica>(&engines.mica, &wasm),
                wasmi: heap_of::<Wasmi>(&engines.wasmi, &wasm),
            },
        });
    }
}

/// Whether a compile error is one of Mica's budgets refusing a body: translation past 8
/// instructions per byte, or `br_table` validation past 64 label-type comparisons per byte
/// (`ErrorKind::Unsupported`, reported as such, not as a failure).
fn is_budget_refusal(error: &str) -> bool {
    error.contains("instructions per byte") || error.contains("label types per byte")
}

/// Eager compilation of `wasm`, timed; the module is dropped after the clock stops.
fn compile_once<R: Runtime>(ctx: &R::Ctx, wasm: &[u8]) -> Result<Duration, String> {
    let start = Instant::now();
    let module = R::compile(ctx, wasm)?;
    let time = start.elapsed();
    drop(module);
    Ok(time)
}

fn run_hostile(opts: &Options, report: &mut Report) {
    let engines = Engines::new(Mode::Eager);
    for shape in hostile::SHAPES {
        if !opts.selected(&format!("hostile_{}", shape.name)) {
            continue;
        }
        for size in hostile::Size::BOTH {
            let built = shape.build(size, opts.quick);
            let what = format!("hostile {} ({})", shape.name, size.label());
            log(opts, format!("{what}: {}, {} body bytes", built.counts, built.body_bytes));
            // A first, untimed compile on each engine: whether it loads, Mica's code size,
            // and how long a pair takes.
            let probe = Instant::now();
            let mica = Mica::compile(&engines.mica, &built.wasm);
            let mica_instrs = mica
                .as_ref()
                .ok()
                .and_then(|m| m.disassemble(0))
                .and_then(Result::ok)
                .map(|listing| listing.lines().count());
            let mica = mica.map(drop);
            let wasmi = Wasmi::compile(&engines.wasmi, &built.wasm).map(drop);
            let pair = probe.elapsed().as_secs_f64().max(1e-6);
            let mut refused = Pair::default();
            let mut usable =
                |r: Result<(), String>, engine: &str, refusal: &mut Option<String>| match r {
                    Ok(()) => true,
                    Err(e) if engine == "wasmi" || is_budget_refusal(&e) => {
                        *refusal = Some(e);
                        false
                    }
                    Err(e) => {
                        report.failures.push(format!("{what} [{engine}]: {e}"));
                        false
                    }
                };
            let ok = Pair {
                mica: usable(mica, "mica", &mut refused.mica),
                wasmi: usable(wasmi, "wasmi", &mut refused.wasmi),
            };
            // As many samples as fit in about half a second, 5 to 30 (3 for a pair of half a
            // second or more).
            let runs = match opts.quick {
                true => 1,
                false => ((0.5 / pair) as usize).clamp(if pair >= 0.5 { 3 } else { 5 }, 30),
            };
            let skipped = || Err(String::new());
            let r = interleave(
                runs,
                0,
                &mut || {
                    if ok.mica {
                        compile_once::<Mica>(&engines.mica, &built.wasm)
                    } else {
                        skipped()
                    }
                },
                &mut || {
                    if ok.wasmi {
                        compile_once::<Wasmi>(&engines.wasmi, &built.wasm)
                    } else {
                        skipped()
                    }
                },
            );
            let compile = Pair {
                mica: if ok.mica { to_samples(keep(report, &what, "mica", r.mica)) } else { None },
                wasmi: if ok.wasmi {
                    to_samples(keep(report, &what, "wasmi", r.wasmi))
                } else {
                    None
                },
            };
            report.hostile.push(HostileRow {
                shape: *shape,
                size,
                counts: built.counts,
                body_bytes: built.body_bytes,
                compile,
                refused,
                mica_instrs,
                mica_heap: if ok.mica { heap_of::<Mica>(&engines.mica, &built.wasm) } else { None },
            });
        }
    }
}

/// The big program's cache: `target/bench-cache` of the workspace.
pub(crate) fn big_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-cache")
}

fn run_big(opts: &Options, report: &mut Report) {
    let cache = big_cache();
    if opts.quick {
        report.skipped.push(format!(
            "the big program (a full run measures it, fetching it into {} once)",
            cache.display()
        ));
        return;
    }
    log(opts, format!("big program: {}", crate::big::PROGRAM.name));
    let path = match crate::big::locate(&cache) {
        Ok(path) => path,
        Err(e) => {
            report.skipped.push(format!("the big program: {e}"));
            return;
        }
    };
    report.big = crate::big::measure(&path, 5, &mut report.failures, &mut |m| log(opts, m));
}

#[cfg(test)]
mod tests;
