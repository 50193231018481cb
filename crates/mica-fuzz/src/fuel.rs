//! Fuel fuzzing: the modules of [`crate::gc`] (wasm-smith's, with GC and the rest of 3.0),
//! each export called three ways, which must agree:
//!
//! - eagerly, without metering: the reference results;
//! - eagerly, metered, with fuel to spare: the same results, and each call's fuel;
//! - lazily, metered, with epoch checks (no deadline), under collection stress, as resumable
//!   calls given a small slice of fuel at a time (1 to 64 by input, so that calls pause at almost every segment), with a
//!   collection at every pause, resumed until they finish: the same results, and in total
//!   exactly the fuel of the uninterrupted call.
//!
//! So fuel does not depend on the translation mode, pausing and resuming anywhere changes
//! no result, and a paused call's state survives collections.

use mica::{Config, Engine, ErrorKind, Linker, Module, PauseReason, ResumableCall, Store, TranslationMode, Val, ValType};

/// How a run calls the exports.
#[derive(Debug, Copy, Clone, PartialEq)]
enum Way {
    Plain,
    Metered,
    /// Resumable calls, this much fuel at a time.
    Sliced(u64),
}

/// Fuel to spare: more than any generated module uses.
const PLENTY: u64 = 1 << 40;

/// Each export's outcome, and the fuel it took (metered runs).
fn run(wasm: &[u8], way: Way) -> Result<Vec<(String, Option<u64>)>, String> {
    let mut config = Config::new();
    config.all_features().max_gc_heap(64 << 20);
    match way {
        Way::Plain => config.translation(TranslationMode::Eager),
        Way::Metered => config.translation(TranslationMode::Eager).consume_fuel(true),
        Way::Sliced(_) => config.translation(TranslationMode::Lazy).consume_fuel(true).gc_stress(true).epoch_interruption(true),
    };
    let engine = Engine::new(&config);
    let module = match Module::from_binary(&engine, wasm) {
        Ok(m) => m,
        Err(e) if matches!(e.kind(), ErrorKind::Unsupported(_)) => return Ok(vec![("refused".into(), None)]),
        Err(e) => return Err(format!("Mica refused a valid module ({way:?}): {e}")),
    };
    let mut store = Store::new(&engine, ());
    if way != Way::Plain {
        store.set_fuel(PLENTY).map_err(|e| e.to_string())?;
    }
    let instance = match Linker::new(&engine).instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => return Ok(vec![(format!("instantiation: {:?}", e.trap_code()), None)]),
    };
    let mut log = Vec::new();
    let funcs: Vec<_> =
        instance.exports(&store).into_iter().filter_map(|(name, e)| Some((name.to_string(), e.into_func()?))).collect();
    for (name, f) in funcs {
        let ty = f.ty(&store);
        if ty.params().iter().any(|t| matches!(t, ValType::Ref(r) if !r.is_nullable())) {
            continue;
        }
        let args: Vec<Val> = ty.params().iter().map(|t| Val::default_for(*t)).collect();
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        let (outcome, fuel) = store.root_scope(|store| -> Result<(String, Option<u64>), String> {
            let (outcome, fuel) = match way {
                Way::Plain => (f.call(&mut *store, &args, &mut results), None),
                Way::Metered => {
                    store.set_fuel(PLENTY).map_err(|e| e.to_string())?;
                    let outcome = f.call(&mut *store, &args, &mut results);
                    (outcome, Some(PLENTY - store.get_fuel().map_err(|e| e.to_string())?))
                }
                Way::Sliced(slice) => {
                    let (outcome, fuel) = sliced_call(store, &f, &args, &mut results, slice)?;
                    (outcome, Some(fuel))
                }
            };
            let text = match outcome {
                Ok(()) => results.iter().map(|v| crate::gc::describe(store, v)).collect::<Vec<_>>().join(", "),
                Err(e) => match e.trap_code() {
                    Some(code) => format!("trap {code:?}"),
                    None if e.as_exception().is_some() => "exception".into(),
                    None => format!("error {e}"),
                },
            };
            Ok((text, fuel))
        })?;
        if outcome.contains("internal error") {
            return Err(format!("{name} ({way:?}): {outcome}"));
        }
        log.push((format!("{name}: {outcome}"), fuel));
    }
    Ok(log)
}

/// Calls `f` resumably, `slice` fuel at a time, collecting the heap at every pause; returns
/// the call's outcome and the fuel it took. A call that pauses very often gets larger slices
/// (which changes nothing but the number of pauses), to bound the time a seed takes.
fn sliced_call(
    store: &mut Store<()>,
    f: &mica::Func,
    args: &[Val],
    results: &mut [Val],
    mut slice: u64,
) -> Result<(mica::Result<()>, u64), String> {
    let fuel = |store: &Store<()>| store.get_fuel().map_err(|e| e.to_string());
    store.set_fuel(slice).map_err(|e| e.to_string())?;
    let mut given = slice;
    let mut pauses = 0u32;
    let mut call = f.call_resumable(&mut *store, args, results);
    loop {
        match call {
            Ok(ResumableCall::Finished) => return Ok((Ok(()), given - fuel(store)?)),
            Err(e) => return Ok((Err(e), given - fuel(store)?)),
            Ok(ResumableCall::Paused(paused)) => {
                if !matches!(paused.reason(), PauseReason::OutOfFuel) {
                    return Err(format!("a call paused for {:?}", paused.reason()));
                }
                pauses += 1;
                if pauses.is_multiple_of(4096) {
                    slice = slice.saturating_mul(4).min(PLENTY);
                }
                store.gc();
                let left = fuel(store)?;
                store.set_fuel(left + slice).map_err(|e| e.to_string())?;
                given += slice;
                call = paused.resume(&mut *store, &[], results);
            }
        }
    }
}

/// Generates a module from `data` and checks that the three ways agree on it.
pub fn check(data: &[u8]) -> Result<(), String> {
    let Some(wasm) = crate::gc::generate(data) else { return Ok(()) };
    let slice = 1 + u64::from(data.last().copied().unwrap_or(0) % 64);
    let plain = run(&wasm, Way::Plain)?;
    if plain.first().is_some_and(|(s, _)| s == "refused") {
        return Ok(());
    }
    let metered = run(&wasm, Way::Metered)?;
    let sliced = run(&wasm, Way::Sliced(slice))?;
    let outcomes = |log: &[(String, Option<u64>)]| log.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>();
    if outcomes(&plain) != outcomes(&metered) {
        return Err(format!("metering changed a result:\n  plain:   {plain:?}\n  metered: {metered:?}"));
    }
    if metered != sliced {
        return Err(format!(
            "resumable calls in slices of {slice} differ from whole calls (outcome, fuel):\n  whole:  {metered:?}\n  sliced: {sliced:?}"
        ));
    }
    STATS.with(|s| {
        let mut s = s.borrow_mut();
        s.modules += 1;
        s.calls += metered.len();
        s.fuel += metered.iter().filter_map(|(_, f)| *f).sum::<u64>();
    });
    Ok(())
}

/// What the checks of this thread covered: modules compared, export calls, fuel consumed
/// (by the whole calls).
#[derive(Debug, Default, Clone, Copy)]
pub struct Coverage {
    pub modules: usize,
    pub calls: usize,
    pub fuel: u64,
}

std::thread_local! {
    static STATS: core::cell::RefCell<Coverage> = core::cell::RefCell::new(Coverage::default());
}

/// This thread's coverage so far.
pub fn coverage() -> Coverage {
    STATS.with(|s| *s.borrow())
}
