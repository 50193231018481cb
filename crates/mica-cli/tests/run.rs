//! `mica run` end to end: exit statuses, trap reports, load and link errors, `--invoke`,
//! `--dir`, `--env`, arguments passed verbatim, engine limits, unknown imports, the help
//! texts, and a C program whose wasm build must print exactly what its native build prints.

mod common;

use common::{fixture, mica, run, temp_file};
use std::path::Path;
use std::process::Command;

const HELLO: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $exit (i32.const 7))))"#;

#[test]
fn proc_exit_sets_the_status_and_output_arrives() {
    let file = temp_file("hello", "hello.wat", HELLO.as_bytes());
    let out = run(&["run", &file]);
    assert_eq!((out.status, out.stdout.as_str(), out.stderr.as_str()), (Some(7), "hello", ""));
}

#[test]
fn proc_exit_in_the_start_function() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (func $init (call $exit (i32.const 9)))
      (start $init)
      (func (export "_start") unreachable))"#;
    let file = temp_file("start-exit", "start.wat", wat.as_bytes());
    assert_eq!(run(&["run", &file]).status, Some(9));
}

#[test]
fn c_programs_exit_statuses() {
    let exe = fixture("exit_code.wasm");
    let exe = exe.to_str().unwrap();
    assert_eq!(run(&["run", exe, "0"]).status, Some(0));
    assert_eq!(run(&["run", exe, "5"]).status, Some(5));
    let out = run(&["run", exe, "77", "deep"]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(77), "leaving with 77"));
}

#[test]
fn a_trap_reports_its_reason_and_backtrace() {
    let out = run(&["run", fixture("trap.wasm").to_str().unwrap()]);
    assert_eq!(out.status, Some(134));
    assert_eq!(out.stdout, "before the trap\n");
    let mut lines = out.stderr.lines();
    assert_eq!(lines.next(), Some("error: wasm trap: integer divide by zero"));
    assert_eq!(lines.next(), Some("wasm backtrace:"));
    assert!(out.stderr.contains("<main>"), "{}", out.stderr);
}

#[test]
fn load_and_link_errors_exit_with_1() {
    let garbage = temp_file("errors", "garbage.wasm", b"\0asm\x01\0\0\0\x01\xff");
    let out = run(&["run", &garbage]);
    assert_eq!(out.status, Some(1));
    assert!(
        out.stderr.starts_with(&format!("error: {garbage}: malformed module")),
        "{}",
        out.stderr
    );

    let invalid = temp_file("errors", "invalid.wat", b"(module (func (result i32) (i64.const 1)))");
    let out = run(&["run", &invalid]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.starts_with(&format!("error: {invalid}:1:")), "{}", out.stderr);
    assert!(out.stderr.contains("invalid module"), "{}", out.stderr);

    let unknown = temp_file("errors", "unknown.wat", br#"(module (import "env" "nope" (func)))"#);
    let out = run(&["run", &unknown]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("env::nope"), "{}", out.stderr);

    let out = run(&["run", "/nonexistent/module.wasm"]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.starts_with("error: cannot read"), "{}", out.stderr);

    let text = temp_file("errors", "bad.wat", b"(module (func $f (call $g)))");
    assert_eq!(run(&["run", &text]).status, Some(1));
}

#[test]
fn unknown_imports_can_be_allowed() {
    let wat = r#"(module
      (import "env" "missing" (func $missing (param i32) (result i32)))
      (func (export "safe") (result i32) (i32.const 1))
      (func (export "unsafe") (result i32) (call $missing (i32.const 0))))"#;
    let file = temp_file("unknown-imports", "m.wat", wat.as_bytes());
    let out = run(&["run", "--allow-unknown-imports", "--invoke", "safe", &file]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "1\n"));
    let out = run(&["run", "--allow-unknown-imports", "--invoke", "unsafe", &file]);
    assert_eq!(out.status, Some(134));
    assert!(out.stderr.contains("env::missing"), "{}", out.stderr);
}

#[test]
fn invoke_parses_arguments_and_prints_results() {
    let wat = r#"(module
      (global $ready (mut i32) (i32.const 0))
      (func (export "_initialize") (global.set $ready (i32.const 40)))
      (func (export "ready") (param i32) (result i32) (i32.add (global.get $ready) (local.get 0)))
      (func (export "ints") (param i32 i64) (result i32 i64) (local.get 0) (local.get 1))
      (func (export "floats") (param f32 f64) (result f32 f64) (local.get 0) (local.get 1))
      (func (export "specials") (result f32 f64 f64 f32)
        (f32.const -0) (f64.const nan) (f64.const -inf) (f32.const 0x1p-149)))"#;
    let file = temp_file("invoke", "m.wat", wat.as_bytes());
    let invoke = |args: &[&str]| {
        let mut all = vec!["run", "--invoke"];
        all.extend_from_slice(args);
        let out = run(&all);
        assert_eq!(out.status, Some(0), "{}", out.stderr);
        out.stdout
    };
    assert_eq!(invoke(&["ready", &file, "2"]), "42\n");
    assert_eq!(
        invoke(&["ints", &file, "-5", "-9223372036854775808"]),
        "-5\n-9223372036854775808\n"
    );
    assert_eq!(invoke(&["ints", &file, "4294967295", "1"]), "-1\n1\n");
    assert_eq!(invoke(&["floats", &file, "0.1", "0.1"]), "0.1\n0.1\n");
    assert_eq!(invoke(&["floats", &file, "-0", "1e300"]), "-0\n1e300\n");
    assert_eq!(invoke(&["specials", &file]), "-0\nnan\n-inf\n1e-45\n");
    let out = run(&["run", "--invoke", "ints", &file, "x", "1"]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("`x`"), "{}", out.stderr);
}

#[test]
fn invoke_passes_and_prints_v128() {
    let wat = r#"(module
      (func (export "f") (param v128) (result v128)
        (i32x4.add (local.get 0) (v128.const i32x4 0x10 0x20 0x30 -1)))
      (func (export "mixed") (param i32 v128 i64) (result v128 i32 i64)
        (i64x2.replace_lane 0 (local.get 1) (local.get 2))
        (local.get 0)
        (i64x2.extract_lane 0 (local.get 1)))
      (func (export "splat") (param i32) (result v128) (i32x4.splat (local.get 0))))"#;
    let file = temp_file("invoke-v128", "m.wat", wat.as_bytes());
    let invoke = |args: &[&str]| {
        let mut all = vec!["run", "--invoke"];
        all.extend_from_slice(args);
        let out = run(&all);
        assert_eq!((out.status, out.stderr.as_str()), (Some(0), ""), "{args:?}");
        out.stdout
    };
    assert_eq!(
        invoke(&["f", &file, "i32x4 1 2 3 4"]),
        "i32x4 0x00000011 0x00000022 0x00000033 0x00000003\n"
    );
    // The other shapes, and the vector as one 128-bit integer (lane 0 lowest).
    for (arg, printed) in [
        ("i32x4 -1 0xffffffff 0 4294967295", "0x0000000f 0x0000001f 0x00000030 0xfffffffe"),
        ("i64x2 -1 0x100000000", "0x0000000f 0x0000001f 0x00000030 0x00000000"),
        ("i16x8 1 2 3 4 5 6 7 -1", "0x00020011 0x00040023 0x00060035 0xffff0006"),
        ("i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", "0x04030211 0x08070625 0x0c0b0a39 0x100f0e0c"),
        ("f32x4 1 -0 inf nan", "0x3f800010 0x80000020 0x7f800030 0x7fbfffff"),
        ("f64x2 -2 0.5", "0x00000010 0xc0000020 0x00000030 0x3fdfffff"),
        ("0x00000004000000030000000200000001", "0x00000011 0x00000022 0x00000033 0x00000003"),
        ("0", "0x00000010 0x00000020 0x00000030 0xffffffff"),
        ("-1", "0x0000000f 0x0000001f 0x0000002f 0xfffffffe"),
        ("  i32x4   1 2\t3 4 ", "0x00000011 0x00000022 0x00000033 0x00000003"),
    ] {
        assert_eq!(invoke(&["f", &file, arg]), format!("i32x4 {printed}\n"), "{arg:?}");
    }
    // A vector between scalars, in and out.
    assert_eq!(
        invoke(&["mixed", &file, "-7", "i32x4 1 2 3 4", "-1"]),
        "i32x4 0xffffffff 0xffffffff 0x00000003 0x00000004\n-7\n8589934593\n"
    );
    // What is printed reads back.
    let printed = invoke(&["splat", &file, "-2"]);
    assert_eq!(printed, "i32x4 0xfffffffe 0xfffffffe 0xfffffffe 0xfffffffe\n");
    assert_eq!(
        invoke(&["f", &file, printed.trim_end()]),
        "i32x4 0x0000000e 0x0000001e 0x0000002e 0xfffffffd\n"
    );

    // Malformed vectors: a clear error naming the argument and the type, exit status 1.
    for bad in [
        "",
        "i32x4",
        "i32x4 1 2 3",
        "i32x4 1 2 3 4 5",
        "i32x4 1 2 3 x",
        "i32x4 1 2 3 0x100000000",
        "i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        "i16x8 1 2 3 4 5 6 7 -32769",
        "f32x4 1 2 3 nan:0x0",
        "i33x4 1 2 3 4",
        "1 2 3 4",
        "0x100000000000000000000000000000000",
        "1.5",
        "v128",
    ] {
        let out = run(&["run", "--invoke", "f", &file, bad]);
        assert_eq!(out.status, Some(1), "{bad:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{bad:?}");
        assert!(
            out.stderr.contains(&format!("`{bad}` is not a valid v128")),
            "{bad:?}: {}",
            out.stderr
        );
    }
    // A vector where a scalar goes, and a scalar argument too many.
    let out = run(&["run", "--invoke", "splat", &file, "i32x4 1 2 3 4"]);
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("`i32x4 1 2 3 4` is not a valid i32"), "{}", out.stderr);
    let out = run(&["run", "--invoke", "f", &file, "i32x4", "1", "2", "3", "4"]);
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("5 given"), "{}", out.stderr);
}

#[test]
fn guest_arguments_are_verbatim_and_environment_is_only_what_is_given() {
    let out = run(&[
        "run",
        "--env",
        "A=1",
        "--env",
        "EMPTY=",
        "--env",
        "EQ=a=b",
        fixture("args_env.wasm").to_str().unwrap(),
        "--dir",
        "x",
        "--env=Y",
        "-h",
        "",
    ]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "argc=6\nargv[1]=[--dir]\nargv[2]=[x]\nargv[3]=[--env=Y]\nargv[4]=[-h]\nargv[5]=[]\n\
         env [A=1]\nenv [EMPTY=]\nenv [EQ=a=b]\nHOME=(unset)\n"
    );
    let out = run(&["run", "--", fixture("args_env.wasm").to_str().unwrap(), "--", "--version"]);
    assert_eq!(out.stdout, "argc=3\nargv[1]=[--]\nargv[2]=[--version]\nHOME=(unset)\n");
}

#[test]
fn engine_limits_from_the_command_line() {
    let wat = r#"(module
      (memory 1)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func $down (export "down") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))"#;
    let file = temp_file("limits", "m.wat", wat.as_bytes());
    assert_eq!(run(&["run", "--invoke", "grow", &file, "3"]).stdout, "1\n");
    assert_eq!(
        run(&["run", "--max-memory", "128K", "--invoke", "grow", &file, "3"]).stdout,
        "-1\n"
    );
    assert_eq!(run(&["run", "--max-memory", "256K", "--invoke", "grow", &file, "3"]).stdout, "1\n");
    assert_eq!(run(&["run", "--invoke", "down", &file, "5000"]).stdout, "5000\n");
    for limit in [["--max-call-depth", "100"], ["--stack-size", "4K"]] {
        let out = run(&["run", limit[0], limit[1], "--invoke", "down", &file, "5000"]);
        assert_eq!(out.status, Some(134), "{limit:?}");
        assert!(out.stderr.starts_with("error: wasm trap: call stack exhausted"), "{}", out.stderr);
    }
    assert_eq!(run(&["run", "--max-memory", "lots", &file]).status, Some(2));
}

#[test]
fn the_gc_heap_limit_from_the_command_line() {
    // A list that stays reachable: 100,000 nodes of about 70 bytes each.
    let wat = r#"(module
      (type $node (struct (field (ref null $node)) (field i64)))
      (func (export "list") (param $n i32) (result i32) (local $l (ref null $node))
        (loop $g
          (local.set $l (struct.new $node (local.get $l) (i64.const 0)))
          (br_if $g (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (ref.is_null (local.get $l))))"#;
    let file = temp_file("gc_limit", "m.wat", wat.as_bytes());
    assert_eq!(run(&["run", "--invoke", "list", &file, "100000"]).stdout, "0\n");
    let out = run(&["run", "--max-gc-heap", "1M", "--invoke", "list", &file, "100000"]);
    assert_eq!(out.status, Some(134), "{}", out.stderr);
    assert!(out.stderr.starts_with("error: wasm trap: out of memory"), "{}", out.stderr);
    assert_eq!(run(&["run", "--max-gc-heap", "16M", "--invoke", "list", &file, "100000"]).stdout, "0\n");
}

/// A counting loop and an endless one.
const SPIN: &str = r#"(module
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (block $out (loop $top
      (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $top)))
    (local.get $i))
  (func (export "spin") (loop $l (br $l))))"#;

#[test]
fn fuel_from_the_command_line() {
    let file = temp_file("fuel", "m.wat", SPIN.as_bytes());
    // `count(10)` takes 9 per iteration, 4 for the last test and 1 for the result: 95.
    let out = run(&["run", "--fuel", "1000", "--print-fuel", "--invoke", "count", &file, "10"]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "10\n"), "{}", out.stderr);
    assert_eq!(out.stderr, "fuel: 95 consumed, 905 left\n");
    // One short: the last segment (the `local.get` after the loop) cannot be paid for.
    let out = run(&["run", "--fuel", "94", "--print-fuel", "--invoke", "count", &file, "10"]);
    assert_eq!(out.status, Some(134), "{}", out.stderr);
    assert!(out.stderr.starts_with("error: wasm trap: all fuel consumed\n"), "{}", out.stderr);
    assert!(out.stderr.ends_with("fuel: 94 consumed, 0 left\n"), "{}", out.stderr);
    // An endless loop ends when the fuel does.
    let out = run(&["run", "--fuel", "1000000", "--invoke", "spin", &file]);
    assert_eq!(out.status, Some(134), "{}", out.stderr);
    let out = run(&["run", "--print-fuel", "--invoke", "spin", &file]);
    assert_eq!(out.status, Some(2), "--print-fuel needs --fuel: {}", out.stderr);
}

#[test]
fn timeout_from_the_command_line() {
    let file = temp_file("timeout", "m.wat", SPIN.as_bytes());
    let out = run(&["run", "--timeout", "200ms", "--invoke", "spin", &file]);
    assert_eq!(out.status, Some(124), "{}", out.stderr);
    assert!(out.stderr.starts_with("error: the guest ran longer than --timeout 200ms and was stopped\n"), "{}", out.stderr);
    assert!(out.stderr.contains("func[1]"), "the backtrace says where: {}", out.stderr);
    // A guest that ends in time is not affected.
    let out = run(&["run", "--timeout", "1m", "--invoke", "count", &file, "1000"]);
    assert_eq!((out.status, out.stdout.as_str()), (Some(0), "1000\n"), "{}", out.stderr);
    let out = run(&["run", "--timeout", "0s", "--invoke", "count", &file, "1"]);
    assert_eq!(out.status, Some(2), "{}", out.stderr);
}

#[test]
fn help_and_version() {
    let out = run(&["--help"]);
    assert_eq!(out.status, Some(0));
    assert!(out.stdout.contains("run") && out.stdout.contains("wast"), "{}", out.stdout);
    let out = run(&["run", "--help"]);
    assert_eq!(out.status, Some(0));
    for option in
        ["--invoke", "--dir", "--env", "--stack-size", "--max-memory", "--allow-unknown-imports"]
    {
        assert!(out.stdout.contains(option), "{option}: {}", out.stdout);
    }
    assert!(out.stdout.contains("Usage: mica run [OPTIONS] FILE [ARGS]..."), "{}", out.stdout);
    assert_eq!(run(&["wast", "--help"]).status, Some(0));
    let out = run(&["--version"]);
    assert_eq!(out.stdout, format!("mica {}\n", env!("CARGO_PKG_VERSION")));
    assert_eq!(run(&[]).status, Some(2));
    assert_eq!(run(&["run"]).status, Some(2));
}

/// The acceptance check: an unmodified C program (list a directory, copy a file, print
/// floating-point results) prints the same bytes under `mica run` as built natively.
#[test]
fn c_program_matches_its_native_build() {
    let source = fixture("listcopy.c");
    let base = std::env::temp_dir().join(format!("mica-cli-native-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (native_dir, wasm_dir) = (base.join("native"), base.join("wasm"));
    for dir in [&native_dir, &wasm_dir] {
        std::fs::create_dir_all(dir.join("subdir")).unwrap();
        let input: String = (0..4000).map(|i| format!("line {i}: {}\n", i * 7919 % 1000)).collect();
        std::fs::write(dir.join("input.txt"), input).unwrap();
        std::fs::write(dir.join("notes.md"), "# notes\n").unwrap();
    }
    let native = base.join("listcopy-native");
    let compiled =
        Command::new("cc").args(["-O2", "-o"]).arg(&native).arg(&source).arg("-lm").status();
    if !matches!(compiled, Ok(s) if s.success()) {
        eprintln!("SKIPPED: no native C compiler (cc) to build {}", source.display());
        return;
    }
    let expected = Command::new(&native).arg(&native_dir).output().unwrap();
    assert!(expected.status.success());
    let dir_arg = format!("{}::/data", wasm_dir.display());
    let out = run(&["run", "--dir", &dir_arg, fixture("listcopy.wasm").to_str().unwrap(), "/data"]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, String::from_utf8(expected.stdout).unwrap());
    assert!(out.stdout.contains("identical: yes"));
    assert_eq!(
        std::fs::read(wasm_dir.join("copy.txt")).unwrap(),
        std::fs::read(wasm_dir.join("input.txt")).unwrap()
    );
    let _ = std::fs::remove_dir_all(&base);
}

/// The bundled example, run exactly as the README's first command runs it.
#[test]
fn bundled_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = mica()
        .current_dir(&root)
        .args(["run", "--dir", "examples::/examples", "--env", "GREETING=Hello"])
        .args(["examples/hello.wasm", "/examples", "Mica"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with(
        "Hello, Mica!\narguments: [/examples] [Mica]\nenvironment: GREETING=Hello\n/examples holds"
    ));
    assert!(stdout.contains("  hello.c\n  hello.wasm\n"), "{stdout}");
}

#[test]
fn table_and_instance_limits_from_the_command_line() {
    let wat = r#"(module
      (table 2 funcref)
      (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"#;
    let file = temp_file("table-limits", "t.wat", wat.as_bytes());
    // Under the default limit (10,000,000 elements) a hostile growth fails, and quickly.
    let started = std::time::Instant::now();
    assert_eq!(run(&["run", "--invoke", "grow", &file, "900000000"]).stdout, "-1\n");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(run(&["run", "--invoke", "grow", &file, "8"]).stdout, "2\n");
    let limited = |n: &str, delta: &str| {
        run(&["run", "--max-table-elements", n, "--invoke", "grow", &file, delta])
    };
    assert_eq!(limited("10", "8").stdout, "2\n");
    assert_eq!(limited("10", "9").stdout, "-1\n");
    // A table that starts past the limit does not instantiate; 0 is honoured, not raised.
    for n in ["1", "0"] {
        let out = limited(n, "0");
        assert_eq!(out.status, Some(1), "{n}: {}", out.stderr);
        assert!(out.stderr.contains(&format!("over the limit of {n} elements")), "{}", out.stderr);
    }
    // Values that are not an element count are refused before the module is even read.
    for bad in ["-1", "lots", "4294967296", ""] {
        let out = run(&["run", "--max-table-elements", bad, "/nonexistent/m.wasm"]);
        assert_eq!(out.status, Some(2), "{bad}: {}", out.stderr);
        assert!(out.stderr.contains("--max-table-elements"), "{}", out.stderr);
    }
    // The instance limit counts the module itself.
    let out = run(&["run", "--max-instances", "0", "--invoke", "grow", &file, "0"]);
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("limit of 0 instances"), "{}", out.stderr);
    assert_eq!(run(&["run", "--max-instances", "1", "--invoke", "grow", &file, "0"]).stdout, "2\n");
    let out = run(&["run", "--help"]);
    for option in ["--max-table-elements", "--max-instances"] {
        assert!(out.stdout.contains(option), "{option}: {}", out.stdout);
    }
}

#[test]
fn every_memory_kind_from_the_command_line() {
    // Memory 1 of two, a 64-bit memory, and one-byte pages: `--invoke` takes and prints
    // their values, and `--max-memory` bounds each of them (and their sum).
    let wat = r#"(module
      (memory $a 1)
      (memory $b 1)
      (memory $c i64 1)
      (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
      (func (export "grow_c") (param i64) (result i64) (memory.grow $c (local.get 0)))
      (func (export "poke_c") (param i64 i64) (result i64)
        (i64.store $c (local.get 0) (local.get 1))
        (i64.load $c (local.get 0))))"#;
    let file = temp_file("memories", "m.wat", wat.as_bytes());
    assert_eq!(run(&["run", "--invoke", "grow_b", &file, "2"]).stdout, "1\n");
    assert_eq!(run(&["run", "--invoke", "grow_c", &file, "2"]).stdout, "1\n");
    assert_eq!(run(&["run", "--invoke", "poke_c", &file, "65528", "-5"]).stdout, "-5\n");
    let out = run(&["run", "--invoke", "poke_c", &file, "65529", "1"]);
    assert_eq!(out.status, Some(134));
    assert!(out.stderr.starts_with("error: wasm trap: out of bounds memory access"), "{}", out.stderr);
    // 256 KiB in all: the three pages the module starts with, and one more.
    for name in ["grow_b", "grow_c"] {
        let args = ["run", "--max-memory", "256K", "--invoke", name, &file];
        assert_eq!(run(&[&args[..], &["2"]].concat()).stdout, "-1\n", "{name}");
        assert_eq!(run(&[&args[..], &["1"]].concat()).stdout, "1\n", "{name}");
    }
    let pages = r#"(module (memory 3 (pagesize 1))
      (func (export "size") (result i32) (memory.size)))"#;
    let file = temp_file("memories", "p.wat", pages.as_bytes());
    let features = ["--features", "3.0,custom-page-sizes"];
    assert_eq!(run(&[&["run"][..], &features, &["--invoke", "size", &file]].concat()).stdout, "3\n");
}

#[test]
fn wasi_says_it_needs_a_32_bit_memory() {
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") i64 1)
      (func (export "_start")
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;
    let file = temp_file("wasi64", "m.wat", wat.as_bytes());
    // The first WASI call fails with a host error, which ends the run as a trap does.
    let out = run(&["run", &file]);
    assert_eq!(out.status, Some(134), "{}", out.stderr);
    assert!(out.stderr.contains("WASI preview1 works on a 32-bit memory exported as `memory`"), "{}", out.stderr);
    assert!(out.stderr.contains("64-bit memory (memory64)"), "{}", out.stderr);
}
