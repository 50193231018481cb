//! Calls across the host boundary: the matrix, and the seed's regression test.
//!
//! The seed of Mica was a crash in WAMR 1.3.2: a `return_call` to an imported native function
//! released the caller's frame, the native call allocated a new frame over the same memory,
//! and the interpreter then restored its state from that frame. These tests make sure no
//! call path across the host boundary can go wrong that way, or any other way:
//!
//! - [`seed_regression_init_tail_calls_native_debug_print`] is the seed itself;
//! - [`matrix`] runs every combination of call form × target × position × behaviour ×
//!   translation mode (see `host_boundary/axes.rs`), each from generated WAT (see
//!   `host_boundary/wat.rs`), checking the results, the memory the call left, the host's log,
//!   traps with their backtraces, and a further call on the same store. `v128` is part of
//!   it: the `Vector` behaviour's targets (wasm and host, typed and untyped, direct and through
//!   a table) take `(i32, v128, i64)` and return `(v128, i32)`, so every call form, from every
//!   position, moves values two cells wide (at cell offsets that differ from their indices)
//!   between frames and between a frame and the host, and its results are checked bit for bit;
//!   the `Memories` behaviour's targets write and read a second memory and a 64-bit
//!   memory (a host target through the memories its caller exports), checked from outside;
//!   and the `Throws` behaviour's targets throw an exception (a host target returns one) that
//!   unwinds every frame of the position, host frames included, and reaches the embedder
//!   with its tag and value;
//! - [`miri_subset`] is the cross-section of the matrix that `cargo +nightly miri test` runs.

mod common;

#[path = "host_boundary/axes.rs"]
mod axes;
#[path = "host_boundary/hosts.rs"]
mod hosts;
#[path = "host_boundary/wat.rs"]
mod wat;

use axes::{
    Behavior, Combo, Expected, Form, Position, TRAP_ARG, Target, all_combos,
    every_translation_mode, expect_backtrace, expect_target,
};
use hosts::{Data, TRAP_MESSAGE};
use mica::{Caller, Error, Instance, Linker, Memory, Module, Store, Tag, TagType, TrapCode, V128, Val, ValType};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

/// Mica bounds host→wasm re-entry by the native stack it uses, measured as the distance
/// between the addresses of locals of the outermost and the current activation. Miri's
/// locals are separate allocations, not a stack, so under Miri that distance is meaningless
/// (and any re-entry may trap with `StackOverflow`): switch the guard off there.
fn without_native_stack_guard_under_miri(config: &mut mica::Config) {
    if cfg!(miri) {
        config.max_native_stack(usize::MAX);
    }
}

// --- the seed ---------------------------------------------------------------------------------

/// The seed, as a test: a module imports a native debug-print function and its init function
/// tail-calls it, so the init function's frame (the activation's first) is released before
/// the native function runs. Run as an export called by the embedder (twice, then another
/// call on the same store) and as a start function, in every translation mode.
#[test]
fn seed_regression_init_tail_calls_native_debug_print() {
    const MESSAGE: &str = "init: tail-calling the host";
    let wat = format!(
        r#"(module
          (import "env" "debug_print" (func $debug_print (param i32 i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "{MESSAGE}")
          (func $init (export "init")
            (return_call $debug_print (i32.const 16) (i32.const {len})))
          (func (export "answer") (result i32) (i32.const 42)))"#,
        len = MESSAGE.len()
    );
    let start_wat = wat.replace(
        "(func (export \"answer\")",
        "(start $init) (func (export \"answer\")",
    );
    for mode in every_translation_mode() {
        for (wat, runs_at_start) in [(&wat, false), (&start_wat, true)] {
            let engine = common::engine(mode);
            let mut linker = Linker::<Vec<String>>::new(&engine);
            linker
                .func_wrap(
                    "env",
                    "debug_print",
                    |mut caller: Caller<'_, Vec<String>>, ptr: i32, len: i32| {
                        let memory = caller
                            .get_export("memory")
                            .and_then(mica::Extern::into_memory)
                            .unwrap();
                        let mut bytes = vec![0; len as usize];
                        memory.read(&caller, ptr as usize, &mut bytes).unwrap();
                        caller.data_mut().push(String::from_utf8(bytes).unwrap());
                    },
                )
                .unwrap();
            let mut store = Store::new(&engine, Vec::new());
            let module = common::module(&engine, wat);
            let instance = linker.instantiate(&mut store, &module).unwrap();
            let printed_at_start = usize::from(runs_at_start);
            assert_eq!(store.data().len(), printed_at_start, "{mode:?}");
            let init = instance.get_typed_func::<(), ()>(&store, "init").unwrap();
            init.call(&mut store, ()).unwrap();
            init.call(&mut store, ()).unwrap();
            assert_eq!(
                *store.data(),
                vec![MESSAGE.to_string(); printed_at_start + 2],
                "{mode:?}"
            );
            let answer = instance
                .get_typed_func::<(), i32>(&store, "answer")
                .unwrap();
            assert_eq!(answer.call(&mut store, ()).unwrap(), 42, "{mode:?}");
        }
    }
}

/// A host call can move everything a running frame points into: a re-entry that recurses
/// deeply reallocates the value stack, and the host can grow memory. The frame that made the
/// host call must find its locals, its parameters and its memory where they were, and then
/// tail-call the host. (Under Miri, any pointer kept across the host call is caught here.)
#[test]
fn host_call_that_moves_the_value_stack_and_memory() {
    let wat = r#"(module
      (import "host" "reenter_deep" (func $reenter_deep (param i32) (result i32)))
      (import "host" "grow" (func $grow (result i32)))
      (memory (export "memory") 1)
      (func $deep (export "deep") (param $n i32) (result i32) (local i64 i64 i64 i64 i64 i64 i64 i64)
        (if (result i32) (i32.eqz (local.get $n))
          (then (i32.const 1))
          (else (i32.add (call $deep (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
      (func $run (export "run") (param $a i32) (result i32) (local $x i64) (local $y i32)
        (local.set $x (i64.const 0x0123456789abcdef))
        (local.set $y (i32.mul (local.get $a) (i32.const 3)))
        (i32.store (i32.const 100) (local.get $y))
        (if (i32.ne (call $reenter_deep (i32.const 3000)) (i32.const 3001)) (then (unreachable)))
        (if (i64.ne (local.get $x) (i64.const 0x0123456789abcdef)) (then (unreachable)))
        (if (i32.ne (local.get $y) (i32.mul (local.get $a) (i32.const 3))) (then (unreachable)))
        (drop (call $grow))
        (if (i32.ne (i32.load (i32.const 100)) (local.get $y)) (then (unreachable)))
        (i32.store (i32.const 70000) (local.get $y))
        (return_call $reenter_deep (local.get $a))))"#;
    for mode in every_translation_mode() {
        let engine = common::engine_with(mode, without_native_stack_guard_under_miri);
        let mut linker = Linker::<()>::new(&engine);
        linker
            .func_wrap(
                "host",
                "reenter_deep",
                |mut caller: Caller<'_, ()>, n: i32| -> mica::Result<i32> {
                    let deep = caller
                        .get_export("deep")
                        .and_then(mica::Extern::into_func)
                        .unwrap();
                    deep.typed::<i32, i32>(&caller)?.call(&mut caller, n)
                },
            )
            .unwrap();
        linker
            .func_wrap(
                "host",
                "grow",
                |mut caller: Caller<'_, ()>| -> mica::Result<i32> {
                    let memory = caller
                        .get_export("memory")
                        .and_then(mica::Extern::into_memory)
                        .unwrap();
                    Ok(memory.grow(&mut caller, 1)? as i32)
                },
            )
            .unwrap();
        let mut store = Store::new(&engine, ());
        let instance = linker
            .instantiate(&mut store, &common::module(&engine, wat))
            .unwrap();
        let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
        let memory = instance.get_memory(&store, "memory").unwrap();
        for (call, a) in [5, 6].into_iter().enumerate() {
            assert_eq!(run.call(&mut store, a).unwrap(), a + 1, "{mode:?}");
            let same = "the memory belongs to this store";
            assert_eq!(memory.size(&store).expect(same), call as u64 + 2, "{mode:?}");
            assert_eq!(memory.data(&store).expect(same)[70000], (a * 3) as u8, "{mode:?}");
        }
    }
}

// --- the matrix ----------------------------------------------------------------------------------

/// The model of the `Vector` behaviour, against bit patterns worked out by hand: the matrix
/// checks every `v128` it sees against this model.
#[test]
fn vector_model_bit_patterns() {
    let (a, v, x) = axes::vector_args(5, 6);
    assert_eq!(a, 5);
    assert_eq!(v.as_u128(), 0x5a5a_5a5c_ffff_fffa_0000_0006_0000_0005);
    assert_eq!(x as u64, 0x0123_4561_89ab_cdea);
    let (v, r) = axes::vector_results(Target::HostWrap.k(), a, v, x);
    assert_eq!(v.as_u128(), 0x0000_0006_0000_0bbd_5b7d_9fbe_89ab_cde4);
    assert_eq!(r, 35 + 0x0123_4561 + 3000);
    assert_eq!(axes::vector_b(axes::vector_args(5, 6).1), 6);

    let (a, v, x) = axes::vector_args(-1, i32::MIN);
    assert_eq!(v.as_u128(), 0xda5a_5a5a_0000_0000_8000_0000_ffff_ffff);
    assert_eq!(x as u64, 0x8123_4567_7654_3210);
    let (v, r) = axes::vector_results(Target::HostViaTable.k(), a, v, x);
    assert_eq!(v.as_u128(), 0x8000_0001_0000_1387_5b7d_9fc1_7654_3210);
    assert_eq!(r as u32, 0x8123_58e8);
}

/// Runs one combination; `Err` says what went wrong.
fn run_combo(combo: &Combo) -> Result<(), String> {
    // A call depth just above what the deepest combination needs: a trap that left frames
    // behind would make the next call overflow.
    let engine = common::engine_with(combo.mode, |config| {
        config.max_call_depth(axes::CALL_DEPTH + 40);
        without_native_stack_guard_under_miri(config);
    });
    let mut linker = Linker::<Data>::new(&engine);
    hosts::define(&mut linker, combo.behavior);
    let mut store = Store::new(&engine, Data::default());
    let tag = Tag::new(&mut store, TagType::new([ValType::I32]));
    linker.define("env", "exn", tag).unwrap();

    let provider =
        Module::new(&engine, wat::provider(combo)).map_err(|e| format!("module b: {e}"))?;
    let b = linker
        .instantiate(&mut store, &provider)
        .map_err(|e| format!("instantiating b: {e}"))?;
    linker.instance(&mut store, "b", b).unwrap();
    if combo.target == Target::HostViaTable {
        let table = b.get_table(&store, "table").unwrap();
        let element = table.get(&store, 0).expect("b's table belongs to this store");
        let Some(Val::FuncRef(Some(func))) = element else {
            return Err("b's table element 0 is not a function".into());
        };
        linker.define("b", "via_table", func).unwrap();
    }
    let module =
        Module::new(&engine, wat::caller(combo)).map_err(|e| format!("module a does not load: {e}"))?;
    let memory = b.get_memory(&store, "memory").unwrap();
    let memories = (b.get_memory(&store, "mem1").unwrap(), b.get_memory(&store, "mem64").unwrap());
    let mut state = Observed { memories: Some(memories), tag: Some(tag), ..Observed::default() };

    // The first call: the start function, or `run`; the trapping case traps.
    let first = if matches!(combo.behavior, Behavior::Traps | Behavior::Throws) {
        (TRAP_ARG, 6)
    } else {
        (5, 6)
    };
    let instance = if combo.position == Position::Start {
        instantiate_with_start(
            combo, &linker, &mut store, &module, memory, &mut state, first,
        )?
    } else {
        let instance = linker
            .instantiate(&mut store, &module)
            .map_err(|e| format!("instantiating a: {e}"))?;
        let run = instance.get_func(&store, "run").unwrap();
        let mut results = vec![Val::I32(0); expect_target(combo, 0, 0).results.len()];
        let outcome = run.call(
            &mut store,
            &[Val::I32(first.0), Val::I32(first.1)],
            &mut results,
        );
        state.check(
            combo,
            &store,
            memory,
            first,
            outcome.map(|()| results),
            "run (untyped call)",
        )?;
        instance
    };

    // The next call on the same store, through a typed function.
    let next = (4, 9);
    let results = call_typed(combo, &instance, &mut store, next);
    state.check(combo, &store, memory, next, results, "run (typed call)")?;
    Ok(())
}

/// Instantiates the calling module, whose start function makes the call under test with
/// `args` (read from memory); if that traps, instantiates it again in the same store.
fn instantiate_with_start(
    combo: &Combo,
    linker: &Linker<Data>,
    store: &mut Store<Data>,
    module: &Module,
    memory: Memory,
    state: &mut Observed,
    args: (i32, i32),
) -> Result<Instance, String> {
    let mut attempt = |store: &mut Store<Data>, args: (i32, i32), what: &str| {
        let mut bytes = args.0.to_le_bytes().to_vec();
        bytes.extend(args.1.to_le_bytes());
        memory
            .write(&mut *store, wat::START_ARGS_ADDR as usize, &bytes)
            .unwrap();
        let outcome = linker.instantiate(&mut *store, module);
        let instance = outcome.as_ref().ok().copied();
        let results = outcome.map(|_| start_results(combo, store, memory));
        state.check(combo, store, memory, args, results, what)?;
        Ok::<_, String>(instance)
    };
    match attempt(store, args, "start function")? {
        Some(instance) => Ok(instance),
        None => attempt(store, (7, 8), "start function, after a trapping one")?
            .ok_or_else(|| "the second instantiation failed".to_string()),
    }
}

/// The results the start function stored in memory.
fn start_results(combo: &Combo, store: &Store<Data>, memory: Memory) -> Vec<Val> {
    let data = memory.data(store).expect("the instance's memory belongs to this store");
    let data = &data[wat::START_RESULTS_ADDR as usize..];
    let word = |at: usize| u64::from_le_bytes(data[at..at + 8].try_into().unwrap());
    match combo.behavior {
        Behavior::Nothing => vec![],
        Behavior::Vector => vec![
            Val::V128(V128::from_le_bytes(data[0..16].try_into().unwrap())),
            Val::I32(word(16) as i32),
        ],
        Behavior::Several => vec![
            Val::I32(word(0) as i32),
            Val::I64(word(8) as i64),
            Val::F64(word(16)),
        ],
        _ => vec![Val::I32(word(0) as i32)],
    }
}

fn call_typed(
    combo: &Combo,
    instance: &Instance,
    store: &mut Store<Data>,
    (a, b): (i32, i32),
) -> mica::Result<Vec<Val>> {
    match combo.behavior {
        Behavior::Several => {
            let run = instance.get_typed_func::<(i32, i32), (i32, i64, f64)>(&*store, "run")?;
            let (x, y, z) = run.call(store, (a, b))?;
            Ok(vec![Val::I32(x), Val::I64(y), Val::f64(z)])
        }
        Behavior::Nothing => {
            instance
                .get_typed_func::<(i32, i32), ()>(&*store, "run")?
                .call(store, (a, b))?;
            Ok(vec![])
        }
        Behavior::Vector => {
            let run = instance.get_typed_func::<(i32, i32), (V128, i32)>(&*store, "run")?;
            let (v, r) = run.call(store, (a, b))?;
            Ok(vec![Val::V128(v), Val::I32(r)])
        }
        _ => Ok(vec![Val::I32(
            instance
                .get_typed_func::<(i32, i32), i32>(&*store, "run")?
                .call(store, (a, b))?,
        )]),
    }
}

/// What the test has seen so far, and so expects to find again.
#[derive(Default)]
struct Observed {
    journal: Vec<i32>,
    log: Vec<String>,
    /// `b`'s second memory and its 64-bit one (`Memories` targets write there).
    memories: Option<(Memory, Memory)>,
    /// The tag `Throws` targets throw.
    tag: Option<Tag>,
}

impl Observed {
    /// Checks one call of the target with `args`, whose results (or error) are `outcome`.
    fn check(
        &mut self,
        combo: &Combo,
        store: &Store<Data>,
        memory: Memory,
        (a, b): (i32, i32),
        outcome: mica::Result<Vec<Val>>,
        what: &str,
    ) -> Result<(), String> {
        let Expected {
            results,
            journal,
            log,
            traps,
            throws,
        } = expect_target(combo, a, b);
        self.journal.extend(journal);
        self.log.extend(log);
        if let Some(value) = throws {
            let outcome = outcome.map_err(|e| e.as_exception().ok_or(e));
            match outcome {
                Err(Ok(exn)) => {
                    let tag = exn.tag(store).map_err(|e| e.to_string())?;
                    let payload = exn.payload(store).map_err(|e| e.to_string())?;
                    if Some(tag) != self.tag || payload != [Val::I32(value)] {
                        return Err(format!(
                            "{what}({a}, {b}): exception of tag {tag:?} with {payload:?}, expected {:?} with {value}",
                            self.tag
                        ));
                    }
                }
                Err(Err(e)) => return Err(format!("{what}({a}, {b}): expected an exception, got {e} ({e:?})")),
                Ok(actual) => return Err(format!("{what}({a}, {b}): returned {actual:?}, expected an exception")),
            }
            return self.check_memory(combo, store, memory, (a, b), true, what);
        }
        match (outcome, traps) {
            (Ok(actual), false) if actual == results => {}
            (Ok(actual), _) => {
                return Err(format!(
                    "{what}({a}, {b}): returned {actual:?}, expected {results:?}"
                ));
            }
            (Err(e), true) => {
                check_trap(combo, &e).map_err(|m| format!("{what}({a}, {b}): {m}"))?
            }
            (Err(e), false) => return Err(format!("{what}({a}, {b}): failed: {e} ({e:?})")),
        }
        self.check_memory(combo, store, memory, (a, b), traps, what)
    }

    /// Checks the journal, the host log and the memories after a call that `failed` or not.
    fn check_memory(
        &mut self,
        combo: &Combo,
        store: &Store<Data>,
        memory: Memory,
        (a, b): (i32, i32),
        failed: bool,
        what: &str,
    ) -> Result<(), String> {
        let data = memory.data(store).expect("the instance's memory belongs to this store");
        let count = u32::from_le_bytes(data[0..4].try_into().unwrap()) as usize;
        let journal: Vec<i32> = (0..count)
            .map(|i| i32::from_le_bytes(data[4 + 4 * i..8 + 4 * i].try_into().unwrap()))
            .collect();
        if journal != self.journal {
            return Err(format!(
                "{what}({a}, {b}): journal in memory {journal:?}, expected {:?}",
                self.journal
            ));
        }
        if store.data().log != self.log {
            return Err(format!(
                "{what}({a}, {b}): host log {:?}, expected {:?}",
                store.data().log,
                self.log
            ));
        }
        if let (Behavior::Memories, Some((second, wide))) = (combo.behavior, self.memories) {
            let same = "b's memories belong to this store";
            let at = wat::MEM1_ADDR as usize;
            let x = i32::from_le_bytes(second.data(store).expect(same)[at..at + 4].try_into().unwrap());
            let at = wat::MEM64_ADDR as usize;
            let y = i64::from_le_bytes(wide.data(store).expect(same)[at..at + 8].try_into().unwrap());
            if !failed && (x, y) != (b, a as i64) {
                return Err(format!(
                    "{what}({a}, {b}): the memories hold ({x}, {y}), expected ({b}, {a})"
                ));
            }
        }
        if combo.behavior == Behavior::Nothing {
            let at = wat::LAST_B_ADDR as usize;
            let last_b = i32::from_le_bytes(data[at..at + 4].try_into().unwrap());
            if last_b != b {
                return Err(format!(
                    "{what}({a}, {b}): the target left {last_b} in memory, expected {b}"
                ));
            }
        }
        Ok(())
    }
}

/// A trap must reach the embedder as a trap, with the host's error and the wasm backtrace.
fn check_trap(combo: &Combo, error: &Error) -> Result<(), String> {
    let (code, message) = if combo.target.is_host() {
        (TrapCode::HostError, Some(TRAP_MESSAGE))
    } else {
        (TrapCode::Unreachable, None)
    };
    if error.trap_code() != Some(code) {
        return Err(format!("expected a {code:?} trap, got {error} ({error:?})"));
    }
    if let Some(message) = message
        && error.downcast_ref::<String>().map(String::as_str) != Some(message)
    {
        return Err(format!("the host's error did not come through: {error:?}"));
    }
    let backtrace = common::backtrace_names(error);
    let expected = expect_backtrace(combo);
    if backtrace != expected {
        return Err(format!("backtrace {backtrace:?}, expected {expected:?}"));
    }
    Ok(())
}

/// How long one combination may take before the matrix calls it a hang (a call that never
/// returns is what continuing in a released frame usually looks like).
const HANG_AFTER: Duration = Duration::from_secs(60);

/// Runs one combination on a thread of its own, so that a hang fails the test instead of
/// stalling it; a panic is caught and becomes the combination's failure.
fn run_watched(combo: Combo) -> Result<(), String> {
    let run = move || match catch_unwind(AssertUnwindSafe(|| run_combo(&combo))) {
        Ok(verdict) => verdict,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {message}"))
        }
    };
    if cfg!(miri) {
        return run();
    }
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || send.send(run()));
    receive.recv_timeout(HANG_AFTER).unwrap_or_else(|_| {
        // The thread cannot be stopped; the process ends with the test run.
        panic!("{combo}: did not finish within {HANG_AFTER:?}: the call never returned")
    })
}

/// Runs `combos`, returning how many ran; panics listing every failure.
fn run_all(combos: &[Combo]) -> usize {
    let (mut ran, mut failures) = (0, Vec::new());
    for combo in combos {
        match run_watched(*combo) {
            Ok(()) => ran += 1,
            Err(message) => failures.push(format!("{combo}: {message}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} combinations failed:\n{}\n\nfirst failing combination's modules:\n{}\n{}",
        failures.len(),
        combos.len(),
        failures.join("\n"),
        first_failing(combos, &failures)
            .map(|c| wat::provider(&c))
            .unwrap_or_default(),
        first_failing(combos, &failures)
            .map(|c| wat::caller(&c))
            .unwrap_or_default(),
    );
    ran
}

fn first_failing(combos: &[Combo], failures: &[String]) -> Option<Combo> {
    let first = failures.first()?;
    combos
        .iter()
        .copied()
        .find(|c| first.starts_with(&format!("{c}:")))
}

/// Every combination of call form × target × position × behaviour × translation mode.
#[test]
#[cfg_attr(
    miri,
    ignore = "thousands of module loads: Miri runs `miri_subset` instead"
)]
fn matrix() {
    let combos = all_combos();
    let ran = run_all(&combos);
    println!(
        "host-boundary matrix: {ran} of {} combinations ran ({} forms × {} targets × {} positions × {} behaviours × {} translation modes)",
        combos.len(),
        Form::ALL.len(),
        Target::ALL.len(),
        Position::ALL.len(),
        Behavior::ALL.len(),
        every_translation_mode().len(),
    );
    assert_eq!(ran, combos.len());
}

/// The cross-section of the matrix that runs under Miri (`cargo +nightly miri test -p mica
/// --test host_boundary`): every implemented form with every target, once each (Miri
/// interprets the text parser too, so a combination takes many seconds). The situations
/// rotate so that each form meets the ones where a frame is released or re-entered: the
/// activation's first frame returning several values, a trap, a call back into wasm that
/// tail-calls the host, the start function, the call right after a tail call returned, and
/// the activation's first frame passing and returning `v128`s, and the activation's first
/// frame reaching a second memory and a 64-bit one.
/// Lazy translation, so that translation on the first call is on the path too.
#[test]
fn miri_subset() {
    const SITUATIONS: [(Position, Behavior); 8] = [
        (Position::Entry, Behavior::Several),
        (Position::Top, Behavior::Traps),
        (Position::Entry, Behavior::CallsBack),
        (Position::Start, Behavior::Nothing),
        (Position::AfterTailReturn, Behavior::One),
        (Position::Entry, Behavior::Vector),
        (Position::Entry, Behavior::Memories),
        (Position::Top, Behavior::Throws),
    ];
    let forms = Form::ALL;
    let mut combos = Vec::new();
    for (f, form) in forms.into_iter().enumerate() {
        for (t, target) in Target::ALL.into_iter().enumerate() {
            let (position, behavior) = SITUATIONS[(f + t) % SITUATIONS.len()];
            combos.push(Combo {
                form,
                target,
                position,
                behavior,
                mode: mica::TranslationMode::Lazy,
            });
        }
    }
    let ran = run_all(&combos);
    println!("host-boundary Miri subset: {ran} combinations ran");
    assert_eq!(ran, combos.len());
}
