//! The embedding API, part 4: traps — from host functions (errors, their payloads, and how
//! they unwind through wasm and re-entry), and the kinds and backtraces of wasm traps.
//! (Parts 1 to 3: `api.rs`, `api_calls.rs`, `api_memory.rs`.)
//!
//! Most tests take the translation mode and run twice (see `both_modes!`).

#[macro_use]
mod common;

use common::*;
use mica::{Caller, Error, Func, Linker, Store, TranslationMode, TrapCode};
use std::fmt;

both_modes! {
    host_error_becomes_host_error_trap,
    host_error_custom_payload_is_recoverable,
    host_error_from_nested_reentry,
    wasm_trap_in_reentered_call_propagates_through_host,
    host_can_recover_from_an_inner_trap,
    trap_kind_and_backtrace_with_names,
    trap_kinds,
    trap_in_start_function,
}

// --- 3. traps from host functions ----------------------------------------------------------

/// A host payload an embedder might use to carry an exit status through wasm.
#[derive(Debug, PartialEq)]
struct Exit {
    status: i32,
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit with status {}", self.status)
    }
}

const CALLS_FAIL: &str = r#"
    (module
      (import "host" "fail" (func $fail (param i32) (result i32)))
      (func $outer (export "run") (param i32) (result i32)
        (i32.add (i32.const 1) (call $fail (local.get 0))))
      (func (export "sum") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (local.get 0) (call 2 (i32.sub (local.get 0) (i32.const 1))))))))
"#;

fn host_error_becomes_host_error_trap(mode: TranslationMode) {
    let (mut store, instance) = instantiate_with(&engine(mode), (), CALLS_FAIL, |linker| {
        linker
            .func_wrap("host", "fail", |x: i32| -> mica::Result<i32> {
                if x < 0 {
                    Err(Error::new("boom"))
                } else {
                    Ok(x * 2)
                }
            })
            .unwrap();
    });
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    let sum = instance.get_typed_func::<i32, i32>(&store, "sum").unwrap();
    assert_eq!(run.call(&mut store, 20).unwrap(), 41);

    let error = expect_trap(run.call(&mut store, -1), TrapCode::HostError);
    assert!(error.to_string().contains("boom"), "message: {error}");
    assert_eq!(backtrace_names(&error), ["outer"]);

    // The store is still usable, for the same function and for others.
    assert_eq!(run.call(&mut store, 1).unwrap(), 3);
    assert_eq!(sum.call(&mut store, 100).unwrap(), 5050);
    expect_trap(run.call(&mut store, -7), TrapCode::HostError);
    assert_eq!(sum.call(&mut store, 10).unwrap(), 55);
}

fn host_error_custom_payload_is_recoverable(mode: TranslationMode) {
    let (mut store, instance) = instantiate_with(&engine(mode), (), CALLS_FAIL, |linker| {
        linker
            .func_wrap("host", "fail", |status: i32| -> mica::Result<i32> {
                Err(Error::host(Exit { status }))
            })
            .unwrap();
    });
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    let sum = instance.get_typed_func::<i32, i32>(&store, "sum").unwrap();
    let error = expect_trap(run.call(&mut store, 3), TrapCode::HostError);
    assert!(
        error.to_string().contains("exit with status 3"),
        "message: {error}"
    );
    assert!(error.downcast_ref::<String>().is_none());
    assert_eq!(error.downcast_ref::<Exit>(), Some(&Exit { status: 3 }));
    let host_error = error.as_trap().unwrap().host_error().unwrap();
    assert_eq!(host_error.downcast_ref::<Exit>(), Some(&Exit { status: 3 }));
    assert_eq!(sum.call(&mut store, 4).unwrap(), 10);

    // Called directly by the embedder, the host function's error comes back as it is.
    let fail = Func::wrap(&mut store, |status: i32| -> mica::Result<i32> {
        Err(Error::host(Exit { status }))
    });
    let error = fail
        .typed::<i32, i32>(&store)
        .unwrap()
        .call(&mut store, 9)
        .unwrap_err();
    assert_eq!(error.downcast_ref::<Exit>(), Some(&Exit { status: 9 }));
    assert_eq!(sum.call(&mut store, 4).unwrap(), 10);

    // Through several host→wasm re-entries.
    let (mut store, instance) =
        instantiate_with(&engine(mode), (), DOWN_VIA_HOST, define_failing_recurse);
    let down = instance.get_typed_func::<i32, i32>(&store, "down").unwrap();
    let error = expect_trap(down.call(&mut store, 5), TrapCode::HostError);
    assert_eq!(error.downcast_ref::<Exit>(), Some(&Exit { status: 77 }));
}

/// The payload round trip without any wasm involved.
#[test]
fn error_downcast_without_wasm() {
    let error = Error::host(Exit { status: 1 });
    assert_eq!(error.downcast_ref::<Exit>(), Some(&Exit { status: 1 }));
    let error = Error::new("boom");
    assert_eq!(
        error.downcast_ref::<String>().map(String::as_str),
        Some("boom")
    );
    assert!(error.downcast_ref::<Exit>().is_none());
}

/// `host::recurse` for [`DOWN_VIA_HOST`] that re-enters `down` until `n` is 0, then fails.
fn define_failing_recurse(linker: &mut Linker<()>) {
    linker
        .func_wrap(
            "host",
            "recurse",
            |mut caller: Caller<'_, ()>, n: i32| -> mica::Result<i32> {
                if n == 0 {
                    return Err(Error::host(Exit { status: 77 }));
                }
                let down = caller.get_export("down").unwrap().into_func().unwrap();
                down.typed::<i32, i32>(&caller)?.call(&mut caller, n)
            },
        )
        .unwrap();
}

/// `down` recursing through the host, where the innermost host call fails: the error comes
/// out of every level with its message, and the backtrace has every level's wasm frame.
fn host_error_from_nested_reentry(mode: TranslationMode) {
    let (mut store, instance) =
        instantiate_with(&engine(mode), (), DOWN_VIA_HOST, define_failing_recurse);
    let down = instance.get_typed_func::<i32, i32>(&store, "down").unwrap();
    let error = expect_trap(down.call(&mut store, 5), TrapCode::HostError);
    assert!(
        error.to_string().contains("exit with status 77"),
        "message: {error}"
    );
    assert_eq!(backtrace_names(&error), vec!["down"; 5]);
    assert_eq!(down.call(&mut store, 0).unwrap(), 0);
    expect_trap(down.call(&mut store, 1), TrapCode::HostError);
}

/// A wasm trap in a re-entered call keeps its code when the host passes it on, and its
/// backtrace has the frames of both activations.
fn wasm_trap_in_reentered_call_propagates_through_host(mode: TranslationMode) {
    let wat = r#"
        (module
          (import "host" "call_back" (func $call_back (param i32) (result i32)))
          (func $crash (export "crash") (param i32) (result i32)
            (i32.div_s (i32.const 1) (local.get 0)))
          (func $entry (export "entry") (param i32) (result i32)
            (call $call_back (local.get 0))))
    "#;
    let (mut store, instance) = instantiate_with(&engine(mode), (), wat, |linker| {
        linker
            .func_wrap(
                "host",
                "call_back",
                |mut caller: Caller<'_, ()>, x: i32| -> mica::Result<i32> {
                    let crash = caller.get_export("crash").unwrap().into_func().unwrap();
                    crash.typed::<i32, i32>(&caller)?.call(&mut caller, x)
                },
            )
            .unwrap();
    });
    let entry = instance
        .get_typed_func::<i32, i32>(&store, "entry")
        .unwrap();
    assert_eq!(entry.call(&mut store, 1).unwrap(), 1);
    let error = expect_trap(entry.call(&mut store, 0), TrapCode::IntegerDivisionByZero);
    assert_eq!(backtrace_names(&error), ["crash", "entry"]);
    assert_eq!(entry.call(&mut store, -1).unwrap(), -1);
}

/// A host function may swallow the trap of a call it makes and carry on; the wasm that
/// called the host continues with its frame intact.
fn host_can_recover_from_an_inner_trap(mode: TranslationMode) {
    let wat = r#"
        (module
          (import "host" "try" (func $try (param i32) (result i32)))
          (func $boom (export "boom") (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then unreachable))
            (call $boom (i32.sub (local.get 0) (i32.const 1))))
          (func (export "run") (param i32) (result i32)
            (local $a i32)
            (local.set $a (i32.mul (local.get 0) (i32.const 3)))
            (i32.add (local.get $a) (call $try (local.get 0)))))
    "#;
    let (mut store, instance) = instantiate_with(&engine(mode), Vec::new(), wat, |linker| {
        linker
            .func_wrap(
                "host",
                "try",
                |mut caller: Caller<'_, Vec<TrapCode>>, n: i32| -> i32 {
                    let boom = caller.get_export("boom").unwrap().into_func().unwrap();
                    let boom = boom.typed::<i32, i32>(&caller).unwrap();
                    match boom.call(&mut caller, n) {
                        Ok(_) => unreachable!("boom always traps"),
                        Err(e) => {
                            caller.data_mut().push(e.trap_code().unwrap());
                            -1
                        }
                    }
                },
            )
            .unwrap();
    });
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 10).unwrap(), 29);
    assert_eq!(run.call(&mut store, 1000).unwrap(), 2999);
    assert_eq!(
        store.data(),
        &[TrapCode::Unreachable, TrapCode::Unreachable]
    );
}

// --- 6. traps carry their kind and a backtrace ---------------------------------------------

fn trap_kind_and_backtrace_with_names(mode: TranslationMode) {
    let wat = r#"
        (module
          (func $inner (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then unreachable))
            (local.get 0))
          (func $middle (param i32) (result i32)
            (i32.add (i32.const 1) (call $inner (local.get 0))))
          (func $outer (export "outer") (param i32) (result i32)
            (call $middle (local.get 0)))
          (func (export "unnamed_export") (unreachable)))
    "#;
    let (mut store, instance) = instantiate(&engine(mode), wat);
    let outer = instance
        .get_typed_func::<i32, i32>(&store, "outer")
        .unwrap();
    assert_eq!(outer.call(&mut store, 1).unwrap(), 2);

    let error = expect_trap(outer.call(&mut store, 0), TrapCode::Unreachable);
    assert!(error.to_string().contains("unreachable"), "{error}");
    let trap = error.as_trap().unwrap();
    assert_eq!(trap.code(), TrapCode::Unreachable);
    assert_eq!(backtrace_names(&error), ["inner", "middle", "outer"]);
    let indices: Vec<u32> = trap.backtrace().iter().map(|f| f.func_index).collect();
    assert_eq!(indices, [0, 1, 2]);
    assert!(
        trap.backtrace()[0].to_string().contains("inner"),
        "{}",
        trap.backtrace()[0]
    );

    // A function without a name in the name section still has a frame, with its index.
    let unnamed = instance
        .get_typed_func::<(), ()>(&store, "unnamed_export")
        .unwrap();
    let error = expect_trap(unnamed.call(&mut store, ()), TrapCode::Unreachable);
    let frames = error.as_trap().unwrap().backtrace();
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].func_index, 3);

    assert_eq!(outer.call(&mut store, 5).unwrap(), 6);
}

fn trap_kinds(mode: TranslationMode) {
    let wat = r#"
        (module
          (type $v (func))
          (type $i (func (result i32)))
          (memory 1)
          (table 2 funcref)
          (elem (i32.const 0) $nop)
          (func $nop)
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "rem") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
          (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
          (func (export "call_v") (param i32) (call_indirect (type $v) (local.get 0)))
          (func (export "call_i") (param i32) (result i32) (call_indirect (type $i) (local.get 0))))
    "#;
    let (mut store, instance) = instantiate(&engine(mode), wat);
    let div = instance
        .get_typed_func::<(i32, i32), i32>(&store, "div")
        .unwrap();
    let rem = instance
        .get_typed_func::<(i32, i32), i32>(&store, "rem")
        .unwrap();
    let trunc = instance
        .get_typed_func::<f32, i32>(&store, "trunc")
        .unwrap();
    let load = instance.get_typed_func::<i32, i64>(&store, "load").unwrap();
    let call_v = instance
        .get_typed_func::<i32, ()>(&store, "call_v")
        .unwrap();
    let call_i = instance
        .get_typed_func::<i32, i32>(&store, "call_i")
        .unwrap();

    expect_trap(
        div.call(&mut store, (1, 0)),
        TrapCode::IntegerDivisionByZero,
    );
    expect_trap(
        div.call(&mut store, (i32::MIN, -1)),
        TrapCode::IntegerOverflow,
    );
    expect_trap(
        rem.call(&mut store, (1, 0)),
        TrapCode::IntegerDivisionByZero,
    );
    expect_trap(
        trunc.call(&mut store, f32::NAN),
        TrapCode::BadConversionToInteger,
    );
    expect_trap(trunc.call(&mut store, 3e9), TrapCode::IntegerOverflow);
    expect_trap(
        load.call(&mut store, 65536 - 4),
        TrapCode::MemoryOutOfBounds,
    );
    expect_trap(load.call(&mut store, -1), TrapCode::MemoryOutOfBounds);
    expect_trap(call_v.call(&mut store, 1), TrapCode::IndirectCallToNull);
    expect_trap(call_v.call(&mut store, 2), TrapCode::TableOutOfBounds);
    expect_trap(call_i.call(&mut store, 0), TrapCode::BadSignature);

    assert_eq!(div.call(&mut store, (7, 2)).unwrap(), 3);
    assert_eq!(load.call(&mut store, 65536 - 8).unwrap(), 0);
    call_v.call(&mut store, 0).unwrap();
}

fn trap_in_start_function(mode: TranslationMode) {
    let engine = engine(mode);
    let module = module(
        &engine,
        r#"(module
             (import "host" "hit" (func $hit))
             (func $start (call $hit) (unreachable))
             (start $start))"#,
    );
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "hit", |mut caller: Caller<'_, u32>| {
            *caller.data_mut() += 1
        })
        .unwrap();
    let mut store = Store::new(&engine, 0);
    let error = expect_trap(
        linker.instantiate(&mut store, &module),
        TrapCode::Unreachable,
    );
    assert_eq!(backtrace_names(&error), ["start"]);
    assert_eq!(*store.data(), 1);
}
