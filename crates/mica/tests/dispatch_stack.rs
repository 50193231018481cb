//! Threaded dispatch must not grow the native stack per instruction.
//!
//! In optimised builds each handler jumps to the next (a sibling call); if the compiler ever
//! stopped turning those calls into jumps, every executed instruction would take a native
//! stack frame and this test, which runs millions of instructions on a 128 KiB thread stack,
//! would overflow. CI runs it in release mode (`cargo test --release --test dispatch_stack`);
//! debug builds use the portable dispatch loop and pass trivially.

use mica::{Engine, Module, Store};

const LOOP: &str = r#"
(module
  (memory 1)
  (func (export "spin") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.load (i32.const 0))))
      (i32.store (i32.const 0) (i32.add (local.get $i) (i32.const 1)))
      (local.set $acc (i32.xor (local.get $acc) (i32.mul (local.get $i) (i32.const 31))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
"#;

/// Runs the loop; the module is compiled beforehand, on the test's own thread, so that the
/// small stack measures execution alone (a debug build's translator takes more than 128 KiB
/// of stack on its own: every operator's visit holds the whole unoptimised operator match).
fn spin(engine: &Engine, module: &Module, n: i32) -> i32 {
    let mut store = Store::new(engine, ());
    let instance = mica::Linker::new(engine).instantiate(&mut store, module).expect("instantiates");
    let spin = instance.get_typed_func::<i32, i32>(&store, "spin").expect("export");
    spin.call(&mut store, n).expect("runs")
}

fn reference(n: i32) -> i32 {
    let (mut acc, mut mem) = (0i32, 0i32);
    for i in 0..n {
        acc = acc.wrapping_add(mem);
        mem = i + 1;
        acc ^= i.wrapping_mul(31);
    }
    acc
}

#[test]
fn millions_of_instructions_on_a_small_native_stack() {
    let n = if cfg!(debug_assertions) { 20_000 } else { 2_000_000 };
    let engine = Engine::default();
    let module = Module::new(&engine, LOOP).expect("valid module");
    let result = std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(move || spin(&engine, &module, n))
        .expect("thread starts")
        .join()
        .expect("no stack overflow");
    assert_eq!(result, reference(n));
}
