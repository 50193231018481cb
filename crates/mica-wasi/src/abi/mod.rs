//! The guest-facing side: `wasi_snapshot_preview1`'s functions as wasm sees them. Each one
//! decodes its integer arguments and the guest structures they point to, calls the host side
//! with Rust values, and encodes the results back into guest memory.
//!
//! Failures are returned to the guest as an errno, never as a trap: a pointer outside memory
//! is `fault`, an undefined flag bit `inval`. Only `proc_exit` ends the call with an error
//! (the [`I32Exit`](crate::I32Exit) payload), because it must unwind the guest.

mod errno;
mod fd_io;
mod fd_meta;
mod layout;
mod memory;
mod path;
mod poll;
mod process;

use crate::WasiCtx;
use crate::ctx::GuestMemoryExport;
use crate::types::WasiResult;
use memory::GuestMemory;
use mica::{Caller, Extern, Linker};

/// The import module every preview1 function lives in.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Registers every preview1 function in `linker`.
pub fn register<T: 'static>(linker: &mut Linker<T>, ctx: impl CtxAccess<T>) -> mica::Result<()> {
    process::register(linker, ctx)?;
    fd_io::register(linker, ctx)?;
    fd_meta::register(linker, ctx)?;
    path::register(linker, ctx)?;
    poll::register(linker, ctx)?;
    Ok(())
}

/// How a host function finds the [`WasiCtx`] in the store's data.
pub trait CtxAccess<T>: Fn(&mut T) -> &mut WasiCtx + Copy + Send + Sync + 'static {}
impl<T, F: Fn(&mut T) -> &mut WasiCtx + Copy + Send + Sync + 'static> CtxAccess<T> for F {}

/// Runs one WASI call with the context and the calling instance's memory (an empty one if it
/// exports none, so every pointer is `fault`), and turns its outcome into the errno result.
/// Preview1 addresses a 32-bit memory: if the instance's `memory` is a 64-bit one, the call
/// fails with an error that says so (to the embedder, not the guest: no errno means it).
fn call<T>(
    caller: &mut Caller<'_, T>,
    ctx: impl CtxAccess<T>,
    body: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> WasiResult<()>,
) -> mica::Result<i32> {
    let (bytes, data): (&mut [u8], &mut T) = match memory_of(caller, ctx)? {
        // The calling instance's memory belongs to the caller's store, so this cannot fail.
        GuestMemoryExport::Memory32(memory) => memory.data_and_store_mut(caller)?,
        GuestMemoryExport::Memory64 => return Err(mica::Error::new(MEMORY64_UNSUPPORTED)),
        GuestMemoryExport::None => (&mut [], caller.data_mut()),
    };
    Ok(match body(ctx(data), &mut GuestMemory::new(bytes)) {
        Ok(()) => 0,
        Err(errno) => errno as i32,
    })
}

/// What the calling instance exports as `memory`: looked up by name on its first call, then
/// taken from the context's cache while the same instance calls.
fn memory_of<T>(caller: &mut Caller<'_, T>, ctx: impl CtxAccess<T>) -> mica::Result<GuestMemoryExport> {
    let instance = caller.instance();
    let cached = ctx(caller.data_mut()).memory;
    if let (Some(instance), Some((last, export))) = (instance, cached)
        && instance == last
    {
        return Ok(export);
    }
    let export = match caller.get_export("memory").and_then(Extern::into_memory) {
        Some(memory) if memory.ty(&*caller)?.is_64 => GuestMemoryExport::Memory64,
        Some(memory) => GuestMemoryExport::Memory32(memory),
        None => GuestMemoryExport::None,
    };
    if let Some(instance) = instance {
        ctx(caller.data_mut()).memory = Some((instance, export));
    }
    Ok(export)
}

/// The error of a WASI call from an instance whose `memory` is 64-bit.
pub(crate) const MEMORY64_UNSUPPORTED: &str = "WASI preview1 works on a 32-bit memory exported as \
    `memory`, and this module's `memory` is a 64-bit memory (memory64): preview1 has no \
    64-bit interface";
