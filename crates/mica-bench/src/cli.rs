//! The CLI phase: the programs of `shared/bench` run as a user runs them, through each
//! engine's command-line runner, process start-up included: `mica run PROGRAM ARGS` against
//! the `wasmi` CLI (`wasmi PROGRAM ARGS`) and WAMR's `iwasm` (its fast interpreter) where
//! they are installed.
//!
//! The in-process phases link wasmi as a library, built with the profile the harness runs
//! under: for timed runs the workspace's `harness` profile, wasmi's recommended settings (fat
//! LTO, one codegen unit). The `wasmi` CLI is wasmi built the way its users get it: `cargo
//! install wasmi_cli` builds it with wasmi's own release profile (the same settings). The
//! runners are found as `$MICA_WASMI_CLI` / `$MICA_IWASM`, else `wasmi` / `iwasm` on the
//! `PATH`; a missing one is skipped with a note. The `mica` binary is the workspace's release
//! build (`target/release/mica`, built first if missing), run from a copy of it, as `cargo
//! install` gives users (and gave the `wasmi` CLI): the file the linker wrote in place was
//! measured to start 5-8 % slower than a copy of itself, with more page faults (BENCHMARKS.md,
//! "Issue 19, ninth session"), which would count against Mica. Each sample is one
//! process, timed from its spawn to its exit; the engines take turns, and each run's checksum
//! (its stdout's `checksum:` line) is checked.

use crate::harness::{Options, Report};
use crate::stats::Samples;
use crate::workloads::{Group, Source, WORKLOADS, Workload, checksum_of};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A command-line runner.
#[derive(Debug, Clone)]
pub struct Runner {
    pub name: &'static str,
    pub path: PathBuf,
    /// The arguments before the program's path (`run` for `mica`).
    pub before: &'static [&'static str],
}

/// One workload's samples, per runner (in the order of [`runners`]); `Err` for a runner that
/// failed it.
#[derive(Debug, Clone)]
pub struct CliRow {
    pub name: &'static str,
    pub group: Group,
    pub samples: Vec<Result<Samples, String>>,
}

/// The runners found: `mica` first, then `wasmi` and `iwasm` where installed; the notes say
/// which are missing.
pub fn runners(mica: PathBuf) -> (Vec<Runner>, Vec<String>) {
    let mut found = vec![Runner { name: "mica", path: mica, before: &["run"] }];
    let mut notes = Vec::new();
    for (name, var, install) in [
        ("wasmi", "MICA_WASMI_CLI", "cargo install wasmi_cli --version 2.0.0"),
        ("iwasm", "MICA_IWASM", "WAMR's product-mini, built with the fast interpreter"),
    ] {
        match std::env::var_os(var).map(PathBuf::from).or_else(|| on_path(name)) {
            Some(path) => found.push(Runner { name, path, before: &[] }),
            None => notes.push(format!("the `{name}` CLI: not installed (${var} or the PATH; {install})")),
        }
    }
    (found, notes)
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// The workloads this phase runs: the prebuilt WASI commands of `shared/bench`, at their
/// full sizes (the `.wat` programs' quick variants are patched text, which only the
/// in-process phases build).
pub fn workloads() -> impl Iterator<Item = &'static Workload> {
    WORKLOADS.iter().filter(|w| {
        matches!(w.source, Source::Shared { .. }) && w.export.is_none() && matches!(w.group, Group::Shared | Group::Simd)
    })
}

/// One run of `w` at its full size by `runner`: its time, after its checksum is checked.
fn sample(runner: &Runner, w: &Workload, bench_dir: &Path) -> Result<std::time::Duration, String> {
    let Source::Shared { file, .. } = w.source else { unreachable!("workloads() keeps shared programs") };
    let size = w.full;
    let mut cmd = Command::new(&runner.path);
    cmd.args(runner.before).arg(bench_dir.join("wasm").join(file));
    cmd.args(size.arg.iter().chain(size.arg2.iter()).map(i64::to_string));
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output().map_err(|e| format!("cannot run {}: {e}", runner.path.display()))?;
    let took = start.elapsed();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("exited with {}: {}", out.status, err.lines().next().unwrap_or("")));
    }
    let got = checksum_of(&out.stdout);
    match size.checksum {
        Some(want) if got != want => Err(format!("checksum {got:?}, expected {want:?}")),
        _ => Ok(took),
    }
}

/// Runs every selected workload `samples` times per runner (after one checked warm-up run
/// each), the runners taking turns.
pub fn measure(
    runners: &[Runner],
    bench_dir: &Path,
    samples: usize,
    selected: &dyn Fn(&str) -> bool,
    failures: &mut Vec<String>,
) -> Vec<CliRow> {
    let mut rows = Vec::new();
    for w in workloads().filter(|w| selected(w.name)) {
        let mut per: Vec<Result<Samples, String>> = vec![Ok(Samples::default()); runners.len()];
        for round in 0..=samples {
            for k in 0..runners.len() {
                let i = (k + round) % runners.len();
                let Ok(times) = &mut per[i] else { continue };
                match sample(&runners[i], w, bench_dir) {
                    // Round 0 is the warm-up.
                    Ok(took) if round > 0 => times.push(took),
                    Ok(_) => {}
                    Err(e) => {
                        failures.push(format!("{} under the {} CLI: {e}", w.name, runners[i].name));
                        per[i] = Err(e);
                    }
                }
            }
        }
        rows.push(CliRow { name: w.name, group: w.group, samples: per });
    }
    rows
}

/// The phase: skipped in a quick run or without `shared/bench`, as are the runners not
/// installed (with a note each).
pub fn run_phase(opts: &Options, shared_present: bool, report: &mut Report) {
    if opts.quick || !shared_present {
        report.skipped.push("the CLI phase (a full run with `shared/bench` measures it)".to_string());
        return;
    }
    let mica = match crate::python::mica_binary().and_then(|built| installed_copy(&built)) {
        Ok(mica) => mica,
        Err(e) => return report.skipped.push(format!("the CLI phase: {e}")),
    };
    let (runners, notes) = runners(mica.clone());
    report.skipped.extend(notes);
    crate::harness::log(opts, format!("command-line runners: {}", runners.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")));
    let rows = measure(
        &runners,
        &opts.bench_dir,
        opts.samples,
        &|name| opts.selected(name),
        &mut report.failures,
    );
    report.cli = (runners, rows);
    if let Some(dir) = mica.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A copy of the `mica` binary at `built`, in a directory of its own under the temporary
/// directory (see the module documentation for why).
fn installed_copy(built: &Path) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("mica-bench-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let copy = dir.join("mica");
    std::fs::copy(built, &copy).map_err(|e| format!("cannot copy {} to {}: {e}", built.display(), copy.display()))?;
    Ok(copy)
}
