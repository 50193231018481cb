//! GC values in the host's hands: structs and arrays made, read and written by the host with
//! type checks, and the roots that keep what the host holds alive — scoped (released when a
//! host function returns or a `root_scope` ends, and then refused rather than mistaken for
//! another object) and owned (alive until dropped).

#[macro_use]
mod common;

use common::*;
use mica::{
    AnyRef, ArrayRef, HeapType, Linker, Module, Store, StructRef, TranslationMode, Val, ValType, I31,
};

gc_modes! {
    the_host_makes_reads_and_writes_structs,
    the_host_makes_reads_and_writes_arrays,
    references_the_host_holds_survive_collections,
    a_root_scope_releases_what_it_rooted,
    owned_references_live_until_dropped,
    references_kept_past_a_host_call_are_refused_not_mistaken,
}

const TYPES: &str = r#"
  (module
    (type $point (struct (field $x (mut i32)) (field $y i64) (field $tag (mut i8)) (field $next (mut (ref null $point)))))
    (type $bytes (array (mut i8)))
    (type $frozen (array i32))
    (func (export "sum") (param (ref $point)) (result i64)
      (i64.add (i64.extend_i32_s (struct.get $point $x (local.get 0))) (struct.get $point $y (local.get 0))))
    (func (export "make") (param i32) (result (ref $point))
      (struct.new $point (local.get 0) (i64.const 100) (i32.const 255) (ref.null $point)))
    (func (export "bytes") (param i32) (result (ref $bytes))
      (array.new $bytes (i32.const 7) (local.get 0)))
    (func (export "frozen") (result (ref $frozen)) (array.new_fixed $frozen 2 (i32.const 1) (i32.const 2)))
    (func (export "churn") (param $n i32)
      (loop $l
        (drop (struct.new_default $point))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
"#;

/// The defined type a function's first parameter of a reference type (or its result) names.
fn type_of(store: &Store<()>, instance: &mica::Instance, func: &str) -> mica::ConcreteType {
    let ty = instance.get_func(store, func).unwrap().ty(store);
    let t = ty.params().iter().chain(ty.results()).copied().find(|t| t.is_ref()).unwrap();
    let ValType::Ref(r) = t else { panic!("{t}") };
    let HeapType::Concrete(c) = r.heap_type() else { panic!("{t}") };
    c
}

fn the_host_makes_reads_and_writes_structs(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), TYPES);
    let point = type_of(&store, &instance, "sum");
    let s = StructRef::new(&mut store, point, &[Val::I32(-2), Val::I64(40), Val::I32(0x1ff), Val::AnyRef(None)]).unwrap();
    // A packed field keeps its low bits and reads back zero-extended.
    assert_eq!(s.field(&store, 2).unwrap(), Val::I32(0xff));
    let sum = instance.get_func(&store, "sum").unwrap();
    let mut out = [Val::I64(0)];
    sum.call(&mut store, &[Val::AnyRef(Some(s.to_any()))], &mut out).unwrap();
    assert_eq!(out[0], Val::I64(38));
    s.set_field(&mut store, 0, Val::I32(2)).unwrap();
    sum.call(&mut store, &[Val::AnyRef(Some(s.to_any()))], &mut out).unwrap();
    assert_eq!(out[0], Val::I64(42));
    // Type checks: an immutable field, a value of the wrong type, a field that is not there,
    // the wrong number of fields.
    assert!(s.set_field(&mut store, 1, Val::I64(1)).unwrap_err().to_string().contains("immutable"));
    assert!(s.set_field(&mut store, 0, Val::I64(1)).is_err());
    assert!(s.field(&store, 9).is_err());
    assert!(StructRef::new(&mut store, point, &[Val::I32(1)]).is_err());
    // A reference field takes a struct of its type, and gives it back.
    s.set_field(&mut store, 3, Val::AnyRef(Some(s.to_any()))).unwrap();
    let Val::AnyRef(Some(next)) = s.field(&store, 3).unwrap() else { panic!() };
    assert!(next.as_struct(&store).is_some());
    let i31 = Val::AnyRef(Some(AnyRef::from_i31(&store, I31::new(1))));
    assert!(s.set_field(&mut store, 3, i31).is_err());
    // Made by wasm, read by the host.
    let make = instance.get_func(&store, "make").unwrap();
    let mut out = [Val::AnyRef(None)];
    make.call(&mut store, &[Val::I32(5)], &mut out).unwrap();
    let Val::AnyRef(Some(made)) = out[0] else { panic!() };
    let made = made.as_struct(&store).unwrap();
    assert_eq!(made.field(&store, 0).unwrap(), Val::I32(5));
    assert_eq!(made.field(&store, 2).unwrap(), Val::I32(255));
    assert_eq!(made.to_any().ty(&store), Some(point));
}

fn the_host_makes_reads_and_writes_arrays(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), TYPES);
    let bytes = type_of(&store, &instance, "bytes");
    let a = ArrayRef::new(&mut store, bytes, Val::I32(300), 4).unwrap();
    assert_eq!(a.len(&store).unwrap(), 4);
    assert_eq!(a.get(&store, 3).unwrap(), Val::I32(300 & 0xff));
    a.set(&mut store, 0, Val::I32(-1)).unwrap();
    assert_eq!(a.get(&store, 0).unwrap(), Val::I32(0xff));
    assert!(a.get(&store, 4).is_err());
    assert!(a.set(&mut store, 4, Val::I32(0)).is_err());
    assert!(a.set(&mut store, 0, Val::F32(0)).is_err());
    assert!(ArrayRef::new(&mut store, bytes, Val::I32(0), u32::MAX).is_err());
    let frozen = instance.get_func(&store, "frozen").unwrap();
    let mut out = [Val::AnyRef(None)];
    frozen.call(&mut store, &[], &mut out).unwrap();
    let Val::AnyRef(Some(f)) = out[0] else { panic!() };
    let f = f.as_array(&store).unwrap();
    assert_eq!((f.get(&store, 0).unwrap(), f.get(&store, 1).unwrap()), (Val::I32(1), Val::I32(2)));
    assert!(f.set(&mut store, 0, Val::I32(9)).unwrap_err().to_string().contains("immutable"));
    // A struct type is not an array type.
    let point = type_of(&store, &instance, "sum");
    assert!(ArrayRef::new(&mut store, point, Val::I32(0), 1).is_err());
}

fn references_the_host_holds_survive_collections(mode: TranslationMode) {
    let engine = engine_with(mode, |c| {
        c.gc_stress(true);
    });
    let (mut store, instance) = instantiate(&engine, TYPES);
    let point = type_of(&store, &instance, "sum");
    let kept = StructRef::new(&mut store, point, &[Val::I32(7), Val::I64(0), Val::I32(0), Val::AnyRef(None)]).unwrap();
    let churn = instance.get_typed_func::<i32, ()>(&store, "churn").unwrap();
    churn.call(&mut store, 100).unwrap();
    store.gc();
    assert_eq!(kept.field(&store, 0).unwrap(), Val::I32(7));
}

fn a_root_scope_releases_what_it_rooted(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), TYPES);
    let point = type_of(&store, &instance, "sum");
    let before = store.scoped_roots();
    let escaped = store.root_scope(|store| {
        let s = StructRef::new(&mut *store, point, &[Val::I32(1), Val::I64(2), Val::I32(3), Val::AnyRef(None)]).unwrap();
        assert_eq!(s.field(&*store, 0).unwrap(), Val::I32(1));
        s
    });
    assert_eq!(store.scoped_roots(), before);
    store.gc();
    assert_eq!(store.gc_stats().objects, 0);
    let err = escaped.field(&store, 0).unwrap_err();
    assert!(err.to_string().contains("used after the scope that rooted it ended"), "{err}");
}

fn owned_references_live_until_dropped(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), TYPES);
    let point = type_of(&store, &instance, "sum");
    let owned = store.root_scope(|store| {
        let s = StructRef::new(&mut *store, point, &[Val::I32(9), Val::I64(0), Val::I32(0), Val::AnyRef(None)]).unwrap();
        s.to_any().to_owned(&*store).unwrap()
    });
    store.gc();
    assert_eq!(store.gc_stats().objects, 1);
    let again = owned.to_any(&store).unwrap().as_struct(&store).unwrap();
    assert_eq!(again.field(&store, 0).unwrap(), Val::I32(9));
    drop(owned);
    // The scoped root `to_any` made still holds it; once that scope ends, nothing does.
    store.root_scope(|store| store.gc());
    assert_eq!(store.gc_stats().objects, 1);
    let (mut other, _) = instantiate(&engine(mode), TYPES);
    assert!(again.field(&other, 0).is_err(), "a reference of another store");
    other.gc();
}

fn references_kept_past_a_host_call_are_refused_not_mistaken(mode: TranslationMode) {
    let engine = engine(mode);
    let wat = r#"(module
      (type $box (struct (field i32)))
      (import "host" "see" (func $see (param (ref $box))))
      (func (export "run") (param i32)
        (call $see (struct.new $box (local.get 0)))))"#;
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, Vec::<AnyRef>::new());
    let mut linker: Linker<Vec<AnyRef>> = Linker::new(&engine);
    let box_ty = ValType::Ref(mica::RefType::new(false, HeapType::Concrete(type_of_box(&module))));
    linker
        .func_new("host", "see", mica::FuncType::new([box_ty], []), |mut caller, args, _| {
            let Val::AnyRef(Some(r)) = args[0] else { panic!() };
            // Valid during the call.
            assert!(r.as_struct(&caller).is_some());
            caller.data_mut().push(r);
            Ok(())
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let run = instance.get_typed_func::<i32, ()>(&store, "run").unwrap();
    run.call(&mut store, 1).unwrap();
    run.call(&mut store, 2).unwrap();
    // The first reference's root was released when its call returned, and the second call's
    // argument may sit in the same place: the stale reference is refused, not read as it.
    let stale = store.data()[0];
    assert!(stale.as_struct(&store).is_none());
    let err = StructRef::new(&mut store, type_of_box(&module), &[Val::AnyRef(Some(stale))]);
    assert!(err.is_err());
    let Val::AnyRef(Some(live)) = Val::AnyRef(Some(store.data()[1])) else { unreachable!() };
    assert!(live.as_struct(&store).is_none(), "released too");
}

fn type_of_box(module: &Module) -> mica::ConcreteType {
    match module.imports().next().unwrap().2 {
        mica::ExternType::Func(f) => match f.params()[0] {
            ValType::Ref(r) => match r.heap_type() {
                HeapType::Concrete(c) => c,
                _ => unreachable!(),
            },
            _ => unreachable!(),
        },
        _ => unreachable!(),
    }
}
