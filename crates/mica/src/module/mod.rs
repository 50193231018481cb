//! A validated module: its types, imports, definitions and exports, and its function bodies,
//! translated eagerly at load or lazily on first call.

pub(crate) mod const_expr;
mod parse;
mod serialize;

pub(crate) use const_expr::ConstExpr;

use crate::engine::Engine;
use crate::error::Result;
use crate::exec::{CallEntry, Callee, CompiledFunc};
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use once_cell::race::OnceBox;

/// A compiled WebAssembly module, ready to be instantiated in any store of its engine.
///
/// Cheap to clone: clones share the module.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl core::fmt::Debug for Module {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Module").field("name", &self.inner.name).finish_non_exhaustive()
    }
}

/// What an import or export refers to, by index into the module's index spaces.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum EntityIndex {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
    Tag(u32),
}

#[derive(Debug)]
pub(crate) struct Import {
    pub module: String,
    pub name: String,
    pub ty: ExternType,
}

#[derive(Debug)]
pub(crate) enum SegmentMode {
    Passive,
    Active { index: u32, offset: ConstExpr },
    Declared,
}

#[derive(Debug)]
pub(crate) struct ElemSegment {
    pub mode: SegmentMode,
    pub items: Vec<ConstExpr>,
    /// Whether its items are references the collector follows (`HeapType::holds_gc_refs`).
    pub gc_refs: bool,
}

#[derive(Debug)]
pub(crate) struct DataSegment {
    pub mode: SegmentMode,
    /// The segment's bytes, as a range of the module's bytes.
    pub range: core::ops::Range<usize>,
}

/// A defined function's body, and its translation once made.
pub(crate) struct FuncBody {
    /// The body's bytes (locals and code), as a range of the module's bytes.
    pub range: core::ops::Range<usize>,
    compiled: OnceBox<CompiledFunc>,
    /// What a direct call reads of the translation, published when it is set.
    entry: CallEntry,
}

impl FuncBody {
    /// A body of the module's bytes at `range`, with its translation if made already.
    pub(crate) fn new(range: core::ops::Range<usize>, compiled: Option<Box<CompiledFunc>>) -> FuncBody {
        let body = FuncBody { range, compiled: OnceBox::new(), entry: CallEntry::new() };
        if let Some(compiled) = compiled {
            let _ = body.compiled.set(compiled);
            body.publish();
        }
        body
    }

    /// The translation, if made.
    pub(crate) fn compiled(&self) -> Option<&CompiledFunc> {
        self.compiled.get()
    }

    /// The translation as a call enters it, if made (and published).
    #[inline(always)]
    pub(crate) fn entry(&self) -> Option<Callee> {
        self.entry.get()
    }

    /// The translation, made now with `translate` if not yet made.
    fn compiled_or_try_init(&self, translate: impl FnOnce() -> Result<Box<CompiledFunc>>) -> Result<&CompiledFunc> {
        if let Some(compiled) = self.compiled.get() {
            return Ok(compiled);
        }
        let compiled = self.compiled.get_or_try_init(translate)?;
        self.publish();
        Ok(compiled)
    }

    fn publish(&self) {
        if let Some(compiled) = self.compiled.get() {
            self.entry.publish(compiled);
        }
    }
}

pub(crate) struct ModuleInner {
    pub engine: Engine,
    pub name: Option<String>,
    /// The module's bytes, kept whole: function bodies (translated lazily) and data segments
    /// are ranges of them, and `Module::serialize` writes them out.
    pub bytes: Box<[u8]>,
    /// Where the name section's function names are in `bytes` (empty without them).
    pub names: core::ops::Range<usize>,
    /// The function type of each type index (an empty one for a struct or array type, which
    /// validation lets no call or block name).
    pub types: Vec<FuncType>,
    /// Each type as the engine registered it: identity, supertypes, contents
    /// (`types::TypeRegistry`).
    pub defined: Vec<alloc::sync::Arc<crate::types::DefinedType>>,
    /// Whether the module's code may hold GC references (`module::parse::needs_stack_maps`):
    /// then its functions get stack maps, made with the validator's operand types.
    pub stack_maps: bool,
    /// What a lazily translated function of such a module needs to be validated again as it
    /// is translated (the validator's view of the module, and the features).
    pub revalidate: Option<(wasmparser::ValidatorResources, wasmparser::WasmFeatures)>,
    pub imports: Vec<Import>,
    /// The type index of every function, imported ones first.
    pub funcs: Vec<u32>,
    pub num_imported_funcs: u32,
    /// Every table type, imported ones first.
    pub tables: Vec<TableType>,
    pub num_imported_tables: u32,
    pub memories: Vec<MemoryType>,
    pub num_imported_memories: u32,
    /// Every global type, imported ones first.
    pub globals: Vec<GlobalType>,
    pub num_imported_globals: u32,
    /// Every tag's type index, imported ones first.
    pub tags: Vec<u32>,
    pub num_imported_tags: u32,
    /// Initialisers of the defined globals.
    pub global_inits: Vec<ConstExpr>,
    /// Initialisers of the defined tables (`None`: null references).
    pub table_inits: Vec<Option<ConstExpr>>,
    pub exports: Vec<(String, EntityIndex)>,
    /// The indices of `exports` in the order of their names (which validation made unique):
    /// an export is found by name in logarithmic time (`ModuleInner::export`), which host
    /// functions do on every call (WASI looks up `memory` each time).
    pub exports_by_name: Vec<u32>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: Vec<DataSegment>,
    /// The data count section's count (0 without one).
    pub data_count: u32,
    pub bodies: Vec<FuncBody>,
    /// Function names from the name section (`name_bytes`), by function index: decoded only
    /// when a backtrace first needs a name (a large module's names cost thousands of
    /// allocations that most runs never use).
    pub func_names: OnceBox<Vec<(u32, String)>>,
}

impl Module {
    /// Loads a module from its binary encoding, or from text when the `wat` feature is on.
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Module> {
        let bytes = bytes.as_ref();
        #[cfg(feature = "wat")]
        {
            let binary = wat::parse_bytes(bytes).map_err(|e| {
                crate::Error::from_kind(crate::error::ErrorKind::Text(alloc::format!("{e}")))
            })?;
            Module::from_binary(engine, &binary)
        }
        #[cfg(not(feature = "wat"))]
        Module::from_binary(engine, bytes)
    }

    /// Loads a module from its binary encoding.
    pub fn from_binary(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let inner = parse::parse(engine, bytes, parse::Bodies::Validate)?;
        Ok(Module { inner: Arc::new(inner) })
    }

    /// Checks that `bytes` are a valid module, without keeping anything.
    pub fn validate(engine: &Engine, bytes: &[u8]) -> Result<()> {
        Module::from_binary(engine, bytes).map(drop)
    }

    /// A listing of the bytecode of function `func_index` (translating it now if needed), for
    /// debugging and disassembly snapshots. `None` for imported functions.
    pub fn disassemble(&self, func_index: u32) -> Option<Result<alloc::string::String>> {
        let def = func_index.checked_sub(self.inner.num_imported_funcs)?;
        if def as usize >= self.inner.bodies.len() {
            return None;
        }
        Some(self.inner.compiled(def).map(|compiled| {
            let code: alloc::vec::Vec<_> = compiled.code.iter().map(crate::exec::decode).collect();
            crate::bytecode::disassemble(&code)
        }))
    }

    /// The module's name, from its name section.
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The imports, in order: module name, field name, type.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = (&str, &str, &ExternType)> + '_ {
        self.inner.imports.iter().map(|i| (i.module.as_str(), i.name.as_str(), &i.ty))
    }

    /// The exports, in order: name and type.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = (&str, ExternType)> + '_ {
        self.inner.exports.iter().map(|(name, index)| (name.as_str(), self.inner.entity_type(*index)))
    }
}

impl ModuleInner {
    /// The export named `name`, if any.
    pub(crate) fn export(&self, name: &str) -> Option<EntityIndex> {
        let at = self
            .exports_by_name
            .binary_search_by(|&i| self.exports[i as usize].0.as_str().cmp(name))
            .ok()?;
        Some(self.exports[self.exports_by_name[at] as usize].1)
    }

    pub(crate) fn func_type(&self, func_index: u32) -> &FuncType {
        &self.types[self.funcs[func_index as usize] as usize]
    }

    pub(crate) fn entity_type(&self, index: EntityIndex) -> ExternType {
        match index {
            EntityIndex::Func(i) => ExternType::Func(self.func_type(i).clone()),
            EntityIndex::Table(i) => ExternType::Table(self.tables[i as usize]),
            EntityIndex::Memory(i) => ExternType::Memory(self.memories[i as usize]),
            EntityIndex::Global(i) => ExternType::Global(self.globals[i as usize]),
            EntityIndex::Tag(i) => ExternType::Tag(crate::types::TagType::from_func_type(
                self.types[self.tags[i as usize] as usize].clone(),
            )),
        }
    }

    /// The name section's name for a function.
    pub(crate) fn func_name(&self, func_index: u32) -> Option<&str> {
        let names = self.func_names.get_or_init(|| {
            Box::new(parse::func_names(&self.bytes[self.names.clone()], self.names.start))
        });
        names.binary_search_by_key(&func_index, |(i, _)| *i).ok().map(|at| names[at].1.as_str())
    }

    /// The translation of defined function `def_index`, translating it now if needed.
    pub(crate) fn compiled(&self, def_index: u32) -> Result<&CompiledFunc> {
        let body = &self.bodies[def_index as usize];
        body.compiled_or_try_init(|| {
            let func_index = self.num_imported_funcs + def_index;
            let bytes = &self.bytes[body.range.clone()];
            let mut buffers = self.engine.buffers().take();
            // A function that needs stack maps is translated with its validator (`translate_func`).
            let mut validator = self.revalidate.as_ref().map(|(resources, features)| {
                buffers.longest_body = bytes.len();
                wasmparser::FuncToValidate {
                    resources: resources.clone(),
                    index: func_index,
                    ty: self.funcs[func_index as usize],
                    features: *features,
                }
                .into_validator(core::mem::take(&mut buffers.validator))
            });
            let bytecode = crate::translate::translate_func(
                self.translate_env(),
                func_index,
                bytes,
                body.range.start,
                validator.as_mut(),
                &mut buffers.scratch,
            );
            let compiled = bytecode.map(|bytecode| Box::new(CompiledFunc::new(bytecode)));
            if let Some(validator) = validator {
                buffers.validator = validator.into_allocations();
            }
            self.engine.buffers().give_back(buffers);
            compiled
        })
    }

    /// What the translator needs to know about the module. In eager mode, while the code
    /// section is read, the data segments are not known yet: their number is the data count
    /// section's, which a module must have to name them in code.
    pub(crate) fn translate_env(&self) -> crate::translate::ModuleEnv<'_> {
        let counts = crate::bytecode::ModuleCounts {
            funcs: self.funcs.len() as u32,
            globals: self.globals.len() as u32,
            tables: self.tables.len() as u32,
            types: self.types.len() as u32,
            elems: self.elems.len() as u32,
            datas: self.data_count.max(self.datas.len() as u32),
            memories: self.memories.len() as u32,
            tags: self.tags.len() as u32,
        };
        crate::translate::ModuleEnv {
            types: &self.types,
            defined: &self.defined,
            stack_maps: self.stack_maps,
            funcs: &self.funcs,
            tags: &self.tags,
            globals: &self.globals,
            memories: &self.memories,
            tables: &self.tables,
            counts,
            metering: self.engine.config().metering(),
        }
    }
}
