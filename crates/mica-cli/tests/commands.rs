//! The command line a wasmtime or iwasm user expects: `mica FILE ARGS`, `-` for stdin,
//! `validate`, `inspect`, and `run`'s `--env NAME`, `--argv0`, `--features`, `--lazy`,
//! `--preload`; option values checked before the module is compiled; `wast --features` as a
//! set.

mod common;

use common::{Run, fixture, mica, run, run_with_stdin, temp_file};
use std::process::Stdio;

const FIB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/fib.wat");

/// Prints the guest's whole argument buffer: each argument and a NUL.
const PRINT_ARGS: &str = r#"(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (drop (call $get (i32.const 64) (i32.const 1024)))
    (i32.store (i32.const 8) (i32.const 1024))
    (i32.store (i32.const 12) (i32.load (i32.const 4)))
    (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))))"#;

#[test]
fn a_file_first_means_run() {
    let out = run(&[FIB]);
    assert_eq!(out.status, Some(1)); // fib.wat is no command: it has no `_start`
    assert!(out.stderr.contains("no `_start`"), "{}", out.stderr);
    let out = run(&["--invoke", "fib", FIB, "20"]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "6765\n"));
    let exe = fixture("exit_code.wasm");
    assert_eq!(run(&[exe.to_str().unwrap(), "5"]).status, Some(5));
    // Subcommands and help stay what they are.
    assert_eq!(run(&["--version"]).stdout, format!("mica {}\n", env!("CARGO_PKG_VERSION")));
    assert!(run(&["--help"]).stdout.contains("inspect"));
}

#[test]
fn a_dash_reads_the_module_from_stdin() {
    let wat = std::fs::read(FIB).unwrap();
    let out = run_with_stdin(&["run", "--invoke", "fib", "-", "10"], &wat);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "55\n"), "{}", out.stderr);
    let binary = std::fs::read(fixture("exit_code.wasm")).unwrap();
    assert_eq!(run_with_stdin(&["-", "3"], &binary).status, Some(3));
    let out = run_with_stdin(&["validate", "-"], b"(module (func (result i32) (i64.const 0)))");
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.starts_with("error: <stdin>:1:"), "{}", out.stderr);
}

#[test]
fn validate_says_whether_a_module_is_valid() {
    let out = run(&["validate", FIB]);
    assert_eq!((out.status, out.stdout.trim_end()), (Some(0), format!("{FIB}: valid").as_str()));
    let bad = temp_file("validate", "bad.wat", b"(module (func (result i32) (i64.const 0)))");
    let out = run(&["validate", &bad]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(1), ""));
    assert!(out.stderr.contains("type mismatch"), "{}", out.stderr);
    // One invalid module among valid ones fails the whole command.
    assert_eq!(run(&["validate", FIB, &bad, FIB]).status, Some(1));
    let multi = temp_file(
        "validate",
        "multi.wat",
        b"(module (func (result i32 i32) (i32.const 0) (i32.const 1)))",
    );
    assert_eq!(run(&["validate", &multi]).status, Some(0));
    let out = run(&["validate", "--features", "1.0", &multi]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("`multi-value` proposal"), "{}", out.stderr);
}

#[test]
fn inspect_shows_what_a_module_holds() {
    let wat = r#"(module
      (import "env" "log" (func $log (param i32)))
      (import "env" "mem" (memory 1 2))
      (table 3 10 funcref)
      (global (export "g") (mut i32) (i32.const 0))
      (func (export "run") (result i32 i32) (i32.const 1) (i32.const 2))
      (func $tail (return_call $tail)))"#;
    let file = temp_file("inspect", "m.wat", wat.as_bytes());
    let out = run(&["inspect", &file]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    for expected in [
        "imports: 2",
        "  env::log: function (func (param i32))",
        "  env::mem: memory, min 1 pages, max 2",
        "exports: 2",
        "  g: global, mutable i32",
        "  run: function (func (result i32 i32))",
        "functions: 3 (1 imported, 2 defined); code: ",
        "  memory[0]: min 1 page (64 KiB), max 2 pages (128 KiB), imported from env::mem",
        "  table[0]: funcref, min 3, max 10",
        "features:\n  mutable-global",
        "  multi-value (multiple results and block parameters)",
        "  tail-call (tail calls)",
    ] {
        assert!(out.stdout.contains(expected), "{expected:?} in\n{}", out.stdout);
    }
    let simd = temp_file("inspect", "simd.wat", b"(module (func (param v128)))");
    let out = run(&["inspect", &simd]);
    assert_eq!(out.status, Some(0));
    assert!(out.stdout.contains("  simd (128-bit SIMD)\n"), "{}", out.stdout);
    let exceptions = temp_file("inspect", "exceptions.wat", b"(module (tag (export \"e\") (param i32)))");
    let out = run(&["inspect", &exceptions]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("  e: tag (func (param i32))"), "{}", out.stdout);
    assert!(out.stdout.contains("  exception-handling (exception handling)"), "{}", out.stdout);
    let gc = temp_file("inspect", "gc.wat", b"(module (type (struct (field i32))))");
    let out = run(&["inspect", &gc]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("  gc (garbage collection)\n"), "{}", out.stdout);
}

#[test]
fn env_without_a_value_inherits_the_hosts() {
    let exe = fixture("args_env.wasm");
    let out = Run::from(
        mica()
            .args(["run", "--env", "HOME", "--env", "MICA_TEST_UNSET_VARIABLE", "--env", "A=1"])
            .arg(&exe)
            .env("HOME", "/home/guest")
            .env_remove("MICA_TEST_UNSET_VARIABLE")
            .stdin(Stdio::null())
            .output()
            .unwrap(),
    );
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "argc=1\nenv [HOME=/home/guest]\nenv [A=1]\nHOME=/home/guest\n");
}

#[test]
fn argv0_names_the_program() {
    let file = temp_file("argv0", "args.wat", PRINT_ARGS.as_bytes());
    let out = run(&["run", &file, "a"]);
    assert_eq!(out.stdout, format!("{file}\0a\0"));
    let out = run(&["run", "--argv0", "prog", &file, "a", "b"]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "prog\0a\0b\0"));
}

#[test]
fn run_takes_features_and_a_translation_mode() {
    let multi = temp_file(
        "run-features",
        "multi.wat",
        br#"(module (func (export "f") (result i32 i32) (i32.const 4) (i32.const 2)))"#,
    );
    let out = run(&["run", "--features", "1.0", "--invoke", "f", &multi]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("`multi-value` proposal"), "{}", out.stderr);
    let out = run(&["run", "--features", "multi-value,1.0", "--invoke", "f", &multi]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "4\n2\n"));
    for mode in ["--lazy", "--eager"] {
        let out = run(&["run", mode, "--invoke", "fib_tail", FIB, "90"]);
        assert_eq!((out.status, out.stdout.as_str()), (Some(0), "2880067194370816120\n"), "{mode}");
    }
    assert_eq!(run(&["run", "--lazy", "--eager", FIB]).status, Some(2));
    assert_eq!(run(&["run", "--features", "threads", FIB]).status, Some(2));
}

#[test]
fn preload_links_another_modules_exports() {
    let lib = temp_file(
        "preload",
        "lib.wat",
        br#"(module
      (global $calls (mut i32) (i32.const 0))
      (func (export "_initialize") (global.set $calls (i32.const 100)))
      (func (export "double") (param i32) (result i32)
        (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
        (i32.mul (local.get 0) (i32.const 2)))
      (func (export "calls") (result i32) (global.get $calls)))"#,
    );
    let user = temp_file(
        "preload",
        "user.wat",
        br#"(module
      (import "lib" "double" (func $double (param i32) (result i32)))
      (import "lib" "calls" (func $calls (result i32)))
      (func (export "quad") (param i32) (result i32 i32)
        (call $double (call $double (local.get 0))) (call $calls)))"#,
    );
    let preload = format!("lib={lib}");
    let out = run(&["run", "--preload", &preload, "--invoke", "quad", &user, "5"]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "20\n102\n"), "{}", out.stderr);
    let out = run(&["run", "--invoke", "quad", &user, "5"]);
    assert_eq!(out.status, Some(1));
    assert!(
        out.stderr.contains("`lib::double`") && out.stderr.contains("`lib::calls`"),
        "{}",
        out.stderr
    );
    assert_eq!(run(&["run", "--preload", &lib, &user]).status, Some(2));
    assert_eq!(run(&["run", "--preload", &preload, "--preload", &preload, &user]).status, Some(2));
}

#[test]
fn option_values_are_checked_before_the_module() {
    let missing = "/nonexistent/module.wasm";
    for args in [
        &["--env", "A=1", "--env", "A=2"][..],
        &["--env", "=x"],
        &["--env", ""],
        &["--dir", "/tmp::"],
        &["--dir", "::/tmp"],
        &["--max-call-depth", "0"],
        &["--stack-size", "0"],
        &["--stack-size", "511"],
        &["--features", ""],
        &["--features", "2.0,,tail-call"],
        &["--preload", "=x.wasm"],
    ] {
        let mut all = vec!["run"];
        all.extend_from_slice(args);
        all.push(missing);
        let out = run(&all);
        assert_eq!(out.status, Some(2), "{args:?}: {}", out.stderr);
        assert!(!out.stderr.contains("cannot read"), "{args:?}: {}", out.stderr);
    }
    // A directory that does not exist is found before the module is read.
    let out = run(&["run", "--dir", "/nonexistent/dir", missing]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("cannot open directory"), "{}", out.stderr);
    // Limits of 0 are honoured where they mean something: no memory at all.
    let grow = temp_file(
        "zero-limit",
        "m.wat",
        br#"(module (memory 0) (func (export "grow") (result i32) (memory.grow (i32.const 1))))"#,
    );
    let out = run(&["run", "--max-memory", "0", "--invoke", "grow", &grow]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "-1\n"));
    // The smallest value stack is taken as it is: 64 cells, not some larger floor.
    let down = temp_file(
        "zero-limit",
        "down.wat",
        br#"(module
      (func $down (export "down") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))"#,
    );
    let out = run(&["run", "--stack-size", "512", "--invoke", "down", &down, "5"]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "5\n"), "{}", out.stderr);
    let out = run(&["run", "--stack-size", "512", "--invoke", "down", &down, "100"]);
    assert_eq!(out.status, Some(134), "{}", out.stderr);
}

#[test]
fn wast_features_are_a_set() {
    let script = temp_file(
        "wast-set",
        "tail.wast",
        br#"(module
      (func $loop (export "loop") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))
          (else (return_call $loop (i32.sub (local.get 0) (i32.const 1)))))))
    (assert_return (invoke "loop" (i32.const 1000)) (i32.const 7))"#,
    );
    for features in
        ["2.0,tail-call", "tail-call,2.0", " tail-call , 2.0 ", "tail-call,2.0,1.0", "3.0", "all"]
    {
        let out = run(&["wast", "--features", features, &script]);
        assert_eq!(out.status, Some(0), "{features}: {}", out.stdout);
    }
    assert_eq!(run(&["wast", "--features", "2.0", &script]).status, Some(1));
    for bad in ["", ",", "2.0,", "threads", "4.0"] {
        let out = run(&["wast", "--features", bad, &script]);
        assert_eq!(out.status, Some(2), "{bad:?}");
    }
}

/// `mica run` translates lazily by default: a function that is never called is never
/// translated, so a program starts after validation alone. Here the uncalled function is one
/// built to expand past the translator's budget, which eager translation refuses.
#[test]
fn run_translates_lazily_by_default() {
    let results = "i32 ".repeat(200);
    let values = "local.get 0\n".repeat(200);
    let branches = "i32.const 1 br_if 0\n".repeat(20_000);
    let wat = format!(
        "(module (func (export \"_start\"))
           (func (param i32) (result {results}) {values} {branches}))"
    );
    let file = temp_file("lazy-default", "lazy.wat", wat.as_bytes());
    let out = run(&["run", &file]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let out = run(&["run", "--eager", &file]);
    assert_ne!(out.status, Some(0));
    assert!(out.stderr.contains("instructions per byte"), "{}", out.stderr);
}
