//! Messages a user can act on: they name the file, the line and the function, the proposal a
//! module needs, every import that is missing; `wast` shows values as wasm text.

mod common;

use common::{run, temp_file};

#[test]
fn text_errors_name_the_file() {
    let file = temp_file("syntax", "syn.wat", b"(module\n  (func\n    (i32.const 1)\n    foo))\n");
    let out = run(&["run", &file]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains(&format!("{file}:4:5")), "{}", out.stderr);
    assert!(!out.stderr.contains("<anon>"), "{}", out.stderr);
    let unresolved = temp_file("syntax", "unresolved.wat", b"(module (func $f (call $g)))");
    let out = run(&["validate", &unresolved]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains(&format!("{unresolved}:1:24")), "{}", out.stderr);
}

#[test]
fn validation_errors_name_the_function_and_the_instruction() {
    let wat = "(module\n  (func $ok)\n  (func $sum (result i32)\n    i32.const 1\n    i64.const 2\n    i32.add))\n";
    let file = temp_file("invalid", "sum.wat", wat.as_bytes());
    let out = run(&["validate", &file]);
    assert_eq!(out.status, Some(1));
    assert!(
        out.stderr.starts_with(&format!(
            "error: {file}:6:5: invalid module: type mismatch: expected i32, found i64 (in func[1] <sum>, at offset 0x"
        )),
        "{}",
        out.stderr
    );
    // In a binary: the function and the offset.
    let binary = wat::parse_str(wat).unwrap();
    let file = temp_file("invalid", "sum.wasm", &binary);
    let out = run(&["run", &file]);
    assert_eq!(out.status, Some(1));
    assert!(
        out.stderr.starts_with(&format!("error: {file}: invalid module: type mismatch: expected i32, found i64 (in func[1] <sum>, at offset 0x")),
        "{}",
        out.stderr
    );
}

#[test]
fn unsupported_proposals_are_named() {
    let wide = temp_file("proposals", "wide.wat", b"(module\n  (func (result i64)\n    (i64.add128 (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0))\n    (drop)))\n");
    // Mica has wide arithmetic (a proposal, off in 3.0): named when the feature set lacks it.
    let out = run(&["run", "--features", "3.0", &wide]);
    assert_eq!(out.status, Some(1));
    assert_eq!(
        out.stderr,
        format!(
            "error: {wide}:3:6: func[0] uses the `wide-arithmetic` proposal (wide arithmetic), which --features 3.0 does not enable\n"
        )
    );
    assert_eq!(run(&["validate", "--features", "3.0,wide-arithmetic", &wide]).status, Some(0));
    let threads = temp_file("proposals", "threads.wat", b"(module (memory 1 1 shared))");
    let out = run(&["validate", &threads]);
    assert_eq!(out.status, Some(1));
    assert!(
        out.stderr.contains("the `threads` proposal")
            && out.stderr.contains("does not support yet"),
        "{}",
        out.stderr
    );
    // A proposal Mica has, left out by --features.
    let tail = temp_file("proposals", "tail.wat", b"(module (func $f (return_call $f)))");
    let out = run(&["validate", "--features", "2.0", &tail]);
    assert_eq!(
        out.stderr,
        format!(
            "error: {tail}:1:19: func[0] <f> uses the `tail-call` proposal (tail calls), which --features 2.0 does not enable\n"
        )
    );
}

/// Telling which proposals a module uses validates it once per proposal, with `wasmparser`'s
/// validator for the ones Mica lacks. A `br_table` over labels of 1000 values makes that
/// validation cost entries × values, so it runs under the bound Mica's loading applies: past
/// it, the proposals are not searched (a 600 KB module of this shape kept `mica inspect`, and
/// `mica run` of it with a shared memory, busy for 43 seconds before the bound).
#[test]
fn proposals_of_modules_past_the_validation_bound_are_not_searched() {
    let targets: String = (0..20_000).map(|i| if i % 2 == 0 { "0 " } else { "1 " }).collect();
    let wat = |memory: &str| {
        format!(
            "(module {memory} (type $t (func (result {}))) (func (param i32) (block (type $t) (block (type $t) \
             {} local.get 0 br_table {targets} 0)) {}))",
            "i32 ".repeat(1000),
            "local.get 0 ".repeat(1000),
            "drop ".repeat(1000),
        )
    };
    let wide = temp_file("bound", "wide.wat", wat("").as_bytes());
    // `inspect` shows what it read, and fails because Mica cannot load the module.
    let out = run(&["inspect", &wide]);
    assert_eq!(out.status, Some(1), "{}", out.stderr);
    assert!(
        out.stdout.contains("features: unknown, unsupported: function 0: br_table")
            && out.stdout.contains("label types per byte"),
        "{}",
        out.stdout
    );
    let out = run(&["run", &wide]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("label types per byte"), "{}", out.stderr);
    // Refused for a proposal: the message cannot name it, but comes at once.
    let shared = temp_file("bound", "shared.wat", wat("(memory 1 1 shared)").as_bytes());
    let out = run(&["run", &shared]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("threads must be enabled for shared memories"), "{}", out.stderr);
}

#[test]
fn link_errors_list_every_missing_import() {
    let wat = r#"(module
      (import "env" "a" (func))
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "env" "b" (func (param i32)))
      (import "env" "mem" (memory 1))
      (import "env" "evil\n" (global i32))
      (func (export "_start")))"#;
    let file = temp_file("link", "imports.wat", wat.as_bytes());
    let out = run(&["run", &file]);
    assert_eq!(out.status, Some(1));
    assert_eq!(
        out.stderr,
        "error: link error: 4 imports of the module are not defined: `env::a` (function), `env::b` \
         (function), `env::mem` (memory), `env::evil\\u{a}` (global)\n(--allow-unknown-imports \
         defines unknown function imports as functions that trap when called)\n"
    );
    // Functions can be allowed; other kinds still cannot.
    let out = run(&["run", "--allow-unknown-imports", &file]);
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.contains("2 imports of the module are not defined: `env::mem` (memory), `env::evil\\u{a}` (global)\n"), "{}", out.stderr);
}

#[test]
fn wast_failures_show_wasm_text() {
    let script = temp_file(
        "wast-text",
        "values.wast",
        br#"(module
      (func (export "one") (result i32) (i32.const 1))
      (func (export "half") (result f32) (f32.const 0.5))
      (func (export "nan") (result f64) (f64.const nan:0x4))
      (func (export "null") (result funcref) (ref.null func)))
    (assert_return (invoke "one") (i32.const 2))
    (assert_return (invoke "half") (f32.const nan:canonical))
    (assert_return (invoke "nan") (f64.const nan:arithmetic))
    (assert_return (invoke "null") (ref.func 0))
    (assert_trap (invoke "one") "unreachable")"#,
    );
    let out = run(&["wast", &script]);
    assert_eq!(out.status, Some(1));
    for expected in [
        ":6: expected (i32.const 2), got (i32.const 1)\n",
        ":7: expected (f32.const nan:canonical), got (f32.const 0.5)\n",
        ":8: expected (f64.const nan:arithmetic), got (f64.const nan:0x4)\n",
        ":9: expected (ref.func 0), got (ref.null func)\n",
        ":10: expected trap `unreachable`, got (i32.const 1)\n",
    ] {
        assert!(out.stdout.contains(expected), "{expected:?} in\n{}", out.stdout);
    }
    let unresolved =
        temp_file("wast-text", "unresolved.wast", b"(module)\n(module\n  (func (call $nope)))\n");
    let out = run(&["wast", &unresolved]);
    let expected = format!(
        "{unresolved}:2: module failed to load: text does not parse: {unresolved}:3:15: unknown func"
    );
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
    let broken =
        temp_file("wast-text", "broken.wast", b"(module)\n(assert_return (invoke \"f\")\n");
    let out = run(&["wast", &broken]);
    assert!(out.stdout.contains(&format!("--> {broken}:3:1")), "{}", out.stdout);
}
