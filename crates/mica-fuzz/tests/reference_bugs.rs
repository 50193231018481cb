//! Where the reference (wasmi) is wrong, and the generator steers around it.
//!
//! Each test checks Mica against the specification's answer, and reports (without failing)
//! whether wasmi still disagrees: once it agrees, the workaround in the generator can go.

/// wasmi 2.0.0 evaluates `select` with two constant operands and an `i32.eqz` condition as
/// if the condition were not negated: `select (i32.const 1) (i32.const 7) (i32.eqz (local.get
/// 0))` with 1 gives 1, not 7. The generator wraps such conditions (`program.rs`, `select`).
#[test]
fn select_with_constant_operands_and_eqz_condition() {
    let wat = r#"(module
      (func (export "f") (param i32) (result i32)
        (select (i32.const 1) (i32.const 7) (i32.eqz (local.get 0)))))"#;
    for mode in mica_fuzz::translation_modes() {
        let mut config = mica::Config::new();
        config.translation(mode);
        let engine = mica::Engine::new(&config);
        let module = mica::Module::new(&engine, wat).unwrap();
        let mut store = mica::Store::new(&engine, ());
        let instance = mica::Linker::new(&engine)
            .instantiate(&mut store, &module)
            .unwrap();
        let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
        assert_eq!(f.call(&mut store, 0).unwrap(), 1, "{mode:?}");
        assert_eq!(f.call(&mut store, 1).unwrap(), 7, "{mode:?}");
    }

    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, wat).unwrap();
    let mut store = wasmi::Store::new(&engine, ());
    let instance = wasmi::Linker::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .unwrap();
    let f = instance.get_typed_func::<i32, i32>(&store, "f").unwrap();
    let wasmi_answer = f.call(&mut store, 1).unwrap();
    if wasmi_answer == 7 {
        println!("wasmi now gets `select` with an `i32.eqz` condition right: drop the workaround");
    } else {
        println!("wasmi still answers {wasmi_answer} (the spec says 7): keep the workaround");
    }
}
