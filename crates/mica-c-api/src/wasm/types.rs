//! Type descriptions: value types, the four extern types (one Rust type, so that the
//! `as_externtype` conversions are the same pointer), import and export types.

use super::guard;
use super::vec::{self, Owned, WasmVec, declare_vec};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::ptr;
use mica_core::{FuncType, GlobalType, MemoryType, Mutability, TableType, ValType};

pub const WASM_I32: u8 = 0;
pub const WASM_I64: u8 = 1;
pub const WASM_F32: u8 = 2;
pub const WASM_F64: u8 = 3;
/// `WASM_ANYREF`: Mica's `externref`.
pub const WASM_ANYREF: u8 = 128;
pub const WASM_FUNCREF: u8 = 129;
/// `MICA_WASM_OTHER`: a type the standard has no kind for.
pub const WASM_OTHER: u8 = 255;

pub const WASM_EXTERN_FUNC: u8 = 0;
pub const WASM_EXTERN_GLOBAL: u8 = 1;
pub const WASM_EXTERN_TABLE: u8 = 2;
pub const WASM_EXTERN_MEMORY: u8 = 3;

/// The C kind of a Mica value type.
pub fn kind_of(ty: ValType) -> u8 {
    match ty {
        ValType::I32 => WASM_I32,
        ValType::I64 => WASM_I64,
        ValType::F32 => WASM_F32,
        ValType::F64 => WASM_F64,
        ValType::EXTERNREF => WASM_ANYREF,
        ValType::FUNCREF => WASM_FUNCREF,
        _ => WASM_OTHER,
    }
}

/// The Mica value type of a C kind (`None` for an unknown kind).
pub fn type_of(kind: u8) -> Option<ValType> {
    Some(match kind {
        WASM_I32 => ValType::I32,
        WASM_I64 => ValType::I64,
        WASM_F32 => ValType::F32,
        WASM_F64 => ValType::F64,
        WASM_ANYREF => ValType::EXTERNREF,
        WASM_FUNCREF => ValType::FUNCREF,
        _ => return None,
    })
}

/// `wasm_valtype_t`: a value type, with its C kind.
#[derive(Clone)]
pub struct wasm_valtype_t {
    pub kind: u8,
    pub ty: ValType,
}

impl wasm_valtype_t {
    pub fn new(ty: ValType) -> wasm_valtype_t {
        wasm_valtype_t {
            kind: kind_of(ty),
            ty,
        }
    }
}

impl Owned for wasm_valtype_t {
    fn copy_owned(&self) -> Self {
        self.clone()
    }
}

/// `wasm_limits_t`.
#[repr(C)]
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct wasm_limits_t {
    pub min: u32,
    pub max: u32,
}

const NO_MAX: u32 = u32::MAX;

impl wasm_limits_t {
    fn of(limits: mica_core::Limits) -> wasm_limits_t {
        let clamp = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
        wasm_limits_t {
            min: clamp(limits.min),
            max: limits.max.map_or(NO_MAX, clamp),
        }
    }
    fn max(&self) -> Option<u32> {
        (self.max != NO_MAX).then_some(self.max)
    }
}

/// `wasm_valtype_vec_t`.
pub type wasm_valtype_vec_t = WasmVec<*mut wasm_valtype_t>;

/// What an extern type describes.
pub enum TypeKind {
    /// The vectors own their value types.
    Func {
        params: wasm_valtype_vec_t,
        results: wasm_valtype_vec_t,
    },
    Global {
        content: Box<wasm_valtype_t>,
        mutability: u8,
    },
    Table {
        element: Box<wasm_valtype_t>,
        limits: wasm_limits_t,
    },
    Memory {
        limits: wasm_limits_t,
    },
}

/// `wasm_externtype_t`, and `wasm_functype_t`, `wasm_globaltype_t`, `wasm_tabletype_t`,
/// `wasm_memorytype_t`: the same type, of one kind or another.
pub struct wasm_externtype_t {
    pub kind: TypeKind,
}

pub type wasm_functype_t = wasm_externtype_t;
pub type wasm_globaltype_t = wasm_externtype_t;
pub type wasm_tabletype_t = wasm_externtype_t;
pub type wasm_memorytype_t = wasm_externtype_t;

fn valtypes(types: &[ValType]) -> wasm_valtype_vec_t {
    vec::from_vec(
        types
            .iter()
            .map(|t| Box::into_raw(Box::new(wasm_valtype_t::new(*t))))
            .collect(),
    )
}

/// The value types a vector owned by an extern type holds.
fn listed(types: &wasm_valtype_vec_t) -> impl Iterator<Item = &wasm_valtype_t> {
    // SAFETY: `types` is a vector of an extern type, built by this module (a boxed slice of
    // `size` elements, or empty), alive as long as the borrow.
    unsafe { vec::elements(types) }
        .unwrap_or(&[])
        .iter()
        // SAFETY: its elements are boxed value types it owns (non-null: checked on the way in).
        .filter_map(|t| unsafe { t.as_ref() })
}

impl wasm_externtype_t {
    pub fn func(ty: &FuncType) -> wasm_externtype_t {
        wasm_externtype_t {
            kind: TypeKind::Func {
                params: valtypes(ty.params()),
                results: valtypes(ty.results()),
            },
        }
    }

    pub fn global(ty: GlobalType) -> wasm_externtype_t {
        let mutability = match ty.mutability {
            Mutability::Const => 0,
            Mutability::Var => 1,
        };
        wasm_externtype_t {
            kind: TypeKind::Global {
                content: Box::new(wasm_valtype_t::new(ty.content)),
                mutability,
            },
        }
    }

    pub fn table(ty: TableType) -> wasm_externtype_t {
        let element = Box::new(wasm_valtype_t::new(ty.element.val_type()));
        wasm_externtype_t {
            kind: TypeKind::Table {
                element,
                limits: wasm_limits_t::of(ty.limits),
            },
        }
    }

    pub fn memory(ty: MemoryType) -> wasm_externtype_t {
        wasm_externtype_t {
            kind: TypeKind::Memory {
                limits: wasm_limits_t::of(ty.limits),
            },
        }
    }

    /// The C description of a Mica extern type (`None` for a tag, which C cannot name).
    pub fn of(ty: &mica_core::ExternType) -> Option<wasm_externtype_t> {
        Some(match ty {
            mica_core::ExternType::Func(f) => Self::func(f),
            mica_core::ExternType::Global(g) => Self::global(*g),
            mica_core::ExternType::Table(t) => Self::table(*t),
            mica_core::ExternType::Memory(m) => Self::memory(*m),
            _ => return None,
        })
    }

    pub fn c_kind(&self) -> u8 {
        match self.kind {
            TypeKind::Func { .. } => WASM_EXTERN_FUNC,
            TypeKind::Global { .. } => WASM_EXTERN_GLOBAL,
            TypeKind::Table { .. } => WASM_EXTERN_TABLE,
            TypeKind::Memory { .. } => WASM_EXTERN_MEMORY,
        }
    }

    /// The Mica function type, if this is a function type whose value types C can pass.
    pub fn to_func_type(&self) -> Result<FuncType, String> {
        let TypeKind::Func { params, results } = &self.kind else {
            return Err("not a function type".into());
        };
        let check = |t: &wasm_valtype_t| {
            if t.kind == WASM_OTHER {
                Err(alloc::format!(
                    "the C API cannot pass values of type {}",
                    t.ty
                ))
            } else {
                Ok(t.ty)
            }
        };
        let params: Vec<ValType> = listed(params).map(check).collect::<Result<_, _>>()?;
        let results: Vec<ValType> = listed(results).map(check).collect::<Result<_, _>>()?;
        Ok(FuncType::new(params, results))
    }

    pub fn to_global_type(&self) -> Option<GlobalType> {
        let TypeKind::Global {
            content,
            mutability,
        } = &self.kind
        else {
            return None;
        };
        let mutability = if *mutability == 0 {
            Mutability::Const
        } else {
            Mutability::Var
        };
        Some(GlobalType::new(content.ty, mutability))
    }

    pub fn to_table_type(&self) -> Option<TableType> {
        let TypeKind::Table { element, limits } = &self.kind else {
            return None;
        };
        Some(TableType::new(
            element.ty.as_ref()?,
            limits.min,
            limits.max(),
        ))
    }

    pub fn to_memory_type(&self) -> Option<MemoryType> {
        let TypeKind::Memory { limits } = &self.kind else {
            return None;
        };
        Some(MemoryType::new(limits.min, limits.max()))
    }
}

impl Owned for wasm_externtype_t {
    fn copy_owned(&self) -> Self {
        let kind = match &self.kind {
            TypeKind::Func { params, results } => {
                let copy = |v: &wasm_valtype_vec_t| {
                    vec::from_vec(
                        listed(v)
                            .map(|t| Box::into_raw(Box::new(t.clone())))
                            .collect(),
                    )
                };
                TypeKind::Func {
                    params: copy(params),
                    results: copy(results),
                }
            }
            TypeKind::Global {
                content,
                mutability,
            } => TypeKind::Global {
                content: content.clone(),
                mutability: *mutability,
            },
            TypeKind::Table { element, limits } => TypeKind::Table {
                element: element.clone(),
                limits: *limits,
            },
            TypeKind::Memory { limits } => TypeKind::Memory { limits: *limits },
        };
        wasm_externtype_t { kind }
    }
}

impl Drop for wasm_externtype_t {
    fn drop(&mut self) {
        if let TypeKind::Func { params, results } = &mut self.kind {
            // SAFETY: the vectors were built by this module and are owned by `self`.
            unsafe {
                vec::delete(params);
                vec::delete(results);
            }
        }
    }
}

/// Declares `wasm_X_delete` and `wasm_X_copy` for a boxed [`Owned`] type.
macro_rules! declare_owned {
    ($ty:ty, $delete:ident, $copy:ident) => {
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $delete(obj: *mut $ty) {
            if !obj.is_null() {
                // SAFETY: a non-null `obj` is a live box of this library the caller gives up.
                $crate::wasm::guard((), || drop(unsafe { Box::from_raw(obj) }))
            }
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $copy(obj: *const $ty) -> *mut $ty {
            // SAFETY: a non-null `obj` is a live object of this library.
            $crate::wasm::guard(core::ptr::null_mut(), || match unsafe { obj.as_ref() } {
                Some(obj) => Box::into_raw(Box::new($crate::wasm::vec::Owned::copy_owned(obj))),
                None => core::ptr::null_mut(),
            })
        }
    };
}
pub(crate) use declare_owned;

declare_owned!(wasm_valtype_t, wasm_valtype_delete, wasm_valtype_copy);
declare_owned!(wasm_externtype_t, wasm_functype_delete, wasm_functype_copy);
declare_owned!(
    wasm_externtype_t,
    wasm_globaltype_delete,
    wasm_globaltype_copy
);
declare_owned!(
    wasm_externtype_t,
    wasm_tabletype_delete,
    wasm_tabletype_copy
);
declare_owned!(
    wasm_externtype_t,
    wasm_memorytype_delete,
    wasm_memorytype_copy
);
declare_owned!(
    wasm_externtype_t,
    wasm_externtype_delete,
    wasm_externtype_copy
);

declare_vec!(
    *mut wasm_valtype_t,
    wasm_valtype_vec_new_empty,
    wasm_valtype_vec_new_uninitialized,
    wasm_valtype_vec_new,
    wasm_valtype_vec_copy,
    wasm_valtype_vec_delete
);
declare_vec!(
    *mut wasm_externtype_t,
    wasm_functype_vec_new_empty,
    wasm_functype_vec_new_uninitialized,
    wasm_functype_vec_new,
    wasm_functype_vec_copy,
    wasm_functype_vec_delete
);
declare_vec!(
    *mut wasm_externtype_t,
    wasm_globaltype_vec_new_empty,
    wasm_globaltype_vec_new_uninitialized,
    wasm_globaltype_vec_new,
    wasm_globaltype_vec_copy,
    wasm_globaltype_vec_delete
);
declare_vec!(
    *mut wasm_externtype_t,
    wasm_tabletype_vec_new_empty,
    wasm_tabletype_vec_new_uninitialized,
    wasm_tabletype_vec_new,
    wasm_tabletype_vec_copy,
    wasm_tabletype_vec_delete
);
declare_vec!(
    *mut wasm_externtype_t,
    wasm_memorytype_vec_new_empty,
    wasm_memorytype_vec_new_uninitialized,
    wasm_memorytype_vec_new,
    wasm_memorytype_vec_copy,
    wasm_memorytype_vec_delete
);
declare_vec!(
    *mut wasm_externtype_t,
    wasm_externtype_vec_new_empty,
    wasm_externtype_vec_new_uninitialized,
    wasm_externtype_vec_new,
    wasm_externtype_vec_copy,
    wasm_externtype_vec_delete
);

fn boxed<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

// --- value types ------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub extern "C" fn wasm_valtype_new(kind: u8) -> *mut wasm_valtype_t {
    guard(ptr::null_mut(), || match type_of(kind) {
        Some(ty) => boxed(wasm_valtype_t { kind, ty }),
        None => ptr::null_mut(),
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_valtype_kind(ty: *const wasm_valtype_t) -> u8 {
    guard(WASM_OTHER, || {
        // SAFETY: a non-null `ty` is a live value type (header contract).
        unsafe { ty.as_ref() }.map_or(WASM_OTHER, |t| t.kind)
    })
}

// --- function types -----------------------------------------------------------------------

/// Takes the value types of a vector the caller hands over, leaving it empty; `None` (with
/// the vector left to the caller) if it is invalid or holds a null element.
///
/// # Safety
/// A non-null `v` is a vector of this library the caller owns.
unsafe fn take_valtypes(v: *mut wasm_valtype_vec_t) -> Option<wasm_valtype_vec_t> {
    // SAFETY: forwarded.
    let items = unsafe { vec::elements(v) }?;
    if items.iter().any(|t| t.is_null()) {
        return None;
    }
    // SAFETY: `v` is non-null (elements returned `Some`) and owned by the caller, who hands
    // it over: its contents move here and it is left empty.
    Some(core::mem::replace(unsafe { &mut *v }, WasmVec::EMPTY))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_functype_new(
    params: *mut wasm_valtype_vec_t,
    results: *mut wasm_valtype_vec_t,
) -> *mut wasm_functype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: the vectors are the caller's to hand over (header contract). Both are
        // checked before either is taken.
        unsafe {
            if vec::elements(params).is_none_or(|p| p.iter().any(|t| t.is_null()))
                || vec::elements(results).is_none_or(|r| r.iter().any(|t| t.is_null()))
            {
                return ptr::null_mut();
            }
            match (take_valtypes(params), take_valtypes(results)) {
                (Some(params), Some(results)) => boxed(wasm_externtype_t {
                    kind: TypeKind::Func { params, results },
                }),
                _ => ptr::null_mut(),
            }
        }
    })
}

fn func_lists(
    ty: *const wasm_functype_t,
) -> Option<(&'static wasm_valtype_vec_t, &'static wasm_valtype_vec_t)> {
    // SAFETY: a non-null `ty` is a live type (header contract); the borrow is handed to C,
    // which may use it while the type lives.
    match unsafe { &ty.as_ref()?.kind } {
        TypeKind::Func { params, results } => Some((params, results)),
        _ => None,
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_functype_params(
    ty: *const wasm_functype_t,
) -> *const wasm_valtype_vec_t {
    guard(ptr::null(), || {
        func_lists(ty).map_or(ptr::null(), |(p, _)| p as *const _)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_functype_results(
    ty: *const wasm_functype_t,
) -> *const wasm_valtype_vec_t {
    guard(ptr::null(), || {
        func_lists(ty).map_or(ptr::null(), |(_, r)| r as *const _)
    })
}

// --- global, table and memory types -------------------------------------------------------

/// Takes a boxed value type the caller hands over.
///
/// # Safety
/// A non-null `ty` is a live value type the caller gives up.
unsafe fn take_valtype(ty: *mut wasm_valtype_t) -> Option<Box<wasm_valtype_t>> {
    // SAFETY: forwarded.
    (!ty.is_null()).then(|| unsafe { Box::from_raw(ty) })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_globaltype_new(
    content: *mut wasm_valtype_t,
    mutability: u8,
) -> *mut wasm_globaltype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: `content` is handed over (header contract).
        let Some(content) = (unsafe { take_valtype(content) }) else {
            return ptr::null_mut();
        };
        if mutability > 1 {
            return ptr::null_mut();
        }
        boxed(wasm_externtype_t {
            kind: TypeKind::Global {
                content,
                mutability,
            },
        })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_globaltype_content(
    ty: *const wasm_globaltype_t,
) -> *const wasm_valtype_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live type (header contract).
        match unsafe { ty.as_ref() }.map(|t| &t.kind) {
            Some(TypeKind::Global { content, .. }) => &**content as *const _,
            _ => ptr::null(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_globaltype_mutability(ty: *const wasm_globaltype_t) -> u8 {
    // SAFETY: a non-null `ty` is a live type (header contract).
    guard(0, || match unsafe { ty.as_ref() }.map(|t| &t.kind) {
        Some(TypeKind::Global { mutability, .. }) => *mutability,
        _ => 0,
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_tabletype_new(
    element: *mut wasm_valtype_t,
    limits: *const wasm_limits_t,
) -> *mut wasm_tabletype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: `element` is handed over (header contract).
        let Some(element) = (unsafe { take_valtype(element) }) else {
            return ptr::null_mut();
        };
        // SAFETY: a non-null `limits` is readable (header contract).
        let Some(limits) = (unsafe { limits.as_ref() }).copied() else {
            return ptr::null_mut();
        };
        if !element.ty.is_ref() || limits.max < limits.min {
            return ptr::null_mut();
        }
        boxed(wasm_externtype_t {
            kind: TypeKind::Table { element, limits },
        })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_tabletype_element(
    ty: *const wasm_tabletype_t,
) -> *const wasm_valtype_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live type (header contract).
        match unsafe { ty.as_ref() }.map(|t| &t.kind) {
            Some(TypeKind::Table { element, .. }) => &**element as *const _,
            _ => ptr::null(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_tabletype_limits(
    ty: *const wasm_tabletype_t,
) -> *const wasm_limits_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live type (header contract).
        match unsafe { ty.as_ref() }.map(|t| &t.kind) {
            Some(TypeKind::Table { limits, .. }) => limits as *const _,
            _ => ptr::null(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memorytype_new(
    limits: *const wasm_limits_t,
) -> *mut wasm_memorytype_t {
    guard(ptr::null_mut(), || {
        // SAFETY: a non-null `limits` is readable (header contract).
        match unsafe { limits.as_ref() } {
            Some(limits) if limits.max >= limits.min => boxed(wasm_externtype_t {
                kind: TypeKind::Memory { limits: *limits },
            }),
            _ => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_memorytype_limits(
    ty: *const wasm_memorytype_t,
) -> *const wasm_limits_t {
    guard(ptr::null(), || {
        // SAFETY: a non-null `ty` is a live type (header contract).
        match unsafe { ty.as_ref() }.map(|t| &t.kind) {
            Some(TypeKind::Memory { limits }) => limits as *const _,
            _ => ptr::null(),
        }
    })
}

// --- extern types -------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_externtype_kind(ty: *const wasm_externtype_t) -> u8 {
    guard(WASM_OTHER, || {
        // SAFETY: a non-null `ty` is a live type (header contract).
        unsafe { ty.as_ref() }.map_or(WASM_OTHER, |t| t.c_kind())
    })
}

/// Declares the conversions between an extern type and one of its kinds: the same pointer,
/// or null if the kind differs.
macro_rules! declare_type_casts {
    ($kind:expr, $to_extern:ident, $to_extern_const:ident, $from_extern:ident, $from_extern_const:ident) => {
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $to_extern(ty: *mut wasm_externtype_t) -> *mut wasm_externtype_t {
            // SAFETY: forwarded.
            unsafe { $from_extern(ty) }
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $to_extern_const(
            ty: *const wasm_externtype_t,
        ) -> *const wasm_externtype_t {
            // SAFETY: forwarded.
            unsafe { $from_extern(ty as *mut _) }
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $from_extern(
            ty: *mut wasm_externtype_t,
        ) -> *mut wasm_externtype_t {
            // SAFETY: a non-null `ty` is a live type (header contract).
            guard(ptr::null_mut(), || match unsafe { ty.as_ref() } {
                Some(t) if t.c_kind() == $kind => ty,
                _ => ptr::null_mut(),
            })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $from_extern_const(
            ty: *const wasm_externtype_t,
        ) -> *const wasm_externtype_t {
            // SAFETY: forwarded.
            unsafe { $from_extern(ty as *mut _) }
        }
    };
}

declare_type_casts!(
    WASM_EXTERN_FUNC,
    wasm_functype_as_externtype,
    wasm_functype_as_externtype_const,
    wasm_externtype_as_functype,
    wasm_externtype_as_functype_const
);
declare_type_casts!(
    WASM_EXTERN_GLOBAL,
    wasm_globaltype_as_externtype,
    wasm_globaltype_as_externtype_const,
    wasm_externtype_as_globaltype,
    wasm_externtype_as_globaltype_const
);
declare_type_casts!(
    WASM_EXTERN_TABLE,
    wasm_tabletype_as_externtype,
    wasm_tabletype_as_externtype_const,
    wasm_externtype_as_tabletype,
    wasm_externtype_as_tabletype_const
);
declare_type_casts!(
    WASM_EXTERN_MEMORY,
    wasm_memorytype_as_externtype,
    wasm_memorytype_as_externtype_const,
    wasm_externtype_as_memorytype,
    wasm_externtype_as_memorytype_const
);
