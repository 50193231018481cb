//! The instruction forms the translator picks for SIMD operations (`translate/simd.rs`), each
//! run and compared with what the operation computes: shuffles (the known patterns, which
//! have handlers of their own, windows, whole 16- and 32-bit lanes, and arbitrary lanes), and
//! operations with an operand in memory (a `v128.load` folded into the operation, a store of
//! the result back to the same address folded too, a product added into memory run as one
//! pair, an address computed by adding a constant folded into the load as a displacement),
//! including their traps and where those are reported. CI runs this file in release
//! builds too, where the handlers are threaded.

#[macro_use]
mod common;

use common::*;
use mica::{TranslationMode, TrapCode, V128};

both_modes! {
    shuffles_of_every_form_compute_their_lanes,
    operations_with_an_operand_in_memory_compute_as_without,
    products_added_into_memory_trap_where_each_load_is,
    loads_from_a_sum_wrap_as_the_addition_does,
}

/// Lanes of `size` bytes: lane `j` of the result is lane `j / 2` of the low (or high) half of
/// `a` for even `j`, of `b` for odd `j`.
fn interleave(size: usize, high: bool) -> [u8; 16] {
    core::array::from_fn(|i| {
        let lane = i / size;
        let from = (lane / 2 + if high { 8 / size } else { 0 }) * size + i % size;
        (from + if lane % 2 == 1 { 16 } else { 0 }) as u8
    })
}

/// The even (or odd) lanes of `size` bytes of `a` and `b` together.
fn pick(size: usize, odd: usize) -> [u8; 16] {
    core::array::from_fn(|i| ((2 * (i / size) + odd) * size + i % size) as u8)
}

/// The shuffles tested: every shape the translator treats apart, and a few arbitrary ones.
fn shuffles() -> Vec<[u8; 16]> {
    let mut all = Vec::new();
    for size in [1, 2, 4, 8] {
        all.push(interleave(size, false));
        all.push(interleave(size, true));
    }
    for size in [1, 2, 4] {
        all.push(pick(size, 0));
        all.push(pick(size, 1));
    }
    // clang's zero extensions (the zero vector on the odd lanes), and a narrowing.
    all.push([16, 1, 17, 3, 18, 5, 19, 7, 20, 9, 21, 11, 22, 13, 23, 15]);
    all.push([8, 17, 9, 19, 10, 21, 11, 23, 12, 25, 13, 27, 14, 29, 15, 31]);
    all.push([16, 17, 2, 3, 18, 19, 6, 7, 20, 21, 10, 11, 22, 23, 14, 15]);
    all.push([8, 9, 18, 19, 10, 11, 22, 23, 12, 13, 26, 27, 14, 15, 30, 31]);
    all.push([16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15]);
    all.push([8, 9, 10, 11, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31]);
    all.push([0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Windows, whole lanes, and arbitrary bytes (repeats, one operand only, reversed).
    for k in [0, 1, 7, 15, 16] {
        all.push(core::array::from_fn(|i| (k + i) as u8));
    }
    all.push([4, 5, 6, 7, 28, 29, 30, 31, 0, 1, 2, 3, 16, 17, 18, 19]);
    all.push([30, 31, 0, 1, 2, 3, 26, 27, 8, 9, 8, 9, 20, 21, 14, 15]);
    all.push([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    all.push([3, 3, 3, 3, 31, 0, 17, 5, 9, 22, 1, 1, 30, 12, 6, 16]);
    all.push([0; 16]);
    all
}

fn shuffles_of_every_form_compute_their_lanes(mode: TranslationMode) {
    let shuffles = shuffles();
    let funcs: String = shuffles
        .iter()
        .enumerate()
        .map(|(i, lanes)| {
            let lanes: Vec<String> = lanes.iter().map(u8::to_string).collect();
            format!(
                "(func (export \"s{i}\") (param v128 v128) (result v128)
                   (i8x16.shuffle {} (local.get 0) (local.get 1)))\n",
                lanes.join(" ")
            )
        })
        .collect();
    let engine = engine(mode);
    let (mut store, instance) = instantiate_with(&engine, (), &format!("(module {funcs})"), |_| {});
    let a: [u8; 16] = core::array::from_fn(|i| 0x10 + i as u8);
    let b: [u8; 16] = core::array::from_fn(|i| 0xa0 + i as u8);
    let both: Vec<u8> = a.iter().chain(&b).copied().collect();
    for (i, lanes) in shuffles.iter().enumerate() {
        let f = instance
            .get_typed_func::<(V128, V128), V128>(&store, &format!("s{i}"))
            .unwrap();
        let got = f.call(&mut store, (V128::from_le_bytes(a), V128::from_le_bytes(b))).unwrap();
        let want: [u8; 16] = core::array::from_fn(|j| both[lanes[j] as usize]);
        assert_eq!(u128::from(got).to_le_bytes(), want, "shuffle {lanes:?}");
    }
}

/// The operations that have forms with an operand in memory, as wasm text names them.
const MEMORY_OPERAND_OPS: [&str; 19] = [
    "i8x16.add", "i16x8.add", "i32x4.add", "i64x2.add", "i8x16.sub", "i16x8.sub", "i32x4.sub", "i64x2.sub",
    "i16x8.mul", "i32x4.mul", "v128.and", "v128.or", "v128.xor", "f32x4.add", "f32x4.sub", "f32x4.mul",
    "f64x2.add", "f64x2.sub", "f64x2.mul",
];

fn operations_with_an_operand_in_memory_compute_as_without(mode: TranslationMode) {
    // For each operation: with both operands in registers (`reg`), with the second loaded
    // (`mem`), and written back where it was loaded (`to`); and with the load first, which has
    // no memory form for a non-commutative operation and must stay in order (`swapped`).
    let funcs: String = MEMORY_OPERAND_OPS
        .iter()
        .enumerate()
        .map(|(i, op)| {
            format!(
                r#"(func (export "reg{i}") (param v128 v128) (result v128) ({op} (local.get 0) (local.get 1)))
                   (func (export "mem{i}") (param v128 i32) (result v128) ({op} (local.get 0) (v128.load offset=8 (local.get 1))))
                   (func (export "swapped{i}") (param v128 i32) (result v128) ({op} (v128.load offset=8 (local.get 1)) (local.get 0)))
                   (func (export "to{i}") (param v128 i32)
                     (v128.store offset=8 (local.get 1) ({op} (local.get 0) (v128.load offset=8 (local.get 1)))))
                "#
            )
        })
        .collect();
    let wat = format!(r#"(module (memory (export "memory") 1) {funcs})"#);
    let engine = engine(mode);
    let (mut store, instance) = instantiate_with(&engine, (), &wat, |_| {});
    let memory = instance.get_memory(&store, "memory").unwrap();
    // Lanes that make every operation interesting: carries, signs, NaN-free floats.
    let a = V128::from(0x4010_0000_0000_0001_c008_0000_8000_7fffu128);
    let b_bytes = 0x3ff8_0000_0000_00ff_4000_0000_ffff_8001u128.to_le_bytes();
    let b = V128::from_le_bytes(b_bytes);
    let last = 65536 - 24;
    for (i, op) in MEMORY_OPERAND_OPS.iter().enumerate() {
        let call2 = |store: &mut mica::Store<()>, name: &str, x: V128, y: V128| {
            let f = instance.get_typed_func::<(V128, V128), V128>(&*store, name).unwrap();
            f.call(store, (x, y)).unwrap()
        };
        let want = call2(&mut store, &format!("reg{i}"), a, b);
        let want_swapped = call2(&mut store, &format!("reg{i}"), b, a);
        for addr in [0u32, 3, 100, last] {
            memory.write(&mut store, addr as usize + 8, &b_bytes).unwrap();
            let mem = instance.get_typed_func::<(V128, i32), V128>(&store, &format!("mem{i}")).unwrap();
            assert_eq!(mem.call(&mut store, (a, addr as i32)).unwrap(), want, "{op} at {addr}");
            let swapped = instance.get_typed_func::<(V128, i32), V128>(&store, &format!("swapped{i}")).unwrap();
            assert_eq!(swapped.call(&mut store, (a, addr as i32)).unwrap(), want_swapped, "{op} swapped");
            let to = instance.get_typed_func::<(V128, i32), ()>(&store, &format!("to{i}")).unwrap();
            to.call(&mut store, (a, addr as i32)).unwrap();
            let mut got = [0; 16];
            memory.read(&store, addr as usize + 8, &mut got).unwrap();
            assert_eq!(V128::from_le_bytes(got), want, "{op} written back at {addr}");
        }
        // One byte too far: each form traps and writes nothing.
        let beyond = last as i32 + 1;
        memory.write(&mut store, 65536 - 16, &[0xee; 16]).unwrap();
        for name in ["mem", "swapped", "to"] {
            let f = instance.get_typed_func::<(V128, i32), ()>(&store, &format!("{name}{i}"));
            let error = match f {
                Ok(f) => f.call(&mut store, (a, beyond)).unwrap_err(),
                Err(_) => {
                    let f = instance.get_typed_func::<(V128, i32), V128>(&store, &format!("{name}{i}")).unwrap();
                    f.call(&mut store, (a, beyond)).unwrap_err()
                }
            };
            assert_eq!(error.as_trap().map(|t| t.code()), Some(TrapCode::MemoryOutOfBounds), "{op} {name}");
        }
        let mut tail = [0; 16];
        memory.read(&store, 65536 - 16, &mut tail).unwrap();
        assert_eq!(tail, [0xee; 16], "{op}: a store that traps writes nothing");
    }
}

fn products_added_into_memory_trap_where_each_load_is(mode: TranslationMode) {
    // `c[j] += k * b[j]`, as clang vectorizes it, for f64x2 and f32x4: a multiplication with
    // a loaded operand and an addition written back, which run as one pair.
    let wat = r#"(module (memory (export "memory") 1)
        (func (export "f64") (param $k v128) (param $b i32) (param $c i32)
          (v128.store (local.get $c)
            (f64x2.add (f64x2.mul (local.get $k) (v128.load (local.get $b))) (v128.load (local.get $c)))))
        (func (export "f32") (param $k v128) (param $b i32) (param $c i32)
          (v128.store offset=16 (local.get $c)
            (f32x4.add (f32x4.mul (local.get $k) (v128.load offset=32 (local.get $b))) (v128.load offset=16 (local.get $c))))))"#;
    let binary = wat::parse_str(wat).unwrap();
    let engine = engine(mode);
    let module = mica::Module::from_binary(&engine, &binary).unwrap();
    let mut store = mica::Store::new(&engine, ());
    let instance = mica::Linker::new(&engine).instantiate(&mut store, &module).unwrap();
    let memory = instance.get_memory(&store, "memory").unwrap();
    let f64x2 = |x: [f64; 2]| V128::from(x[0].to_bits() as u128 | (x[1].to_bits() as u128) << 64);
    let f32x4 = |x: [f32; 4]| V128::from(x.iter().rev().fold(0u128, |v, l| v << 32 | l.to_bits() as u128));
    let put = |store: &mut mica::Store<()>, at: usize, v: V128| memory.write(store, at, &u128::from(v).to_le_bytes()).unwrap();
    let get = |store: &mica::Store<()>, at: usize| {
        let mut bytes = [0; 16];
        memory.read(store, at, &mut bytes).unwrap();
        V128::from_le_bytes(bytes)
    };

    let run64 = instance.get_typed_func::<(V128, i32, i32), ()>(&store, "f64").unwrap();
    put(&mut store, 100, f64x2([1.5, -2.0]));
    put(&mut store, 200, f64x2([10.0, 0.25]));
    run64.call(&mut store, (f64x2([3.0, 0.5]), 100, 200)).unwrap();
    assert_eq!(get(&store, 200), f64x2([14.5, -0.75]));

    let run32 = instance.get_typed_func::<(V128, i32, i32), ()>(&store, "f32").unwrap();
    put(&mut store, 132, f32x4([1.0, 2.0, -3.0, 0.5]));
    put(&mut store, 316, f32x4([0.5, 0.5, 0.5, 0.5]));
    run32.call(&mut store, (f32x4([2.0, -1.0, 1.0, 4.0]), 100, 300)).unwrap();
    assert_eq!(get(&store, 316), f32x4([2.5, -1.5, -2.5, 2.5]));

    // A trap in the multiplication's load and one in the addition's are reported at their
    // own `v128.load`s (0xfd 0x00), the first and the second in the body; memory is unchanged.
    let loads: Vec<usize> = binary.windows(2).enumerate().filter(|(_, w)| w == &[0xfd, 0x00]).map(|(i, _)| i).collect();
    put(&mut store, 200, f64x2([10.0, 0.25]));
    for (b, c, load) in [(65530, 200, 0), (100, 65530, 1)] {
        let error = run64.call(&mut store, (f64x2([3.0, 0.5]), b, c)).unwrap_err();
        let trap = error.as_trap().expect("a trap");
        assert_eq!(trap.code(), TrapCode::MemoryOutOfBounds);
        assert_eq!(trap.backtrace()[0].module_offset, Some(loads[load]), "the trap is at load {load}");
        assert_eq!(get(&store, 200), f64x2([10.0, 0.25]));
    }
}

fn loads_from_a_sum_wrap_as_the_addition_does(mode: TranslationMode) {
    // `p + 16` folded into the load (plain, and in an operation and a product that load
    // it): when the 32-bit sum wraps, the access is at the small wrapped address, as wasm's
    // `i32.add` says, not out of bounds; when it does not, it is `p + 16`. A sum read twice
    // (`tee`) is not folded and gives the same results.
    let wat = r#"(module (memory (export "memory") 1)
        (func (export "load") (param $p i32) (result v128)
          (v128.load offset=4 (i32.add (local.get $p) (i32.const 16))))
        (func (export "add") (param $k v128) (param $p i32) (result v128)
          (i32x4.add (local.get $k) (v128.load (i32.add (local.get $p) (i32.const 16)))))
        (func (export "tee") (param $p i32) (result v128)
          (local $q i32)
          (v128.xor (v128.load (local.tee $q (i32.add (local.get $p) (i32.const 16))))
                    (v128.load (local.get $q))))
        (func (export "product") (param $k v128) (param $b i32) (param $c i32)
          (v128.store (local.get $c)
            (f64x2.add (f64x2.mul (local.get $k) (v128.load (i32.add (local.get $b) (i32.const 16))))
                       (v128.load (local.get $c))))))"#;
    let engine = engine(mode);
    let (mut store, instance) = instantiate_with(&engine, (), wat, |_| {});
    let memory = instance.get_memory(&store, "memory").unwrap();
    let bytes: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(29) ^ 0x33).collect();
    memory.write(&mut store, 0, &bytes).unwrap();
    let at = |from: usize| V128::from_le_bytes(bytes[from..from + 16].try_into().unwrap());
    let load = instance.get_typed_func::<i32, V128>(&store, "load").unwrap();
    assert_eq!(load.call(&mut store, 8).unwrap(), at(28));
    // 0xffff_fff8 + 16 wraps to 8; the offset adds after the wrap.
    assert_eq!(load.call(&mut store, -8).unwrap(), at(12));
    assert!(load.call(&mut store, 65536 - 36).is_ok(), "the last 16 bytes");
    let error = load.call(&mut store, 65536 - 35).unwrap_err();
    assert_eq!(error.as_trap().map(|t| t.code()), Some(TrapCode::MemoryOutOfBounds));

    let add = instance.get_typed_func::<(V128, i32), V128>(&store, "add").unwrap();
    let k = V128::from(0x0000_0001_0000_0002_0000_0003_0000_0004u128);
    let lanes = |v: V128| -> [u32; 4] { core::array::from_fn(|i| (u128::from(v) >> (32 * i)) as u32) };
    for (p, from) in [(4, 20), (-16, 0), (-4, 12)] {
        let want: [u32; 4] = core::array::from_fn(|i| lanes(k)[i].wrapping_add(lanes(at(from))[i]));
        assert_eq!(lanes(add.call(&mut store, (k, p)).unwrap()), want, "p = {p}");
    }
    let tee = instance.get_typed_func::<i32, V128>(&store, "tee").unwrap();
    assert_eq!(tee.call(&mut store, -8).unwrap(), V128::from(0));

    let product = instance.get_typed_func::<(V128, i32, i32), ()>(&store, "product").unwrap();
    let f64x2 = |x: [f64; 2]| V128::from(x[0].to_bits() as u128 | (x[1].to_bits() as u128) << 64);
    memory.write(&mut store, 8, &u128::from(f64x2([2.0, 3.0])).to_le_bytes()).unwrap();
    memory.write(&mut store, 100, &u128::from(f64x2([1.0, 1.0])).to_le_bytes()).unwrap();
    product.call(&mut store, (f64x2([10.0, 100.0]), -8, 100)).unwrap();
    let mut got = [0; 16];
    memory.read(&store, 100, &mut got).unwrap();
    assert_eq!(V128::from_le_bytes(got), f64x2([21.0, 301.0]));
}
