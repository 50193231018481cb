//! What the CLI tests share: running the built `mica`, and scratch files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn mica() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mica"))
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../mica-wasi/tests/programs").join(name)
}

pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(output: Output) -> Run {
        let Output { status, stdout, stderr } = output;
        let run = Run {
            status: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        };
        assert!(!run.stderr.contains("panicked"), "mica panicked: {}", run.stderr);
        assert!(run.status.is_some(), "mica died by a signal: {}", run.stderr);
        run
    }
}

/// Runs `mica` with `args` and no stdin.
pub fn run(args: &[&str]) -> Run {
    Run::from(mica().args(args).stdin(Stdio::null()).output().expect("mica runs"))
}

/// Runs `mica` with `args`, `input` on stdin.
pub fn run_with_stdin(args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    let mut child = mica()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mica runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    Run::from(child.wait_with_output().unwrap())
}

/// Writes `text` to a fresh file in a per-test directory and returns its path.
pub fn temp_file(test: &str, name: &str, text: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("mica-cli-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}
