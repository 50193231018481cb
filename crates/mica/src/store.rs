//! The store: owner of everything instances create — functions, memories, tables, globals,
//! element and data segments — of the host's data `T`, and of the execution stacks.
//!
//! Handles ([`Func`], [`Memory`], ...) are an index plus the id of the store they belong to;
//! using a handle with another store is an error, never a wrong answer.

use crate::engine::Engine;
use crate::exec::ExecStack;
use crate::instance::InstanceEntity;
use crate::types::{FuncType, GlobalType, MemoryType, TableType};
use crate::cell::Cell;
use crate::memory::MemoryBacking;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::any::Any;
use core::sync::atomic::{AtomicU64, Ordering};

/// Which store a handle belongs to.
#[doc(hidden)]
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct StoreId(u64);

impl StoreId {
    fn fresh() -> StoreId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        StoreId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A function: either a wasm function of an instance or a host function.
pub(crate) enum FuncEntity {
    /// `code` caches the translation once it exists (at instantiation in eager mode, on the
    /// first call in lazy mode), so that entering the function from the host or the slow
    /// path (`Executor::enter`) need not look it up through the instance's module; the
    /// handlers' direct calls read the module's `CallEntry` instead.
    Wasm { ty: FuncType, instance: u32, def_index: u32, code: Option<crate::exec::CodeRef> },
    Host { ty: FuncType, host: u32 },
}

impl FuncEntity {
    pub(crate) fn ty(&self) -> &FuncType {
        match self {
            FuncEntity::Wasm { ty, .. } | FuncEntity::Host { ty, .. } => ty,
        }
    }
}

pub(crate) struct MemoryEntity {
    pub ty: MemoryType,
    /// The bytes (see `memory.rs`: reserved address space on unix, a heap buffer elsewhere).
    pub data: MemoryBacking,
    /// The most pages this memory may reach: its type's maximum within the engine's limit.
    pub max_pages: u64,
}

/// The size of a default (64 KiB) page.
pub(crate) const PAGE_SIZE: usize = 65536;

impl MemoryEntity {
    /// A memory of type `ty`, `ty.limits.min` zero pages, that may grow to its maximum within
    /// the engine's limit of `limit_bytes` (`Config::max_memory_bytes`) and the store's
    /// remaining budget `budget_bytes`. Fails, with the reason, if its minimum is past any
    /// of these, or the memory cannot be allocated. Only the initial pages are committed:
    /// the maximum, however large, is address space at most (`memory.rs`).
    pub(crate) fn new(ty: MemoryType, limit_bytes: u64, budget_bytes: u64) -> Result<MemoryEntity, String> {
        let min = ty.limits.min;
        let log2 = ty.page_size_log2;
        let limit_pages = limit_bytes >> log2;
        if min > limit_pages {
            return Err(format!(
                "a memory of {min} pages of {} bytes is over the limit of {limit_bytes} bytes \
                 (Config::max_memory_bytes)",
                ty.page_size()
            ));
        }
        if min > budget_bytes >> log2 {
            return Err(format!(
                "a memory of {min} pages of {} bytes is over what the store's limit of \
                 {limit_bytes} bytes of memory in all (Config::max_memory_bytes) leaves: \
                 {budget_bytes} bytes",
                ty.page_size()
            ));
        }
        let max_pages = ty.limits.max.unwrap_or(u64::MAX).min(ty.max_pages_of_kind()).min(limit_pages);
        if min > max_pages {
            return Err(format!("a memory of {min} pages is over its maximum of {max_pages} pages"));
        }
        let cannot = || format!("cannot allocate a memory of {min} pages");
        // `min <= limit_bytes >> log2`: no overflow.
        let initial = usize::try_from(min << log2).map_err(|_| cannot())?;
        // `max_pages <= limit_bytes >> log2`: no overflow.
        let data = MemoryBacking::new(initial, max_pages << log2).ok_or_else(cannot)?;
        Ok(MemoryEntity { ty, data, max_pages })
    }

    /// The size in pages.
    pub(crate) fn pages(&self) -> u64 {
        (self.data.len() as u64) >> self.ty.page_size_log2
    }

    /// The size in bytes.
    pub(crate) fn bytes(&self) -> u64 {
        self.data.len() as u64
    }

    /// Grows by `delta` pages if the new pages fit in `budget_bytes` (what the store's limit
    /// leaves); returns the old size, or `None` if the memory cannot grow (past its maximum,
    /// the engine's limit or the budget, or the system has no memory for it), unchanged.
    fn grow(&mut self, delta: u64, budget_bytes: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages || delta > budget_bytes >> self.ty.page_size_log2 {
            return None;
        }
        // `new <= max_pages`, which `new` checked fits in bytes.
        let new_len = usize::try_from(new << self.ty.page_size_log2).ok()?;
        if !self.data.grow(new_len) {
            return None;
        }
        self.ty.limits.min = new;
        Some(old)
    }
}

pub(crate) struct TableEntity {
    pub ty: TableType,
    pub elems: Vec<Cell>,
    /// The most elements this table may reach: its type's maximum within the engine's limit.
    pub max_elems: u64,
}

impl TableEntity {
    /// A table of type `ty`, `ty.limits.min` elements set to `init`, that may grow to its
    /// maximum within the engine's limit of `limit` elements. Fails, with the reason, if its
    /// minimum is past either, or the table cannot be allocated.
    pub(crate) fn new(ty: TableType, init: Cell, limit: u64) -> Result<TableEntity, String> {
        let min = ty.limits.min;
        if min > limit {
            return Err(format!(
                "a table of {min} elements is over the limit of {limit} elements \
                 (Config::max_table_elements)"
            ));
        }
        let max_elems = ty.limits.max.unwrap_or(u64::MAX).min(u32::MAX as u64).min(limit);
        if min > max_elems {
            return Err(format!(
                "a table of {min} elements is over its maximum of {max_elems} elements"
            ));
        }
        let cannot = || format!("cannot allocate a table of {min} elements");
        let len = usize::try_from(min).map_err(|_| cannot())?;
        let mut elems = Vec::new();
        elems.try_reserve_exact(len).map_err(|_| cannot())?;
        elems.resize(len, init);
        Ok(TableEntity { ty, elems, max_elems })
    }

    /// Grows by `delta` elements set to `init`; returns the old size, or `None` if the table
    /// cannot grow (past its maximum or the engine's limit, or no memory for it), unchanged.
    pub(crate) fn grow(&mut self, delta: u64, init: Cell) -> Option<u64> {
        let old = self.elems.len() as u64;
        let new = old.checked_add(delta)?;
        if new > self.max_elems {
            return None;
        }
        let new = usize::try_from(new).ok()?;
        self.elems.try_reserve_exact(new - self.elems.len()).ok()?;
        self.elems.resize(new, init);
        self.ty.limits.min = new as u64;
        Some(old)
    }
}

pub(crate) struct GlobalEntity {
    pub ty: GlobalType,
    /// The value's cell: a scalar or reference, or a `v128`'s low half.
    pub value: Cell,
    /// A `v128`'s high half (0 for other types).
    pub high: Cell,
}

impl GlobalEntity {
    pub(crate) fn new(ty: GlobalType, value: u128) -> GlobalEntity {
        GlobalEntity { ty, value: value as Cell, high: (value >> 64) as Cell }
    }

    /// The value as a `u128` (see [`ConstExpr::eval`](crate::module::ConstExpr)).
    pub(crate) fn get(&self) -> u128 {
        self.value as u128 | (self.high as u128) << 64
    }
}

/// The parts of a store that do not depend on the host data type.
pub(crate) struct StoreInner {
    pub id: StoreId,
    pub engine: Engine,
    pub funcs: Vec<FuncEntity>,
    pub memories: Vec<MemoryEntity>,
    /// The bytes of all of `memories`, which the memory limit bounds.
    pub memory_bytes: u64,
    pub tables: Vec<TableEntity>,
    pub globals: Vec<GlobalEntity>,
    pub instances: Vec<InstanceEntity>,
    pub externs: Vec<Box<dyn Any + Send + Sync>>,
    pub tags: Vec<crate::exception::TagEntity>,
    /// Exceptions (`crate::exception`), and those free for reuse.
    pub exns: Vec<crate::exception::ExnEntity>,
    pub exn_free: Vec<u32>,
    /// Structs and arrays (`crate::gc`).
    pub gc: crate::gc::Heap,
    /// The GC references the host holds (`gc/roots.rs`).
    pub roots: core::cell::RefCell<crate::gc::Roots>,
    pub exec: ExecStack,
    /// The store's host functions, by host index, for `Store<T>` (`Store::push_host`, the
    /// only way in: every one was made for that `T`). The list only grows. See `exec/host.rs`.
    pub hosts: Vec<alloc::sync::Arc<dyn crate::exec::HostCall>>,
}

impl StoreInner {
    /// Collects the GC heap. The roots: the value stack's cells that the stack maps name
    /// (`exec::stack_roots`: every suspended frame's, and the `running` frame's: code, the
    /// index of the instruction after the allocating one, base), globals and tables of
    /// reference types that can reach objects, element segments, exceptions, and the host's
    /// roots.
    pub(crate) fn collect_garbage(&mut self, running: Option<(crate::exec::CodeRef, usize, usize)>) {
        let globals = self.globals.iter().filter(|g| g.ty.content.holds_gc_refs()).map(|g| g.value);
        let tables = self
            .tables
            .iter()
            .filter(|t| t.ty.element.heap_type().holds_gc_refs())
            .flat_map(|t| t.elems.iter().copied());
        let elems = self.instances.iter().flat_map(|i| {
            let segments = i.elems.iter().zip(&i.module.elems);
            segments.filter(|(_, seg)| seg.gc_refs).flat_map(|(items, _)| items.iter().copied())
        });
        let exns = self.exns.iter().flat_map(|e| e.payload.iter().copied());
        let mut stack = Vec::new();
        crate::exec::stack_roots(&self.exec, running, |cell| stack.push(cell));
        // Paused calls: every cell (`exec/suspend.rs`), once those abandoned are dropped.
        self.exec.suspended.drop_abandoned();
        stack.extend(self.exec.suspended.cells());
        let stack = stack.into_iter();
        let roots = self.roots.borrow();
        self.gc.collect(stack.chain(globals).chain(tables).chain(elems).chain(exns).chain(roots.cells()));
    }

    /// Allocates a zeroed object of type `ty` of `len` bytes, collecting first when the heap
    /// asks for it (see `collect_garbage` for `running`: the running frame, when wasm
    /// allocates; `None` when the host does, every wasm frame being suspended), and again if
    /// the object does not fit the limit; past it, an out-of-memory trap.
    pub(crate) fn allocate(
        &mut self,
        ty: &alloc::sync::Arc<crate::types::DefinedType>,
        len: usize,
        running: Option<(crate::exec::CodeRef, usize, usize)>,
    ) -> crate::Result<crate::cell::Cell> {
        let config = self.engine.config();
        let (limit, stress) = (config.max_gc_heap, config.gc_stress);
        if self.gc.wants_collection(crate::gc::Heap::cost(len), stress) {
            self.collect_garbage(running);
        }
        match self.gc.alloc(ty, len, limit) {
            Ok(cell) => Ok(cell),
            Err(_) => {
                self.collect_garbage(running);
                Ok(self.gc.alloc(ty, len, limit)?)
            }
        }
    }

    /// What the store's memory limit (`Config::max_memory_bytes`, which bounds the sum of
    /// the store's memories as well as each one) leaves for more memory.
    fn memory_budget(&self) -> u64 {
        self.engine.config().max_memory_bytes.saturating_sub(self.memory_bytes)
    }

    /// Recounts `memory_bytes`, after memories were removed (a failed instantiation).
    pub(crate) fn recount_memory(&mut self) {
        self.memory_bytes = self.memories.iter().map(MemoryEntity::bytes).sum();
    }

    /// Creates a memory of type `ty` within the engine's limits (see `MemoryEntity::new`)
    /// and returns its store index.
    pub(crate) fn new_memory(&mut self, ty: MemoryType) -> Result<u32, String> {
        let limit = self.engine.config().max_memory_bytes;
        let memory = MemoryEntity::new(ty, limit, self.memory_budget())?;
        self.memory_bytes += memory.bytes();
        self.memories.push(memory);
        Ok((self.memories.len() - 1) as u32)
    }

    /// Grows memory `index` by `delta` pages within the store's limit; the old size in
    /// pages, or `None` with nothing changed.
    pub(crate) fn grow_memory(&mut self, index: u32, delta: u64) -> Option<u64> {
        let budget = self.memory_budget();
        let memory = &mut self.memories[index as usize];
        let before = memory.bytes();
        let old = memory.grow(delta, budget)?;
        self.memory_bytes += memory.bytes() - before;
        Some(old)
    }

    /// Fails, with a usage error, when a handle created in store `owner` is used with this
    /// store: every handle method checks this before it indexes anything.
    /// Inlined, with the error made out of line: host functions call it on every access to
    /// guest memory.
    #[inline]
    pub(crate) fn check_owner(&self, owner: StoreId) -> crate::error::Result<()> {
        if self.id == owner { Ok(()) } else { Err(foreign_handle()) }
    }

    /// Fails, with the reason, if the store cannot take `instances` more instances, `tables`
    /// more tables and `memories` more memories within the engine's limits
    /// (`Config::max_instances`, `max_tables`, `max_memories`).
    pub(crate) fn check_room(
        &self,
        instances: usize,
        tables: usize,
        memories: usize,
    ) -> Result<(), String> {
        let config = self.engine.config();
        let counts = [
            ("instances", "max_instances", self.instances.len(), instances, config.max_instances),
            ("tables", "max_tables", self.tables.len(), tables, config.max_tables),
            ("memories", "max_memories", self.memories.len(), memories, config.max_memories),
        ];
        for (what, setting, have, more, limit) in counts {
            if more > 0 && have.saturating_add(more) > limit {
                return Err(format!(
                    "the store's limit of {limit} {what} (Config::{setting}) does not allow \
                     {more} more: it holds {have}"
                ));
            }
        }
        Ok(())
    }
}

/// Everything instances own, and the host's data `T`.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    data: T,
}

impl<T> Store<T> {
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        Store {
            inner: StoreInner {
                id: StoreId::fresh(),
                engine: engine.clone(),
                funcs: Vec::new(),
                memories: Vec::new(),
                memory_bytes: 0,
                tables: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                externs: Vec::new(),
                tags: Vec::new(),
                exns: Vec::new(),
                exn_free: Vec::new(),
                gc: Default::default(),
                roots: Default::default(),
                exec: ExecStack::new(engine.config()),
                hosts: Vec::new(),
            },
            data,
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// How many paused calls the store keeps (`Func::call_resumable`): those whose handle
    /// is alive, and those abandoned since the last pause or collection.
    pub fn paused_calls(&self) -> usize {
        self.inner.exec.suspended.len()
    }

    /// Sets the fuel the store has left (`Config::consume_fuel`; a store starts with none).
    /// Fails if the engine does not meter fuel.
    pub fn set_fuel(&mut self, fuel: u64) -> crate::Result<()> {
        if !self.inner.exec.metering {
            return Err(crate::Error::usage("fuel is not metered: enable Config::consume_fuel"));
        }
        self.inner.exec.fuel = fuel;
        Ok(())
    }

    /// The fuel the store has left. Fails if the engine does not meter fuel.
    pub fn get_fuel(&self) -> crate::Result<u64> {
        if !self.inner.exec.metering {
            return Err(crate::Error::usage("fuel is not metered: enable Config::consume_fuel"));
        }
        Ok(self.inner.exec.fuel)
    }

    /// Takes `fuel` from the store, for work done outside wasm (a host function's, through
    /// `Caller::consume_fuel`). Out of fuel is a trap (`TrapCode::OutOfFuel`), and leaves the
    /// fuel as it was. Nothing happens if the engine does not meter fuel.
    pub fn consume_fuel(&mut self, fuel: u64) -> crate::Result<()> {
        match self.inner.exec.take_fuel(fuel) {
            true => Ok(()),
            false => Err(crate::Trap::new(crate::TrapCode::OutOfFuel).into()),
        }
    }

    /// Code running in this store stops (`TrapCode::Interrupt`, or a pause of a resumable
    /// call) once the engine's epoch reaches `ticks` past its current value
    /// (`Config::epoch_interruption`, `Engine::increment_epoch`). A store starts with no
    /// deadline; the deadline stays until set again, so code entered after it passed stops
    /// at its first check. Only an engine with `Config::epoch_interruption` emits the
    /// checks: without it the deadline changes nothing.
    pub fn set_epoch_deadline(&mut self, ticks: u64) {
        self.inner.exec.deadline = self.inner.engine.current_epoch().saturating_add(ticks);
    }

    /// Removes the epoch deadline: code runs until it ends, whatever the epoch.
    pub fn clear_epoch_deadline(&mut self) {
        self.inner.exec.deadline = u64::MAX;
    }

    /// Statistics of the store's GC heap: its size now and at its peak, objects,
    /// allocations and collections.
    pub fn gc_stats(&self) -> crate::GcStats {
        self.inner.gc.stats()
    }

    /// Collects the GC heap now: reclaims every struct and array that nothing reaches (no
    /// running function, global, table, element segment, exception or host root).
    pub fn gc(&mut self) {
        self.inner.collect_garbage(None);
    }

    /// Runs `f` in a root scope of its own: the GC references handed to the host during it
    /// (results of calls, values read from globals, tables and objects) are released when it
    /// returns, so that their objects become collectable. Without one, references handed to
    /// the embedder outside host functions stay rooted until the store is dropped.
    pub fn root_scope<R>(&mut self, f: impl FnOnce(&mut Store<T>) -> R) -> R {
        let mark = self.inner.roots.borrow().scope();
        let result = f(self);
        self.inner.roots.borrow_mut().end_scope(mark);
        result
    }

    /// How many GC references the host holds in root scopes (see [`Store::root_scope`]).
    pub fn scoped_roots(&self) -> usize {
        self.inner.roots.borrow().scoped_len()
    }

    pub fn data(&self) -> &T {
        &self.data
    }

    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    pub fn into_data(self) -> T {
        self.data
    }

    /// The store's entities and its host data, borrowed apart (for `Memory::data_and_store_mut`).
    pub(crate) fn inner_and_data_mut(&mut self) -> (&mut StoreInner, &mut T) {
        (&mut self.inner, &mut self.data)
    }
}

impl<T: core::fmt::Debug> core::fmt::Debug for Store<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Store").field("data", &self.data).finish_non_exhaustive()
    }
}

/// A non-null `externref`: a host object, or (after `extern.convert_any`) a GC value, which
/// is rooted as [`crate::AnyRef`] says.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct ExternRef {
    pub(crate) store: StoreId,
    /// The reference (cells as `crate::gc::AnyCell` says: the same in `extern` and `any`).
    pub(crate) repr: crate::gc::RefRepr,
}

impl ExternRef {
    /// Boxes `value` in the store and returns a reference to it.
    pub fn new(mut store: impl AsContextMut, value: impl Any + Send + Sync) -> ExternRef {
        let inner = &mut store.as_context_mut().0.inner;
        inner.externs.push(Box::new(value));
        let cell = crate::gc::AnyCell::Host((inner.externs.len() - 1) as u32).encode();
        ExternRef { store: inner.id, repr: crate::gc::RefRepr::Cell(cell) }
    }

    /// The same reference as an `anyref` (`any.convert_extern`).
    pub fn to_any(self) -> crate::AnyRef {
        crate::AnyRef { store: self.store, repr: self.repr }
    }

    /// The object this reference points at.
    pub fn data<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> Option<&'a (dyn Any + Send + Sync)> {
        let store = store.into().0;
        if store.inner.id != self.store {
            return None;
        }
        match self.repr {
            crate::gc::RefRepr::Cell(cell) => match crate::gc::AnyCell::decode(cell) {
                crate::gc::AnyCell::Host(index) => store.inner.externs.get(index as usize).map(|b| &**b),
                _ => None,
            },
            crate::gc::RefRepr::Rooted { .. } => None,
        }
    }
}

/// A shared borrow of a store, as API functions that only read take it.
pub struct StoreContext<'a, T>(pub(crate) &'a Store<T>);

/// An exclusive borrow of a store, as API functions that run code or change state take it.
pub struct StoreContextMut<'a, T>(pub(crate) &'a mut Store<T>);

impl<'a, T> From<&'a Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a Store<T>) -> Self {
        StoreContext(store)
    }
}

impl<'a, T> From<&'a mut Store<T>> for StoreContext<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContext(store)
    }
}

impl<'a, 'b, T> From<&'a crate::func::Caller<'b, T>> for StoreContext<'a, T> {
    fn from(caller: &'a crate::func::Caller<'b, T>) -> Self {
        StoreContext(caller.store)
    }
}

impl<'a, 'b, T> From<&'a mut crate::func::Caller<'b, T>> for StoreContext<'a, T> {
    fn from(caller: &'a mut crate::func::Caller<'b, T>) -> Self {
        StoreContext(caller.store)
    }
}

impl<'a, T> From<&'a mut Store<T>> for StoreContextMut<'a, T> {
    fn from(store: &'a mut Store<T>) -> Self {
        StoreContextMut(store)
    }
}

impl<'a, 'b, T> From<&'a mut crate::func::Caller<'b, T>> for StoreContextMut<'a, T> {
    fn from(caller: &'a mut crate::func::Caller<'b, T>) -> Self {
        StoreContextMut(caller.store)
    }
}

impl<'a, 'b, T> From<&'a mut StoreContextMut<'b, T>> for StoreContextMut<'a, T> {
    fn from(store: &'a mut StoreContextMut<'b, T>) -> Self {
        StoreContextMut(store.0)
    }
}

/// Anything that can lend a store for reading: a `Store`, a reference to one, or a host
/// function's `Caller`.
pub trait AsContext {
    type Data;
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self)
    }
}

impl<T: AsContext + ?Sized> AsContext for &T {
    type Data = T::Data;
    fn as_context(&self) -> StoreContext<'_, T::Data> {
        (**self).as_context()
    }
}

impl<T: AsContext + ?Sized> AsContext for &mut T {
    type Data = T::Data;
    fn as_context(&self) -> StoreContext<'_, T::Data> {
        (**self).as_context()
    }
}

impl<T> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.0)
    }
}

impl<T> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.0)
    }
}

impl<T> AsContext for crate::func::Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(self.store)
    }
}

/// Anything that can lend a store mutably: a `Store`, a `&mut Store`, or a host function's
/// `Caller`.
pub trait AsContextMut {
    type Data;
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

impl<T> AsContextMut for Store<T> {
    type Data = T;
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self)
    }
}

impl<T: AsContextMut + ?Sized> AsContextMut for &mut T {
    type Data = T::Data;
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T::Data> {
        (**self).as_context_mut()
    }
}

impl<T> AsContextMut for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(self.0)
    }
}

/// The error of a handle used with a store it does not belong to (`StoreInner::check_owner`).
#[cold]
#[inline(never)]
fn foreign_handle() -> crate::error::Error {
    crate::error::Error::usage("handle used with a store it does not belong to")
}
