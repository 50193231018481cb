//! `mica run`: run a WASI command (its `_start`), or call one export with `--invoke`.
//!
//! Exit status (see `status.rs`): the guest's `proc_exit` code (0 when `_start` returns),
//! which must be in 0..=125 (any other is reported, with status 1); 134 after a trap, with
//! the reason and the wasm backtrace on stderr (running out of `--fuel` is such a trap: "all
//! fuel consumed"); 124 when the guest ran past `--timeout` and was stopped, with the
//! backtrace of where; 1 when the module cannot be read, decoded,
//! validated or linked (or a `--dir` opened); 2 for a wrong command line, an option's value
//! included; 141 when the results of `--invoke` go to a pipe nobody reads (see `output.rs`).
//!
//! Every option's value is checked before the module is read or compiled.

use crate::features::{self, FeatureSet};
use crate::link::{self, Preload};
use crate::values::{format_value, parse_value};
use crate::{errln, load, outln, status};
use clap::Args;
use mica::{Config, Engine, Error, Linker, Store, TranslationMode, Val};
use mica_wasi::{WasiCtx, WasiCtxBuilder};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// Run a WebAssembly module (.wasm binary or .wat text) as a WASI program.
#[derive(Args)]
#[command(override_usage = "mica run [OPTIONS] FILE [ARGS]...")]
pub struct RunArgs {
    /// Call the exported function NAME with the values after FILE (parsed by its signature)
    /// and print its results, instead of running `_start`. A reactor's `_initialize` runs first.
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// Give the guest a host directory, under its own name or as GUEST_DIR (repeatable).
    #[arg(long = "dir", value_name = "HOST_DIR[::GUEST_DIR]", value_parser = parse_dir)]
    dirs: Vec<(String, String)>,
    /// Set an environment variable for the guest (repeatable); a bare NAME passes the
    /// host's value of NAME (none if the host has none). The guest sees only these.
    #[arg(long = "env", value_name = "NAME[=VALUE]", value_parser = parse_env)]
    envs: Vec<(String, Option<String>)>,
    /// The guest's `argv[0]` (by default FILE as given).
    #[arg(long, value_name = "NAME")]
    argv0: Option<String>,
    /// The feature set: `1.0`, `2.0`, `3.0`, `all` (everything Mica supports), or a
    /// comma-separated set of versions and proposal names, e.g. `2.0,tail-call`.
    #[arg(long, value_name = "SET", default_value = "all", value_parser = features::parse)]
    features: FeatureSet,
    /// Translate each function when it is first called (the default: a large program starts
    /// after validation alone, and functions it never calls cost no translation).
    #[arg(long, conflicts_with = "eager")]
    lazy: bool,
    /// Translate every function before running.
    #[arg(long)]
    eager: bool,
    /// Load the module FILE first and link its exports as imports under the module name
    /// NAME (repeatable; each may import from those before it).
    #[arg(long, value_name = "NAME=FILE", value_parser = link::parse_preload)]
    preload: Vec<Preload>,
    /// The value stack's size limit in bytes (suffixes K, M, G; at least 512, 64 cells of
    /// 8 bytes); deeper use traps.
    #[arg(long, value_name = "BYTES", value_parser = parse_stack_size)]
    stack_size: Option<u64>,
    /// The deepest nesting of wasm calls (at least 1); deeper calls trap.
    #[arg(long, value_name = "N", value_parser = parse_call_depth)]
    max_call_depth: Option<usize>,
    /// The most bytes of linear memory the guest may have: each memory (32- or 64-bit, of
    /// any page size) and all its memories together (suffixes K, M, G).
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// The most bytes the guest's GC heap (its structs and arrays) may take (suffixes K, M,
    /// G; default 1G): an allocation past it, after a collection, traps with "out of memory".
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    max_gc_heap: Option<u64>,
    /// The most elements any table may have (0 to 4294967295; default 10000000): growing a
    /// table past it fails (`table.grow` returns -1), and a module whose tables start larger
    /// does not instantiate.
    #[arg(long, value_name = "N")]
    max_table_elements: Option<u32>,
    /// The most instances the run may create, the module and its --preload modules included
    /// (default 10000); 0 lets nothing run.
    #[arg(long, value_name = "N")]
    max_instances: Option<usize>,
    /// Define every function import nothing provides as a function that traps when called
    /// (the error then names the import).
    #[arg(long)]
    allow_unknown_imports: bool,
    /// Run with N fuel (every operator costs fuel, by Mica's default cost model: see
    /// `FuelCosts`); when it runs out the guest traps with "all fuel consumed" (status 134).
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// With --fuel: print the fuel consumed and left on stderr when the guest ends.
    #[arg(long, requires = "fuel")]
    print_fuel: bool,
    /// Stop the guest after this long (e.g. 500ms, 2s, 1m): it is interrupted at its next
    /// loop iteration or call, and `mica run` exits with status 124.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<std::time::Duration>,
    /// The module to run (`-`: read it from stdin), then the guest's arguments (or the values
    /// for --invoke). Everything after FILE goes to the guest verbatim, even what looks like
    /// an option.
    #[arg(
        value_name = "FILE",
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    file_and_args: Vec<OsString>,
}

/// A byte count with an optional K, M or G suffix (powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let (digits, scale) = match text.trim_end_matches(['b', 'B', 'i']).char_indices().last() {
        Some((i, 'k' | 'K')) => (&text[..i], 1u64 << 10),
        Some((i, 'm' | 'M')) => (&text[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("`{text}` is not a size in bytes (e.g. 65536, 512K, 4M, 1G)"))
}

/// The value stack's size: the core keeps at least 64 cells (512 bytes), so a smaller limit
/// is refused rather than silently raised.
fn parse_stack_size(text: &str) -> Result<u64, String> {
    let bytes = parse_size(text)?;
    if bytes < 512 {
        return Err(format!("`{text}` is below the smallest value stack, 512 bytes"));
    }
    Ok(bytes)
}

/// `HOST_DIR[::GUEST_DIR]`: neither part may be empty.
fn parse_dir(text: &str) -> Result<(String, String), String> {
    let (host, guest) = text.split_once("::").unwrap_or((text, text));
    if host.is_empty() || guest.is_empty() {
        return Err(format!(
            "`{text}` names an empty directory: expected HOST_DIR or HOST_DIR::GUEST_DIR"
        ));
    }
    Ok((host.to_string(), guest.to_string()))
}

/// `NAME=VALUE` (the value may be empty or hold `=`), or `NAME` to pass the host's value.
fn parse_env(text: &str) -> Result<(String, Option<String>), String> {
    let (name, value) = match text.split_once('=') {
        Some((name, value)) => (name, Some(value.to_string())),
        None => (text, None),
    };
    if name.is_empty() {
        return Err(format!("`{text}` has an empty variable name: expected NAME=VALUE or NAME"));
    }
    Ok((name.to_string(), value))
}

/// A duration: a number with a unit, `ms`, `s` or `m` (seconds if none).
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        _ => return Err(format!("`{text}` is not a duration (e.g. 500ms, 2s, 1m)")),
    };
    match digits.parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 && n * scale < 1e9 => Ok(std::time::Duration::from_secs_f64(n * scale)),
        _ => Err(format!("`{text}` is not a positive duration (e.g. 500ms, 2s, 1m)")),
    }
}

/// A call depth: the core allows at least 1, so 0 is refused rather than silently raised.
fn parse_call_depth(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("a call depth of 0 allows no call at all: the smallest is 1".to_string()),
        Ok(depth) => Ok(depth),
        Err(_) => Err(format!("`{text}` is not a call depth (a whole number, at least 1)")),
    }
}

pub fn main(args: RunArgs) -> ExitCode {
    // A wrong command line, as clap's own errors are.
    if let Err(message) = check_options(&args) {
        errln!("error: {message}");
        return ExitCode::from(2);
    }
    let (timeout, fuel, print_fuel) = (args.timeout, args.fuel, args.print_fuel);
    let mut fuel_left = None;
    let status = match run(args, &mut fuel_left) {
        Ok(code) => code,
        Err(e) if e.trap_code() == Some(mica::TrapCode::Interrupt) && timeout.is_some() => {
            let after = timeout.unwrap_or_default();
            errln!("error: the guest ran longer than --timeout {after:?} and was stopped");
            if let Some(trap) = e.as_trap() {
                crate::output::err(format_args!("{}", crate::backtrace::render(trap)));
            }
            ExitCode::from(TIMEOUT_STATUS)
        }
        Err(e) => status::report(&e),
    };
    if let (true, Some(given), Some(left)) = (print_fuel, fuel, fuel_left) {
        errln!("fuel: {} consumed, {left} left", given - left);
    }
    status
}

/// The status after `--timeout` stopped the guest (as coreutils' `timeout`).
const TIMEOUT_STATUS: u8 = 124;

impl RunArgs {
    fn file(&self) -> PathBuf {
        PathBuf::from(&self.file_and_args[0])
    }

    /// What follows FILE.
    fn rest(&self) -> &[OsString] {
        &self.file_and_args[1..]
    }
}

/// Runs the guest; `fuel_left` is set once it has run (with `--fuel`).
fn run(args: RunArgs, fuel_left: &mut Option<u64>) -> mica::Result<ExitCode> {
    // The guest's context is built, and its directories opened, before the module is read.
    let wasi = wasi_context(&args)?;
    let source = load::read(&args.file()).map_err(Error::new)?;
    let engine = Engine::new(&config(&args));
    let module = source.compile(&engine, &args.features.text).map_err(Error::new)?;
    let mut linker = Linker::<WasiCtx>::new(&engine);
    mica_wasi::add_to_linker(&mut linker, |ctx| ctx)?;
    let mut store = Store::new(&engine, wasi);
    for preload in &args.preload {
        link::preload(
            &mut linker,
            &mut store,
            preload,
            &args.features.text,
            args.allow_unknown_imports,
        )?;
    }
    link::resolve_imports(&mut linker, &mut store, &module, args.allow_unknown_imports)?;
    if let Some(fuel) = args.fuel {
        store.set_fuel(fuel)?;
    }
    if let Some(timeout) = args.timeout {
        // The deadline is the next epoch, which a thread of its own starts when the time is
        // up (the process ends with the guest; the thread needs no joining).
        store.set_epoch_deadline(1);
        let engine = engine.clone();
        std::thread::spawn(move || {
            std::thread::sleep(timeout);
            engine.increment_epoch();
        });
    }
    let outcome = execute(&args, &mut store, &linker, &module);
    *fuel_left = store.get_fuel().ok();
    #[cfg(feature = "pair-stats")]
    print_pair_stats();
    outcome
}

/// Prints the fall-through pairs the run counted, the most frequent first: the data for
/// choosing the pairs to fuse (a developers' build: feature `pair-stats`).
#[cfg(feature = "pair-stats")]
fn print_pair_stats() {
    let pairs = mica::pair_stats::take();
    let total: u64 = pairs.iter().map(|p| p.4).sum();
    eprintln!("pair-stats: {total} fall-throughs (after a fused pair, its second instruction starts none)");
    for (a, fa, b, fb, n, fused) in pairs.iter().take(60) {
        let fused = if *fused { "fused" } else { "-" };
        eprintln!("pair-stats: {n:>12} {:>5.2}% {fused:>5} {a}/{fa:#x} {b}/{fb:#x}", 100.0 * *n as f64 / total as f64);
    }
    let triples = mica::pair_stats::take_triples();
    let total: u64 = triples.iter().map(|t| t.1).sum();
    eprintln!("triple-stats: {total} runs of three instructions falling through twice");
    for ([(a, fa), (b, fb), (c, fc)], n, fused) in triples.iter().take(40) {
        let fused = if *fused { "fused" } else { "-" };
        let share = 100.0 * *n as f64 / total as f64;
        eprintln!("triple-stats: {n:>12} {share:>5.2}% {fused:>5} {a}/{fa:#x} {b}/{fb:#x} {c}/{fc:#x}");
    }
}

/// Instantiates the module and runs it: `_start`, or the export `--invoke` names.
fn execute(args: &RunArgs, store: &mut Store<WasiCtx>, linker: &Linker<WasiCtx>, module: &mica::Module) -> mica::Result<ExitCode> {
    let mut store = store;
    let instance = linker.instantiate(&mut store, module)?;
    let Some(name) = &args.invoke else {
        let start = instance.get_func(&store, "_start").ok_or_else(|| {
            Error::new("the module exports no `_start` function (use --invoke NAME to call another export)")
        })?;
        start.call(&mut store, &[], &mut [])?;
        return Ok(ExitCode::SUCCESS);
    };
    if let Some(init) = instance.get_func(&store, "_initialize") {
        init.call(&mut store, &[], &mut [])?;
    }
    let func = instance
        .get_func(&store, name)
        .ok_or_else(|| Error::new(format!("the module exports no function `{name}`")))?;
    let ty = func.ty(&store);
    if ty.params().len() != args.rest().len() {
        return Err(Error::new(format!(
            "`{name}` has type {ty}: it takes {} arguments, {} given",
            ty.params().len(),
            args.rest().len()
        )));
    }
    let params = ty
        .params()
        .iter()
        .zip(args.rest())
        .map(|(ty, text)| parse_value(*ty, &text.to_string_lossy()))
        .collect::<mica::Result<Vec<_>>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    func.call(&mut store, &params, &mut results)?;
    let printed = results
        .iter()
        .try_for_each(|value| outln!("{}", format_value(value)))
        .and_then(|()| crate::output::flush());
    Ok(printed.map_or_else(|e| e.exit_code(), |()| ExitCode::SUCCESS))
}

/// What the parsers of single options cannot see: options repeated where they must not be.
fn check_options(args: &RunArgs) -> Result<(), String> {
    for (i, (name, _)) in args.envs.iter().enumerate() {
        if args.envs[..i].iter().any(|(earlier, _)| earlier == name) {
            return Err(format!("--env {name} is given more than once"));
        }
    }
    for (i, preload) in args.preload.iter().enumerate() {
        if args.preload[..i].iter().any(|earlier| earlier.name == preload.name) {
            return Err(format!("--preload {}=... is given more than once", preload.name));
        }
    }
    Ok(())
}

fn config(args: &RunArgs) -> Config {
    let mut config = args.features.config.clone();
    // `--lazy` is the default; it is accepted to say so explicitly.
    let _ = args.lazy;
    config.translation(if args.eager { TranslationMode::Eager } else { TranslationMode::Lazy });
    if let Some(bytes) = args.stack_size {
        config.max_stack_cells(usize::try_from(bytes / 8).unwrap_or(usize::MAX));
    }
    if let Some(depth) = args.max_call_depth {
        config.max_call_depth(depth);
    }
    if let Some(bytes) = args.max_memory {
        config.max_memory_bytes(bytes);
    }
    if let Some(bytes) = args.max_gc_heap {
        config.max_gc_heap(usize::try_from(bytes).unwrap_or(usize::MAX));
    }
    if let Some(elements) = args.max_table_elements {
        config.max_table_elements(elements.into());
    }
    if let Some(count) = args.max_instances {
        config.max_instances(count);
    }
    config.consume_fuel(args.fuel.is_some()).epoch_interruption(args.timeout.is_some());
    config
}

fn wasi_context(args: &RunArgs) -> mica::Result<WasiCtx> {
    let mut builder = WasiCtxBuilder::new();
    builder.inherit_stdio();
    let argv0 =
        args.argv0.clone().unwrap_or_else(|| args.file_and_args[0].to_string_lossy().into_owned());
    builder.arg(argv0);
    builder.args(args.rest().iter().map(|a| a.to_string_lossy()));
    for (name, value) in &args.envs {
        let value = match value {
            Some(value) => value.clone(),
            // As wasmtime: a variable the host does not have stays unset in the guest.
            None => match std::env::var_os(name) {
                Some(value) => value.into_string().map_err(|_| {
                    Error::new(format!("--env {name}: the host's value is not valid UTF-8"))
                })?,
                None => continue,
            },
        };
        builder.env(name, value);
    }
    for (host, guest) in &args.dirs {
        builder.preopened_dir(host, guest)?;
    }
    Ok(builder.build())
}
