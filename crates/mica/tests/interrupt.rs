//! Interruption from another thread: the engine's epoch against each store's deadline
//! (`Config::epoch_interruption`). Each test prints how long the guest ran on after the
//! epoch reached its deadline; the closing notes quote those figures (tests assert that the
//! guest stops, not how fast: wall time is for benchmarks).

mod common;

use common::{engine_with, expect_trap, instantiate};
use mica::{Config, PauseReason, ResumableCall, TranslationMode, TrapCode, Val};
use std::time::{Duration, Instant};

fn with_epochs(mode: TranslationMode) -> mica::Engine {
    engine_with(mode, |c: &mut Config| {
        c.epoch_interruption(true);
    })
}

/// Endless guests of every shape a deadline must stop: a bare loop, a loop of calls,
/// mutual tail calls (no loop at all), a loop closed by a fused triple (a copy, the
/// counter, its test: runs for 2^32 rounds unless stopped), one closed by a triple that
/// ends in a `br_table`, and a count that ends.
const SPIN: &str = r#"
    (module
      (func (export "loop") (loop $l (br $l)))
      (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func (export "calls") (local $x i32)
        (loop $l (local.set $x (call $leaf (local.get $x))) (br $l)))
      (func $ping (export "tail") (param i64) (return_call $pong (i64.add (local.get 0) (i64.const 1))))
      (func $pong (param i64) (return_call $ping (local.get 0)))
      (func (export "triple") (local $i i32) (local $c i32)
        (loop $l
          (local.set $c (local.get $i))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const -1)))))
      ;; An interpreter's dispatch that loops through the triple I32Load8U + I32AddImm +
      ;; BrTable alone: every opcode (the zero bytes of memory) sends it back to the loop.
      (memory 1)
      (func (export "dispatch") (local $pc i32) (local $op i32)
        (loop $l
          (block $b
            (local.set $op (i32.load8_u (local.get $pc)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 0)))
            (br_table $l $b (local.get $op)))))
      (func (export "count") (param $n i32) (result i32) (local $i i32)
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $i)))
"#;

/// Advances `engine`'s epoch `after` from now, on another thread; returns when it did.
fn tick_later(engine: &mica::Engine, after: Duration) -> std::thread::JoinHandle<Instant> {
    let engine = engine.clone();
    std::thread::spawn(move || {
        std::thread::sleep(after);
        let at = Instant::now();
        engine.increment_epoch();
        at
    })
}

fn endless_guests_stop_at_the_deadline(mode: TranslationMode) {
    let engine = with_epochs(mode);
    let (mut store, instance) = instantiate(&engine, SPIN);
    let mut worst = Duration::ZERO;
    for name in ["loop", "calls", "tail", "triple", "dispatch"] {
        let func = instance.get_func(&store, name).unwrap();
        let params: &[Val] = if name == "tail" { &[Val::I64(0)] } else { &[] };
        for _ in 0..5 {
            store.set_epoch_deadline(1);
            let ticker = tick_later(&engine, Duration::from_millis(20));
            let error = expect_trap(func.call(&mut store, params, &mut []), TrapCode::Interrupt);
            let stopped = Instant::now();
            let latency = stopped.duration_since(ticker.join().unwrap());
            worst = worst.max(latency);
            assert!(error.to_string().contains("interrupted"), "{error}");
        }
    }
    println!("stop latency ({mode:?}, 20 runs): worst {worst:?}");
    // The store is usable after, with a new deadline.
    store.set_epoch_deadline(1_000_000);
    let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
    assert_eq!(count.call(&mut store, 1000).unwrap(), 1000);
}

fn the_deadline_counts_ticks(mode: TranslationMode) {
    let engine = with_epochs(mode);
    let (mut store, instance) = instantiate(&engine, SPIN);
    let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
    // No deadline: nothing stops the guest however the epoch moves.
    engine.increment_epoch();
    assert_eq!(count.call(&mut store, 10_000).unwrap(), 10_000);
    // Three ticks ahead: two do not stop it, the third does.
    store.set_epoch_deadline(3);
    engine.increment_epoch();
    engine.increment_epoch();
    assert_eq!(count.call(&mut store, 10_000).unwrap(), 10_000);
    engine.increment_epoch();
    expect_trap(count.call(&mut store, 10_000), TrapCode::Interrupt);
    store.clear_epoch_deadline();
    assert_eq!(count.call(&mut store, 10).unwrap(), 10);
}

fn an_interrupted_resumable_call_resumes(mode: TranslationMode) {
    let engine = with_epochs(mode);
    let (mut store, instance) = instantiate(&engine, SPIN);
    let count = instance.get_func(&store, "count").unwrap();
    // Interrupted while counting to 3·10^7, then resumed to the end.
    store.set_epoch_deadline(1);
    let ticker = tick_later(&engine, Duration::from_millis(20));
    let mut out = [Val::I32(0)];
    let call = count.call_resumable(&mut store, &[Val::I32(30_000_000)], &mut out).unwrap();
    let latency = Instant::now().duration_since(ticker.join().unwrap());
    let ResumableCall::Paused(paused) = call else {
        // The machine counted to the end within 20 ms: nothing to resume.
        assert_eq!(out[0].as_i32(), Some(30_000_000));
        return;
    };
    println!("pause latency ({mode:?}): {latency:?}");
    assert!(matches!(paused.reason(), PauseReason::Interrupted), "{:?}", paused.reason());
    store.clear_epoch_deadline();
    let call = paused.resume(&mut store, &[], &mut out).unwrap();
    assert!(matches!(call, ResumableCall::Finished));
    assert_eq!(out[0].as_i32(), Some(30_000_000));
}

fn many_interruptions_change_no_result(mode: TranslationMode) {
    // A ticker advances the epoch every 200 µs; each time, the call pauses (at a loop's
    // backward branch or a call) and is resumed with a new deadline. The sum comes out
    // exactly as without interruptions.
    let engine = with_epochs(mode);
    let wat = r#"
        (module
          (func $f (param i64) (result i64) (i64.add (local.get 0) (i64.const 3)))
          (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $s i64)
            (loop $l
              (local.set $s (i64.add (local.get $s) (call $f (i64.extend_i32_u (local.get $i)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $s)))
    "#;
    let (mut store, instance) = instantiate(&engine, wat);
    let sum = instance.get_func(&store, "sum").unwrap();
    let n: i64 = if cfg!(debug_assertions) { 300_000 } else { 3_000_000 };
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ticker = {
        let (engine, done) = (engine.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_micros(200));
                engine.increment_epoch();
            }
        })
    };
    store.set_epoch_deadline(1);
    let mut out = [Val::I64(0)];
    let mut call = sum.call_resumable(&mut store, &[Val::I32(n as i32)], &mut out).unwrap();
    let mut pauses = 0;
    while let ResumableCall::Paused(paused) = call {
        assert!(matches!(paused.reason(), PauseReason::Interrupted), "{:?}", paused.reason());
        pauses += 1;
        store.set_epoch_deadline(1);
        call = paused.resume(&mut store, &[], &mut out).unwrap();
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    ticker.join().unwrap();
    assert_eq!(out[0].as_i64(), Some(n * (n - 1) / 2 + 3 * n));
    println!("{pauses} interruptions ({mode:?})");
}

fn without_the_option_nothing_is_checked(mode: TranslationMode) {
    // Without `Config::epoch_interruption` the code has no checks: a deadline changes nothing.
    let engine = engine_with(mode, |_| {});
    let (mut store, instance) = instantiate(&engine, SPIN);
    store.set_epoch_deadline(0);
    engine.increment_epoch();
    let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
    assert_eq!(count.call(&mut store, 100).unwrap(), 100);
}

both_modes!(
    endless_guests_stop_at_the_deadline,
    the_deadline_counts_ticks,
    an_interrupted_resumable_call_resumes,
    many_interruptions_change_no_result,
    without_the_option_nothing_is_checked
);
