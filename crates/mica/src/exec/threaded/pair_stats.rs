//! Counting fall-through pairs, for choosing which pairs to fuse (feature `pair-stats`, a
//! tool for Mica's developers; see BENCHMARKS.md). With the feature on, nothing is fused and
//! every step that falls through to the next instruction counts the pair of the two, by
//! variant and accumulator form: what `fuse::pair_for` could have fused had it listed it.
//! The forms are `Instr::acc_form`'s, without the `ALSO` bit (which the translator records
//! beside the code): an instruction that also leaves its result in the accumulator, such as
//! a loop counter feeding its exit test, shows its plain form.

use super::{Instr, Op};
use std::cell::RefCell;
use std::collections::HashMap;
use std::vec::Vec;

/// A pair: the first instruction's variant and form, then the second's.
type Pair = (&'static str, u8, &'static str, u8);

std::thread_local! {
    static COUNTS: RefCell<HashMap<Pair, u64>> = RefCell::new(HashMap::new());
}

fn form(instr: &Instr) -> u8 {
    instr.acc_form().unwrap_or(0)
}

/// Counts the step at `ip` falling through to the instruction after it.
///
/// # Safety
///
/// `ip` is an instruction that does not end its path, so the one after it is in the code.
pub(crate) unsafe fn record(ip: *const Op) {
    // SAFETY: the function's contract.
    let (a, b) = unsafe { (&(*ip).instr, &(*ip.add(1)).instr) };
    let pair = (a.name(), form(a), b.name(), form(b));
    COUNTS.with(|counts| *counts.borrow_mut().entry(pair).or_default() += 1);
}

/// The pairs this thread counted, most frequent first, as `(first, form, second, form,
/// count)`; and resets the counts.
pub fn take() -> Vec<(&'static str, u8, &'static str, u8, u64)> {
    let counts = COUNTS.with(|counts| core::mem::take(&mut *counts.borrow_mut()));
    let mut pairs: Vec<_> = counts.into_iter().map(|((a, fa, b, fb), n)| (a, fa, b, fb, n)).collect();
    pairs.sort_by(|x, y| y.4.cmp(&x.4).then(x.cmp(y)));
    pairs
}
