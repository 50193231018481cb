//! `mica-bench`: see the crate documentation and `BENCHMARKS.md`.

use clap::Parser;
use mica_bench::harness::{self, Options, Phase};
use std::path::PathBuf;
use std::process::ExitCode;

/// Benchmark Mica against wasmi 2.0.0: every workload on both engines, interleaved.
#[derive(Parser)]
#[command(name = "mica-bench")]
struct Args {
    /// Small sizes, one sample, no warm-up: a smoke run for CI that still verifies every
    /// checksum on both engines.
    #[arg(long, alias = "smoke")]
    quick: bool,
    /// Run only workloads whose name contains NAME (repeatable; `call_overhead` and
    /// `startup` name those phases' benchmarks, `hostile_<shape>` the hostile shapes).
    #[arg(long, value_name = "NAME")]
    filter: Vec<String>,
    /// Run only these phases: translate (compile + instantiate), execute, calls, startup,
    /// hostile (translation time per byte of generated hostile bodies), big (a 75 MB program's
    /// start-up time and peak memory; downloaded on first use), python, gc, cli (the shared
    /// programs through `mica run`, the `wasmi` CLI and `iwasm`, where installed).
    #[arg(long, value_name = "PHASE", value_delimiter = ',')]
    phase: Vec<String>,
    /// Timed execution samples per engine (default: 5, fewer, down to 3, for workloads whose
    /// first run takes over a second, so the full run stays near 10 minutes; more, up to 21,
    /// for workloads under a tenth of a second, and up to 101 under a millisecond; 1 with
    /// --quick). Giving it (or --warmup) makes the count exact.
    #[arg(long)]
    samples: Option<usize>,
    /// Checked but untimed runs per engine before the samples (default 1, or 0 with --quick).
    #[arg(long)]
    warmup: Option<usize>,
    /// The shared/bench folder (default: $MICA_BENCH_DIR, else ../shared/bench from the
    /// repository root).
    #[arg(long, value_name = "DIR")]
    bench_dir: Option<PathBuf>,
    /// Functions in the generated start-up module (default 5000, or 500 with --quick).
    #[arg(long)]
    large_funcs: Option<u32>,
    /// Also write the Markdown report to this file.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// List the workloads and exit.
    #[arg(long)]
    list: bool,
    /// Meter fuel in both engines (Mica's and wasmi's `Config::consume_fuel`), every store
    /// starting with all the fuel there is: what metering costs, side by side.
    #[arg(long)]
    fuel: bool,
    /// Check the epoch in Mica's code (`Config::epoch_interruption`), with no deadline set:
    /// what being interruptible costs.
    #[arg(long)]
    epochs: bool,
    /// Internal: one sample of the big-program phase in this process (ENGINE MODE FILE).
    #[arg(long, hide = true, num_args = 3, value_names = ["ENGINE", "MODE", "FILE"])]
    big_child: Option<Vec<String>>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    mica_bench::engines::set_metered(args.fuel);
    mica_bench::engines::set_epochs(args.epochs);
    if let Some(child) = &args.big_child {
        return match mica_bench::big::child(child) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if args.list {
        for w in mica_bench::workloads::WORKLOADS {
            println!("{:<18} {}", w.name, w.what);
        }
        println!("{:<18} host -> wasm call overhead (phase calls)", "call_overhead");
        println!("{:<18} large generated module, eager and lazy (phase startup)", "startup");
        for shape in mica_bench::hostile::SHAPES {
            let name = format!("hostile_{}", shape.name);
            println!("{name:<21} {} (phase hostile)", shape.what);
        }
        println!("{:<18} {}: start-up and peak memory (phase big)", "big", mica_bench::big::PROGRAM.name);
        println!("{:<18} {}: time to its first line under `mica run` (phase python)", "python", mica_bench::python::NAME);
        for p in &mica_bench::gc::PROGRAMS {
            println!("{:<18} {} (phase gc; Mica and wasmtime)", p.name, p.what);
        }
        return ExitCode::SUCCESS;
    }
    let mut opts = Options::new(args.quick);
    opts.filter = args.filter;
    if !args.phase.is_empty() {
        opts.phases.clear();
        for name in &args.phase {
            match Phase::parse(name) {
                Some(p) => opts.phases.push(p),
                None => {
                    eprintln!(
                        "error: unknown phase `{name}` (translate, execute, calls, startup, hostile, big, python, gc, cli)"
                    );
                    return ExitCode::from(2);
                }
            }
        }
    }
    if let Some(n) = args.samples {
        opts.samples = n.max(1);
        opts.budget = None;
    }
    if let Some(n) = args.warmup {
        opts.warmup = n;
        opts.budget = None;
    }
    if let Some(dir) = args.bench_dir {
        opts.bench_dir = dir;
    }
    if let Some(n) = args.large_funcs {
        opts.large_funcs = n.max(1);
    }
    let report = harness::run(&opts);
    let text = mica_bench::report::render(&report, &opts);
    println!("{text}");
    if let Some(path) = args.output
        && let Err(e) = std::fs::write(&path, &text)
    {
        eprintln!("error: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
