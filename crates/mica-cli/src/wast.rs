//! `mica wast`: run spec test scripts.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Run WebAssembly spec test scripts (.wast) and report each directive's result.
#[derive(Args)]
pub struct WastArgs {
    /// The feature set: `1.0`, `2.0`, `3.0`, `all` (everything Mica supports), or a
    /// comma-separated list of versions and proposal names, e.g. `2.0,tail-call`.
    #[arg(long, default_value = "all")]
    features: String,
    /// The scripts to run.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn main(args: WastArgs) -> ExitCode {
    let config = match mica_wast::config_for(&args.features) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut passed, mut failed) = (0, 0);
    for file in &args.files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let report = mica_wast::run_script(&text, &config);
        println!("{}: {} passed, {} failed", file.display(), report.passed, report.failed());
        for (line, message) in &report.failures {
            println!("  {}:{line}: {message}", file.display());
        }
        passed += report.passed;
        failed += report.failed();
    }
    println!("wast: {passed} passed, {failed} failed");
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
