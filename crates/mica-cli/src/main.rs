//! The `mica` command. Each subcommand lives in its own module; this file only dispatches.

mod run;
mod values;
mod wast;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Mica, a small and fast WebAssembly interpreter.
#[derive(Parser)]
#[command(name = "mica", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(run::RunArgs),
    Wast(wast::WastArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run(args) => run::main(args),
        Command::Wast(args) => wast::main(args),
    }
}
