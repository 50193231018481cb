//! WAMR-style natives and calls (`include/wasm_export.h`), for embedders coming from the
//! WebAssembly Micro Runtime: the runtime is process-global, natives are registered under a
//! module name as `NativeSymbol` arrays with WAMR's signature strings, and functions are called
//! with `uint32_t` argument cells.
//!
//! The pieces:
//!
//! - [`global`]: the process-global state: the engine, the registered natives, and the set of
//!   live handles every entry point checks a handle against before using it (so a null, stale
//!   or foreign pointer is an error, not a dereference).
//! - [`signature`]: WAMR's signature strings (`"(ii)i"`, `"($*~)"`), parsed and checked
//!   against the wasm type of the import a native satisfies.
//! - [`invoke`]: calling a native C function of any registered signature: the platform's C
//!   calling convention done by hand in inline assembly (x86-64 System V, AArch64), the way
//!   WAMR's `invokeNative` does it; raw natives need none of it.
//! - [`native`]: a native as a Mica host function: pointer arguments validated and converted,
//!   the per-call execution environment set up, an exception the native sets turned into a
//!   trap once it has returned.
//! - [`instance`]: loading, instantiation, exceptions, custom data.
//! - [`call`]: execution environments, function lookup, and calls with argument cells.
//! - [`memory`]: address conversion between the app (offsets into memory 0) and the host.
//! - [`runtime`]: `wasm_runtime_init`, registration of natives, the runtime allocator.
//!
//! Nothing here unwinds into C: every entry point runs in [`crate::boundary::guard`], a native
//! reports an error by setting the instance's exception (never by unwinding), and Mica's traps
//! are values.

mod call;
mod global;
mod instance;
mod invoke;
mod lock;
mod memory;
mod native;
mod runtime;
mod signature;

use core::ffi::{CStr, c_char};

/// The C string at `p` as UTF-8, or `None` for a null pointer or bytes that are not UTF-8.
///
/// # Safety
/// `p` is null or points to a NUL-terminated string that stays valid and unchanged for `'a`.
unsafe fn c_str<'a>(p: *const c_char) -> Option<&'a str> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-null, and NUL-terminated by the caller's contract.
    unsafe { CStr::from_ptr(p) }.to_str().ok()
}

/// Writes `message` to a caller's `error_buf` of `size` bytes, truncated and NUL-terminated,
/// as `snprintf` would; nothing when `buf` is null or `size` is 0.
///
/// # Safety
/// `buf` is null or valid for writes of `size` bytes.
unsafe fn write_error(buf: *mut c_char, size: u32, message: &str) {
    if buf.is_null() || size == 0 {
        return;
    }
    let len = message.len().min(size as usize - 1);
    // SAFETY: `len + 1 <= size` bytes, which the caller's contract makes writable; the source
    // is a Rust string, which cannot overlap the caller's buffer... unless the caller passes
    // a buffer inside a string Mica returned, which `copy` (memmove) also handles.
    unsafe {
        core::ptr::copy(message.as_ptr(), buf as *mut u8, len);
        *buf.add(len) = 0;
    }
}
