//! The instruction forms the translator picks for SIMD operations (`translate/simd.rs`), each
//! run and compared with what the operation computes: shuffles (the known patterns, which
//! have handlers of their own, windows, whole 16- and 32-bit lanes, and arbitrary lanes).
//! CI runs this file in release builds too, where the handlers are threaded.

#[macro_use]
mod common;

use common::*;
use mica::{TranslationMode, V128};

both_modes! {
    shuffles_of_every_form_compute_their_lanes,
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
