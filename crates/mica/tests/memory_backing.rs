//! Linear memory is reserved, not committed: a module that declares (or grows to) a 4 GiB
//! memory and touches one page costs about one page of resident memory, and a table cannot
//! be grown past the engine's element limit. The resident-memory checks run each scenario in
//! a child process (this test binary, run again with `CHILD_ENV` naming the scenario), so
//! that nothing else this binary's tests allocate counts; the peak (`VmHWM`) is read from
//! `/proc/self/status`, on Linux only (elsewhere the scenarios still run and check their
//! results).
//!
//! The rest checks that memories still behave: growth, `memory.size`, bounds traps at the
//! new end, bulk operations there, growth and access from the host, small maximums and the
//! engine's page limit.

#[macro_use]
mod common;

use common::*;
use mica::{
    Config, Engine, Extern, Instance, Linker, Memory, MemoryType, Module, Store, TranslationMode,
    TrapCode, TypedFunc,
};
use std::process::Command;
use std::time::{Duration, Instant};

const PAGE: usize = 65536;

/// The environment variable that makes `child_scenario` run a scenario.
const CHILD_ENV: &str = "MICA_MEMORY_BACKING_SCENARIO";

/// The most a scenario's whole process may have had resident at its peak.
const PEAK_LIMIT_KB: u64 = 50 * 1024;

/// The entry point of the child processes: runs the scenario `CHILD_ENV` names, then prints
/// the process's peak resident set. Does nothing in an ordinary test run.
#[test]
fn child_scenario() {
    let Ok(scenario) = std::env::var(CHILD_ENV) else { return };
    match scenario.as_str() {
        "declared" => declared_4gib_memory_touching_one_page(),
        "grown" => memory_grown_to_65535_pages_touching_one_page(),
        "table" => table_grow_by_900_million(),
        "stores" => many_stores_with_4gib_memories(),
        "refused" => memories_without_a_reservation(),
        other => panic!("unknown scenario {other}"),
    }
    if let Some(kb) = status_kb("VmHWM") {
        // On a line of its own: the harness prints the test's name before it.
        println!("\npeak-rss-kb={kb}");
    }
}

/// Runs `scenario` in a child process and returns its peak resident set in KiB (`None` where
/// the platform does not say).
fn peak_rss_kb(scenario: &str) -> Option<u64> {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut child = Command::new(exe);
    child.args(["child_scenario", "--exact", "--nocapture", "--test-threads=1"]);
    run_child(scenario, child)
}

/// Runs `child` (this binary, to run `scenario`), checks that it succeeded, and returns its
/// peak resident set in KiB where the platform says.
fn run_child(scenario: &str, mut child: Command) -> Option<u64> {
    let out = child.env(CHILD_ENV, scenario).output().expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "scenario {scenario} failed ({}):\n{stdout}\n{stderr}", out.status);
    let peak = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kb="))
        .map(|kb| kb.trim().parse().expect("a number of KiB"));
    assert!(peak.is_some() || status_kb("VmHWM").is_none(), "no peak reported:\n{stdout}");
    eprintln!("scenario {scenario}: peak RSS {peak:?} KiB");
    peak
}

/// A field of `/proc/self/status`, in KiB.
fn status_kb(field: &str) -> Option<u64> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

fn assert_peak_below_limit(scenario: &str) {
    if let Some(kb) = peak_rss_kb(scenario) {
        assert!(kb < PEAK_LIMIT_KB, "scenario {scenario}: peak RSS {kb} KiB, limit {PEAK_LIMIT_KB} KiB");
    }
}

// --- Resident memory (64-bit hosts: a 4 GiB memory does not fit a 32-bit address space) ---

#[test]
#[cfg(target_pointer_width = "64")]
fn declared_4gib_memory_costs_what_is_touched() {
    assert_peak_below_limit("declared");
}

#[test]
#[cfg(target_pointer_width = "64")]
fn memory_grown_to_65535_pages_costs_what_is_touched() {
    assert_peak_below_limit("grown");
}

#[test]
fn table_grow_by_900_million_fails_quickly_and_cheaply() {
    assert_peak_below_limit("table");
}

#[test]
#[cfg(target_pointer_width = "64")]
fn dropped_memories_release_their_address_space() {
    assert_peak_below_limit("stores");
}

/// Under an address-space limit (`ulimit -v`) that no 4 GiB reservation fits, memories fall
/// back to heap buffers, and what cannot be allocated is an error or a failed growth, never an
/// abort.
#[test]
#[cfg(target_os = "linux")]
fn memories_work_when_address_space_cannot_be_reserved() {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut child = Command::new("sh");
    child
        .arg("-c")
        .arg(r#"ulimit -v 1572864 && exec "$0" child_scenario --exact --nocapture --test-threads=1"#)
        .arg(exe);
    run_child("refused", child);
}

/// `(memory 65536)`, one store near its end and one in its middle, read back by the guest
/// and the host.
fn declared_4gib_memory_touching_one_page() {
    let engine = Engine::default();
    let (mut store, instance) = instantiate(
        &engine,
        r#"(module
          (memory (export "mem") 65536)
          (data (i32.const 0x8000_0000) "mid")
          (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "size") (result i32) (memory.size)))"#,
    );
    let poke = instance.get_typed_func::<(i32, i32), ()>(&store, "poke").unwrap();
    let peek = instance.get_typed_func::<i32, i32>(&store, "peek").unwrap();
    let size = instance.get_typed_func::<(), i32>(&store, "size").unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 65536);
    poke.call(&mut store, (-4, 0x1234_5678)).unwrap();
    assert_eq!(peek.call(&mut store, -4).unwrap(), 0x1234_5678);
    expect_trap(peek.call(&mut store, -3), TrapCode::MemoryOutOfBounds);
    let memory = instance.get_memory(&store, "mem").unwrap();
    let data = memory.data(&store).unwrap();
    assert_eq!(data.len(), 65536 * PAGE);
    assert_eq!(&data[data.len() - 4..], &0x1234_5678u32.to_le_bytes());
    assert_eq!(&data[0x8000_0000..0x8000_0003], b"mid");
    assert_eq!(memory.grow(&mut store, 1).ok(), None, "a 32-bit memory is full at 65536 pages");
}

/// `(memory 0)` grown to 65535 pages by the guest, then written at its last byte.
fn memory_grown_to_65535_pages_touching_one_page() {
    let engine = Engine::default();
    let (mut store, instance) = instantiate(
        &engine,
        r#"(module
          (memory (export "mem") 0)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "poke8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
          (func (export "peek8") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    );
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    let poke8 = instance.get_typed_func::<(i32, i32), ()>(&store, "poke8").unwrap();
    let peek8 = instance.get_typed_func::<i32, i32>(&store, "peek8").unwrap();
    assert_eq!(grow.call(&mut store, 65535).unwrap(), 0);
    let end = (65535 * PAGE) as i32;
    poke8.call(&mut store, (end.wrapping_sub(1), 0xab)).unwrap();
    assert_eq!(peek8.call(&mut store, end.wrapping_sub(1)).unwrap(), 0xab);
    expect_trap(peek8.call(&mut store, end), TrapCode::MemoryOutOfBounds);
    let memory = instance.get_memory(&store, "mem").unwrap();
    assert_eq!(memory.size(&store).unwrap(), 65535);
    // One more page is the last a 32-bit memory can have; the host grows it.
    assert_eq!(memory.grow(&mut store, 1).unwrap(), 65535);
    assert_eq!(peek8.call(&mut store, end).unwrap(), 0);
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
}

/// `table.grow` by 900,000,000 elements (7.2 GB of cells) under the default limits.
fn table_grow_by_900_million() {
    let engine = Engine::default();
    let (mut store, instance) = instantiate(
        &engine,
        r#"(module
          (table (export "t") 1 funcref)
          (func (export "grow") (param i32) (result i32)
            (table.grow (ref.null func) (local.get 0)))
          (func (export "size") (result i32) (table.size)))"#,
    );
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    let size = instance.get_typed_func::<(), i32>(&store, "size").unwrap();
    let started = Instant::now();
    assert_eq!(grow.call(&mut store, 900_000_000).unwrap(), -1);
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert_eq!(size.call(&mut store, ()).unwrap(), 1);
    assert_eq!(grow.call(&mut store, 10).unwrap(), 1, "a small growth still works");
}

/// Stores with 4 GiB memories, one after the other: each store's reservation is returned
/// when it is dropped (the child's address space stays far below what 16 of them take).
fn many_stores_with_4gib_memories() {
    let engine = Engine::default();
    let module = module(
        &engine,
        r#"(module (memory 65536)
          (func (export "poke") (i32.store (i32.const 0x7fff_0000) (i32.const 1))))"#,
    );
    let before = status_kb("VmSize");
    for _ in 0..16 {
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        instance.get_typed_func::<(), ()>(&store, "poke").unwrap().call(&mut store, ()).unwrap();
    }
    if let (Some(before), Some(after)) = (before, status_kb("VmSize")) {
        assert!(after < before + 8 * 1024 * 1024, "address space grew from {before} to {after} KiB");
    }
}

/// Run with at most 1.5 GiB of address space.
fn memories_without_a_reservation() {
    let engine = Engine::default();
    let (mut store, instance) = instantiate(
        &engine,
        r#"(module
          (memory (export "mem") 1)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
          (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))"#,
    );
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    let poke = instance.get_typed_func::<(i32, i32), ()>(&store, "poke").unwrap();
    let peek = instance.get_typed_func::<i32, i32>(&store, "peek").unwrap();
    poke.call(&mut store, (0, 5)).unwrap();
    assert_eq!(grow.call(&mut store, 99).unwrap(), 1);
    poke.call(&mut store, (100 * PAGE as i32 - 4, 6)).unwrap();
    assert_eq!(peek.call(&mut store, 0).unwrap(), 5);
    assert_eq!(peek.call(&mut store, 100 * PAGE as i32 - 4).unwrap(), 6);
    expect_trap(peek.call(&mut store, 100 * PAGE as i32 - 3), TrapCode::MemoryOutOfBounds);
    // 2 GiB more cannot be had: growth fails, and the memory is as it was.
    assert_eq!(grow.call(&mut store, 32768).unwrap(), -1);
    assert_eq!(peek.call(&mut store, 100 * PAGE as i32 - 4).unwrap(), 6);
    // Nor can a 2 GiB memory: instantiation fails with an error.
    let huge = module(&engine, "(module (memory 32768))");
    let error = Instance::new(&mut store, &huge, &[]).unwrap_err();
    assert!(error.to_string().contains("cannot allocate a memory of 32768 pages"), "{error}");
    assert!(Memory::new(&mut store, MemoryType::new(32768, None)).is_err());
    assert_eq!(peek.call(&mut store, 0).unwrap(), 5);
}

// --- Behaviour ---

both_modes! {
    growth_size_and_bounds_at_the_new_end,
    bulk_operations_at_the_new_end,
    small_maximum,
    host_calls_that_grow_memory_mid_call,
}

const GROWING: &str = r#"(module
  (memory (export "mem") 1 8)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.store offset=8 (local.get 0) (local.get 1)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2))))"#;

struct Growing {
    grow: TypedFunc<i32, i32>,
    size: TypedFunc<(), i32>,
    load: TypedFunc<i32, i32>,
    load8: TypedFunc<i32, i32>,
    store: TypedFunc<(i32, i32), ()>,
    store64: TypedFunc<(i32, i64), ()>,
    fill: TypedFunc<(i32, i32, i32), ()>,
    copy: TypedFunc<(i32, i32, i32), ()>,
    memory: Memory,
}

fn growing(mode: TranslationMode) -> (Store<()>, Growing) {
    let (store, instance) = instantiate(&engine(mode), GROWING);
    let f = |name| instance.get_func(&store, name).unwrap();
    let g = Growing {
        grow: f("grow").typed(&store).unwrap(),
        size: f("size").typed(&store).unwrap(),
        load: f("load").typed(&store).unwrap(),
        load8: f("load8").typed(&store).unwrap(),
        store: f("store").typed(&store).unwrap(),
        store64: f("store64").typed(&store).unwrap(),
        fill: f("fill").typed(&store).unwrap(),
        copy: f("copy").typed(&store).unwrap(),
        memory: instance.get_memory(&store, "mem").unwrap(),
    };
    (store, g)
}

fn growth_size_and_bounds_at_the_new_end(mode: TranslationMode) {
    let (mut s, g) = growing(mode);
    let end = |pages: i32| pages * PAGE as i32;
    assert_eq!(g.size.call(&mut s, ()).unwrap(), 1);
    expect_trap(g.load.call(&mut s, end(1) - 3), TrapCode::MemoryOutOfBounds);
    assert_eq!(g.grow.call(&mut s, 2).unwrap(), 1);
    assert_eq!(g.size.call(&mut s, ()).unwrap(), 3);
    // The new pages are zero, accessible up to the new end and not past it.
    assert_eq!(g.load.call(&mut s, end(1) - 3).unwrap(), 0);
    assert_eq!(g.load.call(&mut s, end(3) - 4).unwrap(), 0);
    g.store.call(&mut s, (end(3) - 4, -7)).unwrap();
    assert_eq!(g.load.call(&mut s, end(3) - 4).unwrap(), -7);
    expect_trap(g.load.call(&mut s, end(3) - 3), TrapCode::MemoryOutOfBounds);
    expect_trap(g.load8.call(&mut s, end(3)), TrapCode::MemoryOutOfBounds);
    expect_trap(g.store.call(&mut s, (end(3) - 2, 1)), TrapCode::MemoryOutOfBounds);
    expect_trap(g.store64.call(&mut s, (end(3) - 15, 1)), TrapCode::MemoryOutOfBounds);
    g.store64.call(&mut s, (end(3) - 16, -1)).unwrap();
    // The host sees the same bytes, and grows the same memory.
    let data = g.memory.data(&s).unwrap();
    assert_eq!(data.len(), 3 * PAGE);
    assert_eq!(&data[data.len() - 8..], &[0xff; 8]);
    assert_eq!(g.memory.grow(&mut s, 1).unwrap(), 3);
    assert_eq!(g.size.call(&mut s, ()).unwrap(), 4);
    assert_eq!(g.load8.call(&mut s, end(4) - 1).unwrap(), 0);
    g.memory.data_mut(&mut s).unwrap()[end(4) as usize - 1] = 0x5a;
    assert_eq!(g.load8.call(&mut s, end(4) - 1).unwrap(), 0x5a);
    // Growing by nothing, then to the maximum, then past it.
    assert_eq!(g.grow.call(&mut s, 0).unwrap(), 4);
    assert_eq!(g.grow.call(&mut s, 5).unwrap(), -1);
    assert_eq!(g.grow.call(&mut s, 4).unwrap(), 4);
    assert_eq!(g.grow.call(&mut s, 1).unwrap(), -1);
    assert!(g.memory.grow(&mut s, 1).is_err());
    assert_eq!(g.size.call(&mut s, ()).unwrap(), 8);
    assert_eq!(g.memory.size(&s).unwrap(), 8);
    assert_eq!(g.memory.ty(&s).unwrap(), MemoryType::new(8, Some(8)));
    // What was written before the growth is still there.
    assert_eq!(g.load.call(&mut s, end(3) - 4).unwrap(), -1);
    assert_eq!(g.load8.call(&mut s, end(4) - 1).unwrap(), 0x5a);
}

fn bulk_operations_at_the_new_end(mode: TranslationMode) {
    let (mut s, g) = growing(mode);
    assert_eq!(g.grow.call(&mut s, 1).unwrap(), 1);
    let end = 2 * PAGE as i32;
    g.fill.call(&mut s, (end - 100, 0x11, 100)).unwrap();
    expect_trap(g.fill.call(&mut s, (end - 100, 0x22, 101)), TrapCode::MemoryOutOfBounds);
    g.copy.call(&mut s, (0, end - 100, 100)).unwrap();
    g.copy.call(&mut s, (end - 50, 0, 50)).unwrap();
    expect_trap(g.copy.call(&mut s, (end - 49, 0, 50)), TrapCode::MemoryOutOfBounds);
    expect_trap(g.copy.call(&mut s, (0, end - 49, 50)), TrapCode::MemoryOutOfBounds);
    let data = g.memory.data(&s).unwrap();
    assert!(data[end as usize - 100..].iter().all(|&b| b == 0x11));
    assert!(data[..100].iter().all(|&b| b == 0x11));
    assert!(data[100..end as usize - 100].iter().all(|&b| b == 0));
    // Zero-length operations at the very end are in bounds, one past it they are not.
    g.fill.call(&mut s, (end, 0, 0)).unwrap();
    expect_trap(g.fill.call(&mut s, (end + 1, 0, 0)), TrapCode::MemoryOutOfBounds);
}

fn small_maximum(mode: TranslationMode) {
    let engine = engine(mode);
    let (mut s, instance) = instantiate(
        &engine,
        r#"(module
          (memory (export "mem") 0 0)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    );
    let grow = instance.get_typed_func::<i32, i32>(&s, "grow").unwrap();
    let load8 = instance.get_typed_func::<i32, i32>(&s, "load8").unwrap();
    expect_trap(load8.call(&mut s, 0), TrapCode::MemoryOutOfBounds);
    assert_eq!(grow.call(&mut s, 0).unwrap(), 0);
    assert_eq!(grow.call(&mut s, 1).unwrap(), -1);
    let memory = instance.get_memory(&s, "mem").unwrap();
    assert_eq!(memory.data(&s).unwrap().len(), 0);
    assert!(memory.grow(&mut s, 1).is_err());
    assert_eq!(memory.grow(&mut s, 0).unwrap(), 0);
    expect_trap(load8.call(&mut s, 0), TrapCode::MemoryOutOfBounds);

    let (mut s, instance) = instantiate(
        &engine,
        r#"(module
          (memory (export "mem") 1 2)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))"#,
    );
    let grow = instance.get_typed_func::<i32, i32>(&s, "grow").unwrap();
    let load8 = instance.get_typed_func::<i32, i32>(&s, "load8").unwrap();
    let memory = instance.get_memory(&s, "mem").unwrap();
    assert_eq!(memory.grow(&mut s, 1).unwrap(), 1);
    assert!(memory.grow(&mut s, 1).is_err());
    assert_eq!(grow.call(&mut s, 1).unwrap(), -1);
    assert_eq!(memory.data(&s).unwrap().len(), 2 * PAGE);
    assert_eq!(load8.call(&mut s, 2 * PAGE as i32 - 1).unwrap(), 0);
    expect_trap(load8.call(&mut s, 2 * PAGE as i32), TrapCode::MemoryOutOfBounds);
}

/// A host function grows the memory while the guest is running, and the guest then uses the
/// new pages: the handlers' memory pointer and length are re-derived after the call.
fn host_calls_that_grow_memory_mid_call(mode: TranslationMode) {
    let engine = engine(mode);
    let (mut s, instance) = instantiate_with(
        &engine,
        (),
        r#"(module
          (import "host" "grow" (func $grow (param i32) (result i32)))
          (memory (export "mem") 1)
          (func (export "run") (result i32)
            (i32.store (i32.const 65532) (i32.const 3))
            (drop (call $grow (i32.const 15)))
            (i32.store (i32.const 1048572) (i32.load (i32.const 65532)))
            (i32.add (memory.size) (i32.load (i32.const 1048572)))))"#,
        |linker| {
            linker
                .func_wrap("host", "grow", |mut caller: mica::Caller<'_, ()>, delta: i32| {
                    let memory = caller.get_export("mem").and_then(Extern::into_memory).unwrap();
                    memory.grow(&mut caller, delta as u64).map(|old| old as i32)
                })
                .unwrap();
        },
    );
    let run = instance.get_typed_func::<(), i32>(&s, "run").unwrap();
    assert_eq!(run.call(&mut s, ()).unwrap(), 16 + 3);
    let memory = instance.get_memory(&s, "mem").unwrap();
    assert_eq!(&memory.data(&s).unwrap()[1048572..], &3u32.to_le_bytes());
}

#[test]
fn host_memories_and_the_engine_page_limit() {
    let mut config = Config::new();
    config.max_memory_pages(4);
    let engine = Engine::new(&config);
    let mut store = Store::new(&engine, ());
    // A host memory: created, grown, written, then imported by a module that reads it.
    let memory = Memory::new(&mut store, MemoryType::new(1, None)).unwrap();
    assert_eq!(memory.grow(&mut store, 2).unwrap(), 1);
    memory.write(&mut store, 3 * PAGE - 4, &9u32.to_le_bytes()).unwrap();
    assert!(memory.write(&mut store, 3 * PAGE - 3, &9u32.to_le_bytes()).is_err());
    let module = Module::new(
        &engine,
        r#"(module (import "env" "mem" (memory 1))
          (func (export "last") (result i32) (i32.load (i32.const 196604)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    )
    .unwrap();
    let instance = Instance::new(&mut store, &module, &[memory.into()]).unwrap();
    let last = instance.get_typed_func::<(), i32>(&store, "last").unwrap();
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(last.call(&mut store, ()).unwrap(), 9);
    // The engine allows 4 pages whatever the type says.
    assert_eq!(grow.call(&mut store, 2).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 1).unwrap(), 3);
    assert!(memory.grow(&mut store, 1).is_err());
    let mut buffer = [0; 4];
    memory.read(&store, 3 * PAGE - 4, &mut buffer).unwrap();
    assert_eq!(buffer, 9u32.to_le_bytes());
    // A memory whose minimum is past the limit cannot be created, by a module or the host.
    assert!(Memory::new(&mut store, MemoryType::new(5, None)).is_err());
    let big = Module::new(&engine, "(module (memory 5))").unwrap();
    assert!(Linker::new(&engine).instantiate(&mut store, &big).is_err());
    // The failures left the store usable.
    assert_eq!(last.call(&mut store, ()).unwrap(), 9);
}

#[test]
fn data_segments_fill_large_memories_where_they_say() {
    let engine = Engine::default();
    let (store, instance) = instantiate(
        &engine,
        r#"(module (memory (export "mem") 300)
          (data (i32.const 0) "start")
          (data (i32.const 19660795) "end!!"))"#,
    );
    let data = instance.get_memory(&store, "mem").unwrap().data(&store).unwrap();
    assert_eq!(data.len(), 300 * PAGE);
    assert_eq!(&data[..5], b"start");
    assert_eq!(&data[300 * PAGE - 5..], b"end!!");
    // A segment past the end is an instantiation failure.
    let mut store = Store::new(&engine, ());
    let module = Module::new(&engine, r#"(module (memory 1) (data (i32.const 65534) "abc"))"#).unwrap();
    assert!(Instance::new(&mut store, &module, &[]).is_err());
}
