//! Translation of extreme shapes: the input drives `mica_fuzz::extreme`'s generator (deep
//! operand stacks, deep nesting, huge `br_table`s, many locals, many-valued blocks branched
//! to often); the module is loaded by Mica eagerly and lazily, its code checked to be linear
//! in its body's size and the same in both modes, and its functions run on both modes and on
//! wasmi. A failed check is saved (see `mica_fuzz::failure_dir`) and reported as a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mica_fuzz::extreme::{Limits, check};

fuzz_target!(|data: &[u8]| {
    if let Err(failure) = check(data, &Limits::FUZZ) {
        let saved = failure.save(&mica_fuzz::failure_dir());
        panic!("{failure}\nsaved: {saved:?}");
    }
});
