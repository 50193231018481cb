//! Values: `wasm_val_t`, its conversions to and from Mica's `Val`, and value vectors.

use super::guard;
use super::refs::{Entity, Object, borrow, is_any};
use super::store::StoreState;
use super::types::{
    WASM_ANYREF, WASM_F32, WASM_F64, WASM_FUNCREF, WASM_I32, WASM_I64, WASM_OTHER, kind_of,
};
use super::vec::{Elem, WasmVec, declare_vec};
use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use core::ptr;
use mica_core::{Val, ValType};

/// The `of` union of `wasm_val_t`.
#[repr(C)]
#[derive(Copy, Clone)]
pub union wasm_val_union {
    pub i32: i32,
    pub i64: i64,
    pub f32: f32,
    pub f64: f64,
    pub ref_: *mut Object,
}

/// `wasm_val_t`. A reference value owns its handle.
#[repr(C)]
#[derive(Copy, Clone)]
pub struct wasm_val_t {
    pub kind: u8,
    pub of: wasm_val_union,
}

pub type wasm_val_vec_t = WasmVec<wasm_val_t>;

impl wasm_val_t {
    /// `WASM_INIT_VAL`: a null reference, which owns nothing.
    pub const INIT: wasm_val_t = wasm_val_t {
        kind: WASM_ANYREF,
        of: wasm_val_union {
            ref_: ptr::null_mut(),
        },
    };

    fn is_ref(&self) -> bool {
        self.kind >= WASM_ANYREF
    }

    /// The handle a reference value holds (null for a number or a null reference).
    pub fn handle(&self) -> *mut Object {
        if self.is_ref() {
            // SAFETY: a value of a reference kind holds `ref_` (the layout's contract).
            unsafe { self.of.ref_ }
        } else {
            ptr::null_mut()
        }
    }
}

fn kind_name(kind: u8) -> &'static str {
    match kind {
        WASM_I32 => "i32",
        WASM_I64 => "i64",
        WASM_F32 => "f32",
        WASM_F64 => "f64",
        WASM_ANYREF => "anyref",
        WASM_FUNCREF => "funcref",
        _ => "an unknown kind",
    }
}

/// The C form of a Mica value of `state`'s store: owned (a reference gets a new handle).
pub fn to_c(state: &Rc<StoreState>, val: Val) -> Result<wasm_val_t, String> {
    let handle = |entity: Entity| Object::entity(state, entity).into_raw();
    Ok(match val {
        Val::I32(x) => wasm_val_t {
            kind: WASM_I32,
            of: wasm_val_union { i32: x },
        },
        Val::I64(x) => wasm_val_t {
            kind: WASM_I64,
            of: wasm_val_union { i64: x },
        },
        Val::F32(bits) => wasm_val_t {
            kind: WASM_F32,
            of: wasm_val_union {
                f32: f32::from_bits(bits),
            },
        },
        Val::F64(bits) => wasm_val_t {
            kind: WASM_F64,
            of: wasm_val_union {
                f64: f64::from_bits(bits),
            },
        },
        Val::FuncRef(f) => wasm_val_t {
            kind: WASM_FUNCREF,
            of: wasm_val_union {
                ref_: f.map_or(ptr::null_mut(), |f| handle(Entity::Func(f))),
            },
        },
        Val::ExternRef(r) => wasm_val_t {
            kind: WASM_ANYREF,
            of: wasm_val_union {
                ref_: r.map_or(ptr::null_mut(), |r| handle(Entity::Ref(r))),
            },
        },
        other => {
            return Err(format!(
                "the C API cannot represent a value of type {}",
                other.ty()
            ));
        }
    })
}

/// The Mica value of type `ty` a C value (borrowed) stands for, in `state`'s store.
///
/// # Safety
/// A reference value's non-null handle is a live handle of this library.
pub unsafe fn from_c(state: &Rc<StoreState>, val: &wasm_val_t, ty: ValType) -> Result<Val, String> {
    let want = kind_of(ty);
    if want == WASM_OTHER {
        return Err(format!("the C API cannot pass a value of type {ty}"));
    }
    if val.kind != want {
        return Err(format!(
            "expected a value of kind {}, got {}",
            kind_name(want),
            kind_name(val.kind)
        ));
    }
    // SAFETY: the union member read is the one `kind` names (checked above: `kind == want`).
    Ok(unsafe {
        match want {
            WASM_I32 => Val::I32(val.of.i32),
            WASM_I64 => Val::I64(val.of.i64),
            WASM_F32 => Val::F32(val.of.f32.to_bits()),
            WASM_F64 => Val::F64(val.of.f64.to_bits()),
            _ => return from_c_ref(state, val.of.ref_, ty),
        }
    })
}

/// The Mica reference of type `ty` (funcref or externref) a C handle (borrowed; null for
/// the null reference) stands for.
///
/// # Safety
/// A non-null `handle` is a live handle of this library.
pub unsafe fn from_c_ref(
    state: &Rc<StoreState>,
    handle: *const Object,
    ty: ValType,
) -> Result<Val, String> {
    let funcref = kind_of(ty) == WASM_FUNCREF;
    // SAFETY: forwarded.
    let Some(obj) = (unsafe { borrow(handle, is_any) }) else {
        return Ok(if funcref {
            Val::FuncRef(None)
        } else {
            Val::ExternRef(None)
        });
    };
    let Some((owner, entity)) = obj.as_entity() else {
        return Err("a trap or module is not a reference wasm can hold".into());
    };
    if !Rc::ptr_eq(owner, state) {
        return Err("the reference belongs to another store".into());
    }
    match (entity, funcref) {
        (Entity::Func(f), true) => Ok(Val::FuncRef(Some(f))),
        (Entity::Ref(r), false) => Ok(Val::ExternRef(Some(r))),
        _ if funcref => Err("expected a function reference".into()),
        _ => Err("expected a host reference (anyref); functions, globals, tables, memories and instances are not".into()),
    }
}

impl Elem for wasm_val_t {
    fn zeroed() -> wasm_val_t {
        wasm_val_t::INIT
    }

    unsafe fn copy_elem(&self) -> wasm_val_t {
        let handle = self.handle();
        if handle.is_null() {
            return *self;
        }
        // SAFETY: a reference value's non-null handle is live (the caller's guarantee).
        let copy = unsafe { (*handle).clone() }.into_raw();
        wasm_val_t {
            kind: self.kind,
            of: wasm_val_union { ref_: copy },
        }
    }

    unsafe fn delete_elem(&mut self) {
        let handle = self.handle();
        if !handle.is_null() {
            // SAFETY: the value owns its handle (the caller's guarantee); it is freed once and
            // the value is left holding null.
            drop(unsafe { Box::from_raw(handle) });
            self.of.ref_ = ptr::null_mut();
        }
    }
}

declare_vec!(
    wasm_val_t,
    wasm_val_vec_new_empty,
    wasm_val_vec_new_uninitialized,
    wasm_val_vec_new,
    wasm_val_vec_copy,
    wasm_val_vec_delete
);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_val_delete(val: *mut wasm_val_t) {
    guard((), || {
        // SAFETY: a non-null `val` is a value the caller owns (header contract).
        if let Some(val) = unsafe { val.as_mut() } {
            // SAFETY: as above.
            unsafe { val.delete_elem() }
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_val_copy(out: *mut wasm_val_t, val: *const wasm_val_t) {
    guard((), || {
        if out.is_null() {
            return;
        }
        // SAFETY: a non-null `val` is a valid value (header contract); `out` is writable.
        unsafe {
            let copy = match val.as_ref() {
                Some(val) => val.copy_elem(),
                None => wasm_val_t::INIT,
            };
            out.write(copy)
        }
    })
}
