//! `mica wast`: run spec test scripts.
//!
//! Exit status: 0 when every directive passed, 1 when one failed or a script could not be
//! read, 2 for a wrong command line; 141 when stdout is a pipe whose reader went away
//! (`mica wast x.wast | head -1`), and 1 with a message when stdout cannot be written.

use crate::features::{self, FeatureSet};
use crate::output::WriteFailed;
use crate::{errln, outln};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Run WebAssembly spec test scripts (.wast) and report each directive's result.
#[derive(Args)]
pub struct WastArgs {
    /// The feature set: `1.0`, `2.0`, `3.0`, `all` (everything Mica supports), or a
    /// comma-separated set of versions and proposal names, in any order, e.g. `2.0,tail-call`.
    #[arg(long, default_value = "all", value_parser = features::parse)]
    features: FeatureSet,
    /// The scripts to run.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn main(args: WastArgs) -> ExitCode {
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => e.exit_code(),
    }
}

/// Whether every directive passed.
fn run(args: &WastArgs) -> Result<bool, WriteFailed> {
    let (mut passed, mut failed) = (0, 0);
    for file in &args.files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                errln!("error: cannot read {}: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let report = mica_wast::run_script_at(&text, Some(file), &args.features.config);
        outln!("{}: {} passed, {} failed", file.display(), report.passed, report.failed())?;
        for (line, message) in &report.failures {
            outln!("  {}:{line}: {message}", file.display())?;
        }
        passed += report.passed;
        failed += report.failed();
    }
    outln!("wast: {passed} passed, {failed} failed")?;
    crate::output::flush()?;
    Ok(failed == 0)
}
