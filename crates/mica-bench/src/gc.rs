//! The GC phase: two WasmGC programs of ours, on Mica and on wasmtime, the only peer here
//! that runs WasmGC (wasmi implements no GC). wasmtime runs through its Python embedding
//! (PyPI `wasmtime`, which bundles wasmtime's C library; `pip install wasmtime`), in a child
//! `python3` that times each call to `run` with `time.perf_counter` around it, as this
//! process times Mica's: both exclude compilation and instantiation. Where `python3` cannot
//! `import wasmtime`, Mica runs alone and the report says why.
//!
//! - `gc_binary_trees`: the binary-trees benchmark on structs (about 3.2 million nodes
//!   allocated at depth 14, most of them short-lived, a long-lived tree throughout);
//! - `gc_string_builder`: a string builder on `array i8` (doubling with `array.copy`), the
//!   decimal digits of 100 numbers per string, then a hash over its bytes.
//!
//! For Mica the report also gives the allocations, their rate, the collections and the heap's
//! peak (`Store::gc_stats`).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

pub struct GcProgram {
    pub name: &'static str,
    pub what: &'static str,
    wat: &'static str,
    n: i32,
    quick_n: i32,
    expected: fn(i32) -> i64,
}

pub const PROGRAMS: [GcProgram; 2] = [
    GcProgram {
        name: "gc_binary_trees",
        what: "binary trees of structs, depth 4..n",
        wat: include_str!("../wat/gc_binary_trees.wat"),
        n: 14,
        quick_n: 6,
        expected: binary_trees,
    },
    GcProgram {
        name: "gc_string_builder",
        what: "a string builder on array i8, n strings",
        wat: include_str!("../wat/gc_string_builder.wat"),
        n: 3000,
        quick_n: 10,
        expected: string_builder,
    },
];

/// The node counts `gc_binary_trees` sums.
fn binary_trees(max: i32) -> i64 {
    let nodes = |d: i32| (1i64 << (d + 1)) - 1;
    let mut sum = nodes(max + 1) + nodes(max);
    let mut d = 4;
    while d <= max {
        sum += (1i64 << (max - d + 4)) * nodes(d);
        d += 2;
    }
    sum
}

/// The hashes `gc_string_builder` sums.
fn string_builder(n: i32) -> i64 {
    let mut sum = 0u64;
    for i in 0..n as u32 {
        let mut h = 0u64;
        for j in 0..100u32 {
            for b in format!("{},", i.wrapping_mul(j)).bytes() {
                h = h.wrapping_mul(31).wrapping_add(u64::from(b));
            }
        }
        sum = sum.wrapping_add(h);
    }
    sum as i64
}

#[derive(Debug, Clone)]
pub struct GcRow {
    pub name: &'static str,
    pub what: &'static str,
    pub n: i32,
    /// Seconds per run.
    pub mica: Vec<f64>,
    /// What one run allocated and collected on Mica.
    pub stats: mica::GcStats,
    /// Seconds per run on wasmtime, or why it did not run.
    pub wasmtime: Result<Vec<f64>, String>,
}

/// The wasmtime side: `python3 -c WASMTIME N RUNS` with the module's text on stdin; prints
/// each run's result and seconds.
const WASMTIME: &str = r#"
import sys, time, wasmtime
n, runs = int(sys.argv[1]), int(sys.argv[2])
config = wasmtime.Config()
config.wasm_gc = True
config.wasm_function_references = True
engine = wasmtime.Engine(config)
module = wasmtime.Module(engine, sys.stdin.read())
for _ in range(runs):
    store = wasmtime.Store(engine)
    run = wasmtime.Instance(store, module, []).exports(store)["run"]
    start = time.perf_counter()
    result = run(store, n)
    print(result, time.perf_counter() - start)
"#;

/// The wasmtime version `python3` has, or why there is none.
pub fn wasmtime_version() -> Result<String, String> {
    let out = Command::new("python3")
        .args(["-c", "import importlib.metadata as m; print(m.version('wasmtime'))"])
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err("python3 cannot import wasmtime (pip install wasmtime)".into())
    }
}

fn run_wasmtime(p: &GcProgram, n: i32, runs: usize, expected: i64) -> Result<Vec<f64>, String> {
    let mut child = Command::new("python3")
        .args(["-c", WASMTIME, &n.to_string(), &runs.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    child.stdin.take().ok_or("no stdin")?.write_all(p.wat.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("wasmtime failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let mut times = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let (result, secs) = line.split_once(' ').ok_or_else(|| format!("unexpected output {line:?}"))?;
        if result.parse::<i64>() != Ok(expected) {
            return Err(format!("{}: wasmtime returned {result}, expected {expected}", p.name));
        }
        times.push(secs.parse::<f64>().map_err(|e| e.to_string())?);
    }
    Ok(times)
}

/// One run on Mica in a fresh store: seconds and the heap's statistics.
fn run_mica(engine: &mica::Engine, module: &mica::Module, n: i32, expected: i64) -> Result<(f64, mica::GcStats), String> {
    let mut store = mica::Store::new(engine, ());
    let instance = mica::Linker::new(engine).instantiate(&mut store, module).map_err(|e| e.to_string())?;
    let run = instance.get_typed_func::<i32, i64>(&store, "run").map_err(|e| e.to_string())?;
    let start = Instant::now();
    let result = run.call(&mut store, n).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    if result != expected {
        return Err(format!("Mica returned {result}, expected {expected}"));
    }
    Ok((secs, store.gc_stats()))
}

/// Runs each program `samples` times on each engine (after one untimed run each, unless
/// `quick`); failures go to `failures`.
pub fn measure(quick: bool, samples: usize, filter: &dyn Fn(&str) -> bool, failures: &mut Vec<String>) -> Vec<GcRow> {
    let mut config = mica::Config::new();
    config.translation(mica::TranslationMode::Eager);
    let engine = mica::Engine::new(&config);
    let version = wasmtime_version();
    let mut rows = Vec::new();
    for p in PROGRAMS.iter().filter(|p| filter(p.name)) {
        let n = if quick { p.quick_n } else { p.n };
        let expected = (p.expected)(n);
        let module = match wat::parse_str(p.wat).map_err(|e| e.to_string()).and_then(|b| mica::Module::new(&engine, b).map_err(|e| e.to_string())) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{}: {e}", p.name));
                continue;
            }
        };
        let runs = if quick { 1 } else { samples + 1 };
        let mut mica_times = Vec::new();
        let mut stats = mica::GcStats::default();
        for _ in 0..runs {
            match run_mica(&engine, &module, n, expected) {
                Ok((secs, s)) => {
                    mica_times.push(secs);
                    stats = s;
                }
                Err(e) => {
                    failures.push(format!("{}: {e}", p.name));
                    break;
                }
            }
        }
        if !quick && !mica_times.is_empty() {
            mica_times.remove(0);
        }
        let wasmtime = match &version {
            Ok(_) => run_wasmtime(p, n, runs, expected).map(|mut t| {
                if !quick && !t.is_empty() {
                    t.remove(0);
                }
                t
            }),
            Err(e) => Err(e.clone()),
        };
        if let Err(e) = &wasmtime
            && e.contains("returned")
        {
            failures.push(e.clone());
        }
        rows.push(GcRow { name: p.name, what: p.what, n, mica: mica_times, stats, wasmtime });
    }
    rows
}

#[cfg(test)]
mod tests {
    #[test]
    fn references_match_the_programs_on_mica() {
        for p in &super::PROGRAMS {
            let engine = mica::Engine::default();
            let module = mica::Module::new(&engine, wat::parse_str(p.wat).unwrap()).unwrap();
            let expected = (p.expected)(p.quick_n);
            super::run_mica(&engine, &module, p.quick_n, expected).unwrap();
        }
    }
}
