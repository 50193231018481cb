//! Import and export types: a name (and a module name, for imports) with an extern type.

use super::guard;
use super::types::{declare_owned, wasm_externtype_t};
use super::vec::{self, Owned, WasmVec, declare_vec, wasm_byte_vec_t};
use alloc::boxed::Box;
use core::ptr;

/// `wasm_importtype_t`.
pub struct wasm_importtype_t {
    pub module: wasm_byte_vec_t,
    pub name: wasm_byte_vec_t,
    pub ty: Box<wasm_externtype_t>,
}

/// `wasm_exporttype_t`.
pub struct wasm_exporttype_t {
    pub name: wasm_byte_vec_t,
    pub ty: Box<wasm_externtype_t>,
}

/// The bytes of a name this module owns.
fn name_bytes(name: &wasm_byte_vec_t) -> &[u8] {
    // SAFETY: names held by import and export types are vectors this library allocated and
    // owns for the type's life.
    unsafe { vec::elements(name) }.unwrap_or(&[])
}

impl Owned for wasm_importtype_t {
    fn copy_owned(&self) -> Self {
        wasm_importtype_t {
            module: vec::bytes(name_bytes(&self.module)),
            name: vec::bytes(name_bytes(&self.name)),
            ty: Box::new(self.ty.copy_owned()),
        }
    }
}

impl Drop for wasm_importtype_t {
    fn drop(&mut self) {
        // SAFETY: the names are owned by `self`.
        unsafe {
            vec::delete(&mut self.module);
            vec::delete(&mut self.name);
        }
    }
}

impl Owned for wasm_exporttype_t {
    fn copy_owned(&self) -> Self {
        wasm_exporttype_t {
            name: vec::bytes(name_bytes(&self.name)),
            ty: Box::new(self.ty.copy_owned()),
        }
    }
}

impl Drop for wasm_exporttype_t {
    fn drop(&mut self) {
        // SAFETY: the name is owned by `self`.
        unsafe { vec::delete(&mut self.name) }
    }
}

declare_owned!(
    wasm_importtype_t,
    wasm_importtype_delete,
    wasm_importtype_copy
);
declare_owned!(
    wasm_exporttype_t,
    wasm_exporttype_delete,
    wasm_exporttype_copy
);

declare_vec!(
    *mut wasm_importtype_t,
    wasm_importtype_vec_new_empty,
    wasm_importtype_vec_new_uninitialized,
    wasm_importtype_vec_new,
    wasm_importtype_vec_copy,
    wasm_importtype_vec_delete
);
declare_vec!(
    *mut wasm_exporttype_t,
    wasm_exporttype_vec_new_empty,
    wasm_exporttype_vec_new_uninitialized,
    wasm_exporttype_vec_new,
    wasm_exporttype_vec_copy,
    wasm_exporttype_vec_delete
);

fn boxed<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

// --- import and export types --------------------------------------------------------------

/// Takes a name vector the caller hands over, leaving it empty.
///
/// # Safety
/// A non-null `name` is a vector of this library the caller owns.
unsafe fn take_name(name: *mut wasm_byte_vec_t) -> Option<wasm_byte_vec_t> {
    // SAFETY: forwarded.
    unsafe { vec::elements(name) }?;
    // SAFETY: `name` is non-null and valid (checked above) and handed over.
    Some(core::mem::replace(unsafe { &mut *name }, WasmVec::EMPTY))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_importtype_new(
    module: *mut wasm_byte_vec_t,
    name: *mut wasm_byte_vec_t,
    ty: *mut wasm_externtype_t,
) -> *mut wasm_importtype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: all three are handed over (header contract); each is checked before any is
        // taken.
        unsafe {
            if vec::elements(module).is_none() || vec::elements(name).is_none() || ty.is_null() {
                return ptr::null_mut();
            }
            let (Some(module), Some(name)) = (take_name(module), take_name(name)) else {
                return ptr::null_mut();
            };
            boxed(wasm_importtype_t {
                module,
                name,
                ty: Box::from_raw(ty),
            })
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_importtype_module(
    ty: *const wasm_importtype_t,
) -> *const wasm_byte_vec_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live import type (header contract).
        unsafe { ty.as_ref() }.map_or(ptr::null(), |t| &t.module as *const _)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_importtype_name(
    ty: *const wasm_importtype_t,
) -> *const wasm_byte_vec_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live import type (header contract).
        unsafe { ty.as_ref() }.map_or(ptr::null(), |t| &t.name as *const _)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_importtype_type(
    ty: *const wasm_importtype_t,
) -> *const wasm_externtype_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live import type (header contract).
        unsafe { ty.as_ref() }.map_or(ptr::null(), |t| &*t.ty as *const _)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_exporttype_new(
    name: *mut wasm_byte_vec_t,
    ty: *mut wasm_externtype_t,
) -> *mut wasm_exporttype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: both are handed over (header contract), checked before either is taken.
        unsafe {
            if vec::elements(name).is_none() || ty.is_null() {
                return ptr::null_mut();
            }
            let Some(name) = take_name(name) else {
                return ptr::null_mut();
            };
            boxed(wasm_exporttype_t {
                name,
                ty: Box::from_raw(ty),
            })
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_exporttype_name(
    ty: *const wasm_exporttype_t,
) -> *const wasm_byte_vec_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live export type (header contract).
        unsafe { ty.as_ref() }.map_or(ptr::null(), |t| &t.name as *const _)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_exporttype_type(
    ty: *const wasm_exporttype_t,
) -> *const wasm_externtype_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live export type (header contract).
        unsafe { ty.as_ref() }.map_or(ptr::null(), |t| &*t.ty as *const _)
    })
}
