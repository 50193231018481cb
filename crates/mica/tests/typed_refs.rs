//! Typed function references through the embedding API: values of `(ref $t)` types cross
//! the API checked against the type (null only where nullable, a function only of the type
//! named), imports match by the spec's subtyping, and types defined by different modules are
//! the same type when their definitions are.

#[macro_use]
mod common;

use common::*;
use mica::{
    Func, FuncType, Global, GlobalType, HeapType, Linker, Module, Mutability, RefType, Store,
    TranslationMode, TrapCode, Val, ValType,
};

both_modes! {
    non_nullable_parameters_refuse_null_and_other_types,
    call_ref_reaches_host_functions_and_traps_on_null,
    types_of_different_modules_are_one_type,
    immutable_global_imports_accept_subtypes_mutable_ones_do_not,
    recursion_groups_are_types_of_their_own,
    what_gc_adds_loads,
}

const TYPED: &str = r#"
    (module
      (type $ii (func (param i32) (result i32)))
      (func $inc (export "inc") (type $ii) (i32.add (local.get 0) (i32.const 1)))
      (func (export "other") (param i64) (result i64) (local.get 0))
      (func (export "apply") (param $f (ref $ii)) (param $x i32) (result i32)
        (call_ref $ii (local.get $x) (local.get $f)))
      (func (export "apply_null") (param $f (ref null $ii)) (param $x i32) (result i32)
        (return_call_ref $ii (local.get $x) (local.get $f))))
"#;

fn non_nullable_parameters_refuse_null_and_other_types(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), TYPED);
    let apply = instance.get_func(&store, "apply").unwrap();
    let inc = instance.get_func(&store, "inc").unwrap();
    let other = instance.get_func(&store, "other").unwrap();
    let mut out = [Val::I32(0)];
    apply.call(&mut store, &[Val::FuncRef(Some(inc)), Val::I32(41)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(42));
    let null = apply.call(&mut store, &[Val::FuncRef(None), Val::I32(1)], &mut out);
    assert!(null.unwrap_err().to_string().contains("arguments do not match"));
    let wrong = apply.call(&mut store, &[Val::FuncRef(Some(other)), Val::I32(1)], &mut out);
    assert!(wrong.unwrap_err().to_string().contains("arguments do not match"));
    // The parameter's type says which function type it takes.
    let ValType::Ref(param) = apply.ty(&store).params()[0] else { panic!("a reference") };
    assert!(!param.is_nullable());
    assert!(matches!(param.heap_type(), HeapType::Concrete(_)));
}

fn call_ref_reaches_host_functions_and_traps_on_null(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module(&engine, TYPED)).unwrap();
    let double = Func::wrap(&mut store, |x: i32| x * 2);
    let apply_null = instance.get_func(&store, "apply_null").unwrap();
    let mut out = [Val::I32(0)];
    apply_null.call(&mut store, &[Val::FuncRef(Some(double)), Val::I32(21)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(42));
    expect_trap(
        apply_null.call(&mut store, &[Val::FuncRef(None), Val::I32(1)], &mut out),
        TrapCode::NullFunctionReference,
    );
    // The store is usable after the trap.
    let apply = instance.get_func(&store, "apply").unwrap();
    apply.call(&mut store, &[Val::FuncRef(Some(double)), Val::I32(5)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(10));
}

fn types_of_different_modules_are_one_type(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    // The exporter defines `$t` after an unrelated type; the importer defines it first:
    // different indices, one type.
    let exporter = module(
        &engine,
        r#"(module
             (type (func))
             (type $t (func (param i32) (result i32)))
             (func $f (type $t) (local.get 0))
             (global (export "g") (ref $t) (ref.func $f)))"#,
    );
    let importer = module(
        &engine,
        r#"(module
             (type $t (func (param i32) (result i32)))
             (import "m" "g" (global $g (ref $t)))
             (func (export "run") (result i32) (call_ref $t (i32.const 7) (global.get $g))))"#,
    );
    let mut linker = Linker::new(&engine);
    let e = linker.instantiate(&mut store, &exporter).unwrap();
    linker.instance(&mut store, "m", e).unwrap();
    let i = linker.instantiate(&mut store, &importer).unwrap();
    let run = i.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 7);
    // A type that differs in one result is another type: the import is refused.
    let mismatch = module(
        &engine,
        r#"(module
             (type $t (func (param i32) (result i64)))
             (import "m" "g" (global (ref $t))))"#,
    );
    let err = linker.instantiate(&mut store, &mismatch).unwrap_err();
    assert!(err.to_string().contains("incompatible"), "{err}");
}

fn immutable_global_imports_accept_subtypes_mutable_ones_do_not(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    let f = Func::wrap(&mut store, || {});
    let exact = RefType::new(false, HeapType::Func);
    let g = Global::new(&mut store, GlobalType::new(ValType::Ref(exact), Mutability::Const), Val::FuncRef(Some(f)))
        .unwrap();
    // A non-null global cannot hold null.
    let null = Global::new(&mut store, GlobalType::new(ValType::Ref(exact), Mutability::Const), Val::FuncRef(None));
    assert!(null.is_err());
    let mut linker = Linker::new(&engine);
    linker.define("m", "g", g).unwrap();
    let wants_funcref = Module::new(&engine, r#"(module (import "m" "g" (global funcref)))"#).unwrap();
    linker.instantiate(&mut store, &wants_funcref).expect("(ref func) is a funcref");
    let mutable = Global::new(
        &mut store,
        GlobalType::new(ValType::Ref(exact), Mutability::Var),
        Val::FuncRef(Some(f)),
    )
    .unwrap();
    linker.define("m", "mg", mutable).unwrap();
    let wants_mut = Module::new(&engine, r#"(module (import "m" "mg" (global (mut funcref))))"#).unwrap();
    assert!(linker.instantiate(&mut store, &wants_mut).is_err(), "mutable globals are invariant");
    // A host function type is the same type as a module's with the same definition.
    let ty = f.ty(&store);
    assert_eq!(ty, FuncType::new([], []));
}

fn recursion_groups_are_types_of_their_own(mode: TranslationMode) {
    let engine = engine(mode);
    let mut store = Store::new(&engine, ());
    // `$a` and `$b` have the contents of `(func (result i32))` but are members of a group:
    // each is a type of its own, equal to the same member of the same group elsewhere.
    let exporter = module(
        &engine,
        r#"(module
             (rec (type $a (func (result i32))) (type $b (func (result i32))))
             (func $fa (type $a) (i32.const 1))
             (func $fb (type $b) (i32.const 2))
             (table (export "t") 2 funcref)
             (elem (i32.const 0) func $fa $fb))"#,
    );
    let importer = module(
        &engine,
        r#"(module
             (rec (type $a (func (result i32))) (type $b (func (result i32))))
             (type $plain (func (result i32)))
             (import "m" "t" (table 2 funcref))
             (func (export "as_a") (param i32) (result i32) (call_indirect (type $a) (local.get 0)))
             (func (export "as_b") (param i32) (result i32) (call_indirect (type $b) (local.get 0)))
             (func (export "as_plain") (param i32) (result i32) (call_indirect (type $plain) (local.get 0))))"#,
    );
    let mut linker = Linker::new(&engine);
    let e = linker.instantiate(&mut store, &exporter).unwrap();
    linker.instance(&mut store, "m", e).unwrap();
    let i = linker.instantiate(&mut store, &importer).unwrap();
    let call = |store: &mut Store<()>, name: &str, at: i32| {
        i.get_typed_func::<i32, i32>(&*store, name).unwrap().call(store, at)
    };
    assert_eq!(call(&mut store, "as_a", 0).unwrap(), 1);
    assert_eq!(call(&mut store, "as_b", 1).unwrap(), 2);
    expect_trap(call(&mut store, "as_a", 1), TrapCode::BadSignature);
    expect_trap(call(&mut store, "as_b", 0), TrapCode::BadSignature);
    expect_trap(call(&mut store, "as_plain", 0), TrapCode::BadSignature);
}

fn what_gc_adds_loads(mode: TranslationMode) {
    let engine = engine(mode);
    // Each needed GC before Mica implemented it, and was refused at load then.
    for wat in [
        "(module (func (result i32) (i31.get_s (ref.i31 (i32.const 1)))))",
        "(module (type (struct (field i32))))",
        "(module (func (local anyref)))",
        "(module (func (param eqref)))",
        "(module (type $t (sub (func))) (type (sub $t (func))))",
    ] {
        mica::Module::new(&engine, wat).expect(wat);
    }
}
