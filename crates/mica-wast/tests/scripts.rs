//! Mica's own `.wast` scripts (`tests/scripts/`), for what the official suite does not cover
//! (the legacy exception instructions, for one). Each script names its feature set on its
//! first line (`;; features: 3.0,legacy-exceptions`) and runs in both translation modes;
//! every directive must pass.

use mica::TranslationMode;
use std::path::Path;

#[test]
fn own_scripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/scripts exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "wast"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no scripts in {}", dir.display());
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("a readable script");
        let features = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix(";; features: "))
            .unwrap_or_else(|| panic!("{}: the first line names no feature set", path.display()));
        for mode in [TranslationMode::Eager, TranslationMode::Lazy] {
            let mut config = mica_wast::config_for(features).expect("a known feature set");
            config.translation(mode);
            let report = mica_wast::run_script(&text, &config);
            println!("{} ({mode:?}): {} passed, {} failed", path.display(), report.passed, report.failed());
            for (line, message) in report.failures {
                failures.push(format!("{}:{line} ({mode:?}): {message}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "script directives failed:\n{}", failures.join("\n"));
}
