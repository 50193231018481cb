//! GC (structs, arrays, `i31`, casts) through the embedding API: the heap stays bounded
//! under allocation loops, cycles are collected, the heap limit traps cleanly, roots keep
//! what they reach, and values cross between host and guest.

#[macro_use]
mod common;

use common::*;
use mica::{AnyRef, Engine, ExternRef, Func, Linker, Module, Store, TranslationMode, TrapCode, Val};

// Each also runs with the collector in stress mode (`gc_modes!`), but the heap-limit test,
// whose list of live nodes every collection would mark (quadratic under stress).
gc_modes! {
    short_lived_structs_and_arrays_run_in_a_bounded_heap,
    cycles_are_collected,
    huge_arrays_trap_instead_of_aborting,
    i31_never_allocates,
    globals_and_tables_keep_what_they_reach,
    host_references_round_trip_through_any,
    casts_check_the_runtime_type,
}

both_modes! {
    the_heap_limit_traps_and_the_store_stays_usable,
    objects_survive_collections_during_host_calls,
    operands_and_locals_live_across_calls_survive,
    dead_slots_keep_nothing_alive,
}

/// The allocation loop's size: 10^7 structs and 10^6 arrays in optimised builds (CI runs
/// them), a twentieth in debug builds.
fn scale(n: u32) -> u32 {
    let n = if gc_stressed() { n / 100 } else { n };
    if cfg!(debug_assertions) { n / 20 } else { n }
}

const ALLOC: &str = r#"
  (module
    (type $pair (struct (field $v (mut i64)) (field $next (mut (ref null $pair)))))
    (type $bytes (array (mut i8)))
    ;; `n` times: two structs pointing at each other (a cycle), dropped right away.
    (func (export "structs") (param $n i32) (result i64)
      (local $i i32) (local $sum i64) (local $a (ref null $pair)) (local $b (ref null $pair))
      (loop $l
        (local.set $a (struct.new $pair (i64.extend_i32_u (local.get $i)) (ref.null $pair)))
        (local.set $b (struct.new $pair (i64.const 1) (local.get $a)))
        (struct.set $pair $next (local.get $a) (local.get $b))
        (local.set $sum (i64.add (local.get $sum)
          (struct.get $pair $v (struct.get $pair $next (local.get $b)))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $sum))
    ;; `n` byte arrays of 0..1023 bytes, each written and read once.
    (func (export "arrays") (param $n i32) (result i64)
      (local $i i32) (local $sum i64) (local $a (ref null $bytes)) (local $len i32)
      (loop $l
        (local.set $len (i32.and (local.get $i) (i32.const 1023)))
        (local.set $a (array.new $bytes (i32.const 7) (i32.add (local.get $len) (i32.const 1))))
        (array.set $bytes (local.get $a) (local.get $len) (i32.const 1))
        (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (array.len (local.get $a)))))
        (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $sum)))
"#;

fn short_lived_structs_and_arrays_run_in_a_bounded_heap(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), ALLOC);
    let structs = instance.get_typed_func::<i32, i64>(&store, "structs").unwrap();
    let arrays = instance.get_typed_func::<i32, i64>(&store, "arrays").unwrap();
    let pairs = scale(5_000_000);
    let sum = structs.call(&mut store, pairs as i32).unwrap();
    assert_eq!(sum, (0..u64::from(pairs)).sum::<u64>() as i64);
    let n = scale(1_000_000);
    let sum = arrays.call(&mut store, n as i32).unwrap();
    assert_eq!(sum, (0..u64::from(n)).map(|i| (i & 1023) + 1).sum::<u64>() as i64);
    let stats = store.gc_stats();
    assert_eq!(stats.allocations, u64::from(2 * pairs + n));
    // The heap never held more than a few of its collection thresholds' worth.
    assert!(stats.peak_bytes < 4 << 20, "{stats:?}");
    assert!(stats.collections > 10, "{stats:?}");
    println!("{} structs and {n} arrays: {stats:?}", 2 * pairs);
}

fn cycles_are_collected(mode: TranslationMode) {
    let (mut store, instance) = instantiate(&engine(mode), ALLOC);
    let structs = instance.get_typed_func::<i32, i64>(&store, "structs").unwrap();
    structs.call(&mut store, 1000).unwrap();
    // Without stress nothing was collected yet. With it, each allocation collected first,
    // and the last allocations still saw the pair before through the locals `$a` and `$b`.
    assert_eq!(store.gc_stats().objects, if gc_stressed() { 4 } else { 2000 });
    store.gc();
    assert_eq!(store.gc_stats().objects, 0, "{:?}", store.gc_stats());
    assert_eq!(store.gc_stats().bytes, 0);
}

fn the_heap_limit_traps_and_the_store_stays_usable(mode: TranslationMode) {
    let engine = engine_with(mode, |c| {
        c.max_gc_heap(1 << 20);
    });
    let (mut store, instance) = instantiate(
        &engine,
        r#"(module
          (type $node (struct (field (ref null $node)) (field i64) (field i64)))
          (global $list (mut (ref null $node)) (ref.null $node))
          ;; A list that stays reachable from a global: grows until the limit.
          (func (export "grow") (param $n i32)
            (loop $l
              (global.set $list (struct.new $node (global.get $list) (i64.const 0) (i64.const 0)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
          (func (export "clear") (global.set $list (ref.null $node))))"#,
    );
    let grow = instance.get_typed_func::<i32, ()>(&store, "grow").unwrap();
    let clear = instance.get_typed_func::<(), ()>(&store, "clear").unwrap();
    let err = expect_trap(grow.call(&mut store, 1_000_000), TrapCode::OutOfMemory);
    assert!(err.to_string().contains("out of memory"), "{err}");
    assert!(store.gc_stats().bytes <= 1 << 20);
    // What the global held is collectable once it lets go; then there is room again.
    clear.call(&mut store, ()).unwrap();
    grow.call(&mut store, 1000).unwrap();
    store.gc();
    assert_eq!(store.gc_stats().objects, 1000, "{:?}", store.gc_stats());
}

fn huge_arrays_trap_instead_of_aborting(mode: TranslationMode) {
    let (mut store, instance) = instantiate(
        &engine(mode),
        r#"(module
          (type $a (array (mut i64)))
          (func (export "new") (param i32) (result i32)
            (array.len (array.new_default $a (local.get 0)))))"#,
    );
    let new = instance.get_typed_func::<i32, i32>(&store, "new").unwrap();
    expect_trap(new.call(&mut store, -1), TrapCode::OutOfMemory);
    expect_trap(new.call(&mut store, 200_000_000), TrapCode::OutOfMemory);
    assert_eq!(new.call(&mut store, 10).unwrap(), 10);
}

fn i31_never_allocates(mode: TranslationMode) {
    let (mut store, instance) = instantiate(
        &engine(mode),
        r#"(module
          (func (export "sum") (param $n i32) (result i32) (local $s i32) (local $r i31ref)
            (loop $l
              (local.set $r (ref.i31 (local.get $n)))
              (local.set $s (i32.add (local.get $s) (i31.get_s (local.get $r))))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (local.get $s))
          (func (export "id") (param anyref) (result anyref) (local.get 0))
          (func (export "neg") (result i32) (i31.get_s (ref.i31 (i32.const -5)))))"#,
    );
    let sum = instance.get_typed_func::<i32, i32>(&store, "sum").unwrap();
    assert_eq!(sum.call(&mut store, 1000).unwrap(), 500_500);
    assert_eq!(store.gc_stats().allocations, 0);
    let neg = instance.get_typed_func::<(), i32>(&store, "neg").unwrap();
    assert_eq!(neg.call(&mut store, ()).unwrap(), -5);
    // Through the API: an `i31` made by the host comes back as itself.
    let id = instance.get_func(&store, "id").unwrap();
    let mut out = [Val::AnyRef(None)];
    let arg = Val::AnyRef(Some(AnyRef::from_i31(&store, mica::I31::new(0x7fff_ffff))));
    id.call(&mut store, &[arg], &mut out).unwrap();
    let Val::AnyRef(Some(r)) = out[0] else { panic!("{:?}", out[0]) };
    assert_eq!(r.as_i31().map(|v| v.get_u()), Some(0x7fff_ffff));
    assert_eq!(r.as_i31().map(|v| v.get_s()), Some(-1));
}

fn globals_and_tables_keep_what_they_reach(mode: TranslationMode) {
    let (mut store, instance) = instantiate(
        &engine(mode),
        r#"(module
          (type $box (struct (field i32)))
          (global $g (mut (ref null $box)) (ref.null $box))
          (table $t 4 (ref null $box))
          (func (export "keep") (param i32)
            (global.set $g (struct.new $box (local.get 0)))
            (table.set $t (i32.const 2) (struct.new $box (i32.add (local.get 0) (i32.const 1)))))
          (func (export "read") (result i32)
            (i32.add (struct.get $box 0 (global.get $g)) (struct.get $box 0 (table.get $t (i32.const 2)))))
          (func (export "drop_all")
            (global.set $g (ref.null $box))
            (table.set $t (i32.const 2) (ref.null $box))))"#,
    );
    let keep = instance.get_typed_func::<i32, ()>(&store, "keep").unwrap();
    let read = instance.get_typed_func::<(), i32>(&store, "read").unwrap();
    let drop_all = instance.get_typed_func::<(), ()>(&store, "drop_all").unwrap();
    keep.call(&mut store, 20).unwrap();
    store.gc();
    assert_eq!(store.gc_stats().objects, 2);
    assert_eq!(read.call(&mut store, ()).unwrap(), 41);
    drop_all.call(&mut store, ()).unwrap();
    store.gc();
    assert_eq!(store.gc_stats().objects, 0);
}

fn host_references_round_trip_through_any(mode: TranslationMode) {
    let (mut store, instance) = instantiate(
        &engine(mode),
        r#"(module
          (type $box (struct (field anyref)))
          (func (export "wrap") (param externref) (result externref)
            ;; In a struct as `any`, out again as `extern`.
            (extern.convert_any (struct.get $box 0 (struct.new $box (any.convert_extern (local.get 0))))))
          (func (export "is_struct") (param externref) (result i32)
            (ref.test (ref struct) (any.convert_extern (local.get 0))))
          (func (export "make") (result externref)
            (extern.convert_any (struct.new $box (ref.null any)))))"#,
    );
    let wrap = instance.get_func(&store, "wrap").unwrap();
    let is_struct = instance.get_typed_func::<Option<ExternRef>, i32>(&store, "is_struct").unwrap();
    let make = instance.get_typed_func::<(), Option<ExternRef>>(&store, "make").unwrap();
    let host = ExternRef::new(&mut store, String::from("host value"));
    let mut out = [Val::ExternRef(None)];
    wrap.call(&mut store, &[Val::ExternRef(Some(host))], &mut out).unwrap();
    let Val::ExternRef(Some(back)) = out[0] else { panic!("{:?}", out[0]) };
    assert_eq!(back, host);
    assert_eq!(back.data(&store).and_then(|d| d.downcast_ref::<String>()).unwrap(), "host value");
    assert_eq!(is_struct.call(&mut store, Some(host)).unwrap(), 0);
    // A struct seen from the host as `externref` has no host data, and goes back as itself.
    let s = make.call(&mut store, ()).unwrap().unwrap();
    assert!(s.data(&store).is_none());
    assert!(s.to_any().is_struct(&store));
    assert_eq!(is_struct.call(&mut store, Some(s)).unwrap(), 1);
}

fn objects_survive_collections_during_host_calls(mode: TranslationMode) {
    // Collect at every allocation: a struct made before a host call that re-enters wasm
    // (which allocates) must still be there after it.
    let engine = engine_with(mode, |c| {
        c.gc_stress(true);
    });
    let wat = r#"(module
      (type $box (struct (field i32) (field (ref null $box))))
      (import "host" "call_back" (func $call_back (param i32) (result i32)))
      (func (export "churn") (param $n i32) (result i32)
        (local $b (ref null $box))
        (loop $l
          (local.set $b (struct.new $box (local.get $n) (local.get $b)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (struct.get $box 0 (local.get $b)))
      (func (export "outer") (result i32) (local $keep (ref null $box))
        (local.set $keep (struct.new $box (i32.const 1234) (ref.null $box)))
        (drop (call $call_back (i32.const 50)))
        (struct.get $box 0 (local.get $keep))))"#;
    let module = Module::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, None::<Func>);
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap("host", "call_back", |mut caller: mica::Caller<'_, Option<Func>>, n: i32| -> i32 {
            let churn = caller.data().unwrap();
            let mut out = [Val::I32(0)];
            churn.call(&mut caller, &[Val::I32(n)], &mut out).unwrap();
            out[0].as_i32().unwrap()
        })
        .unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    *store.data_mut() = instance.get_func(&store, "churn");
    let outer = instance.get_typed_func::<(), i32>(&store, "outer").unwrap();
    assert_eq!(outer.call(&mut store, ()).unwrap(), 1234);
    assert!(store.gc_stats().collections >= 51, "{:?}", store.gc_stats());
}

fn casts_check_the_runtime_type(mode: TranslationMode) {
    let (mut store, instance) = instantiate(
        &engine(mode),
        r#"(module
          (type $a (sub (struct (field i32))))
          (type $b (sub $a (struct (field i32) (field i64))))
          (type $c (struct (field f64)))
          (func $make (param i32) (result anyref)
            (if (result anyref) (i32.eqz (local.get 0))
              (then (struct.new $a (i32.const 1)))
              (else (if (result anyref) (i32.eq (local.get 0) (i32.const 1))
                (then (struct.new $b (i32.const 2) (i64.const 3)))
                (else (struct.new $c (f64.const 4)))))))
          ;; Reads field 0 as an $a: fine for an $a or a $b, a trap for a $c.
          (func (export "field0") (param i32) (result i32)
            (struct.get $a 0 (ref.cast (ref $a) (call $make (local.get 0)))))
          (func (export "which") (param i32) (result i32)
            (block $is_b (result (ref $b))
              (block $is_a (result (ref $a))
                (br_on_cast $is_b anyref (ref $b) (call $make (local.get 0)))
                (br_on_cast $is_a anyref (ref $a))
                (drop) (return (i32.const 0)))
              (drop) (return (i32.const 1)))
            (drop) (i32.const 2)))"#,
    );
    let field0 = instance.get_typed_func::<i32, i32>(&store, "field0").unwrap();
    let which = instance.get_typed_func::<i32, i32>(&store, "which").unwrap();
    assert_eq!(field0.call(&mut store, 0).unwrap(), 1);
    assert_eq!(field0.call(&mut store, 1).unwrap(), 2);
    expect_trap(field0.call(&mut store, 2), TrapCode::CastFailure);
    assert_eq!(which.call(&mut store, 0).unwrap(), 1);
    assert_eq!(which.call(&mut store, 1).unwrap(), 2);
    assert_eq!(which.call(&mut store, 2).unwrap(), 0);
}

fn operands_and_locals_live_across_calls_survive(mode: TranslationMode) {
    // Collect at every allocation: a struct kept only in an operand slot (below a call's
    // arguments, or an allocation's own operands) or in a local must survive the callee's
    // allocations, which reuse every slot a missed root would free.
    let engine = engine_with(mode, |c| {
        c.gc_stress(true);
    });
    let (mut store, instance) = instantiate(
        &engine,
        r#"(module
          (type $box (struct (field i32)))
          (type $pair (struct (field (ref $box)) (field (ref $box))))
          (func $churn (param $n i32) (result (ref $box)) (local $b (ref null $box))
            (loop $l
              (local.set $b (struct.new $box (local.get $n)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (struct.new $box (i32.const 99)))
          (func (export "run") (param $p (ref null $box)) (result i32)
            (local $l (ref null $box)) (local $pair (ref null $pair))
            (local.set $l (struct.new $box (i32.const 10)))
            ;; The first field's struct waits in an operand slot while $churn allocates.
            (local.set $pair (struct.new $pair (struct.new $box (i32.const 20)) (call $churn (i32.const 50))))
            (i32.add
              (i32.add (struct.get $box 0 (struct.get $pair 0 (local.get $pair)))
                       (struct.get $box 0 (struct.get $pair 1 (local.get $pair))))
              (i32.add (struct.get $box 0 (local.get $l))
                       (struct.get $box 0 (ref.as_non_null (local.get $p)))))))"#,
    );
    let run = instance.get_func(&store, "run").unwrap();
    let box_ty = match run.ty(&store).params()[0] {
        mica::ValType::Ref(r) => match r.heap_type() {
            mica::HeapType::Concrete(c) => c,
            other => panic!("{other:?}"),
        },
        other => panic!("{other}"),
    };
    let p = mica::StructRef::new(&mut store, box_ty, &[Val::I32(1000)]).unwrap();
    let mut out = [Val::I32(0)];
    run.call(&mut store, &[Val::AnyRef(Some(p.to_any()))], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(20 + 99 + 10 + 1000));
}

fn dead_slots_keep_nothing_alive(mode: TranslationMode) {
    // The roots are precise: a struct whose only trace is a dropped operand's slot (which
    // still holds its cell) is collected by the next allocation.
    let engine = engine_with(mode, |c| {
        c.gc_stress(true);
    });
    let (mut store, instance) = instantiate_with(
        &engine,
        (),
        r#"(module
          (type $box (struct (field i32)))
          (import "host" "objects" (func $objects (result i32)))
          (func (export "run") (result i32)
            (drop (struct.new $box (i32.const 1)))
            (drop (struct.new $box (i32.const 2)))
            (call $objects)))"#,
        |linker| {
            linker.func_wrap("host", "objects", |caller: mica::Caller<'_, ()>| caller.gc_stats().objects as i32).unwrap();
        },
    );
    let run = instance.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 1);
}

#[test]
fn the_default_engine_runs_gc() {
    let engine = Engine::default();
    let (mut store, instance) = instantiate(
        &engine,
        r#"(module (type $s (struct (field i32)))
             (func (export "f") (result i32) (struct.get $s 0 (struct.new $s (i32.const 7)))))"#,
    );
    let f = instance.get_typed_func::<(), i32>(&store, "f").unwrap();
    assert_eq!(f.call(&mut store, ()).unwrap(), 7);
}
