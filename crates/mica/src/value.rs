//! Runtime values: the typed [`Val`] that crosses the API, and the untyped 64-bit cell the
//! interpreter keeps in its value stack.

use crate::exception::ExnRef;
use crate::func::Func;
use crate::store::{ExternRef, StoreId, StoreInner};
use crate::cell::{Cell, ref_index};
use crate::gc::{AnyCell, AnyRef};
use crate::types::{HeapType, ValType};

/// A WebAssembly value as the embedder sees it.
///
/// Floats are kept as bit patterns so that NaN payloads survive a round trip through the API.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Val {
    I32(i32),
    I64(i64),
    /// An `f32`, as its bit pattern.
    F32(u32),
    /// An `f64`, as its bit pattern.
    F64(u64),
    /// A 128-bit vector.
    V128(V128),
    FuncRef(Option<Func>),
    ExternRef(Option<ExternRef>),
    /// A reference to an exception (`exnref`).
    ExnRef(Option<ExnRef>),
    /// A reference of GC's `any` hierarchy: a struct, an array, an `i31`, or a host object
    /// converted from `extern`.
    AnyRef(Option<AnyRef>),
}

impl Val {
    pub fn f32(x: f32) -> Val {
        Val::F32(x.to_bits())
    }

    pub fn f64(x: f64) -> Val {
        Val::F64(x.to_bits())
    }

    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
            Val::ExnRef(_) => ValType::EXNREF,
            Val::AnyRef(_) => ValType::Ref(crate::types::RefType::new(true, HeapType::Any)),
        }
    }

    /// Whether the value has type `ty` in `store`: the same number type, or a reference that
    /// `ty` allows (null only if `ty` is nullable; a function only if its type is the one
    /// `ty` names). The caller has checked the value belongs to `store`.
    pub(crate) fn has_type(&self, store: &crate::store::StoreInner, ty: ValType) -> bool {
        let ValType::Ref(r) = ty else { return self.ty() == ty };
        let heap = r.heap_type();
        match self {
            Val::FuncRef(None) => r.is_nullable() && heap.top() == HeapType::Func,
            Val::ExternRef(None) => r.is_nullable() && heap.top() == HeapType::Extern,
            Val::ExnRef(None) => r.is_nullable() && heap.top() == HeapType::Exn,
            Val::ExnRef(Some(_)) => heap == HeapType::Exn,
            Val::AnyRef(None) => r.is_nullable() && heap.top() == HeapType::Any,
            Val::FuncRef(Some(f)) => match heap {
                HeapType::Func => true,
                HeapType::Concrete(id) => store
                    .funcs
                    .get(f.index as usize)
                    .zip(store.engine.types().func_type(id))
                    .is_some_and(|(func, want)| func.ty().is_subtype_of(&want)),
                _ => false,
            },
            Val::ExternRef(Some(_)) => heap == HeapType::Extern,
            Val::AnyRef(Some(a)) => {
                let Ok(cell) = a.cell(store) else { return false };
                match AnyCell::decode(cell) {
                    AnyCell::Null => false,
                    AnyCell::I31(_) => matches!(heap, HeapType::Any | HeapType::Eq | HeapType::I31),
                    AnyCell::Host(_) => heap == HeapType::Any,
                    AnyCell::Object(_) => store.gc.get(cell).is_some_and(|o| {
                        HeapType::Concrete(o.ty.id).is_subtype_with(heap, &|x, y| store.engine.types().is_subtype(x, y))
                    }),
                }
            }
            _ => false,
        }
    }

    /// The zero value (or null reference) of a type: what locals and fresh table slots hold.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::V128 => Val::V128(V128(0)),
            ValType::Ref(r) => match r.heap_type().top() {
                HeapType::Extern => Val::ExternRef(None),
                HeapType::Exn => Val::ExnRef(None),
                HeapType::Any => Val::AnyRef(None),
                _ => Val::FuncRef(None),
            },
        }
    }

    pub fn as_i32(&self) -> Option<i32> {
        if let Val::I32(x) = self { Some(*x) } else { None }
    }

    pub fn as_i64(&self) -> Option<i64> {
        if let Val::I64(x) = self { Some(*x) } else { None }
    }

    pub fn as_f32(&self) -> Option<f32> {
        if let Val::F32(x) = self { Some(f32::from_bits(*x)) } else { None }
    }

    pub fn as_f64(&self) -> Option<f64> {
        if let Val::F64(x) = self { Some(f64::from_bits(*x)) } else { None }
    }

    pub fn as_v128(&self) -> Option<V128> {
        if let Val::V128(x) = self { Some(*x) } else { None }
    }

    /// Whether the value belongs to `store` (numbers belong to every store).
    pub(crate) fn belongs_to(&self, store: StoreId) -> bool {
        match self {
            Val::FuncRef(Some(f)) => f.store == store,
            Val::ExternRef(Some(r)) => r.store == store,
            Val::ExnRef(Some(e)) => e.store == store,
            Val::AnyRef(Some(a)) => a.store == store,
            _ => true,
        }
    }

    /// Writes the value to the first cells of `cells` (one cell, or two for a `v128`: its low
    /// half first). The caller has checked it belongs to the store; an error only for a GC
    /// reference whose root scope has ended.
    #[inline]
    pub(crate) fn write_cells(self, cells: &mut [Cell], store: &StoreInner) -> crate::Result<()> {
        match self {
            Val::V128(v) => {
                cells[0] = v.0 as Cell;
                cells[1] = (v.0 >> 64) as Cell;
            }
            other => cells[0] = other.to_cell(store)?,
        }
        Ok(())
    }

    /// Reads a value of type `ty` from the first cells of `cells` (see [`Val::write_cells`]).
    #[inline]
    pub(crate) fn read_cells(cells: &[Cell], ty: ValType, store: &StoreInner) -> Val {
        match ty {
            ValType::V128 => Val::V128(V128(cells[0] as u128 | (cells[1] as u128) << 64)),
            ty => Val::from_cell(cells[0], ty, store),
        }
    }

    /// A scalar or reference value as a stack cell (a `v128`'s low half: use
    /// [`Val::write_cells`] for values that may be vectors). The caller has checked it belongs
    /// to the store; an error only for a GC reference whose root scope has ended.
    pub(crate) fn to_cell(self, store: &StoreInner) -> crate::Result<Cell> {
        Ok(match self {
            Val::V128(v) => v.0 as Cell,
            Val::I32(x) => x as u32 as Cell,
            Val::I64(x) => x as Cell,
            Val::F32(x) => x as Cell,
            Val::F64(x) => x,
            Val::FuncRef(f) => f.map_or(0, |f| f.index as Cell + 1),
            Val::ExternRef(r) => match r {
                Some(r) => r.to_any().cell(store)?,
                None => 0,
            },
            Val::ExnRef(e) => e.map_or(0, |e| e.index as Cell + 1),
            Val::AnyRef(a) => match a {
                Some(a) => a.cell(store)?,
                None => 0,
            },
        })
    }

    /// Reads a stack cell of type `ty` back into a value of `store` (an object reference
    /// rooted in the store's current scope).
    pub(crate) fn from_cell(cell: Cell, ty: ValType, inner: &StoreInner) -> Val {
        let store = inner.id;
        match ty {
            ValType::I32 => Val::I32(cell as u32 as i32),
            ValType::I64 => Val::I64(cell as i64),
            ValType::F32 => Val::F32(cell as u32),
            ValType::F64 => Val::F64(cell),
            ValType::V128 => Val::V128(V128(cell as u128)),
            ValType::Ref(r) if r.heap_type().top() == HeapType::Extern => {
                Val::ExternRef((cell != 0).then(|| AnyRef::from_cell(cell, inner).to_extern()))
            }
            ValType::Ref(r) if r.heap_type().top() == HeapType::Any => {
                Val::AnyRef((cell != 0).then(|| AnyRef::from_cell(cell, inner)))
            }
            ValType::Ref(r) if r.heap_type().top() == HeapType::Exn => {
                Val::ExnRef(ref_index(cell).map(|index| ExnRef { store, index }))
            }
            ValType::Ref(_) => Val::FuncRef(ref_index(cell).map(|index| Func { store, index })),
        }
    }
}

impl From<i32> for Val {
    fn from(x: i32) -> Val {
        Val::I32(x)
    }
}

impl From<i64> for Val {
    fn from(x: i64) -> Val {
        Val::I64(x)
    }
}

impl From<f32> for Val {
    fn from(x: f32) -> Val {
        Val::f32(x)
    }
}

impl From<f64> for Val {
    fn from(x: f64) -> Val {
        Val::f64(x)
    }
}

impl From<V128> for Val {
    fn from(x: V128) -> Val {
        Val::V128(x)
    }
}

/// A 128-bit SIMD vector: 16 bytes, lane 0 in the least significant bits (WebAssembly's
/// little-endian lane order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct V128(u128);

impl V128 {
    /// The vector's bits as one integer.
    pub fn as_u128(self) -> u128 {
        self.0
    }

    /// The vector's 16 bytes, lane 0 of `i8x16` first.
    pub fn to_le_bytes(self) -> [u8; 16] {
        self.0.to_le_bytes()
    }

    pub fn from_le_bytes(bytes: [u8; 16]) -> V128 {
        V128(u128::from_le_bytes(bytes))
    }
}

impl From<u128> for V128 {
    fn from(x: u128) -> V128 {
        V128(x)
    }
}

impl From<V128> for u128 {
    fn from(x: V128) -> u128 {
        x.0
    }
}
