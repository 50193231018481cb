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
