//! Globals, tables, memories, and externs (the four as imports and exports see them).

use super::guard;
use super::refs::{
    Entity, Object, borrow, declare_ref, is_extern, is_func, is_global, is_memory, is_table,
    wasm_extern_t, wasm_global_t, wasm_memory_t, wasm_ref_t, wasm_table_t,
};
use super::store::{Finalizer, StoreState, state_of, wasm_store_t};
use super::types::{
    WASM_EXTERN_FUNC, WASM_EXTERN_GLOBAL, WASM_EXTERN_MEMORY, WASM_EXTERN_TABLE, WASM_OTHER,
    kind_of, wasm_externtype_t, wasm_globaltype_t, wasm_memorytype_t, wasm_tabletype_t,
};
use super::val::{from_c, from_c_ref, to_c, wasm_val_t};
use super::vec::{Owned, declare_vec};
use alloc::boxed::Box;
use alloc::rc::Rc;
use core::ffi::c_void;
use core::ptr;
use mica_core::{AsContext, Global, Memory, Table};

impl Owned for Object {
    fn copy_owned(&self) -> Self {
        self.clone()
    }
}

fn boxed_type(ty: wasm_externtype_t) -> *mut wasm_externtype_t {
    Box::into_raw(Box::new(ty))
}

// --- globals ------------------------------------------------------------------------------

declare_ref!(
    is_global,
    wasm_global_delete,
    wasm_global_copy,
    wasm_global_same,
    wasm_global_get_host_info,
    wasm_global_set_host_info,
    wasm_global_set_host_info_with_finalizer,
    wasm_global_as_ref,
    wasm_global_as_ref_const,
    wasm_ref_as_global,
    wasm_ref_as_global_const
);

/// The global behind a handle the caller lends.
///
/// # Safety
/// A non-null `global` is a live handle.
unsafe fn global_of<'a>(global: *const wasm_global_t) -> Option<(&'a Rc<StoreState>, Global)> {
    // SAFETY: forwarded.
    unsafe { borrow(global, is_global) }?.global()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_global_new(
    store: *mut wasm_store_t,
    ty: *const wasm_globaltype_t,
    val: *const wasm_val_t,
) -> *mut wasm_global_t {
    guard(ptr::null_mut(), || {
        let (Some(state), Some(ty), Some(val)) =
            // SAFETY: non-null arguments are live (header contract).
            (unsafe { state_of(store) }, unsafe { ty.as_ref() }, unsafe {
                val.as_ref()
            })
        else {
            return ptr::null_mut();
        };
        let Some(ty) = ty.to_global_type() else {
            return ptr::null_mut();
        };
        // SAFETY: the value's handle, if any, is live (header contract).
        let Ok(value) = (unsafe { from_c(&state, val, ty.content) }) else {
            return ptr::null_mut();
        };
        match state.with(|cx| Global::new(cx, ty, value)) {
            Ok(Ok(global)) => Object::entity(&state, Entity::Global(global)).into_raw(),
            _ => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_global_type(global: *const wasm_global_t) -> *mut wasm_globaltype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: header contract.
        let Some((state, g)) = (unsafe { global_of(global) }) else {
            return ptr::null_mut();
        };
        match state.with(|cx| g.ty(&cx)) {
            Ok(Ok(ty)) => boxed_type(wasm_externtype_t::global(ty)),
            _ => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_global_get(global: *const wasm_global_t, out: *mut wasm_val_t) {
    guard((), || {
        if out.is_null() {
            return;
        }
        // SAFETY: header contract.
        let value = unsafe { global_of(global) }
            .and_then(|(state, g)| match state.with(|cx| g.get(&cx)) {
                Ok(Ok(v)) => to_c(state, v).ok(),
                _ => None,
            })
            .unwrap_or(wasm_val_t::INIT);
        // SAFETY: `out` is a writable out parameter (header contract).
        unsafe { out.write(value) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_global_set(global: *mut wasm_global_t, val: *const wasm_val_t) {
    guard((), || {
        // SAFETY: header contract.
        let (Some((state, g)), Some(val)) = (unsafe { global_of(global) }, unsafe { val.as_ref() })
        else {
            return;
        };
        let Ok(Ok(ty)) = state.with(|cx| g.ty(&cx)) else {
            return;
        };
        // SAFETY: the value's handle, if any, is live (header contract).
        if let Ok(value) = unsafe { from_c(state, val, ty.content) } {
            let _ = state.with(|cx| g.set(cx, value));
        }
    })
}

// --- tables -------------------------------------------------------------------------------

declare_ref!(
    is_table,
    wasm_table_delete,
    wasm_table_copy,
    wasm_table_same,
    wasm_table_get_host_info,
    wasm_table_set_host_info,
    wasm_table_set_host_info_with_finalizer,
    wasm_table_as_ref,
    wasm_table_as_ref_const,
    wasm_ref_as_table,
    wasm_ref_as_table_const
);

/// The table behind a handle the caller lends.
///
/// # Safety
/// A non-null `table` is a live handle.
unsafe fn table_of<'a>(table: *const wasm_table_t) -> Option<(&'a Rc<StoreState>, Table)> {
    // SAFETY: forwarded.
    unsafe { borrow(table, is_table) }?.table()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_table_new(
    store: *mut wasm_store_t,
    ty: *const wasm_tabletype_t,
    init: *mut wasm_ref_t,
) -> *mut wasm_table_t {
    guard(ptr::null_mut(), || {
        // SAFETY: non-null arguments are live (header contract).
        let (Some(state), Some(ty)) = (unsafe { state_of(store) }, unsafe { ty.as_ref() }) else {
            return ptr::null_mut();
        };
        let Some(ty) = ty.to_table_type() else {
            return ptr::null_mut();
        };
        if kind_of(ty.element.val_type()) == WASM_OTHER {
            return ptr::null_mut();
        }
        // SAFETY: a non-null `init` is a live handle (header contract).
        let Ok(init) = (unsafe { from_c_ref(&state, init, ty.element.val_type()) }) else {
            return ptr::null_mut();
        };
        match state.with(|cx| Table::new(cx, ty, init)) {
            Ok(Ok(table)) => Object::entity(&state, Entity::Table(table)).into_raw(),
            _ => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_table_type(table: *const wasm_table_t) -> *mut wasm_tabletype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: header contract.
        let Some((state, t)) = (unsafe { table_of(table) }) else {
            return ptr::null_mut();
        };
        match state.with(|cx| t.ty(&cx)) {
            Ok(Ok(ty)) => boxed_type(wasm_externtype_t::table(ty)),
            _ => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_table_get(table: *const wasm_table_t, index: u32) -> *mut wasm_ref_t {
    guard(ptr::null_mut(), || {
        // SAFETY: header contract.
        let Some((state, t)) = (unsafe { table_of(table) }) else {
            return ptr::null_mut();
        };
        match state.with(|cx| t.get(&cx, u64::from(index))) {
            Ok(Ok(Some(v))) => to_c(state, v).map_or(ptr::null_mut(), |v| v.handle()),
            _ => ptr::null_mut(),
        }
    })
}

/// The Mica reference a C handle (borrowed) stands for in a table's element type.
///
/// # Safety
/// A non-null `r` is a live handle.
unsafe fn element_of(
    state: &Rc<StoreState>,
    t: Table,
    r: *const wasm_ref_t,
) -> Option<mica_core::Val> {
    let Ok(Ok(ty)) = state.with(|cx| t.ty(&cx)) else {
        return None;
    };
    // SAFETY: forwarded.
    unsafe { from_c_ref(state, r, ty.element.val_type()) }.ok()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_table_set(
    table: *mut wasm_table_t,
    index: u32,
    r: *mut wasm_ref_t,
) -> bool {
    guard(false, || {
        // SAFETY: header contract.
        let Some((state, t)) = (unsafe { table_of(table) }) else {
            return false;
        };
        // SAFETY: header contract.
        let Some(value) = (unsafe { element_of(state, t, r) }) else {
            return false;
        };
        matches!(
            state.with(|cx| t.set(cx, u64::from(index), value)),
            Ok(Ok(()))
        )
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_table_size(table: *const wasm_table_t) -> u32 {
    guard(0, || {
        // SAFETY: header contract.
        let Some((state, t)) = (unsafe { table_of(table) }) else {
            return 0;
        };
        match state.with(|cx| t.size(&cx)) {
            Ok(Ok(size)) => u32::try_from(size).unwrap_or(u32::MAX),
            _ => 0,
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_table_grow(
    table: *mut wasm_table_t,
    delta: u32,
    init: *mut wasm_ref_t,
) -> bool {
    guard(false, || {
        // SAFETY: header contract.
        let Some((state, t)) = (unsafe { table_of(table) }) else {
            return false;
        };
        // SAFETY: header contract.
        let Some(value) = (unsafe { element_of(state, t, init) }) else {
            return false;
        };
        matches!(
            state.with(|cx| t.grow(cx, u64::from(delta), value)),
            Ok(Ok(_))
        )
    })
}

// --- memories -----------------------------------------------------------------------------

declare_ref!(
    is_memory,
    wasm_memory_delete,
    wasm_memory_copy,
    wasm_memory_same,
    wasm_memory_get_host_info,
    wasm_memory_set_host_info,
    wasm_memory_set_host_info_with_finalizer,
    wasm_memory_as_ref,
    wasm_memory_as_ref_const,
    wasm_ref_as_memory,
    wasm_ref_as_memory_const
);

/// The memory behind a handle the caller lends.
///
/// # Safety
/// A non-null `memory` is a live handle.
unsafe fn memory_of<'a>(memory: *const wasm_memory_t) -> Option<(&'a Rc<StoreState>, Memory)> {
    // SAFETY: forwarded.
    unsafe { borrow(memory, is_memory) }?.memory()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memory_new(
    store: *mut wasm_store_t,
    ty: *const wasm_memorytype_t,
) -> *mut wasm_memory_t {
    guard(ptr::null_mut(), || {
        // SAFETY: non-null arguments are live (header contract).
        let (Some(state), Some(ty)) = (unsafe { state_of(store) }, unsafe { ty.as_ref() }) else {
            return ptr::null_mut();
        };
        let Some(ty) = ty.to_memory_type() else {
            return ptr::null_mut();
        };
        match state.with(|cx| Memory::new(cx, ty)) {
            Ok(Ok(memory)) => Object::entity(&state, Entity::Memory(memory)).into_raw(),
            _ => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memory_type(memory: *const wasm_memory_t) -> *mut wasm_memorytype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: header contract.
        let Some((state, m)) = (unsafe { memory_of(memory) }) else {
            return ptr::null_mut();
        };
        match state.with(|cx| m.ty(&cx)) {
            Ok(Ok(ty)) => boxed_type(wasm_externtype_t::memory(ty)),
            _ => ptr::null_mut(),
        }
    })
}

/// The memory's bytes: where they start and how many.
///
/// # Safety
/// A non-null `memory` is a live handle.
unsafe fn memory_bytes(memory: *const wasm_memory_t) -> Option<(*mut u8, usize)> {
    // SAFETY: forwarded.
    let (state, m) = unsafe { memory_of(memory) }?;
    match state.with(|cx| m.data_mut(cx).map(|d| (d.as_mut_ptr(), d.len()))) {
        Ok(Ok(bytes)) => Some(bytes),
        _ => None,
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memory_data(memory: *mut wasm_memory_t) -> *mut u8 {
    guard(ptr::null_mut(), || {
        // SAFETY: header contract.
        unsafe { memory_bytes(memory) }.map_or(ptr::null_mut(), |(p, _)| p)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memory_data_size(memory: *const wasm_memory_t) -> usize {
    guard(0, || {
        // SAFETY: header contract.
        unsafe { memory_bytes(memory) }.map_or(0, |(_, len)| len)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memory_size(memory: *const wasm_memory_t) -> u32 {
    guard(0, || {
        // SAFETY: header contract.
        let Some((state, m)) = (unsafe { memory_of(memory) }) else {
            return 0;
        };
        match state.with(|cx| m.size(&cx)) {
            Ok(Ok(pages)) => u32::try_from(pages).unwrap_or(u32::MAX),
            _ => 0,
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memory_grow(memory: *mut wasm_memory_t, delta: u32) -> bool {
    guard(false, || {
        // SAFETY: header contract.
        let Some((state, m)) = (unsafe { memory_of(memory) }) else {
            return false;
        };
        matches!(state.with(|cx| m.grow(cx, u64::from(delta))), Ok(Ok(_)))
    })
}

// --- externs ------------------------------------------------------------------------------

declare_ref!(
    is_extern,
    wasm_extern_delete,
    wasm_extern_copy,
    wasm_extern_same,
    wasm_extern_get_host_info,
    wasm_extern_set_host_info,
    wasm_extern_set_host_info_with_finalizer,
    wasm_extern_as_ref,
    wasm_extern_as_ref_const,
    wasm_ref_as_extern,
    wasm_ref_as_extern_const
);

declare_vec!(
    *mut Object,
    wasm_extern_vec_new_empty,
    wasm_extern_vec_new_uninitialized,
    wasm_extern_vec_new,
    wasm_extern_vec_copy,
    wasm_extern_vec_delete
);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_extern_kind(ext: *const wasm_extern_t) -> u8 {
    guard(WASM_OTHER, || {
        // SAFETY: header contract.
        match unsafe { borrow(ext, is_extern) }.and_then(|o| o.as_entity()) {
            Some((_, Entity::Func(_))) => WASM_EXTERN_FUNC,
            Some((_, Entity::Global(_))) => WASM_EXTERN_GLOBAL,
            Some((_, Entity::Table(_))) => WASM_EXTERN_TABLE,
            Some((_, Entity::Memory(_))) => WASM_EXTERN_MEMORY,
            _ => WASM_OTHER,
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_extern_type(ext: *const wasm_extern_t) -> *mut wasm_externtype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: header contract.
        let Some((state, entity)) = (unsafe { borrow(ext, is_extern) }).and_then(|o| o.as_entity())
        else {
            return ptr::null_mut();
        };
        let ty = state.with(|cx| {
            let cx = cx.as_context();
            match entity {
                Entity::Func(f) => Some(wasm_externtype_t::func(&f.ty(&cx))),
                Entity::Global(g) => g.ty(&cx).ok().map(wasm_externtype_t::global),
                Entity::Table(t) => t.ty(&cx).ok().map(|mut ty| {
                    ty.limits.min = t.size(&cx).unwrap_or(ty.limits.min);
                    wasm_externtype_t::table(ty)
                }),
                Entity::Memory(m) => m.ty(&cx).ok().map(|mut ty| {
                    ty.limits.min = m.size(&cx).unwrap_or(ty.limits.min);
                    wasm_externtype_t::memory(ty)
                }),
                _ => None,
            }
        });
        match ty {
            Ok(Some(ty)) => boxed_type(ty),
            _ => ptr::null_mut(),
        }
    })
}

/// Declares a kind's conversions to and from `wasm_extern_t`: the same pointer, or null
/// for a handle of another kind.
macro_rules! declare_extern_casts {
    ($is:path, $to:ident, $to_const:ident, $from:ident, $from_const:ident) => {
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $to(obj: *mut Object) -> *mut Object {
            // SAFETY: forwarded.
            unsafe { $from(obj) }
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $to_const(obj: *const Object) -> *const Object {
            // SAFETY: forwarded.
            unsafe { $from(obj as *mut Object) }
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $from(obj: *mut Object) -> *mut Object {
            // SAFETY: a non-null `obj` is a live handle (header contract).
            guard(ptr::null_mut(), || match unsafe { borrow(obj, $is) } {
                Some(_) => obj,
                None => ptr::null_mut(),
            })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $from_const(obj: *const Object) -> *const Object {
            // SAFETY: forwarded.
            unsafe { $from(obj as *mut Object) }
        }
    };
}

declare_extern_casts!(
    is_func,
    wasm_func_as_extern,
    wasm_func_as_extern_const,
    wasm_extern_as_func,
    wasm_extern_as_func_const
);
declare_extern_casts!(
    is_global,
    wasm_global_as_extern,
    wasm_global_as_extern_const,
    wasm_extern_as_global,
    wasm_extern_as_global_const
);
declare_extern_casts!(
    is_table,
    wasm_table_as_extern,
    wasm_table_as_extern_const,
    wasm_extern_as_table,
    wasm_extern_as_table_const
);
declare_extern_casts!(
    is_memory,
    wasm_memory_as_extern,
    wasm_memory_as_extern_const,
    wasm_extern_as_memory,
    wasm_extern_as_memory_const
);
