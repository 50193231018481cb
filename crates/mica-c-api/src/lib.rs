//! Mica's C API: `libmica.a` / `libmica.so` and two headers in `include/`.
//!
//! - `wasm.h`, the WebAssembly C API (the standard one wasmtime, wasmi, WAMR and wasmer
//!   implement): [`wasm`] implements it.
//! - `wasm_export.h`, WAMR-style natives and calls with `uint32_t` argument cells, for
//!   embedders coming from WAMR: [`wamr`] implements it.
//!
//! Every entry point checks its arguments (null pointers, lengths, objects of another store)
//! and reports a misuse as an error value, never as a crash; errors and traps are values, and
//! a panic inside Mica is caught at the entry point ([`boundary::guard`]) rather than unwound
//! into C frames. Ownership follows the standard's rules, stated per function in the headers.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod boundary;
#[cfg(not(feature = "std"))]
mod runtime;
pub mod wamr;
pub mod wasm;
