//! The embedding API, part 2: typed and untyped calls, memory access from the host and the
//! embedder, and traps with their kinds and backtraces. (Part 1 is `api.rs`.)
//!
//! Most tests take the translation mode and run twice (see `both_modes!`).

#[macro_use]
mod common;

use common::*;
use mica::{
    Caller, Engine, Extern, Func, FuncType, Linker, Store, TranslationMode,
    TrapCode, Val, ValType,
};

both_modes! {
    typed_calls_with_tuples_and_multi_value,
    untyped_calls_with_val_slices,
    many_params_and_results,
    float_bits_survive_calls,
    type_mismatches_are_errors,
    memory_access_from_host,
    memory_access_from_embedder,
    globals_and_tables_from_embedder,
    trap_kind_and_backtrace_with_names,
    trap_kinds,
    trap_in_start_function,
}

// --- 4. typed and untyped calls ------------------------------------------------------------

const VALUES: &str = r#"
    (module
      (func (export "rotate") (param i32 i64 f32 f64) (result f64 i32 i64 f32)
        (local.get 3) (local.get 0) (local.get 1) (local.get 2))
      (func (export "id_i32") (param i32) (result i32) (local.get 0))
      (func (export "id_f32") (param f32) (result f32) (local.get 0))
      (func (export "id_f64") (param f64) (result f64) (local.get 0))
      (func (export "nothing"))
      (func (export "pair") (result i64 i64) (i64.const -1) (i64.const 1)))
"#;

fn typed_calls_with_tuples_and_multi_value(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), VALUES);
    let rotate = instance
        .get_typed_func::<(i32, i64, f32, f64), (f64, i32, i64, f32)>(&store, "rotate")
        .unwrap();
    assert_eq!(
        rotate.call(&mut store, (-1, i64::MIN, 1.5, -2.25)).unwrap(),
        (-2.25, -1, i64::MIN, 1.5)
    );
    let unsigned = instance
        .get_typed_func::<(u32, u64, f32, f64), (f64, u32, u64, f32)>(&store, "rotate")
        .unwrap();
    assert_eq!(
        unsigned
            .call(&mut store, (u32::MAX, u64::MAX, 0.0, 1.0))
            .unwrap(),
        (1.0, u32::MAX, u64::MAX, 0.0)
    );

    let nothing = instance
        .get_typed_func::<(), ()>(&store, "nothing")
        .unwrap();
    nothing.call(&mut store, ()).unwrap();
    let pair = instance
        .get_typed_func::<(), (i64, i64)>(&store, "pair")
        .unwrap();
    assert_eq!(pair.call(&mut store, ()).unwrap(), (-1, 1));
    let id = instance
        .get_typed_func::<(i32,), (i32,)>(&store, "id_i32")
        .unwrap();
    assert_eq!(id.call(&mut store, (i32::MIN,)).unwrap(), (i32::MIN,));
}

fn untyped_calls_with_val_slices(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), VALUES);
    let rotate = instance.get_func(&store, "rotate").unwrap();
    assert_eq!(
        rotate.ty(&store),
        FuncType::new(
            [ValType::I32, ValType::I64, ValType::F32, ValType::F64],
            [ValType::F64, ValType::I32, ValType::I64, ValType::F32]
        )
    );
    let mut results = [Val::I32(0); 4];
    rotate
        .call(
            &mut store,
            &[Val::I32(7), Val::I64(-8), Val::f32(0.25), Val::f64(1e300)],
            &mut results,
        )
        .unwrap();
    assert_eq!(
        results,
        [Val::f64(1e300), Val::I32(7), Val::I64(-8), Val::f32(0.25)]
    );

    let nothing = instance.get_func(&store, "nothing").unwrap();
    nothing.call(&mut store, &[], &mut []).unwrap();
    let pair = instance.get_func(&store, "pair").unwrap();
    let mut two = [Val::I32(0), Val::I32(0)];
    pair.call(&mut store, &[], &mut two).unwrap();
    assert_eq!(two, [Val::I64(-1), Val::I64(1)]);
}

/// More parameters and results than fit the interpreter's small fixed buffers, through
/// untyped host functions and untyped calls.
fn many_params_and_results(mode: TranslationMode) {
    const N: usize = 20;
    let i32s = vec!["i32"; N].join(" ");
    let gets: String = (0..N).map(|i| format!("(local.get {i}) ")).collect();
    let wat = format!(
        r#"(module
             (import "host" "reverse" (func $reverse (param {i32s}) (result {i32s})))
             (func (export "run") (param {i32s}) (result {i32s})
               (call $reverse {gets})))"#
    );
    let (mut store, instance) = instantiate_with(&engine(mode), (), &wat, |linker| {
        let ty = FuncType::new([ValType::I32; N], [ValType::I32; N]);
        linker
            .func_new("host", "reverse", ty, |_caller, params, results| {
                for (result, param) in results.iter_mut().zip(params.iter().rev()) {
                    *result = *param;
                }
                Ok(())
            })
            .unwrap();
    });
    let run = instance.get_func(&store, "run").unwrap();
    let params: Vec<Val> = (0..N as i32).map(|i| Val::I32(i * 10)).collect();
    let mut results = vec![Val::I32(-1); N];
    run.call(&mut store, &params, &mut results).unwrap();
    let expected: Vec<Val> = (0..N as i32).rev().map(|i| Val::I32(i * 10)).collect();
    assert_eq!(results, expected);
}

fn float_bits_survive_calls(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), VALUES);
    let id_f32 = instance.get_func(&store, "id_f32").unwrap();
    let id_f64 = instance.get_func(&store, "id_f64").unwrap();
    for bits in [0x7fc0_0001u32, 0xffa0_0000, 0x8000_0000, 0x7f80_0000] {
        let mut out = [Val::F32(0)];
        id_f32
            .call(&mut store, &[Val::F32(bits)], &mut out)
            .unwrap();
        assert_eq!(out[0], Val::F32(bits), "{bits:#x}");
    }
    for bits in [
        0x7ff8_0000_0000_0001u64,
        0xfff4_0000_0000_0000,
        0x8000_0000_0000_0000,
    ] {
        let mut out = [Val::F64(0)];
        id_f64
            .call(&mut store, &[Val::F64(bits)], &mut out)
            .unwrap();
        assert_eq!(out[0], Val::F64(bits), "{bits:#x}");
    }
    let typed = id_f64.typed::<f64, f64>(&store).unwrap();
    let nan = f64::from_bits(0x7ff8_dead_beef_0001);
    assert_eq!(
        typed.call(&mut store, nan).unwrap().to_bits(),
        nan.to_bits()
    );
}

fn type_mismatches_are_errors(mode: TranslationMode) {
    let engine = engine(mode);
    let (mut store, instance) = instantiate(&engine, VALUES);

    // Typed views of the wrong signature, or of nothing.
    assert!(
        instance
            .get_typed_func::<i64, i32>(&store, "id_i32")
            .is_err()
    );
    assert!(
        instance
            .get_typed_func::<i32, i64>(&store, "id_i32")
            .is_err()
    );
    assert!(
        instance
            .get_typed_func::<(i32, i32), i32>(&store, "id_i32")
            .is_err()
    );
    assert!(
        instance
            .get_typed_func::<i32, (i32, i32)>(&store, "id_i32")
            .is_err()
    );
    assert!(instance.get_typed_func::<(), ()>(&store, "id_i32").is_err());
    assert!(
        instance
            .get_typed_func::<(), (i64, i32)>(&store, "pair")
            .is_err()
    );
    assert!(
        instance
            .get_typed_func::<i32, i32>(&store, "no_such_export")
            .is_err()
    );
    assert!(instance.get_func(&store, "no_such_export").is_none());

    // Untyped calls with wrong arguments or result slots.
    let id = instance.get_func(&store, "id_i32").unwrap();
    let mut out = [Val::I32(0)];
    assert!(id.call(&mut store, &[Val::I64(1)], &mut out).is_err());
    assert!(id.call(&mut store, &[Val::f32(1.0)], &mut out).is_err());
    assert!(id.call(&mut store, &[], &mut out).is_err());
    assert!(
        id.call(&mut store, &[Val::I32(1), Val::I32(2)], &mut out)
            .is_err()
    );
    assert!(id.call(&mut store, &[Val::I32(1)], &mut []).is_err());
    assert!(
        id.call(&mut store, &[Val::I32(1)], &mut [Val::I32(0), Val::I32(0)])
            .is_err()
    );
    assert!(
        id.call(&mut store, &[Val::FuncRef(None)], &mut out)
            .is_err()
    );

    // Handles of another store.
    let (mut other, _) = instantiate(&engine, VALUES);
    assert!(id.call(&mut other, &[Val::I32(1)], &mut out).is_err());
    let typed = id.typed::<i32, i32>(&store).unwrap();
    assert!(typed.call(&mut other, 1).is_err());

    // None of that disturbed the store.
    id.call(&mut store, &[Val::I32(5)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(5));
    assert_eq!(typed.call(&mut store, 6).unwrap(), 6);
}

/// An untyped host function that fills in a result of the wrong type fails the call.
#[test]
fn untyped_host_function_returning_wrong_type_is_an_error() {
    let wat = r#"(module
        (import "host" "bad" (func $bad (result i32)))
        (func (export "run") (result i32) (call $bad)))"#;
    let (mut store, instance) =
        instantiate_with(&engine(TranslationMode::Eager), (), wat, |linker| {
            let ty = FuncType::new([], [ValType::I32]);
            linker
                .func_new("host", "bad", ty, |_caller, _params, results| {
                    results[0] = Val::I64(1);
                    Ok(())
                })
                .unwrap();
        });
    let run = instance.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert!(run.call(&mut store, ()).is_err());
}

#[test]
fn linker_errors() {
    let engine = engine(TranslationMode::Eager);
    let wat = r#"(module (import "host" "f" (func (param i32) (result i32))))"#;
    let module = module(&engine, wat);
    let mut store = Store::new(&engine, ());

    // Nothing defined.
    let linker = Linker::<()>::new(&engine);
    let error = linker.instantiate(&mut store, &module).unwrap_err();
    assert!(error.to_string().contains("host"), "{error}");

    // A definition of the wrong type.
    let mut linker = Linker::<()>::new(&engine);
    linker.func_wrap("host", "f", |x: i64| x).unwrap();
    assert!(linker.instantiate(&mut store, &module).is_err());

    // The same name twice, unless shadowing is allowed.
    assert!(linker.func_wrap("host", "f", |x: i32| x).is_err());
    linker.allow_shadowing(true);
    linker.func_wrap("host", "f", |x: i32| x + 1).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    assert!(
        instance.get_typed_func::<i32, i32>(&store, "f").is_err(),
        "f is not exported"
    );

    // Positional imports of the wrong count or type.
    assert!(mica::Instance::new(&mut store, &module, &[]).is_err());
    let wrong = Func::wrap(&mut store, |x: f32| x);
    assert!(mica::Instance::new(&mut store, &module, &[wrong.into()]).is_err());
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

// --- 6. traps carry their kind and a backtrace ---------------------------------------------

fn trap_kind_and_backtrace_with_names(mode: TranslationMode) {
    let wat = r#"
        (module
          (func $inner (param i32) (result i32)
            (if (i32.eqz (local.get 0)) (then unreachable))
            (local.get 0))
          (func $middle (param i32) (result i32)
            (i32.add (i32.const 1) (call $inner (local.get 0))))
          (func $outer (export "outer") (param i32) (result i32)
            (call $middle (local.get 0)))
          (func (export "unnamed_export") (unreachable)))
    "#;
    let (mut store, instance) = instantiate(&engine(mode), wat);
    let outer = instance
        .get_typed_func::<i32, i32>(&store, "outer")
        .unwrap();
    assert_eq!(outer.call(&mut store, 1).unwrap(), 2);

    let error = expect_trap(outer.call(&mut store, 0), TrapCode::Unreachable);
    assert!(error.to_string().contains("unreachable"), "{error}");
    let trap = error.as_trap().unwrap();
    assert_eq!(trap.code(), TrapCode::Unreachable);
    assert_eq!(backtrace_names(&error), ["inner", "middle", "outer"]);
    let indices: Vec<u32> = trap.backtrace().iter().map(|f| f.func_index).collect();
    assert_eq!(indices, [0, 1, 2]);
    assert!(
        trap.backtrace()[0].to_string().contains("inner"),
        "{}",
        trap.backtrace()[0]
    );

    // A function without a name in the name section still has a frame, with its index.
    let unnamed = instance
        .get_typed_func::<(), ()>(&store, "unnamed_export")
        .unwrap();
    let error = expect_trap(unnamed.call(&mut store, ()), TrapCode::Unreachable);
    let frames = error.as_trap().unwrap().backtrace();
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].func_index, 3);

    assert_eq!(outer.call(&mut store, 5).unwrap(), 6);
}

fn trap_kinds(mode: TranslationMode) {
    let wat = r#"
        (module
          (type $v (func))
          (type $i (func (result i32)))
          (memory 1)
          (table 2 funcref)
          (elem (i32.const 0) $nop)
          (func $nop)
          (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (func (export "rem") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
          (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
          (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
          (func (export "call_v") (param i32) (call_indirect (type $v) (local.get 0)))
          (func (export "call_i") (param i32) (result i32) (call_indirect (type $i) (local.get 0))))
    "#;
    let (mut store, instance) = instantiate(&engine(mode), wat);
    let div = instance
        .get_typed_func::<(i32, i32), i32>(&store, "div")
        .unwrap();
    let rem = instance
        .get_typed_func::<(i32, i32), i32>(&store, "rem")
        .unwrap();
    let trunc = instance
        .get_typed_func::<f32, i32>(&store, "trunc")
        .unwrap();
    let load = instance.get_typed_func::<i32, i64>(&store, "load").unwrap();
    let call_v = instance
        .get_typed_func::<i32, ()>(&store, "call_v")
        .unwrap();
    let call_i = instance
        .get_typed_func::<i32, i32>(&store, "call_i")
        .unwrap();

    expect_trap(
        div.call(&mut store, (1, 0)),
        TrapCode::IntegerDivisionByZero,
    );
    expect_trap(
        div.call(&mut store, (i32::MIN, -1)),
        TrapCode::IntegerOverflow,
    );
    expect_trap(
        rem.call(&mut store, (1, 0)),
        TrapCode::IntegerDivisionByZero,
    );
    expect_trap(
        trunc.call(&mut store, f32::NAN),
        TrapCode::BadConversionToInteger,
    );
    expect_trap(trunc.call(&mut store, 3e9), TrapCode::IntegerOverflow);
    expect_trap(
        load.call(&mut store, 65536 - 4),
        TrapCode::MemoryOutOfBounds,
    );
    expect_trap(load.call(&mut store, -1), TrapCode::MemoryOutOfBounds);
    expect_trap(call_v.call(&mut store, 1), TrapCode::IndirectCallToNull);
    expect_trap(call_v.call(&mut store, 2), TrapCode::TableOutOfBounds);
    expect_trap(call_i.call(&mut store, 0), TrapCode::BadSignature);

    assert_eq!(div.call(&mut store, (7, 2)).unwrap(), 3);
    assert_eq!(load.call(&mut store, 65536 - 8).unwrap(), 0);
    call_v.call(&mut store, 0).unwrap();
}

fn trap_in_start_function(mode: TranslationMode) {
    let engine = engine(mode);
    let module = module(
        &engine,
        r#"(module
             (import "host" "hit" (func $hit))
             (func $start (call $hit) (unreachable))
             (start $start))"#,
    );
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "hit", |mut caller: Caller<'_, u32>| {
            *caller.data_mut() += 1
        })
        .unwrap();
    let mut store = Store::new(&engine, 0);
    let error = expect_trap(
        linker.instantiate(&mut store, &module),
        TrapCode::Unreachable,
    );
    assert_eq!(backtrace_names(&error), ["start"]);
    assert_eq!(*store.data(), 1);
}

#[test]
fn bad_modules_are_errors() {
    let engine = engine(TranslationMode::Lazy);
    assert!(
        mica::Module::new(&engine, "(module (func (result i32)))").is_err(),
        "invalid"
    );
    assert!(
        mica::Module::new(&engine, "(module (func").is_err(),
        "unparsable text"
    );
    assert!(
        mica::Module::new(&engine, b"\0asm\x02\0\0\0").is_err(),
        "bad version"
    );
}

#[test]
fn engine_is_shared_by_clones() {
    let engine = Engine::default();
    let (mut store, instance) = instantiate(&engine.clone(), VALUES);
    let id = instance
        .get_typed_func::<i32, i32>(&store, "id_i32")
        .unwrap();
    assert_eq!(id.call(&mut store, 3).unwrap(), 3);
}
