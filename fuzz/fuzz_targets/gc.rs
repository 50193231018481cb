//! GC: wasm-smith modules with structs, arrays, casts and `i31`s (and the rest of 3.0), run by
//! Mica eagerly and lazily under collection stress; the two must agree (see `mica_fuzz::gc`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(failure) = mica_fuzz::gc::check(data) {
        panic!("{failure}");
    }
});
