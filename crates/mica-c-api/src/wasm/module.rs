//! Modules: compilation, validation, imports and exports, serialization, and shared
//! modules (`wasm_module_share` / `wasm_module_obtain`).

use super::guard;
use super::import_export::{wasm_exporttype_t, wasm_importtype_t};
use super::refs::{ObjKind, Object, borrow, declare_ref, is_module, wasm_module_t};
use super::store::{Finalizer, HostInfo, state_of, wasm_store_t};
use super::types::wasm_externtype_t;
use super::vec::{self, WasmVec, wasm_byte_vec_t};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::ffi::c_void;
use core::ptr;
use mica_core::Module;

/// A module handle's contents.
pub struct ModuleData {
    pub module: Module,
    pub info: RefCell<HostInfo>,
}

/// `wasm_shared_module_t`: a module in a form any thread may hold (its serialization),
/// which `wasm_module_obtain` loads for a store's engine.
pub struct wasm_shared_module_t {
    serialized: Vec<u8>,
}

fn new_handle(module: Module) -> *mut wasm_module_t {
    Object {
        kind: ObjKind::Module(Rc::new(ModuleData {
            module,
            info: RefCell::new(HostInfo::NONE),
        })),
    }
    .into_raw()
}

/// The module behind a handle the caller lends.
///
/// # Safety
/// A non-null `module` is a live handle.
pub unsafe fn module_of<'a>(module: *const wasm_module_t) -> Option<&'a Module> {
    // SAFETY: forwarded.
    match unsafe { borrow(module, is_module) }.map(|o| &o.kind) {
        Some(ObjKind::Module(data)) => Some(&data.module),
        _ => None,
    }
}

declare_ref!(
    is_module,
    wasm_module_delete,
    wasm_module_copy,
    wasm_module_same,
    wasm_module_get_host_info,
    wasm_module_set_host_info,
    wasm_module_set_host_info_with_finalizer,
    wasm_module_as_ref,
    wasm_module_as_ref_const,
    wasm_ref_as_module,
    wasm_ref_as_module_const
);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_new(
    store: *mut wasm_store_t,
    binary: *const wasm_byte_vec_t,
) -> *mut wasm_module_t {
    guard(ptr::null_mut(), || {
        let (Some(state), Some(bytes)) =
            // SAFETY: a non-null `store` is live and `binary` a valid vector (header contract).
            (unsafe { state_of(store) }, unsafe { vec::elements(binary) })
        else {
            return ptr::null_mut();
        };
        match Module::from_binary(&state.engine, bytes) {
            Ok(module) => new_handle(module),
            Err(_) => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_validate(
    store: *mut wasm_store_t,
    binary: *const wasm_byte_vec_t,
) -> bool {
    guard(false, || {
        let (Some(state), Some(bytes)) =
            // SAFETY: a non-null `store` is live and `binary` a valid vector (header contract).
            (unsafe { state_of(store) }, unsafe { vec::elements(binary) })
        else {
            return false;
        };
        Module::validate(&state.engine, bytes).is_ok()
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_imports(
    module: *const wasm_module_t,
    out: *mut WasmVec<*mut wasm_importtype_t>,
) {
    guard((), || {
        // SAFETY: a non-null `module` is a live handle (header contract).
        let imports = match unsafe { module_of(module) } {
            Some(module) => vec::from_vec(
                module
                    .imports()
                    .filter_map(|(m, name, ty)| {
                        let ty = Box::new(wasm_externtype_t::of(ty)?);
                        let import = wasm_importtype_t {
                            module: vec::bytes(m.as_bytes()),
                            name: vec::bytes(name.as_bytes()),
                            ty,
                        };
                        Some(Box::into_raw(Box::new(import)))
                    })
                    .collect(),
            ),
            None => WasmVec::EMPTY,
        };
        // SAFETY: `out` is an out parameter (header contract).
        unsafe { vec::write_vec(out, imports) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_exports(
    module: *const wasm_module_t,
    out: *mut WasmVec<*mut wasm_exporttype_t>,
) {
    guard((), || {
        // SAFETY: a non-null `module` is a live handle (header contract).
        let exports = match unsafe { module_of(module) } {
            Some(module) => vec::from_vec(
                module
                    .exports()
                    .filter_map(|(name, ty)| {
                        let ty = Box::new(wasm_externtype_t::of(&ty)?);
                        Some(Box::into_raw(Box::new(wasm_exporttype_t {
                            name: vec::bytes(name.as_bytes()),
                            ty,
                        })))
                    })
                    .collect(),
            ),
            None => WasmVec::EMPTY,
        };
        // SAFETY: `out` is an out parameter (header contract).
        unsafe { vec::write_vec(out, exports) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_serialize(
    module: *const wasm_module_t,
    out: *mut wasm_byte_vec_t,
) {
    guard((), || {
        let bytes =
            // SAFETY: a non-null `module` is a live handle (header contract).
            unsafe { module_of(module) }.map_or(WasmVec::EMPTY, |m| vec::from_vec(m.serialize()));
        // SAFETY: `out` is an out parameter (header contract).
        unsafe { vec::write_vec(out, bytes) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_deserialize(
    store: *mut wasm_store_t,
    bytes: *const wasm_byte_vec_t,
) -> *mut wasm_module_t {
    guard(ptr::null_mut(), || {
        let (Some(state), Some(bytes)) =
            // SAFETY: a non-null `store` is live and `bytes` a valid vector (header contract).
            (unsafe { state_of(store) }, unsafe { vec::elements(bytes) })
        else {
            return ptr::null_mut();
        };
        match Module::deserialize(&state.engine, bytes) {
            Ok(module) => new_handle(module),
            Err(_) => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_share(
    module: *const wasm_module_t,
) -> *mut wasm_shared_module_t {
    // SAFETY: a non-null `module` is a live handle (header contract).
    guard(ptr::null_mut(), || match unsafe { module_of(module) } {
        Some(module) => Box::into_raw(Box::new(wasm_shared_module_t {
            serialized: module.serialize(),
        })),
        None => ptr::null_mut(),
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_module_obtain(
    store: *mut wasm_store_t,
    shared: *const wasm_shared_module_t,
) -> *mut wasm_module_t {
    guard(ptr::null_mut(), || {
        // SAFETY: non-null arguments are live (header contract).
        let (Some(state), Some(shared)) = (unsafe { state_of(store) }, unsafe { shared.as_ref() })
        else {
            return ptr::null_mut();
        };
        match Module::deserialize(&state.engine, &shared.serialized) {
            Ok(module) => new_handle(module),
            Err(_) => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_shared_module_delete(shared: *mut wasm_shared_module_t) {
    if !shared.is_null() {
        // SAFETY: a non-null `shared` is a live box the caller gives up (header contract).
        guard((), || drop(unsafe { Box::from_raw(shared) }))
    }
}
