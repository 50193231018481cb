//! The big-program phase: how long a very large real program takes to start, and how much
//! memory the process needs for it, on each engine.
//!
//! The program is LLVM 22's multi-tool (clang, lld, ...) built for WASI preview1 by the YoWASP
//! project: 75 MB, 65 MB of code in 133,398 functions. It is downloaded once from the npm
//! registry into `target/bench-cache/` (or taken from `$MICA_BIG_WASM`), never committed.
//! Each sample runs in a fresh child process (`mica-bench --big-child ENGINE MODE FILE`), so
//! the peak resident set (`VmHWM`) is that engine's alone: the child reads the file, compiles,
//! instantiates and runs `clang --version` to its exit, and prints the times and the peak.

use crate::engines::mica::Mica;
use crate::engines::wasmi::Wasmi;
use crate::engines::{Entry, Mode, Runtime};
use crate::stats::Samples;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The program: where it comes from and what it must print.
pub struct Program {
    pub name: &'static str,
    /// The npm package tarball.
    pub url: &'static str,
    /// The module's path inside the tarball.
    pub member: &'static str,
    /// Its exact size in bytes (the download is checked against it).
    pub size: u64,
    pub args: &'static [&'static str],
    /// What the first line of its output starts with.
    pub expect: &'static str,
}

pub const PROGRAM: Program = Program {
    name: "clang 22 (YoWASP llvm.core.wasm)",
    url: "https://registry.npmjs.org/@yowasp/clang/-/clang-22.0.0-git20542-10.tgz",
    member: "package/gen/llvm.core.wasm",
    size: 75_532_134,
    args: &["clang", "--version"],
    expect: "clang version 22",
};

/// One child run.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub compile: Duration,
    pub instantiate: Duration,
    pub run: Duration,
    /// The process's resident set after reading the module file, before the engine starts.
    pub base_kib: u64,
    /// The process's peak resident set at the end.
    pub peak_kib: u64,
}

/// A column of samples.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub compile: Vec<Duration>,
    pub instantiate: Vec<Duration>,
    pub run: Vec<Duration>,
    pub base_kib: Vec<u64>,
    pub peak_kib: Vec<u64>,
}

impl Series {
    fn push(&mut self, s: Sample) {
        self.compile.push(s.compile);
        self.instantiate.push(s.instantiate);
        self.run.push(s.run);
        self.base_kib.push(s.base_kib);
        self.peak_kib.push(s.peak_kib);
    }

    /// Compile + instantiate + run, per sample.
    pub fn total(&self) -> Samples {
        Samples(
            (0..self.compile.len())
                .map(|i| self.compile[i] + self.instantiate[i] + self.run[i])
                .collect(),
        )
    }

    pub fn median_kib(v: &[u64]) -> u64 {
        let mut v = v.to_vec();
        v.sort_unstable();
        v.get(v.len() / 2).copied().unwrap_or(0)
    }
}

/// Where the module is: `$MICA_BIG_WASM`, or the cache, downloading it there if it is missing.
pub fn locate(cache: &Path) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("MICA_BIG_WASM") {
        return Ok(PathBuf::from(path));
    }
    let wasm = cache.join("llvm.core.wasm");
    if std::fs::metadata(&wasm).is_ok_and(|m| m.len() == PROGRAM.size) {
        return Ok(wasm);
    }
    std::fs::create_dir_all(cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    let tarball = cache.join("clang.tgz");
    let status = Command::new("curl")
        .args(["-sSfL", "--retry", "2", "-o"])
        .arg(&tarball)
        .arg(PROGRAM.url)
        .status()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    if !status.success() {
        return Err(format!("downloading {} failed ({status})", PROGRAM.url));
    }
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(cache)
        .arg(PROGRAM.member)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        return Err(format!("unpacking {} failed ({status})", tarball.display()));
    }
    std::fs::rename(cache.join(PROGRAM.member), &wasm).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&tarball);
    let _ = std::fs::remove_dir_all(cache.join("package"));
    match std::fs::metadata(&wasm) {
        Ok(m) if m.len() == PROGRAM.size => Ok(wasm),
        Ok(m) => Err(format!("{}: {} bytes, expected {}", wasm.display(), m.len(), PROGRAM.size)),
        Err(e) => Err(format!("{}: {e}", wasm.display())),
    }
}

/// A field of `/proc/self/status` in KiB (Linux; 0 elsewhere).
fn proc_status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn child_run<R: Runtime>(mode: Mode, path: &Path) -> Result<Sample, String> {
    let wasm = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let base_kib = proc_status_kib("VmRSS");
    let ctx = R::new_ctx(mode);
    let start = Instant::now();
    let module = R::compile(&ctx, &wasm)?;
    let compile = start.elapsed();
    let args: Vec<String> = PROGRAM.args.iter().map(|a| a.to_string()).collect();
    let start = Instant::now();
    let mut inst = R::instantiate(&ctx, &module, &args)?;
    let instantiate = start.elapsed();
    let (outcome, run) = R::run(&mut inst, Entry::Start)?;
    let out = String::from_utf8_lossy(&outcome.stdout);
    if outcome.exit != 0 || !out.starts_with(PROGRAM.expect) {
        return Err(format!(
            "exit {}, stdout {:?}, stderr {:?}",
            outcome.exit,
            out.lines().next().unwrap_or(""),
            String::from_utf8_lossy(&outcome.stderr).lines().next().unwrap_or("")
        ));
    }
    let peak_kib = proc_status_kib("VmHWM");
    Ok(Sample { compile, instantiate, run, base_kib, peak_kib })
}

/// The child's side: `--big-child ENGINE MODE FILE`. Prints one line the parent parses.
pub fn child(args: &[String]) -> Result<String, String> {
    let [engine, mode, path] = args else {
        return Err("--big-child takes ENGINE MODE FILE".to_string());
    };
    let mode = match mode.as_str() {
        "eager" => Mode::Eager,
        "lazy" => Mode::Lazy,
        _ => return Err(format!("unknown mode {mode}")),
    };
    let s = match engine.as_str() {
        "mica" => child_run::<Mica>(mode, Path::new(path))?,
        "wasmi" => child_run::<Wasmi>(mode, Path::new(path))?,
        _ => return Err(format!("unknown engine {engine}")),
    };
    Ok(format!(
        "big {} {} {} {} {}",
        s.compile.as_nanos(),
        s.instantiate.as_nanos(),
        s.run.as_nanos(),
        s.base_kib,
        s.peak_kib
    ))
}

fn parse(line: &str) -> Option<Sample> {
    let mut f = line.strip_prefix("big ")?.split(' ').map(|v| v.parse::<u64>().ok());
    let mut next = || f.next().flatten();
    let ns = |v: u64| Duration::from_nanos(v);
    Some(Sample {
        compile: ns(next()?),
        instantiate: ns(next()?),
        run: ns(next()?),
        base_kib: next()?,
        peak_kib: next()?,
    })
}

/// The parent's side: one child process per sample.
pub fn sample(engine: &str, mode: Mode, path: &Path) -> Result<Sample, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mode = match mode {
        Mode::Eager => "eager",
        Mode::Lazy => "lazy",
    };
    let out = Command::new(exe)
        .args(["--big-child", engine, mode])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot start the child: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    match stdout.lines().find_map(parse) {
        Some(s) if out.status.success() => Ok(s),
        _ => Err(format!(
            "the child failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// Both engines' samples in one mode.
#[derive(Debug, Clone)]
pub struct BigRow {
    pub mode: Mode,
    pub mica: Option<Series>,
    pub wasmi: Option<Series>,
}

/// `runs` samples per engine in each mode, alternating which engine goes first.
pub fn measure(
    path: &Path,
    runs: usize,
    failures: &mut Vec<String>,
    log: &mut dyn FnMut(String),
) -> Vec<BigRow> {
    let mut rows = Vec::new();
    for mode in [Mode::Lazy, Mode::Eager] {
        let mut series = [Some(Series::default()), Some(Series::default())];
        for i in 0..runs {
            for k in 0..2 {
                let which = (i + k) % 2;
                let engine = ["mica", "wasmi"][which];
                let Some(s) = series[which].as_mut() else { continue };
                match sample(engine, mode, path) {
                    Ok(x) => s.push(x),
                    Err(e) => {
                        failures.push(format!("big program {mode:?} [{engine}]: {e}"));
                        series[which] = None;
                    }
                }
            }
            log(format!("big program {mode:?}: sample {}/{runs}", i + 1));
        }
        let [mica, wasmi] = series;
        rows.push(BigRow { mode, mica, wasmi });
    }
    rows
}
