//! The report as Markdown tables.

use crate::harness::{HostileRow, Options, Pair, Report, Row};
use crate::heap::HeapUse;
use crate::stats::{Samples, fmt_bytes, fmt_secs, geomean};
use crate::workloads::Group;
use std::fmt::Write;

fn ratio(mica: f64, wasmi: f64) -> f64 {
    mica / wasmi
}

fn fmt_ratio(r: f64) -> String {
    if r.is_finite() { format!("{r:.2}") } else { "—".to_string() }
}

/// `median (min–max)`, or FAILED.
fn cell(s: &Option<Samples>) -> String {
    match s {
        Some(s) if s.len() > 1 => {
            format!("{} ({}–{})", fmt_secs(s.median()), fmt_secs(s.min()), fmt_secs(s.max()))
        }
        Some(s) => fmt_secs(s.median()),
        None => "FAILED".to_string(),
    }
}

fn median(s: &Option<Samples>) -> f64 {
    s.as_ref().map_or(f64::NAN, Samples::median)
}

fn pair_ratio(p: &Pair<Option<Samples>>) -> f64 {
    ratio(median(&p.mica), median(&p.wasmi))
}

fn sum_median(a: &Option<Samples>, b: &Option<Samples>) -> f64 {
    median(a) + median(b)
}

fn heap_cell(h: &Option<HeapUse>) -> String {
    h.map_or("—".to_string(), |h| fmt_bytes(h.retained))
}

fn heap_ratio(h: &Pair<Option<HeapUse>>) -> f64 {
    match (h.mica, h.wasmi) {
        (Some(m), Some(w)) if w.retained > 0 => m.retained as f64 / w.retained as f64,
        _ => f64::NAN,
    }
}

fn exec_ratio(r: &Row) -> f64 {
    pair_ratio(&r.exec)
}

fn translate_ratio(r: &Row) -> f64 {
    ratio(
        sum_median(&r.compile.mica, &r.instantiate.mica),
        sum_median(&r.compile.wasmi, &r.instantiate.wasmi),
    )
}

fn checked(r: &Row) -> &'static str {
    if r.workload.group == Group::Features {
        return if r.verified.mica { "ok (Mica alone)" } else { "**mica wrong**" };
    }
    match (r.verified.mica, r.verified.wasmi) {
        (true, true) => "ok",
        (false, true) => "**mica wrong**",
        (true, false) => "**wasmi wrong**",
        (false, false) => "**both wrong**",
    }
}

pub fn render(report: &Report, opts: &Options) -> String {
    let mut w = String::new();
    let mode = if opts.quick { "quick (CI sizes)" } else { "full" };
    let plan = match opts.budget {
        Some(budget) => format!(
            "{} timed samples per engine after {} warm-up run(s); for workloads whose first run took a \
             second or more, no warm-up and as many samples as fit in {budget:.0} s (at least 3)",
            opts.samples.max(1),
            opts.warmup
        ),
        None => format!(
            "{} timed sample(s) per engine after {} warm-up run(s)",
            opts.samples.max(1),
            opts.warmup
        ),
    };
    let _ = writeln!(
        w,
        "Mode: {mode}. Execution: {plan}; engines interleaved run by run, each run on a fresh \
         instance and checked. Times are medians with (min–max); `n` = samples per engine. Ratios \
         are Mica/wasmi: below 1 means Mica is faster.\n"
    );
    if crate::engines::metered() {
        let _ = writeln!(w, "**Fuel metering on** in both engines (`Config::consume_fuel`, all the fuel there is).\n");
    }
    if crate::engines::epochs() {
        let _ = writeln!(w, "**Epoch checks on** in Mica (`Config::epoch_interruption`, no deadline set).\n");
    }

    let exec_rows: Vec<&Row> =
        report.rows.iter().filter(|r| r.exec.mica.is_some() || r.exec.wasmi.is_some()).collect();
    if !exec_rows.is_empty() {
        let _ = writeln!(w, "### Execution\n");
        let _ =
            writeln!(w, "| workload | what | size | n | Mica | wasmi | Mica/wasmi | checksum |");
        let _ = writeln!(w, "|---|---|---|---:|---:|---:|---:|---|");
        for r in &exec_rows {
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | **{}** | {} |",
                r.workload.name,
                r.workload.what,
                r.size,
                r.exec.mica.as_ref().or(r.exec.wasmi.as_ref()).map_or(0, Samples::len),
                cell(&r.exec.mica),
                if r.workload.group == Group::Features { "not run".to_string() } else { cell(&r.exec.wasmi) },
                fmt_ratio(exec_ratio(r)),
                checked(r)
            );
        }
        let gm = |group: Option<Group>| {
            geomean(
                exec_rows
                    .iter()
                    .filter(|r| !matches!(r.workload.group, Group::Simd | Group::Memories | Group::Features))
                    .filter(|r| group.is_none_or(|g| r.workload.group == g))
                    .map(|r| exec_ratio(r)),
            )
        };
        let _ = writeln!(
            w,
            "\nGeometric mean of the scalar execution ratios: **{}** (shared/bench programs: {}, \
             micro-benchmarks: {}; the SIMD, memory and feature groups below are not in it).\n",
            fmt_ratio(gm(None)),
            fmt_ratio(gm(Some(Group::Shared))),
            fmt_ratio(gm(Some(Group::Micro)))
        );
        render_simd(&mut w, &exec_rows);
        render_memories(&mut w, &exec_rows);
        render_features(&mut w, &exec_rows);
    }

    let tr_rows: Vec<&Row> = report
        .rows
        .iter()
        .filter(|r| r.compile.mica.is_some() || r.compile.wasmi.is_some())
        .collect();
    if !tr_rows.is_empty() {
        let _ = writeln!(w, "### Translation (eager compile + instantiate) and code memory\n");
        let _ = writeln!(
            w,
            "| workload | wasm | Mica compile | Mica inst. | wasmi compile | wasmi inst. | Mica/wasmi (compile+inst.) | Mica heap | wasmi heap | heap ratio |"
        );
        let _ = writeln!(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for r in &tr_rows {
            let _ = writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | **{}** | {} | {} | {} |",
                r.workload.name,
                fmt_bytes(r.wasm_bytes as isize),
                fmt_secs(median(&r.compile.mica)),
                fmt_secs(median(&r.instantiate.mica)),
                fmt_secs(median(&r.compile.wasmi)),
                fmt_secs(median(&r.instantiate.wasmi)),
                fmt_ratio(translate_ratio(r)),
                heap_cell(&r.heap.mica),
                heap_cell(&r.heap.wasmi),
                fmt_ratio(heap_ratio(&r.heap)),
            );
        }
        // The memory group repeats one small module three times (with a 4 MiB memory whose
        // instantiation dominates): it would weigh thrice in the mean.
        let counted = || tr_rows.iter().filter(|r| !matches!(r.workload.group, Group::Memories | Group::Features));
        let _ = writeln!(
            w,
            "\nGeometric mean: translation ratio **{}**, heap ratio {} (without the memory group). \
             Heap = bytes the compiled module keeps allocated (counted by the harness's global \
             allocator around `Module::new`).\n",
            fmt_ratio(geomean(counted().map(|r| translate_ratio(r)))),
            fmt_ratio(geomean(counted().map(|r| heap_ratio(&r.heap))))
        );
    }

    if !report.calls.is_empty() {
        let _ = writeln!(w, "### Call overhead (host → wasm, typed calls)\n");
        let _ = writeln!(
            w,
            "| call | calls per sample | Mica per call | wasmi per call | Mica/wasmi |"
        );
        let _ = writeln!(w, "|---|---:|---:|---:|---:|");
        for c in &report.calls {
            let per = |s: &Option<Samples>| median(s) / c.calls as f64;
            let name = match c.shape {
                crate::engines::CallShape::Nop => "`nop: [] -> []`",
                crate::engines::CallShape::Add => "`add: [i32 i32] -> [i32]`",
            };
            let _ = writeln!(
                w,
                "| {name} | {} | {} | {} | **{}** |",
                c.calls,
                fmt_secs(per(&c.time.mica)),
                fmt_secs(per(&c.time.wasmi)),
                fmt_ratio(pair_ratio(&c.time))
            );
        }
        let _ = writeln!(w);
    }

    if let Some((funcs, bytes)) = report.startup_module {
        let _ = writeln!(
            w,
            "### Start-up: a generated module of {funcs} functions ({})\n",
            fmt_bytes(bytes as isize)
        );
        let _ = writeln!(
            w,
            "| mode | engine | compile | instantiate | first call | total | Mica/wasmi (total) | heap after compile | peak heap while compiling |"
        );
        let _ = writeln!(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for s in &report.startup {
            let total = |c: &Option<Samples>, i: &Option<Samples>, f: &Option<Samples>| {
                median(c) + median(i) + median(f)
            };
            let tm = total(&s.compile.mica, &s.instantiate.mica, &s.first_call.mica);
            let tw = total(&s.compile.wasmi, &s.instantiate.wasmi, &s.first_call.wasmi);
            let rows = [
                (
                    "Mica",
                    &s.compile.mica,
                    &s.instantiate.mica,
                    &s.first_call.mica,
                    tm,
                    fmt_ratio(ratio(tm, tw)),
                    &s.heap.mica,
                ),
                (
                    "wasmi",
                    &s.compile.wasmi,
                    &s.instantiate.wasmi,
                    &s.first_call.wasmi,
                    tw,
                    String::new(),
                    &s.heap.wasmi,
                ),
            ];
            for (engine, c, i, f, t, r, h) in rows {
                let _ = writeln!(
                    w,
                    "| {:?} | {engine} | {} | {} | {} | {} | {} | {} | {} |",
                    s.mode,
                    cell(c),
                    fmt_secs(median(i)),
                    fmt_secs(median(f)),
                    fmt_secs(t),
                    if r.is_empty() { String::new() } else { format!("**{r}**") },
                    heap_cell(h),
                    h.map_or("—".to_string(), |h| fmt_bytes(h.peak)),
                );
            }
        }
        let _ = writeln!(
            w,
            "\nLazy = bodies validated at load and translated on first call (Mica `TranslationMode::Lazy`, \
             wasmi `CompilationMode::LazyTranslation`). First call = `run(3)`, which reaches 4 functions.\n"
        );
    }

    if !report.hostile.is_empty() {
        render_hostile(&mut w, report);
    }
    if !report.python.is_empty() {
        render_python(&mut w, report);
    }
    if !report.gc.is_empty() {
        render_gc(&mut w, report);
    }
    if !report.cli.1.is_empty() {
        render_cli(&mut w, report);
    }
    if !report.big.is_empty() {
        render_big(&mut w, report);
    }

    for s in &report.skipped {
        let _ = writeln!(w, "Skipped: {s}\n");
    }
    if report.failures.is_empty() {
        let _ = writeln!(w, "All checksums verified on both engines.");
    } else {
        let _ = writeln!(w, "### FAILURES\n");
        for f in &report.failures {
            let _ = writeln!(w, "- {f}");
        }
    }
    let _ = writeln!(w, "\nHarness wall time: {}.", fmt_secs(report.elapsed.as_secs_f64()));
    w
}

/// Microseconds per KiB of body, from a compile time in seconds.
fn us_per_kib(secs: f64, bytes: usize) -> f64 {
    secs * 1e6 / (bytes as f64 / 1024.0)
}

fn fmt_us(v: f64) -> String {
    if !v.is_finite() {
        "—".to_string()
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A hostile row's compile cell: the samples, or why there are none.
fn hostile_cell(s: &Option<Samples>, refused: &Option<String>) -> String {
    match (s, refused) {
        (Some(_), _) => cell(s),
        (None, Some(_)) => "refused".to_string(),
        (None, None) => "FAILED".to_string(),
    }
}

fn render_hostile(w: &mut String, report: &Report) {
    let _ = writeln!(w, "### Hostile shapes: eager translation time per byte\n");
    let _ = writeln!(
        w,
        "| shape | size | counts | body | Mica compile | wasmi compile | Mica µs/KiB | wasmi µs/KiB | Mica/wasmi | Mica instr./byte | Mica peak heap |"
    );
    let _ = writeln!(w, "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &report.hostile {
        let per = |s: &Option<Samples>| us_per_kib(median(s), r.body_bytes);
        let instrs = match r.mica_instrs {
            Some(n) => format!("{:.2}", n as f64 / r.body_bytes as f64),
            None => "—".to_string(),
        };
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} | **{}** | {} | {} |",
            r.shape.name,
            r.size.label(),
            r.counts,
            fmt_bytes(r.body_bytes as isize),
            hostile_cell(&r.compile.mica, &r.refused.mica),
            hostile_cell(&r.compile.wasmi, &r.refused.wasmi),
            fmt_us(per(&r.compile.mica)),
            fmt_us(per(&r.compile.wasmi)),
            fmt_ratio(pair_ratio(&r.compile)),
            instrs,
            r.mica_heap.map_or("—".to_string(), |h| fmt_bytes(h.peak)),
        );
    }
    let _ = writeln!(
        w,
        "\nGrowth from the small to the large size (linear: time × = bytes ×; per byte: time × / bytes ×):\n"
    );
    let _ = writeln!(
        w,
        "| shape | bytes × | Mica time × | wasmi time × | Mica per byte × | wasmi per byte × |"
    );
    let _ = writeln!(w, "|---|---:|---:|---:|---:|---:|");
    let find = |name: &str, size: crate::hostile::Size| -> Option<&HostileRow> {
        report.hostile.iter().find(|r| r.shape.name == name && r.size == size)
    };
    let mut names: Vec<&str> = report.hostile.iter().map(|r| r.shape.name).collect();
    names.dedup();
    for name in names {
        let (Some(small), Some(large)) =
            (find(name, crate::hostile::Size::Small), find(name, crate::hostile::Size::Large))
        else {
            continue;
        };
        let bytes = large.body_bytes as f64 / small.body_bytes as f64;
        let growth = |a: &Option<Samples>, b: &Option<Samples>| median(b) / median(a);
        let mica = growth(&small.compile.mica, &large.compile.mica);
        let wasmi = growth(&small.compile.wasmi, &large.compile.wasmi);
        let _ = writeln!(
            w,
            "| {name} | {bytes:.2} | {} | {} | **{}** | {} |",
            fmt_ratio(mica),
            fmt_ratio(wasmi),
            fmt_ratio(mica / bytes),
            fmt_ratio(wasmi / bytes),
        );
    }
    let _ = writeln!(
        w,
        "\nCompile = `Module::new` (validation and eager translation), medians with (min–max). \
         Mica instr./byte = instructions of Mica's code per byte of body (the budget refuses a \
         body past 8). Mica peak heap = the most the harness's allocator saw allocated while Mica \
         compiled the module (untimed pass); Mica frees its translation buffers with each module, \
         so that much is faulted in anew by every compilation.\n"
    );
    for r in &report.hostile {
        for (engine, why) in [("Mica", &r.refused.mica), ("wasmi", &r.refused.wasmi)] {
            if let Some(why) = why {
                let _ = writeln!(
                    w,
                    "Refused: {} ({}) by {engine}: {why}\n",
                    r.shape.name,
                    r.size.label()
                );
            }
        }
    }
}

fn render_python(w: &mut String, report: &Report) {
    let _ = writeln!(w, "### CPython: time to the first line under `mica run`\n");
    let _ = writeln!(
        w,
        "{} under `mica run --allow-unknown-imports --invoke run` with its standard library \
         preopened, `print(\"first line\")` on stdin; from the spawn of the process to the first \
         line on its stdout, and to its exit. Mica alone: wasmi implements no exception handling.\n",
        crate::python::NAME
    );
    let _ = writeln!(w, "| mode | n | first line | exit |");
    let _ = writeln!(w, "|---|---:|---:|---:|");
    for row in &report.python {
        let first = Samples(row.samples.iter().map(|s| s.first_line).collect());
        let exit = Samples(row.samples.iter().map(|s| s.exit).collect());
        if row.samples.is_empty() {
            let _ = writeln!(w, "| `{}` | 0 | FAILED | |", row.mode);
        } else {
            let _ = writeln!(w, "| `{}` | {} | **{}** | {} |", row.mode, row.samples.len(), cell(&Some(first)), cell(&Some(exit)));
        }
    }
    let _ = writeln!(w);
}

fn render_cli(w: &mut String, report: &Report) {
    let (runners, rows) = &report.cli;
    let _ = writeln!(w, "### Through the command line: `mica run` and the other runners
");
    let _ = writeln!(
        w,
        "Each sample is one process, from its spawn to its exit (start-up included), the runners \
         taking turns; median of the samples, ratios against Mica (below 1 = Mica faster). {}\n",
        runners.iter().map(|r| format!("`{}` = {}", r.name, r.path.display())).collect::<Vec<_>>().join(", ")
    );
    let others = &runners[1..];
    let mut head = String::from("| workload |");
    let mut rule = String::from("|---|");
    for r in runners {
        head += &format!(" {} |", r.name);
        rule += "---:|";
    }
    for r in others {
        head += &format!(" mica / {} |", r.name);
        rule += "---:|";
    }
    let _ = writeln!(w, "{head}\n{rule}");
    let median_of = |s: &Result<Samples, String>| s.as_ref().ok().filter(|s| !s.is_empty()).map_or(f64::NAN, Samples::median);
    let mut scalar: Vec<Vec<f64>> = vec![Vec::new(); others.len()];
    for row in rows {
        let mut line = format!("| {} |", row.name);
        for s in &row.samples {
            line += &match s {
                Ok(s) if !s.is_empty() => format!(" {} |", fmt_secs(s.median())),
                _ => " FAILED |".to_string(),
            };
        }
        let mica = median_of(&row.samples[0]);
        for (k, s) in row.samples[1..].iter().enumerate() {
            let r = ratio(mica, median_of(s));
            if row.group == Group::Shared && row.name != "empty" {
                scalar[k].push(r);
            }
            line += &format!(" **{r:.2}** |");
        }
        let _ = writeln!(w, "{line}");
    }
    for (k, r) in others.iter().enumerate() {
        let _ = writeln!(
            w,
            "\nGeometric mean of mica / {} over the scalar programs but `empty`: **{:.2}**",
            r.name,
            geomean(scalar[k].iter().copied())
        );
    }
    let _ = writeln!(w);
}

fn render_gc(w: &mut String, report: &Report) {
    let _ = writeln!(w, "### GC: WasmGC programs, Mica and wasmtime\n");
    let version = crate::gc::wasmtime_version();
    let _ = writeln!(
        w,
        "Each `run(n)` in a fresh store, timed around the call (compilation and instantiation \
         excluded), median of the samples. wasmtime {} through its Python embedding (a JIT \
         compiler with its default collector); wasmi runs no WasmGC. Allocations, collections \
         and the heap's peak are one Mica run's (`Store::gc_stats`).\n",
        version.as_deref().unwrap_or("(not available)")
    );
    let _ = writeln!(w, "| program | n | Mica | wasmtime | Mica/wasmtime | allocations | per second | collections | peak heap |");
    let _ = writeln!(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let median = |t: &[f64]| {
        let mut t = t.to_vec();
        t.sort_by(f64::total_cmp);
        t.get(t.len() / 2).copied()
    };
    for row in &report.gc {
        let mica = median(&row.mica);
        let wasmtime = row.wasmtime.as_ref().ok().and_then(|t| median(t));
        let ms = |s: Option<f64>| s.map_or("-".to_string(), |s| format!("{:.1} ms", s * 1e3));
        let ratio = match (mica, wasmtime) {
            (Some(a), Some(b)) if b > 0.0 => format!("**{:.2}**", a / b),
            _ => "-".into(),
        };
        let rate = mica.map_or("-".to_string(), |s| format!("{:.1} M", row.stats.allocations as f64 / s / 1e6));
        let _ = writeln!(
            w,
            "| `{}` ({}) | {} | {} | {} | {} | {} | {} | {} | {:.1} MiB |",
            row.name,
            row.what,
            row.n,
            ms(mica),
            ms(wasmtime),
            ratio,
            row.stats.allocations,
            rate,
            row.stats.collections,
            row.stats.peak_bytes as f64 / (1 << 20) as f64
        );
    }
    for row in &report.gc {
        if let Err(e) = &row.wasmtime {
            let _ = writeln!(w, "\nwasmtime did not run `{}`: {e}", row.name);
        }
    }
    let _ = writeln!(w);
}

fn render_big(w: &mut String, report: &Report) {
    use crate::big::{PROGRAM, Series};
    let _ = writeln!(w, "### Big program: start-up and peak memory\n");
    let _ = writeln!(
        w,
        "{} ({} MB), `{}` to its exit, one child process per sample. Peak RSS is the \
         process's high-water mark, which includes the {} MB module file the child reads first; \
         \"engine\" is the peak minus the resident set after reading it.\n",
        PROGRAM.name,
        PROGRAM.size / 1_000_000,
        PROGRAM.args.join(" "),
        PROGRAM.size / 1_000_000,
    );
    let _ = writeln!(
        w,
        "| mode | engine | compile | instantiate | run | total | peak RSS | engine RSS |"
    );
    let _ = writeln!(w, "|---|---|---:|---:|---:|---:|---:|---:|");
    let mib = |kib: u64| format!("{:.0} MiB", kib as f64 / 1024.0);
    let mut totals = Vec::new();
    for row in &report.big {
        let mut medians = [f64::NAN; 2];
        let mut engine_kib = [f64::NAN; 2];
        for (k, (name, series)) in [("mica", &row.mica), ("wasmi", &row.wasmi)].into_iter().enumerate() {
            let Some(s) = series else {
                let _ = writeln!(w, "| {:?} | {name} | FAILED | | | | | |", row.mode);
                continue;
            };
            let total = s.total();
            medians[k] = total.median();
            let peak = Series::median_kib(&s.peak_kib);
            let base = Series::median_kib(&s.base_kib);
            engine_kib[k] = peak.saturating_sub(base) as f64;
            let _ = writeln!(
                w,
                "| {:?} | {name} | {} | {} | {} | {} | {} | {} |",
                row.mode,
                cell(&Some(Samples(s.compile.clone()))),
                cell(&Some(Samples(s.instantiate.clone()))),
                cell(&Some(Samples(s.run.clone()))),
                cell(&Some(total)),
                mib(peak),
                mib(peak.saturating_sub(base)),
            );
        }
        totals.push((row.mode, medians[0] / medians[1], engine_kib[0] / engine_kib[1]));
    }
    let _ = writeln!(w);
    for (mode, time, mem) in totals {
        let _ = writeln!(
            w,
            "- {mode:?}: total time mica/wasmi {}, engine memory mica/wasmi {}",
            fmt_ratio(time),
            fmt_ratio(mem)
        );
    }
    let _ = writeln!(w);
}

/// The SIMD group's ratios: each SIMD build against wasmi, and against its scalar twin on
/// each engine.
fn render_simd(w: &mut String, rows: &[&Row]) {
    let find = |name: &str| rows.iter().find(|r| r.workload.name == name);
    let (Some(blur), Some(blur_simd)) = (find("blur"), find("blur_simd")) else {
        return;
    };
    let _ = writeln!(w, "SIMD (group `Simd`):\n");
    let _ = writeln!(w, "| ratio | value |");
    let _ = writeln!(w, "|---|---:|");
    let _ = writeln!(w, "| `blur_simd`, Mica/wasmi | **{}** |", fmt_ratio(exec_ratio(blur_simd)));
    if let Some(matmul_simd) = find("matmul_simd") {
        let _ = writeln!(w, "| `matmul_simd`, Mica/wasmi | **{}** |", fmt_ratio(exec_ratio(matmul_simd)));
    }
    let own = |a: &Row, b: &Row, engine: fn(&Row) -> f64| engine(a) / engine(b);
    let mica = |r: &Row| median(&r.exec.mica);
    let wasmi = |r: &Row| median(&r.exec.wasmi);
    let _ = writeln!(w, "| Mica: `blur_simd`/`blur` | **{}** |", fmt_ratio(own(blur_simd, blur, mica)));
    let _ = writeln!(w, "| wasmi: `blur_simd`/`blur` | {} |", fmt_ratio(own(blur_simd, blur, wasmi)));
    if let (Some(matmul), Some(matmul_simd)) = (find("matmul"), find("matmul_simd")) {
        let _ = writeln!(w, "| Mica: `matmul_simd`/`matmul` | {} |", fmt_ratio(own(matmul_simd, matmul, mica)));
        let _ = writeln!(w, "| wasmi: `matmul_simd`/`matmul` | {} |", fmt_ratio(own(matmul_simd, matmul, wasmi)));
    }
    let _ = writeln!(w);
}

/// The feature group (Mica alone): each workload against Mica's own baseline for it.
fn render_features(w: &mut String, rows: &[&Row]) {
    let find = |name: &str| rows.iter().find(|r| r.workload.name == name).copied();
    let pairs = [
        ("calls_ref", "calls_indirect", "a call through `call_ref` against a `call_indirect` that hits"),
        ("try_table", "try_none", "calls inside a `try_table` that throws nothing against inside a `block`"),
        ("throw_catch", "try_table", "each call throwing, caught one frame up, against not throwing"),
    ];
    let mut lines = Vec::new();
    for (name, base_name, what) in pairs {
        if let (Some(row), Some(base)) = (find(name), find(base_name)) {
            let ratio = median(&row.exec.mica) / median(&base.exec.mica);
            lines.push(format!("| `{name}`/`{base_name}` | {what} | **{}** |", fmt_ratio(ratio)));
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(w, "Typed references and exceptions (group `Features`, Mica alone: wasmi implements neither):
");
    let _ = writeln!(w, "| ratio | what | Mica |");
    let _ = writeln!(w, "|---|---|---:|");
    for line in lines {
        let _ = writeln!(w, "{line}");
    }
    let _ = writeln!(w);
}

/// The memory group: each engine's sieve over memory 1 and over a 64-bit memory against its
/// own sieve over a 32-bit memory 0 (issue 14's target: at most 1.15 for Mica).
fn render_memories(w: &mut String, rows: &[&Row]) {
    let find = |name: &str| rows.iter().find(|r| r.workload.name == name).copied();
    let Some(base) = find("sieve_mem0") else {
        return;
    };
    let _ = writeln!(w, "Memories (group `Memories`): the same sieve over other memories, against memory 0:\n");
    let _ = writeln!(w, "| ratio | Mica | wasmi |");
    let _ = writeln!(w, "|---|---:|---:|");
    for name in ["sieve_mem1", "sieve_mem64"] {
        if let Some(row) = find(name) {
            let mica = median(&row.exec.mica) / median(&base.exec.mica);
            let wasmi = median(&row.exec.wasmi) / median(&base.exec.wasmi);
            let _ = writeln!(w, "| `{name}`/`sieve_mem0` | **{}** | {} |", fmt_ratio(mica), fmt_ratio(wasmi));
        }
    }
    let _ = writeln!(w);
}
