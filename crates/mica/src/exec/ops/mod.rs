//! What each instruction does, by family: one file per concern, each holding the handlers
//! (`Step` and `Plain` impls, run by the threaded code) and the slow paths (`Slow` impls,
//! run by the executor on the store) of its instructions.
//!
//! | file           | instructions                                                      |
//! |----------------|-------------------------------------------------------------------|
//! | `control.rs`   | `unreachable`, jumps, conditional and compare-and-branch, `br_table` |
//! | `call.rs`      | calls, tail calls and `return`                                    |
//! | `variable.rs`  | moves, constants, `select`, globals                               |
//! | `int.rs`       | `i32`/`i64` arithmetic, bit operations, comparisons                |
//! | `float.rs`     | `f32`/`f64` arithmetic and comparisons                             |
//! | `convert.rs`   | conversions between numeric types                                 |
//! | `memory.rs`    | loads, stores, `memory.*`, `data.drop`                            |
//! | `table.rs`     | `table.*`, `elem.drop`                                            |
//! | `reference.rs` | `ref.is_null`, `ref.as_non_null`, `ref.func`                      |
//! | `gc.rs`        | structs, arrays, `i31`, `ref.test`, `ref.cast` (the heap is `crate::gc`) |
//! | `exception.rs` | `throw`, `throw_ref`, and how a throw finds its `try_table` handler |
//! | `simd.rs`      | `v128` moves, constants, globals, and every SIMD operation (the lane arithmetic is `crate::simd`) |
//!
//! Which of the three traits an instruction needs follows from its
//! class in the instruction table (`bytecode/table.rs`); a missing impl does not compile.

mod call;
mod control;
mod convert;
mod exception;
mod float;
mod gc;
mod int;
mod memory;
mod reference;
mod simd;
mod table;
mod variable;

pub(crate) use call::ret;
pub(crate) use simd::{known_shuffle_handler, product_into_memory};

/// What the family files use.
mod prelude {
    pub(super) use super::super::interp::{Executor, Flow};
    pub(super) use super::super::threaded::{
        Exit, FastCtx, Locs, Mem, Op, Plain, Regs, Slow, Stop, TAIL_DISPATCH, exit_slow, fuse, kind,
        zero_locals,
    };
    pub(super) use super::super::Frame;
    pub(super) use super::super::values::{self, rounding};
    pub(super) use super::in_bounds;
    pub(super) use crate::bytecode::*;
    pub(super) use crate::cell::{Cell, NULL_REF, ref_cell};
    pub(super) use crate::error::{Error, Result, TrapCode};
    pub(super) use crate::store::PAGE_SIZE;
}

/// The range `start..start + len` if it lies within `0..size`. No overflow on any target
/// (`start + len` is checked), so a bulk operation's bounds check cannot wrap on a 32-bit
/// host.
#[inline]
pub(crate) fn in_bounds(start: usize, len: usize, size: usize) -> Option<core::ops::Range<usize>> {
    let end = start.checked_add(len)?;
    (end <= size).then_some(start..end)
}
