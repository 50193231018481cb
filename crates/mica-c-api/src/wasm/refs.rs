//! Runtime objects and references: one Rust type, [`Object`], behind `wasm_ref_t`,
//! `wasm_func_t`, `wasm_global_t`, `wasm_table_t`, `wasm_memory_t`, `wasm_extern_t`,
//! `wasm_instance_t`, `wasm_foreign_t`, `wasm_trap_t` and `wasm_module_t`, so that the
//! `as_ref`/`as_extern` conversions are views of the same handle. Their common functions
//! (`delete`, `copy`, `same`, host info, conversions) are declared here for each name.

use super::guard;
use super::module::ModuleData;
use super::store::{Finalizer, HostInfo, StoreState, state_of, wasm_store_t};
use super::trap::TrapData;
use alloc::boxed::Box;
use alloc::rc::Rc;
use core::cell::RefCell;
use core::ffi::c_void;
use core::ptr;
use mica_core::{ExternRef, Func, Global, Instance, Memory, Table};

/// An object of a store, as Mica names it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    Func(Func),
    Global(Global),
    Table(Table),
    Memory(Memory),
    Instance(Instance),
    /// A non-null `externref`: a foreign object (or another host reference).
    Ref(ExternRef),
}

/// The payload of a foreign object's `externref`.
pub struct Foreign;

/// What a handle refers to.
#[derive(Clone)]
pub enum ObjKind {
    /// An object of a store; the handle keeps the store's state alive.
    Entity {
        state: Rc<StoreState>,
        entity: Entity,
    },
    Trap(Rc<TrapData>),
    Module(Rc<ModuleData>),
}

/// A handle to a runtime object (every `wasm_X_t` of `WASM_DECLARE_REF`'s kinds).
#[derive(Clone)]
pub struct Object {
    pub kind: ObjKind,
}

pub type wasm_ref_t = Object;
pub type wasm_func_t = Object;
pub type wasm_global_t = Object;
pub type wasm_table_t = Object;
pub type wasm_memory_t = Object;
pub type wasm_extern_t = Object;
pub type wasm_instance_t = Object;
pub type wasm_foreign_t = Object;
pub type wasm_trap_t = Object;
pub type wasm_module_t = Object;

impl Object {
    pub fn entity(state: &Rc<StoreState>, entity: Entity) -> Object {
        Object {
            kind: ObjKind::Entity {
                state: state.clone(),
                entity,
            },
        }
    }

    /// A new owned handle, for C.
    pub fn into_raw(self) -> *mut Object {
        Box::into_raw(Box::new(self))
    }

    /// The store object this handle refers to, if it is one.
    pub fn as_entity(&self) -> Option<(&Rc<StoreState>, Entity)> {
        match &self.kind {
            ObjKind::Entity { state, entity } => Some((state, *entity)),
            _ => None,
        }
    }

    pub fn func(&self) -> Option<(&Rc<StoreState>, Func)> {
        match self.as_entity()? {
            (state, Entity::Func(f)) => Some((state, f)),
            _ => None,
        }
    }

    pub fn global(&self) -> Option<(&Rc<StoreState>, Global)> {
        match self.as_entity()? {
            (state, Entity::Global(g)) => Some((state, g)),
            _ => None,
        }
    }

    pub fn table(&self) -> Option<(&Rc<StoreState>, Table)> {
        match self.as_entity()? {
            (state, Entity::Table(t)) => Some((state, t)),
            _ => None,
        }
    }

    pub fn memory(&self) -> Option<(&Rc<StoreState>, Memory)> {
        match self.as_entity()? {
            (state, Entity::Memory(m)) => Some((state, m)),
            _ => None,
        }
    }

    pub fn instance(&self) -> Option<(&Rc<StoreState>, Instance)> {
        match self.as_entity()? {
            (state, Entity::Instance(i)) => Some((state, i)),
            _ => None,
        }
    }

    /// Whether two handles name the same object.
    pub fn same(&self, other: &Object) -> bool {
        match (&self.kind, &other.kind) {
            (
                ObjKind::Entity {
                    state: s1,
                    entity: e1,
                },
                ObjKind::Entity {
                    state: s2,
                    entity: e2,
                },
            ) => Rc::ptr_eq(s1, s2) && e1 == e2,
            (ObjKind::Trap(a), ObjKind::Trap(b)) => Rc::ptr_eq(a, b),
            (ObjKind::Module(a), ObjKind::Module(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }

    fn info_cell(&self) -> Option<&RefCell<HostInfo>> {
        match &self.kind {
            ObjKind::Entity { .. } => None,
            ObjKind::Trap(t) => Some(&t.info),
            ObjKind::Module(m) => Some(&m.info),
        }
    }

    pub fn host_info(&self) -> *mut c_void {
        match &self.kind {
            ObjKind::Entity { state, entity } => state.host_info(*entity),
            _ => self
                .info_cell()
                .map_or(ptr::null_mut(), |c| c.borrow().info),
        }
    }

    pub fn set_host_info(&self, info: *mut c_void, finalizer: Finalizer) {
        let info = HostInfo { info, finalizer };
        match &self.kind {
            ObjKind::Entity { state, entity } => state.set_host_info(*entity, info),
            _ => {
                if let Some(cell) = self.info_cell() {
                    let mut previous = core::mem::replace(&mut *cell.borrow_mut(), info);
                    previous.finalizer = None;
                }
            }
        }
    }
}

/// Whether a handle is of each C kind, for the `ref_as_X` and `extern_as_X` conversions.
pub fn is_func(o: &Object) -> bool {
    o.func().is_some()
}
pub fn is_global(o: &Object) -> bool {
    o.global().is_some()
}
pub fn is_table(o: &Object) -> bool {
    o.table().is_some()
}
pub fn is_memory(o: &Object) -> bool {
    o.memory().is_some()
}
pub fn is_instance(o: &Object) -> bool {
    o.instance().is_some()
}
pub fn is_extern(o: &Object) -> bool {
    is_func(o) || is_global(o) || is_table(o) || is_memory(o)
}
pub fn is_foreign(o: &Object) -> bool {
    matches!(o.as_entity(), Some((_, Entity::Ref(_))))
}
pub fn is_trap(o: &Object) -> bool {
    matches!(o.kind, ObjKind::Trap(_))
}
pub fn is_module(o: &Object) -> bool {
    matches!(o.kind, ObjKind::Module(_))
}
pub fn is_any(_: &Object) -> bool {
    true
}

/// The object behind a handle the caller lends, if it is of the kind `is` accepts.
///
/// # Safety
/// A non-null `obj` is a live handle of this library.
pub unsafe fn borrow<'a>(obj: *const Object, is: fn(&Object) -> bool) -> Option<&'a Object> {
    // SAFETY: forwarded.
    unsafe { obj.as_ref() }.filter(|o| is(o))
}

/// Declares the functions of `WASM_DECLARE_REF_BASE` for a kind of handle.
macro_rules! declare_ref_base {
    ($is:path, $delete:ident, $copy:ident, $same:ident, $get_info:ident, $set_info:ident, $set_info_fin:ident) => {
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $delete(obj: *mut Object) {
            if !obj.is_null() {
                // SAFETY: a non-null `obj` is a live handle the caller gives up (header
                // contract).
                guard((), || drop(unsafe { Box::from_raw(obj) }))
            }
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $copy(obj: *const Object) -> *mut Object {
            // SAFETY: a non-null `obj` is a live handle (header contract).
            guard(ptr::null_mut(), || match unsafe { borrow(obj, $is) } {
                Some(o) => o.clone().into_raw(),
                None => ptr::null_mut(),
            })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $same(a: *const Object, b: *const Object) -> bool {
            guard(false, || {
                // SAFETY: non-null arguments are live handles (header contract).
                match unsafe { (borrow(a, $is), borrow(b, $is)) } {
                    (Some(a), Some(b)) => a.same(b),
                    _ => false,
                }
            })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $get_info(obj: *const Object) -> *mut c_void {
            guard(ptr::null_mut(), || {
                // SAFETY: a non-null `obj` is a live handle (header contract).
                unsafe { borrow(obj, $is) }.map_or(ptr::null_mut(), |o| o.host_info())
            })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $set_info(obj: *mut Object, info: *mut c_void) {
            guard((), || {
                // SAFETY: a non-null `obj` is a live handle (header contract).
                if let Some(o) = unsafe { borrow(obj, $is) } {
                    o.set_host_info(info, None)
                }
            })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $set_info_fin(
            obj: *mut Object,
            info: *mut c_void,
            finalizer: Finalizer,
        ) {
            guard((), || {
                // SAFETY: a non-null `obj` is a live handle (header contract).
                if let Some(o) = unsafe { borrow(obj, $is) } {
                    o.set_host_info(info, finalizer)
                }
            })
        }
    };
}
pub(crate) use declare_ref_base;

/// Declares the functions of `WASM_DECLARE_REF`: those of the base, and the conversions to
/// and from `wasm_ref_t` (the same pointer, or null for a handle of another kind).
macro_rules! declare_ref {
    ($is:path, $delete:ident, $copy:ident, $same:ident, $get_info:ident, $set_info:ident, $set_info_fin:ident,
     $as_ref:ident, $as_ref_const:ident, $from_ref:ident, $from_ref_const:ident) => {
        $crate::wasm::refs::declare_ref_base!(
            $is,
            $delete,
            $copy,
            $same,
            $get_info,
            $set_info,
            $set_info_fin
        );

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $as_ref(obj: *mut Object) -> *mut Object {
            // SAFETY: forwarded.
            unsafe { $from_ref(obj) }
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $as_ref_const(obj: *const Object) -> *const Object {
            // SAFETY: forwarded.
            unsafe { $from_ref(obj as *mut Object) }
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $from_ref(obj: *mut Object) -> *mut Object {
            // SAFETY: a non-null `obj` is a live handle (header contract).
            guard(ptr::null_mut(), || match unsafe { borrow(obj, $is) } {
                Some(_) => obj,
                None => ptr::null_mut(),
            })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $from_ref_const(obj: *const Object) -> *const Object {
            // SAFETY: forwarded.
            unsafe { $from_ref(obj as *mut Object) }
        }
    };
}
pub(crate) use declare_ref;

declare_ref_base!(
    is_any,
    wasm_ref_delete,
    wasm_ref_copy,
    wasm_ref_same,
    wasm_ref_get_host_info,
    wasm_ref_set_host_info,
    wasm_ref_set_host_info_with_finalizer
);

declare_ref!(
    is_foreign,
    wasm_foreign_delete,
    wasm_foreign_copy,
    wasm_foreign_same,
    wasm_foreign_get_host_info,
    wasm_foreign_set_host_info,
    wasm_foreign_set_host_info_with_finalizer,
    wasm_foreign_as_ref,
    wasm_foreign_as_ref_const,
    wasm_ref_as_foreign,
    wasm_ref_as_foreign_const
);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_foreign_new(store: *mut wasm_store_t) -> *mut wasm_foreign_t {
    guard(ptr::null_mut(), || {
        // SAFETY: a non-null `store` is a live store (header contract).
        let Some(state) = (unsafe { state_of(store) }) else {
            return ptr::null_mut();
        };
        match state.with(|cx| ExternRef::new(cx, Foreign)) {
            Ok(r) => Object::entity(&state, Entity::Ref(r)).into_raw(),
            Err(_) => ptr::null_mut(),
        }
    })
}
