//! Runs WebAssembly spec test scripts (`.wast`) on Mica.
//!
//! [`run_script`] executes every directive of a script against a fresh store with the
//! `spectest` host module, and reports each directive as passed or failed. The CLI's
//! `mica wast` and the spec-suite test both use it.

mod spectest;
mod values;

use mica::{Config, Engine, Error, ErrorKind, Instance, Linker, Module, SpecVersion, Store, TrapCode, Val};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};

/// The outcome of one script.
#[derive(Debug, Default)]
pub struct Report {
    pub passed: usize,
    /// Each failure: the directive's line (1-based) and what went wrong.
    pub failures: Vec<(usize, String)>,
}

impl Report {
    pub fn failed(&self) -> usize {
        self.failures.len()
    }
}

/// Builds the engine configuration for a feature set: `1.0`, `2.0`, `3.0`, `all` (everything
/// Mica supports), or a comma-separated list of versions and proposal names
/// (`2.0,tail-call`). The list is a set: the order of its names does not matter (a version
/// and the proposals it includes are a union), and naming one twice is the same as once.
/// An empty value, or an empty name in the list, is an error.
pub fn config_for(features: &str) -> Result<Config, String> {
    let items: Vec<&str> = features.split(',').map(str::trim).collect();
    if features.trim().is_empty() {
        return Err(
            "the feature set is empty: give `1.0`, `2.0`, `3.0`, `all`, or a comma-separated \
             list of versions and proposal names"
                .into(),
        );
    }
    if items.iter().any(|item| item.is_empty()) {
        return Err(format!("`{features}`: an empty name in the feature list"));
    }
    let mut config = Config::new();
    config.mvp_only();
    let mut version = None;
    let mut all = false;
    let mut proposals = Vec::new();
    for item in items {
        let rank = match item {
            "all" => {
                all = true;
                continue;
            }
            "1.0" => (1, SpecVersion::V1),
            "2.0" => (2, SpecVersion::V2),
            "3.0" => (3, SpecVersion::V3),
            name => {
                // Checked on a scratch configuration, so that a later version cannot reset it.
                if !Config::new().mvp_only().enable_proposal(name) {
                    return Err(format!("unknown or unsupported proposal `{name}`"));
                }
                proposals.push(name);
                continue;
            }
        };
        if version.is_none_or(|(highest, _)| rank.0 > highest) {
            version = Some(rank);
        }
    }
    if all {
        let mut config = Config::new();
        config.all_features();
        return Ok(config);
    }
    if let Some((_, version)) = version {
        config.spec_version(version);
    }
    for name in proposals {
        config.enable_proposal(name);
    }
    Ok(config)
}

/// Runs the script `text` under `config`.
pub fn run_script(text: &str, config: &Config) -> Report {
    run_script_at(text, None, config)
}

/// Runs the script `text`, read from `path` (which messages that quote the script name),
/// under `config`.
pub fn run_script_at(text: &str, path: Option<&Path>, config: &Config) -> Report {
    let mut report = Report::default();
    let failed = |report: &mut Report, what: &str, mut e: wast::Error| {
        e.set_text(text);
        if let Some(path) = path {
            e.set_path(path);
        }
        let line = e.span().linecol_in(text).0 + 1;
        report.failures.push((line, format!("{what}: {e}")));
    };
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buffer = match wast::parser::ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            failed(&mut report, "cannot lex script", e);
            return report;
        }
    };
    let script = match wast::parser::parse::<Wast<'_>>(&buffer) {
        Ok(s) => s,
        Err(e) => {
            failed(&mut report, "cannot parse script", e);
            return report;
        }
    };
    let mut runner = match Runner::new(config, text, path) {
        Ok(r) => r,
        Err(e) => {
            report.failures.push((0, format!("cannot set up the spectest module: {e}")));
            return report;
        }
    };
    for directive in script.directives {
        let line = directive.span().linecol_in(text).0 + 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| runner.directive(directive)));
        match outcome {
            Ok(Ok(())) => report.passed += 1,
            Ok(Err(message)) => report.failures.push((line, message)),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                report.failures.push((line, format!("PANIC: {message}")));
            }
        }
    }
    report
}

struct Runner {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    instances: HashMap<String, Instance>,
    definitions: HashMap<String, Module>,
    current: Option<Instance>,
    /// The script's text and where it was read from, for positions in messages.
    script: String,
    path: Option<std::path::PathBuf>,
}

impl Runner {
    fn new(config: &Config, script: &str, path: Option<&Path>) -> mica::Result<Runner> {
        let engine = Engine::new(config);
        let mut store = Store::new(&engine, ());
        // Under `Config::consume_fuel`, scripts run with all the fuel there is (an error
        // when fuel is not metered, which changes nothing).
        store.set_fuel(u64::MAX).ok();
        let mut linker = Linker::new(&engine);
        linker.allow_shadowing(true);
        spectest::define(&mut linker, &mut store)?;
        Ok(Runner {
            engine,
            store,
            linker,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            current: None,
            script: script.to_string(),
            path: path.map(Path::to_path_buf),
        })
    }

    fn directive(&mut self, directive: WastDirective<'_>) -> Result<(), String> {
        match directive {
            WastDirective::Module(mut wat) => {
                let name = wat.name().map(|id| id.name().to_string());
                let module = self.compile(&mut wat).map_err(|e| format!("module failed to load: {e}"))?;
                let instance = self
                    .linker
                    .instantiate(&mut self.store, &module)
                    .map_err(|e| format!("module failed to instantiate: {e}"))?;
                self.set_current(name, instance);
                Ok(())
            }
            WastDirective::ModuleDefinition(mut wat) => {
                let name = wat.name().map(|id| id.name().to_string());
                let module = self.compile(&mut wat).map_err(|e| format!("module failed to load: {e}"))?;
                if let Some(name) = name {
                    self.definitions.insert(name, module);
                }
                Ok(())
            }
            WastDirective::ModuleInstance { instance, module, .. } => {
                let definition = module
                    .and_then(|m| self.definitions.get(m.name()))
                    .ok_or("unknown module definition")?
                    .clone();
                let new = self
                    .linker
                    .instantiate(&mut self.store, &definition)
                    .map_err(|e| format!("module failed to instantiate: {e}"))?;
                self.set_current(instance.map(|i| i.name().to_string()), new);
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module.map(|m| m.name()))?;
                self.linker
                    .instance(&mut self.store, name, instance)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            WastDirective::Invoke(invoke) => self.invoke(&invoke).map(drop).map_err(describe_error),
            WastDirective::AssertReturn { exec, results, .. } => {
                let values = self.execute(exec).map_err(describe_error)?;
                if values.len() != results.len() {
                    return Err(format!("expected {} results, got {}", results.len(), values.len()));
                }
                for (value, expected) in values.iter().zip(&results) {
                    values::check(&self.store, value, expected)?;
                }
                Ok(())
            }
            WastDirective::AssertTrap { exec, message, .. } => match self.execute(exec) {
                Ok(values) => Err(format!(
                    "expected trap `{message}`, got {}",
                    values::describe_all(&self.store, &values)
                )),
                Err(e) => expect_trap(&e, message),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(values) => Err(format!(
                    "expected exhaustion `{message}`, got {}",
                    values::describe_all(&self.store, &values)
                )),
                Err(e) if e.trap_code() == Some(TrapCode::StackOverflow) => Ok(()),
                Err(e) => Err(format!("expected exhaustion, got: {}", describe_error(e))),
            },
            WastDirective::AssertMalformed { mut module, message, .. }
            | WastDirective::AssertInvalid { mut module, message, .. } => {
                match self.compile(&mut module) {
                    Ok(_) => Err(format!("module loaded, but it should fail: {message}")),
                    Err(_) => Ok(()),
                }
            }
            WastDirective::AssertUnlinkable { module, message, .. } => {
                let mut wat = QuoteWat::Wat(module);
                let module = self.compile(&mut wat).map_err(|e| format!("module failed to load: {e}"))?;
                match self.linker.instantiate(&mut self.store, &module) {
                    Ok(_) => Err(format!("module linked, but it should fail: {message}")),
                    Err(e) if matches!(e.kind(), ErrorKind::Link(_)) => Ok(()),
                    Err(e) => Err(format!("expected a link error `{message}`, got: {e}")),
                }
            }
            WastDirective::AssertMalformedCustom { .. } | WastDirective::AssertInvalidCustom { .. } => {
                Err("custom-section assertions are not supported".into())
            }
            WastDirective::AssertException { exec, .. } => match self.execute(exec) {
                Ok(values) => Err(format!(
                    "expected an exception, got {}",
                    values::describe_all(&self.store, &values)
                )),
                Err(e) if e.as_exception().is_some() => Ok(()),
                Err(e) => Err(format!("expected an exception, got: {e}")),
            },
            WastDirective::AssertSuspension { .. }
            | WastDirective::Thread(_)
            | WastDirective::Wait { .. } => Err("directive needs an unsupported proposal".into()),
        }
    }

    fn set_current(&mut self, name: Option<String>, instance: Instance) {
        if let Some(name) = name {
            self.instances.insert(name, instance);
        }
        self.current = Some(instance);
    }

    fn compile(&self, wat: &mut QuoteWat<'_>) -> Result<Module, String> {
        if let QuoteWat::Wat(Wat::Component(_)) | QuoteWat::QuoteComponent(..) = wat {
            return Err("components are not supported".into());
        }
        // A quoted module's spans are in its own text; any other module's, in the script.
        let quoted = matches!(wat, QuoteWat::QuoteModule(..));
        let bytes = wat.encode().map_err(|e| {
            if quoted {
                return format!("text does not parse: {}", e.message());
            }
            let (line, col) = e.span().linecol_in(&self.script);
            let file = self.path.as_ref().map_or("script".into(), |p| p.display().to_string());
            format!("text does not parse: {file}:{}:{}: {}", line + 1, col + 1, e.message())
        })?;
        Module::from_binary(&self.engine, &bytes).map_err(|e| e.to_string())
    }

    fn instance(&self, name: Option<&str>) -> Result<Instance, String> {
        match name {
            Some(name) => self.instances.get(name).copied().ok_or_else(|| format!("no module named {name}")),
            None => self.current.ok_or_else(|| "no module instantiated yet".to_string()),
        }
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> mica::Result<Vec<Val>> {
        let instance = self.instance(invoke.module.map(|m| m.name())).map_err(Error::new)?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| Error::new(format!("no exported function `{}`", invoke.name)))?;
        let args = invoke
            .args
            .iter()
            .map(|a| values::arg(&mut self.store, a))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Error::new)?;
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        func.call(&mut self.store, &args, &mut results)?;
        Ok(results)
    }

    fn execute(&mut self, exec: WastExecute<'_>) -> mica::Result<Vec<Val>> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Wat(wat) => {
                let mut wat = QuoteWat::Wat(wat);
                let module = self.compile(&mut wat).map_err(Error::new)?;
                self.linker.instantiate(&mut self.store, &module)?;
                Ok(Vec::new())
            }
            WastExecute::Get { module, global, .. } => {
                let instance = self.instance(module.map(|m| m.name())).map_err(Error::new)?;
                let global = instance
                    .get_global(&self.store, global)
                    .ok_or_else(|| Error::new(format!("no exported global `{global}`")))?;
                Ok(vec![global.get(&self.store)?])
            }
        }
    }
}

/// Whether a trap matches the spec's expected message. The spec's wording for a few traps
/// differs by where they happen; the accepted pairs are listed here.
fn expect_trap(error: &Error, expected: &str) -> Result<(), String> {
    let Some(code) = error.trap_code() else {
        return Err(format!("expected trap `{expected}`, got error: {error}"));
    };
    let ok = expected.starts_with(code.message())
        || match code {
            TrapCode::TableOutOfBounds => {
                expected.starts_with("undefined element") || expected.starts_with("out of bounds")
            }
            TrapCode::IndirectCallToNull | TrapCode::UninitializedElement => {
                expected.starts_with("uninitialized element")
            }
            TrapCode::MemoryOutOfBounds => expected.starts_with("out of bounds"),
            _ => false,
        };
    if ok { Ok(()) } else { Err(format!("expected trap `{expected}`, got trap `{code}`")) }
}

fn describe_error(error: Error) -> String {
    match error.as_trap() {
        Some(trap) if !trap.backtrace().is_empty() => {
            const SHOWN: usize = 10;
            let frames: Vec<String> =
                trap.backtrace().iter().take(SHOWN).map(ToString::to_string).collect();
            let left_out = trap.backtrace().len().saturating_sub(SHOWN) + trap.omitted_frames();
            let omitted = match left_out {
                0 => String::new(),
                n => format!(", and {n} more frames"),
            };
            format!("{error} (backtrace: {}{omitted})", frames.join(", "))
        }
        Some(_) => error.to_string(),
        None => error.to_string(),
    }
}
