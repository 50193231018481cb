//! The `mica` command. Each subcommand lives in its own module; this file only dispatches.

mod backtrace;
mod features;
mod inspect;
mod link;
mod load;
mod output;
mod run;
mod status;
mod validate;
mod values;
mod wast;

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::process::ExitCode;

/// Mica, a small and fast WebAssembly interpreter.
#[derive(Parser)]
#[command(
    name = "mica",
    version,
    about,
    long_about = None,
    after_help = "`mica FILE [ARGS]...` is short for `mica run FILE [ARGS]...`, and so is \
                  `mica OPTIONS FILE [ARGS]...` with `run`'s options."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(Box<run::RunArgs>),
    Wast(wast::WastArgs),
    Validate(validate::ValidateArgs),
    Inspect(inspect::InspectArgs),
}

const SUBCOMMANDS: &[&str] = &["run", "wast", "validate", "inspect", "help"];

/// `mica FILE ARGS...` and `mica --invoke f FILE` mean `mica run ...`, as for wasmtime: the
/// first argument is a subcommand, or `-h`/`--help`/`-V`/`--version`, or else `run` goes first.
fn with_default_subcommand(mut args: Vec<OsString>) -> Vec<OsString> {
    let explicit = args.get(1).is_none_or(|first| {
        first.to_str().is_some_and(|first| {
            SUBCOMMANDS.contains(&first) || ["-h", "--help", "-V", "--version"].contains(&first)
        })
    });
    if !explicit {
        args.insert(1, "run".into());
    }
    args
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse_from(with_default_subcommand(std::env::args_os().collect())) {
        Ok(cli) => cli,
        Err(e) => return output::clap_exit(&e),
    };
    match cli.command {
        Command::Run(args) => run::main(*args),
        Command::Wast(args) => wast::main(args),
        Command::Validate(args) => validate::main(args),
        Command::Inspect(args) => inspect::main(args),
    }
}
