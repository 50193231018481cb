//! WASI preview1 (`wasi_snapshot_preview1`) for Mica.
//!
//! ```no_run
//! use mica::{Engine, Linker, Module, Store};
//! use mica_wasi::{I32Exit, WasiCtx, WasiCtxBuilder};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, std::fs::read("program.wasm")?)?;
//! let mut linker = Linker::<WasiCtx>::new(&engine);
//! mica_wasi::add_to_linker(&mut linker, |ctx| ctx)?;
//! let ctx = WasiCtxBuilder::new()
//!     .inherit_stdio()
//!     .args(["program.wasm", "hello"])
//!     .env("HOME", "/data")
//!     .preopened_dir("./data", "/data")?
//!     .build();
//! let mut store = Store::new(&engine, ctx);
//! let instance = linker.instantiate(&mut store, &module)?;
//! let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
//! let status = match start.call(&mut store, ()) {
//!     Ok(()) => 0,
//!     Err(e) => match e.downcast_ref::<I32Exit>() {
//!         Some(exit) => exit.0,
//!         None => return Err(e.into()),
//!     },
//! };
//! # let _ = status;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The crate has two sides. `abi` is what the guest sees: each preview1 function, its
//! arguments decoded from guest memory and its results encoded back, every failure an errno.
//! `host` is what happens on the host: a descriptor table, files and directories reached only
//! through cap-std's sandboxed directory handles, clocks, randomness and the standard streams.
//! [`types`] is the vocabulary both share.

#![forbid(unsafe_code)]

mod abi;
mod ctx;
mod host;
mod pipe;
pub mod types;

pub use abi::MODULE;
pub use ctx::{WasiCtx, WasiCtxBuilder};
pub use pipe::{MemoryInputPipe, MemoryOutputPipe};

/// The error payload of `proc_exit`: the guest's exit status. It reaches the embedder as a
/// [`mica::Error`]; `err.downcast_ref::<I32Exit>()` gets it back.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct I32Exit(pub i32);

impl std::fmt::Display for I32Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "guest exited with status {}", self.0)
    }
}

impl std::error::Error for I32Exit {}

/// Defines every function of `wasi_snapshot_preview1` in `linker`. `get_ctx` finds the
/// [`WasiCtx`] in the store's data.
pub fn add_to_linker<T: 'static>(
    linker: &mut mica::Linker<T>,
    get_ctx: impl Fn(&mut T) -> &mut WasiCtx + Copy + Send + Sync + 'static,
) -> mica::Result<()> {
    abi::register(linker, get_ctx)
}
