//! The embedding API, part 3: memory, globals and tables from the host and the embedder.
//! (Parts 1 and 2 are `api.rs` and `api_calls.rs`; the memories and tables of 3.0 are in
//! `memories.rs`.)
//!
//! Every test takes the translation mode and runs twice (see `both_modes!`).

#[macro_use]
mod common;

use common::*;
use mica::{Caller, Extern, Func, Linker, TranslationMode, TrapCode, Val};

both_modes! {
    memory_access_from_host,
    memory_access_from_embedder,
    globals_and_tables_from_embedder,
}

// --- 5. memory access from the host --------------------------------------------------------

const MEMORY: &str = r#"
    (module
      (import "host" "fill" (func $fill (param i32 i32)))
      (import "host" "checksum" (func $checksum (param i32 i32) (result i32)))
      (import "host" "reverse" (func $reverse (param i32 i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "hello")
      ;; Asks the host to fill [ptr, ptr+len) and sums the bytes it wrote.
      (func (export "fill_and_sum") (param $ptr i32) (param $len i32) (result i32)
        (local $sum i32) (local $i i32)
        (call $fill (local.get $ptr) (local.get $len))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $sum (i32.add (local.get $sum)
              (i32.load8_u (i32.add (local.get $ptr) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.get $sum))
      ;; Writes bytes, then asks the host for their checksum.
      (func (export "store_and_check") (param $ptr i32) (result i32)
        (i32.store (local.get $ptr) (i32.const 0x04030201))
        (call $checksum (local.get $ptr) (i32.const 4)))
      (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
      ;; Stores 0x04030201 at ptr, has the host reverse the four bytes in place, loads them.
      (func (export "reverse") (param $ptr i32) (result i32)
        (i32.store (local.get $ptr) (i32.const 0x04030201))
        (call $reverse (local.get $ptr) (i32.const 4))
        (i32.load (local.get $ptr)))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
"#;

fn define_memory_hosts(linker: &mut Linker<Vec<u8>>) {
    linker
        .func_wrap(
            "host",
            "fill",
            |mut caller: Caller<'_, Vec<u8>>, ptr: i32, len: i32| -> mica::Result<()> {
                let memory = caller
                    .get_export("memory")
                    .and_then(Extern::into_memory)
                    .unwrap();
                assert!(caller.get_export("no_such_export").is_none());
                // The data segment is visible to the host.
                let mut hello = [0; 5];
                memory.read(&caller, 16, &mut hello)?;
                caller.data_mut().extend_from_slice(&hello);
                let bytes: Vec<u8> = (1..=len as u8).collect();
                memory.write(&mut caller, ptr as usize, &bytes)
            },
        )
        .unwrap();
    linker
        .func_wrap(
            "host",
            "checksum",
            |caller: Caller<'_, Vec<u8>>, ptr: i32, len: i32| -> i32 {
                let memory = caller.get_export("memory").unwrap().into_memory().unwrap();
                let data = memory.data(&caller).expect("the caller's memory belongs to its store");
                data[ptr as usize..(ptr + len) as usize]
                    .iter()
                    .map(|&b| b as i32 * 10)
                    .sum()
            },
        )
        .unwrap();
    linker
        .func_wrap(
            "host",
            "reverse",
            |mut caller: Caller<'_, Vec<u8>>, ptr: i32, len: i32| {
                let memory = caller.get_export("memory").unwrap().into_memory().unwrap();
                let data =
                    memory.data_mut(&mut caller).expect("the caller's memory belongs to its store");
                data[ptr as usize..(ptr + len) as usize].reverse();
            },
        )
        .unwrap();
}

fn memory_access_from_host(mode: TranslationMode) {
    let (mut store, instance) =
        instantiate_with(&engine(mode), Vec::new(), MEMORY, define_memory_hosts);
    let fill_and_sum = instance
        .get_typed_func::<(i32, i32), i32>(&store, "fill_and_sum")
        .unwrap();
    assert_eq!(fill_and_sum.call(&mut store, (1000, 10)).unwrap(), 55);
    assert_eq!(store.data(), b"hello");

    let store_and_check = instance
        .get_typed_func::<i32, i32>(&store, "store_and_check")
        .unwrap();
    assert_eq!(store_and_check.call(&mut store, 64).unwrap(), 100);

    let reverse = instance
        .get_typed_func::<i32, i32>(&store, "reverse")
        .unwrap();
    assert_eq!(reverse.call(&mut store, 200).unwrap(), 0x01020304);

    // A host write out of bounds fails the call, and the store carries on.
    let error = fill_and_sum.call(&mut store, (65536 - 2, 10)).unwrap_err();
    assert_eq!(error.trap_code(), Some(TrapCode::HostError), "{error}");
    assert_eq!(fill_and_sum.call(&mut store, (0, 3)).unwrap(), 6);
}

fn memory_access_from_embedder(mode: TranslationMode) {
    let (mut store, instance) =
        instantiate_with(&engine(mode), Vec::new(), MEMORY, define_memory_hosts);
    let memory = instance.get_memory(&store, "memory").unwrap();
    let load = instance.get_typed_func::<i32, i32>(&store, "load").unwrap();
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();

    let same = "the memory belongs to this store";
    assert_eq!(memory.size(&store).expect(same), 1);
    assert_eq!(memory.data(&store).expect(same).len(), 65536);
    assert_eq!(&memory.data(&store).expect(same)[16..21], b"hello");

    memory.data_mut(&mut store).expect(same)[100] = 42;
    assert_eq!(load.call(&mut store, 100).unwrap(), 42);
    memory.write(&mut store, 101, &[7, 8]).unwrap();
    assert_eq!(load.call(&mut store, 102).unwrap(), 8);
    let mut buffer = [0; 3];
    memory.read(&store, 100, &mut buffer).unwrap();
    assert_eq!(buffer, [42, 7, 8]);

    assert!(memory.read(&store, 65535, &mut buffer).is_err());
    assert!(memory.write(&mut store, 65534, &buffer).is_err());
    assert!(memory.read(&store, usize::MAX, &mut buffer).is_err());

    // Growth by wasm and by the embedder is seen by both.
    assert_eq!(grow.call(&mut store, 2).unwrap(), 1);
    assert_eq!(memory.size(&store).expect(same), 3);
    assert_eq!(memory.grow(&mut store, 1).unwrap(), 3);
    memory.write(&mut store, 4 * 65536 - 1, &[9]).unwrap();
    assert_eq!(load.call(&mut store, 4 * 65536 - 1).unwrap(), 9);
    assert_eq!(load.call(&mut store, 100).unwrap(), 42);
    expect_trap(
        load.call(&mut store, 4 * 65536),
        TrapCode::MemoryOutOfBounds,
    );
}

fn globals_and_tables_from_embedder(mode: TranslationMode) {
    let wat = r#"
        (module
          (global $counter (export "counter") (mut i64) (i64.const 5))
          (global (export "constant") f32 (f32.const 1.5))
          (table (export "table") 2 funcref)
          (elem (i32.const 0) $bump)
          (func $bump (export "bump") (result i64)
            (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
            (global.get $counter))
          (func (export "call_slot") (param i32) (result i64)
            (call_indirect (result i64) (local.get 0))))
    "#;
    let (mut store, instance) = instantiate(&engine(mode), wat);
    let counter = instance.get_global(&store, "counter").unwrap();
    let constant = instance.get_global(&store, "constant").unwrap();
    let bump = instance.get_typed_func::<(), i64>(&store, "bump").unwrap();
    let call_slot = instance
        .get_typed_func::<i32, i64>(&store, "call_slot")
        .unwrap();

    let same = "the global belongs to this store";
    assert_eq!(counter.get(&store).expect(same), Val::I64(5));
    assert_eq!(bump.call(&mut store, ()).unwrap(), 6);
    counter.set(&mut store, Val::I64(100)).unwrap();
    assert_eq!(bump.call(&mut store, ()).unwrap(), 101);
    assert!(counter.set(&mut store, Val::I32(1)).is_err());
    assert_eq!(constant.get(&store).expect(same), Val::f32(1.5));
    assert!(constant.set(&mut store, Val::f32(2.0)).is_err());

    let table = instance.get_table(&store, "table").unwrap();
    let same = "the table belongs to this store";
    assert_eq!(table.size(&store).expect(same), 2);
    let Some(Val::FuncRef(Some(f))) = table.get(&store, 0).expect(same) else {
        panic!("slot 0 holds $bump")
    };
    assert_eq!(
        f.typed::<(), i64>(&store)
            .unwrap()
            .call(&mut store, ())
            .unwrap(),
        102
    );
    assert_eq!(table.get(&store, 1).expect(same), Some(Val::FuncRef(None)));
    assert_eq!(table.get(&store, 2).expect(same), None);
    expect_trap(call_slot.call(&mut store, 1), TrapCode::IndirectCallToNull);

    // A host function placed in the table is callable from wasm.
    let host = Func::wrap(&mut store, || -> i64 { -9 });
    table.set(&mut store, 1, Val::FuncRef(Some(host))).unwrap();
    assert_eq!(call_slot.call(&mut store, 1).unwrap(), -9);
    assert!(table.set(&mut store, 1, Val::I32(0)).is_err());
    assert!(table.set(&mut store, 2, Val::FuncRef(None)).is_err());
}
