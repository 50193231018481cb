//! The standard C API (`include/wasm.h`): the WebAssembly C API's engine, store, module,
//! instance, extern, function, global, table, memory, trap, frame, type, vector, reference
//! and foreign-object functions, over Mica's embedding API.
//!
//! How C objects map to Rust:
//!
//! - Every object C receives is a `Box`ed Rust value; `wasm_X_delete` drops the box and
//!   `wasm_X_copy` makes a new box. Vectors are `{size, data}` pairs over boxed slices
//!   ([`vec`]).
//! - Type descriptions are one Rust type for all four extern types ([`types::wasm_externtype_t`]),
//!   so `wasm_functype_as_externtype` and back are the same pointer.
//! - Runtime objects — functions, globals, tables, memories, instances, foreign objects,
//!   references, externs, traps and modules — are one Rust type, [`refs::Object`], so that
//!   `wasm_func_as_extern`, `wasm_func_as_ref`, `wasm_ref_as_func` ... are views of the
//!   same handle. An object of a store holds a strong reference to the store's state
//!   ([`store::StoreState`]): deleting the store while handles live frees nothing they
//!   use, and the state (with every host function's environment and every host info's
//!   finalizer) goes when the last of them does.
//! - A host function may call back into its store while the store is running it: the
//!   store's state records the callback's `Caller` for the callback's duration
//!   ([`store::StoreState::with`]).
//! - A trap a callback returns becomes a host error carrying its message
//!   ([`trap::CallbackTrap`]); it unwinds through Mica's frames (never through C ones) and
//!   reaches the caller of `wasm_func_call` as a trap with that message.

// The types keep the C names (`wasm_valtype_t` ...), so that the code reads as the header.
#![allow(non_camel_case_types)]
// Every exported function's contract — what its pointers must be, who owns what — is
// stated once, in `include/wasm.h`, for the C programs that call it; repeating it as a
// `# Safety` section on each of the ~300 Rust definitions would add nothing.
#![allow(clippy::missing_safety_doc)]

pub mod externals;
pub mod func;
pub mod import_export;
pub mod instance;
pub mod module;
pub mod refs;
pub mod store;
pub mod trap;
pub mod types;
pub mod val;
pub mod vec;

/// Runs an entry point's body, returning `failed` if it panics (a bug in Mica).
pub(crate) use crate::boundary::guard;
