//! The engine's limits on what a store holds (`Config::max_table_elements`, `max_instances`,
//! `max_tables`, `max_memories`, and `max_memory_bytes` per memory and per store): growth past a limit fails the
//! spec's way (`table.grow`/`memory.grow` return -1, `Table::grow`/`Memory::grow` fail),
//! creation past one is an error at instantiation, and none of it aborts or leaves the store
//! unusable. (Resident memory under the default limits: `memory_backing.rs`.)

#[macro_use]
mod common;

use common::*;
use mica::{
    Config, Engine, ErrorKind, Instance, Linker, Memory, MemoryType, Module, RefType, Store,
    Table, TableType, TranslationMode, Val,
};

fn engine_limited(tweak: impl FnOnce(&mut Config)) -> Engine {
    engine_with(TranslationMode::Eager, tweak)
}

/// Asserts that instantiating `module` in `store` fails with a link error whose message
/// mentions `what`, and returns the message.
#[track_caller]
fn instantiation_fails(store: &mut Store<()>, module: &Module, what: &str) -> String {
    match Instance::new(&mut *store, module, &[]) {
        Ok(_) => panic!("instantiation succeeded, expected a failure about {what}"),
        Err(e) => {
            assert!(matches!(e.kind(), ErrorKind::Link(_)), "not a link error: {e:?}");
            let message = e.to_string();
            assert!(message.contains(what), "{message}");
            message
        }
    }
}

const TABLE: &str = r#"(module
  (table (export "t") 10 funcref)
  (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0)))
  (func (export "size") (result i32) (table.size)))"#;

both_modes! {
    table_grow_stops_at_the_element_limit,
}

fn table_grow_stops_at_the_element_limit(mode: TranslationMode) {
    let engine = engine_with(mode, |c| {
        c.max_table_elements(100);
    });
    let (mut store, instance) = instantiate(&engine, TABLE);
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    let size = instance.get_typed_func::<(), i32>(&store, "size").unwrap();
    assert_eq!(grow.call(&mut store, 91).unwrap(), -1);
    assert_eq!(grow.call(&mut store, -1).unwrap(), -1);
    assert_eq!(size.call(&mut store, ()).unwrap(), 10);
    assert_eq!(grow.call(&mut store, 90).unwrap(), 10);
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 0).unwrap(), 100);
    let table = instance.get_table(&store, "t").unwrap();
    let null = Val::FuncRef(None);
    assert!(table.grow(&mut store, 1, null).is_err());
    assert_eq!(table.size(&store).unwrap(), 100);
    assert_eq!(size.call(&mut store, ()).unwrap(), 100);
}

#[test]
fn table_grow_by_900_million_under_the_default_limit() {
    let (mut store, instance) = instantiate(&Engine::default(), TABLE);
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 900_000_000).unwrap(), -1);
    // Just under the default limit of 10,000,000 works (80 MB), and then no more.
    assert_eq!(grow.call(&mut store, 10_000_000 - 10).unwrap(), 10);
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
    let table = instance.get_table(&store, "t").unwrap();
    assert!(table.grow(&mut store, 1, Val::FuncRef(None)).is_err());
}

#[test]
fn table_initial_size_past_the_limit_is_an_instantiation_error() {
    let engine = engine_limited(|c| {
        c.max_table_elements(100);
    });
    let mut store = Store::new(&engine, ());
    let fits = module(&engine, "(module (table 100 funcref))");
    let over = module(&engine, "(module (table 101 funcref))");
    Instance::new(&mut store, &fits, &[]).unwrap();
    let message = instantiation_fails(&mut store, &over, "max_table_elements");
    assert!(message.contains("101"), "{message}");
    // The host cannot create one either.
    let null = Val::FuncRef(None);
    assert!(Table::new(&mut store, TableType::new(RefType::FUNCREF, 101, None), null).is_err());
    let table = Table::new(&mut store, TableType::new(RefType::FUNCREF, 100, None), null).unwrap();
    assert!(table.grow(&mut store, 1, null).is_err());
    // A table type's own maximum still applies below the limit.
    let small = Table::new(&mut store, TableType::new(RefType::FUNCREF, 1, Some(2)), null).unwrap();
    assert_eq!(small.grow(&mut store, 1, null).unwrap(), 1);
    assert!(small.grow(&mut store, 1, null).is_err());
}

#[test]
fn a_zero_element_limit_allows_only_empty_tables() {
    let engine = engine_limited(|c| {
        c.max_table_elements(0);
    });
    let (mut store, instance) = instantiate(
        &engine,
        r#"(module (table 0 funcref)
          (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))"#,
    );
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 0).unwrap(), 0);
    let one = module(&engine, "(module (table 1 funcref))");
    instantiation_fails(&mut store, &one, "max_table_elements");
}

#[test]
fn instance_limit() {
    let engine = engine_limited(|c| {
        c.max_instances(3);
    });
    let module = module(&engine, r#"(module (func (export "f") (result i32) (i32.const 7)))"#);
    let mut store = Store::new(&engine, ());
    let instances: Vec<Instance> =
        (0..3).map(|_| Instance::new(&mut store, &module, &[]).unwrap()).collect();
    instantiation_fails(&mut store, &module, "max_instances");
    instantiation_fails(&mut store, &module, "max_instances");
    // The store still works, and another store has its own count.
    let f = instances[2].get_typed_func::<(), i32>(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 7);
    let mut other = Store::new(&engine, ());
    Instance::new(&mut other, &module, &[]).unwrap();
    // Zero instances: nothing can be instantiated.
    let engine = engine_limited(|c| {
        c.max_instances(0);
    });
    let module = mica::Module::new(&engine, "(module)").unwrap();
    instantiation_fails(&mut Store::new(&engine, ()), &module, "max_instances");
}

#[test]
fn table_limit() {
    let engine = engine_limited(|c| {
        c.max_tables(3);
    });
    let two = module(&engine, "(module (table 1 funcref) (table 1 externref))");
    let none = module(&engine, "(module (func))");
    let mut store = Store::new(&engine, ());
    Instance::new(&mut store, &two, &[]).unwrap();
    instantiation_fails(&mut store, &two, "max_tables");
    // A module without tables is not affected; the host can add the third table, not a fourth.
    Instance::new(&mut store, &none, &[]).unwrap();
    let ty = TableType::new(RefType::EXTERNREF, 0, None);
    let third = Table::new(&mut store, ty, Val::ExternRef(None)).unwrap();
    assert!(Table::new(&mut store, ty, Val::ExternRef(None)).is_err());
    // Imported tables do not count again.
    let imports = module(&engine, r#"(module (import "m" "t" (table 0 externref)))"#);
    Instance::new(&mut store, &imports, &[third.into()]).unwrap();
}

#[test]
fn memory_limit() {
    let engine = engine_limited(|c| {
        c.max_memories(2);
    });
    let one = module(&engine, "(module (memory 1))");
    let mut store = Store::new(&engine, ());
    Instance::new(&mut store, &one, &[]).unwrap();
    let host = Memory::new(&mut store, MemoryType::new(0, None)).unwrap();
    instantiation_fails(&mut store, &one, "max_memories");
    assert!(Memory::new(&mut store, MemoryType::new(0, None)).is_err());
    let imports = module(&engine, r#"(module (import "m" "mem" (memory 0)))"#);
    Instance::new(&mut store, &imports, &[host.into()]).unwrap();
}

#[test]
fn failed_instantiations_leave_nothing_behind() {
    // Each memory past the page limit fails after the module's functions, globals and tables
    // were allocated; none of them may count against the limits afterwards.
    let engine = engine_limited(|c| {
        c.max_memory_pages(1).max_tables(2).max_memories(1);
    });
    let over = module(
        &engine,
        r#"(module (table 1 funcref) (global i32 (i32.const 1)) (func) (memory 2))"#,
    );
    let mut store = Store::new(&engine, ());
    for _ in 0..5 {
        instantiation_fails(&mut store, &over, "max_memory_bytes");
    }
    let fits = module(
        &engine,
        r#"(module (table 1 funcref) (table 1 funcref) (memory 1)
          (func (export "size") (result i32) (memory.size)))"#,
    );
    let instance = Instance::new(&mut store, &fits, &[]).unwrap();
    let size = instance.get_typed_func::<(), i32>(&store, "size").unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 1);
}

#[test]
fn limits_through_the_linker() {
    let engine = engine_limited(|c| {
        c.max_instances(1);
    });
    let module = module(&engine, "(module)");
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    linker.instantiate(&mut store, &module).unwrap();
    let error = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(error.to_string().contains("max_instances"), "{error}");
}

#[test]
fn the_memory_limit_bounds_the_sum_of_a_stores_memories() {
    // Three pages in all: each memory may take them, but not together.
    let engine = engine_limited(|c| {
        c.max_memory_pages(3);
    });
    let two = module(
        &engine,
        r#"(module (memory 2)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let first = Instance::new(&mut store, &two, &[]).unwrap();
    let message = instantiation_fails(&mut store, &two, "max_memory_bytes");
    assert!(message.contains("in all"), "{message}");
    let grow = first.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 2).unwrap(), -1, "five pages are past the store's three");
    assert_eq!(grow.call(&mut store, 1).unwrap(), 2);
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1, "the store's three pages are taken");
    // A host memory counts too, 64-bit ones included.
    assert!(Memory::new(&mut store, MemoryType::new64(1, None)).is_err());
    // Another store has its own budget.
    let mut other = Store::new(&engine, ());
    Instance::new(&mut other, &two, &[]).unwrap();
}

#[test]
fn a_memory64_may_declare_a_maximum_far_past_the_hosts_memory() {
    // 2^48 pages of 64 KiB: 2^64 bytes. Only what the engine's limit allows is reserved, and
    // only the pages touched are committed.
    let engine = engine_limited(|c| {
        c.max_memory_pages(1024);
    });
    let big = module(
        &engine,
        r#"(module (memory i64 1 0x1000000000000)
             (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
             (func (export "poke") (param i64) (i64.store8 (local.get 0) (i64.const 1))))"#,
    );
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &big, &[]).unwrap();
    let grow = instance.get_typed_func::<i64, i64>(&store, "grow").unwrap();
    let poke = instance.get_typed_func::<i64, ()>(&store, "poke").unwrap();
    assert_eq!(grow.call(&mut store, 1 << 40).unwrap(), -1, "past the engine's limit");
    assert_eq!(grow.call(&mut store, 1023).unwrap(), 1);
    poke.call(&mut store, 1024 * 65536 - 1).unwrap();
    assert!(poke.call(&mut store, 1024 * 65536).is_err(), "one past the end traps");
    assert!(poke.call(&mut store, -1).is_err(), "an address near 2^64 traps");
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1);
}
