//! GC values as the host sees them: [`AnyRef`] (any reference of the `any` hierarchy), its
//! views [`EqRef`], [`StructRef`], [`ArrayRef`] and [`I31`], and [`OwnedRef`], a root that
//! lasts as long as the host keeps it. Fields and elements are read and written with type
//! checks; structs and arrays can be made by the host. See `roots.rs` for how a reference the
//! host holds keeps its object alive.

use super::roots::{OwnedRoot, RefRepr};
use super::AnyCell;
use crate::cell::Cell;
use crate::error::{Error, Result};
use crate::store::{AsContext, AsContextMut, ExternRef, StoreId, StoreInner};
use crate::types::{ConcreteType, DefinedType, StorageType, TypeKind, ValType};
use crate::value::Val;
use alloc::sync::Arc;

/// A non-null reference of GC's `any` hierarchy (`anyref`, `eqref`, `i31ref`, `structref`,
/// `arrayref` and the defined struct and array types): a struct, an array, an unboxed 31-bit
/// integer, or a host object converted from `extern` (`any.convert_extern`).
///
/// An object reference is *rooted* in the store's current scope (`roots.rs`): it keeps its
/// object alive until the host function it was given to returns, or, outside host
/// functions, until [`crate::Store::root_scope`] ends. Keep one longer with [`OwnedRef`].
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct AnyRef {
    pub(crate) store: StoreId,
    pub(crate) repr: RefRepr,
}

/// An unboxed 31-bit integer (`i31ref`): never allocated.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct I31(u32);

impl I31 {
    /// The low 31 bits of `value` (`ref.i31`).
    pub fn new(value: u32) -> I31 {
        I31(value & 0x7fff_ffff)
    }

    /// The value zero-extended (`i31.get_u`).
    pub fn get_u(self) -> u32 {
        self.0
    }

    /// The value sign-extended (`i31.get_s`).
    pub fn get_s(self) -> i32 {
        ((self.0 << 1) as i32) >> 1
    }
}

impl AnyRef {
    /// The reference to the cell `cell` of `inner`, rooted if it is an object.
    pub(crate) fn from_cell(cell: Cell, inner: &StoreInner) -> AnyRef {
        AnyRef { store: inner.id, repr: inner.roots.borrow_mut().root(cell) }
    }

    /// Its cell, if its root is still there.
    pub(crate) fn cell(&self, inner: &StoreInner) -> Result<Cell> {
        if self.store != inner.id {
            return Err(Error::usage("a GC reference from another store"));
        }
        inner.roots.borrow().cell(self.repr)
    }

    /// An `i31ref` (`ref.i31`): no allocation.
    pub fn from_i31(store: impl AsContext, value: I31) -> AnyRef {
        AnyRef { store: store.as_context().0.inner.id, repr: RefRepr::Cell(AnyCell::I31(value.0).encode()) }
    }

    /// The `i31` this is, if it is one.
    pub fn as_i31(&self) -> Option<I31> {
        match self.repr {
            RefRepr::Cell(cell) => match AnyCell::decode(cell) {
                AnyCell::I31(v) => Some(I31(v)),
                _ => None,
            },
            RefRepr::Rooted { .. } => None,
        }
    }

    /// The same reference as an `externref` (`extern.convert_any`).
    pub fn to_extern(self) -> ExternRef {
        ExternRef { store: self.store, repr: self.repr }
    }

    /// The object's type, if this is a struct or an array (and its root is still there).
    fn object_type(&self, store: &impl AsContext) -> Option<Arc<DefinedType>> {
        let inner = &store.as_context().0.inner;
        let cell = self.cell(inner).ok()?;
        inner.gc.get(cell).map(|o| o.ty.clone())
    }

    /// The defined type of the struct or array this is.
    pub fn ty(&self, store: impl AsContext) -> Option<ConcreteType> {
        self.object_type(&store).map(|t| t.id)
    }

    pub fn is_struct(&self, store: impl AsContext) -> bool {
        self.object_type(&store).is_some_and(|t| t.id.kind() == TypeKind::Struct)
    }

    pub fn is_array(&self, store: impl AsContext) -> bool {
        self.object_type(&store).is_some_and(|t| t.id.kind() == TypeKind::Array)
    }

    /// This reference as a struct, if it is one.
    pub fn as_struct(&self, store: impl AsContext) -> Option<StructRef> {
        self.is_struct(store).then_some(StructRef(*self))
    }

    /// This reference as an array, if it is one.
    pub fn as_array(&self, store: impl AsContext) -> Option<ArrayRef> {
        self.is_array(store).then_some(ArrayRef(*self))
    }

    /// This reference as an `eqref`, if it is one (a struct, an array or an `i31`).
    pub fn as_eq(&self, store: impl AsContext) -> Option<EqRef> {
        (self.as_i31().is_some() || self.object_type(&store).is_some()).then_some(EqRef(*self))
    }

    /// A root that keeps this reference's object alive for as long as the [`OwnedRef`]
    /// (or a clone) exists, whatever scope it was made in.
    pub fn to_owned(&self, store: impl AsContext) -> Result<OwnedRef> {
        let inner = &store.as_context().0.inner;
        let cell = self.cell(inner)?;
        let root = inner.roots.borrow_mut().own(cell);
        Ok(OwnedRef { store: self.store, root })
    }
}

/// A reference that keeps its object alive while the host holds it: made by
/// [`AnyRef::to_owned`]; the object becomes collectable when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct OwnedRef {
    store: StoreId,
    root: Arc<OwnedRoot>,
}

impl OwnedRef {
    /// The reference, rooted in `store`'s current scope, to pass to wasm or read.
    pub fn to_any(&self, store: impl AsContext) -> Result<AnyRef> {
        let inner = &store.as_context().0.inner;
        if self.store != inner.id {
            return Err(Error::usage("a GC reference from another store"));
        }
        Ok(AnyRef::from_cell(self.root.cell, inner))
    }
}

/// A reference `ref.eq` compares: a struct, an array or an `i31`.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct EqRef(AnyRef);

impl EqRef {
    pub fn to_any(self) -> AnyRef {
        self.0
    }

    /// `ref.eq`: the same object, or equal `i31`s.
    pub fn ref_eq(&self, store: impl AsContext, other: &EqRef) -> Result<bool> {
        let inner = &store.as_context().0.inner;
        Ok(self.0.cell(inner)? == other.0.cell(inner)?)
    }
}

/// A struct. Its fields are read and written through the store, checked against its type.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct StructRef(AnyRef);

/// An array. Its elements are read and written through the store, checked against its type.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct ArrayRef(AnyRef);

/// The defined type `ty` of the engine, which must be of `kind`.
fn defined(inner: &StoreInner, ty: ConcreteType, kind: TypeKind) -> Result<Arc<DefinedType>> {
    match inner.engine.types().get(ty) {
        Some(t) if t.id == ty && ty.kind() == kind => Ok(t),
        _ => Err(Error::usage(alloc::format!("{ty:?} is not a {kind:?} type of this store's engine"))),
    }
}

/// `value` as the cell a field of type `storage` keeps, checked.
fn field_cell(inner: &StoreInner, storage: StorageType, value: Val) -> Result<u128> {
    let ty = storage.unpacked();
    if !value.belongs_to(inner.id) || !value.has_type(inner, ty) {
        return Err(Error::usage(alloc::format!("{value:?} is not a value of field type {storage}")));
    }
    Ok(match value {
        Val::V128(v) => v.as_u128(),
        other => u128::from(other.to_cell(inner)?),
    })
}

/// The value of type `storage` at `at` of `object` (a packed one zero-extended).
fn field_value(inner: &StoreInner, object: &super::Object, at: usize, storage: StorageType) -> Result<Val> {
    let raw = object.read_value(at, storage).ok_or_else(|| Error::usage("a field outside its object"))?;
    Ok(match storage.unpacked() {
        ValType::V128 => Val::V128(raw.into()),
        ty => Val::from_cell(raw as Cell, ty, inner),
    })
}

impl StructRef {
    /// A new struct of type `ty` (a struct type of the store's engine: one a module defines)
    /// with `fields`, each checked against its field's type.
    pub fn new(mut store: impl AsContextMut, ty: ConcreteType, fields: &[Val]) -> Result<StructRef> {
        let inner = &mut store.as_context_mut().0.inner;
        let t = defined(inner, ty, TypeKind::Struct)?;
        let s = t.as_struct().ok_or_else(|| Error::usage("not a struct type"))?;
        if s.fields().len() != fields.len() {
            return Err(Error::usage(alloc::format!("{ty:?} has {} fields, {} given", s.fields().len(), fields.len())));
        }
        let values = s
            .fields()
            .iter()
            .zip(fields)
            .map(|(f, v)| field_cell(inner, f.storage, *v))
            .collect::<Result<alloc::vec::Vec<_>>>()?;
        let cell = inner.allocate(&t, t.layout.size as usize, None)?;
        let object = inner.gc.get_mut(cell).ok_or_else(|| Error::usage("internal error: a new object is missing"))?;
        for ((f, &at), v) in s.fields().iter().zip(&t.layout.offsets).zip(values) {
            object.write_value(at as usize, f.storage, v);
        }
        Ok(StructRef(AnyRef::from_cell(cell, inner)))
    }

    pub fn to_any(self) -> AnyRef {
        self.0
    }

    /// The struct's type and its bytes.
    fn object<'a>(&self, inner: &'a StoreInner) -> Result<&'a super::Object> {
        let cell = self.0.cell(inner)?;
        inner.gc.get(cell).ok_or_else(|| Error::usage("not a struct"))
    }

    /// The value of field `index` (a packed field zero-extended to an `i32`).
    pub fn field(&self, store: impl AsContext, index: usize) -> Result<Val> {
        let inner = &store.as_context().0.inner;
        let object = self.object(inner)?;
        let s = object.ty.as_struct().ok_or_else(|| Error::usage("not a struct"))?;
        let f = s.fields().get(index).ok_or_else(|| Error::usage(alloc::format!("no field {index}")))?;
        field_value(inner, object, object.ty.layout.offsets[index] as usize, f.storage)
    }

    /// Sets field `index`, which must be mutable, to `value`, which must be of its type (a
    /// packed field keeps the value's low bits).
    pub fn set_field(&self, mut store: impl AsContextMut, index: usize, value: Val) -> Result<()> {
        let inner = &mut store.as_context_mut().0.inner;
        let object = self.object(inner)?;
        let ty = object.ty.clone();
        let s = ty.as_struct().ok_or_else(|| Error::usage("not a struct"))?;
        let f = s.fields().get(index).ok_or_else(|| Error::usage(alloc::format!("no field {index}")))?;
        if !f.mutable {
            return Err(Error::usage(alloc::format!("field {index} is immutable")));
        }
        let v = field_cell(inner, f.storage, value)?;
        let cell = self.0.cell(inner)?;
        let object = inner.gc.get_mut(cell).ok_or_else(|| Error::usage("not a struct"))?;
        object.write_value(ty.layout.offsets[index] as usize, f.storage, v);
        Ok(())
    }
}

impl ArrayRef {
    /// A new array of type `ty` (an array type of the store's engine) of `len` copies of
    /// `element`, checked against the element type.
    pub fn new(mut store: impl AsContextMut, ty: ConcreteType, element: Val, len: u32) -> Result<ArrayRef> {
        let inner = &mut store.as_context_mut().0.inner;
        let t = defined(inner, ty, TypeKind::Array)?;
        let storage = t.as_array().ok_or_else(|| Error::usage("not an array type"))?.element.storage;
        let v = field_cell(inner, storage, element)?;
        let size = storage.size();
        let bytes = (len as usize).checked_mul(size).ok_or(crate::TrapCode::OutOfMemory)?;
        let cell = inner.allocate(&t, bytes, None)?;
        let object = inner.gc.get_mut(cell).ok_or_else(|| Error::usage("internal error: a new object is missing"))?;
        for i in 0..len as usize {
            object.write_value(i * size, storage, v);
        }
        Ok(ArrayRef(AnyRef::from_cell(cell, inner)))
    }

    pub fn to_any(self) -> AnyRef {
        self.0
    }

    fn object<'a>(&self, inner: &'a StoreInner) -> Result<(&'a super::Object, StorageType)> {
        let cell = self.0.cell(inner)?;
        let object = inner.gc.get(cell).ok_or_else(|| Error::usage("not an array"))?;
        let storage = object.ty.as_array().ok_or_else(|| Error::usage("not an array"))?.element.storage;
        Ok((object, storage))
    }

    pub fn len(&self, store: impl AsContext) -> Result<u32> {
        Ok(self.object(&store.as_context().0.inner)?.0.array_len() as u32)
    }

    pub fn is_empty(&self, store: impl AsContext) -> Result<bool> {
        Ok(self.len(store)? == 0)
    }

    /// Element `index` (a packed one zero-extended to an `i32`); an error past the end.
    pub fn get(&self, store: impl AsContext, index: u32) -> Result<Val> {
        let inner = &store.as_context().0.inner;
        let (object, storage) = self.object(inner)?;
        if index as usize >= object.array_len() {
            return Err(crate::TrapCode::ArrayOutOfBounds.into());
        }
        field_value(inner, object, index as usize * storage.size(), storage)
    }

    /// Sets element `index` of a mutable array to `value`, checked against the element type.
    pub fn set(&self, mut store: impl AsContextMut, index: u32, value: Val) -> Result<()> {
        let inner = &mut store.as_context_mut().0.inner;
        let (object, storage) = self.object(inner)?;
        if !object.ty.as_array().is_some_and(|a| a.element.mutable) {
            return Err(Error::usage("the array's elements are immutable"));
        }
        if index as usize >= object.array_len() {
            return Err(crate::TrapCode::ArrayOutOfBounds.into());
        }
        let v = field_cell(inner, storage, value)?;
        let cell = self.0.cell(inner)?;
        let object = inner.gc.get_mut(cell).ok_or_else(|| Error::usage("not an array"))?;
        object.write_value(index as usize * storage.size(), storage, v);
        Ok(())
    }
}
