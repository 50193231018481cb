//! Stack limits: deep recursion works, unbounded recursion is a clean `StackOverflow` trap (also
//! through host re-entry), and tail calls run in constant space, also to host functions.

#[macro_use]
mod common;

use common::*;
use mica::{Caller, Extern, Instance, Linker, Store, TranslationMode, TrapCode, TypedFunc, Val};
use std::time::Instant;

both_modes! {
    deep_recursion_with_default_config,
    deep_recursion_with_big_frames,
    unbounded_recursion_is_stack_overflow,
    unbounded_recursion_with_big_frames_is_stack_overflow,
    
    unbounded_recursion_through_host_is_stack_overflow,
    deep_recursion_through_host,
    mutual_tail_calls_ten_million_deep,
    mutual_tail_calls_indirect_ten_million_deep,
    tail_calls_run_in_constant_space,
    
    small_stack_cell_limit_is_honoured,
    return_call_to_host,
    return_call_indirect_to_host,
    return_call_to_host_from_nested_call,
    return_call_to_host_with_more_results_than_params,
    return_call_to_host_that_reenters_wasm,
    return_call_to_host_that_fails,
}

const RECURSION: &str = r#"
    (module
      ;; sum(n) = n + sum(n - 1): a non-tail recursion n deep.
      (func $sum (export "sum") (param i32) (result i64)
        (if (result i64) (i32.eqz (local.get 0))
          (then (i64.const 0))
          (else
            (i64.add
              (i64.extend_i32_u (local.get 0))
              (call $sum (i32.sub (local.get 0) (i32.const 1)))))))

      ;; The same with a bigger frame: more parameters, locals and operands.
      (func $wide (export "wide") (param i32 i64 i64 i64) (result i64)
        (local i64 i64 i64 i64 i64 i64 i64 i64)
        (local.set 4 (i64.extend_i32_u (local.get 0)))
        (if (result i64) (i32.eqz (local.get 0))
          (then (i64.add (local.get 1) (i64.add (local.get 2) (local.get 3))))
          (else
            (i64.add
              (local.get 4)
              (call $wide
                (i32.sub (local.get 0) (i32.const 1))
                (local.get 2) (local.get 3) (local.get 1))))))

      ;; Never returns.
      (func $forever (export "forever") (param i32) (result i32)
        (i32.add (i32.const 1) (call $forever (i32.add (local.get 0) (i32.const 1)))))

      ;; Never returns, and each frame is large.
      (func $forever_big (export "forever_big") (param i64) (result i64)
        (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
               i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        (i64.add (local.get 0) (call $forever_big (i64.add (local.get 0) (i64.const 1))))))
"#;

fn triangle(n: u32) -> i64 {
    n as i64 * (n as i64 + 1) / 2
}

fn recursion(mode: TranslationMode) -> (Store<()>, Instance) {
    instantiate(&engine(mode), RECURSION)
}

// --- recursion depth -----------------------------------------------------------------------

fn deep_recursion_with_default_config(mode: TranslationMode) {
    let (mut store, instance) = recursion(mode);
    let sum = instance.get_typed_func::<i32, i64>(&store, "sum").unwrap();
    assert_eq!(sum.call(&mut store, 20_000).unwrap(), triangle(20_000));
    assert_eq!(sum.call(&mut store, 20_000).unwrap(), triangle(20_000));
}

fn deep_recursion_with_big_frames(mode: TranslationMode) {
    let (mut store, instance) = recursion(mode);
    let wide = instance
        .get_typed_func::<(i32, i64, i64, i64), i64>(&store, "wide")
        .unwrap();
    assert_eq!(
        wide.call(&mut store, (20_000, 1, 2, 3)).unwrap(),
        triangle(20_000) + 6
    );
}

fn unbounded_recursion_is_stack_overflow(mode: TranslationMode) {
    let (mut store, instance) = recursion(mode);
    let forever = instance
        .get_typed_func::<i32, i32>(&store, "forever")
        .unwrap();
    let error = expect_trap(forever.call(&mut store, 0), TrapCode::StackOverflow);
    assert!(
        error.to_string().contains("call stack exhausted"),
        "{error}"
    );
    // The trap saw every frame, and recorded a bounded number of them.
    let trap = error.as_trap().unwrap();
    let frames = trap.backtrace();
    assert_eq!(frames.len(), mica::Trap::MAX_BACKTRACE);
    assert!(
        frames.len() + trap.omitted_frames() > 20_000,
        "backtrace has {} frames and {} omitted",
        frames.len(),
        trap.omitted_frames()
    );
    assert!(
        frames
            .iter()
            .all(|f| f.func_name.as_deref() == Some("forever"))
    );

    // The store is usable afterwards, to full depth, and overflows again the same way.
    let sum = instance.get_typed_func::<i32, i64>(&store, "sum").unwrap();
    assert_eq!(sum.call(&mut store, 20_000).unwrap(), triangle(20_000));
    expect_trap(forever.call(&mut store, 0), TrapCode::StackOverflow);
    assert_eq!(sum.call(&mut store, 20_000).unwrap(), triangle(20_000));
}

fn unbounded_recursion_with_big_frames_is_stack_overflow(mode: TranslationMode) {
    let (mut store, instance) = recursion(mode);
    let forever_big = instance
        .get_typed_func::<i64, i64>(&store, "forever_big")
        .unwrap();
    expect_trap(forever_big.call(&mut store, 0), TrapCode::StackOverflow);
    let sum = instance.get_typed_func::<i32, i64>(&store, "sum").unwrap();
    assert_eq!(sum.call(&mut store, 20_000).unwrap(), triangle(20_000));
}

// --- recursion through the host ------------------------------------------------------------

/// `f(n)` calls the host's `reenter(n + 1)`, which calls the export `f` again: each level nests
/// a host call and a fresh wasm activation. `f` stops at `limit`.
const THROUGH_HOST: &str = r#"
    (module
      (import "host" "reenter" (func $reenter (param i32) (result i32)))
      (global $limit (export "limit") (mut i32) (i32.const -1))
      (func (export "f") (param i32) (result i32)
        (if (result i32) (i32.eq (local.get 0) (global.get $limit))
          (then (local.get 0))
          (else (call $reenter (i32.add (local.get 0) (i32.const 1)))))))
"#;

fn through_host(mode: TranslationMode) -> (Store<()>, Instance, TypedFunc<i32, i32>) {
    let define = |linker: &mut Linker<()>| {
        linker
            .func_wrap(
                "host",
                "reenter",
                |mut caller: Caller<'_, ()>, n: i32| -> mica::Result<i32> {
                    let f = caller.get_export("f").and_then(Extern::into_func).unwrap();
                    f.typed::<i32, i32>(&caller)?.call(&mut caller, n)
                },
            )
            .unwrap();
    };
    let (store, instance) = instantiate_with(&engine(mode), (), THROUGH_HOST, define);
    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
    (store, instance, f)
}

fn unbounded_recursion_through_host_is_stack_overflow(mode: TranslationMode) {
    let (mut store, instance, f) = through_host(mode);
    expect_trap(f.call(&mut store, 0), TrapCode::StackOverflow);
    // Afterwards, a bounded re-entry works on the same store.
    let limit = instance.get_global(&store, "limit").unwrap();
    limit.set(&mut store, Val::I32(10)).unwrap();
    assert_eq!(f.call(&mut store, 0).unwrap(), 10);
    limit.set(&mut store, Val::I32(-1)).unwrap();
    expect_trap(f.call(&mut store, 0), TrapCode::StackOverflow);
}

/// Twenty nested host→wasm re-entries are not too many (on a test thread's 2 MiB stack, in a
/// debug build).
fn deep_recursion_through_host(mode: TranslationMode) {
    let (mut store, instance, f) = through_host(mode);
    let limit = instance.get_global(&store, "limit").unwrap();
    limit.set(&mut store, Val::I32(20)).unwrap();
    assert_eq!(f.call(&mut store, 0).unwrap(), 20);
}

// --- tail calls ----------------------------------------------------------------------------

const TAIL_CALLS: &str = r#"
    (module
      (type $i64_to_i32 (func (param i64) (result i32)))
      (table $parity 2 funcref)
      (elem (table $parity) (i32.const 0) func $even_indirect $odd_indirect)

      (func $even (export "even") (param i64) (result i32)
        (if (result i32) (i64.eqz (local.get 0))
          (then (i32.const 1))
          (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
      (func $odd (export "odd") (param i64) (result i32)
        (if (result i32) (i64.eqz (local.get 0))
          (then (i32.const 0))
          (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))

      (func $even_indirect (export "even_indirect") (param i64) (result i32)
        (if (result i32) (i64.eqz (local.get 0))
          (then (i32.const 1))
          (else (return_call_indirect $parity (type $i64_to_i32)
                  (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
      (func $odd_indirect (param i64) (result i32)
        (if (result i32) (i64.eqz (local.get 0))
          (then (i32.const 0))
          (else (return_call_indirect $parity (type $i64_to_i32)
                  (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))

      ;; A small frame and a large one tail-calling each other, with differing parameter
      ;; counts; the result is the number of steps taken.
      (func $small (export "small") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 0))
          (else (return_call $large (local.get $n) (i64.const 0) (i64.const 0) (i64.const 1)))))
      (func $large (param $n i64) (param i64 i64) (param $step i64) (result i64)
        (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        (local.set 4 (i64.add (local.get $step) (i64.const 1)))
        (i64.add
          (local.get $step)
          (call $small_again (i64.sub (local.get $n) (i64.const 1)))))
      ;; A non-tail call per step would defeat constant space; this one returns at once.
      (func $small_again (param i64) (result i64)
        (return_call $small (local.get 0)))

      ;; Counts down via tail calls only, switching between frames of different sizes.
      (func $ping (export "ping") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 7))
          (else (return_call $pong (local.get $n) (i64.const 1) (i64.const 2)))))
      (func $pong (param $n i64) (param i64 i64) (result i64)
        (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
        (return_call $ping (i64.sub (local.get $n) (i64.const 1)))))
"#;

fn mutual_tail_calls_ten_million_deep(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), TAIL_CALLS);
    let even = instance.get_typed_func::<i64, i32>(&store, "even").unwrap();
    let odd = instance.get_typed_func::<i64, i32>(&store, "odd").unwrap();
    let started = Instant::now();
    assert_eq!(even.call(&mut store, 10_000_000).unwrap(), 1);
    eprintln!(
        "even(10_000_000) via return_call took {:?}",
        started.elapsed()
    );
    assert_eq!(odd.call(&mut store, 1_000_001).unwrap(), 1);
    assert_eq!(even.call(&mut store, 1_000_001).unwrap(), 0);
}

fn mutual_tail_calls_indirect_ten_million_deep(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), TAIL_CALLS);
    let even_indirect = instance
        .get_typed_func::<i64, i32>(&store, "even_indirect")
        .unwrap();
    let started = Instant::now();
    assert_eq!(even_indirect.call(&mut store, 10_000_000).unwrap(), 1);
    eprintln!(
        "even_indirect(10_000_000) via return_call_indirect took {:?}",
        started.elapsed()
    );
    assert_eq!(even_indirect.call(&mut store, 999_999).unwrap(), 0);
}

/// Under limits far below the recursion depth, tail calls must not grow either stack.
fn tail_calls_run_in_constant_space(mode: TranslationMode) {
    let tight = engine_with(mode, |config| {
        config.max_call_depth(8).max_stack_cells(1024);
    });
    let (mut store, instance) = instantiate(&tight, TAIL_CALLS);
    let ping = instance.get_typed_func::<i64, i64>(&store, "ping").unwrap();
    assert_eq!(ping.call(&mut store, 1_000_000).unwrap(), 7);
    let even = instance.get_typed_func::<i64, i32>(&store, "even").unwrap();
    assert_eq!(even.call(&mut store, 1_000_000).unwrap(), 1);
    let even_indirect = instance
        .get_typed_func::<i64, i32>(&store, "even_indirect")
        .unwrap();
    assert_eq!(even_indirect.call(&mut store, 1_000_000).unwrap(), 1);

    // `small` makes one real call per step: that must hit the limit...
    let small = instance
        .get_typed_func::<i64, i64>(&store, "small")
        .unwrap();
    assert_eq!(small.call(&mut store, 3).unwrap(), 3);
    expect_trap(small.call(&mut store, 1_000), TrapCode::StackOverflow);
    // ...and the default limits let it go 20_000 deep.
    let (mut store, instance) = instantiate(&engine(mode), TAIL_CALLS);
    let small = instance
        .get_typed_func::<i64, i64>(&store, "small")
        .unwrap();
    assert_eq!(small.call(&mut store, 20_000).unwrap(), 20_000);
}

/// `max_stack_cells` takes any value from 64 up; small limits must work, and trap when hit.
fn small_stack_cell_limit_is_honoured(mode: TranslationMode) {
    let tiny = engine_with(mode, |config| {
        config.max_stack_cells(256);
    });
    let (mut store, instance) = instantiate(&tiny, TAIL_CALLS);
    let ping = instance.get_typed_func::<i64, i64>(&store, "ping").unwrap();
    assert_eq!(ping.call(&mut store, 1_000).unwrap(), 7);
    let small = instance
        .get_typed_func::<i64, i64>(&store, "small")
        .unwrap();
    expect_trap(small.call(&mut store, 1_000), TrapCode::StackOverflow);
    assert_eq!(ping.call(&mut store, 10).unwrap(), 7);
}

// --- tail calls to host functions ----------------------------------------------------------

const TAIL_TO_HOST: &str = r#"
    (module
      (import "host" "add" (func $add (param i32 i32) (result i32)))
      (import "host" "spread" (func $spread (param i32) (result i32 i32 i32)))
      (import "host" "fail" (func $fail (param i32) (result i32)))
      (import "host" "reenter" (func $reenter (param i32) (result i32)))
      (import "host" "call_direct" (func $call_direct (param i32) (result i32)))
      (type $binary (func (param i32 i32) (result i32)))
      (table 1 funcref)
      (elem (i32.const 0) $add)

      (func (export "direct") (param i32 i32) (result i32)
        (return_call $add (local.get 0) (local.get 1)))
      (func (export "indirect") (param i32 i32) (result i32)
        (return_call_indirect (type $binary) (local.get 0) (local.get 1) (i32.const 0)))

      ;; Callers with live locals and operands around a callee that tail-calls the host.
      (func $via_direct (param i32) (result i32)
        (return_call $add (local.get 0) (i32.const 100)))
      (func $via_indirect (param i32) (result i32)
        (return_call_indirect (type $binary) (local.get 0) (i32.const 1000) (i32.const 0)))
      (func (export "nested") (param i32) (result i32)
        (local $keep i32)
        (local.set $keep (i32.mul (local.get 0) (i32.const 3)))
        (i32.add
          (local.get $keep)
          (i32.add
            (call $via_direct (local.get 0))
            (call $via_indirect (local.get 0)))))
      ;; Two levels: a tail call to a function that tail-calls the host.
      (func $chain (param i32) (result i32)
        (return_call $via_direct (i32.add (local.get 0) (i32.const 1))))
      (func (export "nested_chain") (param i32) (result i32)
        (i32.mul (i32.const 2) (call $chain (local.get 0))))

      (func $spread_tail (param i32) (result i32 i32 i32)
        (return_call $spread (local.get 0)))
      (func (export "spread_direct") (param i32) (result i32 i32 i32)
        (return_call $spread (local.get 0)))
      (func (export "spread_nested") (param i32) (result i32)
        (local $a i32) (local $b i32) (local $c i32)
        (call $spread_tail (local.get 0))
        (local.set $c) (local.set $b) (local.set $a)
        ;; a*100 + b*10 + c, so the order of the results shows.
        (i32.add (i32.mul (local.get $a) (i32.const 100))
          (i32.add (i32.mul (local.get $b) (i32.const 10)) (local.get $c))))

      (func $fail_tail (param i32) (result i32)
        (return_call $fail (local.get 0)))
      (func (export "fail_direct") (param i32) (result i32)
        (return_call $fail (local.get 0)))
      (func (export "fail_nested") (param i32) (result i32)
        (i32.add (i32.const 1) (call $fail_tail (local.get 0))))

      (func $double (export "double") (param i32) (result i32)
        (i32.mul (local.get 0) (i32.const 2)))
      (func $reenter_tail (param i32) (result i32)
        (return_call $reenter (local.get 0)))
      (func (export "reenter_nested") (param i32) (result i32)
        (local $keep i32)
        (local.set $keep (i32.const 5))
        (i32.add (local.get $keep) (call $reenter_tail (local.get 0))))

      ;; The host calls `direct` (a tail call to the host's `add`) from a nested activation.
      (func (export "host_calls_direct") (param i32) (result i32)
        (i32.mul (i32.const 10) (call $call_direct (local.get 0)))))
"#;

/// Host calls recorded in the store, to check each tail call reached the host exactly once.
type Calls = Vec<&'static str>;

fn tail_to_host(mode: TranslationMode) -> (Store<Calls>, Instance) {
    instantiate_with(&engine(mode), Vec::new(), TAIL_TO_HOST, |linker| {
        linker
            .func_wrap(
                "host",
                "add",
                |mut caller: Caller<'_, Calls>, a: i32, b: i32| {
                    caller.data_mut().push("add");
                    a + b
                },
            )
            .unwrap()
            .func_wrap("host", "spread", |mut caller: Caller<'_, Calls>, x: i32| {
                caller.data_mut().push("spread");
                (x, x + 1, x + 2)
            })
            .unwrap()
            .func_wrap("host", "fail", |x: i32| -> mica::Result<i32> {
                Err(mica::Error::new(format!("fail({x})")))
            })
            .unwrap()
            .func_wrap(
                "host",
                "reenter",
                |mut caller: Caller<'_, Calls>, x: i32| -> mica::Result<i32> {
                    caller.data_mut().push("reenter");
                    let double = caller
                        .get_export("double")
                        .and_then(Extern::into_func)
                        .unwrap();
                    Ok(double.typed::<i32, i32>(&caller)?.call(&mut caller, x)? + 1)
                },
            )
            .unwrap()
            .func_wrap(
                "host",
                "call_direct",
                |mut caller: Caller<'_, Calls>, x: i32| -> mica::Result<i32> {
                    caller.data_mut().push("call_direct");
                    let direct = caller
                        .get_export("direct")
                        .and_then(Extern::into_func)
                        .unwrap();
                    direct
                        .typed::<(i32, i32), i32>(&caller)?
                        .call(&mut caller, (x, 1))
                },
            )
            .unwrap();
    })
}

fn return_call_to_host(mode: TranslationMode) {
    let (mut store, instance) = tail_to_host(mode);
    let direct = instance
        .get_typed_func::<(i32, i32), i32>(&store, "direct")
        .unwrap();
    assert_eq!(direct.call(&mut store, (40, 2)).unwrap(), 42);
    assert_eq!(direct.call(&mut store, (-1, 1)).unwrap(), 0);
    assert_eq!(store.data(), &["add", "add"]);
}

fn return_call_indirect_to_host(mode: TranslationMode) {
    let (mut store, instance) = tail_to_host(mode);
    let indirect = instance
        .get_typed_func::<(i32, i32), i32>(&store, "indirect")
        .unwrap();
    assert_eq!(indirect.call(&mut store, (40, 2)).unwrap(), 42);
    let mut out = [Val::I32(0)];
    let untyped = instance.get_func(&store, "indirect").unwrap();
    untyped
        .call(&mut store, &[Val::I32(5), Val::I32(6)], &mut out)
        .unwrap();
    assert_eq!(out[0], Val::I32(11));
    assert_eq!(store.data(), &["add", "add"]);
}

fn return_call_to_host_from_nested_call(mode: TranslationMode) {
    let (mut store, instance) = tail_to_host(mode);
    let nested = instance
        .get_typed_func::<i32, i32>(&store, "nested")
        .unwrap();
    // 3x + (x + 100) + (x + 1000)
    assert_eq!(nested.call(&mut store, 1).unwrap(), 3 + 101 + 1001);
    assert_eq!(nested.call(&mut store, 10).unwrap(), 30 + 110 + 1010);
    assert_eq!(store.data().len(), 4);

    let nested_chain = instance
        .get_typed_func::<i32, i32>(&store, "nested_chain")
        .unwrap();
    assert_eq!(nested_chain.call(&mut store, 1).unwrap(), 2 * 102);
}

fn return_call_to_host_with_more_results_than_params(mode: TranslationMode) {
    let (mut store, instance) = tail_to_host(mode);
    let spread_direct = instance
        .get_typed_func::<i32, (i32, i32, i32)>(&store, "spread_direct")
        .unwrap();
    assert_eq!(spread_direct.call(&mut store, 4).unwrap(), (4, 5, 6));
    let spread_nested = instance
        .get_typed_func::<i32, i32>(&store, "spread_nested")
        .unwrap();
    assert_eq!(spread_nested.call(&mut store, 1).unwrap(), 123);
    assert_eq!(store.data(), &["spread", "spread"]);
}

fn return_call_to_host_that_reenters_wasm(mode: TranslationMode) {
    let (mut store, instance) = tail_to_host(mode);
    let reenter_nested = instance
        .get_typed_func::<i32, i32>(&store, "reenter_nested")
        .unwrap();
    // 5 + (2x + 1)
    assert_eq!(reenter_nested.call(&mut store, 10).unwrap(), 26);
    assert_eq!(store.data(), &["reenter"]);

    // The other way round: a re-entered activation's entry function tail-calls the host.
    let host_calls_direct = instance
        .get_typed_func::<i32, i32>(&store, "host_calls_direct")
        .unwrap();
    assert_eq!(host_calls_direct.call(&mut store, 4).unwrap(), 50);
    assert_eq!(store.data(), &["reenter", "call_direct", "add"]);
}

fn return_call_to_host_that_fails(mode: TranslationMode) {
    let (mut store, instance) = tail_to_host(mode);
    let fail_direct = instance
        .get_typed_func::<i32, i32>(&store, "fail_direct")
        .unwrap();
    let fail_nested = instance
        .get_typed_func::<i32, i32>(&store, "fail_nested")
        .unwrap();
    let error = expect_trap(fail_direct.call(&mut store, 1), TrapCode::HostError);
    assert!(error.to_string().contains("fail(1)"), "{error}");
    let error = expect_trap(fail_nested.call(&mut store, 2), TrapCode::HostError);
    assert!(error.to_string().contains("fail(2)"), "{error}");
    // The store carries on.
    let nested = instance
        .get_typed_func::<i32, i32>(&store, "nested")
        .unwrap();
    assert_eq!(nested.call(&mut store, 1).unwrap(), 3 + 101 + 1001);
}
