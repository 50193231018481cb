//! `mica validate`: whether modules are valid, and loadable by Mica.

use crate::features::{self, FeatureSet};
use crate::{errln, load, outln};
use clap::Args;
use mica::Engine;
use std::path::PathBuf;
use std::process::ExitCode;

/// Check that modules are valid WebAssembly that Mica can run
///
/// Says so for each, or prints the error. Exit status 0 when all are, else 1.
#[derive(Args)]
pub struct ValidateArgs {
    /// The feature set (as for `run`): `1.0`, `2.0`, `3.0`, `all`, or a comma-separated list.
    #[arg(long, default_value = "all", value_parser = features::parse)]
    features: FeatureSet,
    /// The modules (.wasm or .wat; `-` reads stdin).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub fn main(args: ValidateArgs) -> ExitCode {
    // Eager translation: whatever Mica would refuse when running the module, it refuses now.
    let engine = Engine::new(&args.features.config);
    let mut all_valid = true;
    for file in &args.files {
        let checked = load::read(file)
            .and_then(|source| source.compile(&engine, &args.features.text).map(|_| source.name));
        match checked {
            Ok(name) => {
                if let Err(e) = outln!("{name}: valid") {
                    return e.exit_code();
                }
            }
            Err(message) => {
                errln!("error: {message}");
                all_valid = false;
            }
        }
    }
    if all_valid { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
