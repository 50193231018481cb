//! Where the reference (wasmi) is wrong, and the generator steers around it.
//!
//! Each test checks Mica against the specification's answer, and reports (without failing)
//! whether wasmi still disagrees: once it agrees, the workaround in the generator can go.

/// wasmi 2.0.0 evaluates a `select` whose condition is an `i32.eqz` (written so, or what its
/// constant folding leaves) as if the condition were not negated, whether the operands are
/// constants or computed: with `(0, 5, 9)` both functions below must give 5 (the condition
/// `i32.eqz 0` is true, so the first operand) and with `(1, 5, 9)` they must give 9. The fuzzer found the
/// second form inside `(select .. .. (select (local.get 1) (i32.eqz (local.get 0)) <zero>))`.
/// The generator emits no `i32.eqz` in expressions (`body.rs`, `operator`).
#[test]
fn select_with_an_eqz_condition() {
    let wat = r#"(module
      (func (export "constants") (param i32 i32 i32) (result i32)
        (select (i32.const 5) (i32.const 9) (i32.eqz (local.get 0))))
      (func (export "computed") (param i32 i32 i32) (result i32)
        (select (i32.xor (local.get 0) (local.get 1)) (local.get 2) (i32.eqz (local.get 0)))))"#;
    let args = (0, 5, 9);
    for mode in mica_fuzz::translation_modes() {
        let mut config = mica::Config::new();
        config.translation(mode);
        let engine = mica::Engine::new(&config);
        let module = mica::Module::new(&engine, wat).unwrap();
        let mut store = mica::Store::new(&engine, ());
        let instance = mica::Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
        for name in ["constants", "computed"] {
            let f = instance
                .get_typed_func::<(i32, i32, i32), i32>(&store, name)
                .unwrap();
            assert_eq!(f.call(&mut store, args).unwrap(), 5, "{name}, {mode:?}");
            assert_eq!(
                f.call(&mut store, (1, 5, 9)).unwrap(),
                9,
                "{name}, {mode:?}"
            );
        }
    }

    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, wat).unwrap();
    let mut store = wasmi::Store::new(&engine, ());
    let instance = wasmi::Linker::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .unwrap();
    let mut wrong = Vec::new();
    for name in ["constants", "computed"] {
        let f = instance
            .get_typed_func::<(i32, i32, i32), i32>(&store, name)
            .unwrap();
        for (args, spec) in [(args, 5), ((1, 5, 9), 9)] {
            let answer = f.call(&mut store, args).unwrap();
            if answer != spec {
                wrong.push(format!("{name}{args:?} = {answer} (the spec says {spec})"));
            }
        }
    }
    match wrong.is_empty() {
        true => println!(
            "wasmi now gets `select` on `i32.eqz` right: the generator may emit i32.eqz again"
        ),
        false => println!("wasmi still disagrees with the spec: {}", wrong.join(", ")),
    }
}

/// The results of export `f` of `wat` (all `i32`, `arity` of them) for argument `arg`, on
/// Mica in both translation modes.
fn mica_results(wat: &str, arg: i32, arity: usize) -> Vec<Vec<i32>> {
    mica_fuzz::translation_modes()
        .into_iter()
        .map(|mode| {
            let mut config = mica::Config::new();
            config.translation(mode);
            let engine = mica::Engine::new(&config);
            let module = mica::Module::new(&engine, wat).unwrap();
            let mut store = mica::Store::new(&engine, ());
            let instance = mica::Linker::new(&engine)
                .instantiate(&mut store, &module)
                .unwrap();
            let f = instance.get_func(&store, "f").unwrap();
            let mut results = vec![mica::Val::I32(0); arity];
            f.call(&mut store, &[mica::Val::I32(arg)], &mut results)
                .unwrap();
            results
                .iter()
                .map(|v| match v {
                    mica::Val::I32(x) => *x,
                    other => panic!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

/// The same on wasmi, or its panic.
fn wasmi_results(wat: &str, arg: i32, arity: usize) -> Result<Vec<i32>, String> {
    mica_fuzz::extreme::install_reference_panic_filter();
    mica_fuzz::extreme::in_reference(|| {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, wat).unwrap();
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .unwrap();
        let f = instance.get_func(&store, "f").unwrap();
        let mut results = vec![wasmi::Val::I32(0); arity];
        f.call(&mut store, &[wasmi::Val::I32(arg)], &mut results)
            .unwrap();
        results.iter().map(|v| v.i32().unwrap()).collect()
    })
}

/// wasmi 2.0.0 runs a `br_table` wrongly when it has two targets or more, carries two values
/// or more, and other values lie below those on the stack: here it gives `(0, 9)` for either
/// target, where both give `(8, 9)`. The extreme-shape fuzzer found it (and the same through
/// an `if` with parameters, and values below in an enclosing block). Its generator marks
/// such functions (`GenFunc::wasmi_miscompiles`, conservatively: any values below) and
/// compares only Mica's two modes on them.
#[test]
fn br_table_carrying_two_values_over_others() {
    let wat = r#"(module (func (export "f") (param i32) (result i32 i32)
      block (result i32 i32)
        block (result i32 i32)
          i32.const 1 i32.const 2
          block
            i32.const 8 i32.const 9
            local.get 0
            br_table 1 2
          end
        end
      end))"#;
    let mut wrong = Vec::new();
    for arg in [0, 1] {
        for results in mica_results(wat, arg, 2) {
            assert_eq!(results, [8, 9], "f({arg})");
        }
        match wasmi_results(wat, arg, 2) {
            Ok(results) if results == [8, 9] => {}
            other => wrong.push(format!("f({arg}) = {other:?} (the spec says [8, 9])")),
        }
    }
    match wrong.is_empty() {
        true => println!(
            "wasmi now gets multi-value br_table right: the extreme-shape generator may stop marking them"
        ),
        false => println!("wasmi still disagrees with the spec: {}", wrong.join(", ")),
    }
}

/// The same with one `v128` value in place of two: wasmi 2.0.0 gives 0 for either target,
/// where both give the vector `i64x2 8 9`; with nothing below the branched value, or with one
/// target, it is right. The extreme-shape fuzzer found it once its functions had vectors; its
/// generator counts a `v128` as two values when it marks `br_table`s wasmi runs wrongly.
#[test]
fn br_table_carrying_a_v128_over_others() {
    let wat = r#"(module (func (export "f") (param i32) (result v128)
      block (result v128)
        block (result v128)
          v128.const i64x2 1 2
          block
            v128.const i64x2 8 9
            local.get 0
            br_table 1 2
          end
        end
      end))"#;
    let spec = 9u128 << 64 | 8;
    let mut wrong = Vec::new();
    for arg in [0, 1] {
        for mode in mica_fuzz::translation_modes() {
            let mut config = mica::Config::new();
            config.translation(mode);
            let engine = mica::Engine::new(&config);
            let module = mica::Module::new(&engine, wat).unwrap();
            let mut store = mica::Store::new(&engine, ());
            let instance = mica::Linker::new(&engine)
                .instantiate(&mut store, &module)
                .unwrap();
            let f = instance.get_func(&store, "f").unwrap();
            let mut results = [mica::Val::V128(0u128.into())];
            f.call(&mut store, &[mica::Val::I32(arg)], &mut results)
                .unwrap();
            let vector = results[0].as_v128().map(mica::V128::as_u128);
            assert_eq!(vector, Some(spec), "f({arg}), {mode:?}");
        }
        mica_fuzz::extreme::install_reference_panic_filter();
        let answer = mica_fuzz::extreme::in_reference(|| {
            let engine = wasmi::Engine::default();
            let module = wasmi::Module::new(&engine, wat).unwrap();
            let mut store = wasmi::Store::new(&engine, ());
            let instance = wasmi::Linker::new(&engine)
                .instantiate_and_start(&mut store, &module)
                .unwrap();
            let f = instance.get_func(&store, "f").unwrap();
            let mut results = [wasmi::Val::V128(0u128.into())];
            f.call(&mut store, &[wasmi::Val::I32(arg)], &mut results)
                .unwrap();
            match &results[0] {
                wasmi::Val::V128(v) => v.as_u128(),
                other => panic!("{other:?}"),
            }
        });
        if answer != Ok(spec) {
            wrong.push(format!("f({arg}) = {answer:x?} (the spec says {spec:#x})"));
        }
    }
    match wrong.is_empty() {
        true => println!(
            "wasmi now gets br_table carrying a v128 right: the extreme-shape generator may count it as one value"
        ),
        false => println!("wasmi still disagrees with the spec: {}", wrong.join(", ")),
    }
}

/// wasmi 2.0.0's translator trips a debug assertion ("a register operand already exists on
/// the stack") on an `if` with parameters whose `then` writes a local through its register,
/// when a comparison left in that register is one of the parameters. Its release build gives
/// the right results; `cargo test` and cargo-fuzz builds have debug assertions. The
/// extreme-shape fuzzer runs wasmi inside `mica_fuzz::extreme::in_reference` and compares
/// only Mica's modes on a module it panics on.
#[test]
fn if_with_parameters_and_a_register_comparison() {
    let wat = r#"(module (func (export "f") (param $c i32) (result i32 i32 i32) (local $acc i64)
      i64.const 6 local.set $acc
      i32.const 0 i64.const 7 local.get $acc i64.eq local.get $c local.get $c
      if (param i32 i32 i32) (result i32 i32 i32)
        i64.const 3 local.get $acc i64.rotl local.set $acc
      end))"#;
    let mut wrong = Vec::new();
    for arg in [0, 1] {
        for results in mica_results(wat, arg, 3) {
            assert_eq!(results, [0, 0, arg], "f({arg})");
        }
        match wasmi_results(wat, arg, 3) {
            Ok(results) if results == [0, 0, arg] => {}
            other => wrong.push(format!("f({arg}) = {other:?}")),
        }
    }
    match wrong.is_empty() {
        true => println!("wasmi now translates this `if` without tripping its assertion"),
        false => println!("wasmi still fails here: {}", wrong.join(", ")),
    }
}
