//! Counting fall-through pairs, for choosing which pairs to fuse (feature `pair-stats`, a
//! tool for Mica's developers; see BENCHMARKS.md). With the feature on, nothing is fused and
//! every step that falls through to the next instruction counts the pair of the two, by
//! variant and form, and notes whether a build without the feature fuses it
//! (`fuse::fused`): the pairs worth fusing are the frequent ones that are not. Counted as
//! that build meets them: after a fused pair that falls through, its second instruction
//! (which the pair's handler runs) starts no pair.
//! The forms are those `fuse::fuse_pairs` is given: the accumulator bits the verifier
//! computed (with `ALSO`, for an instruction that also leaves its result in the accumulator,
//! such as a loop counter feeding its exit test) and an access's memory bits (`NAMED`,
//! `MEM64`), which `encode` registers here (`register`) for each function it encodes.
//! Runs of three instructions that fall through twice are counted too, whatever would be
//! fused (`take_triples`), for choosing the triples (`fuse/triples.rs`).

use super::Op;
use crate::bytecode::Instr;
use std::cell::RefCell;
use std::collections::HashMap;
use std::vec::Vec;

/// A pair: the first instruction's variant and form, then the second's.
type Pair = (&'static str, u8, &'static str, u8);

/// A triple: three instructions' variants and forms, in order.
type Triple = [(&'static str, u8); 3];

std::thread_local! {
    /// Each pair's count, and whether it is fused.
    static COUNTS: RefCell<HashMap<Pair, (u64, bool)>> = RefCell::new(HashMap::new());
    /// The second instruction of the last pair counted, if that pair is fused: a build that
    /// fuses runs it inside the pair's handler, not from a dispatch of its own.
    static INSIDE: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
    /// The form of each encoded instruction, by address. (Code freed and encoded again at
    /// the same address overwrites its entries; nothing is ever removed: a tool's table.)
    static FORMS: RefCell<HashMap<usize, u8>> = RefCell::new(HashMap::new());
    /// Each run of three instructions that fell through twice in a row, counted whatever is
    /// fused (a triple's handler runs all three from one dispatch), and whether a fusing
    /// build has a handler for it.
    static TRIPLES: RefCell<HashMap<Triple, (u64, bool)>> = RefCell::new(HashMap::new());
    /// The instruction `record` saw last: its address, itself and its form.
    static LAST: core::cell::Cell<Option<(usize, Instr, u8)>> = const { core::cell::Cell::new(None) };
}

/// Records the forms of a function's encoded code (`ops[i]` has `forms[i]`).
pub(crate) fn register(ops: &[Op], forms: &[u8]) {
    FORMS.with(|table| {
        let mut table = table.borrow_mut();
        for (op, &form) in ops.iter().zip(forms) {
            table.insert(op as *const Op as usize, form);
        }
    });
}

/// The form registered for the instruction at `ip`.
fn form(ip: *const Op) -> u8 {
    FORMS.with(|table| table.borrow().get(&(ip as usize)).copied().unwrap_or(0))
}

/// Counts the step at `ip` falling through to the instruction after it.
///
/// # Safety
///
/// `ip` is an instruction that does not end its path, so the one after it is in the code.
pub(crate) unsafe fn record(ip: *const Op) {
    // SAFETY: the function's contract.
    let (a, b) = unsafe { (&(*ip).instr, &(*ip.add(1)).instr) };
    // The instruction recorded last, if it was the one before this (it fell through to it):
    // kept by value, since its code may be gone by the time it is compared.
    let (fa, fb) = (form(ip), form(ip.wrapping_add(1)));
    if let Some((at, first, f0)) = LAST.replace(Some((ip as usize, *a, fa)))
        && at == ip.wrapping_sub(1) as usize
    {
        let triple = [(first.name(), f0), (a.name(), fa), (b.name(), fb)];
        TRIPLES.with(|counts| {
            let fused = || super::fuse::fused_triple([&first, a, b], [f0, fa, fb]);
            counts.borrow_mut().entry(triple).or_insert_with(|| (0, fused())).0 += 1;
        });
    }
    // An instruction that a fused pair runs does not start a pair of its own there.
    if INSIDE.replace(0) == ip as usize {
        return;
    }
    let fused = COUNTS.with(|counts| {
        let mut counts = counts.borrow_mut();
        let entry = counts.entry((a.name(), fa, b.name(), fb)).or_insert_with(|| (0, super::fuse::fused(a, fa, b, fb).is_some()));
        entry.0 += 1;
        entry.1
    });
    if fused {
        INSIDE.set(ip.wrapping_add(1) as usize);
    }
}

/// The pairs this thread counted, most frequent first, as `(first, form, second, form,
/// count, fused)`; and resets the counts.
pub fn take() -> Vec<(&'static str, u8, &'static str, u8, u64, bool)> {
    let counts = COUNTS.with(|counts| core::mem::take(&mut *counts.borrow_mut()));
    let mut pairs: Vec<_> = counts.into_iter().map(|((a, fa, b, fb), (n, fused))| (a, fa, b, fb, n, fused)).collect();
    pairs.sort_by(|x, y| y.4.cmp(&x.4).then(x.cmp(y)));
    pairs
}

/// The triples this thread counted, most frequent first, as `(triple, count, fused)`; and
/// resets the counts.
pub fn take_triples() -> Vec<(Triple, u64, bool)> {
    let counts = TRIPLES.with(|counts| core::mem::take(&mut *counts.borrow_mut()));
    let mut triples: Vec<_> = counts.into_iter().map(|(t, (n, fused))| (t, n, fused)).collect();
    triples.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    triples
}
