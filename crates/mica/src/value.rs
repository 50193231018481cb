//! Runtime values: the typed [`Val`] that crosses the API, and the untyped 64-bit cell the
//! interpreter keeps in its value stack.

use crate::func::Func;
use crate::store::{ExternRef, StoreId};
use crate::cell::{Cell, ref_index};
use crate::types::ValType;

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
    FuncRef(Option<Func>),
    ExternRef(Option<ExternRef>),
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
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value (or null reference) of a type: what locals and fresh table slots hold.
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
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

    /// Whether the value belongs to `store` (numbers belong to every store).
    pub(crate) fn belongs_to(&self, store: StoreId) -> bool {
        match self {
            Val::FuncRef(Some(f)) => f.store == store,
            Val::ExternRef(Some(r)) => r.store == store,
            _ => true,
        }
    }

    /// The value as a stack cell. The caller has checked it belongs to the store.
    pub(crate) fn to_cell(self) -> Cell {
        match self {
            Val::I32(x) => x as u32 as Cell,
            Val::I64(x) => x as Cell,
            Val::F32(x) => x as Cell,
            Val::F64(x) => x,
            Val::FuncRef(f) => f.map_or(0, |f| f.index as Cell + 1),
            Val::ExternRef(r) => r.map_or(0, |r| r.index as Cell + 1),
        }
    }

    /// Reads a stack cell of type `ty` back into a value of `store`.
    pub(crate) fn from_cell(cell: Cell, ty: ValType, store: StoreId) -> Val {
        match ty {
            ValType::I32 => Val::I32(cell as u32 as i32),
            ValType::I64 => Val::I64(cell as i64),
            ValType::F32 => Val::F32(cell as u32),
            ValType::F64 => Val::F64(cell),
            ValType::FuncRef => {
                Val::FuncRef(ref_index(cell).map(|index| Func { store, index }))
            }
            ValType::ExternRef => {
                Val::ExternRef(ref_index(cell).map(|index| ExternRef { store, index }))
            }
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
