//! Linking for `mica run`: every import the linker cannot satisfy is reported at once (the
//! linker itself stops at the first), `--allow-unknown-imports` turns unknown function
//! imports into functions that trap, and `--preload NAME=FILE` links another module's
//! exports under NAME.

use crate::load;
use crate::output::escape;
use mica::{Error, ExternType, Linker, Module, Store};
use std::path::PathBuf;

/// Checks that every import of `module` has a definition in `linker`. With
/// `allow_unknown`, a function import without one is defined as a function that traps
/// when called; any other missing import is an error that lists them all.
pub fn resolve_imports<T: 'static>(
    linker: &mut Linker<T>,
    store: &mut Store<T>,
    module: &Module,
    allow_unknown: bool,
) -> mica::Result<()> {
    let mut stubs = Vec::new();
    let mut missing = Vec::new();
    for (module_name, name, ty) in module.imports() {
        if linker.get(&mut *store, module_name, name).is_some() {
            continue;
        }
        let seen = |(m, n, _): &(String, String, mica::FuncType)| m == module_name && n == name;
        if stubs.iter().any(seen) || missing.iter().any(|(m, n, _)| *m == module_name && *n == name)
        {
            continue; // imported twice
        }
        match ty {
            ExternType::Func(f) if allow_unknown => {
                stubs.push((module_name.to_string(), name.to_string(), f.clone()));
            }
            _ => missing.push((module_name, name, kind(ty))),
        }
    }
    if !missing.is_empty() {
        let missing: Vec<String> = missing
            .iter()
            .map(|(m, n, kind)| format!("`{}::{}` ({kind})", escape(m), escape(n)))
            .collect();
        let (count, s) = if missing.len() == 1 {
            ("1 import".to_string(), "is")
        } else {
            (format!("{} imports", missing.len()), "are")
        };
        let hint = if allow_unknown {
            ""
        } else {
            "\n(--allow-unknown-imports defines unknown function imports as functions that trap when called)"
        };
        return Err(Error::new(format!(
            "link error: {count} of the module {s} not defined: {}{hint}",
            missing.join(", ")
        )));
    }
    for (module_name, name, ty) in stubs {
        let message =
            format!("called the unknown import `{}::{}`", escape(&module_name), escape(&name));
        linker.func_new(&module_name, &name, ty, move |_, _, _| Err(Error::new(&message)))?;
    }
    Ok(())
}

fn kind(ty: &ExternType) -> &'static str {
    match ty {
        ExternType::Func(_) => "function",
        ExternType::Memory(_) => "memory",
        ExternType::Table(_) => "table",
        ExternType::Global(_) => "global",
        ExternType::Tag(_) => "tag",
    }
}

/// A `--preload NAME=FILE` option.
#[derive(Clone, Debug)]
pub struct Preload {
    pub name: String,
    pub file: PathBuf,
}

/// Parses `NAME=FILE`; both parts must be there.
pub fn parse_preload(text: &str) -> Result<Preload, String> {
    match text.split_once('=') {
        Some((name, file)) if !name.is_empty() && !file.is_empty() => {
            Ok(Preload { name: name.to_string(), file: PathBuf::from(file) })
        }
        _ => Err(format!(
            "`{text}` is not NAME=FILE (the module name to link under, and the module)"
        )),
    }
}

/// Compiles and instantiates a preloaded module (running its `_initialize`, if it is a
/// reactor) and defines its exports under its name.
pub fn preload<T: 'static>(
    linker: &mut Linker<T>,
    store: &mut Store<T>,
    preload: &Preload,
    features: &str,
    allow_unknown: bool,
) -> mica::Result<()> {
    let source = load::read(&preload.file).map_err(Error::new)?;
    let module = source.compile(linker.engine(), features).map_err(Error::new)?;
    resolve_imports(linker, store, &module, allow_unknown)?;
    let instance = linker.instantiate(&mut *store, &module)?;
    if let Some(init) = instance.get_func(&*store, "_initialize") {
        init.call(&mut *store, &[], &mut [])?;
    }
    linker.instance(&mut *store, &preload.name, instance)?;
    Ok(())
}
