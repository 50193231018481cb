//! Hostile output: stdout a pipe nobody reads or a full disk, stderr unwritable, exit
//! statuses the OS cannot carry, backtraces a million frames deep, floats that are NaNs
//! with payloads or have 300 digits.

mod common;

use common::{Run, mica, run, temp_file};
use std::fs::File;
use std::process::Stdio;

const FIB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/fib.wat");

/// Runs `mica` with its stdout a pipe whose reading end is closed before it starts.
fn run_into_closed_pipe(args: &[&str]) -> Run {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output =
        mica().args(args).stdin(Stdio::null()).stdout(writer).stderr(Stdio::piped()).output();
    Run::from(output.expect("mica runs"))
}

/// `/dev/full`, where every write fails with ENOSPC, or `None` on systems without it.
fn dev_full() -> Option<File> {
    File::options().write(true).open("/dev/full").ok()
}

#[test]
fn invoke_results_into_a_closed_pipe_end_quietly() {
    let out = run_into_closed_pipe(&["run", "--invoke", "fib", FIB, "20"]);
    assert_eq!((out.status, out.stderr.as_str()), (Some(141), ""));
}

#[test]
fn wast_output_into_a_closed_pipe_ends_quietly() {
    let script = temp_file("wast-pipe", "x.wast", b"(module (func (export \"f\") (result i32) (i32.const 1)))\n(assert_return (invoke \"f\") (i32.const 1))\n");
    let out = run_into_closed_pipe(&["wast", &script]);
    assert_eq!((out.status, out.stderr.as_str()), (Some(141), ""));
}

#[test]
fn a_full_disk_is_an_error_with_a_message() {
    let Some(full) = dev_full() else {
        eprintln!("SKIPPED: no /dev/full");
        return;
    };
    let out = Run::from(
        mica().args(["run", "--invoke", "fib", FIB, "20"]).stdout(full).output().unwrap(),
    );
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.starts_with("error: cannot write to stdout: "), "{}", out.stderr);

    let script = temp_file("wast-full", "x.wast", b"(module)\n");
    let out =
        Run::from(mica().args(["wast", &script]).stdout(dev_full().unwrap()).output().unwrap());
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.starts_with("error: cannot write to stdout: "), "{}", out.stderr);

    let out =
        Run::from(mica().args(["validate", FIB]).stdout(dev_full().unwrap()).output().unwrap());
    assert_eq!(out.status, Some(1));
}

#[test]
fn a_trap_exits_134_when_stderr_is_unwritable() {
    let Some(full) = dev_full() else {
        eprintln!("SKIPPED: no /dev/full");
        return;
    };
    let wat = temp_file("trap-full", "t.wat", br#"(module (func (export "f") unreachable))"#);
    let out = mica().args(["run", "--invoke", "f", &wat]).stderr(full).output().unwrap();
    assert_eq!(out.status.code(), Some(134));
    // An error that is no trap keeps its status too.
    let out =
        mica().args(["run", "/nonexistent.wasm"]).stderr(dev_full().unwrap()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_guest_writing_to_a_closed_pipe_gets_epipe() {
    // Writes to stdout, then exits with fd_write's errno (64 is WASI's EPIPE).
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "hello\n")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 6))
        (call $exit (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;
    let file = temp_file("guest-pipe", "w.wat", wat.as_bytes());
    let out = run_into_closed_pipe(&["run", &file]);
    assert_eq!((out.status, out.stderr.as_str()), (Some(64), ""));
}

fn exit_with(code: i32) -> Run {
    let wat = format!(
        r#"(module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (func (export "_start") (call $exit (i32.const {code}))))"#
    );
    let file = temp_file("exit-status", &format!("exit{code}.wat"), wat.as_bytes());
    run(&["run", &file])
}

#[test]
fn exit_statuses_the_os_cannot_carry_are_errors() {
    for code in [0, 1, 125] {
        let out = exit_with(code);
        assert_eq!((out.status, out.stderr.as_str()), (Some(code), ""));
    }
    for code in [126, 134, 255, 256, 512, -1, i32::MIN] {
        let out = exit_with(code);
        assert_eq!(out.status, Some(1), "proc_exit({code})");
        assert!(
            out.stderr.starts_with(&format!(
                "error: the guest exited with status {code}, which is not a valid"
            )),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn a_deep_recursion_prints_a_short_backtrace() {
    let wat = r#"(module
      (func $rec (call $rec))
      (func $main (export "main") (call $rec)))"#;
    let file = temp_file("deep", "deep.wat", wat.as_bytes());
    let out = run(&["run", "--invoke", "main", &file]);
    assert_eq!(out.status, Some(134));
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(lines.len() < 50, "{} lines: {}", lines.len(), out.stderr);
    assert_eq!(lines[0], "error: wasm trap: call stack exhausted");
    assert_eq!(lines[1], "wasm backtrace:");
    // Each frame names its module offset: `0: 0x22 - func[0] <rec>`.
    assert!(lines[2].trim_start().starts_with("0: 0x"), "{}", out.stderr);
    assert!(lines[2].ends_with(" - func[0] <rec>"), "{}", out.stderr);
    assert!(out.stderr.contains("more frames of 0x"), "{}", out.stderr);
    // The outermost frame keeps its true number: the default depth limit is 100,000.
    assert!(
        lines.last().unwrap().trim_start().starts_with("100000: 0x"),
        "{}",
        out.stderr
    );

    let out = run(&["run", "--max-call-depth", "5000", "--invoke", "main", &file]);
    assert_eq!(
        out.stderr,
        "error: wasm trap: call stack exhausted\nwasm backtrace:\n     0: 0x22 - func[0] <rec>\n        \
         ... 499 more frames of 0x22 - func[0] <rec>\n        ... 4,001 frames omitted\n  \
         4501: 0x22 - func[0] <rec>\n        ... 498 more frames of 0x22 - func[0] <rec>\n  \
         5000: 0x27 - func[1] <main>\n"
    );
}

#[test]
fn names_in_backtraces_cannot_forge_lines_or_send_escapes() {
    let wat =
        r#"(module (func $"evil\1b[31m\n    1: func[9] <forged>" (export "main") unreachable))"#;
    let file = temp_file("evil-name", "evil.wat", wat.as_bytes());
    let out = run(&["run", "--invoke", "main", &file]);
    assert_eq!(out.status, Some(134));
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 3, "{:?}", out.stderr);
    assert!(out.stderr.contains(r"<evil\u{1b}[31m\u{a}    1: func[9] <forged>>"), "{}", out.stderr);
}

#[test]
fn floats_print_exactly_and_read_back() {
    let wat = r#"(module
      (func (export "f32") (param f32) (result f32) (local.get 0))
      (func (export "f64") (param f64) (result f64) (local.get 0))
      (func (export "nans") (result f32 f32 f64 f64)
        (f32.const nan:0x200000) (f32.const -nan) (f64.const nan) (f64.const -nan:0x1)))"#;
    let file = temp_file("floats", "f.wat", wat.as_bytes());
    let invoke = |args: &[&str]| {
        let mut all = vec!["run", "--invoke"];
        all.extend_from_slice(args);
        let out = run(&all);
        assert_eq!(out.status, Some(0), "{}", out.stderr);
        out.stdout
    };
    assert_eq!(invoke(&["nans", &file]), "nan:0x200000\n-nan\nnan\n-nan:0x1\n");
    assert_eq!(invoke(&["f64", &file, "1e300"]), "1e300\n");
    assert_eq!(invoke(&["f64", &file, "-1.7976931348623157e308"]), "-1.7976931348623157e308\n");
    assert_eq!(invoke(&["f32", &file, "3.4028235e38"]), "3.4028235e38\n");
    // What is printed is accepted back, bits and all.
    assert_eq!(invoke(&["f32", &file, "-nan:0x1"]), "-nan:0x1\n");
    assert_eq!(invoke(&["f64", &file, "nan:0x4000000000000"]), "nan:0x4000000000000\n");
    assert_eq!(invoke(&["f64", &file, "-inf"]), "-inf\n");
}
