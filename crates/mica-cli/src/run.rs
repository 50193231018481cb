//! `mica run`: instantiate a module and call one of its exports.

use clap::Args;
use mica::{Engine, Linker, Module, Store, Val, ValType};
use std::path::PathBuf;
use std::process::ExitCode;

/// Run a WebAssembly module (.wasm binary or .wat text).
#[derive(Args)]
pub struct RunArgs {
    /// The exported function to call, with the values after FILE as its arguments.
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// The module to run.
    file: PathBuf,
    /// Arguments for the invoked function.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

pub fn main(args: RunArgs) -> ExitCode {
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(trap) = e.as_trap() {
                for frame in trap.backtrace() {
                    eprintln!("    at {frame}");
                }
                return ExitCode::from(134);
            }
            ExitCode::FAILURE
        }
    }
}

fn run(args: RunArgs) -> mica::Result<ExitCode> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| mica::Error::new(format!("cannot read {}: {e}", args.file.display())))?;
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes)?;
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    let instance = linker.instantiate(&mut store, &module)?;
    let name = args.invoke.as_deref().unwrap_or("_start");
    let func = instance
        .get_func(&store, name)
        .ok_or_else(|| mica::Error::new(format!("the module exports no function `{name}`")))?;
    let ty = func.ty(&store);
    if ty.params().len() != args.args.len() {
        return Err(mica::Error::new(format!(
            "`{name}` has type {ty}: it takes {} arguments, {} given",
            ty.params().len(),
            args.args.len()
        )));
    }
    let params = ty
        .params()
        .iter()
        .zip(&args.args)
        .map(|(ty, text)| parse_value(*ty, text))
        .collect::<mica::Result<Vec<_>>>()?;
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    func.call(&mut store, &params, &mut results)?;
    for value in results {
        println!("{}", format_value(&value));
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_value(ty: ValType, text: &str) -> mica::Result<Val> {
    let bad = || mica::Error::new(format!("`{text}` is not a valid {ty}"));
    Ok(match ty {
        ValType::I32 => Val::I32(text.parse::<i32>().or_else(|_| text.parse::<u32>().map(|x| x as i32)).map_err(|_| bad())?),
        ValType::I64 => Val::I64(text.parse::<i64>().or_else(|_| text.parse::<u64>().map(|x| x as i64)).map_err(|_| bad())?),
        ValType::F32 => Val::f32(text.parse::<f32>().map_err(|_| bad())?),
        ValType::F64 => Val::f64(text.parse::<f64>().map_err(|_| bad())?),
        _ => return Err(mica::Error::new(format!("cannot pass a {ty} from the command line"))),
    })
}

/// Integers in decimal; floats in Rust's shortest round-trip form (`-0`, `NaN`, `inf`).
fn format_value(value: &Val) -> String {
    match value {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => format_float(f32::from_bits(*b) as f64, f32::from_bits(*b).to_string()),
        Val::F64(b) => format_float(f64::from_bits(*b), f64::from_bits(*b).to_string()),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "funcref".to_string(),
        Val::ExternRef(Some(_)) => "externref".to_string(),
        other => format!("{other:?}"),
    }
}

fn format_float(x: f64, shortest: String) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".to_string() } else { "-inf".to_string() }
    } else {
        shortest
    }
}
