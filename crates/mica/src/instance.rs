//! Instances: a module's definitions made real in a store, with its imports resolved.
//!
//! Instantiation follows the spec's order: check imports, allocate functions, tables,
//! memories and globals (evaluating initialisers), then apply the active element and data
//! segments, then run the start function.

use crate::error::{Error, Result, Trap, TrapCode};
use crate::exception::Tag;
use crate::externals::{Global, Memory, Table};
use crate::func::Func;
use crate::module::{EntityIndex, Module, ModuleInner, SegmentMode};
use crate::store::{
    AsContext, AsContextMut, FuncEntity, GlobalEntity, Store, StoreContext,
    StoreId, StoreInner, TableEntity,
};
use crate::types::{ExternType, Mutability};
use crate::cell::{Cell, ref_cell};
use alloc::boxed::Box;
use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Something an instance imports or exports.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum Extern {
    Func(Func),
    Memory(Memory),
    Table(Table),
    Global(Global),
    Tag(Tag),
}

impl Extern {
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self { Some(f) } else { None }
    }
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self { Some(m) } else { None }
    }
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self { Some(t) } else { None }
    }
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self { Some(g) } else { None }
    }
    pub fn into_tag(self) -> Option<Tag> {
        if let Extern::Tag(t) = self { Some(t) } else { None }
    }

    fn store(&self) -> StoreId {
        match self {
            Extern::Func(f) => f.store,
            Extern::Memory(m) => m.store,
            Extern::Table(t) => t.store,
            Extern::Global(g) => g.store,
            Extern::Tag(t) => t.store,
        }
    }

    /// The type of the extern, as import matching sees it (current sizes as minimums).
    pub(crate) fn ty(&self, inner: &StoreInner) -> ExternType {
        match self {
            Extern::Func(f) => ExternType::Func(inner.funcs[f.index as usize].ty().clone()),
            Extern::Memory(m) => ExternType::Memory(inner.memories[m.index as usize].ty),
            Extern::Table(t) => ExternType::Table(inner.tables[t.index as usize].ty),
            Extern::Global(g) => ExternType::Global(inner.globals[g.index as usize].ty),
            Extern::Tag(t) => ExternType::Tag(inner.tags[t.index as usize].ty.clone()),
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Extern {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Extern {
        Extern::Memory(m)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Extern {
        Extern::Table(t)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Extern {
        Extern::Global(g)
    }
}
impl From<Tag> for Extern {
    fn from(t: Tag) -> Extern {
        Extern::Tag(t)
    }
}

/// An instance's index spaces, resolved to store entities.
pub(crate) struct InstanceEntity {
    pub module: Arc<ModuleInner>,
    pub funcs: Box<[u32]>,
    pub tables: Box<[u32]>,
    pub memories: Box<[u32]>,
    pub globals: Box<[u32]>,
    /// Store indices of the instance's tags, imported ones first.
    pub tags: Box<[u32]>,
    /// Element segments' references; emptied by `elem.drop` (and for active and declared
    /// segments, once instantiation is done).
    pub elems: Vec<Box<[Cell]>>,
    /// Whether each data segment was dropped.
    pub data_dropped: Vec<bool>,
    /// Whether its code has memory accesses in the named form (`bytecode::acc::NAMED`): it
    /// has several memories, or a memory 0 with one-byte pages. The executor keeps views of
    /// the running instance's memories only then (`ExecStack::views`).
    pub named_memories: bool,
}

impl InstanceEntity {
    /// The bytes of data segment `index`: empty once dropped.
    pub(crate) fn data(&self, index: u32) -> &[u8] {
        if self.data_dropped[index as usize] {
            return &[];
        }
        &self.module.bytes[self.module.datas[index as usize].range.clone()]
    }
}

/// An instantiated module.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Instance {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Instance {
    /// Instantiates `module` with `imports` given in the module's import order, and runs its
    /// start function.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
        imports: &[Extern],
    ) -> Result<Instance> {
        let store = store.as_context_mut().0;
        let instance = instantiate(store, module, imports)?;
        let start = store.inner.instances[instance.index as usize].module.start;
        if let Some(start) = start {
            let func = store.inner.instances[instance.index as usize].funcs[start as usize];
            crate::exec::call_from_host(store, func, &[], &mut [])?;
        }
        Ok(instance)
    }

    /// The export called `name`.
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let store = store.as_context().0;
        if store.inner.id != self.store {
            return None;
        }
        export_of(&store.inner, self.index, name)
    }

    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    pub fn get_typed_func<P, R>(&self, store: impl AsContext, name: &str) -> Result<crate::TypedFunc<P, R>>
    where
        P: crate::WasmParams,
        R: crate::WasmResults,
    {
        let func = self
            .get_func(&store, name)
            .ok_or_else(|| Error::usage(format!("no exported function named `{name}`")))?;
        func.typed(&store)
    }

    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// Memory `index` of the instance's memory index space (imported memories first),
    /// exported or not: for embedding APIs that name an instance's memories by index (the C
    /// API's `wasm_export.h` works on memory 0). `None` past the last memory, or for a store
    /// the instance does not belong to.
    pub fn memory_at(&self, store: impl AsContext, index: u32) -> Option<Memory> {
        let store = store.as_context().0;
        if store.inner.id != self.store {
            return None;
        }
        let memories = &store.inner.instances[self.index as usize].memories;
        let memory = *memories.get(index as usize)?;
        Some(Memory { store: self.store, index: memory })
    }

    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }

    /// Every export, in the module's order.
    pub fn exports<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> Vec<(&'a str, Extern)> {
        let store = store.into().0;
        let entity = &store.inner.instances[self.index as usize];
        entity
            .module
            .exports
            .iter()
            .map(|(name, index)| (name.as_str(), resolve(&store.inner, entity, *index)))
            .collect()
    }
}

pub(crate) fn export_of(inner: &StoreInner, instance: u32, name: &str) -> Option<Extern> {
    let entity = &inner.instances[instance as usize];
    let index = entity.module.export(name)?;
    Some(resolve(inner, entity, index))
}

fn resolve(inner: &StoreInner, entity: &InstanceEntity, index: EntityIndex) -> Extern {
    let store = inner.id;
    match index {
        EntityIndex::Func(i) => Extern::Func(Func { store, index: entity.funcs[i as usize] }),
        EntityIndex::Table(i) => Extern::Table(Table { store, index: entity.tables[i as usize] }),
        EntityIndex::Memory(i) => {
            Extern::Memory(Memory { store, index: entity.memories[i as usize] })
        }
        EntityIndex::Global(i) => {
            Extern::Global(Global { store, index: entity.globals[i as usize] })
        }
        EntityIndex::Tag(i) => Extern::Tag(Tag { store, index: entity.tags[i as usize] }),
    }
}

/// Whether `have` satisfies an import of type `want`, defined types compared by the
/// engine's `registry` (their declared supertypes).
fn import_matches(have: &ExternType, want: &ExternType, registry: &crate::types::TypeRegistry) -> bool {
    let sub = |a: crate::types::ConcreteType, b| registry.is_subtype(a, b);
    match (have, want) {
        (ExternType::Func(a), ExternType::Func(b)) => a.is_subtype_of(b),
        // An immutable global may be of a subtype; a mutable one is read and written, so its
        // type must be the same.
        (ExternType::Global(a), ExternType::Global(b)) => {
            a.mutability == b.mutability
                && match a.mutability {
                    Mutability::Const => a.content.is_subtype_with(b.content, &sub),
                    Mutability::Var => a.content == b.content,
                }
        }
        (ExternType::Memory(a), ExternType::Memory(b)) => a.matches(b),
        (ExternType::Tag(a), ExternType::Tag(b)) => a == b,
        (ExternType::Table(a), ExternType::Table(b)) => {
            a.element == b.element && a.is_64 == b.is_64 && a.limits.matches(&b.limits)
        }
        _ => false,
    }
}

/// Everything up to (not including) the start function.
fn instantiate<T>(store: &mut Store<T>, module: &Module, imports: &[Extern]) -> Result<Instance> {
    let m = &module.inner;
    if !store.inner.engine.same(&m.engine) {
        return Err(Error::usage("module and store belong to different engines"));
    }
    if imports.len() != m.imports.len() {
        return Err(Error::link(format!(
            "module needs {} imports, {} given",
            m.imports.len(),
            imports.len()
        )));
    }
    let inner = &mut store.inner;
    let mut funcs = Vec::with_capacity(m.funcs.len());
    let mut tables = Vec::with_capacity(m.tables.len());
    let mut memories = Vec::with_capacity(m.memories.len());
    let mut globals = Vec::with_capacity(m.globals.len());
    let mut tags = Vec::with_capacity(m.tags.len());
    for (import, given) in m.imports.iter().zip(imports) {
        if given.store() != inner.id {
            return Err(Error::usage("import from another store"));
        }
        let have = given.ty(inner);
        if !import_matches(&have, &import.ty, inner.engine.types()) {
            return Err(Error::link(format!(
                "incompatible import type for `{}::{}`: expected {} {:?}, found {} {:?}",
                import.module,
                import.name,
                import.ty.kind_name(),
                import.ty,
                have.kind_name(),
                have
            )));
        }
        match given {
            Extern::Func(f) => funcs.push(f.index),
            Extern::Table(t) => tables.push(t.index),
            Extern::Memory(mem) => memories.push(mem.index),
            Extern::Global(g) => globals.push(g.index),
            Extern::Tag(t) => tags.push(t.index),
        }
    }

    // The store's limits first, so that a module over them allocates nothing.
    let defined_tables = m.tables.len() - m.num_imported_tables as usize;
    let defined_memories = m.memories.len() - m.num_imported_memories as usize;
    inner.check_room(1, defined_tables, defined_memories).map_err(Error::link)?;

    let instance_index = inner.instances.len() as u32;
    let marks = (inner.funcs.len(), inner.globals.len(), inner.tables.len(), inner.memories.len(), inner.tags.len());
    let spaces = (&mut funcs, &mut tables, &mut memories, &mut globals);
    if let Err(error) = allocate(inner, m, instance_index, spaces, &mut tags) {
        // Nothing refers to what was allocated (no handle to it exists): take it back, so that
        // a failed instantiation leaves the store, and its counts, as they were.
        inner.funcs.truncate(marks.0);
        inner.globals.truncate(marks.1);
        inner.tables.truncate(marks.2);
        inner.memories.truncate(marks.3);
        inner.tags.truncate(marks.4);
        inner.recount_memory();
        return Err(error);
    }
    let func_ref = |i: u32| ref_cell(funcs[i as usize]);
    let limit = inner.engine.config().max_gc_heap;
    let mut elems = Vec::with_capacity(m.elems.len());
    for seg in &m.elems {
        let mut items = Vec::with_capacity(seg.items.len());
        for e in &seg.items {
            let global = |g: u32| inner.globals[globals[g as usize] as usize].get();
            let value = e.eval_with(global, func_ref, &mut |op, stack| const_alloc(&mut inner.gc, m, op, stack, limit));
            items.push(value? as Cell);
        }
        elems.push(items.into_boxed_slice());
    }
    inner.instances.push(InstanceEntity {
        module: module.inner.clone(),
        funcs: funcs.into(),
        tables: tables.into(),
        memories: memories.into(),
        globals: globals.into(),
        tags: tags.into(),
        elems,
        data_dropped: alloc::vec![false; m.datas.len()],
        named_memories: crate::bytecode::acc::has_named_accesses(&m.memories),
    });
    initialize_segments(inner, instance_index)?;
    Ok(Instance { store: inner.id, index: instance_index })
}

/// A constant expression's allocation (`gc::alloc_const`), of a type of module `m`.
fn const_alloc(
    heap: &mut crate::gc::Heap,
    m: &ModuleInner,
    op: crate::module::const_expr::ConstGc,
    stack: &mut Vec<u128>,
    limit: usize,
) -> Result<Cell> {
    use crate::module::const_expr::ConstGc as G;
    let (G::StructNew(t) | G::StructNewDefault(t) | G::ArrayNew(t) | G::ArrayNewDefault(t) | G::ArrayNewFixed(t, _)) = op;
    let ty = m.defined.get(t as usize).ok_or_else(|| Error::usage("internal error: a type index out of range"))?;
    crate::gc::alloc_const(heap, ty, op, stack, limit).map_err(|code| Trap::new(code).into())
}

/// An instance's function, table, memory and global index spaces, as store indices.
type IndexSpaces<'a> = (&'a mut Vec<u32>, &'a mut Vec<u32>, &'a mut Vec<u32>, &'a mut Vec<u32>);

/// Allocates the module's functions, globals, tables and memories in the store, appending
/// their store indices to the instance's index spaces (which hold the imports already).
fn allocate(
    inner: &mut StoreInner,
    m: &ModuleInner,
    instance_index: u32,
    (funcs, tables, memories, globals): IndexSpaces<'_>,
    tags: &mut Vec<u32>,
) -> Result<()> {
    for &ty in &m.tags[m.num_imported_tags as usize..] {
        let ty = crate::types::TagType::from_func_type(m.types[ty as usize].clone());
        inner.tags.push(crate::exception::TagEntity { ty });
        tags.push((inner.tags.len() - 1) as u32);
    }
    // Functions first: global and table initialisers may take references to them.
    for def in 0..m.bodies.len() as u32 {
        let ty = m.func_type(m.num_imported_funcs + def).clone();
        let code = m.bodies[def as usize].compiled().map(crate::exec::CodeRef::new);
        inner.funcs.push(FuncEntity::Wasm { ty, instance: instance_index, def_index: def, code });
        funcs.push((inner.funcs.len() - 1) as u32);
    }
    let func_ref = |i: u32| ref_cell(funcs[i as usize]);
    let limit = inner.engine.config().max_gc_heap;
    for (ty, init) in m.globals[m.num_imported_globals as usize..].iter().zip(&m.global_inits) {
        let global = |g: u32| inner.globals[globals[g as usize] as usize].get();
        let value = init.eval_with(global, func_ref, &mut |op, stack| const_alloc(&mut inner.gc, m, op, stack, limit))?;
        inner.globals.push(GlobalEntity::new(*ty, value));
        globals.push((inner.globals.len() - 1) as u32);
    }
    let max_elements = inner.engine.config().max_table_elements;
    for (ty, init) in m.tables[m.num_imported_tables as usize..].iter().zip(&m.table_inits) {
        let value = match init {
            Some(e) => {
                let global = |g: u32| inner.globals[globals[g as usize] as usize].get();
                e.eval_with(global, func_ref, &mut |op, stack| const_alloc(&mut inner.gc, m, op, stack, limit))? as Cell
            }
            None => 0,
        };
        let table = TableEntity::new(*ty, value, max_elements).map_err(Error::link)?;
        inner.tables.push(table);
        tables.push((inner.tables.len() - 1) as u32);
    }
    for ty in &m.memories[m.num_imported_memories as usize..] {
        memories.push(inner.new_memory(*ty).map_err(Error::link)?);
    }
    Ok(())
}

/// An active segment's offset (a constant expression's value) for a table or memory of
/// the given index type; past any bounds if it does not fit a `usize`.
fn index_value(value: u128, is_64: bool) -> usize {
    let value = if is_64 { value as u64 } else { u64::from(value as u32) };
    usize::try_from(value).unwrap_or(usize::MAX)
}

/// Applies active segments in order, element segments first. Each one is a `table.init` or
/// `memory.init` followed by a drop: a segment that does not fit traps before writing
/// anything, and segments before it stay written. (The spec suite's 1.0 scripts, as
/// maintained today, expect this too.)
fn initialize_segments(inner: &mut StoreInner, instance: u32) -> Result<()> {
    use crate::exec::in_bounds;
    let entity = &inner.instances[instance as usize];
    let module = entity.module.clone();
    let global = |g: u32| inner.globals[entity.globals[g as usize] as usize].get();
    let func_ref = |f: u32| ref_cell(entity.funcs[f as usize]);
    let mut elem_writes = Vec::new();
    for (i, seg) in module.elems.iter().enumerate() {
        if let SegmentMode::Active { index, offset } = &seg.mode {
            let table = entity.tables[*index as usize];
            let offset = index_value(offset.eval(global, func_ref), inner.tables[table as usize].ty.is_64);
            elem_writes.push((i, table, offset));
        }
    }
    let mut data_writes = Vec::new();
    for (i, seg) in module.datas.iter().enumerate() {
        if let SegmentMode::Active { index, offset } = &seg.mode {
            let memory = entity.memories[*index as usize];
            let offset = index_value(offset.eval(global, func_ref), inner.memories[memory as usize].ty.is_64);
            data_writes.push((i, memory, offset));
        }
    }
    let oob = |code| Error::from(Trap::new(code));
    for (seg, table, offset) in elem_writes {
        let items = core::mem::take(&mut inner.instances[instance as usize].elems[seg]);
        let target = &mut inner.tables[table as usize].elems;
        let range = in_bounds(offset, items.len(), target.len());
        target[range.ok_or_else(|| oob(TrapCode::TableOutOfBounds))?].copy_from_slice(&items);
    }
    for (i, seg) in module.elems.iter().enumerate() {
        if matches!(seg.mode, SegmentMode::Declared) {
            inner.instances[instance as usize].elems[i] = Box::new([]);
        }
    }
    for (seg, memory, offset) in data_writes {
        let bytes = &module.bytes[module.datas[seg].range.clone()];
        let target = inner.memories[memory as usize].data.as_mut_slice();
        let range = in_bounds(offset, bytes.len(), target.len());
        target[range.ok_or_else(|| oob(TrapCode::MemoryOutOfBounds))?].copy_from_slice(bytes);
        inner.instances[instance as usize].data_dropped[seg] = true;
    }
    Ok(())
}
