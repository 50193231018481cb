//! Loading a module for `run`, `validate` and `inspect`: reading it (from a file, or stdin
//! for `-`), turning text into a binary, compiling it, and saying what is wrong in terms of
//! the file: `syn.wat:4:5`, the function, the proposal a module needs.
//!
//! Text is parsed with `wast` directly rather than through `Module::new`, for two reasons:
//! its errors then carry the path (`--> syn.wat:4:5`, not `<anon>`), and the parser records
//! the span of every instruction, so a validation error's binary offset maps back to the
//! instruction's line and column (`wast` encodes a function's instructions one for one, in
//! order, so the n-th operator of a body is the n-th instruction of its text).

use crate::features::{self, Proposal};
use crate::output::escape;
use mica::{Config, Engine, ErrorKind, Module};
use std::io::Read;
use std::path::Path;
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};
use wast::core::{FuncKind, ModuleField, ModuleKind};
use wast::token::Span;

/// A module's binary, and how to talk about it.
pub struct Source {
    /// How messages name the module: its path, or `<stdin>`.
    pub name: String,
    pub binary: Vec<u8>,
    text: Option<TextMap>,
}

/// Where a text module's functions and instructions are.
struct TextMap {
    text: String,
    /// Per defined function, in order: the span of the `func` and of each instruction.
    funcs: Vec<(Span, Vec<Span>)>,
}

/// Where in a module something is: a function, and for text, the line and column.
struct Location {
    func: u32,
    name: Option<String>,
    line_col: Option<(usize, usize)>,
}

/// Reads the module at `path` (`-`: stdin). A `.wasm` file is a binary whatever its bytes
/// look like, so that a broken one is reported as a broken binary rather than as text that
/// does not parse; anything else is a binary if it starts with `\0asm`, and text otherwise.
pub fn read(path: &Path) -> Result<Source, String> {
    let (name, raw) = if path.as_os_str() == "-" {
        let mut raw = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut raw)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        ("<stdin>".to_string(), raw)
    } else {
        let name = path.display().to_string();
        let raw = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
        (name, raw)
    };
    if path.extension().is_some_and(|e| e == "wasm") || raw.starts_with(b"\0asm") {
        return Ok(Source { name, binary: raw, text: None });
    }
    let text = String::from_utf8(raw).map_err(|_| {
        format!("{name}: neither a wasm binary (no `\\0asm` header) nor UTF-8 text")
    })?;
    from_text(name, path, text)
}

fn from_text(name: String, path: &Path, text: String) -> Result<Source, String> {
    let (binary, funcs) = {
        let located = |mut e: wast::Error| {
            e.set_path(path);
            e.set_text(&text);
            e.to_string()
        };
        let mut buffer = wast::parser::ParseBuffer::new(&text).map_err(located)?;
        buffer.track_instr_spans(true);
        let mut wat = wast::parser::parse::<wast::Wat<'_>>(&buffer).map_err(located)?;
        if let wast::Wat::Component(_) = wat {
            return Err(format!(
                "{name}: a component, not a core module: Mica runs core modules only"
            ));
        }
        let binary = wat.encode().map_err(located)?;
        let mut funcs = Vec::new();
        if let wast::Wat::Module(wast::core::Module { kind: ModuleKind::Text(fields), .. }) = &wat {
            for field in fields {
                if let ModuleField::Func(func) = field
                    && let FuncKind::Inline { expression, .. } = &func.kind
                {
                    let spans = expression.instr_spans.as_deref().unwrap_or_default().to_vec();
                    funcs.push((func.span, spans));
                }
            }
        }
        (binary, funcs)
    };
    Ok(Source { name, binary, text: Some(TextMap { text, funcs }) })
}

impl Source {
    /// Compiles the module; the error is a message about this source.
    pub fn compile(&self, engine: &Engine, features: &str) -> Result<Module, String> {
        Module::from_binary(engine, &self.binary)
            .map_err(|e| self.describe(&e, engine.config(), features))
    }

    /// What is wrong with the module, in terms of its file. `config` and `features` (the
    /// `--features` value) are what it was compiled under.
    pub fn describe(&self, error: &mica::Error, config: &Config, features: &str) -> String {
        let name = &self.name;
        match error.kind() {
            ErrorKind::Malformed { message, offset } => {
                format!("{name}: malformed module: {message} (at offset {offset:#x})")
            }
            ErrorKind::Invalid { message, offset } => {
                let location = self.locate(*offset);
                let at = self.position(location.as_ref());
                let func = location.as_ref().map(describe_func);
                if let Some(needs) = self.needs_proposals(config, features) {
                    let subject = func.unwrap_or_else(|| "the module".to_string());
                    return format!("{at}: {subject} {needs}");
                }
                let func = func.map(|f| format!("in {f}, ")).unwrap_or_default();
                format!("{at}: invalid module: {message} ({func}at offset {offset:#x})")
            }
            ErrorKind::Unsupported(message) => {
                format!("{name}: Mica does not support this module yet: {message}")
            }
            _ => format!("{name}: {error}"),
        }
    }

    /// `name:line:col` where the location is known in text, else the name.
    fn position(&self, location: Option<&Location>) -> String {
        match location.and_then(|l| l.line_col) {
            Some((line, col)) => format!("{}:{line}:{col}", self.name),
            None => self.name.clone(),
        }
    }

    /// For a module that is invalid under `config` but valid with more proposals: which it
    /// needs ("uses the `simd` proposal (128-bit SIMD), which Mica does not support yet").
    fn needs_proposals(&self, config: &Config, features: &str) -> Option<String> {
        let used = features::used(&self.binary).ok()?;
        let unsupported: Vec<&Proposal> =
            used.iter().copied().filter(|p| !p.supported_by_mica()).collect();
        if !unsupported.is_empty() {
            return Some(format!("uses {}, which Mica does not support yet", list(&unsupported)));
        }
        // Those Mica implements but `--features` leaves out: the ones without which the
        // module still fails when every other one it uses is turned on.
        let validates_without = |left_out: &Proposal| {
            let mut config = config.clone();
            for p in used.iter().filter(|p| p.name != left_out.name) {
                config.enable_proposal(p.name);
            }
            Module::validate(&Engine::new(&config), &self.binary).is_ok()
        };
        let disabled: Vec<&Proposal> =
            used.iter().copied().filter(|p| !validates_without(p)).collect();
        if disabled.is_empty() {
            return None;
        }
        Some(format!("uses {}, which --features {features} does not enable", list(&disabled)))
    }

    /// The function whose body holds `offset`, and for text, the instruction's position.
    fn locate(&self, offset: usize) -> Option<Location> {
        let offset = offset as u64;
        let (mut imported, mut defined, mut found) = (0u32, 0usize, None);
        let mut names = Vec::new();
        for payload in Parser::new(0).parse_all(&self.binary) {
            match payload.ok()? {
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        imported += u32::from(matches!(
                            import.ok()?.ty,
                            TypeRef::Func(_) | TypeRef::FuncExact(_)
                        ));
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    if body.range().contains(&offset) {
                        found = Some((defined, body));
                    }
                    defined += 1;
                }
                Payload::CustomSection(section) => {
                    if let KnownCustom::Name(reader) = section.as_known() {
                        names.extend(function_names(reader));
                    }
                }
                _ => {}
            }
        }
        let (index, body) = found?;
        let func = imported + index as u32;
        let name = names.into_iter().find(|(i, _)| *i == func).map(|(_, name)| name);
        let line_col = self.text.as_ref().and_then(|text| {
            let (func_span, instrs) = text.funcs.get(index)?;
            // The last operator that starts at or before the offset; before the first
            // (in the locals), the function itself.
            let mut operators = body.get_operators_reader().ok()?;
            let mut nth = None;
            while !operators.eof() {
                let (_, at) = operators.read_with_offset().ok()?;
                if at > offset {
                    break;
                }
                nth = Some(nth.map_or(0, |n| n + 1));
            }
            let span = nth.and_then(|n| instrs.get(n)).unwrap_or(func_span);
            let (line, col) = span.linecol_in(&text.text);
            Some((line + 1, col + 1))
        });
        Some(Location { func, name, line_col })
    }
}

fn function_names(reader: wasmparser::NameSectionReader<'_>) -> Vec<(u32, String)> {
    let mut names = Vec::new();
    for subsection in reader.into_iter().flatten() {
        if let Name::Function(map) = subsection {
            names.extend(map.into_iter().flatten().map(|n| (n.index, n.name.to_string())));
        }
    }
    names
}

fn describe_func(location: &Location) -> String {
    match &location.name {
        Some(name) => format!("func[{}] <{}>", location.func, escape(name)),
        None => format!("func[{}]", location.func),
    }
}

/// "the `simd` proposal (128-bit SIMD)", or "the proposals `a` (...) and `b` (...)".
fn list(proposals: &[&Proposal]) -> String {
    let item = |p: &Proposal| format!("`{}` ({})", p.name, p.what);
    match proposals {
        [] => "no proposal".to_string(),
        [one] => format!("the `{}` proposal ({})", one.name, one.what),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|p| item(p)).collect();
            format!("the proposals {} and {}", init.join(", "), item(last))
        }
    }
}
