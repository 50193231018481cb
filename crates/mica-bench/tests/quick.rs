//! The harness's quick mode, once, so `cargo test --workspace` (and CI) compiles the
//! benchmarks, runs every workload on both engines and verifies every checksum. No
//! assertion here is about time.

use mica_bench::harness::{self, Options};
use mica_bench::hostile::SHAPES;
use mica_bench::workloads::{Group, WORKLOADS};

/// The workloads the debug test runs. In the test profile wasmi's tail-call dispatch is not
/// compiled into jumps, so every wasm instruction it executes takes a native stack frame
/// (~80 bytes) until the call returns: the heavier quick workloads would need gigabytes of
/// stack. An optimized build (`cargo test --release`, or the harness binary, which CI runs
/// with `--quick`) runs them all.
const DEBUG_SUBSET: &[&str] = &[
    "empty",
    "fib",
    "hostcall",
    "tailcall",
    "int_loop",
    "tail_mutual",
    "host_call",
    "host_return_call",
    "mem_loadstore",
    "mem_bulk",
    "mem_bulk_small",
    "call_indirect",
    "br_table_vm",
    "call_overhead",
    "startup",
    "hostile",
];

#[test]
fn quick_mode_verifies_checksums_on_both_engines() {
    let mut opts = Options::new(true);
    opts.verbose = false;
    if cfg!(debug_assertions) {
        opts.filter = DEBUG_SUBSET.iter().map(|s| s.to_string()).collect();
    }
    // A large stack for the reason above (reserved, not committed: the fib workload touches
    // about 250 MiB of it).
    let report = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let report = harness::run(&opts);
            println!("{}", mica_bench::report::render(&report, &opts));
            report
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(report.failures.is_empty(), "failures:\n{}", report.failures.join("\n"));
    assert!(!report.rows.is_empty());
    if !cfg!(debug_assertions) {
        let expected_rows = WORKLOADS
            .iter()
            .filter(|w| {
                matches!(w.group, Group::Micro | Group::Memories | Group::Features)
                    || harness::default_bench_dir().join("wasm").is_dir()
            })
            .count();
        assert_eq!(report.rows.len(), expected_rows);
    }
    for row in &report.rows {
        // wasmi does not run the `Features` group (it implements neither feature).
        let wasmi_verified = row.verified.wasmi || row.workload.group == Group::Features;
        assert!(row.verified.mica && wasmi_verified, "{} not verified", row.workload.name);
    }
    assert_eq!(report.calls.len(), 2);
    assert_eq!(report.startup.len(), 2);
    // Every hostile shape at both sizes, timed or (by Mica's budget) refused on each engine.
    assert_eq!(report.hostile.len(), 2 * SHAPES.len());
    for row in &report.hostile {
        let name = format!("{} ({})", row.shape.name, row.size.label());
        assert!(row.compile.mica.is_some() || row.refused.mica.is_some(), "{name}: Mica");
        assert!(row.compile.wasmi.is_some() || row.refused.wasmi.is_some(), "{name}: wasmi");
    }
}

/// The full-size checksums in the harness are those of shared/bench/README.md.
#[test]
fn full_size_checksums_match_the_shared_readme() {
    let readme = harness::default_bench_dir().join("README.md");
    let Ok(text) = std::fs::read_to_string(&readme) else {
        eprintln!("{} not found: skipping", readme.display());
        return;
    };
    for w in WORKLOADS.iter().filter(|w| matches!(w.group, Group::Shared | Group::Simd) && w.name != "empty") {
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", w.name)))
            .unwrap_or_else(|| panic!("{} is not in the README's table", w.name));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        // | program | args (full size) | what it stresses | expected checksum |
        assert_eq!(Some(cells[4]), w.full.checksum, "{}: checksum", w.name);
        let args = match (w.full.arg, w.full.arg2) {
            (Some(a), Some(b)) => format!("{a} {b}"),
            (Some(a), None) => a.to_string(),
            _ => "—".to_string(),
        };
        assert_eq!(cells[2], args, "{}: full-size argument", w.name);
    }
}
