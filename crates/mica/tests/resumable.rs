//! Resumable calls: pausing on fuel, on the epoch deadline and on a host function's request,
//! resuming where the call stopped, with the store used for other things in between.

mod common;

use common::{engine_with, expect_trap, instantiate_with};
use mica::{Caller, Config, Error, PauseReason, ResumableCall, TranslationMode, TrapCode, Val};

fn metered(mode: TranslationMode) -> mica::Engine {
    engine_with(mode, |c: &mut Config| {
        c.consume_fuel(true);
    })
}

/// `sum(n)`: 1 + 2 + ... + n through a recursive helper, so that a pause can stop the call
/// with frames of several functions live; `ask(x)`: the host's `double(x)`, plus one, plus
/// what `sum(3)` gives (6); `fail()` traps; `tail(x)`: a tail call of the host's `double`.
const PROGRAM: &str = r#"
    (module
      (import "host" "double" (func $double (param i32) (result i32)))
      (func $sum (export "sum") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 0))
          (else (i64.add (local.get $n) (call $sum (i64.sub (local.get $n) (i64.const 1)))))))
      (func (export "ask") (param i32) (result i32)
        (local $keep i64)
        (local.set $keep (call $sum (i64.const 3)))
        (i32.add
          (i32.add (call $double (local.get 0)) (i32.const 1))
          (i32.wrap_i64 (local.get $keep))))
      (func (export "tail") (param i32) (result i32)
        (return_call $double (local.get 0)))
      (func (export "fail") (unreachable)))
"#;

#[derive(Debug)]
struct Later(i32);
impl std::fmt::Display for Later {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "double {} later", self.0)
    }
}

/// A store whose host `double` asks to pause when the store's data says so.
fn setup(engine: &mica::Engine) -> (mica::Store<bool>, mica::Instance) {
    instantiate_with(engine, false, PROGRAM, |linker| {
        linker
            .func_wrap("host", "double", |caller: Caller<'_, bool>, x: i32| -> mica::Result<i32> {
                if *caller.data() { Err(Error::pause(Later(x))) } else { Ok(2 * x) }
            })
            .unwrap();
    })
}

fn paused(call: ResumableCall) -> mica::PausedCall {
    match call {
        ResumableCall::Paused(p) => p,
        ResumableCall::Finished => panic!("the call finished; a pause was expected"),
    }
}

#[track_caller]
fn finished(call: ResumableCall) {
    assert!(matches!(call, ResumableCall::Finished), "expected the call to finish, got {call:?}");
}

fn out_of_fuel_pauses_and_resumes(mode: TranslationMode) {
    let engine = metered(mode);
    let (mut store, instance) = setup(&engine);
    let sum = instance.get_func(&store, "sum").unwrap();
    // The fuel `sum(1000)` takes in one go.
    store.set_fuel(u64::MAX).unwrap();
    let mut out = [Val::I64(0)];
    finished(sum.call_resumable(&mut store, &[Val::I64(1000)], &mut out).unwrap());
    assert_eq!(out[0].as_i64().unwrap(), 500500);
    let whole = u64::MAX - store.get_fuel().unwrap();
    // In slices of 37: it pauses many times, deep in the recursion, and adds up the same.
    store.set_fuel(37).unwrap();
    let mut call = sum.call_resumable(&mut store, &[Val::I64(1000)], &mut out).unwrap();
    let (mut pauses, mut given) = (0u64, 37u64);
    while let ResumableCall::Paused(p) = call {
        assert!(matches!(p.reason(), PauseReason::OutOfFuel), "{:?}", p.reason());
        assert!(p.host_result_types().is_empty());
        pauses += 1;
        given += 37;
        store.set_fuel(store.get_fuel().unwrap() + 37).unwrap();
        call = p.resume(&mut store, &[], &mut out).unwrap();
    }
    assert_eq!(out[0].as_i64().unwrap(), 500500);
    assert!(pauses > whole / 37 - 2, "{pauses} pauses for {whole} fuel");
    // Exactly the fuel of the uninterrupted call was consumed.
    assert_eq!(given - store.get_fuel().unwrap(), whole);
    assert_eq!(store.paused_calls(), 0);
}

fn host_pauses_with_pending_results(mode: TranslationMode) {
    let engine = engine_with(mode, |_| {});
    let (mut store, instance) = setup(&engine);
    let ask = instance.get_func(&store, "ask").unwrap();
    *store.data_mut() = true;
    let mut out = [Val::I32(0)];
    let p = paused(ask.call_resumable(&mut store, &[Val::I32(20)], &mut out).unwrap());
    let PauseReason::Host(request) = p.reason() else { panic!("{:?}", p.reason()) };
    let later = request.as_any().downcast_ref::<Later>().expect("the host's request");
    assert_eq!(later.0, 20);
    assert_eq!(p.host_result_types(), &[mica::ValType::I32]);
    // The host does its work, then supplies the result: 41 + 1 + 6.
    finished(p.resume(&mut store, &[Val::I32(41)], &mut out).unwrap());
    assert_eq!(out[0].as_i32().unwrap(), 48);
    // A tail call to the host pauses too, and the result is the call's.
    let tail = instance.get_func(&store, "tail").unwrap();
    let p = paused(tail.call_resumable(&mut store, &[Val::I32(5)], &mut out).unwrap());
    finished(p.resume(&mut store, &[Val::I32(99)], &mut out).unwrap());
    assert_eq!(out[0].as_i32().unwrap(), 99);
    // Wrong values to resume with are refused.
    let p = paused(ask.call_resumable(&mut store, &[Val::I32(1)], &mut out).unwrap());
    let error = p.resume(&mut store, &[Val::I64(1)], &mut out).unwrap_err();
    assert!(error.to_string().contains("do not match"), "{error}");
    // Outside a resumable call, a pause request is the host function's error.
    let typed = instance.get_typed_func::<i32, i32>(&store, "ask").unwrap();
    let error = expect_trap(typed.call(&mut store, 3), TrapCode::HostError);
    assert!(error.to_string().contains("not resumable"), "{error}");
    assert_eq!(error.downcast_ref::<Later>().map(|l| l.0), Some(3));
}

fn resume_after_other_calls(mode: TranslationMode) {
    let engine = metered(mode);
    let (mut store, instance) = setup(&engine);
    let sum = instance.get_func(&store, "sum").unwrap();
    let ask = instance.get_func(&store, "ask").unwrap();
    let fail = instance.get_typed_func::<(), ()>(&store, "fail").unwrap();
    let mut out = [Val::I64(0)];
    // Two calls paused at different depths, each out of fuel.
    store.set_fuel(500).unwrap();
    let first = paused(sum.call_resumable(&mut store, &[Val::I64(100)], &mut out).unwrap());
    store.set_fuel(1000).unwrap();
    let second = paused(sum.call_resumable(&mut store, &[Val::I64(200)], &mut out).unwrap());
    assert_eq!(store.paused_calls(), 2);
    // Meanwhile: ordinary calls, a trap, and a host pause that is resumed at once.
    store.set_fuel(1_000_000).unwrap();
    let typed = instance.get_typed_func::<i64, i64>(&store, "sum").unwrap();
    assert_eq!(typed.call(&mut store, 10).unwrap(), 55);
    expect_trap(fail.call(&mut store, ()), TrapCode::Unreachable);
    *store.data_mut() = true;
    let mut one = [Val::I32(0)];
    let p = paused(ask.call_resumable(&mut store, &[Val::I32(1)], &mut one).unwrap());
    finished(p.resume(&mut store, &[Val::I32(2)], &mut one).unwrap());
    assert_eq!(one[0].as_i32().unwrap(), 9);
    *store.data_mut() = false;
    // Resumed in the other order than they paused in; each gives its own result.
    finished(first.resume(&mut store, &[], &mut out).unwrap());
    assert_eq!(out[0].as_i64().unwrap(), 5050);
    finished(second.resume(&mut store, &[], &mut out).unwrap());
    assert_eq!(out[0].as_i64().unwrap(), 20100);
    assert_eq!(store.paused_calls(), 0);
}

fn trap_after_resume(mode: TranslationMode) {
    // A call that pauses, then traps when resumed: the trap is the call's error, with its
    // backtrace, and the store stays usable.
    let engine = metered(mode);
    let wat = r#"
        (module
          (func $inner (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then unreachable))
            (call $inner (i32.sub (local.get 0) (i32.const 1))))
          (func (export "run") (param i32) (result i32) (call $inner (local.get 0))))
    "#;
    let (mut store, instance) = instantiate_with(&engine, (), wat, |_| {});
    let run = instance.get_func(&store, "run").unwrap();
    let mut out = [Val::I32(0)];
    store.set_fuel(20).unwrap();
    let p = paused(run.call_resumable(&mut store, &[Val::I32(10)], &mut out).unwrap());
    store.set_fuel(1000).unwrap();
    let error = expect_trap(p.resume(&mut store, &[], &mut out), TrapCode::Unreachable);
    assert_eq!(error.as_trap().unwrap().backtrace().len(), 12, "{error}");
    assert_eq!(store.paused_calls(), 0);
    let typed = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    expect_trap(typed.call(&mut store, 1), TrapCode::Unreachable);
}

fn drop_while_paused(mode: TranslationMode) {
    // A paused call that is dropped: the store frees it, and what only it kept alive.
    let engine = metered(mode);
    let wat = r#"
        (module
          (type $pair (struct (field i64) (field i64)))
          (func (export "hold") (result i64)
            (local $p (ref null $pair))
            (local $i i32)
            (local.set $p (struct.new $pair (i64.const 7) (i64.const 35)))
            (loop $spin
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $spin (i32.lt_u (local.get $i) (i32.const 1000))))
            (i64.add (struct.get $pair 0 (local.get $p)) (struct.get $pair 1 (local.get $p)))))
    "#;
    let (mut store, instance) = instantiate_with(&engine, (), wat, |_| {});
    let hold = instance.get_func(&store, "hold").unwrap();
    let mut out = [Val::I64(0)];
    store.set_fuel(100).unwrap();
    let p = paused(hold.call_resumable(&mut store, &[], &mut out).unwrap());
    // While paused, the struct is alive through the paused frame, across collections.
    store.gc();
    assert_eq!(store.gc_stats().objects, 1);
    store.set_fuel(1_000_000).unwrap();
    finished(p.resume(&mut store, &[], &mut out).unwrap());
    assert_eq!(out[0].as_i64().unwrap(), 42);
    // Paused again, then dropped: the next collection frees the state and the struct.
    store.set_fuel(100).unwrap();
    let p = paused(hold.call_resumable(&mut store, &[], &mut out).unwrap());
    store.gc();
    assert_eq!(store.gc_stats().objects, 1);
    drop(p);
    store.gc();
    assert_eq!(store.gc_stats().objects, 0);
    assert_eq!(store.paused_calls(), 0);
    store.set_fuel(1_000_000).unwrap();
    let typed = instance.get_typed_func::<(), i64>(&store, "hold").unwrap();
    assert_eq!(typed.call(&mut store, ()).unwrap(), 42);
}

fn nested_calls_do_not_pause(mode: TranslationMode) {
    // Wasm that a host function calls back into is not the resumable activation: out of
    // fuel there traps, through the host function, and ends the resumable call too.
    let engine = metered(mode);
    let wat = r#"
        (module
          (import "host" "reenter" (func $reenter (param i32) (result i32)))
          (func $spin (export "spin") (param i32) (result i32)
            (loop $l
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br_if $l (local.get 0)))
            (local.get 0))
          (func (export "outer") (param i32) (result i32) (call $reenter (local.get 0))))
    "#;
    let (mut store, instance) = instantiate_with(&engine, (), wat, |linker| {
        linker
            .func_wrap("host", "reenter", |mut caller: Caller<'_, ()>, n: i32| -> mica::Result<i32> {
                let spin = caller.get_export("spin").unwrap().into_func().unwrap();
                let spin = spin.typed::<i32, i32>(&caller).unwrap();
                spin.call(&mut caller, n)
            })
            .unwrap();
    });
    let outer = instance.get_func(&store, "outer").unwrap();
    let mut out = [Val::I32(0)];
    store.set_fuel(1000).unwrap();
    let error = outer.call_resumable(&mut store, &[Val::I32(1_000_000)], &mut out).unwrap_err();
    assert_eq!(error.trap_code(), Some(TrapCode::OutOfFuel), "{error}");
    store.set_fuel(1000).unwrap();
    finished(outer.call_resumable(&mut store, &[Val::I32(10)], &mut out).unwrap());
}

/// Every call form that reaches a host function, each as the tail of a wasm caller and
/// inside one: `call`, `call_indirect`, `call_ref` and their `return_call` forms.
const CALL_FORMS: &str = r#"
    (module
      (type $t (func (param i32) (result i32)))
      (import "host" "double" (func $double (type $t)))
      (table funcref (elem $double))
      (elem declare func $double)
      (func (export "call") (param i32) (result i32) (i32.add (call $double (local.get 0)) (i32.const 1)))
      (func (export "call_indirect") (param i32) (result i32)
        (i32.add (call_indirect (type $t) (local.get 0) (i32.const 0)) (i32.const 1)))
      (func (export "call_ref") (param i32) (result i32)
        (i32.add (call_ref $t (local.get 0) (ref.func $double)) (i32.const 1)))
      (func (export "return_call") (param i32) (result i32) (return_call $double (local.get 0)))
      (func (export "return_call_indirect") (param i32) (result i32)
        (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
      (func (export "return_call_ref") (param i32) (result i32)
        (return_call_ref $t (local.get 0) (ref.func $double)))
      (func $via (param $f i32) (param $x i32) (result i32)
        (call_indirect (type $t) (local.get $x) (local.get $f)))
      (func (export "nested") (param i32) (result i32)
        (i32.mul (call $via (i32.const 0) (local.get 0)) (i32.const 10))))
"#;

fn host_pauses_through_every_call_form(mode: TranslationMode) {
    let engine = engine_with(mode, |_| {});
    let (mut store, instance) = instantiate_with(&engine, true, CALL_FORMS, |linker| {
        linker
            .func_wrap("host", "double", |caller: Caller<'_, bool>, x: i32| -> mica::Result<i32> {
                if *caller.data() { Err(Error::pause(Later(x))) } else { Ok(2 * x) }
            })
            .unwrap();
    });
    for (name, expected) in [
        ("call", 101),
        ("call_indirect", 101),
        ("call_ref", 101),
        ("return_call", 100),
        ("return_call_indirect", 100),
        ("return_call_ref", 100),
        ("nested", 1000),
    ] {
        let func = instance.get_func(&store, name).unwrap();
        let mut out = [Val::I32(0)];
        let p = paused(func.call_resumable(&mut store, &[Val::I32(7)], &mut out).unwrap());
        let PauseReason::Host(request) = p.reason() else { panic!("{name}: {:?}", p.reason()) };
        assert_eq!(request.as_any().downcast_ref::<Later>().map(|l| l.0), Some(7), "{name}");
        finished(p.resume(&mut store, &[Val::I32(100)], &mut out).unwrap());
        assert_eq!(out[0].as_i32(), Some(expected), "{name}");
    }
}

both_modes!(
    host_pauses_through_every_call_form,
    out_of_fuel_pauses_and_resumes,
    host_pauses_with_pending_results,
    resume_after_other_calls,
    trap_after_resume,
    drop_while_paused,
    nested_calls_do_not_pause
);
