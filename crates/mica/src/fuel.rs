//! Fuel: what running code costs, when the embedder meters it (`Config::consume_fuel`).
//!
//! The cost model is per WebAssembly *operator*, never per bytecode instruction, so that a
//! module consumes exactly the same fuel however it is translated (eagerly or lazily,
//! whatever instructions the translator fuses) and dispatched, on every platform. Where
//! fuel is charged, and why that is exact, is in ARCHITECTURE.md ("Fuel and interruption").

/// The fuel each class of operator costs. Every field may be changed; the defaults are in
/// [`FuelCosts::default`].
///
/// Static costs (`base`, `memory`, `call`) are summed per straight-line segment of code when
/// a function is translated, and charged when the segment is entered. The others depend on
/// operands known only at run time and are charged by the instruction itself, before it
/// does anything.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct FuelCosts {
    /// Every operator that does work: arithmetic, `local.*`, `global.*`, constants,
    /// `select`, `drop`, branches, `if`, `return`, references, table accesses, GC object
    /// accesses and allocations, SIMD lane operations. The operators that only mark
    /// structure (`block`, `loop`, `else`, `end`, `try_table`, legacy `try`/`catch`/
    /// `catch_all`/`delegate`) and `nop` cost nothing.
    pub base: u32,
    /// A load or store of linear memory (scalar or `v128`, lane accesses included), in place
    /// of `base`.
    pub memory: u32,
    /// A call of any form (`call`, `call_indirect`, `call_ref`, their `return_call` forms),
    /// in place of `base`.
    pub call: u32,
    /// Charged on top of `call` when the callee is a host function, before it is called.
    /// A host function may charge more itself (`Caller::consume_fuel`).
    pub host_call: u32,
    /// Bulk operations on linear memory (`memory.fill`, `memory.copy`, `memory.init`): one
    /// fuel per this many bytes, rounded up, on top of `base`.
    pub bytes_per_fuel: u32,
    /// Bulk operations on elements (`table.fill`, `table.copy`, `table.init`, and the array
    /// operations that create, fill, copy or initialise `n` elements: `array.new*`,
    /// `array.fill`, `array.copy`, `array.init_*`): one fuel per this many elements, rounded
    /// up, on top of `base`.
    pub elements_per_fuel: u32,
    /// `memory.grow`: fuel per page asked for, on top of `base` (charged before growing,
    /// whether or not the memory can grow).
    pub memory_grow_per_page: u32,
    /// `table.grow`: one fuel per this many elements asked for, rounded up, on top of
    /// `base` (charged before growing, whether or not the table can grow).
    pub table_grow_elements_per_fuel: u32,
}

impl Default for FuelCosts {
    /// One fuel per operator and per memory access, two per call, ten more per host call; a
    /// fuel per 64 bytes or 8 elements of bulk operations; 16 per page of memory growth and
    /// a fuel per 8 elements of table growth.
    fn default() -> FuelCosts {
        FuelCosts {
            base: 1,
            memory: 1,
            call: 2,
            host_call: 10,
            bytes_per_fuel: 64,
            elements_per_fuel: 8,
            memory_grow_per_page: 16,
            table_grow_elements_per_fuel: 8,
        }
    }
}

impl FuelCosts {
    /// The fuel of a bulk operation on `bytes` bytes (beyond its `base`).
    pub(crate) fn bytes(&self, bytes: u64) -> u64 {
        bytes.div_ceil(u64::from(self.bytes_per_fuel.max(1)))
    }

    /// The fuel of a bulk operation on `n` elements (beyond its `base`).
    pub(crate) fn elements(&self, n: u64) -> u64 {
        n.div_ceil(u64::from(self.elements_per_fuel.max(1)))
    }

    /// The fuel of growing a memory by `pages` (beyond `base`).
    pub(crate) fn memory_grow(&self, pages: u64) -> u64 {
        pages.saturating_mul(u64::from(self.memory_grow_per_page))
    }

    /// The fuel of growing a table by `n` elements (beyond `base`).
    pub(crate) fn table_grow(&self, n: u64) -> u64 {
        n.div_ceil(u64::from(self.table_grow_elements_per_fuel.max(1)))
    }
}

/// What the translator emits for metering and interruption, from the engine's `Config`.
#[derive(Debug, Copy, Clone, Default, PartialEq, Eq)]
pub(crate) struct Metering {
    /// The costs, when fuel is metered.
    pub fuel: Option<FuelCosts>,
    /// Whether loops and function entries check the epoch deadline.
    pub epochs: bool,
}
