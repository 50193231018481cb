//! From bytes to a [`ModuleInner`]: one pass over the sections, each checked by `wasmparser`'s
//! validator as it is read, each function body translated (eager mode) or validated and kept
//! for later (lazy mode).

use super::{
    ConstExpr, DataSegment, ElemSegment, EntityIndex, FuncBody, Import, ModuleInner, SegmentMode,
};
use crate::engine::{Engine, TranslationMode};
use crate::error::{Error, Result};
use crate::exec::CompiledFunc;
use crate::translate::translate_func;
use crate::types::{
    ArrayType, CompositeType, ConcreteType, ExternType, FieldType, FuncType, GlobalType, Limits, Member, MemoryType,
    Mutability, RefType, StorageType, StructType, TableType, TagType, TypeKind, ValType,
};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Range;
use once_cell::race::OnceBox;
use wasmparser::{Parser, Payload, ValidPayload, Validator};

fn malformed(e: wasmparser::BinaryReaderError) -> Error {
    Error::from_parser(e, true)
}

fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    Error::from_parser(e, false)
}

impl ModuleInner {
    /// Gives back what the lists grew into and will not use: a module lives as long as its
    /// instances, and a small one's lists were mostly spare capacity (`loop_i32`'s one import
    /// took 384 bytes, its one data segment 192).
    fn shrink(&mut self) {
        self.types.shrink_to_fit();
        self.defined.shrink_to_fit();
        self.imports.shrink_to_fit();
        self.funcs.shrink_to_fit();
        self.tables.shrink_to_fit();
        self.memories.shrink_to_fit();
        self.globals.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.global_inits.shrink_to_fit();
        self.table_inits.shrink_to_fit();
        self.exports.shrink_to_fit();
        self.elems.shrink_to_fit();
        self.datas.shrink_to_fit();
        self.bodies.shrink_to_fit();
    }

    /// The engine-wide identity of the module's type `index`, if it has been read.
    fn concrete(&self, index: u32) -> Option<ConcreteType> {
        self.defined.get(index as usize).map(|t| t.id)
    }
}

fn val_type(m: &ModuleInner, ty: wasmparser::ValType) -> Result<ValType> {
    ValType::from_wasmparser(ty, &|i| m.concrete(i))
        .ok_or_else(|| Error::unsupported(format!("value type {ty}")))
}

fn ref_type(m: &ModuleInner, ty: wasmparser::RefType) -> Result<RefType> {
    RefType::from_wasmparser(ty, &|i| m.concrete(i))
        .ok_or_else(|| Error::unsupported(format!("reference type {ty}")))
}

fn table_type(m: &ModuleInner, ty: &wasmparser::TableType) -> Result<TableType> {
    if ty.shared {
        return Err(Error::unsupported("shared tables"));
    }
    Ok(TableType {
        element: ref_type(m, ty.element_type)?,
        limits: Limits { min: ty.initial, max: ty.maximum },
        is_64: ty.table64,
    })
}

fn memory_type(ty: &wasmparser::MemoryType) -> Result<MemoryType> {
    if ty.shared {
        return Err(Error::unsupported("shared memories (threads)"));
    }
    let page_size_log2 = match ty.page_size_log2 {
        None => MemoryType::DEFAULT_PAGE_SIZE_LOG2,
        Some(log2) => u8::try_from(log2).map_err(|_| Error::unsupported("page size"))?,
    };
    Ok(MemoryType { limits: Limits { min: ty.initial, max: ty.maximum }, is_64: ty.memory64, page_size_log2 })
}

fn global_type(m: &ModuleInner, ty: &wasmparser::GlobalType) -> Result<GlobalType> {
    if ty.shared {
        return Err(Error::unsupported("shared globals"));
    }
    let mutability = if ty.mutable { Mutability::Var } else { Mutability::Const };
    Ok(GlobalType { content: val_type(m, ty.content_type)?, mutability })
}


/// Whether a load validates each function body as it reads it.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(super) enum Bodies {
    /// Every body is validated at load (eager translation validates as it translates).
    Validate,
    /// Lazy translation validates each body as it translates it, on its first call, and not
    /// at load: `Module::deserialize`, for bytes that validated when they were serialized
    /// (and are validated again anyway, a body at a time).
    Deferred,
}

pub(super) fn parse(engine: &Engine, bytes: &[u8], bodies: Bodies) -> Result<ModuleInner> {
    let config = engine.config();
    let mut validator = Validator::new_with_features(config.features);
    let mut m = ModuleInner {
        engine: engine.clone(),
        name: None,
        bytes: Box::default(),
        names: 0..0,
        types: Vec::new(),
        defined: Vec::new(),
        stack_maps: false,
        revalidate: None,
        imports: Vec::new(),
        funcs: Vec::new(),
        num_imported_funcs: 0,
        tables: Vec::new(),
        num_imported_tables: 0,
        memories: Vec::new(),
        num_imported_memories: 0,
        globals: Vec::new(),
        num_imported_globals: 0,
        tags: Vec::new(),
        num_imported_tags: 0,
        global_inits: Vec::new(),
        table_inits: Vec::new(),
        exports: Vec::new(),
        exports_by_name: Vec::new(),
        start: None,
        elems: Vec::new(),
        datas: Vec::new(),
        data_count: 0,
        bodies: Vec::new(),
        func_names: OnceBox::new(),
    };
    let lazy = config.translation == TranslationMode::Lazy;
    // One set of validator allocations, handed from each function's validator to the next,
    // and (eager mode) the translator's buffers, likewise: the engine's spare ones.
    let mut buffers = engine.buffers().take();
    let deferred = lazy && bodies == Bodies::Deferred;
    let mut parser = Parser::new(0);
    parser.set_features(config.features);
    for payload in parser.parse_all(bytes) {
        let payload = payload.map_err(malformed)?;
        let valid = validator.payload(&payload).map_err(invalid)?;
        if let ValidPayload::Func(to_validate, body) = valid {
            if m.bodies.is_empty() {
                // The sections that say what the code may hold have all been read.
                m.stack_maps = needs_stack_maps(&m);
                // (Without the `fast` feature lazy translation always validates as it translates.)
                if lazy && (m.stack_maps || deferred || !cfg!(feature = "fast")) {
                    m.revalidate = Some((to_validate.resources.clone(), to_validate.features));
                }
            }
            let mut func_validator = to_validate.into_validator(core::mem::take(&mut buffers.validator));
            let range = body.range();
            let range = range.start as usize..range.end as usize;
            buffers.longest_body = buffers.longest_body.max(range.len());
            let mut compiled = None;
            if lazy {
                if !deferred {
                    crate::validate::validate_body(&mut func_validator, &body)?;
                }
            } else {
                let func_index = m.num_imported_funcs + m.bodies.len() as u32;
                let bytecode = translate_func(
                    m.translate_env(),
                    func_index,
                    &bytes[range.clone()],
                    range.start,
                    Some(&mut func_validator),
                    &mut buffers.scratch,
                )?;
                compiled = Some(Box::new(CompiledFunc::new(bytecode)));
            }
            buffers.validator = func_validator.into_allocations();
            m.bodies.push(FuncBody::new(range, compiled));
            continue;
        }
        read_section(&mut m, bytes, payload)?;
    }
    engine.buffers().give_back(buffers);
    m.bytes = bytes.into();
    let mut by_name: Vec<u32> = (0..m.exports.len() as u32).collect();
    by_name.sort_unstable_by(|&a, &b| m.exports[a as usize].0.cmp(&m.exports[b as usize].0));
    m.exports_by_name = by_name;
    m.shrink();
    Ok(m)
}

/// Whether the module's code may hold references the collector follows: a value of the `any`
/// or `extern` hierarchies can only enter a function through a type the module declares (a
/// parameter or result, a field, a table's or a global's type), so a module that declares
/// none — nearly every module compiled from C or Rust — needs no stack maps.
fn needs_stack_maps(m: &ModuleInner) -> bool {
    m.defined.iter().any(|d| match &d.composite {
        CompositeType::Func(f) => f.params().iter().chain(f.results()).any(|t| t.holds_gc_refs()),
        CompositeType::Struct(_) | CompositeType::Array(_) => true,
    }) || m.tables.iter().any(|t| t.element.heap_type().holds_gc_refs())
        || m.globals.iter().any(|g| g.content.holds_gc_refs())
}

/// How many entries a section says it has, bounded by its size (each takes a byte at least),
/// so that reserving room for them costs no more than the section's bytes whatever it says.
fn entries<T>(reader: &wasmparser::SectionLimited<'_, T>) -> usize {
    let range = reader.range();
    u64::from(reader.count()).min(range.end.saturating_sub(range.start)) as usize
}

/// Reserves room in `list` for the entries of the section `reader` reads, up to 1024: a list
/// is then allocated once, at its final size (`ModuleInner::shrink` has nothing to give
/// back), and a section that says it has more entries than it holds, whose entries may be
/// a hundred bytes each here, costs at most 1024 of them before the parse finds out.
fn reserve<T, U>(list: &mut Vec<U>, reader: &wasmparser::SectionLimited<'_, T>) {
    list.reserve(entries(reader).min(1024));
}

fn read_section(m: &mut ModuleInner, bytes: &[u8], payload: Payload<'_>) -> Result<()> {
    match payload {
        Payload::TypeSection(reader) => {
            // (A recursion group of several types grows the lists past this.)
            reserve(&mut m.types, &reader);
            reserve(&mut m.defined, &reader);
            for group in reader {
                // A recursion group (most are one type): its members refer to each other
                // relatively until the engine has registered the group (`TypeRegistry`).
                let group = group.map_err(malformed)?;
                let start = m.types.len() as u32;
                let len = group.types().len() as u32;
                let subs: Vec<wasmparser::SubType> = group.into_types().collect();
                let kind_of = |sub: &wasmparser::SubType| match &sub.composite_type.inner {
                    wasmparser::CompositeInnerType::Func(_) => Some(TypeKind::Func),
                    wasmparser::CompositeInnerType::Struct(_) => Some(TypeKind::Struct),
                    wasmparser::CompositeInnerType::Array(_) => Some(TypeKind::Array),
                    _ => None,
                };
                let concrete = |i: u32| match i.checked_sub(start) {
                    Some(j) if j < len => Some(ConcreteType::relative(j, kind_of(&subs[j as usize])?)),
                    _ => m.concrete(i),
                };
                let convert = |t: &wasmparser::ValType| {
                    ValType::from_wasmparser(*t, &concrete).ok_or_else(|| Error::unsupported(format!("value type {t}")))
                };
                let field = |f: &wasmparser::FieldType| -> Result<FieldType> {
                    let storage = match f.element_type {
                        wasmparser::StorageType::I8 => StorageType::I8,
                        wasmparser::StorageType::I16 => StorageType::I16,
                        wasmparser::StorageType::Val(t) => StorageType::Val(convert(&t)?),
                    };
                    Ok(FieldType::new(storage, f.mutable))
                };
                let mut members = Vec::with_capacity(len as usize);
                for sub in &subs {
                    if sub.composite_type.shared || sub.composite_type.descriptor_idx.is_some()
                        || sub.composite_type.describes_idx.is_some()
                    {
                        return Err(Error::unsupported("shared types and custom descriptors"));
                    }
                    let composite = match &sub.composite_type.inner {
                        wasmparser::CompositeInnerType::Func(f) => {
                            let params = f.params().iter().map(convert).collect::<Result<Vec<_>>>()?;
                            let results = f.results().iter().map(convert).collect::<Result<Vec<_>>>()?;
                            CompositeType::Func(FuncType::new(params, results))
                        }
                        wasmparser::CompositeInnerType::Struct(s) => {
                            CompositeType::Struct(StructType::new(s.fields.iter().map(field).collect::<Result<Vec<_>>>()?))
                        }
                        wasmparser::CompositeInnerType::Array(a) => CompositeType::Array(ArrayType { element: field(&a.0)? }),
                        _ => return Err(Error::unsupported("continuation types")),
                    };
                    let supertype = match sub.supertype_idxs.first() {
                        Some(i) => Some(
                            i.as_module_index()
                                .and_then(concrete)
                                .ok_or_else(|| Error::unsupported("a supertype outside the module"))?,
                        ),
                        None => None,
                    };
                    members.push(Member { is_final: sub.is_final, supertype, composite });
                }
                let registered = m
                    .engine
                    .types()
                    .register_group(members)
                    .ok_or_else(|| Error::unsupported("more than 2^29 types in one engine"))?;
                for ty in registered {
                    m.types.push(match &ty.composite {
                        CompositeType::Func(f) => f.clone(),
                        _ => FuncType::new([], []),
                    });
                    m.defined.push(ty);
                }
            }
        }
        Payload::ImportSection(reader) => {
            reserve(&mut m.imports, &reader);
            for import in reader.into_imports() {
                let import = import.map_err(malformed)?;
                let ty = match import.ty {
                    wasmparser::TypeRef::Func(t) | wasmparser::TypeRef::FuncExact(t) => {
                        m.funcs.push(t);
                        m.num_imported_funcs += 1;
                        ExternType::Func(m.types[t as usize].clone())
                    }
                    wasmparser::TypeRef::Table(t) => {
                        let t = table_type(m, &t)?;
                        m.tables.push(t);
                        m.num_imported_tables += 1;
                        ExternType::Table(t)
                    }
                    wasmparser::TypeRef::Memory(t) => {
                        let t = memory_type(&t)?;
                        m.memories.push(t);
                        m.num_imported_memories += 1;
                        ExternType::Memory(t)
                    }
                    wasmparser::TypeRef::Global(t) => {
                        let t = global_type(m, &t)?;
                        m.globals.push(t);
                        m.num_imported_globals += 1;
                        ExternType::Global(t)
                    }
                    wasmparser::TypeRef::Tag(t) => {
                        m.tags.push(t.func_type_idx);
                        m.num_imported_tags += 1;
                        ExternType::Tag(TagType::from_func_type(m.types[t.func_type_idx as usize].clone()))
                    }
                };
                m.imports.push(Import {
                    module: import.module.to_string(),
                    name: import.name.to_string(),
                    ty,
                });
            }
        }
        Payload::FunctionSection(reader) => {
            // Reserved up front, as the bodies are in `parse`: thousands of functions are
            // common, and growing the vectors copies them again and again.
            // Each entry takes at least a byte, so a section cannot make this reserve more
            // than its own size in entries.
            let count = entries(&reader);
            m.funcs.reserve(count);
            m.bodies.reserve(count);
            for ty in reader {
                m.funcs.push(ty.map_err(malformed)?);
            }
        }
        Payload::TableSection(reader) => {
            reserve(&mut m.tables, &reader);
            reserve(&mut m.table_inits, &reader);
            for table in reader {
                let table = table.map_err(malformed)?;
                m.tables.push(table_type(m, &table.ty)?);
                m.table_inits.push(match table.init {
                    wasmparser::TableInit::RefNull => None,
                    wasmparser::TableInit::Expr(e) => Some(ConstExpr::decode(&e)?),
                });
            }
        }
        Payload::MemorySection(reader) => {
            reserve(&mut m.memories, &reader);
            for memory in reader {
                m.memories.push(memory_type(&memory.map_err(malformed)?)?);
            }
        }
        Payload::GlobalSection(reader) => {
            reserve(&mut m.globals, &reader);
            reserve(&mut m.global_inits, &reader);
            for global in reader {
                let global = global.map_err(malformed)?;
                m.globals.push(global_type(m, &global.ty)?);
                m.global_inits.push(ConstExpr::decode(&global.init_expr)?);
            }
        }
        Payload::ExportSection(reader) => {
            reserve(&mut m.exports, &reader);
            for export in reader {
                let export = export.map_err(malformed)?;
                let index = match export.kind {
                    wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => {
                        EntityIndex::Func(export.index)
                    }
                    wasmparser::ExternalKind::Table => EntityIndex::Table(export.index),
                    wasmparser::ExternalKind::Memory => EntityIndex::Memory(export.index),
                    wasmparser::ExternalKind::Global => EntityIndex::Global(export.index),
                    wasmparser::ExternalKind::Tag => EntityIndex::Tag(export.index),
                };
                m.exports.push((export.name.to_string(), index));
            }
        }
        Payload::StartSection { func, .. } => m.start = Some(func),
        Payload::DataCountSection { count, .. } => m.data_count = count,
        Payload::ElementSection(reader) => {
            reserve(&mut m.elems, &reader);
            for elem in reader {
                m.elems.push(read_elem(m, elem.map_err(malformed)?)?);
            }
        }
        Payload::DataSection(reader) => {
            reserve(&mut m.datas, &reader);
            for data in reader {
                let data = data.map_err(malformed)?;
                let mode = match data.kind {
                    wasmparser::DataKind::Passive => SegmentMode::Passive,
                    wasmparser::DataKind::Active { memory_index, offset_expr } => {
                        SegmentMode::Active {
                            index: memory_index,
                            offset: ConstExpr::decode(&offset_expr)?,
                        }
                    }
                };
                let end = data.range.end as usize;
                m.datas.push(DataSegment { mode, range: end - data.data.len()..end });
            }
        }
        Payload::CustomSection(reader) if reader.name() == "name" => {
            let start = reader.data_offset() as usize;
            read_names(m, bytes, start..start + reader.data().len());
        }
        Payload::TagSection(reader) => {
            reserve(&mut m.tags, &reader);
            for tag in reader {
                m.tags.push(tag.map_err(malformed)?.func_type_idx);
            }
        }
        _ => {}
    }
    Ok(())
}

fn read_elem(m: &ModuleInner, elem: wasmparser::Element<'_>) -> Result<ElemSegment> {
    let mode = match elem.kind {
        wasmparser::ElementKind::Passive => SegmentMode::Passive,
        wasmparser::ElementKind::Declared => SegmentMode::Declared,
        wasmparser::ElementKind::Active { table_index, offset_expr } => SegmentMode::Active {
            index: table_index.unwrap_or(0),
            offset: ConstExpr::decode(&offset_expr)?,
        },
    };
    let (items, gc_refs) = match elem.items {
        wasmparser::ElementItems::Functions(funcs) => {
            let items = funcs.into_iter().map(|f| Ok(ConstExpr::ref_func(f.map_err(malformed)?)));
            (items.collect::<Result<Vec<_>>>()?, false)
        }
        wasmparser::ElementItems::Expressions(ty, exprs) => {
            let ty = ref_type(m, ty)?;
            let items = exprs.into_iter().map(|e| ConstExpr::decode(&e.map_err(malformed)?));
            (items.collect::<Result<Vec<_>>>()?, ty.heap_type().holds_gc_refs())
        }
    };
    Ok(ElemSegment { mode, items, gc_refs })
}

/// Names are a debugging aid: a malformed name section is ignored, as the spec asks. The
/// module's name is read now; function names only when first needed (`func_names`), from a
/// copy of their subsection (`range` is the section's contents).
fn read_names(m: &mut ModuleInner, bytes: &[u8], range: Range<usize>) {
    let mut reader = wasmparser::BinaryReader::new(&bytes[range.clone()], range.start as u64);
    while !reader.eof() {
        let Ok(id) = reader.read_u8() else { return };
        let Ok(len) = reader.read_var_u32() else { return };
        let start = reader.original_position() as usize;
        let Ok(content) = reader.read_bytes(len as usize) else { return };
        match id {
            0 => {
                let mut r = wasmparser::BinaryReader::new(content, start as u64);
                match r.read_string() {
                    Ok(name) => m.name = Some(String::from(name)),
                    Err(_) => return,
                }
            }
            1 => m.names = start..start + content.len(),
            _ => {}
        }
    }
}

/// The function names of a function-names subsection (`bytes`, found at `offset` in the
/// module), sorted by function index with duplicates dropped; as many as decode if it is
/// malformed.
pub(super) fn func_names(bytes: &[u8], offset: usize) -> Vec<(u32, String)> {
    let reader = wasmparser::BinaryReader::new(bytes, offset as u64);
    let Ok(map) = wasmparser::NameMap::new(reader) else { return Vec::new() };
    let mut names: Vec<(u32, String)> =
        map.into_iter().map_while(|n| n.ok()).map(|n| (n.index, String::from(n.name))).collect();
    names.sort_by_key(|(i, _)| *i);
    names.dedup_by_key(|(i, _)| *i);
    names
}
