//! `mica run`: run a WASI command (its `_start`), or call one export with `--invoke`.
//!
//! Exit status: the guest's `proc_exit` code (0 when `_start` returns); 134 after a trap,
//! with the reason and the wasm backtrace on stderr; 1 when the module cannot be read,
//! decoded, validated or linked, or the command line is wrong.

use crate::values::{format_value, parse_value};
use clap::Args;
use mica::{Config, Engine, Error, ExternType, Linker, Module, Store, Val};
use mica_wasi::{I32Exit, WasiCtx, WasiCtxBuilder};
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
    #[arg(long = "dir", value_name = "HOST_DIR[::GUEST_DIR]")]
    dirs: Vec<String>,
    /// Set an environment variable for the guest (repeatable). The guest sees only these.
    #[arg(long = "env", value_name = "KEY=VALUE")]
    envs: Vec<String>,
    /// The value stack's size limit in bytes (suffixes K, M, G); deeper use traps.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    stack_size: Option<u64>,
    /// The deepest nesting of wasm calls; deeper calls trap.
    #[arg(long, value_name = "N")]
    max_call_depth: Option<usize>,
    /// The largest size any linear memory may reach, in bytes (suffixes K, M, G; rounded
    /// down to whole 64 KiB pages).
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// Define every function import nothing provides as a function that traps when called.
    #[arg(long)]
    allow_unknown_imports: bool,
    /// The module to run, then the guest's arguments (or the values for --invoke). Everything
    /// after FILE goes to the guest verbatim, even what looks like an option.
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

pub fn main(args: RunArgs) -> ExitCode {
    match run(args) {
        Ok(code) => code,
        Err(e) => report(&e),
    }
}

/// The exit status for an error: the guest's own, or a report on stderr.
fn report(e: &Error) -> ExitCode {
    if let Some(I32Exit(code)) = e.downcast_ref::<I32Exit>() {
        return ExitCode::from(*code as u8);
    }
    eprintln!("error: {e}");
    match e.as_trap() {
        Some(trap) => {
            if !trap.backtrace().is_empty() {
                eprintln!("wasm backtrace:");
                for (i, frame) in trap.backtrace().iter().enumerate() {
                    eprintln!("  {i:>3}: {frame}");
                }
            }
            ExitCode::from(134)
        }
        None => ExitCode::FAILURE,
    }
}

impl RunArgs {
    fn file(&self) -> PathBuf {
        PathBuf::from(&self.file_and_args[0])
    }

    /// What follows FILE.
    fn rest(&self) -> &[OsString] {
        &self.file_and_args[1..]
    }
}

fn run(args: RunArgs) -> mica::Result<ExitCode> {
    let file = args.file();
    let bytes = std::fs::read(&file)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", file.display())))?;
    let engine = Engine::new(&config(&args));
    // A `.wasm` file is a binary whatever its bytes look like, so that a broken one is
    // reported as a broken binary rather than as text that does not parse.
    let module = if file.extension().is_some_and(|e| e == "wasm") {
        Module::from_binary(&engine, &bytes)?
    } else {
        Module::new(&engine, &bytes)?
    };
    let mut linker = Linker::<WasiCtx>::new(&engine);
    mica_wasi::add_to_linker(&mut linker, |ctx| ctx)?;
    if args.allow_unknown_imports {
        define_unknown_imports(&mut linker, &module)?;
    }
    let mut store = Store::new(&engine, wasi_context(&args)?);
    let instance = linker.instantiate(&mut store, &module)?;
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
    for value in results {
        println!("{}", format_value(&value));
    }
    Ok(ExitCode::SUCCESS)
}

fn config(args: &RunArgs) -> Config {
    let mut config = Config::new();
    if let Some(bytes) = args.stack_size {
        config.max_stack_cells(usize::try_from(bytes / 8).unwrap_or(usize::MAX));
    }
    if let Some(depth) = args.max_call_depth {
        config.max_call_depth(depth);
    }
    if let Some(bytes) = args.max_memory {
        config.max_memory_pages(bytes / 65536);
    }
    config
}

fn wasi_context(args: &RunArgs) -> mica::Result<WasiCtx> {
    let mut builder = WasiCtxBuilder::new();
    builder.inherit_stdio();
    builder.args(args.file_and_args.iter().map(|a| a.to_string_lossy()));
    for var in &args.envs {
        let (key, value) = var
            .split_once('=')
            .ok_or_else(|| Error::new(format!("--env {var}: expected KEY=VALUE")))?;
        builder.env(key, value);
    }
    for dir in &args.dirs {
        let (host, guest) = dir.split_once("::").unwrap_or((dir, dir));
        builder.preopened_dir(host, guest)?;
    }
    Ok(builder.build())
}

/// Defines each function import the linker cannot satisfy as a function that traps.
fn define_unknown_imports(linker: &mut Linker<WasiCtx>, module: &Module) -> mica::Result<()> {
    let mut probe = Store::new(linker.engine(), WasiCtxBuilder::new().build());
    let missing: Vec<(String, String, mica::FuncType)> = module
        .imports()
        .filter_map(|(m, n, ty)| match ty {
            ExternType::Func(f) if linker.get(&mut probe, m, n).is_none() => {
                Some((m.to_string(), n.to_string(), f.clone()))
            }
            _ => None,
        })
        .collect();
    for (module_name, name, ty) in missing {
        let message = format!("called the unknown import `{module_name}::{name}`");
        linker.func_new(&module_name, &name, ty, move |_, _, _| Err(Error::new(&message)))?;
    }
    Ok(())
}
