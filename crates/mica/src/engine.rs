//! The engine and its configuration: which WebAssembly features are on, how functions are
//! translated, and the limits every store of the engine runs under.

use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};
use wasmparser::WasmFeatures;

/// When function bodies are translated to Mica's bytecode.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum TranslationMode {
    /// Every body is validated and translated while the module loads.
    Eager,
    /// Bodies are validated while the module loads and translated on their first call.
    Lazy,
}

/// A released version of the WebAssembly specification, as a preset feature set.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum SpecVersion {
    V1,
    V2,
    V3,
}

/// Engine configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) features: WasmFeatures,
    pub(crate) translation: TranslationMode,
    pub(crate) max_stack_cells: usize,
    pub(crate) max_call_depth: usize,
    pub(crate) max_memory_bytes: u64,
    pub(crate) max_native_stack: usize,
    pub(crate) max_table_elements: u64,
    pub(crate) max_instances: usize,
    pub(crate) max_tables: usize,
    pub(crate) max_memories: usize,
    pub(crate) max_exceptions: usize,
    pub(crate) max_gc_heap: usize,
    pub(crate) gc_stress: bool,
    pub(crate) consume_fuel: bool,
    pub(crate) fuel_costs: crate::fuel::FuelCosts,
    pub(crate) epoch_interruption: bool,
}

/// The proposals Mica implements; everything else stays off whatever is asked.
const SUPPORTED: WasmFeatures = STANDARD.union(PROPOSED);

/// What Mica implements of the standard (3.0 so far): on by default. A build without the
/// crate feature `simd` leaves out fixed-width and relaxed SIMD.
const STANDARD: WasmFeatures = WasmFeatures::WASM2
    .union(WasmFeatures::TAIL_CALL)
    .union(WasmFeatures::EXTENDED_CONST)
    .union(WasmFeatures::RELAXED_SIMD)
    .union(WasmFeatures::MEMORY64)
    .union(WasmFeatures::MULTI_MEMORY)
    .union(WasmFeatures::FUNCTION_REFERENCES)
    .union(WasmFeatures::EXCEPTIONS)
    .union(WasmFeatures::GC)
    .difference(LEFT_OUT);

/// What this build leaves out: SIMD without the crate feature `simd`.
const LEFT_OUT: WasmFeatures = if cfg!(feature = "simd") {
    WasmFeatures::empty()
} else {
    WasmFeatures::SIMD.union(WasmFeatures::RELAXED_SIMD)
};

/// Proposals not yet in the standard that Mica implements: off unless enabled by name
/// (`Config::enable_proposal`).
const PROPOSED: WasmFeatures = WasmFeatures::CUSTOM_PAGE_SIZES
    .union(WasmFeatures::WIDE_ARITHMETIC)
    .union(WasmFeatures::LEGACY_EXCEPTIONS);

impl Default for Config {
    fn default() -> Config {
        Config {
            features: STANDARD,
            translation: TranslationMode::Eager,
            max_stack_cells: 1 << 20,
            max_call_depth: 100_000,
            max_memory_bytes: 1 << 32,
            max_native_stack: 1 << 20,
            max_table_elements: 10_000_000,
            max_instances: 10_000,
            max_tables: 10_000,
            max_memories: 10_000,
            max_exceptions: 1 << 20,
            max_gc_heap: 1 << 30,
            gc_stress: false,
            consume_fuel: false,
            fuel_costs: crate::fuel::FuelCosts::default(),
            epoch_interruption: false,
        }
    }
}

macro_rules! feature_switches {
    ($( $(#[$doc:meta])* $method:ident => $flag:ident, )*) => {
        impl Config {
            $(
                $(#[$doc])*
                pub fn $method(&mut self, enable: bool) -> &mut Config {
                    self.set_feature(WasmFeatures::$flag, enable)
                }
            )*
        }
    };
}

feature_switches! {
    /// Multi-value block and function results (2.0).
    wasm_multi_value => MULTI_VALUE,
    /// Bulk memory and table operations and passive segments (2.0).
    wasm_bulk_memory => BULK_MEMORY,
    /// `funcref`/`externref` values and multiple tables (2.0).
    wasm_reference_types => REFERENCE_TYPES,
    /// Sign-extension operators (2.0).
    wasm_sign_extension => SIGN_EXTENSION,
    /// Non-trapping float-to-int conversions (2.0).
    wasm_saturating_float_to_int => SATURATING_FLOAT_TO_INT,
    /// Import and export of mutable globals (1.0).
    wasm_mutable_global => MUTABLE_GLOBAL,
    /// `return_call` and `return_call_indirect` (3.0).
    wasm_tail_call => TAIL_CALL,
    /// Arithmetic in constant expressions (3.0).
    wasm_extended_const => EXTENDED_CONST,
    /// Fixed-width 128-bit SIMD: `v128` and its operations (2.0).
    wasm_simd => SIMD,
    /// Relaxed SIMD (3.0), with one deterministic result per operation (see `crate::simd::relaxed`).
    wasm_relaxed_simd => RELAXED_SIMD,
    /// 64-bit memories and tables (3.0).
    wasm_memory64 => MEMORY64,
    /// Several memories per module (3.0).
    wasm_multi_memory => MULTI_MEMORY,
    /// Memories with one-byte pages (proposal; off by default).
    wasm_custom_page_sizes => CUSTOM_PAGE_SIZES,
    /// 128-bit addition and subtraction, and 64×64→128-bit products (proposal; off by default).
    wasm_wide_arithmetic => WIDE_ARITHMETIC,
    wasm_function_references => FUNCTION_REFERENCES,
    wasm_exceptions => EXCEPTIONS,
    wasm_legacy_exceptions => LEGACY_EXCEPTIONS,
}

impl Config {
    pub fn new() -> Config {
        Config::default()
    }

    fn set_feature(&mut self, flag: WasmFeatures, enable: bool) -> &mut Config {
        self.features.set(flag & SUPPORTED, enable);
        self
    }

    /// Turns on exactly the features of a spec version that Mica implements.
    pub fn spec_version(&mut self, version: SpecVersion) -> &mut Config {
        let features = match version {
            SpecVersion::V1 => WasmFeatures::WASM1,
            SpecVersion::V2 => WasmFeatures::WASM2,
            SpecVersion::V3 => WasmFeatures::WASM3,
        };
        self.features = (features & SUPPORTED) | WasmFeatures::WASM1;
        self
    }

    /// Enables a proposal by its name in the spec repository (`multi-value`, `tail-call`, ...).
    /// Returns `false` for a name Mica does not know or does not implement.
    pub fn enable_proposal(&mut self, name: &str) -> bool {
        let flag = match name {
            "mutable-global" => WasmFeatures::MUTABLE_GLOBAL,
            "multi-value" => WasmFeatures::MULTI_VALUE,
            "bulk-memory" | "bulk-memory-operations" => WasmFeatures::BULK_MEMORY,
            "reference-types" => WasmFeatures::REFERENCE_TYPES,
            "sign-extension-ops" => WasmFeatures::SIGN_EXTENSION,
            "nontrapping-float-to-int-conversions" => WasmFeatures::SATURATING_FLOAT_TO_INT,
            "tail-call" => WasmFeatures::TAIL_CALL,
            "extended-const" => WasmFeatures::EXTENDED_CONST,
            "simd" => WasmFeatures::SIMD,
            "relaxed-simd" => WasmFeatures::SIMD | WasmFeatures::RELAXED_SIMD,
            "memory64" => WasmFeatures::MEMORY64,
            "multi-memory" => WasmFeatures::MULTI_MEMORY,
            "custom-page-sizes" => WasmFeatures::CUSTOM_PAGE_SIZES,
            "wide-arithmetic" => WasmFeatures::WIDE_ARITHMETIC,
            "function-references" => WasmFeatures::FUNCTION_REFERENCES,
            "exceptions" | "exception-handling" => WasmFeatures::EXCEPTIONS,
            // The legacy exception instructions (`try`, `catch`, `delegate`, `rethrow`) that
            // toolchains still emit by default.
            "legacy-exceptions" => WasmFeatures::EXCEPTIONS | WasmFeatures::LEGACY_EXCEPTIONS,
            "gc" => WasmFeatures::GC | WasmFeatures::FUNCTION_REFERENCES | WasmFeatures::REFERENCE_TYPES,
            _ => return false,
        };
        self.set_feature(flag, true);
        true
    }

    /// Every feature Mica implements: the standard's (the default) and the proposals not yet
    /// in it (custom page sizes, wide arithmetic).
    pub fn all_features(&mut self) -> &mut Config {
        self.features = SUPPORTED;
        self
    }

    /// Only the 1.0 feature set: the starting point for [`Config::enable_proposal`].
    pub fn mvp_only(&mut self) -> &mut Config {
        self.features = WasmFeatures::WASM1;
        self
    }

    pub fn translation(&mut self, mode: TranslationMode) -> &mut Config {
        self.translation = mode;
        self
    }

    /// The value stack's size limit, in 8-byte cells; exceeding it is a stack-overflow trap.
    pub fn max_stack_cells(&mut self, cells: usize) -> &mut Config {
        self.max_stack_cells = cells.max(64);
        self
    }

    /// The deepest nesting of calls; exceeding it is a stack-overflow trap.
    pub fn max_call_depth(&mut self, depth: usize) -> &mut Config {
        self.max_call_depth = depth.max(1);
        self
    }

    /// How much native stack host→wasm re-entry may use, in bytes: each nested activation
    /// (a host function calling back into wasm) recurses on the native stack, and going past
    /// this is a stack-overflow trap. Keep it well below the smallest thread stack that runs
    /// wasm.
    pub fn max_native_stack(&mut self, bytes: usize) -> &mut Config {
        self.max_native_stack = bytes;
        self
    }

    /// The most bytes of linear memory a store may hold: each memory, 32- or 64-bit, and
    /// all of a store's memories together (default 4 GiB). `memory.grow` past it returns -1
    /// and `Memory::grow` fails; a memory whose minimum does not fit cannot be created
    /// (instantiation fails). A memory may declare a larger maximum: it only reserves address
    /// space for what this limit allows. 0 allows only empty memories.
    pub fn max_memory_bytes(&mut self, bytes: u64) -> &mut Config {
        self.max_memory_bytes = bytes;
        self
    }

    /// [`Config::max_memory_bytes`] in 64 KiB pages.
    pub fn max_memory_pages(&mut self, pages: u64) -> &mut Config {
        self.max_memory_bytes(pages.saturating_mul(65536))
    }

    /// The most elements any one table may have (at most `u32::MAX`; default 10,000,000, 80 MB
    /// of references). `table.grow` past it returns -1 and `Table::grow` fails; a table whose
    /// minimum is larger cannot be created (instantiation fails). 0 allows only empty tables.
    pub fn max_table_elements(&mut self, elements: u64) -> &mut Config {
        self.max_table_elements = elements.min(u32::MAX as u64);
        self
    }

    /// The most instances a store may hold (default 10,000): instantiating past it fails,
    /// before anything is allocated.
    pub fn max_instances(&mut self, count: usize) -> &mut Config {
        self.max_instances = count;
        self
    }

    /// The most tables a store may hold, defined by instances or created by the host (default
    /// 10,000): an instantiation or `Table::new` that would go past it fails.
    pub fn max_tables(&mut self, count: usize) -> &mut Config {
        self.max_tables = count;
        self
    }

    /// The most exceptions a store holds at a time that references were handed out for
    /// (`catch_ref`, the embedder); making one more traps with `TrapCode::OutOfMemory`.
    /// Exceptions caught without a reference are reused and do not count. 2^20 by default.
    pub fn max_exceptions(&mut self, count: usize) -> &mut Config {
        self.max_exceptions = count.max(1);
        self
    }

    /// The most bytes a store's GC heap (its structs and arrays, with their bookkeeping) may
    /// take: an allocation past it collects first, and traps with `TrapCode::OutOfMemory` if
    /// that did not free enough. 1 GiB by default.
    pub fn max_gc_heap(&mut self, bytes: usize) -> &mut Config {
        self.max_gc_heap = bytes;
        self
    }

    /// Stress mode for the collector: collect before every allocation. For tests: it proves
    /// that whatever is live at an allocation is reachable from the roots.
    pub fn gc_stress(&mut self, enable: bool) -> &mut Config {
        self.gc_stress = enable;
        self
    }

    /// Meters fuel: every store of the engine then starts with none
    /// (`Store::set_fuel`), and running code consumes it by the cost model
    /// (`Config::fuel_costs`); running out traps with `TrapCode::OutOfFuel`, or pauses a
    /// resumable call (`Func::call_resumable`). Off by default: then no code is emitted for
    /// it and nothing is charged.
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Config {
        self.consume_fuel = enable;
        self
    }

    /// What each class of operator costs when fuel is metered (`FuelCosts::default` by
    /// default). Costs are built into code as it is translated, so they are the engine's.
    pub fn fuel_costs(&mut self, costs: crate::fuel::FuelCosts) -> &mut Config {
        self.fuel_costs = costs;
        self
    }

    /// Checks the engine's epoch (`Engine::increment_epoch`) wherever code can go round: at
    /// every backward branch taken, and before every call and `br_table`. Once the epoch
    /// reaches a store's deadline (`Store::set_epoch_deadline`), the code running in that
    /// store traps with `TrapCode::Interrupt`, or pauses a resumable call. Off by default:
    /// then nothing is checked.
    pub fn epoch_interruption(&mut self, enable: bool) -> &mut Config {
        self.epoch_interruption = enable;
        self
    }

    /// What the translator emits for fuel and epochs.
    pub(crate) fn metering(&self) -> crate::fuel::Metering {
        crate::fuel::Metering {
            fuel: self.consume_fuel.then_some(self.fuel_costs),
            epochs: self.epoch_interruption,
        }
    }

    /// The most memories a store may hold, defined by instances or created by the host
    /// (default 10,000): an instantiation or `Memory::new` that would go past it fails.
    pub fn max_memories(&mut self, count: usize) -> &mut Config {
        self.max_memories = count;
        self
    }
}

/// The shared, immutable context modules are loaded in and stores run under.
///
/// Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    config: Arc<Config>,
    /// The function types of every module loaded with this engine, by identity.
    types: Arc<crate::types::TypeRegistry>,
    /// The epoch (`Engine::increment_epoch`), which code checks against its store's
    /// deadline when `Config::epoch_interruption` is on.
    epoch: Arc<AtomicU64>,
    /// Translation's buffers, kept from one module to the next.
    buffers: Arc<crate::translate::BufferPool>,
}

impl Engine {
    pub fn new(config: &Config) -> Engine {
        Engine {
            config: Arc::new(config.clone()),
            types: Arc::default(),
            epoch: Arc::default(),
            buffers: Arc::default(),
        }
    }

    /// The spare translation buffers (`translate::BufferPool`).
    pub(crate) fn buffers(&self) -> &crate::translate::BufferPool {
        &self.buffers
    }

    /// Advances the epoch by one. Any thread may call it (an `Engine` is `Send + Sync` and
    /// cheap to clone); code running in a store whose deadline the epoch reaches stops at
    /// its next loop iteration or call (`Config::epoch_interruption`).
    pub fn increment_epoch(&self) {
        self.epoch.fetch_add(1, Ordering::Relaxed);
    }

    /// The current epoch.
    pub fn current_epoch(&self) -> u64 {
        self.epoch.load(Ordering::Relaxed)
    }

    /// The epoch counter, which the interpreter reads (`exec::threaded::FastCtx::epoch`).
    pub(crate) fn epoch_counter(&self) -> &AtomicU64 {
        &self.epoch
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The engine's defined types (see `types::TypeRegistry`).
    pub(crate) fn types(&self) -> &crate::types::TypeRegistry {
        &self.types
    }

    pub(crate) fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.config, &other.config)
    }
}
