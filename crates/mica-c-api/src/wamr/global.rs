//! The process-global state WAMR's API implies: the runtime (its engine, set up by
//! `wasm_runtime_init`), the natives registered under module names, and the set of live
//! handles.
//!
//! **Live handles.** Every handle this API gives out (module, module instance, exec env,
//! function) is recorded here with its kind when it is made and removed when it is destroyed,
//! and every entry point looks a handle up before it dereferences it. So a null pointer, a
//! pointer to something else, a handle of the wrong kind, or one already destroyed is
//! reported as a misuse instead of being read. (A destroyed handle's address may be reused by
//! a later handle of the same kind, which the check cannot tell apart: destroying a handle
//! still ends its use.)

use super::lock::{Lock, LockGuard};
use super::native::Native;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ffi::c_void;
use mica_core::Engine;

#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    Module,
    Instance,
    ExecEnv,
    Function,
}

static HANDLES: Lock<BTreeMap<usize, Kind>> = Lock::new(BTreeMap::new());

/// Records `handle` as a live handle of `kind`.
pub(super) fn register(handle: *const c_void, kind: Kind) {
    HANDLES.lock().insert(handle.addr(), kind);
}

/// Forgets `handle`; returns whether it was a live handle of `kind` (if not, nothing changes).
pub(super) fn unregister(handle: *const c_void, kind: Kind) -> bool {
    let mut handles = HANDLES.lock();
    if handles.get(&handle.addr()) != Some(&kind) {
        return false;
    }
    handles.remove(&handle.addr());
    true
}

/// Whether `handle` is a live handle of `kind`.
pub(super) fn is_live(handle: *const c_void, kind: Kind) -> bool {
    !handle.is_null() && HANDLES.lock().get(&handle.addr()) == Some(&kind)
}

/// One `wasm_runtime_register_natives` call.
pub(super) struct Registration {
    pub module: String,
    /// The caller's array, which `wasm_runtime_unregister_natives` names the registration by.
    pub symbols: usize,
    pub natives: Vec<Arc<Native>>,
}

pub(super) struct Runtime {
    /// Set between `wasm_runtime_init` and `wasm_runtime_destroy`.
    pub engine: Option<Engine>,
    /// Oldest first; lookups search newest first, as WAMR does.
    pub registrations: Vec<Registration>,
}

static RUNTIME: Lock<Runtime> = Lock::new(Runtime { engine: None, registrations: Vec::new() });

pub(super) fn runtime() -> LockGuard<'static, Runtime> {
    RUNTIME.lock()
}

/// The engine, if the runtime is initialised.
pub(super) fn engine() -> Option<Engine> {
    runtime().engine.clone()
}

/// The native registered last as `module`.`name`.
pub(super) fn find_native(module: &str, name: &str) -> Option<Arc<Native>> {
    let runtime = runtime();
    runtime
        .registrations
        .iter()
        .rev()
        .filter(|r| r.module == module)
        .find_map(|r| r.natives.iter().find(|n| n.name == name))
        .cloned()
}
