//! `mica inspect`: what a module holds. Imports and exports come from Mica's `Module` (so
//! their types read as Mica prints them); sizes, limits, sections and the proposals used
//! come from `wasmparser`, which reads modules Mica cannot load too.

use crate::features::{self, FeatureSet};
use crate::load;
use crate::output::{WriteFailed, escape};
use crate::{errln, outln};
use clap::Args;
use mica::{Engine, ExternType, TranslationMode};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use wasmparser::{Parser, Payload, TypeRef};

/// Show a module's imports, exports, memories, tables, functions and the proposals it uses.
#[derive(Args)]
pub struct InspectArgs {
    /// The feature set Mica loads the module under (as for `run`).
    #[arg(long, default_value = "all", value_parser = features::parse)]
    features: FeatureSet,
    /// The module (.wasm or .wat; `-` reads stdin).
    file: PathBuf,
}

pub fn main(args: InspectArgs) -> ExitCode {
    let source = match load::read(&args.file) {
        Ok(source) => source,
        Err(message) => {
            errln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let facts = match Facts::of(&source.binary) {
        Ok(facts) => facts,
        Err(e) => {
            errln!(
                "error: {}: malformed module: {} (at offset {:#x})",
                source.name,
                e.message(),
                e.offset()
            );
            return ExitCode::FAILURE;
        }
    };
    let mut config = args.features.config.clone();
    config.translation(TranslationMode::Lazy);
    let module = source.compile(&Engine::new(&config), &args.features.text);
    let report = render(&source, &facts, module.as_ref().ok());
    if let Err(e) = outln!("{report}").and_then(|()| crate::output::flush()) {
        return WriteFailed::exit_code(&e);
    }
    match module {
        Ok(_) => ExitCode::SUCCESS,
        Err(message) => {
            errln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What `wasmparser` tells about a module.
#[derive(Default)]
struct Facts {
    size: usize,
    types: u32,
    imported_funcs: u32,
    defined_funcs: u32,
    code_size: u64,
    /// The largest body: its function index and size.
    largest_body: Option<(u32, u64)>,
    seen_bodies: u32,
    memories: Vec<(Option<String>, wasmparser::MemoryType)>,
    tables: Vec<(Option<String>, wasmparser::TableType)>,
    imported_globals: u32,
    defined_globals: u32,
    elements: u32,
    data_segments: u32,
    data_bytes: u64,
    start: Option<u32>,
    custom: Vec<(String, usize)>,
    /// The proposals used, or why they cannot be told.
    features: Option<Result<Vec<&'static features::Proposal>, String>>,
}

impl Facts {
    fn of(bytes: &[u8]) -> Result<Facts, wasmparser::BinaryReaderError> {
        let mut facts = Facts { size: bytes.len(), ..Facts::default() };
        for payload in Parser::new(0).parse_all(bytes) {
            match payload? {
                Payload::TypeSection(reader) => facts.types = reader.count(),
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        let from =
                            Some(format!("{}::{}", escape(import.module), escape(import.name)));
                        match import.ty {
                            TypeRef::Func(_) | TypeRef::FuncExact(_) => facts.imported_funcs += 1,
                            TypeRef::Memory(ty) => facts.memories.push((from, ty)),
                            TypeRef::Table(ty) => facts.tables.push((from, ty)),
                            TypeRef::Global(_) => facts.imported_globals += 1,
                            TypeRef::Tag(_) => {}
                        }
                    }
                }
                Payload::FunctionSection(reader) => facts.defined_funcs = reader.count(),
                Payload::MemorySection(reader) => {
                    for memory in reader {
                        facts.memories.push((None, memory?));
                    }
                }
                Payload::TableSection(reader) => {
                    for table in reader {
                        facts.tables.push((None, table?.ty));
                    }
                }
                Payload::GlobalSection(reader) => facts.defined_globals = reader.count(),
                Payload::ElementSection(reader) => facts.elements = reader.count(),
                Payload::DataSection(reader) => {
                    for data in reader {
                        facts.data_segments += 1;
                        facts.data_bytes += data?.data.len() as u64;
                    }
                }
                Payload::StartSection { func, .. } => facts.start = Some(func),
                Payload::CodeSectionStart { size, .. } => facts.code_size = u64::from(size),
                Payload::CodeSectionEntry(body) => {
                    let size = body.range().end - body.range().start;
                    let func = facts.imported_funcs + facts.seen_bodies;
                    if facts.largest_body.is_none_or(|(_, largest)| size > largest) {
                        facts.largest_body = Some((func, size));
                    }
                    facts.seen_bodies += 1;
                }
                Payload::CustomSection(section) => {
                    facts.custom.push((escape(section.name()), section.data().len()));
                }
                _ => {}
            }
        }
        facts.features = Some(features::used(bytes).map_err(|e| match e.kind() {
            mica::ErrorKind::Invalid { message, .. } | mica::ErrorKind::Malformed { message, .. } => {
                format!("the module is invalid: {message}")
            }
            // Past the bound on validation work (see `features::validates`).
            _ => e.to_string(),
        }));
        Ok(facts)
    }
}

fn render(source: &load::Source, facts: &Facts, module: Option<&mica::Module>) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "module: {} ({} bytes, {} types)", source.name, facts.size, facts.types);
    match module {
        Some(module) => {
            let _ = writeln!(text, "imports: {}", module.imports().len());
            for (module_name, name, ty) in module.imports() {
                let _ =
                    writeln!(text, "  {}::{}: {}", escape(module_name), escape(name), describe(ty));
            }
            let _ = writeln!(text, "exports: {}", module.exports().len());
            for (name, ty) in module.exports() {
                let _ = writeln!(text, "  {}: {}", escape(name), describe(&ty));
            }
        }
        None => {
            text.push_str("imports and exports: not shown, Mica cannot load the module (below)\n")
        }
    }
    let _ = writeln!(
        text,
        "functions: {} ({} imported, {} defined); code: {} bytes",
        facts.imported_funcs + facts.defined_funcs,
        facts.imported_funcs,
        facts.defined_funcs,
        facts.code_size
    );
    if let Some((func, size)) = facts.largest_body {
        let _ = writeln!(text, "  largest body: func[{func}], {size} bytes");
    }
    let _ = writeln!(text, "memories: {}", facts.memories.len());
    for (i, (import, ty)) in facts.memories.iter().enumerate() {
        let page = u64::from(ty.page_size());
        let max = ty.maximum.map_or("none".to_string(), |max| pages(max, page));
        let mut flags = String::new();
        if ty.memory64 {
            flags.push_str(", 64-bit");
        }
        if ty.shared {
            flags.push_str(", shared");
        }
        let _ = writeln!(
            text,
            "  memory[{i}]: min {}, max {max}{flags}{}",
            pages(ty.initial, page),
            imported(import)
        );
    }
    let _ = writeln!(text, "tables: {}", facts.tables.len());
    for (i, (import, ty)) in facts.tables.iter().enumerate() {
        let max = ty.maximum.map_or("none".to_string(), |max| max.to_string());
        let wide = if ty.table64 { ", 64-bit" } else { "" };
        let _ = writeln!(
            text,
            "  table[{i}]: {}, min {}, max {max}{wide}{}",
            ty.element_type,
            ty.initial,
            imported(import)
        );
    }
    let _ = writeln!(
        text,
        "globals: {} ({} imported, {} defined)",
        facts.imported_globals + facts.defined_globals,
        facts.imported_globals,
        facts.defined_globals
    );
    let _ = writeln!(text, "element segments: {}", facts.elements);
    let _ = writeln!(text, "data segments: {} ({} bytes)", facts.data_segments, facts.data_bytes);
    if let Some(start) = facts.start {
        let _ = writeln!(text, "start: func[{start}]");
    }
    for (name, size) in &facts.custom {
        let _ = writeln!(text, "custom section: {name} ({size} bytes)");
    }
    match &facts.features {
        None => {}
        Some(Ok(used)) if used.is_empty() => text.push_str("features: WebAssembly 1.0 only"),
        Some(Ok(used)) => {
            text.push_str("features:");
            for p in used {
                let note = if p.supported_by_mica() { "" } else { ", not supported by Mica yet" };
                let _ = write!(text, "\n  {} ({}{note})", p.name, p.what);
            }
        }
        Some(Err(message)) => {
            let _ = write!(text, "features: unknown, {message}");
        }
    }
    text
}

fn imported(import: &Option<String>) -> String {
    import.as_ref().map(|from| format!(", imported from {from}")).unwrap_or_default()
}

fn describe(ty: &ExternType) -> String {
    match ty {
        ExternType::Tag(t) => format!("tag {}", t.func_type()),
        ExternType::Func(f) => format!("function {f}"),
        ExternType::Memory(m) => {
            let max = m.limits.max.map_or("none".to_string(), |max| max.to_string());
            let wide = if m.is_64 { ", 64-bit" } else { "" };
            let page = match m.page_size() {
                65536 => String::new(),
                size => format!(", pages of {size} bytes"),
            };
            format!("memory, min {} pages, max {max}{wide}{page}", m.limits.min)
        }
        ExternType::Table(t) => {
            let max = t.limits.max.map_or("none".to_string(), |max| max.to_string());
            let wide = if t.is_64 { ", 64-bit" } else { "" };
            format!("table of {}, min {}, max {max}{wide}", t.element, t.limits.min)
        }
        ExternType::Global(g) => {
            let mutable = if g.mutability == mica::Mutability::Var { "mutable " } else { "" };
            format!("global, {mutable}{}", g.content)
        }
    }
}

/// `2 pages (128 KiB)`.
fn pages(count: u64, page_size: u64) -> String {
    let bytes = u128::from(count) * u128::from(page_size);
    let s = if count == 1 { "" } else { "s" };
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut scaled = bytes;
    let mut unit = 0;
    while scaled >= 1024 && scaled % 1024 == 0 && unit + 1 < units.len() {
        scaled /= 1024;
        unit += 1;
    }
    format!("{count} page{s} ({scaled} {})", units[unit])
}
