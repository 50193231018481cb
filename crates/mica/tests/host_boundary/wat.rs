//! The WAT text of each combination: a provider module `b` and the calling module `a`.
//!
//! Both share `b`'s memory, whose first word counts the entries of a journal that follows it
//! (every target appends to it, wasm through `$note`, hosts through their `Caller`).

use super::axes::{Behavior, CALL_DEPTH, Combo, Form, Position, TAIL_DEPTH, TRAP_ARG, Target};

/// Where `b`'s memory holds the last `b` argument a `Nothing` target received.
pub const LAST_B_ADDR: u32 = 0x800;
/// Where the start function stores the results of its call.
pub const START_RESULTS_ADDR: u32 = 0x900;
/// Where the start function reads its arguments.
pub const START_ARGS_ADDR: u32 = 0xa00;
/// Where a `Memories` target writes `b` in the second memory (`mem1`).
pub const MEM1_ADDR: u32 = 0x100;
/// Where a `Memories` target writes `a` (as an `i64`) in the 64-bit memory (`mem64`): its
/// last eight bytes.
pub const MEM64_ADDR: u64 = 0xfff8;

/// The tag `Throws` targets throw: the embedder's, imported and exported again by both
/// modules (so that a host target finds it among its caller's exports).
const EXN: &str = "  (import \"env\" \"exn\" (tag $exn (param i32))) (export \"exn\" (tag $exn))\n";

/// Both modules' memories past memory 0, defined by `b` and imported by `a`.
const SECOND_MEMORIES: &str = "(memory $m1 1) (memory $m64 i64 1)";

const NOTE: &str = r#"
  (func $note (param $v i32) (local $n i32)
    (local.set $n (i32.load (i32.const 0)))
    (i32.store (i32.add (i32.const 4) (i32.shl (local.get $n) (i32.const 2))) (local.get $v))
    (i32.store (i32.const 0) (i32.add (local.get $n) (i32.const 1))))"#;

/// Re-entered by host functions: tail-calls another host function.
const REENTER: &str = r#"
  (func $reenter (export "reenter") (param i32) (result i32)
    (return_call $host2 (i32.add (local.get 0) (i32.const 1))))"#;

/// The body of a wasm target of `behavior` that adds `k` (params: 0 = a, 1 = b; for
/// `Vector`, 0 = a, 1 = the vector, 2 = the i64: see `axes::vector_results`).
fn wasm_target_body(behavior: Behavior, k: i32) -> String {
    let note = format!("(call $note (i32.add (local.get 0) (i32.const {k})))");
    let one = format!(
        "(i32.add (i32.add (i32.mul (local.get 0) (i32.const 7)) (local.get 1)) (i32.const {k}))"
    );
    let rest = match behavior {
        Behavior::One => one,
        Behavior::Several => format!(
            "(i32.add (local.get 0) (i32.const {k}))
             (i64.or (i64.shl (i64.extend_i32_u (local.get 1)) (i64.const 32)) (i64.extend_i32_u (local.get 0)))
             (f64.add (f64.mul (f64.convert_i32_s (local.get 0)) (f64.const 0.5)) (f64.const {k}))"
        ),
        Behavior::Nothing => format!("(i32.store (i32.const {LAST_B_ADDR}) (local.get 1))"),
        Behavior::Traps => format!("(if (i32.eq (local.get 0) (i32.const {TRAP_ARG})) (then (unreachable))) {one}"),
        Behavior::Throws => format!(
            "(if (i32.eq (local.get 0) (i32.const {TRAP_ARG}))
               (then (throw $exn (i32.add (local.get 0) (i32.const {k})))))
             {one}"
        ),
        Behavior::CallsBack => {
            format!("(i32.add (i32.add (call $bounce (local.get 0)) (local.get 1)) (i32.const {k}))")
        }
        Behavior::Memories => format!(
            "(i32.store $m1 (i32.const {MEM1_ADDR}) (local.get 1))
             (i64.store $m64 (i64.const {MEM64_ADDR}) (i64.extend_i32_s (local.get 0)))
             (i32.add (i32.add (i32.mul (i32.load $m1 (i32.const {MEM1_ADDR})) (i32.const 7))
                               (i32.wrap_i64 (i64.load $m64 (i64.const {MEM64_ADDR}))))
                      (i32.const {k}))"
        ),
        Behavior::Vector => format!(
            "(i64x2.add
               (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get 1) (local.get 1))
               (i64x2.replace_lane 1 (i64x2.splat (local.get 2)) (i64.const {k})))
             (i32.add (i32.add (i32.mul (local.get 0) (i32.const 7))
                               (i32.wrap_i64 (i64.shr_u (local.get 2) (i64.const 32))))
                      (i32.const {k}))"
        ),
    };
    format!("{note}\n    {rest}")
}

fn sig_type(behavior: Behavior) -> String {
    format!(
        "(type $sig (func {} {}))",
        behavior.params_text(),
        behavior.results_text()
    )
}

/// The provider instance `b`: the memory, a wasm target, and (for `HostViaTable`) a table
/// whose element 0 is its import of the host target.
pub fn provider(combo: &Combo) -> String {
    let behavior = combo.behavior;
    let via_table = combo.target == Target::HostViaTable;
    let mut w = String::from("(module $b\n");
    w += &format!("  {}\n", sig_type(behavior));
    if via_table {
        w += "  (import \"host\" \"table_target\" (func $table_target (type $sig)))\n";
    }
    w += "  (import \"host\" \"host2\" (func $host2 (param i32) (result i32)))\n";
    w += "  (import \"env\" \"bounce\" (func $bounce (param i32) (result i32)))\n";
    w += EXN;
    w += "  (memory (export \"memory\") 1)\n";
    w += &format!("  {}\n", SECOND_MEMORIES.replace("$m1", "$m1 (export \"mem1\")").replace("$m64", "$m64 (export \"mem64\")"));
    w += "  (table (export \"table\") 1 funcref)\n";
    if via_table {
        w += "  (elem (i32.const 0) func $table_target)\n";
    }
    w += NOTE;
    w += REENTER;
    w += &format!(
        "\n  (func $target (export \"target\") (type $sig)\n    {})\n",
        wasm_target_body(behavior, Target::ImportedWasm.k())
    );
    w += ")\n";
    w
}

/// The arguments of the call under test, made from `$a` and `$b` (for `Vector`, as
/// `axes::vector_args` makes them).
fn target_args(behavior: Behavior) -> &'static str {
    match behavior {
        Behavior::Vector => {
            "(local.get $a)
      (i32x4.replace_lane 3
        (i32x4.replace_lane 2
          (i32x4.replace_lane 1 (i32x4.splat (local.get $a)) (local.get $b))
          (i32.xor (local.get $a) (i32.const -1)))
        (i32.xor (local.get $b) (i32.const 0x5a5a5a5a)))
      (i64.xor
        (i64.or (i64.shl (i64.extend_i32_u (local.get $b)) (i64.const 32))
                (i64.extend_i32_u (local.get $a)))
        (i64.const 0x0123456789abcdef))"
        }
        _ => "(local.get $a) (local.get $b)",
    }
}

/// The call under test, with arguments made from `$a` and `$b`.
fn invoke(combo: &Combo) -> String {
    let args = target_args(combo.behavior);
    let table = if combo.target == Target::HostViaTable {
        "$btab"
    } else {
        "$tab"
    };
    match combo.form {
        Form::Call => format!("(call $target {args})"),
        Form::ReturnCall => format!("(return_call $target {args})"),
        Form::CallIndirect => format!("(call_indirect {table} (type $sig) {args} (i32.const 0))"),
        Form::ReturnCallIndirect => {
            format!("(return_call_indirect {table} (type $sig) {args} (i32.const 0))")
        }
        Form::CallRef => format!("(call_ref $sig {args} (ref.func $target))"),
        Form::ReturnCallRef => format!("(return_call_ref $sig {args} (ref.func $target))"),
    }
}

/// The call under test as the way out of the performing function.
fn exit(combo: &Combo) -> String {
    if combo.form.is_tail() {
        invoke(combo)
    } else {
        format!("(return {})", invoke(combo))
    }
}

const GUARD_SET: &str = "(local.set $guard (i64.add (i64.mul (i64.extend_i32_u (local.get $a)) (i64.const 1000003)) (i64.extend_i32_u (local.get $b))))";
const GUARD_CHECK: &str = "(call $check (local.get $a) (local.get $b) (local.get $guard))";

/// Checks that a frame's parameters and its guard local survived the calls it made.
const CHECK: &str = r#"
  (func $check (param $a i32) (param $b i32) (param $guard i64)
    (if (i64.ne (local.get $guard)
                (i64.add (i64.mul (i64.extend_i32_u (local.get $a)) (i64.const 1000003)) (i64.extend_i32_u (local.get $b))))
      (then (unreachable))))"#;

/// An exported `run(a, b)` that calls `callee` (whose leading arguments are `lead`) with an
/// ordinary call and checks its own frame afterwards.
fn run_calling(results: &str, callee: &str, lead: &str) -> String {
    format!(
        r#"
  (func $run (export "run") (param $a i32) (param $b i32) {results} (local $guard i64)
    {GUARD_SET}
    (call ${callee} {lead} (local.get $a) (local.get $b))
    {GUARD_CHECK})"#
    )
}

fn mid(results: &str, exit: &str) -> String {
    format!("\n  (func $mid (param $a i32) (param $b i32) {results}\n    {exit})")
}

/// Stores the results of a call (on the stack) at [`START_RESULTS_ADDR`].
fn store_results(behavior: Behavior) -> String {
    let at = |offset: u32| START_RESULTS_ADDR + offset;
    match behavior {
        Behavior::Nothing => String::new(),
        Behavior::Vector => format!(
            "(local.set $r0) (local.set $rv)
    (v128.store (i32.const {}) (local.get $rv))
    (i32.store (i32.const {}) (local.get $r0))",
            at(0),
            at(16)
        ),
        Behavior::Several => format!(
            "(local.set $r2) (local.set $r1) (local.set $r0)
    (i32.store (i32.const {}) (local.get $r0))
    (i64.store (i32.const {}) (local.get $r1))
    (f64.store (i32.const {}) (local.get $r2))",
            at(0),
            at(8),
            at(16)
        ),
        _ => format!(
            "(local.set $r0) (i32.store (i32.const {}) (local.get $r0))",
            at(0)
        ),
    }
}

/// The functions that put the call under test in its position.
fn position_funcs(combo: &Combo) -> String {
    let results = combo.behavior.results_text();
    let exit = exit(combo);
    match combo.position {
        Position::Entry => {
            format!(
                "\n  (func $run (export \"run\") (param $a i32) (param $b i32) {results}\n    {exit})"
            )
        }
        Position::Top => run_calling(results, "mid", "") + &mid(results, &exit),
        Position::CallChain => {
            run_calling(results, "chain", &format!("(i32.const {CALL_DEPTH})"))
                + &format!(
                    r#"
  (func $chain (param $n i32) (param $a i32) (param $b i32) {results} (local $guard i64)
    (if (i32.eqz (local.get $n)) (then {exit}))
    {GUARD_SET}
    (call $chain (i32.sub (local.get $n) (i32.const 1)) (local.get $a) (local.get $b))
    {GUARD_CHECK})"#
                )
        }
        Position::TailChain => {
            run_calling(results, "tchain", &format!("(i32.const {TAIL_DEPTH})"))
                + &format!(
                    r#"
  (func $tchain (param $n i32) (param $a i32) (param $b i32) {results}
    (if (i32.eqz (local.get $n)) (then {exit}))
    (return_call $tchain_big (i32.sub (local.get $n) (i32.const 1)) (local.get $a) (local.get $b)))
  (func $tchain_big (param $n i32) (param $a i32) (param $b i32) {results}
    (local i64 f64 i32 i64 f64 i32 i64 f64)
    (local.set 3 (i64.const -1)) (local.set 4 (f64.const -1)) (local.set 5 (i32.const -1))
    (local.set 8 (i32.const -1)) (local.set 9 (i64.const -1)) (local.set 10 (f64.const -1))
    (return_call $tchain (i32.sub (local.get $n) (i32.const 1)) (local.get $a) (local.get $b)))"#
                )
        }
        Position::AfterTailReturn => {
            run_calling(results, "mid2", "")
                + &format!(
                    r#"
  (func $mid2 (param $a i32) (param $b i32) {results} (local $guard i64)
    {GUARD_SET}
    (if (i32.ne (call $tc_small (local.get $a))
                (i32.add (i32.mul (local.get $a) (i32.const 3)) (i32.const 1)))
      (then (unreachable)))
    {GUARD_CHECK}
    {exit})
  (func $tc_small (param i32) (result i32)
    (return_call $tc_big (local.get 0) (i64.const -1) (f64.const 2.5)))
  (func $tc_big (param i32 i64 f64) (result i32) (local i64 i64 i64 f64 f64 i32 i32 i32)
    (local.set 3 (i64.const -1)) (local.set 6 (f64.const -2)) (local.set 10 (i32.const -1))
    (return_call $scale (local.get 0)))"#
                )
        }
        Position::Start => {
            let body = if combo.behavior == Behavior::Nothing {
                exit.clone()
            } else {
                format!(
                    "(call $mid (local.get $a) (local.get $b))\n    {}",
                    store_results(combo.behavior)
                )
            };
            let vector_local = if combo.behavior == Behavior::Vector {
                "(local $rv v128)"
            } else {
                ""
            };
            // The start function, and `run` (as in `Top`) for the calls after it.
            format!(
                r#"
  (func $start (local $a i32) (local $b i32) (local $r0 i32) (local $r1 i64) (local $r2 f64) {vector_local}
    (local.set $a (i32.load (i32.const {START_ARGS_ADDR})))
    (local.set $b (i32.load (i32.const {})))
    {body})
  (start $start)"#,
                START_ARGS_ADDR + 4
            ) + &run_calling(results, "mid", "")
                + &mid(results, &exit)
        }
    }
}

/// The calling instance `a`.
pub fn caller(combo: &Combo) -> String {
    let target = combo.target;
    let mut w = String::from("(module $a\n");
    w += &format!("  {}\n", sig_type(combo.behavior));
    w += "  (import \"b\" \"memory\" (memory 1))\n";
    w += "  (import \"b\" \"mem1\" (memory $m1 1))\n";
    w += "  (import \"b\" \"mem64\" (memory $m64 i64 1))\n";
    w += "  (import \"host\" \"host2\" (func $host2 (param i32) (result i32)))\n";
    w += "  (import \"host\" \"scale\" (func $scale (param i32) (result i32)))\n";
    w += "  (import \"env\" \"bounce\" (func $bounce (param i32) (result i32)))\n";
    w += EXN;
    match target {
        Target::LocalWasm => {}
        Target::ImportedWasm => w += "  (import \"b\" \"target\" (func $target (type $sig)))\n",
        Target::HostWrap => w += "  (import \"host\" \"target_wrap\" (func $target (type $sig)))\n",
        Target::HostUntyped => {
            w += "  (import \"host\" \"target_untyped\" (func $target (type $sig)))\n"
        }
        Target::HostViaTable => {
            w += "  (import \"b\" \"via_table\" (func $target (type $sig)))\n";
            w += "  (import \"b\" \"table\" (table $btab 1 funcref))\n";
        }
    }
    w += "  (table $tab 1 funcref)\n";
    w += "  (elem (table $tab) (i32.const 0) func $target)\n";
    w += "  (export \"memory\" (memory 0))\n";
    w += "  (export \"mem1\" (memory $m1)) (export \"mem64\" (memory $m64))\n";
    w += NOTE;
    w += CHECK;
    w += REENTER;
    if target == Target::LocalWasm {
        w += &format!(
            "\n  (func $target (type $sig)\n    {})",
            wasm_target_body(combo.behavior, Target::LocalWasm.k())
        );
    }
    w += &position_funcs(combo);
    w += "\n)\n";
    w
}
