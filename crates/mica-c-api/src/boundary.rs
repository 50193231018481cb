//! The line between C and Rust: no panic crosses it.
//!
//! With `std`, each entry point runs its body in [`guard`], which turns a panic (a bug in
//! Mica: none is expected) into the entry point's failure value. Without `std` the library is
//! built with `panic = "abort"` (the size profile), and a panic aborts the process
//! (`runtime.rs`): it still never unwinds into C frames.

/// Runs `body`; if it panics, returns `failed` instead.
#[cfg(feature = "std")]
pub(crate) fn guard<R>(failed: R, body: impl FnOnce() -> R) -> R {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or(failed)
}

/// Runs `body` (a panic aborts: see the module's documentation).
#[cfg(not(feature = "std"))]
pub(crate) fn guard<R>(_failed: R, body: impl FnOnce() -> R) -> R {
    body()
}
