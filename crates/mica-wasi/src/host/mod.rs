//! The host side: what WASI calls do to the world, behind a sandbox. It knows nothing of
//! guest memory; the ABI layer hands it Rust values and buffers.
//!
//! Files and directories are reached only through descriptors the embedder preopened (see
//! [`dir`]), clocks and randomness come from the OS, and the standard streams from the
//! embedder's choice.

pub mod clock;
pub mod dir;
pub mod fd_ops;
pub mod file;
pub mod metadata;
pub mod path_ops;
pub mod poll;
pub mod stream;
pub mod table;
