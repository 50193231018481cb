//! Fuel: wasm-smith modules called whole and as resumable calls paused every few units of
//! fuel, eagerly and lazily, which must agree in results and fuel (see `mica_fuzz::fuel`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(failure) = mica_fuzz::fuel::check(data) {
        panic!("{failure}");
    }
});
