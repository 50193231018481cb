//! GC's defined types: struct and array types, their fields, and what every defined type
//! (function, struct or array) knows once its engine has registered it: its identity, whether
//! it is final, and its supertypes.

use super::{ConcreteType, FuncType, HeapType, RefType, ValType};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

/// What a field or an array element holds: a value, or a packed integer (`i8`, `i16`) that
/// `struct.get_s`/`_u` and `array.get_s`/`_u` extend to an `i32`.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StorageType {
    I8,
    I16,
    Val(ValType),
}

impl StorageType {
    /// The bytes a field of this type takes in an object.
    pub(crate) fn size(self) -> usize {
        match self {
            StorageType::I8 => 1,
            StorageType::I16 => 2,
            StorageType::Val(ValType::I32 | ValType::F32) => 4,
            StorageType::Val(ValType::V128) => 16,
            StorageType::Val(_) => 8,
        }
    }

    /// Whether a field of this type holds a reference the collector follows.
    pub(crate) fn is_gc_ref(self) -> bool {
        matches!(self, StorageType::Val(t) if t.holds_gc_refs())
    }

    /// The value type a field of this type is read as (`i32` for a packed one).
    pub fn unpacked(self) -> ValType {
        match self {
            StorageType::I8 | StorageType::I16 => ValType::I32,
            StorageType::Val(t) => t,
        }
    }
}

impl fmt::Display for StorageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageType::I8 => f.write_str("i8"),
            StorageType::I16 => f.write_str("i16"),
            StorageType::Val(t) => t.fmt(f),
        }
    }
}

/// A field of a struct type, or the element of an array type.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldType {
    pub storage: StorageType,
    pub mutable: bool,
}

impl FieldType {
    pub fn new(storage: StorageType, mutable: bool) -> FieldType {
        FieldType { storage, mutable }
    }

    fn map_concrete(self, f: &impl Fn(ConcreteType) -> ConcreteType) -> FieldType {
        match self.storage {
            StorageType::Val(t) => FieldType { storage: StorageType::Val(t.map_concrete(f)), ..self },
            _ => self,
        }
    }
}

/// The type of a struct: its fields, in order. Cheap to clone.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct StructType {
    fields: Arc<[FieldType]>,
}

impl StructType {
    pub fn new(fields: impl IntoIterator<Item = FieldType>) -> StructType {
        StructType { fields: fields.into_iter().collect() }
    }

    pub fn fields(&self) -> &[FieldType] {
        &self.fields
    }
}

impl fmt::Debug for StructType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(struct")?;
        for field in self.fields.iter() {
            match field.mutable {
                true => write!(f, " (field (mut {}))", field.storage)?,
                false => write!(f, " (field {})", field.storage)?,
            }
        }
        f.write_str(")")
    }
}

/// The type of an array: its element type.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArrayType {
    pub element: FieldType,
}

/// What a defined type is.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum CompositeType {
    Func(FuncType),
    Struct(StructType),
    Array(ArrayType),
}

impl fmt::Debug for CompositeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompositeType::Func(t) => t.fmt(f),
            CompositeType::Struct(t) => t.fmt(f),
            CompositeType::Array(t) => match t.element.mutable {
                true => write!(f, "(array (mut {}))", t.element.storage),
                false => write!(f, "(array {})", t.element.storage),
            },
        }
    }
}

impl CompositeType {
    pub(crate) fn kind(&self) -> TypeKind {
        match self {
            CompositeType::Func(_) => TypeKind::Func,
            CompositeType::Struct(_) => TypeKind::Struct,
            CompositeType::Array(_) => TypeKind::Array,
        }
    }

    /// The same type with each reference to a defined type replaced by `f` of it.
    pub(crate) fn map_concrete(&self, f: &impl Fn(ConcreteType) -> ConcreteType) -> CompositeType {
        match self {
            CompositeType::Func(t) => CompositeType::Func(t.map_concrete(f)),
            CompositeType::Struct(t) => {
                CompositeType::Struct(StructType::new(t.fields.iter().map(|x| x.map_concrete(f))))
            }
            CompositeType::Array(t) => CompositeType::Array(ArrayType { element: t.element.map_concrete(f) }),
        }
    }
}

/// Which kind of composite type a defined type is: what abstract heap type it is below.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeKind {
    Func,
    Struct,
    Array,
}

/// A defined type as its engine registered it: identity, finality, supertypes and contents
/// (with identities in its references). Shared by every module that defines it.
#[derive(Debug)]
pub(crate) struct DefinedType {
    pub id: ConcreteType,
    /// Its supertype chain from the root down to itself (`supers[depth] == id`), so that
    /// "is `a` a subtype of `b`" is `a.supers.get(b.depth()) == Some(b.id)`: constant time.
    pub supers: Arc<[ConcreteType]>,
    pub composite: CompositeType,
    /// For a struct, each field's byte offset in an object, and the object's size.
    pub layout: Layout,
}

impl DefinedType {
    /// Its depth in its supertype chain (0 for a type without a supertype).
    pub fn depth(&self) -> usize {
        self.supers.len() - 1
    }

    /// Whether this type is `other` or declared (transitively) below it.
    #[inline]
    pub fn is_subtype_of_id(&self, other: ConcreteType, other_depth: usize) -> bool {
        self.supers.get(other_depth) == Some(&other)
    }

    /// A struct's field `index`: its offset in the object and its storage type.
    #[inline]
    pub fn field(&self, index: u16) -> Option<(usize, StorageType)> {
        let at = *self.layout.offsets.get(index as usize)?;
        Some((at as usize, self.as_struct()?.fields().get(index as usize)?.storage))
    }

    pub fn as_struct(&self) -> Option<&StructType> {
        if let CompositeType::Struct(s) = &self.composite { Some(s) } else { None }
    }

    pub fn as_array(&self) -> Option<&ArrayType> {
        if let CompositeType::Array(a) = &self.composite { Some(a) } else { None }
    }
}

/// Where an object's fields lie in its bytes.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// A struct's field offsets; empty for arrays and functions.
    pub offsets: Vec<u32>,
    /// A struct's size in bytes; an array's element size.
    pub size: u32,
    /// The offsets of a struct's reference fields the collector follows, or for an array
    /// whether its elements are such references (`[0]`).
    pub refs: Vec<u32>,
}

impl Layout {
    pub(crate) fn of(composite: &CompositeType) -> Layout {
        match composite {
            CompositeType::Func(_) => Layout::default(),
            CompositeType::Struct(s) => {
                let (mut offsets, mut refs, mut at) = (Vec::with_capacity(s.fields.len()), Vec::new(), 0u32);
                for field in s.fields.iter() {
                    offsets.push(at);
                    if field.storage.is_gc_ref() {
                        refs.push(at);
                    }
                    at += field.storage.size() as u32;
                }
                Layout { offsets, size: at, refs }
            }
            CompositeType::Array(a) => Layout {
                offsets: Vec::new(),
                size: a.element.storage.size() as u32,
                refs: if a.element.storage.is_gc_ref() { alloc::vec![0] } else { Vec::new() },
            },
        }
    }
}

impl HeapType {
    /// Whether a reference of this heap type is one the collector follows: of the `any` or
    /// `extern` hierarchy, whose cells may name heap objects (`crate::gc::AnyCell`). Functions
    /// and exceptions are never collected (an exception's payload is a root of its own).
    pub(crate) fn holds_gc_refs(self) -> bool {
        matches!(self.top(), HeapType::Any | HeapType::Extern)
    }
}

impl ValType {
    /// Whether a value of this type is a reference the collector follows (see
    /// [`HeapType::holds_gc_refs`]).
    pub(crate) fn holds_gc_refs(self) -> bool {
        matches!(self, ValType::Ref(r) if r.heap_type().holds_gc_refs())
    }

    /// The same type with a reference to a defined type replaced by `f` of it.
    pub(crate) fn map_concrete(self, f: &impl Fn(ConcreteType) -> ConcreteType) -> ValType {
        match self {
            ValType::Ref(r) => match r.heap_type() {
                HeapType::Concrete(c) => ValType::Ref(RefType::new(r.is_nullable(), HeapType::Concrete(f(c)))),
                _ => self,
            },
            other => other,
        }
    }
}
