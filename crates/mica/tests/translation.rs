//! The translator's optimisations, checked by what programs compute: results handed from one
//! instruction to the next in the accumulator, and constants kept in constant slots inside
//! loops. Each program is run in both translation modes and its result compared with the
//! value computed in Rust; a listing check makes sure the optimisation under test really
//! applies (so the semantic check is not vacuous).

mod common;

use common::{engine, instantiate};
use mica::TranslationMode;

const MODES: [TranslationMode; 2] = [TranslationMode::Eager, TranslationMode::Lazy];

/// Calls export `name` of `wat` with `args` in every translation mode.
fn call<P: mica::WasmParams + Copy, R: mica::WasmResults + PartialEq + std::fmt::Debug>(
    wat: &str,
    name: &str,
    args: P,
    expected: R,
) {
    for mode in MODES {
        let (mut store, instance) = instantiate(&engine(mode), wat);
        let f = instance.get_typed_func::<P, R>(&store, name).expect("export");
        let got = f.call(&mut store, args).unwrap_or_else(|e| panic!("{name} ({mode:?}): {e}"));
        assert_eq!(got, expected, "{name} in {mode:?} mode");
    }
}

/// The listing of function `index` of `wat`.
fn listing(wat: &str, index: u32) -> String {
    let module = mica::Module::new(&engine(TranslationMode::Eager), wat).expect("module");
    module.disassemble(index).expect("a defined function").expect("translates")
}

/// A loop that calls a function between uses of its constants: a callee's frame starts at
/// its arguments, so the caller's constant slots must lie below them.
#[test]
fn constants_in_loops_survive_calls() {
    let wat = r#"(module
      (func $f (param i32) (result i32)
        (local i32 i32 i32)
        ;; The callee uses its own frame, constants and operand slots.
        (local.set 1 (i32.mul (local.get 0) (i32.const 7)))
        (local.set 2 (i32.const 99))
        (local.set 3 (i32.const -1))
        (i32.add (local.get 1) (i32.add (local.get 2) (local.get 3))))
      (func (export "run") (param $n i32) (result i32)
        (local $i i32) (local $acc i32)
        (loop $l
          (local.set $acc
            (i32.add (local.get $acc)
              (i32.sub (i32.const 1000) (call $f (local.get $i)))))
          (local.set $acc (i32.xor (local.get $acc) (i32.const 0x5a5a)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $acc)))"#;
    let mut acc: i32 = 0;
    for i in 0..50i32 {
        acc = acc.wrapping_add(1000 - (i * 7 + 98));
        acc ^= 0x5a5a;
    }
    call(wat, "run", 50i32, acc);
    assert!(listing(wat, 1).contains("Br("), "the constants in the loop get a prologue");
}

/// Constants as left operands of non-commutative operators, and as addresses and stored
/// values, inside nested loops and blocks.
#[test]
fn constant_operands_in_loops() {
    let wat = r#"(module
      (memory 1)
      (func (export "run") (param $n i32) (result i64)
        (local $i i32) (local $j i32) (local $s i64) (local $f f64)
        (loop $outer
          (local.set $j (i32.const 0))
          (block $done
            (loop $inner
              (br_if $done (i32.ge_u (local.get $j) (i32.const 3)))
              (i32.store (i32.const 64) (i32.sub (i32.const 100) (local.get $j)))
              (local.set $s (i64.add (local.get $s)
                (i64.extend_i32_u (i32.load (i32.const 64)))))
              (local.set $f (f64.add (local.get $f) (f64.div (f64.const 1.5) (f64.const 0.5))))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $inner)))
          (local.set $s (i64.sub (i64.const 0x123456789) (local.get $s)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
        (i64.add (local.get $s) (i64.trunc_f64_s (local.get $f)))))"#;
    let (mut s, mut f) = (0i64, 0f64);
    for _ in 0..7 {
        for j in 0..3i64 {
            s += 100 - j;
            f += 1.5 / 0.5;
        }
        s = 0x123456789 - s;
    }
    call(wat, "run", 7i32, s + f as i64);
}

/// Values handed over in the accumulator: long chains of each type, results consumed by
/// loads, stores, branches and conversions, and a reinterpretation between two types (the
/// `f64` accumulator is not the integer one, so no value may cross it there).
#[test]
fn accumulator_chains() {
    let wat = r#"(module
      (memory 1)
      (func (export "ints") (param $a i32) (param $b i64) (result i64)
        (i32.store offset=8 (i32.and (i32.add (local.get $a) (i32.const 3)) (i32.const 0xff))
          (i32.rotl (i32.xor (local.get $a) (i32.shr_u (local.get $a) (i32.const 7))) (i32.const 5)))
        (i64.add
          (i64.mul (i64.extend_i32_u (i32.load offset=8
            (i32.and (i32.add (local.get $a) (i32.const 3)) (i32.const 0xff)))) (local.get $b))
          (i64.shl (i64.sub (i64.const 5) (local.get $b)) (i64.const 3))))
      (func (export "floats") (param $x f64) (param $y f32) (result f64)
        (f64.add
          (f64.sqrt (f64.mul (f64.sub (local.get $x) (f64.const 0.25)) (local.get $x)))
          (f64.promote_f32 (f32.mul (f32.add (local.get $y) (f32.const 1)) (local.get $y)))))
      (func (export "reinterpret") (param $a i64) (param $x f64) (result f64)
        (f64.mul (f64.reinterpret_i64 (i64.add (local.get $a) (i64.const 1))) (local.get $x)))
      (func (export "reinterpret_back") (param $x f64) (result i64)
        (i64.add (i64.reinterpret_f64 (f64.add (local.get $x) (local.get $x))) (i64.const 1)))
      (func (export "branch") (param $a i32) (result i32)
        (if (result i32) (i32.and (i32.add (local.get $a) (i32.const 1)) (i32.const 2))
          (then (i32.const 10))
          (else (i32.const 20)))))"#;
    let ints = |a: i32, b: i64| -> i64 {
        // Stored at and loaded back from the same computed address.
        let v = ((a ^ ((a as u32 >> 7) as i32)) as u32).rotate_left(5);
        (v as i64).wrapping_mul(b).wrapping_add((5i64.wrapping_sub(b)).wrapping_shl(3))
    };
    for (a, b) in [(1, 2), (-7, 1 << 40), (0x12345, -3)] {
        call(wat, "ints", (a, b), ints(a, b));
    }
    let floats = |x: f64, y: f32| ((x - 0.25) * x).sqrt() + ((y + 1.0) * y) as f64;
    call(wat, "floats", (3.5f64, 1.25f32), floats(3.5, 1.25));
    let bits = 0x4009_21fb_5444_2d18i64; // pi
    call(wat, "reinterpret", (bits - 1, 2.0f64), f64::from_bits(bits as u64) * 2.0);
    call(wat, "reinterpret_back", 1.5f64, (3.0f64).to_bits() as i64 + 1);
    for a in [0, 1, 2, 5] {
        call(wat, "branch", a, if (a + 1) & 2 != 0 { 10 } else { 20 });
    }
    // Without `fast` nothing is handed over in the accumulator.
    assert_eq!(listing(wat, 0).contains("65535"), cfg!(feature = "fast"), "the accumulator is used");
}

/// A binary operator whose second operand is a *leaf* (pure, from locals and constants only)
/// gets the leaf first, so that its first operand, the end of the longer chain, comes in the
/// accumulator. The leaf may then stand between the accumulator's writer and its reader; it
/// never moves past an instruction that reads its result or writes what it reads, never
/// when it may trap, and never when something other than the binary operator consumes it.
#[test]
fn leaf_operands_are_computed_first() {
    let wat = r#"(module
      (memory 1)
      (func (export "mix") (param $a i32) (param $b i32) (result i32)
        (i32.add
          (i32.rotl (i32.xor (local.get $b) (i32.shr_u (local.get $a) (i32.const 7))) (i32.const 5))
          (i32.shl (local.get $a) (i32.const 3))))
      (func (export "sub") (param $a i32) (param $b i32) (result i32)
        (i32.sub (i32.mul (i32.add (local.get $a) (i32.const 1)) (local.get $b))
          (i32.shr_s (local.get $b) (i32.const 1))))
      (func (export "div") (param $a i32) (param $b i32) (result i32)
        (i32.add (i32.div_s (local.get $a) (local.get $b)) (i32.shl (local.get $b) (i32.const 2))))
      (func (export "load") (param $a i32) (result i32)
        (i32.add (i32.load (local.get $a)) (i32.load offset=4 (local.get $a))))
      (func (export "unary") (param $a i32) (param $b i32) (result i32)
        (i32.add (i32.mul (local.get $a) (local.get $b)) (i32.eqz (i32.and (local.get $b) (i32.const 1)))))
      (func (export "floats") (param $x f64) (param $n i64) (result f64)
        (f64.sub (f64.mul (f64.add (local.get $x) (f64.const 1)) (local.get $x))
          (f64.convert_i64_s (local.get $n))))
      (func (export "store") (param $a i32) (param $b i32) (result i32)
        (i32.store (i32.and (i32.add (local.get $a) (local.get $b)) (i32.const 0xfc))
          (i32.mul (local.get $b) (i32.const 3)))
        (i32.load (i32.and (i32.add (local.get $a) (local.get $b)) (i32.const 0xfc)))))"#;
    // Without `fast` nothing is handed over, and nothing moves.
    let fast = cfg!(feature = "fast");
    let mix = listing(wat, 0);
    let (shl, rotl) = (mix.find("I32ShlImm").expect("shl"), mix.find("I32RotlImm").expect("rotl"));
    assert_eq!(shl < rotl, fast, "the leaf comes first:\n{mix}");
    assert_eq!(mix.contains("I32RotlImm(BinImm { dst: 65535"), fast, "rotl hands over:\n{mix}");
    let mixed = |a: i32, b: i32| (b ^ ((a as u32 >> 7) as i32)).rotate_left(5).wrapping_add(a << 3);
    let sub = |a: i32, b: i32| a.wrapping_add(1).wrapping_mul(b).wrapping_sub(b >> 1);
    for (a, b) in [(1, 2), (-7, 0x1234_5678), (0x7fff_ffff, -3)] {
        call(wat, "mix", (a, b), mixed(a, b));
        call(wat, "sub", (a, b), sub(a, b));
        call(wat, "unary", (a, b), a.wrapping_mul(b).wrapping_add(i32::from(b & 1 == 0)));
        call(wat, "store", (a, b), b.wrapping_mul(3));
    }
    let div = listing(wat, 2);
    assert_eq!(div.find("I32DivS").expect("div") > div.find("I32ShlImm").expect("shl"), fast, "{div}");
    call(wat, "div", (-9, 2), -4 + 8);
    let loads = listing(wat, 3);
    assert!(loads.find("offset: 0,").expect("load 0") < loads.find("offset: 4,").expect("load 4"));
    let unary = listing(wat, 4);
    assert!(unary.find("I32Mul").expect("mul") < unary.find("I32AndImm").expect("and"), "{unary}");
    call(wat, "floats", (1.5f64, 3_i64), 2.5 * 1.5 - 3.0);
    let engine = engine(TranslationMode::Eager);
    let (mut store, instance) = instantiate(&engine, wat);
    let div = instance.get_typed_func::<(i32, i32), i32>(&store, "div").expect("export");
    let trap = div.call(&mut store, (1, 0)).expect_err("divides by zero");
    assert_eq!(trap.as_trap().expect("a trap").code(), mica::TrapCode::IntegerDivisionByZero);
    let load = instance.get_typed_func::<i32, i32>(&store, "load").expect("export");
    assert!(load.call(&mut store, 65534).is_err(), "the first load traps first");
}

/// A value computed just before a block that takes parameters, and results that meet at a
/// label from several paths: nothing may be left in the accumulator across a label.
#[test]
fn accumulator_and_labels() {
    let wat = r#"(module
      (func (export "run") (param $a i32) (result i32)
        (i32.mul
          (block $b (result i32)
            (drop (br_if $b (i32.add (local.get $a) (i32.const 100))
                            (i32.lt_s (local.get $a) (i32.const 0))))
            (i32.sub (local.get $a) (i32.const 1)))
          (i32.add (local.get $a) (i32.const 2)))))"#;
    for a in [-5, 0, 7] {
        let first = if a < 0 { a + 100 } else { a - 1 };
        call(wat, "run", a, first * (a + 2));
    }
}

/// Branches back to a loop that starts with its exit test run a copy of the test: with the
/// exit pending in an enclosing block, with loop parameters, and with an `if` (not an exit
/// test) at the start of the loop.
#[test]
fn loop_tests_threaded_into_back_edges() {
    let wat = r#"(module
      (func (export "top_tested") (param $n i32) (result i32)
        (local $i i32) (local $s i32)
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
        (local.get $s))
      (func (export "params") (param $n i32) (result i32)
        (i32.const 0)
        (loop $l (param i32) (result i32)
          (br_if 1 (i32.gt_u (local.get $n) (i32.const 100)))
          (local.set $n (i32.add (local.get $n) (i32.const 7)))
          (i32.add (local.get $n))
          (br $l)))
      (func (export "if_first") (param $n i32) (result i32)
        (local $s i32)
        (block $done
          (loop $l
            (if (i32.and (local.get $n) (i32.const 1))
              (then (local.set $s (i32.add (local.get $s) (local.get $n)))))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $done (i32.eqz (local.get $n)))
            (br $l)))
        (local.get $s)))"#;
    for n in [0u32, 1, 10, 1000] {
        let s: u32 = (0..n).map(|i| i.wrapping_mul(i)).fold(0, u32::wrapping_add);
        call(wat, "top_tested", n as i32, s as i32);
    }
    for n in [0i32, 50, 99, 100, 101, 500] {
        let (mut n2, mut acc) = (n as u32, 0u32);
        while n2 <= 100 {
            n2 += 7;
            acc = acc.wrapping_add(n2);
        }
        call(wat, "params", n, acc as i32);
    }
    for n in [1i32, 2, 9, 100] {
        let s: i32 = (1..=n).filter(|k| k & 1 == 1).sum();
        call(wat, "if_first", n, s);
    }
    // The back edge of `top_tested` is the inverted test.
    assert!(listing(wat, 0).contains("BrI32LtU"), "the exit test is threaded");
}

/// A value computed into a local and read right back: the instruction that computes it
/// writes the accumulator too, and the reader takes it from there. Covers `local.tee` and
/// `local.set` + `local.get`, both operands naming the same local, each accumulator type,
/// and loads and branches as readers.
#[test]
fn locals_read_back_from_the_accumulator() {
    let wat = r#"(module
      (memory 1)
      (func (export "ints") (param $a i32) (result i32)
        (local $x i32) (local $y i32)
        (i32.store (i32.const 16) (local.get $a))
        (local.set $x (i32.add (local.get $a) (i32.const 5)))
        (local.set $y (i32.mul (local.get $x) (local.get $x)))
        (i32.load (i32.sub (local.tee $x (i32.const 16)) (i32.const 0)))
        (i32.add (local.get $y))
        (i32.add (local.get $x)))
      (func (export "floats") (param $a f64) (result f64)
        (local $x f64)
        (f64.mul (local.tee $x (f64.add (local.get $a) (f64.const 0.5))) (local.get $x)))
      (func (export "tee_reinterpret") (param $a i64) (result i32)
        (local $x i64)
        (i32.trunc_f64_s (f64.reinterpret_i64 (local.tee $x (i64.or (local.get $a) (i64.const 0))))))
      (func (export "wide") (param $a i64) (result i64)
        (local $x i64)
        (local.set $x (i64.shl (local.get $a) (i64.const 3)))
        (i64.sub (local.get $x) (local.get $a)))
      (func (export "branch") (param $n i32) (result i32)
        (local $i i32) (local $s i32)
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                   (local.get $n)))
            (local.set $s (i32.add (local.get $s) (local.get $i)))
            (br $l)))
        (local.get $s)))"#;
    for a in [0i32, 3, -9] {
        let x = a.wrapping_add(5);
        call(wat, "ints", a, a.wrapping_add(x.wrapping_mul(x)).wrapping_add(16));
    }
    for a in [0.0f64, 2.25, -7.5] {
        call(wat, "floats", a, (a + 0.5) * (a + 0.5));
    }
    for a in [1i64, -5, 1 << 40] {
        call(wat, "wide", a, (a << 3) - a);
    }
    // The `i64` result goes to the integer accumulator; the `f64` reader must not take it.
    call(wat, "tee_reinterpret", 12.75f64.to_bits() as i64, 12);
    for n in [0i32, 1, 5, 100] {
        let s: i32 = (1..n.max(1)).sum();
        call(wat, "branch", n, s);
    }
}

/// `select` reads its condition from the accumulator when the comparison before it computed
/// it, and may hand its result on in the accumulator to whatever reads it next. `select` does
/// not know its operands' type, so a result handed over goes to both accumulators: an `f64`
/// reader takes the float one, any other the integer one.
#[test]
fn select_through_the_accumulator() {
    let wat = r#"(module
      (memory 1)
      (func (export "clamps") (param $n i32) (result i32)
        (local $i i32) (local $x i32) (local $s i32)
        (loop $l
          (local.set $x (i32.mul (local.get $i) (i32.const 37)))
          (i32.store8 (local.get $i)
            (select (i32.const 255) (local.get $x) (i32.gt_u (local.get $x) (i32.const 255))))
          (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $i))))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (local.get $s))
      (func (export "clamp_once") (param $x i32) (result i32)
        (i32.store8 (i32.const 8)
          (select (i32.const 255) (local.get $x) (i32.gt_u (local.get $x) (i32.const 255))))
        (i32.load8_u (i32.const 8)))
      (func (export "min_f64") (param $a f64) (param $b f64) (result f64)
        (f64.add
          (select (local.get $a) (local.get $b) (f64.lt (local.get $a) (local.get $b)))
          (local.get $a)))
      (func (export "pick_i64") (param $a i64) (param $b i64) (result i64)
        (i64.add
          (select (local.get $a) (local.get $b) (i64.eqz (i64.and (local.get $a) (i64.const 1))))
          (i64.const 1)))
      (func (export "pick_f32") (param $a f32) (param $b f32) (result f32)
        (f32.sub
          (select (local.get $a) (local.get $b) (f32.gt (local.get $a) (local.get $b)))
          (local.get $b)))
      (func (export "f64_stored") (param $a f64) (param $b f64) (param $at i32) (result f64)
        (f64.store (local.get $at)
          (select (local.get $b) (local.get $a) (f64.ge (local.get $a) (local.get $b))))
        (f64.load (local.get $at)))
      (func (export "tee_both") (param $a f64) (param $b f64) (param $c i32) (result f64)
        (local $m f64) (local $t i32)
        (f64.add
          (local.tee $m
            (select (local.get $a) (local.get $b) (local.tee $t (i32.lt_s (local.get $c) (i32.const 3)))))
          (f64.add (local.get $m) (f64.convert_i32_s (local.get $t)))))
      (func $f)
      (func (export "null_pick") (param $c i32) (result i32)
        (ref.is_null
          (select (result funcref) (ref.null func) (ref.func $f) (i32.ne (local.get $c) (i32.const 0)))))
      (elem declare func $f))"#;
    for n in [1i32, 7, 20] {
        call(wat, "clamps", n, (0..n).map(|i| (i * 37).min(255)).sum::<i32>());
    }
    for x in [0i32, 200, 255, 256, 1000, -1] {
        call(wat, "clamp_once", x, if (x as u32) > 255 { 255 } else { x & 0xff });
    }
    for (a, b) in [(1.5f64, 2.5f64), (3.0, -4.0), (-0.0, 0.0)] {
        call(wat, "min_f64", (a, b), if a < b { a } else { b } + a);
        call(wat, "f64_stored", (a, b, 24i32), if a >= b { b } else { a });
    }
    for (a, b) in [(4i64, 9i64), (5, 9), (-2, 1 << 40)] {
        call(wat, "pick_i64", (a, b), if a & 1 == 0 { a } else { b } + 1);
    }
    for (a, b) in [(1.25f32, 0.5f32), (-3.0, 2.0)] {
        call(wat, "pick_f32", (a, b), if a > b { a } else { b } - b);
    }
    for (a, c) in [(7.25f64, 1i32), (7.25, 3), (-2.0, -9)] {
        let t = i32::from(c < 3);
        let m = if t != 0 { a } else { 1.5 };
        call(wat, "tee_both", (a, 1.5f64, c), m + (m + f64::from(t)));
    }
    for c in [0i32, 1, -5] {
        call(wat, "null_pick", c, i32::from(c != 0));
    }
    // In the loop (where the constant has a slot of its own, so nothing is emitted between the
    // comparison and the select), the clamp's condition comes in the accumulator, and its
    // result goes to the store in it.
    let clamp = listing(wat, 0);
    let select = clamp.lines().find(|line| line.contains("Select")).expect("a select");
    assert_eq!(select.matches("65535").count(), if cfg!(feature = "fast") { 2 } else { 0 }, "{clamp}");
}

/// Fused pairs (two adjacent instructions run by one handler): a trap in either half stops
/// before anything after it happens, a branch taken by the first half skips the second, a
/// branch into the second half runs it alone, and a value handed from one half to the other
/// through the accumulator arrives. The listings check the pairs the programs rely on are
/// there (which pairs are fused is a fixed table: `exec/threaded/fuse.rs`).
#[test]
fn fused_pairs() {
    let wat = r#"(module
      (memory 1)
      ;; I32AddImm + I32Load: the address computed by the first half, the load trapping or not.
      (func (export "load") (param $p i32) (result i32)
        (i32.load (i32.add (local.get $p) (i32.const 4))))
      ;; I32Load8U + I32Store8: a byte copy whose store traps after the load succeeded; the
      ;; counter after it must not move.
      (func (export "copy_byte") (param $from i32) (param $to i32) (result i32)
        (i32.store8 (local.get $to) (i32.load8_u (local.get $from)))
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
        (i32.load (i32.const 0)))
      ;; A loop whose back edge lands on the second half of a pair (I32Add + I32AddImm, the
      ;; add before the loop and the counter at its head): entered from above, both run;
      ;; from the back edge, the counter alone (with the pair it starts itself).
      (func (export "count") (param $n i32) (result i32)
        (local $i i32) (local $s i32)
        (local.set $s (i32.add (local.get $s) (local.get $n)))
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (local.set $s (i32.add (local.get $s) (local.get $i)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $s))
      ;; BrIfNez + I32AddImm: a taken branch skips the add.
      (func (export "skip") (param $c i32) (param $x i32) (result i32)
        (block $out
          (br_if $out (local.get $c))
          (local.set $x (i32.add (local.get $x) (i32.const 100))))
        (local.get $x))
      ;; F64Load + F64Mul and F64Mul + F64Add: values handed over in the f64 accumulator.
      (func (export "dot") (param $a i32) (param $b i32) (result f64)
        (f64.add
          (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))
          (f64.mul (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b)))))
      (func (export "set_f64") (param $at i32) (param $v f64)
        (f64.store (local.get $at) (local.get $v))))"#;
    let engines = MODES.map(engine);
    for engine in &engines {
        let (mut store, instance) = instantiate(engine, wat);
        let load = instance.get_typed_func::<i32, i32>(&store, "load").unwrap();
        let copy = instance.get_typed_func::<(i32, i32), i32>(&store, "copy_byte").unwrap();
        let count = instance.get_typed_func::<i32, i32>(&store, "count").unwrap();
        let skip = instance.get_typed_func::<(i32, i32), i32>(&store, "skip").unwrap();
        let dot = instance.get_typed_func::<(i32, i32), f64>(&store, "dot").unwrap();
        let set = instance.get_typed_func::<(i32, f64), ()>(&store, "set_f64").unwrap();

        assert_eq!(load.call(&mut store, 60).unwrap(), 0);
        common::expect_trap(load.call(&mut store, 65532), mica::TrapCode::MemoryOutOfBounds);
        // The address wraps around before the bounds check: 0xffff_fffc + 4 is address 0.
        assert_eq!(load.call(&mut store, -4).unwrap(), 0);

        assert_eq!(copy.call(&mut store, (100, 200)).unwrap(), 1);
        common::expect_trap(copy.call(&mut store, (100, 65536)), mica::TrapCode::MemoryOutOfBounds);
        common::expect_trap(copy.call(&mut store, (65536, 200)), mica::TrapCode::MemoryOutOfBounds);
        assert_eq!(copy.call(&mut store, (100, 201)).unwrap(), 2, "no half-run pair moved the counter");

        for n in [0, 1, 2, 10, 11] {
            let (mut i, mut s) = (0, n);
            loop {
                i += 2;
                s += i;
                if i >= n {
                    break;
                }
            }
            assert_eq!(count.call(&mut store, n).unwrap(), s, "count({n})");
        }
        assert_eq!(skip.call(&mut store, (1, 5)).unwrap(), 5);
        assert_eq!(skip.call(&mut store, (0, 5)).unwrap(), 105);

        for (at, v) in [(1000, 1.5), (1008, -2.0), (2000, 4.0), (2008, 0.25)] {
            set.call(&mut store, (at, v)).unwrap();
        }
        assert_eq!(dot.call(&mut store, (1000, 2000)).unwrap(), 1.5 * 4.0 + -2.0 * 0.25);
        common::expect_trap(dot.call(&mut store, (1000, 65530)), mica::TrapCode::MemoryOutOfBounds);
    }
    // The pairs the checks above rely on.
    let adjacent = |index: u32, first: &str, second: &str| {
        let text = listing(wat, index);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.windows(2).any(|w| w[0].contains(first) && w[1].contains(second)),
            "function {index}: no {first} followed by {second} in\n{text}"
        );
    };
    adjacent(0, "I32AddImm", "I32Load(");
    adjacent(1, "I32Load8U", "I32Store8(");
    adjacent(2, "I32Add(", "I32AddImm");
    assert!(listing(wat, 2).contains("-> 1"), "the back edge lands on the pair's second half");
    adjacent(3, "BrIfNez", "I32AddImm");
    adjacent(4, "F64Load", "F64Mul");
}

/// Fused triples (three adjacent instructions run by one handler, `fuse/triples.rs`): the
/// mixing loop of `loop_i32`, a byte copy whose load or store traps after the address was
/// computed (nothing after the trap happens), a loop whose back edge lands on a triple's
/// second instruction, and a loop closed by a copy, a counter and its test.
#[test]
fn fused_triples() {
    let wat = r#"(module
      (memory 1)
      ;; I32MulImm + I32AddImm + I32ShrUImm, I32Xor + I32ShlImm + I32RotlImm,
      ;; I32Add + I32AddImm + BrI32LtUImm.
      (func (export "mix") (param $a i32) (result i32)
        (local $i i32) (local $b i32)
        (local.set $b (i32.const 2))
        (loop $l
          (local.set $a (i32.add (i32.mul (local.get $a) (i32.const 1103515245)) (i32.const 12345)))
          (local.set $b (i32.add
            (i32.rotl (i32.xor (local.get $b) (i32.shr_u (local.get $a) (i32.const 7))) (i32.const 5))
            (i32.shl (local.get $a) (i32.const 3))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
        (i32.xor (local.get $a) (local.get $b)))
      ;; I32AddImm + I32Load8U + I32Store8, then a counter that must not move on a trap.
      (func (export "copy_byte") (param $from i32) (param $to i32) (result i32)
        (i32.store8 (local.get $to) (i32.load8_u (i32.add (local.get $from) (i32.const 1))))
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
        (i32.load (i32.const 0)))
      ;; Copy + I32AddImm + BrI32LtUImm closing a loop; the branch over the copy lands on
      ;; the counter (the triple's second instruction) in the rounds where `i & m` is set.
      (func (export "count") (param $m i32) (result i32)
        (local $i i32) (local $c i32) (local $s i32)
        (loop $l
          (local.set $s (i32.add (local.get $s) (local.get $i)))
          (block $skip
            (br_if $skip (i32.and (local.get $i) (local.get $m)))
            (local.set $c (local.get $s)))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))
        (i32.add (local.get $c) (local.get $i)))
      ;; I32Load + I32Load + I32Add, then I32RotlImm + I32Xor + I32Store: a pass over the
      ;; words from `addr` to `end`, each mixed with the next.
      (func (export "pass") (param $addr i32) (param $end i32) (param $k i32) (result i32)
        (loop $l
          (i32.store (local.get $addr)
            (i32.xor
              (i32.rotl (i32.add (i32.load (local.get $addr)) (i32.load offset=4 (local.get $addr)))
                        (i32.const 3))
              (local.get $k)))
          (local.set $addr (i32.add (local.get $addr) (i32.const 4)))
          (br_if $l (i32.lt_u (local.get $addr) (local.get $end))))
        (i32.load (i32.const 0)))
      (func (export "poke") (param $addr i32) (param $value i32)
        (i32.store (local.get $addr) (local.get $value)))
      (func (export "peek") (param $addr i32) (result i32)
        (i32.load (local.get $addr)))
      ;; I32Load8U + I32AddImm + BrTable: a dispatch loop over the opcodes at 1000 (1: add 3,
      ;; 2: double, 0: stop).
      (data (i32.const 1000) "\01\02\01\01\02\00")
      (func (export "vm") (param $acc i32) (result i32) (local $pc i32) (local $op i32)
        (local.set $pc (i32.const 1000))
        (block $halt
          (loop $next
            (block $double
              (block $add
                (local.set $op (i32.load8_u (local.get $pc)))
                (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
                (br_table $halt $add $double $halt (local.get $op)))
              (local.set $acc (i32.add (local.get $acc) (i32.const 3)))
              (br $next))
            (local.set $acc (i32.shl (local.get $acc) (i32.const 1)))
            (br $next)))
        (local.get $acc))
      ;; I32AddImm + I64AddImm + BrI64Ne closing a loop: two counters, the 64-bit one tested
      ;; (a sieve's scan); the branch over the first lands on the second in the rounds where
      ;; `i & m` is set.
      (func (export "scan") (param $m i32) (result i32)
        (local $i i64) (local $n i64) (local $k i32)
        (local.set $n (i64.extend_i32_u (i32.add (local.get $m) (i32.const 100))))
        (loop $l
          (block $skip
            (br_if $skip (i32.and (i32.wrap_i64 (local.get $i)) (local.get $m)))
            (local.set $k (i32.add (local.get $k) (i32.const 2))))
          (br_if $l (i64.ne (local.tee $i (i64.add (local.get $i) (i64.const 1))) (local.get $n))))
        (local.get $k)))"#;
    let mix = |seed: u32| {
        let (mut a, mut b) = (seed, 2u32);
        for _ in 0..1000 {
            a = a.wrapping_mul(1103515245).wrapping_add(12345);
            b = (b ^ (a >> 7)).rotate_left(5).wrapping_add(a << 3);
        }
        (a ^ b) as i32
    };
    for seed in [0u32, 1, 0x8000_0001] {
        call(wat, "mix", seed as i32, mix(seed));
    }
    let count = |m: u32| {
        let (mut i, mut c, mut s) = (0u32, 0u32, 0u32);
        loop {
            s += i;
            if i & m == 0 {
                c = s;
            }
            i += 1;
            if i >= 100 {
                break;
            }
        }
        (c + i) as i32
    };
    for m in [0u32, 1, 3, 64] {
        call(wat, "count", m as i32, count(m));
    }
    call(wat, "vm", 5, ((5 + 3) * 2 + 3 + 3) * 2);
    for m in [0u32, 1, 3, 64] {
        let scanned = (0..m + 100).filter(|i| i & m == 0).count() as i32 * 2;
        call(wat, "scan", m as i32, scanned);
    }
    for engine in &MODES.map(engine) {
        let (mut store, instance) = instantiate(engine, wat);
        let copy = instance.get_typed_func::<(i32, i32), i32>(&store, "copy_byte").unwrap();
        assert_eq!(copy.call(&mut store, (100, 200)).unwrap(), 1);
        common::expect_trap(copy.call(&mut store, (100, 65536)), mica::TrapCode::MemoryOutOfBounds);
        common::expect_trap(copy.call(&mut store, (65535, 200)), mica::TrapCode::MemoryOutOfBounds);
        assert_eq!(copy.call(&mut store, (100, 201)).unwrap(), 2, "no half-run triple moved the counter");
        let pass = instance.get_typed_func::<(i32, i32, i32), i32>(&store, "pass").unwrap();
        let poke = instance.get_typed_func::<(i32, i32), ()>(&store, "poke").unwrap();
        let peek = instance.get_typed_func::<i32, i32>(&store, "peek").unwrap();
        let mut words: Vec<u32> = (0..9u32).map(|i| i.wrapping_mul(0x9E37_79B1)).collect();
        for (i, &w) in words.iter().enumerate() {
            poke.call(&mut store, (4 * i as i32, w as i32)).unwrap();
        }
        for round in 0..3u32 {
            for i in 0..8 {
                words[i] = words[i].wrapping_add(words[i + 1]).rotate_left(3) ^ round;
            }
            assert_eq!(pass.call(&mut store, (0, 32, round as i32)).unwrap(), words[0] as i32);
        }
        for (i, &w) in words.iter().enumerate() {
            assert_eq!(peek.call(&mut store, 4 * i as i32).unwrap(), w as i32, "word {i}");
        }
        // The last word's neighbour is past the end: the second load traps, and the word the
        // triple after it would have stored keeps its value.
        poke.call(&mut store, (65532, 5)).unwrap();
        common::expect_trap(pass.call(&mut store, (65532, 65536, 1)), mica::TrapCode::MemoryOutOfBounds);
        assert_eq!(peek.call(&mut store, 65532).unwrap(), 5, "no half-run triple stored");
    }
    // The triples the checks above rely on.
    let adjacent = |index: u32, names: [&str; 3]| {
        let text = listing(wat, index);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.windows(3).any(|w| (0..3).all(|k| w[k].contains(names[k]))),
            "function {index}: no {names:?} in\n{text}"
        );
    };
    adjacent(0, ["I32MulImm", "I32AddImm", "I32ShrUImm"]);
    adjacent(0, ["I32Xor(", "I32ShlImm", "I32RotlImm"]);
    adjacent(0, ["I32Add(", "I32AddImm", "BrI32LtUImm"]);
    adjacent(1, ["I32AddImm", "I32Load8U", "I32Store8("]);
    adjacent(2, ["Copy", "I32AddImm", "BrI32LtUImm"]);
    adjacent(3, ["I32Load(", "I32Load(", "I32Add("]);
    adjacent(3, ["I32RotlImm", "I32Xor(", "I32Store("]);
    adjacent(6, ["I32Load8U", "I32AddImm", "BrTable"]);
    adjacent(7, ["I32AddImm", "I64AddImm", "BrI64Ne("]);
}

/// Eager mode translates a module's functions one after another in the same buffers
/// (`translate::Scratch`, with the validator in the same pass); lazy mode translates each one
/// in fresh buffers. The code of a function must not depend on which function came before:
/// compiled C programs (sources in `crates/mica-wasi/tests/programs`) give the same listings
/// both ways, function by function.
#[test]
fn translation_does_not_depend_on_the_function_before() {
    let programs: [&[u8]; 2] = [
        include_bytes!("../../mica-wasi/tests/programs/listcopy.wasm"),
        include_bytes!("../../mica-wasi/tests/programs/files.wasm"),
    ];
    for bytes in programs {
        let [eager, lazy] = MODES.map(|mode| mica::Module::new(&engine(mode), bytes).expect("module"));
        let mut compared = 0;
        for func in 0..10_000 {
            match (eager.disassemble(func), lazy.disassemble(func)) {
                (None, None) => {}
                (Some(a), Some(b)) => {
                    assert_eq!(a.expect("translates"), b.expect("translates"), "function {func}");
                    compared += 1;
                }
                _ => panic!("function {func} is defined in one mode only"),
            }
        }
        assert!(compared > 100, "only {compared} functions compared");
    }
}

/// A function's one result, computed by its last instruction, is computed into the frame's
/// first slot, where the caller takes it, and the `return` copies nothing: also when that
/// instruction reads the first slot itself, for a result of two cells (`v128`), in the
/// fused form, and for an explicit `return` inside a block. A conditional return leaves the
/// value where the path that goes on needs it.
#[test]
fn results_computed_where_the_caller_takes_them() {
    let wat = r#"(module
      (func $sub (export "sub") (param i32 i32) (result i32)
        (i32.sub (local.get 1) (local.get 0)))
      (func $mix (export "mix") (param i32) (result i32)
        (i32.xor (local.get 0) (i32.shr_u (local.get 0) (i32.const 13))))
      (func $early (export "early") (param i32) (result i32)
        (block
          (br_if 0 (i32.eqz (local.get 0)))
          (return (i32.mul (local.get 0) (i32.const 3))))
        (i32.const 77))
      (func $cond (export "cond") (param i32 i32) (result i32)
        (i32.add (local.get 0) (local.get 1))
        (br_if 0 (i32.gt_u (local.get 0) (i32.const 10)))
        (i32.const 1000)
        (i32.add))
      (func $wide (export "wide") (param i64 i64) (result i64)
        (i64x2.extract_lane 1
          (call $lanes (local.get 0) (local.get 1))))
      (func $lanes (param i64 i64) (result v128)
        (i64x2.add
          (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1))
          (v128.const i64x2 5 6)))
      (func (export "calls") (param i32) (result i32)
        (i32.add (call $sub (local.get 0) (i32.const 100)) (call $mix (local.get 0)))))"#;
    let sub = listing(wat, 0);
    assert!(sub.contains("dst: 0,") && sub.contains("Return(Span { start: 0, len: 1 })"), "{sub}");
    let lanes = listing(wat, 5);
    assert!(lanes.contains("Return(Span { start: 0, len: 2 })"), "{lanes}");
    call(wat, "sub", (5, 100), 95);
    call(wat, "mix", (0x1234_5678_u32 as i32,), (0x1234_5678_u32 ^ (0x1234_5678_u32 >> 13)) as i32);
    call(wat, "early", (7,), 21);
    call(wat, "early", (0,), 77);
    call(wat, "cond", (20, 3), 23);
    call(wat, "cond", (2, 3), 1005);
    call(wat, "wide", (1_i64, 2_i64), 8_i64);
    let mix = |x: u32| x ^ (x >> 13);
    call(wat, "calls", (1000,), 100 - 1000 + mix(1000) as i32);
}

/// Taken branches at every distance: a loop's back edge over 1 to 60 instructions, and a
/// forward jump over 1 to 30, with optimised builds' jumps through the table of near
/// distances (`exec/threaded/branch.rs`: 40 back to 16 ahead) and past it. Each body is `k`
/// counter steps (`I32AddImm` each); the loop runs 10 times, the forward jump skips them when
/// its condition is set.
#[test]
fn branches_at_every_distance() {
    let mut wat = String::from("(module\n");
    let steps = |k: usize| "(local.set $x (i32.add (local.get $x) (i32.const 1)))".repeat(k);
    for k in 1..=60 {
        wat += &format!(
            "(func (export \"loop{k}\") (param $n i32) (result i32) (local $i i32) (local $x i32)
               (loop $l {} (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
               (local.get $x))\n",
            steps(k)
        );
    }
    for k in 1..=30 {
        wat += &format!(
            "(func (export \"skip{k}\") (param $p i32) (result i32) (local $x i32)
               (block $b (br_if $b (local.get $p)) {})
               (i32.add (local.get $x) (i32.const 1000)))\n",
            steps(k)
        );
    }
    wat += ")";
    for engine in &MODES.map(engine) {
        let (mut store, instance) = instantiate(engine, &wat);
        for k in 1..=60 {
            let f = instance.get_typed_func::<i32, i32>(&store, &format!("loop{k}")).unwrap();
            assert_eq!(f.call(&mut store, 10).unwrap(), 10 * k, "loop over {k}");
        }
        for k in 1..=30 {
            let f = instance.get_typed_func::<i32, i32>(&store, &format!("skip{k}")).unwrap();
            assert_eq!(f.call(&mut store, 1).unwrap(), 1000, "jump over {k}");
            assert_eq!(f.call(&mut store, 0).unwrap(), 1000 + k, "no jump over {k}");
        }
    }
}
