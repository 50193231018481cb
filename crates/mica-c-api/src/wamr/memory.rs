//! Addresses: app offsets into an instance's memory 0 and the native pointers they stand
//! for, with bounds checks; and `wasm_runtime_module_malloc` through the module's own
//! exported `malloc`/`free`.
//!
//! A native pointer into memory 0 stays valid until the memory grows (`memory.grow`, or a
//! `wasm_runtime_module_malloc` whose `malloc` grows it) or the instance is deinstantiated.
//! A failed validation sets the instance's exception to `out of bounds memory access`, as
//! WAMR does (inside a native, the call then traps once the native returns).

use super::instance::ModuleInst;
use crate::boundary::guard;
use core::ffi::c_void;
use core::ptr;
use mica_core::{Val, ValType};

const OUT_OF_BOUNDS: &str = "out of bounds memory access";

/// Memory 0 of a live instance handle as (base address, length), or `None`.
fn memory_of(inst: *const c_void) -> Option<(&'static ModuleInst, *mut u8, usize)> {
    // SAFETY: checked live; used for the calling entry point's duration only (the `'static`
    // never escapes it).
    let i = unsafe { ModuleInst::from_handle(inst) }?;
    let (base, len) = i.with_memory(|data| (data.as_mut_ptr(), data.len()))?;
    Some((i, base, len))
}

/// Whether `[offset, offset + size)` is inside memory 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_validate_app_addr(inst: *const c_void, offset: u64, size: u64) -> bool {
    guard(false, || {
        let Some((i, _, len)) = memory_of(inst) else { return false };
        let ok = offset.checked_add(size).is_some_and(|end| end <= len as u64);
        if !ok {
            i.set_exception(OUT_OF_BOUNDS);
        }
        ok
    })
}

/// Whether a NUL-terminated string starts at `offset` and ends (NUL included) inside memory 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_validate_app_str_addr(inst: *const c_void, offset: u64) -> bool {
    guard(false, || {
        // SAFETY: checked live, used for this call only.
        let Some(i) = (unsafe { ModuleInst::from_handle(inst) }) else { return false };
        let ok = i
            .with_memory(|data| {
                usize::try_from(offset).ok().and_then(|o| data.get(o..)).is_some_and(|rest| rest.contains(&0))
            })
            .unwrap_or(false);
        if !ok {
            i.set_exception(OUT_OF_BOUNDS);
        }
        ok
    })
}

/// Whether `[ptr, ptr + size)` is inside memory 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_validate_native_addr(inst: *const c_void, native: *const c_void, size: u64) -> bool {
    guard(false, || {
        let Some((i, base, len)) = memory_of(inst) else { return false };
        let start = (native.addr() as u64).wrapping_sub(base.addr() as u64);
        let ok = native.addr() >= base.addr() && start.checked_add(size).is_some_and(|end| end <= len as u64);
        if !ok {
            i.set_exception(OUT_OF_BOUNDS);
        }
        ok
    })
}

/// The native address of app offset `offset`; NULL unless `offset` is inside memory 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_addr_app_to_native(inst: *const c_void, offset: u64) -> *mut c_void {
    guard(ptr::null_mut(), || match memory_of(inst) {
        Some((_, base, len)) if offset < len as u64 => base.wrapping_add(offset as usize) as *mut c_void,
        _ => ptr::null_mut(),
    })
}

/// The app offset of a native address inside memory 0; 0 for any other address.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_addr_native_to_app(inst: *const c_void, native: *const c_void) -> u64 {
    guard(0, || match memory_of(inst) {
        Some((_, base, len)) if native.addr() >= base.addr() && native.addr() - base.addr() < len => {
            (native.addr() - base.addr()) as u64
        }
        _ => 0,
    })
}

/// The app range holding `offset` (memory 0's: `[0, size)`); false if it is outside.
/// `start` and `end` may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_app_addr_range(inst: *const c_void, offset: u64, start: *mut u64, end: *mut u64) -> bool {
    guard(false, || {
        let Some((_, _, len)) = memory_of(inst) else { return false };
        if offset >= len as u64 {
            return false;
        }
        // SAFETY: the caller's contract: each is NULL or valid for a write.
        unsafe {
            if !start.is_null() {
                *start = 0;
            }
            if !end.is_null() {
                *end = len as u64;
            }
        }
        true
    })
}

/// The native range holding `native` (memory 0's); false if it is outside. `start` and `end`
/// may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_native_addr_range(
    inst: *const c_void,
    native: *const u8,
    start: *mut *mut u8,
    end: *mut *mut u8,
) -> bool {
    guard(false, || {
        let Some((_, base, len)) = memory_of(inst) else { return false };
        if native.addr() < base.addr() || native.addr() - base.addr() >= len {
            return false;
        }
        // SAFETY: the caller's contract: each is NULL or valid for a write.
        unsafe {
            if !start.is_null() {
                *start = base;
            }
            if !end.is_null() {
                *end = base.wrapping_add(len);
            }
        }
        true
    })
}

/// Calls the module's export `name` of type `(i32) -> results` with `arg`, on the exec env
/// of the call running on the instance (or its singleton); the results, or `None` if there
/// is no such export or the call trapped (the exception is then set).
fn call_export(i: &ModuleInst, name: &str, arg: u32, results: &[ValType]) -> Option<Val> {
    let instance = i.instance.get()?;
    let func = i
        .with_store(|ctx| {
            let f = instance.get_func(&ctx, name)?;
            let ty = f.ty(&ctx);
            (ty.params() == [ValType::I32] && ty.results() == results).then_some(f)
        })
        .ok()
        .flatten()?;
    let env = if i.current_env.get().is_null() { i.singleton } else { i.current_env.get() };
    // SAFETY: the env of the running call (which keeps it alive) or the instance's singleton.
    let env = unsafe { &*env };
    let mut out = [Val::I32(0)];
    let out = &mut out[..results.len()];
    i.call(env, func, &[Val::I32(arg as i32)], out).then(|| out.first().copied().unwrap_or(Val::I32(0)))
}

/// Allocates `size` bytes in the instance's memory with the module's exported
/// `malloc(i32) -> i32`; returns the app offset (and its native address in `*native`, if
/// `native` is not NULL), or 0 — with `*native` NULL — if the module exports no such
/// `malloc`, it returns 0, or it traps (the exception is then set). Mica has no host-managed
/// heap: `wasm_runtime_instantiate`'s `heap_size` is ignored.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_module_malloc(inst: *const c_void, size: u64, native: *mut *mut c_void) -> u64 {
    guard(0, || {
        // SAFETY: the caller's contract: NULL or valid for a write.
        let set = |p: *mut c_void| unsafe {
            if !native.is_null() {
                *native = p;
            }
        };
        set(ptr::null_mut());
        // SAFETY: checked live, used for this call only.
        let Some(i) = (unsafe { ModuleInst::from_handle(inst) }) else { return 0 };
        let Ok(size) = u32::try_from(size) else { return 0 };
        let Some(Val::I32(offset)) = call_export(i, "malloc", size, &[ValType::I32]) else { return 0 };
        let offset = offset as u32 as u64;
        if offset != 0 {
            // SAFETY: the same live instance.
            set(unsafe { wasm_runtime_addr_app_to_native(inst, offset) });
        }
        offset
    })
}

/// Frees an offset `wasm_runtime_module_malloc` returned, with the module's exported
/// `free(i32)`; nothing for 0 or a module without one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_module_free(inst: *const c_void, offset: u64) {
    guard((), || {
        // SAFETY: checked live, used for this call only.
        let Some(i) = (unsafe { ModuleInst::from_handle(inst) }) else { return };
        if let (Ok(offset), false) = (u32::try_from(offset), offset == 0) {
            call_export(i, "free", offset, &[]);
        }
    })
}

/// `wasm_runtime_module_malloc` of `size` bytes, then copies `size` bytes from `src` there.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_module_dup_data(inst: *const c_void, src: *const u8, size: u64) -> u64 {
    guard(0, || {
        if src.is_null() && size > 0 {
            return 0;
        }
        let mut native = ptr::null_mut();
        // SAFETY: as `wasm_runtime_module_malloc`; `native` is a local.
        let offset = unsafe { wasm_runtime_module_malloc(inst, size, &mut native) };
        if offset != 0 && !native.is_null() {
            // SAFETY: re-validated: the whole block is inside memory 0 (`malloc` could be
            // buggy), and `src` holds `size` bytes (the caller's contract).
            unsafe {
                if wasm_runtime_validate_app_addr(inst, offset, size) {
                    ptr::copy(src, native as *mut u8, size as usize);
                }
            }
        }
        offset
    })
}
