//! Exceptions across the host boundary: thrown through host frames, escaping to the
//! embedder with their tag and values, thrown by host functions, never confused with traps;
//! unwinding deep stacks; exceptions reused so that throwing in a loop runs in bounded memory.

#[macro_use]
mod common;

use common::*;
use mica::{
    Caller, Engine, ExnRef, Extern, Func, FuncType, Linker, Module, Store, Tag, TagType,
    TranslationMode, TrapCode, Val, ValType,
};

both_modes! {
    exceptions_unwind_through_host_frames,
    uncaught_exceptions_reach_the_embedder_with_tag_and_values,
    host_functions_throw_exceptions_wasm_catches,
    host_functions_rethrow_what_wasm_threw,
    traps_are_never_caught,
    a_tail_call_to_a_throwing_host_is_caught_by_the_caller,
    #[cfg_attr(miri, ignore = "100,000 frames: too slow under Miri")]
    throws_unwind_a_hundred_thousand_frames,
    #[cfg_attr(miri, ignore = "a million throws: too slow under Miri")]
    caught_exceptions_are_reused,
    exnrefs_kept_past_the_limit_trap,
}

/// A module that imports a tag and a host function `host`, and exports a function that calls
/// `host` inside a `try_table` catching the tag.
const CATCHER: &str = r#"
    (module
      (import "env" "tag" (tag $e (param i32)))
      (import "env" "host" (func $host (param i32)))
      (tag $other (param i64))
      (func (export "inner") (param i32) (throw $e (local.get 0)))
      (func (export "catch") (param i32) (result i32)
        (block $caught (result i32)
          (try_table (catch $e $caught)
            (call $host (local.get 0)))
          (i32.const -1)))
      (func (export "throw_other") (throw $other (i64.const 7))))
"#;

/// A tag whose exceptions carry one `i32`.
fn i32_tag(store: &mut Store<()>) -> Tag {
    Tag::new(store, TagType::new([ValType::I32]))
}

/// A linker with `env.tag` and `env.host`.
fn linker_with(engine: &Engine, tag: Tag, host: Func) -> Linker<()> {
    let mut linker = Linker::new(engine);
    linker.define("env", "tag", tag).unwrap();
    linker.define("env", "host", host).unwrap();
    linker
}

fn exceptions_unwind_through_host_frames(mode: TranslationMode) {
    let rounds = if cfg!(miri) { 3 } else { 1000 };
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    // The host calls back into the module's `inner`, which throws: the exception unwinds
    // the inner activation and the host's frame, and the outer `catch` catches it.
    let host = Func::new(&mut store, FuncType::new([ValType::I32], []), |mut caller: Caller<'_, ()>, params, _| {
        let Some(Extern::Func(inner)) = caller.get_export("inner") else { panic!("inner") };
        inner.call(&mut caller, &[Val::I32(params[0].as_i32().unwrap() + 1)], &mut [])
    });
    let linker = linker_with(&engine, i32_tag(&mut store), host);
    let instance = linker.instantiate(&mut store, &module(&engine, CATCHER)).unwrap();
    let catch = instance.get_typed_func::<i32, i32>(&store, "catch").unwrap();
    assert_eq!(catch.call(&mut store, 41).unwrap(), 42);
    // The store is usable, and the stack is where it was: again, many times.
    for i in 0..rounds {
        assert_eq!(catch.call(&mut store, i).unwrap(), i + 1);
    }
}

fn uncaught_exceptions_reach_the_embedder_with_tag_and_values(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    let host = Func::wrap(&mut store, |_: i32| {});
    let tag = i32_tag(&mut store);
    let linker = linker_with(&engine, tag, host);
    let instance = linker.instantiate(&mut store, &module(&engine, CATCHER)).unwrap();
    let inner = instance.get_func(&store, "inner").unwrap();
    let err = inner.call(&mut store, &[Val::I32(5)], &mut []).unwrap_err();
    let exn = err.as_exception().expect("an exception, not a trap");
    assert!(err.as_trap().is_none());
    assert_eq!(exn.tag(&store).unwrap(), tag);
    assert_eq!(exn.payload(&store).unwrap(), vec![Val::I32(5)]);
    assert_eq!(err.to_string(), "uncaught wasm exception");
    // A tag the module defined: its identity is the module's export-less tag, still readable.
    let other = instance.get_func(&store, "throw_other").unwrap();
    let err = other.call(&mut store, &[], &mut []).unwrap_err();
    let exn = err.as_exception().unwrap();
    assert_ne!(exn.tag(&store).unwrap(), tag);
    assert_eq!(exn.payload(&store).unwrap(), vec![Val::I64(7)]);
    assert_eq!(exn.tag(&store).unwrap().ty(&store).unwrap(), TagType::new([ValType::I64]));
}

fn host_functions_throw_exceptions_wasm_catches(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    let tag = i32_tag(&mut store);
    let host = Func::new(&mut store, FuncType::new([ValType::I32], []), move |mut caller: Caller<'_, ()>, params, _| {
        let exn = ExnRef::new(&mut caller, tag, &[Val::I32(params[0].as_i32().unwrap() * 2)])?;
        Err(exn.into())
    });
    let linker = linker_with(&engine, tag, host);
    let instance = linker.instantiate(&mut store, &module(&engine, CATCHER)).unwrap();
    let catch = instance.get_typed_func::<i32, i32>(&store, "catch").unwrap();
    assert_eq!(catch.call(&mut store, 21).unwrap(), 42);
    // Values that do not match the tag's type are refused when the exception is made.
    assert!(ExnRef::new(&mut store, tag, &[Val::I64(1)]).is_err());
    assert!(ExnRef::new(&mut store, tag, &[]).is_err());
}

fn host_functions_rethrow_what_wasm_threw(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    // The host calls `inner`, which throws; the host looks at the exception and lets it go on.
    let host = Func::new(&mut store, FuncType::new([ValType::I32], []), |mut caller: Caller<'_, ()>, params, _| {
        let Some(Extern::Func(inner)) = caller.get_export("inner") else { panic!("inner") };
        let err = inner.call(&mut caller, &[Val::I32(params[0].as_i32().unwrap())], &mut []).unwrap_err();
        let exn = err.as_exception().expect("an exception");
        assert_eq!(exn.payload(&caller).unwrap(), vec![Val::I32(9)]);
        Err(exn.into())
    });
    let linker = linker_with(&engine, i32_tag(&mut store), host);
    let instance = linker.instantiate(&mut store, &module(&engine, CATCHER)).unwrap();
    let catch = instance.get_typed_func::<i32, i32>(&store, "catch").unwrap();
    assert_eq!(catch.call(&mut store, 9).unwrap(), 9);
}

fn traps_are_never_caught(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    let host = Func::wrap(&mut store, |_: i32| -> mica::Result<()> { Err(mica::Error::new("host failure")) });
    let tag = i32_tag(&mut store);
    let linker = linker_with(&engine, tag, host);
    let instance = linker
        .instantiate(
            &mut store,
            &module(
                &engine,
                r#"(module
                     (import "env" "host" (func $host (param i32)))
                     (func (export "div") (param i32) (result i32)
                       (block $all
                         (try_table (catch_all $all)
                           (return (i32.div_u (i32.const 1) (local.get 0)))))
                       (i32.const -1))
                     (func (export "host") (result i32)
                       (block $all
                         (try_table (catch_all $all) (call $host (i32.const 0))))
                       (i32.const -1)))"#,
            ),
        )
        .unwrap();
    let div = instance.get_typed_func::<i32, i32>(&store, "div").unwrap();
    assert_eq!(div.call(&mut store, 1).unwrap(), 1);
    expect_trap(div.call(&mut store, 0), TrapCode::IntegerDivisionByZero);
    let host = instance.get_typed_func::<(), i32>(&store, "host").unwrap();
    let err = host.call(&mut store, ()).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::HostError), "{err}");
}

fn a_tail_call_to_a_throwing_host_is_caught_by_the_caller(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    let tag = i32_tag(&mut store);
    let host = Func::new(&mut store, FuncType::new([ValType::I32], []), move |mut caller: Caller<'_, ()>, params, _| {
        Err(ExnRef::new(&mut caller, tag, &[params[0]])?.into())
    });
    let linker = linker_with(&engine, tag, host);
    // `tail` gives its frame to the host with `return_call`: its own handler no longer
    // applies (it returned, as far as the spec is concerned); the caller's does.
    let instance = linker
        .instantiate(
            &mut store,
            &module(
                &engine,
                r#"(module
                     (import "env" "tag" (tag $e (param i32)))
                     (import "env" "host" (func $host (param i32)))
                     (func $tail (param i32)
                       (block $wrong (result i32)
                         (try_table (catch $e $wrong)
                           (return_call $host (local.get 0)))
                         (unreachable))
                       (drop) (throw $e (i32.const -100)))
                     (func (export "run") (param i32) (result i32)
                       (block $right (result i32)
                         (try_table (catch $e $right) (call $tail (local.get 0)))
                         (i32.const -1))))"#,
            ),
        )
        .unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 17).unwrap(), 17);
}

fn throws_unwind_a_hundred_thousand_frames(mode: TranslationMode) {
    let engine = engine_with(mode, |config| {
        config.max_call_depth(200_000).max_stack_cells(1 << 24);
    });
    let mut store = Store::new(&engine, ());
    // `down(n)` recurses n frames, each with a `try_table` for another tag (so every frame's
    // clauses are looked at), and the innermost throws; `run` catches.
    let instance = Linker::new(&engine)
        .instantiate(
            &mut store,
            &module(
                &engine,
                r#"(module
                     (tag $e (param i32))
                     (tag $other)
                     (func $down (param i32) (result i32)
                       (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 12345))))
                       (block $no
                         (try_table (catch $other $no)
                           (return (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))
                         (unreachable))
                       (i32.const -1))
                     (func (export "run") (param i32) (result i32)
                       (block $yes (result i32)
                         (try_table (catch $e $yes) (drop (call $down (local.get 0))))
                         (i32.const -1))))"#,
            ),
        )
        .unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 100_000).unwrap(), 12345);
    assert_eq!(run.call(&mut store, 3).unwrap(), 12345);
}

/// A tight throw-and-catch loop, under a limit of 8 exceptions held: an exception caught by
/// `catch` is reused, so a million throws do not count against the limit.
const LOOP: &str = r#"
    (module
      (tag $e (param i64))
      (func (export "loop") (param i32) (result i64)
        (local $sum i64)
        (loop $again
          (block $caught (result i64)
            (try_table (catch $e $caught) (throw $e (i64.extend_i32_u (local.get 0))))
            (unreachable))
          (local.set $sum (i64.add (local.get $sum)))
          (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get $sum))
      (func (export "keep") (param i32) (result i32)
        (local $kept exnref)
        (loop $again
          (block $caught (result i64 exnref)
            (try_table (catch_ref $e $caught) (throw $e (i64.const 1)))
            (unreachable))
          (local.set $kept) (drop)
          (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (ref.is_null (local.get $kept))))
"#;

fn caught_exceptions_are_reused(mode: TranslationMode) {
    let engine = engine_with(mode, |config| {
        config.max_exceptions(8);
    });
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &Module::new(&engine, LOOP).unwrap()).unwrap();
    let run = instance.get_typed_func::<i32, i64>(&store, "loop").unwrap();
    let n: i64 = 1_000_000;
    assert_eq!(run.call(&mut store, n as i32).unwrap(), n * (n + 1) / 2);
}

fn exnrefs_kept_past_the_limit_trap(mode: TranslationMode) {
    let engine = engine_with(mode, |config| {
        config.max_exceptions(8);
    });
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &Module::new(&engine, LOOP).unwrap()).unwrap();
    let keep = instance.get_typed_func::<i32, i32>(&store, "keep").unwrap();
    assert_eq!(keep.call(&mut store, 4).unwrap(), 0);
    expect_trap(keep.call(&mut store, 100), TrapCode::OutOfMemory);
}
