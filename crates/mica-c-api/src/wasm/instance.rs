//! Instances: instantiation with imports in the module's order, and exports.

use super::guard;
use super::module::module_of;
use super::refs::wasm_trap_t;
use super::refs::{
    Entity, Object, borrow, declare_ref, is_any, is_instance, wasm_instance_t, wasm_module_t,
};
use super::store::{Finalizer, state_of, wasm_store_t};
use super::trap::TrapData;
use super::vec::{self, WasmVec};
use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::c_void;
use core::ptr;
use mica_core::{AsContext, Extern, Instance};

declare_ref!(
    is_instance,
    wasm_instance_delete,
    wasm_instance_copy,
    wasm_instance_same,
    wasm_instance_get_host_info,
    wasm_instance_set_host_info,
    wasm_instance_set_host_info_with_finalizer,
    wasm_instance_as_ref,
    wasm_instance_as_ref_const,
    wasm_ref_as_instance,
    wasm_ref_as_instance_const
);

/// `wasm_instance_new`'s body: the instance, or the trap saying why there is none.
///
/// # Safety
/// Header contract: non-null pointers are live objects and valid vectors.
unsafe fn instantiate(
    store: *mut wasm_store_t,
    module: *const wasm_module_t,
    imports: *const WasmVec<*mut Object>,
) -> Result<*mut wasm_instance_t, TrapData> {
    let usage = |m: String| TrapData::usage(&m);
    // SAFETY: forwarded.
    let state = unsafe { state_of(store) }
        .ok_or_else(|| usage("wasm_instance_new: the store is null".into()))?;
    // SAFETY: forwarded.
    let module = unsafe { module_of(module) }
        .ok_or_else(|| usage("wasm_instance_new: the module is null".into()))?;
    let imports: &[*mut Object] = if imports.is_null() {
        &[]
    } else {
        // SAFETY: forwarded.
        unsafe { vec::elements(imports) }.ok_or_else(|| {
            usage("wasm_instance_new: the imports vector has a size but no data".into())
        })?
    };
    let wanted = module.imports().len();
    if imports.len() != wanted {
        return Err(usage(format!(
            "wasm_instance_new: the module has {wanted} imports, {} were given",
            imports.len()
        )));
    }
    let mut externs = Vec::with_capacity(imports.len());
    for (i, import) in imports.iter().enumerate() {
        let Some((owner, entity)) =
            // SAFETY: non-null elements are live handles (header contract).
            (unsafe { borrow(*import, is_any) }).and_then(|o| o.as_entity())
        else {
            return Err(usage(format!(
                "wasm_instance_new: import {i} is null or not an extern"
            )));
        };
        if !Rc::ptr_eq(owner, &state) {
            return Err(usage(format!(
                "wasm_instance_new: import {i} belongs to another store"
            )));
        }
        externs.push(match entity {
            Entity::Func(f) => Extern::Func(f),
            Entity::Global(g) => Extern::Global(g),
            Entity::Table(t) => Extern::Table(t),
            Entity::Memory(m) => Extern::Memory(m),
            _ => {
                return Err(usage(format!(
                    "wasm_instance_new: import {i} is not a function, global, table or memory"
                )));
            }
        });
    }
    match state.with(|cx| Instance::new(cx, module, &externs)) {
        Ok(Ok(instance)) => Ok(Object::entity(&state, Entity::Instance(instance)).into_raw()),
        Ok(Err(error)) => Err(TrapData::of_error(&state, &error)),
        Err(_) => Err(usage("wasm_instance_new: the store is busy".into())),
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_instance_new(
    store: *mut wasm_store_t,
    module: *const wasm_module_t,
    imports: *const WasmVec<*mut Object>,
    trap: *mut *mut wasm_trap_t,
) -> *mut wasm_instance_t {
    // SAFETY: `trap`, if not null, is a writable out parameter (header contract).
    unsafe { vec::write_out(trap, ptr::null_mut()) };
    let outcome = guard(None, || {
        // SAFETY: header contract.
        Some(unsafe { instantiate(store, module, imports) })
    })
    .unwrap_or_else(|| {
        Err(TrapData::usage(
            "wasm_instance_new: internal error (a panic in Mica)",
        ))
    });
    match outcome {
        Ok(instance) => instance,
        Err(error) => {
            if !trap.is_null() {
                // SAFETY: as above.
                guard((), || unsafe { trap.write(error.into_raw()) });
            }
            ptr::null_mut()
        }
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_instance_exports(
    instance: *const wasm_instance_t,
    out: *mut WasmVec<*mut Object>,
) {
    guard((), || {
        // SAFETY: header contract.
        let exports = match unsafe { borrow(instance, is_instance) }.and_then(|o| o.instance()) {
            Some((state, instance)) => {
                let externs = state.with(|cx| {
                    instance
                        .exports(cx.as_context())
                        .into_iter()
                        .map(|(_, e)| e)
                        .collect::<Vec<Extern>>()
                });
                let handles = externs.unwrap_or_default().into_iter().filter_map(|e| {
                    let entity = match e {
                        Extern::Func(f) => Entity::Func(f),
                        Extern::Global(g) => Entity::Global(g),
                        Extern::Table(t) => Entity::Table(t),
                        Extern::Memory(m) => Entity::Memory(m),
                        _ => return None,
                    };
                    Some(Object::entity(state, entity).into_raw())
                });
                vec::from_vec(handles.collect())
            }
            None => WasmVec::EMPTY,
        };
        // SAFETY: `out` is an out parameter (header contract).
        unsafe { vec::write_vec(out, exports) }
    })
}
