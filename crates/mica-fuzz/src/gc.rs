//! GC fuzzing: `wasm-smith` generates valid modules with WebAssembly 3.0's GC (struct and
//! array types, subtyping, casts, `i31`, the conversions between `any` and `extern`) among
//! everything else it generates (exceptions, typed function references, tail calls, SIMD,
//! memory64, multi-memory, wide arithmetic), made to terminate (`ensure_termination`: a fuel
//! global checked at every loop and function entry). No other engine here runs GC, so
//! [`check`] compares Mica with itself, in the two configurations that differ most:
//!
//! - eager translation, the collector left to its thresholds;
//! - lazy translation, the collector in stress mode (`Config::gc_stress`: a collection before
//!   every allocation).
//!
//! Both must load the module (it is valid; only Mica's documented budget refusals are
//! allowed, and then in both), instantiate it the same way, and give every exported function,
//! called with zeros and nulls, the same results or the same trap. A live object that a
//! collection freed would show as a different result, a cast failure or an internal error in
//! the stress run. After the calls the heap is collected and must be consistent
//! (`Store::gc_stats`).
//!
//! The seeded smoke test (`tests/gc_smoke.rs`) runs a fixed number of seeds in `cargo test`;
//! the cargo-fuzz target `fuzz/fuzz_targets/gc.rs` runs it for long.

use arbitrary::Unstructured;
use mica::{Config, Engine, ErrorKind, Linker, Module, Store, TranslationMode, Val, ValType};

/// wasm-smith's configuration: GC and the rest of 3.0 on, threads off, sizes small.
fn smith_config() -> wasm_smith::Config {
    wasm_smith::Config {
        gc_enabled: true,
        exceptions_enabled: true,
        reference_types_enabled: true,
        tail_call_enabled: true,
        simd_enabled: true,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        shared_everything_threads_enabled: false,
        custom_descriptors_enabled: false,
        custom_page_sizes_enabled: false,
        memory64_enabled: true,
        wide_arithmetic_enabled: true,
        max_imports: 0,
        min_funcs: 2,
        max_funcs: 12,
        max_memories: 2,
        max_memory32_bytes: 1 << 20,
        max_memory64_bytes: 1 << 20,
        max_tables: 3,
        max_table_elements: 100,
        max_instructions: 200,
        max_type_size: 200,
        export_everything: true,
        ..wasm_smith::Config::default()
    }
}

/// A generated module, or `None` when the input was too short to make one.
pub fn generate(data: &[u8]) -> Option<Vec<u8>> {
    let mut u = Unstructured::new(data);
    let mut module = wasm_smith::Module::new(smith_config(), &mut u).ok()?;
    module.ensure_termination(1000).ok()?;
    Some(module.to_bytes())
}

fn engine(mode: TranslationMode, stress: bool) -> Engine {
    let mut config = Config::new();
    config.all_features().translation(mode).gc_stress(stress).max_gc_heap(64 << 20);
    Engine::new(&config)
}

/// A value as the comparison sees it: numbers exactly (floats by their bits), references by
/// what they are (an `i31` by its value, an object by its kind and type's shape).
pub(crate) fn describe(store: &Store<()>, v: &Val) -> String {
    match v {
        Val::AnyRef(Some(a)) => match a.as_i31() {
            Some(i) => format!("i31 {}", i.get_u()),
            None if a.is_struct(store) => "struct".into(),
            None if a.is_array(store) => {
                format!("array of {}", a.as_array(store).and_then(|x| x.len(store).ok()).unwrap_or(u32::MAX))
            }
            None => "any (host)".into(),
        },
        Val::ExternRef(Some(_)) => "extern".into(),
        Val::FuncRef(Some(_)) => "func".into(),
        Val::ExnRef(Some(_)) => "exn".into(),
        other => format!("{other:?}"),
    }
}

/// Everything a run showed: instantiation's outcome, then each export's.
fn run(wasm: &[u8], mode: TranslationMode, stress: bool) -> Result<Vec<String>, String> {
    let engine = engine(mode, stress);
    let module = match Module::from_binary(&engine, wasm) {
        Ok(m) => m,
        Err(e) if matches!(e.kind(), ErrorKind::Unsupported(_)) => return Ok(vec![format!("refused: {e}")]),
        Err(e) => return Err(format!("Mica refused a valid module ({mode:?}): {e}")),
    };
    let mut store = Store::new(&engine, ());
    let instance = match Linker::new(&engine).instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => return Ok(vec![format!("instantiation: {}", e.trap_code().map_or(e.to_string(), |c| format!("{c:?}")))]),
    };
    let mut log = vec!["instantiated".to_string()];
    STATS.with(|s| s.borrow_mut().modules += 1);
    let funcs: Vec<_> =
        instance.exports(&store).into_iter().filter_map(|(name, e)| Some((name.to_string(), e.into_func()?))).collect();
    for (name, f) in funcs {
        let ty = f.ty(&store);
        // Non-nullable reference parameters cannot be given from nothing: such exports are
        // not called.
        if ty.params().iter().any(|t| matches!(t, ValType::Ref(r) if !r.is_nullable())) {
            continue;
        }
        let args: Vec<Val> = ty.params().iter().map(|t| Val::default_for(*t)).collect();
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        let outcome = store.root_scope(|store| match f.call(&mut *store, &args, &mut results) {
            Ok(()) => results.iter().map(|v| describe(store, v)).collect::<Vec<_>>().join(", "),
            Err(e) => match e.trap_code() {
                Some(code) => format!("trap {code:?}"),
                None if e.as_exception().is_some() => "exception".into(),
                None => format!("error {e}"),
            },
        });
        if outcome.contains("internal error") {
            return Err(format!("{name} ({mode:?}, stress {stress}): {outcome}"));
        }
        log.push(format!("{name}: {outcome}"));
        STATS.with(|s| s.borrow_mut().calls += 1);
    }
    store.gc();
    let stats = store.gc_stats();
    STATS.with(|s| s.borrow_mut().allocations += stats.allocations);
    if stats.objects as u64 > stats.allocations || stats.bytes > stats.peak_bytes {
        return Err(format!("inconsistent heap after the calls: {stats:?}"));
    }
    Ok(log)
}

/// What the runs of this thread covered: modules instantiated, exports called, objects
/// allocated (both configurations counted).
#[derive(Debug, Default, Clone, Copy)]
pub struct Coverage {
    pub modules: usize,
    pub calls: usize,
    pub allocations: u64,
}

std::thread_local! {
    static STATS: core::cell::RefCell<Coverage> = core::cell::RefCell::new(Coverage::default());
}

/// This thread's coverage so far.
pub fn coverage() -> Coverage {
    STATS.with(|s| *s.borrow())
}

/// Generates a module from `data` and checks that both configurations agree on it.
pub fn check(data: &[u8]) -> Result<(), String> {
    let Some(wasm) = generate(data) else { return Ok(()) };
    let plain = run(&wasm, TranslationMode::Eager, false)?;
    let stressed = run(&wasm, TranslationMode::Lazy, true)?;
    // An eager load may refuse a function that lazy loading never translates.
    if plain.first().is_some_and(|s| s.starts_with("refused")) {
        return Ok(());
    }
    if plain != stressed {
        let first = plain.iter().zip(&stressed).position(|(a, b)| a != b).unwrap_or(plain.len().min(stressed.len()));
        return Err(format!(
            "eager run and lazy run under GC stress differ at {first}:\n  eager:  {:?}\n  stress: {:?}",
            plain.get(first),
            stressed.get(first)
        ));
    }
    Ok(())
}
