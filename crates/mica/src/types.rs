//! The types an embedder sees: value types, function, memory, table and global types.
//!
//! These are Mica's own vocabulary, converted once from `wasmparser`'s types when a module is
//! loaded, so that the public API does not change when the decoder does.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

/// The type of a WebAssembly value.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    /// A 128-bit vector (SIMD).
    V128,
    /// A nullable reference to a function.
    FuncRef,
    /// A nullable reference to a host object.
    ExternRef,
}

impl ValType {
    /// Whether this is a reference type.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }

    /// How many 64-bit cells a value of this type takes in a frame: 2 for `v128`, else 1.
    #[inline]
    pub(crate) fn cells(self) -> usize {
        if self == ValType::V128 { 2 } else { 1 }
    }

    pub(crate) fn from_wasmparser(ty: wasmparser::ValType) -> Option<ValType> {
        use wasmparser::ValType as W;
        Some(match ty {
            W::I32 => ValType::I32,
            W::I64 => ValType::I64,
            W::F32 => ValType::F32,
            W::F64 => ValType::F64,
            W::V128 => ValType::V128,
            W::Ref(r) => RefType::from_wasmparser(r)?.val_type(),
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
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// The type of a reference: what tables hold.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RefType {
    FuncRef,
    ExternRef,
}

impl RefType {
    pub fn val_type(self) -> ValType {
        match self {
            RefType::FuncRef => ValType::FuncRef,
            RefType::ExternRef => ValType::ExternRef,
        }
    }

    pub(crate) fn from_wasmparser(ty: wasmparser::RefType) -> Option<RefType> {
        if ty == wasmparser::RefType::FUNCREF {
            Some(RefType::FuncRef)
        } else if ty == wasmparser::RefType::EXTERNREF {
            Some(RefType::ExternRef)
        } else {
            None
        }
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.val_type().fmt(f)
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
        FuncType { types: types.into(), len_params, param_cells, result_cells }
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
            && (Arc::ptr_eq(&self.types, &other.types) || same_types(&self.types, &other.types))
    }
}

impl core::hash::Hash for FuncType {
    /// By contents, as equality is.
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.len_params.hash(state);
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

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Memory(MemoryType),
    Table(TableType),
    Global(GlobalType),
}

impl ExternType {
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            ExternType::Func(_) => "function",
            ExternType::Memory(_) => "memory",
            ExternType::Table(_) => "table",
            ExternType::Global(_) => "global",
        }
    }
}
