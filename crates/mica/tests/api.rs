//! The embedding API, part 1: host functions, host→wasm re-entry, traps from host functions.
//! (Part 2, `api_calls.rs`: typed and untyped calls, memory access, trap kinds and backtraces.)
//!
//! Most tests take the translation mode and run twice (see `both_modes!`).

#[macro_use]
mod common;

use common::*;
use mica::{
    Caller, Extern, Func, FuncType, Global, GlobalType, Instance, Linker, Memory,
    MemoryType, Mutability, RefType, Store, Table, TableType, TranslationMode, V128,
    Val, ValType,
};
use std::fmt;

both_modes! {
    host_functions_with_many_values,
    host_functions_with_v128,
    host_functions_with_many_v128s,
    host_functions_with_and_without_caller,
    untyped_host_functions_via_linker,
    func_new_and_func_wrap_in_the_store,
    host_function_called_directly_can_call_wasm,
    host_reenters_wasm_nested,
    host_reenters_wasm_and_caller_frame_survives,
}

// --- 1. host functions --------------------------------------------------------------------

fn host_functions_with_and_without_caller(mode: TranslationMode) {
    let wat = r#"
        (module
          (import "host" "add" (func $add (param i32 i32) (result i32)))
          (import "host" "record" (func $record (param i64)))
          (import "host" "divmod" (func $divmod (param i32 i32) (result i32 i32)))
          (import "host" "count" (func $count (param i32) (result i32)))
          (import "host" "nothing" (func $nothing))
          (func (export "run") (param i32 i32) (result i32)
            (call $nothing)
            (call $record (i64.extend_i32_s (local.get 0)))
            (call $record (i64.extend_i32_s (local.get 1)))
            (call $add (local.get 0) (local.get 1)))
          (func (export "divmod") (param i32 i32) (result i32 i32)
            (call $divmod (local.get 0) (local.get 1)))
          (func (export "count") (param i32) (result i32)
            (call $count (local.get 0))))
    "#;
    let (mut store, instance) = instantiate_with(&engine(mode), Vec::<i64>::new(), wat, |linker| {
        linker
            .func_wrap("host", "add", |a: i32, b: i32| a.wrapping_add(b))
            .unwrap();
        linker
            .func_wrap(
                "host",
                "record",
                |mut caller: Caller<'_, Vec<i64>>, x: i64| caller.data_mut().push(x),
            )
            .unwrap();
        linker
            .func_wrap("host", "divmod", |a: i32, b: i32| (a / b, a % b))
            .unwrap();
        linker
            .func_wrap(
                "host",
                "count",
                |caller: Caller<'_, Vec<i64>>, x: i32| -> mica::Result<i32> {
                    Ok(x + caller.data().len() as i32)
                },
            )
            .unwrap();
        linker.func_wrap("host", "nothing", || {}).unwrap();
    });

    let run = instance
        .get_typed_func::<(i32, i32), i32>(&store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, (40, 2)).unwrap(), 42);
    assert_eq!(run.call(&mut store, (-5, i32::MAX)).unwrap(), i32::MAX - 5);
    assert_eq!(store.data(), &[40, 2, -5, i32::MAX as i64]);

    let divmod = instance
        .get_typed_func::<(i32, i32), (i32, i32)>(&store, "divmod")
        .unwrap();
    assert_eq!(divmod.call(&mut store, (17, 5)).unwrap(), (3, 2));

    let count = instance
        .get_typed_func::<i32, i32>(&store, "count")
        .unwrap();
    assert_eq!(count.call(&mut store, 100).unwrap(), 104);
    store.data_mut().clear();
    assert_eq!(count.call(&mut store, 100).unwrap(), 100);
}

fn untyped_host_functions_via_linker(mode: TranslationMode) {
    let wat = r#"
        (module
          (import "host" "mix" (func $mix (param i32 i64) (result i64 f64)))
          (func (export "run") (param i32 i64) (result f64)
            (local $f f64)
            (call $mix (local.get 0) (local.get 1))
            (local.set $f)
            (f64.add (f64.convert_i64_s) (local.get $f))))
    "#;
    let (mut store, instance) = instantiate_with(&engine(mode), 0u32, wat, |linker| {
        let ty = FuncType::new([ValType::I32, ValType::I64], [ValType::I64, ValType::F64]);
        linker
            .func_new("host", "mix", ty, |mut caller, params, results| {
                *caller.data_mut() += 1;
                let a = params[0].as_i32().expect("first parameter is an i32");
                let b = params[1].as_i64().expect("second parameter is an i64");
                results[0] = Val::I64(a as i64 * b);
                results[1] = Val::f64(0.5);
                Ok(())
            })
            .unwrap();
    });
    let run = instance
        .get_typed_func::<(i32, i64), f64>(&store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, (6, 7)).unwrap(), 42.5);
    assert_eq!(
        run.call(&mut store, (-2, 1 << 40)).unwrap(),
        -(2.0 * (1u64 << 40) as f64) + 0.5
    );
    assert_eq!(*store.data(), 2);
}

fn func_new_and_func_wrap_in_the_store(mode: TranslationMode) {
    let engine = engine(mode);
    let module = module(
        &engine,
        r#"
        (module
          (import "host" "scale" (func $scale (param i32) (result i32)))
          (import "host" "log" (func $log (param i64)))
          (func (export "run") (param i32) (result i32)
            (call $log (i64.const 7))
            (call $scale (local.get 0))))
        "#,
    );
    let mut store = Store::new(&engine, Vec::<i64>::new());
    let scale = Func::new(
        &mut store,
        FuncType::new([ValType::I32], [ValType::I32]),
        |_caller, params, results| {
            results[0] = Val::I32(params[0].as_i32().unwrap() * 3);
            Ok(())
        },
    );
    let log = Func::wrap(&mut store, |mut caller: Caller<'_, Vec<i64>>, x: i64| {
        caller.data_mut().push(x)
    });
    assert_eq!(
        scale.ty(&store),
        FuncType::new([ValType::I32], [ValType::I32])
    );
    assert_eq!(log.ty(&store), FuncType::new([ValType::I64], []));

    // Host functions of the store can be called by the embedder directly...
    let mut out = [Val::I32(0)];
    scale.call(&mut store, &[Val::I32(5)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(15));
    log.typed::<i64, ()>(&store)
        .unwrap()
        .call(&mut store, 1)
        .unwrap();

    // ...given as imports, positionally or through a linker.
    let instance = Instance::new(&mut store, &module, &[scale.into(), log.into()]).unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 14).unwrap(), 42);

    let mut linker = Linker::new(&engine);
    linker
        .define("host", "scale", scale)
        .unwrap()
        .define("host", "log", log)
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, -1).unwrap(), -3);
    assert_eq!(store.data(), &[1, 7, 7]);
}

/// A host function called by the embedder (no calling instance) can still call wasm through
/// a `Func` it keeps in the store's data.
fn host_function_called_directly_can_call_wasm(mode: TranslationMode) {
    let wat = r#"(module (func (export "double") (param i32) (result i32)
                    (i32.mul (local.get 0) (i32.const 2))))"#;
    let (mut store, instance) = instantiate_with(&engine(mode), None::<Func>, wat, |_| {});
    let double = instance.get_func(&store, "double").unwrap();
    *store.data_mut() = Some(double);
    let host = Func::wrap(
        &mut store,
        |mut caller: Caller<'_, Option<Func>>, x: i32| {
            assert!(
                caller.get_export("double").is_none(),
                "no instance is calling"
            );
            let double = caller.data().unwrap().typed::<i32, i32>(&caller)?;
            let once = double.call(&mut caller, x)?;
            double.call(&mut caller, once)
        },
    );
    assert_eq!(
        host.typed::<i32, i32>(&store)
            .unwrap()
            .call(&mut store, 5)
            .unwrap(),
        20
    );
}

// --- 2. host → wasm re-entry ---------------------------------------------------------------

fn expected_down(n: i32) -> i32 {
    (1..=n).map(|k| k * 1000 + 1).sum()
}

#[derive(Default)]
struct Depth {
    current: u32,
    max: u32,
}

/// Defines `host::recurse` for [`DOWN_VIA_HOST`]: it re-enters `down`, alternating between
/// an untyped `Func::call` and a `TypedFunc` call.
fn define_recurse(linker: &mut Linker<Depth>) {
    linker
        .func_wrap(
            "host",
            "recurse",
            |mut caller: Caller<'_, Depth>, n: i32| -> mica::Result<i32> {
                let depth = caller.data_mut();
                depth.current += 1;
                depth.max = depth.max.max(depth.current);
                let down = caller
                    .get_export("down")
                    .and_then(Extern::into_func)
                    .expect("export down");
                let result = if n % 2 == 0 {
                    let mut out = [Val::I32(-1)];
                    down.call(&mut caller, &[Val::I32(n)], &mut out)?;
                    out[0].as_i32().unwrap()
                } else {
                    down.typed::<i32, i32>(&caller)?.call(&mut caller, n)?
                };
                caller.data_mut().current -= 1;
                Ok(result)
            },
        )
        .unwrap();
}

fn host_reenters_wasm_nested(mode: TranslationMode) {
    let (mut store, instance) = instantiate_with(
        &engine(mode),
        Depth::default(),
        DOWN_VIA_HOST,
        define_recurse,
    );
    let down = instance.get_typed_func::<i32, i32>(&store, "down").unwrap();
    for n in [0, 1, 2, 5, 10, 25] {
        assert_eq!(
            down.call(&mut store, n).unwrap(),
            expected_down(n),
            "down({n})"
        );
        assert_eq!(store.data().current, 0);
        assert_eq!(store.data().max, n as u32);
    }
}

/// A host call in the middle of an expression, with temporaries live in the caller's frame,
/// re-enters wasm that uses plenty of stack; the caller's temporaries must survive.
fn host_reenters_wasm_and_caller_frame_survives(mode: TranslationMode) {
    let wat = r#"
        (module
          (import "host" "churn" (func $churn (param i32) (result i32)))
          (func $deep (export "deep") (param i32) (result i32)
            (local i64 i64 i64 i64)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
          (func (export "run") (param i32 i32) (result i32)
            (i32.add
              (i32.mul (local.get 0) (i32.const 7))
              (i32.add
                (i32.mul (local.get 1) (i32.const 11))
                (call $churn (i32.const 300))))))
    "#;
    let (mut store, instance) = instantiate_with(&engine(mode), (), wat, |linker| {
        linker
            .func_wrap(
                "host",
                "churn",
                |mut caller: Caller<'_, ()>, n: i32| -> mica::Result<i32> {
                    let deep = caller.get_export("deep").unwrap().into_func().unwrap();
                    deep.typed::<i32, i32>(&caller)?.call(&mut caller, n)
                },
            )
            .unwrap();
    });
    let run = instance
        .get_typed_func::<(i32, i32), i32>(&store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, (3, 5)).unwrap(), 21 + 55 + 300);
}

// --- 1b. many values and vectors through host functions ------------------------------------

/// A host function with more parameters and results than the interpreter passes on the
/// native stack (20 of each), called from wasm repeatedly and from inside itself (wasm
/// re-entered from the host calls it again): every value arrives, in order.
fn host_functions_with_many_values(mode: TranslationMode) {
    const N: usize = 20;
    let ty = FuncType::new([ValType::I32; N], [ValType::I32; N]);
    let params = "i32 ".repeat(N);
    let args: String = (0..N).map(|i| format!("(local.get {i})")).collect();
    let wat = format!(
        r#"(module
          (import "host" "many" (func $many (param {params}) (result {params})))
          (func $sum (export "sum") (param {params}) (result i32)
            (local $s i32)
            {args}
            (call $many)
            {stores}
            (local.get $s))
          (func (export "nested") (param i32) (result i32)
            (call $sum {consts})))"#,
        stores = (0..N)
            .map(|i| format!("i32.const {w} i32.mul local.get $s i32.add local.set $s\n", w = i + 1))
            .collect::<String>(),
        consts = (0..N).map(|i| format!("(i32.const {})", i + 1)).collect::<String>(),
    );
    let engine = engine(mode);
    let module = module(&engine, &wat);
    let mut store = Store::new(&engine, 0u32);
    let many = Func::new(&mut store, ty, |mut caller, params, results| {
        *caller.data_mut() += 1;
        // Re-enter wasm from inside the call once: the inner call has as many values.
        if *caller.data() == 2 {
            let nested = caller.get_export("nested").and_then(Extern::into_func).unwrap();
            let mut out = [Val::I32(0)];
            nested.call(&mut caller, &[Val::I32(0)], &mut out).unwrap();
            assert_eq!(out[0], Val::I32(expected_sum(&(1..=N as i32).collect::<Vec<_>>())));
        }
        // Each result is its parameter plus its position.
        for (i, (p, r)) in params.iter().zip(results.iter_mut()).enumerate() {
            *r = Val::I32(p.as_i32().unwrap() + i as i32);
        }
        Ok(())
    });
    let instance = Instance::new(&mut store, &module, &[many.into()]).unwrap();
    let sum = instance.get_func(&store, "sum").unwrap();
    for round in 0..3 {
        let inputs: Vec<i32> = (0..N as i32).map(|i| i * 7 - round).collect();
        let vals: Vec<Val> = inputs.iter().map(|&x| Val::I32(x)).collect();
        let mut out = [Val::I32(0)];
        sum.call(&mut store, &vals, &mut out).unwrap();
        assert_eq!(out[0], Val::I32(expected_sum(&inputs)), "round {round}");
    }
    assert_eq!(*store.data(), 4, "three calls from the embedder, one from inside the host");
}

/// What `sum` computes from its arguments: the host adds each value's position, then `sum`
/// weighs the results by 1..=N, popping them last first.
fn expected_sum(inputs: &[i32]) -> i32 {
    let n = inputs.len();
    (0..n)
        .map(|k| {
            // The k-th `local.set` pops result n-1-k and multiplies it by k+1.
            let i = n - 1 - k;
            (inputs[i] + i as i32).wrapping_mul(k as i32 + 1)
        })
        .fold(0i32, i32::wrapping_add)
}

/// Host functions whose types mix `v128` (two frame cells) with scalars: typed (`func_wrap`,
/// with and without a `Caller`) and untyped (`func_new`), in the linker and in the store,
/// called from wasm directly, through a table, by a tail call, and by the embedder; one
/// re-enters wasm with vectors while its own vector arguments are live.
fn host_functions_with_v128(mode: TranslationMode) {
    const A: u128 = 0x0011_2233_4455_6677_8899_aabb_ccdd_eeff;
    const B: u128 = 0xfedc_ba98_7654_3210_0f1e_2d3c_4b5a_6978;
    let wat = r#"
        (module
          (type $mix_t (func (param v128 i32 v128) (result i32 v128 v128)))
          (import "host" "mix" (func $mix (type $mix_t)))
          (import "host" "log" (func $log (param i64 v128 f32) (result v128)))
          (import "host" "untyped" (func $untyped (param f32 v128 i64) (result v128 f32)))
          (import "host" "make" (func $make (param i32) (result v128)))
          (table 1 funcref)
          (elem (i32.const 0) $mix)
          (func (export "twist") (param v128) (result v128)
            (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get 0) (local.get 0)))
          ;; Logs `a` (its result is `twist(a)`, checked here), then calls `mix`.
          (func (export "call") (param v128 i32 v128) (result i32 v128 v128)
            (if (result i32 v128 v128) (i32.eqz (v128.any_true
                  (v128.xor
                    (call $log (i64.const -7) (local.get 0) (f32.const -0.5))
                    (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0
                      (local.get 0) (local.get 0)))))
              (then (call $mix (local.get 0) (local.get 1) (local.get 2)))
              (else unreachable)))
          (func (export "call_indirect") (param v128 i32 v128) (result i32 v128 v128)
            (call_indirect (type $mix_t) (local.get 0) (local.get 1) (local.get 2) (i32.const 0)))
          (func (export "return_call") (param v128 i32 v128) (result i32 v128 v128)
            (return_call $mix (local.get 0) (local.get 1) (local.get 2)))
          (func (export "return_call_indirect") (param v128 i32 v128) (result i32 v128 v128)
            (return_call_indirect (type $mix_t)
              (local.get 0) (local.get 1) (local.get 2) (i32.const 0)))
          (func (export "untyped") (param f32 v128 i64) (result v128 f32)
            (call $untyped (local.get 0) (local.get 1) (local.get 2)))
          (func (export "make") (param i32) (result v128 i32)
            (call $make (local.get 0)) (local.get 0)))
    "#;
    // (a, n, b) -> (n + 1, b with its bytes reversed, !a)
    let mix = |a: V128, n: i32, b: V128| {
        (n.wrapping_add(1), V128::from(b.as_u128().swap_bytes()), V128::from(!a.as_u128()))
    };
    let engine = engine(mode);
    let module = module(&engine, wat);
    let mut store = Store::new(&engine, Vec::<String>::new());
    let make = Func::wrap(&mut store, |n: i32| V128::from((n as u32 as u128) << 100 | 0xabc));
    let mut linker = Linker::new(&engine);
    linker.func_wrap("host", "mix", mix).unwrap();
    linker
        .func_wrap(
            "host",
            "log",
            |mut caller: Caller<'_, Vec<String>>, x: i64, v: V128, f: f32| -> mica::Result<V128> {
                let twist = caller.get_export("twist").and_then(Extern::into_func).unwrap();
                let twisted = twist.typed::<V128, V128>(&caller)?.call(&mut caller, v)?;
                caller.data_mut().push(format!("log({x}, {:#x}, {f})", v.as_u128()));
                Ok(twisted)
            },
        )
        .unwrap();
    linker
        .func_new(
            "host",
            "untyped",
            FuncType::new([ValType::F32, ValType::V128, ValType::I64], [ValType::V128, ValType::F32]),
            |mut caller, params, results| {
                caller.data_mut().push(format!("untyped({params:?})"));
                let f = params[0].as_f32().unwrap();
                let v = params[1].as_v128().unwrap().as_u128();
                let x = params[2].as_i64().unwrap();
                results[0] = Val::V128(V128::from(v ^ (x as u64 as u128) << 64));
                results[1] = Val::f32(f * 2.0);
                Ok(())
            },
        )
        .unwrap();
    linker.define("host", "make", make).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();

    let expected = mix(V128::from(A), -3, V128::from(B));
    assert_eq!(
        expected,
        (-2, V128::from(0x7869_5a4b_3c2d_1e0f_1032_5476_98ba_dcfe), V128::from(!A))
    );
    for form in ["call", "call_indirect", "return_call", "return_call_indirect"] {
        let f = instance
            .get_typed_func::<(V128, i32, V128), (i32, V128, V128)>(&store, form)
            .unwrap();
        assert_eq!(f.call(&mut store, (A.into(), -3, B.into())).unwrap(), expected, "{form}");
        let mut results = [Val::I32(0); 3];
        instance
            .get_func(&store, form)
            .unwrap()
            .call(&mut store, &[Val::V128(A.into()), Val::I32(-3), Val::V128(B.into())], &mut results)
            .unwrap();
        assert_eq!(
            results,
            [Val::I32(expected.0), Val::V128(expected.1), Val::V128(expected.2)],
            "{form}"
        );
    }
    assert_eq!(
        store.data(),
        &[format!("log(-7, {A:#x}, -0.5)"), format!("log(-7, {A:#x}, -0.5)")]
    );
    store.data_mut().clear();

    let untyped = instance
        .get_typed_func::<(f32, V128, i64), (V128, f32)>(&store, "untyped")
        .unwrap();
    assert_eq!(
        untyped.call(&mut store, (1.5, A.into(), -1)).unwrap(),
        (V128::from(A ^ (u64::MAX as u128) << 64), 3.0)
    );
    assert_eq!(
        store.data(),
        &[format!("untyped([F32({}), V128(V128({A})), I64(-1)])", 1.5f32.to_bits())]
    );

    let make_from_wasm = instance.get_typed_func::<i32, (V128, i32)>(&store, "make").unwrap();
    assert_eq!(
        make_from_wasm.call(&mut store, -1).unwrap(),
        (V128::from(0xffff_ffffu128 << 100 | 0xabc), -1)
    );

    // The embedder calls the host functions directly, typed and untyped.
    assert_eq!(
        make.typed::<i32, V128>(&store).unwrap().call(&mut store, 1).unwrap(),
        V128::from(1u128 << 100 | 0xabc)
    );
    let mut out = [Val::I32(0)];
    make.call(&mut store, &[Val::I32(2)], &mut out).unwrap();
    assert_eq!(out, [Val::V128(V128::from(2u128 << 100 | 0xabc))]);
    let mix_func = Func::wrap(&mut store, mix);
    assert_eq!(
        mix_func.ty(&store),
        FuncType::new(
            [ValType::V128, ValType::I32, ValType::V128],
            [ValType::I32, ValType::V128, ValType::V128]
        )
    );
    let mut results = [Val::I32(0); 3];
    mix_func
        .call(&mut store, &[Val::V128(A.into()), Val::I32(-3), Val::V128(B.into())], &mut results)
        .unwrap();
    assert_eq!(results, [Val::I32(expected.0), Val::V128(expected.1), Val::V128(expected.2)]);
    assert_eq!(
        mix_func
            .typed::<(V128, i32, V128), (i32, V128, V128)>(&store)
            .unwrap()
            .call(&mut store, (A.into(), -3, B.into()))
            .unwrap(),
        expected
    );
}

/// More `v128`s than the interpreter passes to a host function on the native stack (9 each
/// way, 18 cells), through a typed host function, reached by a call and a tail call.
fn host_functions_with_many_v128s(mode: TranslationMode) {
    type V9 = (V128, V128, V128, V128, V128, V128, V128, V128, V128);
    let v9 = "v128 ".repeat(9);
    let gets: String = (0..9).map(|i| format!("(local.get {i}) ")).collect();
    let wat = format!(
        r#"(module
          (import "host" "rotate" (func $rotate (param {v9}) (result {v9})))
          (func (export "call") (param {v9}) (result {v9}) (call $rotate {gets}))
          (func (export "tail") (param {v9}) (result {v9}) (return_call $rotate {gets})))"#
    );
    let (mut store, instance) = instantiate_with(&engine(mode), (), &wat, |linker| {
        linker
            .func_wrap("host", "rotate", |a, b, c, d, e, f, g, h, i: V128| -> V9 {
                (i, a, b, c, d, e, f, g, h)
            })
            .unwrap();
    });
    let vs: [V128; 9] = std::array::from_fn(|i| {
        V128::from((u128::MAX / 255 * (i as u128 + 1)) ^ ((i as u128) << 64))
    });
    for export in ["call", "tail"] {
        let f = instance.get_typed_func::<V9, V9>(&store, export).unwrap();
        let [a, b, c, d, e, g, h, i, j] = vs;
        let out = f.call(&mut store, (a, b, c, d, e, g, h, i, j)).unwrap();
        assert_eq!(out, (j, a, b, c, d, e, g, h, i), "{export}");
        let params: Vec<Val> = vs.iter().copied().map(Val::V128).collect();
        let mut results = vec![Val::I32(0); 9];
        instance
            .get_func(&store, export)
            .unwrap()
            .call(&mut store, &params, &mut results)
            .unwrap();
        let mut expected = params.clone();
        expected.rotate_right(1);
        assert_eq!(results, expected, "{export}");
    }
}

// --- 4. handles and stores ---------------------------------------------------------------------

/// Exports one of each kind of handle; instantiated in both stores, so that store B has a
/// memory, a table and a global at the same indices as store A's.
const EXTERNALS: &str = r#"
    (module
      (memory (export "memory") 1 4)
      (table (export "table") 2 8 funcref)
      (global (export "global") (mut i32) (i32.const 7))
      (func $f (export "f") (result i32) (i32.const 1))
      (elem (i32.const 0) $f))
"#;

/// Asserts that a call with a store the handle does not belong to failed with the usage error.
#[track_caller]
fn assert_foreign<R: fmt::Debug>(what: &str, result: mica::Result<R>) {
    match result {
        Ok(value) => panic!("{what} with another store's handle returned Ok({value:?})"),
        Err(e) => assert!(e.to_string().contains("does not belong"), "{what}: {e}"),
    }
}

/// Calls every method of `memory`, `table` and `global` (all from store A) with store B,
/// then checks that store A's objects are unchanged and that the same calls with A succeed.
fn check_handles(
    a: &mut Store<u32>,
    b: &mut Store<u32>,
    (memory, table, global): (Memory, Table, Global),
) {
    let null = Val::FuncRef(None);
    let mut buffer = [0u8; 4];

    assert_foreign("Memory::ty", memory.ty(&*b));
    assert_foreign("Memory::size", memory.size(&*b));
    assert_foreign("Memory::data", memory.data(&*b).map(<[u8]>::len));
    assert_foreign("Memory::data_mut", memory.data_mut(&mut *b).map(|d| d.len()));
    assert_foreign(
        "Memory::data_and_store_mut",
        memory.data_and_store_mut(&mut *b).map(|(d, n)| (d.len(), *n)),
    );
    assert_foreign("Memory::read", memory.read(&*b, 0, &mut buffer));
    assert_foreign("Memory::write", memory.write(&mut *b, 0, &[1, 2, 3, 4]));
    assert_foreign("Memory::grow", memory.grow(&mut *b, 1));

    assert_foreign("Table::ty", table.ty(&*b));
    assert_foreign("Table::size", table.size(&*b));
    assert_foreign("Table::get", table.get(&*b, 0));
    assert_foreign("Table::get past the end", table.get(&*b, 1000));
    assert_foreign("Table::set", table.set(&mut *b, 0, null));
    assert_foreign("Table::grow", table.grow(&mut *b, 1, null));

    assert_foreign("Global::ty", global.ty(&*b));
    assert_foreign("Global::get", global.get(&*b));
    assert_foreign("Global::set", global.set(&mut *b, Val::I32(99)));

    // The failed calls changed nothing in store A, and the same calls with A succeed.
    assert_eq!(memory.ty(&*a).unwrap(), MemoryType::new(1, Some(4)));
    assert_eq!(memory.size(&*a).unwrap(), 1);
    assert_eq!(memory.data(&*a).unwrap().len(), 65536);
    memory.write(&mut *a, 0, &[1, 2, 3, 4]).unwrap();
    memory.read(&*a, 0, &mut buffer).unwrap();
    assert_eq!(buffer, [1, 2, 3, 4]);
    memory.data_mut(&mut *a).unwrap()[4] = 5;
    let (data, counter) = memory.data_and_store_mut(&mut *a).unwrap();
    assert_eq!(data[..5], [1, 2, 3, 4, 5]);
    *counter += 1;
    assert_eq!(memory.grow(&mut *a, 1).unwrap(), 1);
    assert_eq!(memory.size(&*a).unwrap(), 2);

    assert_eq!(table.ty(&*a).unwrap(), TableType::new(RefType::FUNCREF, 2, Some(8)));
    assert_eq!(table.size(&*a).unwrap(), 2);
    assert_eq!(table.get(&*a, 1).unwrap(), Some(null));
    assert_eq!(table.get(&*a, 1000).unwrap(), None);
    table.set(&mut *a, 1, null).unwrap();
    assert_eq!(table.grow(&mut *a, 1, null).unwrap(), 2);
    assert_eq!(table.size(&*a).unwrap(), 3);

    assert_eq!(global.ty(&*a).unwrap(), GlobalType::new(ValType::I32, Mutability::Var));
    assert_eq!(global.get(&*a).unwrap(), Val::I32(7));
    global.set(&mut *a, Val::I32(8)).unwrap();
    assert_eq!(global.get(&*a).unwrap(), Val::I32(8));

    // Store B's own objects at the same indices were not touched either.
    assert_eq!(*b.data(), 0);
}

#[test]
fn handles_from_another_store_are_errors() {
    let engine = engine(TranslationMode::Eager);
    let module = module(&engine, EXTERNALS);
    let mut a = Store::new(&engine, 0u32);
    let mut b = Store::new(&engine, 0u32);
    let in_a = Instance::new(&mut a, &module, &[]).unwrap();
    let in_b = Instance::new(&mut b, &module, &[]).unwrap();

    // Handles exported by an instance.
    let exported = (
        in_a.get_memory(&a, "memory").unwrap(),
        in_a.get_table(&a, "table").unwrap(),
        in_a.get_global(&a, "global").unwrap(),
    );
    check_handles(&mut a, &mut b, exported);
    assert_eq!(*a.data(), 1);

    // Handles the embedder created, at indices store B does not have.
    let created = (
        Memory::new(&mut a, MemoryType::new(1, Some(4))).unwrap(),
        Table::new(&mut a, TableType::new(RefType::FUNCREF, 2, Some(8)), Val::FuncRef(None))
            .unwrap(),
        Global::new(&mut a, GlobalType::new(ValType::I32, Mutability::Var), Val::I32(7)).unwrap(),
    );
    check_handles(&mut a, &mut b, created);
    assert_eq!(*a.data(), 2);

    // A funcref of store A is refused by store B's table, and B's own objects are intact.
    let f = in_a.get_func(&a, "f").unwrap();
    let b_table = in_b.get_table(&b, "table").unwrap();
    assert!(b_table.set(&mut b, 1, Val::FuncRef(Some(f))).is_err());
    assert_eq!(b_table.get(&b, 1).unwrap(), Some(Val::FuncRef(None)));
    let b_memory = in_b.get_memory(&b, "memory").unwrap();
    assert_eq!(b_memory.size(&b).unwrap(), 1);
    assert!(b_memory.data(&b).unwrap()[..5].iter().all(|&byte| byte == 0));
    assert_eq!(in_b.get_global(&b, "global").unwrap().get(&b).unwrap(), Val::I32(7));
}
