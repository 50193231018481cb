//! The embedding API, part 2: typed and untyped calls, `v128` values across the API, and
//! traps with their kinds and backtraces. (Part 1 is `api.rs`; part 3, memory, globals and
//! tables, is `api_memory.rs`.)
//!
//! Most tests take the translation mode and run twice (see `both_modes!`).

#[macro_use]
mod common;

use common::*;
use mica::{
    Engine, Func, FuncType, Global, GlobalType, Linker, Mutability, RefType,
    Store, Table, TableType, TranslationMode, V128, Val, ValType,
};

both_modes! {
    typed_calls_with_tuples_and_multi_value,
    untyped_calls_with_val_slices,
    many_params_and_results,
    float_bits_survive_calls,
    type_mismatches_are_errors,
    typed_calls_with_v128_and_scalars,
    untyped_calls_with_v128,
    v128_type_mismatches_are_errors,
    v128_globals_imported_and_exported,
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

// --- 4b. v128 values across the API ------------------------------------------------------------

/// A `v128` takes two frame cells, so each function puts vectors between scalars, or has more
/// values than fit the call paths' 16-cell buffers (`nine`: 18 cells each way).
const VECTORS: &str = r#"
    (module
      ;; The vector with i32 lane 0 replaced by the i32 and i64 lane 1 xor'ed with the i64;
      ;; and the vector's i64 lane 0.
      (func (export "mix") (param i32 v128 i64) (result v128 i64)
        (i64x2.replace_lane 1
          (i32x4.replace_lane 0 (local.get 1) (local.get 0))
          (i64.xor (i64x2.extract_lane 1 (local.get 1)) (local.get 2)))
        (i64x2.extract_lane 0 (local.get 1)))
      (func (export "swap") (param v128 f64 v128) (result v128 f64 v128)
        (local.get 2) (local.get 1) (local.get 0))
      (func (export "id_v128") (param v128) (result v128) (local.get 0))
      (func (export "id_i32") (param i32) (result i32) (local.get 0))
      (func (export "lanes") (param v128) (result i32 i32 i32 i32)
        (i32x4.extract_lane 0 (local.get 0)) (i32x4.extract_lane 1 (local.get 0))
        (i32x4.extract_lane 2 (local.get 0)) (i32x4.extract_lane 3 (local.get 0)))
      (func (export "bytes") (result v128)
        (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 0xff))
      (func (export "nine") (param v128 v128 v128 v128 v128 v128 v128 v128 v128)
                            (result v128 v128 v128 v128 v128 v128 v128 v128 v128)
        (local.get 8) (local.get 7) (local.get 6) (local.get 5) (local.get 4)
        (local.get 3) (local.get 2) (local.get 1) (local.get 0)))
"#;

/// A vector whose 16 bytes all differ, and its halves differ from each other.
const V: u128 = 0x0011_2233_4455_6677_8899_aabb_ccdd_eeff;

/// Nine distinct vectors, and the same reversed.
fn nine_vectors() -> ([V128; 9], [V128; 9]) {
    let vs: [V128; 9] = std::array::from_fn(|i| {
        V128::from(V.rotate_left(8 * i as u32) ^ ((i as u128) << 120) ^ (i as u128))
    });
    let mut reversed = vs;
    reversed.reverse();
    (vs, reversed)
}

type V9 = (V128, V128, V128, V128, V128, V128, V128, V128, V128);

fn typed_calls_with_v128_and_scalars(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), VECTORS);
    let mix = instance
        .get_typed_func::<(i32, V128, i64), (V128, i64)>(&store, "mix")
        .unwrap();
    assert_eq!(
        mix.call(&mut store, (-2, V128::from(V), 0x0f0f_0f0f_0f0f_0f0f))
            .unwrap(),
        (
            V128::from(0x0f1e_2d3c_4b5a_6978_8899_aabb_ffff_fffe),
            0x8899_aabb_ccdd_eeff_u64 as i64
        )
    );
    assert_eq!(
        mix.call(&mut store, (i32::MIN, V128::from(u128::MAX), i64::MIN))
            .unwrap(),
        (V128::from(u128::MAX >> 1 & !0x7fff_ffff), -1)
    );
    // The unsigned view of the same function.
    let unsigned = instance
        .get_typed_func::<(u32, V128, u64), (V128, u64)>(&store, "mix")
        .unwrap();
    assert_eq!(
        unsigned.call(&mut store, (7, V128::default(), u64::MAX)).unwrap(),
        (V128::from(0xffff_ffff_ffff_ffff_0000_0000_0000_0007), 0)
    );

    // A NaN with a payload between two vectors keeps its bits, and so do they.
    let swap = instance
        .get_typed_func::<(V128, f64, V128), (V128, f64, V128)>(&store, "swap")
        .unwrap();
    let nan = f64::from_bits(0x7ff4_dead_beef_0001);
    let (x, y, z) = swap
        .call(&mut store, (V128::from(V), nan, V128::from(!V)))
        .unwrap();
    assert_eq!((x, y.to_bits(), z), (V128::from(!V), nan.to_bits(), V128::from(V)));

    // Lane 0 is the least significant: `u128` and little-endian bytes agree with wasm.
    let lanes = instance
        .get_typed_func::<V128, (i32, i32, i32, i32)>(&store, "lanes")
        .unwrap();
    let bytes = [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xfc, 0xff, 0xff, 0xff];
    assert_eq!(
        lanes.call(&mut store, V128::from_le_bytes(bytes)).unwrap(),
        (1, 2, 3, -4)
    );
    assert_eq!(
        lanes
            .call(&mut store, V128::from(0xffff_fffc_0000_0003_0000_0002_0000_0001))
            .unwrap(),
        (1, 2, 3, -4)
    );
    let from_wasm = instance
        .get_typed_func::<(), V128>(&store, "bytes")
        .unwrap()
        .call(&mut store, ())
        .unwrap();
    assert_eq!(
        from_wasm.to_le_bytes(),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff]
    );
    assert_eq!(from_wasm.as_u128(), 0xff0e_0d0c_0b0a_0908_0706_0504_0302_0100);
    assert_eq!(u128::from(from_wasm), from_wasm.as_u128());

    // More cells than the typed call's fixed buffer holds.
    let nine = instance.get_typed_func::<V9, V9>(&store, "nine").unwrap();
    let (vs, reversed) = nine_vectors();
    let [a, b, c, d, e, f, g, h, i] = vs;
    let out = nine.call(&mut store, (a, b, c, d, e, f, g, h, i)).unwrap();
    let (a, b, c, d, e, f, g, h, i) = out;
    assert_eq!([a, b, c, d, e, f, g, h, i], reversed);
}

fn untyped_calls_with_v128(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), VECTORS);
    let mix = instance.get_func(&store, "mix").unwrap();
    assert_eq!(
        mix.ty(&store),
        FuncType::new(
            [ValType::I32, ValType::V128, ValType::I64],
            [ValType::V128, ValType::I64]
        )
    );
    // Result slots of any type are overwritten with values of the result types.
    let mut results = [Val::I32(0), Val::I32(0)];
    mix.call(
        &mut store,
        &[Val::I32(-2), Val::V128(V.into()), Val::I64(0x0f0f_0f0f_0f0f_0f0f)],
        &mut results,
    )
    .unwrap();
    assert_eq!(
        results,
        [
            Val::V128(0x0f1e_2d3c_4b5a_6978_8899_aabb_ffff_fffe.into()),
            Val::I64(0x8899_aabb_ccdd_eeff_u64 as i64)
        ]
    );
    assert_eq!(results[0].ty(), ValType::V128);
    assert_eq!(
        results[0].as_v128(),
        Some(V128::from(0x0f1e_2d3c_4b5a_6978_8899_aabb_ffff_fffe))
    );
    assert_eq!(results[1].as_v128(), None);

    let swap = instance.get_func(&store, "swap").unwrap();
    let mut results = [Val::V128(V128::default()); 3];
    swap.call(
        &mut store,
        &[Val::V128(V.into()), Val::F64(0xfff0_0000_0000_0001), Val::V128((!V).into())],
        &mut results,
    )
    .unwrap();
    assert_eq!(
        results,
        [Val::V128((!V).into()), Val::F64(0xfff0_0000_0000_0001), Val::V128(V.into())]
    );

    let nine = instance.get_func(&store, "nine").unwrap();
    let (vs, reversed) = nine_vectors();
    let params: Vec<Val> = vs.iter().copied().map(Val::from).collect();
    let mut results = vec![Val::I64(0); 9];
    nine.call(&mut store, &params, &mut results).unwrap();
    let expected: Vec<Val> = reversed.iter().copied().map(Val::from).collect();
    assert_eq!(results, expected);

    // The default of a v128 is all zeros.
    assert_eq!(Val::default_for(ValType::V128), Val::V128(V128::from(0)));
}

fn v128_type_mismatches_are_errors(mode: TranslationMode) {
    let engine = engine(mode);
    let (mut store, instance) = instantiate(&engine, VECTORS);

    // Typed views that do not match, including ones of the same number of cells.
    assert!(instance.get_typed_func::<i32, i32>(&store, "id_v128").is_err());
    assert!(instance.get_typed_func::<V128, i32>(&store, "id_v128").is_err());
    assert!(instance.get_typed_func::<i32, V128>(&store, "id_v128").is_err());
    assert!(instance.get_typed_func::<(i64, i64), V128>(&store, "id_v128").is_err());
    assert!(instance.get_typed_func::<V128, (i64, i64)>(&store, "id_v128").is_err());
    assert!(instance.get_typed_func::<(V128, V128), V128>(&store, "id_v128").is_err());
    assert!(instance.get_typed_func::<V128, V128>(&store, "id_i32").is_err());
    assert!(
        instance
            .get_typed_func::<(i32, i64, i64), (V128, i64)>(&store, "mix")
            .is_err()
    );
    assert!(
        instance
            .get_typed_func::<(i32, V128, i64), (i64, V128)>(&store, "mix")
            .is_err()
    );

    // Untyped calls with a scalar where a vector goes, and the other way round.
    let id = instance.get_func(&store, "id_v128").unwrap();
    let mut out = [Val::V128(V128::default())];
    for params in [
        vec![Val::I32(1)],
        vec![Val::I64(1)],
        vec![Val::F64(1)],
        vec![Val::I64(1), Val::I64(2)],
        vec![Val::FuncRef(None)],
        vec![],
        vec![Val::V128(V.into()), Val::V128(V.into())],
    ] {
        assert!(id.call(&mut store, &params, &mut out).is_err(), "{params:?}");
    }
    assert!(id.call(&mut store, &[Val::V128(V.into())], &mut []).is_err());
    assert!(
        id.call(&mut store, &[Val::V128(V.into())], &mut [Val::I64(0), Val::I64(0)])
            .is_err(),
        "a v128 is one result, not two"
    );
    let id_i32 = instance.get_func(&store, "id_i32").unwrap();
    let mut one = [Val::I32(0)];
    assert!(id_i32.call(&mut store, &[Val::V128(1.into())], &mut one).is_err());
    let mix = instance.get_func(&store, "mix").unwrap();
    let mut two = [Val::I32(0), Val::I32(0)];
    for params in [
        [Val::I32(1), Val::I32(2), Val::I64(3)],
        [Val::I32(1), Val::I64(2), Val::I64(3)],
        [Val::I32(1), Val::V128(2.into()), Val::V128(3.into())],
        [Val::V128(1.into()), Val::V128(2.into()), Val::I64(3)],
    ] {
        assert!(mix.call(&mut store, &params, &mut two).is_err(), "{params:?}");
    }

    // Tables and globals refuse vectors of the wrong type, and vectors where they are not.
    let table = Table::new(
        &mut store,
        TableType::new(RefType::FUNCREF, 1, None),
        Val::FuncRef(None),
    )
    .unwrap();
    assert!(table.set(&mut store, 0, Val::V128(V.into())).is_err());
    assert!(table.grow(&mut store, 1, Val::V128(V.into())).is_err());
    assert!(
        Table::new(
            &mut store,
            TableType::new(RefType::FUNCREF, 1, None),
            Val::V128(V.into())
        )
        .is_err()
    );
    let vector_type = GlobalType::new(ValType::V128, Mutability::Var);
    assert!(Global::new(&mut store, vector_type, Val::I32(1)).is_err());
    assert!(Global::new(&mut store, vector_type, Val::I64(1)).is_err());
    let scalar_type = GlobalType::new(ValType::I64, Mutability::Var);
    assert!(Global::new(&mut store, scalar_type, Val::V128(V.into())).is_err());
    let scalar = Global::new(&mut store, scalar_type, Val::I64(5)).unwrap();
    assert!(scalar.set(&mut store, Val::V128(V.into())).is_err());
    assert_eq!(scalar.get(&store).unwrap(), Val::I64(5));

    // None of that disturbed the store.
    id.call(&mut store, &[Val::V128(V.into())], &mut out).unwrap();
    assert_eq!(out, [Val::V128(V.into())]);
    let typed = id.typed::<V128, V128>(&store).unwrap();
    assert_eq!(typed.call(&mut store, V128::from(!V)).unwrap(), V128::from(!V));
}

/// Host functions and imports whose types differ from the module's only in `v128` fail to
/// link or fail the call, with an error.
#[test]
fn v128_host_type_mismatches_are_errors() {
    let engine = engine(TranslationMode::Eager);
    let wat = r#"(module
        (import "host" "f" (func $f (param v128) (result v128)))
        (func (export "run") (param v128) (result v128) (call $f (local.get 0))))"#;
    let module = module(&engine, wat);
    let mut store = Store::new(&engine, ());

    // Linking: scalars of the same width are not a vector, nor is a vector two scalars.
    for wrong in [
        Func::wrap(&mut store, |x: i64, _: i64| x),
        Func::wrap(&mut store, |x: i64| x),
        Func::wrap(&mut store, |x: V128| (x.as_u128() as i64, 0i64)),
        Func::wrap(&mut store, |x: V128, _: i32| x),
    ] {
        assert!(mica::Instance::new(&mut store, &module, &[wrong.into()]).is_err());
    }
    let mut linker = Linker::<()>::new(&engine);
    linker.func_wrap("host", "f", |x: i64, y: i64| (x, y)).unwrap();
    assert!(linker.instantiate(&mut store, &module).is_err());
    let scalar_global = r#"(module (import "host" "g" (global i64)))"#;
    let vector = Global::new(
        &mut store,
        GlobalType::new(ValType::V128, Mutability::Const),
        Val::V128(V.into()),
    )
    .unwrap();
    let scalar_module = self::module(&engine, scalar_global);
    assert!(mica::Instance::new(&mut store, &scalar_module, &[vector.into()]).is_err());

    // An untyped host function that returns a scalar where a vector goes fails the call.
    let bad = Func::new(
        &mut store,
        FuncType::new([ValType::V128], [ValType::V128]),
        |_caller, params, results| {
            results[0] = Val::I64(params[0].as_v128().unwrap().as_u128() as i64);
            Ok(())
        },
    );
    let instance = mica::Instance::new(&mut store, &module, &[bad.into()]).unwrap();
    let run = instance.get_typed_func::<V128, V128>(&store, "run").unwrap();
    assert!(run.call(&mut store, V128::from(V)).is_err());
    assert!(bad.typed::<V128, V128>(&store).unwrap().call(&mut store, V128::from(V)).is_err());
    let mut out = [Val::I32(0)];
    assert!(bad.call(&mut store, &[Val::V128(V.into())], &mut out).is_err());

    // And one that returns a vector where a scalar goes.
    let bad = Func::new(
        &mut store,
        FuncType::new([ValType::V128], [ValType::I32, ValType::I32]),
        |_caller, _params, results| {
            results[0] = Val::V128(V.into());
            Ok(())
        },
    );
    let mut out = [Val::I32(0), Val::I32(0)];
    assert!(bad.call(&mut store, &[Val::V128(V.into())], &mut out).is_err());

    // The store carries on: a correct host function works.
    let good = Func::wrap(&mut store, |x: V128| V128::from(x.as_u128().swap_bytes()));
    let instance = mica::Instance::new(&mut store, &module, &[good.into()]).unwrap();
    let run = instance.get_typed_func::<V128, V128>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, V128::from(V)).unwrap(), V128::from(V.swap_bytes()));
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

/// v128 globals the embedder creates (imported, mutable and not) and the module defines
/// (exported): read and written from both sides, bit for bit.
fn v128_globals_imported_and_exported(mode: TranslationMode) {
    let wat = r#"
        (module
          (import "host" "g" (global $g (mut v128)))
          (import "host" "k" (global $k v128))
          (global $own (export "own") (mut v128) (v128.const i64x2 0x0123456789abcdef -1))
          (global (export "copy") v128 (global.get $k))
          (global $count (export "count") (mut i32) (i32.const 0))
          (export "g" (global $g))
          (func (export "get_g") (result v128) (global.get $g))
          (func (export "get_own") (result v128) (global.get $own))
          (func (export "set_own") (param i64 v128)
            (global.set $count (i32.wrap_i64 (local.get 0)))
            (global.set $own (local.get 1)))
          ;; g += own (i64 lanes), and count += 1
          (func (export "bump")
            (global.set $g (i64x2.add (global.get $g) (global.get $own)))
            (global.set $count (i32.add (global.get $count) (i32.const 1)))))
    "#;
    let engine = engine(mode);
    let module = module(&engine, wat);
    let mut store = Store::new(&engine, ());
    let g = Global::new(
        &mut store,
        GlobalType::new(ValType::V128, Mutability::Var),
        Val::V128(V.into()),
    )
    .unwrap();
    let k = Global::new(
        &mut store,
        GlobalType::new(ValType::V128, Mutability::Const),
        Val::V128((!V).into()),
    )
    .unwrap();
    let mut linker = Linker::new(&engine);
    linker.define("host", "g", g).unwrap();
    linker.define("host", "k", k).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();

    let same = "the global belongs to this store";
    assert_eq!(g.ty(&store).expect(same), GlobalType::new(ValType::V128, Mutability::Var));
    assert_eq!(g.get(&store).expect(same), Val::V128(V.into()));
    // The re-exported import is the same global.
    let exported_g = instance.get_global(&store, "g").unwrap();
    assert_eq!(exported_g.get(&store).expect(same), Val::V128(V.into()));
    // An immutable global initialised from an imported one.
    let copy = instance.get_global(&store, "copy").unwrap();
    assert_eq!(copy.ty(&store).expect(same), GlobalType::new(ValType::V128, Mutability::Const));
    assert_eq!(copy.get(&store).expect(same), Val::V128((!V).into()));
    assert!(copy.set(&mut store, Val::V128(V.into())).is_err());
    assert!(k.set(&mut store, Val::V128(V.into())).is_err());
    assert_eq!(k.get(&store).expect(same), Val::V128((!V).into()));

    let own = instance.get_global(&store, "own").unwrap();
    let own_bits = 0xffff_ffff_ffff_ffff_0123_4567_89ab_cdef_u128;
    assert_eq!(own.get(&store).expect(same), Val::V128(own_bits.into()));

    // Wasm writes, the embedder reads.
    let bump = instance.get_typed_func::<(), ()>(&store, "bump").unwrap();
    bump.call(&mut store, ()).unwrap();
    let lanes = |v: u128| (v as u64, (v >> 64) as u64);
    let add = |x: u128, y: u128| {
        let ((x0, x1), (y0, y1)) = (lanes(x), lanes(y));
        x0.wrapping_add(y0) as u128 | (x1.wrapping_add(y1) as u128) << 64
    };
    let bumped = add(V, own_bits);
    assert_eq!(bumped, 0x0011_2233_4455_6676_89bc_f023_5689_bcee);
    assert_eq!(g.get(&store).expect(same), Val::V128(bumped.into()));
    assert_eq!(exported_g.get(&store).expect(same), Val::V128(bumped.into()));

    // The embedder writes, wasm reads: through the imported handle and the exported one.
    let get_g = instance.get_typed_func::<(), V128>(&store, "get_g").unwrap();
    g.set(&mut store, Val::V128(u128::MAX.into())).unwrap();
    assert_eq!(get_g.call(&mut store, ()).unwrap(), V128::from(u128::MAX));
    exported_g.set(&mut store, Val::V128(1.into())).unwrap();
    assert_eq!(get_g.call(&mut store, ()).unwrap(), V128::from(1));
    assert_eq!(g.get(&store).expect(same), Val::V128(1.into()));
    let get_own = instance.get_typed_func::<(), V128>(&store, "get_own").unwrap();
    own.set(&mut store, Val::V128((1u128 << 127 | 1 << 63).into())).unwrap();
    assert_eq!(get_own.call(&mut store, ()).unwrap(), V128::from(1u128 << 127 | 1 << 63));
    let set_own = instance
        .get_typed_func::<(i64, V128), ()>(&store, "set_own")
        .unwrap();
    set_own.call(&mut store, (41, V128::from(V.reverse_bits()))).unwrap();
    assert_eq!(own.get(&store).expect(same), Val::V128(V.reverse_bits().into()));
    let count = instance.get_global(&store, "count").unwrap();
    assert_eq!(count.get(&store).expect(same), Val::I32(41));
    bump.call(&mut store, ()).unwrap();
    assert_eq!(
        g.get(&store).expect(same),
        Val::V128(add(1, V.reverse_bits()).into())
    );
    assert_eq!(count.get(&store).expect(same), Val::I32(42), "the i32 next to the vectors");

    // Values of the wrong type are refused, and the global keeps its value.
    let before = g.get(&store).expect(same);
    for wrong in [Val::I32(1), Val::I64(1), Val::F64(1), Val::FuncRef(None)] {
        assert!(g.set(&mut store, wrong).is_err(), "{wrong:?}");
    }
    assert_eq!(g.get(&store).expect(same), before);
    assert!(count.set(&mut store, Val::V128(1.into())).is_err());
    assert_eq!(count.get(&store).expect(same), Val::I32(42));
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
