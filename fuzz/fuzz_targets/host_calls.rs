//! Differential fuzzing of calls across the host boundary: the input drives the program
//! generator of `mica-fuzz`; the program runs on wasmi and on Mica in every translation mode,
//! and any disagreement is saved (see `mica_fuzz::failure_dir`) and reported as a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(mismatch) = mica_fuzz::check(data) {
        let saved = mismatch.save(&mica_fuzz::failure_dir());
        panic!("{mismatch}\nsaved: {saved:?}");
    }
});
