//! Memories and tables of WebAssembly 3.0 through the embedding API: memory types with their
//! index type and page size, host-created 64-bit memories and tables imported by modules,
//! import matching on index type and page size, several memories reached by name from a
//! host function, and accesses at the edges of each kind of memory (the spec suite covers
//! the instructions themselves).

#[macro_use]
mod common;

use common::*;
use mica::{
    Caller, Config, Engine, Extern, Linker, Memory, MemoryType, RefType, Store, Table, TableType,
    TranslationMode, TrapCode, Val,
};

fn engine_all(mode: TranslationMode) -> Engine {
    engine_with(mode, |c: &mut Config| {
        c.all_features();
    })
}

both_modes! {
    memory_types_say_what_the_module_declares,
    host_memories_of_every_kind_are_imported_by_type,
    a_host_function_reaches_every_exported_memory_by_name,
    accesses_at_the_edges_of_every_kind_of_memory,
    fused_accesses_in_every_memory_form,
    a_64_bit_table_from_the_host,
    bulk_memory_in_handlers_and_slow_path_agree,
}

fn memory_types_say_what_the_module_declares(mode: TranslationMode) {
    let engine = engine_all(mode);
    let wat = r#"(module
      (memory (export "a") 1 2)
      (memory (export "b") i64 3)
      (memory (export "c") 5 (pagesize 1)))"#;
    let (store, instance) = instantiate_with(&engine, (), wat, |_| {});
    let ty = |name| instance.get_memory(&store, name).unwrap().ty(&store).unwrap();
    assert_eq!(ty("a"), MemoryType::new(1, Some(2)));
    assert_eq!(ty("b"), MemoryType::new64(3, None));
    assert_eq!(ty("c"), MemoryType::new(5, None).with_page_size_log2(0));
    assert_eq!(ty("c").page_size(), 1);
    let c = instance.get_memory(&store, "c").unwrap();
    assert_eq!((c.size(&store).unwrap(), c.data(&store).unwrap().len()), (5, 5), "pages of one byte");
}

fn host_memories_of_every_kind_are_imported_by_type(mode: TranslationMode) {
    let engine = engine_all(mode);
    let mut store = Store::new(&engine, ());
    let wide = Memory::new(&mut store, MemoryType::new64(1, Some(4))).unwrap();
    let narrow = Memory::new(&mut store, MemoryType::new(1, Some(4))).unwrap();
    let bytes = Memory::new(&mut store, MemoryType::new(10, None).with_page_size_log2(0)).unwrap();
    let wants_wide = module(&engine, r#"(module (import "m" "x" (memory i64 1 4))
      (func (export "last") (result i64) (i64.load (i64.const 65528))))"#);
    let wants_bytes = module(&engine, r#"(module (import "m" "x" (memory 10 (pagesize 1)))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#);
    let link = |store: &mut Store<()>, memory: Memory, m: &mica::Module| {
        let mut linker = Linker::new(&engine);
        linker.define("m", "x", memory).unwrap();
        linker.instantiate(store, m)
    };
    // The index type and the page size must match, as the limits must.
    assert!(link(&mut store, narrow, &wants_wide).is_err(), "a 32-bit memory for a 64-bit import");
    assert!(link(&mut store, wide, &wants_bytes).is_err(), "a 64-bit memory for a 32-bit import");
    assert!(link(&mut store, narrow, &wants_bytes).is_err(), "64 KiB pages for one-byte pages");
    wide.write(&mut store, 65528, &(-7i64).to_le_bytes()).unwrap();
    let instance = link(&mut store, wide, &wants_wide).unwrap();
    let last = instance.get_typed_func::<(), i64>(&store, "last").unwrap();
    assert_eq!(last.call(&mut store, ()).unwrap(), -7);
    let instance = link(&mut store, bytes, &wants_bytes).unwrap();
    let grow = instance.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 3).unwrap(), 10, "grows by bytes");
    assert_eq!(bytes.size(&store).unwrap(), 13);
    assert_eq!(bytes.grow(&mut store, 1).unwrap(), 13);
    assert_eq!(bytes.data(&store).unwrap().len(), 14);
}

fn a_host_function_reaches_every_exported_memory_by_name(mode: TranslationMode) {
    let engine = engine_all(mode);
    // `sum(n)` asks the host to add up the first n bytes of each memory it exports.
    let wat = r#"(module
      (import "host" "sum" (func $sum (param i32) (result i64)))
      (memory (export "zero") 1)
      (memory (export "one") 1)
      (memory (export "wide") i64 1)
      (data (memory 0) (i32.const 0) "\01\01")
      (data (memory 1) (i32.const 0) "\02\02")
      (data (memory 2) (i64.const 0) "\04\04")
      (func (export "run") (param i32) (result i64) (return_call $sum (local.get 0))))"#;
    let (mut store, instance) = instantiate_with(&engine, (), wat, |linker| {
        linker
            .func_wrap("host", "sum", |caller: Caller<'_, ()>, n: i32| -> i64 {
                ["zero", "one", "wide"]
                    .iter()
                    .map(|name| {
                        let memory = caller.get_export(name).and_then(Extern::into_memory).unwrap();
                        let data = memory.data(&caller).unwrap();
                        data[..n as usize].iter().map(|&b| i64::from(b)).sum::<i64>()
                    })
                    .sum()
            })
            .unwrap();
    });
    let run = instance.get_typed_func::<i32, i64>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 2).unwrap(), 14);
}

fn accesses_at_the_edges_of_every_kind_of_memory(mode: TranslationMode) {
    let engine = engine_all(mode);
    // For each memory kind, an 8-byte store and load at `addr` (offset `off`).
    let wat = r#"(module
      (memory $z 1)
      (memory $o 1)
      (memory $w i64 1)
      (memory $b 16 (pagesize 1))
      (func (export "z") (param i32) (result i64) (i64.store $z (local.get 0) (i64.const 1)) (i64.load $z (local.get 0)))
      (func (export "o") (param i32) (result i64) (i64.store $o (local.get 0) (i64.const 2)) (i64.load $o (local.get 0)))
      (func (export "w") (param i64) (result i64) (i64.store $w (local.get 0) (i64.const 3)) (i64.load $w (local.get 0)))
      (func (export "w_far") (param i64) (result i64) (i64.load $w offset=0xfffffffffffffff0 (local.get 0)))
      (func (export "b") (param i32) (result i64) (i64.store $b (local.get 0) (i64.const 4)) (i64.load $b (local.get 0))))"#;
    let (mut store, instance) = instantiate_with(&engine, (), wat, |_| {});
    let narrow = |store: &mut Store<()>, name: &str, addr: i32| {
        instance.get_typed_func::<i32, i64>(&*store, name).unwrap().call(store, addr)
    };
    let wide = |store: &mut Store<()>, name: &str, addr: i64| {
        instance.get_typed_func::<i64, i64>(&*store, name).unwrap().call(store, addr)
    };
    let oob = |result: mica::Result<i64>| {
        let error = result.expect_err("out of bounds");
        assert_eq!(error.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{error}");
    };
    assert_eq!(narrow(&mut store, "z", 65528).unwrap(), 1);
    oob(narrow(&mut store, "z", 65529));
    oob(narrow(&mut store, "z", -1));
    assert_eq!(narrow(&mut store, "o", 65528).unwrap(), 2);
    oob(narrow(&mut store, "o", 65529));
    oob(narrow(&mut store, "o", -8));
    assert_eq!(wide(&mut store, "w", 65528).unwrap(), 3);
    oob(wide(&mut store, "w", 65529));
    oob(wide(&mut store, "w", 1 << 32));
    oob(wide(&mut store, "w", -8));
    // An offset near 2^64: the sum overflows, which is out of bounds, not a wrap to 0.
    oob(wide(&mut store, "w_far", 0x10));
    oob(wide(&mut store, "w_far", 0));
    assert_eq!(narrow(&mut store, "b", 8).unwrap(), 4);
    oob(narrow(&mut store, "b", 9));
}

/// Loops whose loads and stores the interpreter runs in fused pairs with the instructions
/// beside them (a store then the add of its address, a load then the branch on it or the
/// arithmetic on it, the address arithmetic then the access), over a 32-bit memory 0, a
/// memory 1 of two (the named form) and a 64-bit memory 0, each pair handler made for its
/// form: the same answers in all three, and out-of-bounds traps from inside the pairs.
const FUSED_ACCESSES: &str = r#"(module
  MEMORIES
  (func (export "sieve") (param $n A) (result i32)
    (local $i A) (local $j A) (local $count i32)
    (memory.fill $m (A.const 0) (i32.const 0) (local.get $n))
    (local.set $i (A.const 2))
    (loop $outer
      (if (i32.eqz (i32.load8_u $m (local.get $i)))
        (then
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (local.set $j (A.mul (local.get $i) (local.get $i)))
          (block $done
            (br_if $done (A.gt_u (local.get $j) (local.get $n)))
            (loop $inner
              (i32.store8 $m (local.get $j) (i32.const 1))
              (local.set $j (A.add (local.get $j) (local.get $i)))
              (br_if $inner (A.le_u (local.get $j) (local.get $n)))))))
      (local.set $i (A.add (local.get $i) (A.const 1)))
      (br_if $outer (A.le_u (local.get $i) (local.get $n))))
    (local.get $count))
  (func (export "floats") (param $base A) (param $k i32) (result f64)
    (local $p A) (local $i i32) (local $sum f64)
    (local.set $p (local.get $base))
    (loop $fill
      (f64.store $m (local.get $p) (f64.convert_i32_u (local.get $i)))
      (local.set $p (A.add (local.get $p) (A.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (local.get $k))))
    (local.set $p (local.get $base))
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $sum (f64.add (local.get $sum) (f64.load $m (local.get $p))))
      (local.set $p (A.add (local.get $p) (A.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $sum (i32.lt_u (local.get $i) (local.get $k))))
    (local.get $sum))
  (func (export "words") (param $base A) (param $k i32) (result i32)
    (local $p A) (local $i i32) (local $sum i32)
    (local.set $p (local.get $base))
    (loop $l
      (i32.store $m offset=4 (local.get $p) (i32.add (local.get $i) (local.get $sum)))
      (local.set $sum (i32.add (local.get $sum) (i32.load $m offset=4 (local.get $p))))
      (local.set $p (A.add (local.get $p) (A.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $k))))
    (local.get $sum)))"#;

fn fused_accesses_in_every_memory_form(mode: TranslationMode) {
    let engine = engine_all(mode);
    let primes_to = |n: usize| (2..=n).filter(|&k| (2..k).take_while(|d| d * d <= k).all(|d| k % d != 0)).count() as i32;
    let words = |k: i32| (0..k).fold(0i32, |sum, i| sum.wrapping_add(i.wrapping_add(sum)));
    for (memories, a) in [
        ("(memory $m 1)", "i32"),
        ("(memory $other 1) (memory $m 1)", "i32"),
        ("(memory $m i64 1)", "i64"),
        // The named forms of either width, beside a memory of the other.
        ("(memory $other i64 1) (memory $m 1)", "i32"),
        ("(memory $other 1) (memory $m i64 1)", "i64"),
    ] {
        let wat = FUSED_ACCESSES.replace("MEMORIES", memories).replace("A.", &format!("{a}.")).replace(" A)", &format!(" {a})"));
        let (mut store, instance) = instantiate_with(&engine, (), &wat, |_| {});
        let addr = |v: i64| if a == "i32" { Val::I32(v as i32) } else { Val::I64(v) };
        let call = |store: &mut Store<()>, name: &str, args: &[Val]| {
            let mut out = [Val::I32(0)];
            instance.get_func(&*store, name).unwrap().call(store, args, &mut out).map(|()| out[0])
        };
        let oob = |result: mica::Result<Val>| {
            let error = result.expect_err("out of bounds");
            assert_eq!(error.trap_code(), Some(TrapCode::MemoryOutOfBounds), "{memories}: {error}");
        };
        for n in [2, 100, 5000, 65535] {
            let count = call(&mut store, "sieve", &[addr(n)]).unwrap();
            assert_eq!(count.as_i32(), Some(primes_to(n as usize)), "{memories}: sieve({n})");
        }
        // The inner loop's store reaches byte 65536, one past the end.
        oob(call(&mut store, "sieve", &[addr(65536)]));
        let sum = call(&mut store, "floats", &[addr(64), Val::I32(1000)]).unwrap();
        assert_eq!(sum.as_f64(), Some(499_500.0), "{memories}");
        // The third store writes bytes 65536..65544.
        oob(call(&mut store, "floats", &[addr(65536 - 16), Val::I32(3)]));
        let sum = call(&mut store, "words", &[addr(1000), Val::I32(100)]).unwrap();
        assert_eq!(sum.as_i32(), Some(words(100)), "{memories}");
        oob(call(&mut store, "words", &[addr(65536 - 12), Val::I32(3)]));
        if a == "i64" {
            // A 64-bit address is used whole: one past 2^32 is out of bounds, not byte 64.
            oob(call(&mut store, "floats", &[addr((1 << 32) + 64), Val::I32(1)]));
            oob(call(&mut store, "words", &[addr((1 << 32) + 1000), Val::I32(1)]));
            oob(call(&mut store, "words", &[addr(-4), Val::I32(1)]));
        }
    }
}

fn a_64_bit_table_from_the_host(mode: TranslationMode) {
    let engine = engine_all(mode);
    let mut store = Store::new(&engine, ());
    let table = Table::new(&mut store, TableType::new64(RefType::FUNCREF, 2, None), Val::FuncRef(None)).unwrap();
    let wat = r#"(module
      (import "m" "t" (table $t i64 2 funcref))
      (type $r (func (result i32)))
      (func $seven (type $r) (i32.const 7))
      (elem (table $t) (i64.const 1) func $seven)
      (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
      (func (export "size") (result i64) (table.size $t))
      (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0))))"#;
    let m = module(&engine, wat);
    let mut linker = Linker::new(&engine);
    linker.define("m", "t", table).unwrap();
    let instance = linker.instantiate(&mut store, &m).unwrap();
    let call = instance.get_typed_func::<i64, i32>(&store, "call").unwrap();
    assert_eq!(call.call(&mut store, 1).unwrap(), 7);
    for index in [2, 1 << 32, (1 << 32) + 1, -1] {
        let error = call.call(&mut store, index).expect_err("out of bounds");
        assert_eq!(error.trap_code(), Some(TrapCode::TableOutOfBounds), "{index}: {error}");
    }
    let grow = instance.get_typed_func::<i64, i64>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 1 << 40).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 3).unwrap(), 2);
    let size = instance.get_typed_func::<(), i64>(&store, "size").unwrap();
    assert_eq!(size.call(&mut store, ()).unwrap(), 5);
    assert_eq!(table.size(&store).unwrap(), 5);
    assert!(matches!(table.get(&store, 1).unwrap(), Some(Val::FuncRef(Some(_)))));
}

/// `memory.fill` and `memory.copy` on memory 0 run in their handlers, but for a store that
/// meters fuel, where the slow path runs them (it charges by the byte): both leave the same
/// bytes and report the same traps, on a 32- and a 64-bit memory, for copies overlapping
/// either way, empty ones at the end, and ranges past the end by one byte.
fn bulk_memory_in_handlers_and_slow_path_agree(mode: TranslationMode) {
    const PAGE: u64 = 65536;
    let cases: &[(&str, [u64; 3])] = &[
        ("fill", [100, 0xAB, 40]),
        ("copy", [110, 100, 30]),
        ("copy", [90, 100, 30]),
        ("copy", [100, 100, 30]),
        ("fill", [PAGE, 7, 0]),
        ("copy", [PAGE, PAGE, 0]),
        ("fill", [PAGE - 8, 0xCD, 8]),
        ("copy", [0, PAGE - 8, 8]),
        ("fill", [PAGE - 8, 1, 9]),
        ("copy", [PAGE - 8, 0, 9]),
        ("copy", [0, PAGE - 8, 9]),
        ("fill", [PAGE + 1, 1, 0]),
        ("copy", [u64::from(u32::MAX), 0, 2]),
    ];
    for (ty, param) in [("", "i32"), ("i64", "i64")] {
        let wat = format!(
            r#"(module (memory (export "m") {ty} 1 1)
              (func (export "fill") (param {param} i32 {param}) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
              (func (export "copy") (param {param} {param} {param}) (memory.copy (local.get 0) (local.get 1) (local.get 2))))"#
        );
        let run = |metered: bool| {
            let engine = engine_with(mode, |c: &mut Config| {
                c.all_features().consume_fuel(metered);
            });
            let (mut store, instance) = instantiate_with(&engine, (), &wat, |_| {});
            if metered {
                store.set_fuel(u64::MAX).unwrap();
            }
            let memory = instance.get_memory(&store, "m").unwrap();
            let seed: Vec<u8> = (0..PAGE as usize).map(|i| (i * 7 % 251) as u8).collect();
            memory.write(&mut store, 0, &seed).unwrap();
            let mut outcomes = Vec::new();
            for &(name, [a, b, c]) in cases {
                let func = instance.get_func(&store, name).unwrap();
                let val = |x: u64, wide: bool| if wide { Val::I64(x as i64) } else { Val::I32(x as i32) };
                let wide = ty == "i64";
                let params = [val(a, wide), val(b, wide && name == "copy"), val(c, wide)];
                let outcome = func.call(&mut store, &params, &mut []).map_err(|e| e.trap_code());
                outcomes.push((name, [a, b, c], outcome, memory.data(&store).unwrap().to_vec()));
            }
            outcomes
        };
        let (handlers, slow) = (run(false), run(true));
        for (fast, slow) in handlers.iter().zip(&slow) {
            assert_eq!(fast.2, slow.2, "{ty} {} {:?}", fast.0, fast.1);
            assert!(fast.3 == slow.3, "{ty} {} {:?}: the memories differ", fast.0, fast.1);
        }
        let traps = handlers.iter().filter(|o| o.2 == Err(Some(TrapCode::MemoryOutOfBounds))).count();
        assert_eq!(traps, 5, "{ty}: the cases past the end trap");
    }
}
