//! Fuel: the cost model, exactness, out-of-fuel traps, host charges.

mod common;

use common::{engine_with, expect_trap, instantiate, instantiate_with};
use mica::{Caller, Config, FuelCosts, TranslationMode, TrapCode};

fn metered(mode: TranslationMode) -> mica::Engine {
    engine_with(mode, |c: &mut Config| {
        c.consume_fuel(true);
    })
}

/// `count(n)` loops `n` times; each iteration runs a fixed set of operators.
const COUNT: &str = r#"
    (module
      (func (export "count") (param $n i32) (result i32)
        (local $i i32)
        (block $out
          (loop $top
            (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $top)))
        (local.get $i)))
"#;

/// The fuel `count(n)` takes: per iteration `local.get`, `local.get`, `i32.ge_u`, `br_if`,
/// `local.get`, `i32.const`, `i32.add`, `local.set`, `br` (9); the last test (4), and the
/// `local.get` after the block (1).
fn count_fuel(n: u64) -> u64 {
    9 * n + 4 + 1
}

fn fuel_is_exact(mode: TranslationMode) {
    let engine = metered(mode);
    let (mut store, instance) = instantiate(&engine, COUNT);
    let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
    for n in [0u64, 1, 2, 10, 1000] {
        store.set_fuel(1_000_000).unwrap();
        assert_eq!(count.call(&mut store, n as i32).unwrap(), n as i32);
        assert_eq!(1_000_000 - store.get_fuel().unwrap(), count_fuel(n), "n = {n}");
    }
}

fn out_of_fuel_traps(mode: TranslationMode) {
    let engine = metered(mode);
    let (mut store, instance) = instantiate(&engine, COUNT);
    let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
    // A store starts with none.
    let error = expect_trap(count.call(&mut store, 1), TrapCode::OutOfFuel);
    assert!(error.to_string().contains("all fuel consumed"), "{error}");
    // Exactly enough runs; one less traps.
    store.set_fuel(count_fuel(100)).unwrap();
    assert_eq!(count.call(&mut store, 100).unwrap(), 100);
    assert_eq!(store.get_fuel().unwrap(), 0);
    store.set_fuel(count_fuel(100) - 1).unwrap();
    expect_trap(count.call(&mut store, 100), TrapCode::OutOfFuel);
    // The store stays usable.
    store.set_fuel(1000).unwrap();
    assert_eq!(count.call(&mut store, 3).unwrap(), 3);
}

fn costs_are_configurable(mode: TranslationMode) {
    let engine = engine_with(mode, |c: &mut Config| {
        c.consume_fuel(true).fuel_costs(FuelCosts { base: 3, ..FuelCosts::default() });
    });
    let (mut store, instance) = instantiate(&engine, COUNT);
    let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
    store.set_fuel(1_000_000).unwrap();
    count.call(&mut store, 10).unwrap();
    assert_eq!(1_000_000 - store.get_fuel().unwrap(), 3 * count_fuel(10));
}

fn host_functions_charge_fuel(mode: TranslationMode) {
    let engine = metered(mode);
    let wat = r#"
        (module
          (import "host" "work" (func $work (param i32)))
          (func (export "run") (param i32)
            (call $work (local.get 0))))
    "#;
    let (mut store, instance) = instantiate_with(&engine, (), wat, |linker| {
        linker
            .func_wrap("host", "work", |mut caller: Caller<'_, ()>, units: i32| -> mica::Result<()> {
                caller.consume_fuel(units as u64)
            })
            .unwrap();
    });
    let run = instance.get_typed_func::<i32, ()>(&store, "run").unwrap();
    let costs = FuelCosts::default();
    // `local.get`, `call` (a host call on top), and what the host charges.
    let call = u64::from(costs.base + costs.call + costs.host_call);
    store.set_fuel(1000).unwrap();
    run.call(&mut store, 100).unwrap();
    assert_eq!(store.get_fuel().unwrap(), 1000 - call - 100);
    store.set_fuel(call + 5).unwrap();
    expect_trap(run.call(&mut store, 6), TrapCode::OutOfFuel);
}

fn fuel_needs_metering(mode: TranslationMode) {
    let engine = engine_with(mode, |_| {});
    let (mut store, _) = instantiate(&engine, COUNT);
    assert!(store.set_fuel(1).is_err());
    assert!(store.get_fuel().is_err());
}

both_modes!(fuel_is_exact, out_of_fuel_traps, costs_are_configurable, host_functions_charge_fuel, fuel_needs_metering);
