//! Fuel is deterministic: each benchmark program (`tests/programs/bench`) consumes exactly
//! the same fuel in eager and lazy translation, and exactly the figure written here, which
//! the tests check under both dispatch modes (debug builds dispatch through a loop, CI's
//! release run by handler-to-handler jumps) and on every platform they run on.

mod common;

use common::program;
use mica::{Config, Engine, Linker, Module, Store, TranslationMode};
use mica_wasi::{I32Exit, MemoryOutputPipe, WasiCtx, WasiCtxBuilder};

/// Each program, its arguments (small sizes), the line it prints and the fuel it takes.
const PROGRAMS: &[(&str, &[&str], &str, u64)] = &[
    ("fib.wasm", &["20"], "checksum: 6765\n", 244_378),
    ("sieve.wasm", &["1"], "checksum: 295947\n", 242_659_941),
    ("sha256.wasm", &["1"], "checksum: bb0d396c1d83e12ea6d66bcb3223478b3028c6dc74f12303232c8e0a96b0c6dd\n", 150_584_099),
    ("qsort.wasm", &["20000"], "checksum: 3c23e3d13312863d\n", 9_943_815),
    ("memops_bulk.wasm", &["1"], "checksum: 4c74423105f539bb\n", 511_006),
    ("nbody.wasm", &["2000"], "checksum: -0.169075164 -0.169071607\n", 3_134_740),
    ("matmul.wasm", &["24"], "checksum: 506.920074 12385.130859 4f8f4a85a7b79ef7\n", 386_724),
    ("blur_simd.wasm", &["64", "2"], "checksum: eeb1f088c43c3ab4\n", 246_755),
    ("hostcall.wasm", &["1000"], "checksum: 1000\n", 77_762),
];

/// Runs `_start` of `name` with `args` under `mode`, metered: what it printed and the fuel
/// it consumed.
fn metered_run(name: &str, args: &[&str], mode: TranslationMode) -> (String, u64) {
    let mut config = Config::new();
    config.translation(mode).consume_fuel(true);
    let engine = Engine::new(&config);
    let bytes = std::fs::read(program(&format!("bench/{name}"))).expect("fixture exists");
    let module = Module::new(&engine, &bytes).expect("module loads");
    let mut linker = Linker::<WasiCtx>::new(&engine);
    mica_wasi::add_to_linker(&mut linker, |ctx| ctx).unwrap();
    let stdout = MemoryOutputPipe::new();
    let mut builder = WasiCtxBuilder::new();
    builder.stdout(stdout.clone()).arg(name).args(args.iter().copied());
    let mut store = Store::new(&engine, builder.build());
    const GIVEN: u64 = 1 << 40;
    store.set_fuel(GIVEN).unwrap();
    let result = linker.instantiate(&mut store, &module).and_then(|instance| {
        let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
        start.call(&mut store, ())
    });
    match result {
        Ok(()) => {}
        Err(e) if e.downcast_ref::<I32Exit>().is_some_and(|e| e.0 == 0) => {}
        Err(e) => panic!("{name} failed: {e}"),
    }
    let consumed = GIVEN - store.get_fuel().unwrap();
    (String::from_utf8(stdout.contents()).unwrap(), consumed)
}

#[test]
fn benchmark_programs_consume_the_same_fuel_in_every_mode() {
    let mut report = Vec::new();
    for &(name, args, expected_out, expected_fuel) in PROGRAMS {
        let (out, eager) = metered_run(name, args, TranslationMode::Eager);
        let (lazy_out, lazy) = metered_run(name, args, TranslationMode::Lazy);
        report.push(format!("{name} {args:?}: {out:?} fuel {eager}"));
        assert_eq!(out, lazy_out, "{name}: output differs between modes");
        assert_eq!(eager, lazy, "{name}: fuel differs between eager and lazy translation");
        assert_eq!(out, expected_out, "{name}");
        assert_eq!(eager, expected_fuel, "{name}: fuel differs from the recorded figure");
    }
    println!("{}", report.join("\n"));
}
