//! The types an embedder sees: value types, function, memory, table and global types.
//!
//! These are Mica's own vocabulary, converted once from `wasmparser`'s types when a module is
//! loaded, so that the public API does not change when the decoder does.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

mod gc;
mod registry;

pub use gc::{ArrayType, CompositeType, FieldType, StorageType, StructType, TypeKind};
pub(crate) use gc::{DefinedType, Layout};
pub(crate) use registry::{Member, TypeRegistry};

/// The type of a WebAssembly value.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    /// A 128-bit vector (SIMD).
    V128,
    /// A reference (`funcref`, `externref`, `(ref $t)`, ...).
    Ref(RefType),
}

impl ValType {
    /// `funcref`: a nullable reference to any function.
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    /// `externref`: a nullable reference to a host object.
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);
    /// `exnref`: a nullable reference to a caught exception.
    pub const EXNREF: ValType = ValType::Ref(RefType::EXNREF);

    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }

    /// The reference type, if this is one.
    pub fn as_ref(self) -> Option<RefType> {
        if let ValType::Ref(r) = self { Some(r) } else { None }
    }

    /// How many 64-bit cells a value of this type takes in a frame: 2 for `v128`, else 1.
    #[inline]
    pub(crate) fn cells(self) -> usize {
        if self == ValType::V128 { 2 } else { 1 }
    }

    /// Whether a value of this type is also one of `other` (the spec's subtyping: the same
    /// number type, or a reference type that `other`'s includes; defined types compared as
    /// [`HeapType::is_subtype_of`] says).
    pub fn is_subtype_of(self, other: ValType) -> bool {
        self.is_subtype_with(other, &|a, b| a == b)
    }

    pub(crate) fn is_subtype_with(self, other: ValType, concrete: &dyn Fn(ConcreteType, ConcreteType) -> bool) -> bool {
        match (self, other) {
            (ValType::Ref(a), ValType::Ref(b)) => a.is_subtype_with(b, concrete),
            (a, b) => a == b,
        }
    }

    /// From `wasmparser`'s type; `concrete` maps a module's type index to its engine-wide
    /// identity (`None` if the type is unsupported).
    pub(crate) fn from_wasmparser(
        ty: wasmparser::ValType,
        concrete: &dyn Fn(u32) -> Option<ConcreteType>,
    ) -> Option<ValType> {
        use wasmparser::ValType as W;
        Some(match ty {
            W::I32 => ValType::I32,
            W::I64 => ValType::I64,
            W::F32 => ValType::F32,
            W::F64 => ValType::F64,
            W::V128 => ValType::V128,
            W::Ref(r) => ValType::Ref(RefType::from_wasmparser(r, concrete)?),
        })
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::Ref(r) => return r.fmt(f),
        })
    }
}

/// The engine-wide identity of a type a module defined (a function, struct or array type):
/// two modules' types have the same identity exactly when the spec says they are the same
/// type, so comparing them is one integer comparison. Made when a module is loaded
/// ([`crate::Engine`] keeps the types), and meaningful only within its engine.
///
/// It carries its kind (function, struct or array), so that how it relates to the abstract
/// heap types is known without the engine.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConcreteType(pub(crate) u32);

impl ConcreteType {
    /// Bit 31 marks a reference relative to the recursion group being registered.
    const RELATIVE: u32 = 1 << 31;
    const KIND_SHIFT: u32 = 29;
    const INDEX_MASK: u32 = (1 << Self::KIND_SHIFT) - 1;
    /// The most types an engine holds.
    pub(crate) const MAX_TYPES: u32 = Self::INDEX_MASK;

    pub(crate) fn new(index: u32, kind: TypeKind) -> ConcreteType {
        ConcreteType(index | (kind as u32) << Self::KIND_SHIFT)
    }

    /// A reference to member `index` of the recursion group being registered.
    pub(crate) fn relative(index: u32, kind: TypeKind) -> ConcreteType {
        ConcreteType(Self::RELATIVE | Self::new(index, kind).0)
    }

    /// The member of the group being registered this names, if it is a relative reference.
    pub(crate) fn relative_index(self) -> Option<u32> {
        (self.0 & Self::RELATIVE != 0).then_some(self.index())
    }

    /// Its index in the engine's registry (or in its group, if relative).
    pub(crate) fn index(self) -> u32 {
        self.0 & Self::INDEX_MASK
    }

    pub fn kind(self) -> TypeKind {
        match (self.0 >> Self::KIND_SHIFT) & 3 {
            0 => TypeKind::Func,
            1 => TypeKind::Struct,
            _ => TypeKind::Array,
        }
    }
}

/// What a reference points to: the heap type of a reference type.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum HeapType {
    /// Any function.
    Func,
    /// No function: the bottom of the function types (only null has it).
    NoFunc,
    /// Any host object.
    Extern,
    /// No host object (only null).
    NoExtern,
    /// Any exception (exception handling's `exnref`).
    Exn,
    /// No exception (only null).
    NoExn,
    /// Any GC value: a struct, an array, an `i31`, or a host object converted from `extern`.
    Any,
    /// Anything `ref.eq` compares: structs, arrays and `i31`s.
    Eq,
    /// An unboxed 31-bit integer.
    I31,
    /// Any struct.
    Struct,
    /// Any array.
    Array,
    /// Nothing of the `any` hierarchy (only null).
    None,
    /// A value of one defined type (a function, struct or array type).
    Concrete(ConcreteType),
}

impl HeapType {
    /// Heap-type subtyping: `self` is `other` or below it in the same hierarchy.
    ///
    /// Two defined types are compared by identity here: a type declared a subtype of another
    /// (GC's `sub`) is below it by its engine's registry, which the checks Mica makes use
    /// (imports, values crossing the API, casts).
    pub fn is_subtype_of(self, other: HeapType) -> bool {
        self.is_subtype_with(other, &|a, b| a == b)
    }

    /// Heap-type subtyping, `concrete` deciding between two defined types.
    pub(crate) fn is_subtype_with(self, other: HeapType, concrete: &dyn Fn(ConcreteType, ConcreteType) -> bool) -> bool {
        use HeapType::*;
        match (self, other) {
            (a, b) if a == b => true,
            (Concrete(a), Concrete(b)) => concrete(a, b),
            (NoFunc, Func) | (NoExtern, Extern) | (NoExn, Exn) => true,
            (NoFunc, Concrete(c)) | (Concrete(c), Func) => c.kind() == TypeKind::Func,
            (None, Concrete(c)) => c.kind() != TypeKind::Func,
            (None, Any | Eq | I31 | Struct | Array) => true,
            (I31 | Struct | Array, Any | Eq) | (Eq, Any) => true,
            (Concrete(c), Any | Eq) => c.kind() != TypeKind::Func,
            (Concrete(c), Struct) => c.kind() == TypeKind::Struct,
            (Concrete(c), Array) => c.kind() == TypeKind::Array,
            _ => false,
        }
    }

    /// The top of this heap type's hierarchy: `func`, `extern`, `exn` or `any`.
    pub fn top(self) -> HeapType {
        match self {
            HeapType::Func | HeapType::NoFunc => HeapType::Func,
            HeapType::Concrete(c) if c.kind() == TypeKind::Func => HeapType::Func,
            HeapType::Extern | HeapType::NoExtern => HeapType::Extern,
            HeapType::Exn | HeapType::NoExn => HeapType::Exn,
            _ => HeapType::Any,
        }
    }

    /// The bottom of this heap type's hierarchy: `nofunc`, `noextern`, `noexn` or `none`.
    pub fn bottom(self) -> HeapType {
        match self.top() {
            HeapType::Func => HeapType::NoFunc,
            HeapType::Extern => HeapType::NoExtern,
            HeapType::Exn => HeapType::NoExn,
            _ => HeapType::None,
        }
    }
}

/// The type of a reference: whether it may be null, and what it points to.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RefType {
    nullable: bool,
    heap: HeapType,
}

impl RefType {
    /// `funcref`: `(ref null func)`.
    pub const FUNCREF: RefType = RefType { nullable: true, heap: HeapType::Func };
    /// `externref`: `(ref null extern)`.
    pub const EXTERNREF: RefType = RefType { nullable: true, heap: HeapType::Extern };
    /// `exnref`: `(ref null exn)`.
    pub const EXNREF: RefType = RefType { nullable: true, heap: HeapType::Exn };

    pub fn new(nullable: bool, heap: HeapType) -> RefType {
        RefType { nullable, heap }
    }

    pub fn is_nullable(self) -> bool {
        self.nullable
    }

    pub fn heap_type(self) -> HeapType {
        self.heap
    }

    pub fn val_type(self) -> ValType {
        ValType::Ref(self)
    }

    /// Reference subtyping: null allowed only where `other` allows it, and a heap type
    /// below `other`'s (defined types compared as [`HeapType::is_subtype_of`] says).
    pub fn is_subtype_of(self, other: RefType) -> bool {
        (!self.nullable || other.nullable) && self.heap.is_subtype_of(other.heap)
    }

    pub(crate) fn is_subtype_with(self, other: RefType, concrete: &dyn Fn(ConcreteType, ConcreteType) -> bool) -> bool {
        (!self.nullable || other.nullable) && self.heap.is_subtype_with(other.heap, concrete)
    }

    pub(crate) fn from_wasmparser(
        ty: wasmparser::RefType,
        concrete: &dyn Fn(u32) -> Option<ConcreteType>,
    ) -> Option<RefType> {
        use wasmparser::{AbstractHeapType as A, HeapType as H};
        let heap = match ty.heap_type() {
            H::Abstract { shared: false, ty } => match ty {
                A::Func => HeapType::Func,
                A::NoFunc => HeapType::NoFunc,
                A::Extern => HeapType::Extern,
                A::NoExtern => HeapType::NoExtern,
                A::Exn => HeapType::Exn,
                A::NoExn => HeapType::NoExn,
                A::Any => HeapType::Any,
                A::Eq => HeapType::Eq,
                A::I31 => HeapType::I31,
                A::Struct => HeapType::Struct,
                A::Array => HeapType::Array,
                A::None => HeapType::None,
                _ => return None,
            },
            H::Concrete(index) => HeapType::Concrete(concrete(index.as_module_index()?)?),
            _ => return None,
        };
        Some(RefType { nullable: ty.is_nullable(), heap })
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The name, and the abbreviation of the nullable reference.
        let (name, nullable) = match self.heap {
            HeapType::Func => ("func", "funcref"),
            HeapType::NoFunc => ("nofunc", "nullfuncref"),
            HeapType::Extern => ("extern", "externref"),
            HeapType::NoExtern => ("noextern", "nullexternref"),
            HeapType::Exn => ("exn", "exnref"),
            HeapType::NoExn => ("noexn", "nullexnref"),
            HeapType::Any => ("any", "anyref"),
            HeapType::Eq => ("eq", "eqref"),
            HeapType::I31 => ("i31", "i31ref"),
            HeapType::Struct => ("struct", "structref"),
            HeapType::Array => ("array", "arrayref"),
            HeapType::None => ("none", "nullref"),
            HeapType::Concrete(ConcreteType(id)) => {
                let null = if self.nullable { "null " } else { "" };
                return write!(f, "(ref {null}type#{id})");
            }
        };
        match self.nullable {
            true => f.write_str(nullable),
            false => write!(f, "(ref {name})"),
        }
    }
}

/// The signature of a function: parameter and result types.
///
/// Cheap to clone: the type lists are shared.
#[derive(Clone, Eq)]
pub struct FuncType {
    /// Parameters followed by results; `len_params` splits them.
    types: Arc<[ValType]>,
    len_params: usize,
    /// The frame cells the parameters and the results take (a `v128` takes two).
    param_cells: u32,
    result_cells: u32,
    /// Its identity, for a type that is not equal to every type with its contents: a member
    /// of a recursion group of more than one type (the iso-recursive rule; see
    /// `TypeRegistry::register_group`), or a type with a supertype or open to subtypes
    /// (GC's `sub`). `None` for every other type (declared `final` with no supertype, alone
    /// in its group, or made by the host), which is equal to any type with its contents.
    pub(crate) sub: Option<Arc<SubInfo>>,
}

/// The identity and supertype chain of a function type that has them ([`FuncType::sub`]):
/// what `call_indirect`'s check needs when the types differ.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SubInfo {
    pub id: ConcreteType,
    /// From the root down to `id`.
    pub supers: Arc<[ConcreteType]>,
    pub is_final: bool,
}

impl FuncType {
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> FuncType {
        let mut types: Vec<ValType> = params.into_iter().collect();
        let len_params = types.len();
        types.extend(results);
        let cells = |types: &[ValType]| types.iter().map(|t| t.cells() as u32).sum();
        let (param_cells, result_cells) = (cells(&types[..len_params]), cells(&types[len_params..]));
        FuncType { types: types.into(), len_params, param_cells, result_cells, sub: None }
    }

    /// The frame cells the parameters take (each `v128` two, every other value one).
    #[inline]
    pub(crate) fn param_cells(&self) -> usize {
        self.param_cells as usize
    }

    /// The frame cells the results take.
    #[inline]
    pub(crate) fn result_cells(&self) -> usize {
        self.result_cells as usize
    }

    /// The same type with each reference to a defined type replaced by `f` of it.
    pub(crate) fn map_concrete(&self, f: &impl Fn(ConcreteType) -> ConcreteType) -> FuncType {
        let map = |t: &ValType| t.map_concrete(f);
        FuncType::new(self.params().iter().map(map), self.results().iter().map(map))
    }

    /// Whether a function of this type may be called as one of type `other`: the same type,
    /// or one declared (transitively) below it. Constant time.
    #[inline]
    pub(crate) fn is_subtype_of(&self, other: &FuncType) -> bool {
        self == other
            || match (&self.sub, &other.sub) {
                (Some(a), Some(b)) => a.supers.get(b.supers.len() - 1) == Some(&b.id),
                _ => false,
            }
    }

    pub fn params(&self) -> &[ValType] {
        &self.types[..self.len_params]
    }

    pub fn results(&self) -> &[ValType] {
        &self.types[self.len_params..]
    }
}

impl PartialEq for FuncType {
    /// Shared type lists are equal without a look inside: a module's functions share its
    /// type entries, so `call_indirect`'s check is usually one pointer comparison.
    #[inline]
    fn eq(&self, other: &FuncType) -> bool {
        #[inline(never)]
        fn same_types(a: &[ValType], b: &[ValType]) -> bool {
            a == b
        }
        self.len_params == other.len_params
            && match (&self.sub, &other.sub) {
                (None, None) => true,
                (Some(a), Some(b)) => a.id == b.id,
                _ => false,
            }
            && (Arc::ptr_eq(&self.types, &other.types) || same_types(&self.types, &other.types))
    }
}

impl core::hash::Hash for FuncType {
    /// By contents, as equality is.
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.len_params.hash(state);
        self.sub.as_ref().map(|s| s.id).hash(state);
        self.types.hash(state);
    }
}

impl fmt::Debug for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(func")?;
        if !self.params().is_empty() {
            f.write_str(" (param")?;
            for p in self.params() {
                write!(f, " {p}")?;
            }
            f.write_str(")")?;
        }
        if !self.results().is_empty() {
            f.write_str(" (result")?;
            for r in self.results() {
                write!(f, " {r}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")
    }
}

/// Size limits, in pages for memories and in elements for tables.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Limits {
    pub min: u64,
    pub max: Option<u64>,
}

impl Limits {
    /// Import subtyping: `self` (what is provided) matches `required`.
    pub(crate) fn matches(&self, required: &Limits) -> bool {
        self.min >= required.min
            && match (self.max, required.max) {
                (_, None) => true,
                (Some(have), Some(want)) => have <= want,
                (None, Some(_)) => false,
            }
    }
}

/// The type of a linear memory: its limits in pages, whether it is addressed with 64-bit
/// (`memory64`) or 32-bit addresses, and its page size (64 KiB, or 1 byte with the
/// custom-page-sizes proposal).
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct MemoryType {
    pub limits: Limits,
    /// Whether addresses, sizes and `memory.grow`'s operand are `i64` (memory64).
    pub is_64: bool,
    /// The page size's base-2 logarithm: 16 (64 KiB, the default) or 0 (one byte).
    pub page_size_log2: u8,
}

impl MemoryType {
    /// The default page size's base-2 logarithm (64 KiB pages).
    pub const DEFAULT_PAGE_SIZE_LOG2: u8 = 16;

    /// A 32-bit memory of `min` pages of 64 KiB, growable to `max` pages.
    pub fn new(min: u32, max: Option<u32>) -> MemoryType {
        MemoryType {
            limits: Limits { min: min.into(), max: max.map(Into::into) },
            is_64: false,
            page_size_log2: Self::DEFAULT_PAGE_SIZE_LOG2,
        }
    }

    /// A 64-bit memory (memory64) of `min` pages of 64 KiB, growable to `max` pages.
    pub fn new64(min: u64, max: Option<u64>) -> MemoryType {
        MemoryType { limits: Limits { min, max }, is_64: true, page_size_log2: Self::DEFAULT_PAGE_SIZE_LOG2 }
    }

    /// The same memory with pages of `2^log2` bytes (custom-page-sizes: 0 or 16).
    pub fn with_page_size_log2(mut self, log2: u8) -> MemoryType {
        self.page_size_log2 = log2;
        self
    }

    /// The page size in bytes.
    pub fn page_size(&self) -> u64 {
        1 << self.page_size_log2
    }

    /// The most pages a memory of this kind can have: its address space (2^32 bytes for a
    /// 32-bit memory, 2^64 for a 64-bit one) in pages.
    pub(crate) fn max_pages_of_kind(&self) -> u64 {
        let bits = if self.is_64 { 64 } else { 32 };
        if bits - u32::from(self.page_size_log2) >= 64 {
            u64::MAX
        } else {
            1u64 << (bits - u32::from(self.page_size_log2))
        }
    }

    /// Import subtyping: `self` (what is provided) matches `required`: the same index type
    /// and page size, and limits that fit.
    pub(crate) fn matches(&self, required: &MemoryType) -> bool {
        self.is_64 == required.is_64
            && self.page_size_log2 == required.page_size_log2
            && self.limits.matches(&required.limits)
    }
}

/// The type of a table: its element type, limits in elements, and whether it is indexed
/// with `i64` (table64, part of memory64).
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct TableType {
    pub element: RefType,
    pub limits: Limits,
    /// Whether indices, sizes and `table.grow`'s operand are `i64`.
    pub is_64: bool,
}

impl TableType {
    /// A 32-bit table of `min` elements, growable to `max`.
    pub fn new(element: RefType, min: u32, max: Option<u32>) -> TableType {
        TableType { element, limits: Limits { min: min.into(), max: max.map(Into::into) }, is_64: false }
    }

    /// A 64-bit table (table64) of `min` elements, growable to `max`.
    pub fn new64(element: RefType, min: u64, max: Option<u64>) -> TableType {
        TableType { element, limits: Limits { min, max }, is_64: true }
    }
}

/// Whether a global can be written.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub enum Mutability {
    Const,
    Var,
}

/// The type of a global.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct GlobalType {
    pub content: ValType,
    pub mutability: Mutability,
}

impl GlobalType {
    pub fn new(content: ValType, mutability: Mutability) -> GlobalType {
        GlobalType { content, mutability }
    }
}

/// The type of an exception tag: the values its exceptions carry (a function type's
/// parameters; it has no results).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagType {
    ty: FuncType,
}

impl TagType {
    /// A tag whose exceptions carry values of the types `params`.
    pub fn new(params: impl IntoIterator<Item = ValType>) -> TagType {
        TagType { ty: FuncType::new(params, []) }
    }

    pub(crate) fn from_func_type(ty: FuncType) -> TagType {
        TagType { ty }
    }

    /// The tag's type as a function type (parameters only).
    pub fn func_type(&self) -> &FuncType {
        &self.ty
    }
}

impl fmt::Display for TagType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(tag {})", self.ty)
    }
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Memory(MemoryType),
    Table(TableType),
    Global(GlobalType),
    Tag(TagType),
}

impl ExternType {
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "function",
            ExternType::Memory(_) => "memory",
            ExternType::Table(_) => "table",
            ExternType::Global(_) => "global",
            ExternType::Tag(_) => "tag",
        }
    }
}
