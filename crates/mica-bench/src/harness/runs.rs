//! Single runs, as the phases time them: one checked execution on a fresh instance (or the
//! mean of a batch of them), one compilation and instantiation, and the interleaving of the
//! two engines' runs.

use super::*;

/// Calls the two engines' closures `runs` times each, alternating which goes first (by the
/// parity of `start + i`), and appends the results to `out` if `keep`. An engine whose entry
/// in `out` is an error is not called again; its first error is kept.
pub(super) fn interleave_into<T>(
    out: &mut Pair<Result<Vec<T>, String>>,
    start: usize,
    runs: usize,
    keep: bool,
    mica: &mut dyn FnMut() -> Result<T, String>,
    wasmi: &mut dyn FnMut() -> Result<T, String>,
) {
    let fs: [&mut dyn FnMut() -> Result<T, String>; 2] = [mica, wasmi];
    for i in start..start + runs {
        let order = if i % 2 == 0 { [0, 1] } else { [1, 0] };
        for e in order {
            let slot = if e == 0 { &mut out.mica } else { &mut out.wasmi };
            let Ok(kept) = slot else { continue };
            match fs[e]() {
                Ok(v) if keep => kept.push(v),
                Ok(_) => {}
                Err(msg) => *slot = Err(msg),
            }
        }
    }
}

/// [`interleave_into`] from scratch: `warmup` discarded rounds, then `runs - warmup` kept.
pub(super) fn interleave<T>(
    runs: usize,
    warmup: usize,
    mica: &mut dyn FnMut() -> Result<T, String>,
    wasmi: &mut dyn FnMut() -> Result<T, String>,
) -> Pair<Result<Vec<T>, String>> {
    let mut out = Pair { mica: Ok(Vec::new()), wasmi: Ok(Vec::new()) };
    interleave_into(&mut out, 0, warmup.min(runs), false, mica, wasmi);
    interleave_into(&mut out, warmup.min(runs), runs.saturating_sub(warmup), true, mica, wasmi);
    out
}

/// The checksum of a run, as the workload table states it.
pub(super) fn checksum(entry: Entry, outcome: &Outcome) -> String {
    match (entry, outcome.result) {
        (Entry::Run { .. }, Some(r)) if outcome.ticks > 0 => {
            format!("{} ticks={}", r as u64, outcome.ticks)
        }
        (Entry::Run { .. }, Some(r)) => (r as u64).to_string(),
        _ => workloads::checksum_of(&outcome.stdout),
    }
}

/// The runs whose mean is one sample of a workload whose first run took under a
/// millisecond (`empty`: about 100 ns). This machine's clock advances in steps of 10 ns, so a
/// single run's time is a multiple of the step, and a median of such times lands on a step:
/// two engines 10 ns apart read as a ratio of 0.88 or 1.11. The mean of 32 runs, each timed
/// as a single run is, is not quantised so.
pub(super) const SHORT_BATCH: usize = 32;

/// `batch` checked executions, each on a fresh instance (not timed): the mean time of the
/// calls, each checked for its exit status and checksum.
pub(super) fn exec_batch<R: Runtime>(
    ctx: &R::Ctx,
    module: &R::Module,
    entry: Entry,
    args: &[String],
    expected: Option<&str>,
    batch: usize,
) -> Result<Duration, String> {
    let mut total = Duration::ZERO;
    for _ in 0..batch.max(1) {
        let mut inst =
            R::instantiate(ctx, module, args).map_err(|e| format!("instantiation failed: {e}"))?;
        let (outcome, time) = R::run(&mut inst, entry).map_err(|e| format!("execution failed: {e}"))?;
        drop(inst);
        if outcome.exit != 0 {
            return Err(format!(
                "exited with status {}; stdout {:?}; stderr {:?}",
                outcome.exit,
                String::from_utf8_lossy(&outcome.stdout),
                String::from_utf8_lossy(&outcome.stderr)
            ));
        }
        let got = checksum(entry, &outcome);
        if let Some(want) = expected
            && got != want
        {
            return Err(format!("wrong checksum: got {got:?}, expected {want:?}"));
        }
        total += time;
    }
    Ok(total / batch.max(1) as u32)
}

/// Compile and instantiate, each timed.
pub(super) fn translate_once<R: Runtime>(
    ctx: &R::Ctx,
    wasm: &[u8],
    args: &[String],
) -> Result<(Duration, Duration), String> {
    let start = Instant::now();
    let module = R::compile(ctx, wasm).map_err(|e| format!("compilation failed: {e}"))?;
    let compile = start.elapsed();
    let start = Instant::now();
    let inst =
        R::instantiate(ctx, &module, args).map_err(|e| format!("instantiation failed: {e}"))?;
    let instantiate = start.elapsed();
    drop(inst);
    drop(module);
    Ok((compile, instantiate))
}
