//! Helpers shared by the integration tests.
#![allow(dead_code)]

use mica::{Config, Engine, Error, Instance, Linker, Module, Store, TranslationMode, TrapCode};

/// An engine with the default configuration, apart from the translation mode.
pub fn engine(mode: TranslationMode) -> Engine {
    engine_with(mode, |_| {})
}

std::thread_local! {
    /// Set by the `stress` tests of `gc_modes!`: engines made on this thread collect at every
    /// allocation.
    static GC_STRESS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every engine it makes collecting at every allocation (`Config::gc_stress`).
pub fn under_gc_stress(f: impl FnOnce()) {
    GC_STRESS.with(|s| s.set(true));
    f();
    GC_STRESS.with(|s| s.set(false));
}

/// Whether engines made now collect at every allocation.
pub fn gc_stressed() -> bool {
    GC_STRESS.with(|s| s.get())
}

/// An engine in `mode`, with `tweak` applied to an otherwise default configuration.
pub fn engine_with(mode: TranslationMode, tweak: impl FnOnce(&mut Config)) -> Engine {
    let mut config = Config::new();
    config.translation(mode).gc_stress(gc_stressed());
    tweak(&mut config);
    Engine::new(&config)
}

/// Loads a module from its text, panicking with the loader's message if it does not load.
pub fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, wat).unwrap_or_else(|e| panic!("module does not load: {e}"))
}

/// Instantiates `wat` in a fresh store holding `data`, with imports from a linker that
/// `define` fills in.
pub fn instantiate_with<T>(
    engine: &Engine,
    data: T,
    wat: &str,
    define: impl FnOnce(&mut Linker<T>),
) -> (Store<T>, Instance) {
    let module = module(engine, wat);
    let mut linker = Linker::new(engine);
    define(&mut linker);
    let mut store = Store::new(engine, data);
    let instance = linker
        .instantiate(&mut store, &module)
        .unwrap_or_else(|e| panic!("instantiation failed: {e}"));
    (store, instance)
}

/// Instantiates a module without imports in a fresh store.
pub fn instantiate(engine: &Engine, wat: &str) -> (Store<()>, Instance) {
    instantiate_with(engine, (), wat, |_| {})
}

/// Asserts that `result` is a trap with `code`, and returns the error.
#[track_caller]
pub fn expect_trap<R: std::fmt::Debug>(result: Result<R, Error>, code: TrapCode) -> Error {
    match result {
        Ok(value) => panic!("expected a {code:?} trap, got Ok({value:?})"),
        Err(e) => {
            assert_eq!(e.trap_code(), Some(code), "wrong error: {e} ({e:?})");
            e
        }
    }
}

/// The function names of a trap's backtrace, innermost first (`?` for unnamed frames).
pub fn backtrace_names(error: &Error) -> Vec<String> {
    let trap = error
        .as_trap()
        .unwrap_or_else(|| panic!("not a trap: {error}"));
    trap.backtrace()
        .iter()
        .map(|frame| frame.func_name.clone().unwrap_or_else(|| "?".to_string()))
        .collect()
}

/// Declares, for each listed `fn name(mode: TranslationMode)`, a module `name` with two tests,
/// `eager` and `lazy`, running it under each translation mode. Attributes (`#[ignore]`) apply
/// to both tests.
#[macro_export]
macro_rules! both_modes {
    ($( $(#[$attr:meta])* $name:ident ),* $(,)?) => {$(
        mod $name {
            #[test]
            $(#[$attr])*
            fn eager() {
                super::$name(mica::TranslationMode::Eager)
            }

            #[test]
            $(#[$attr])*
            fn lazy() {
                super::$name(mica::TranslationMode::Lazy)
            }
        }
    )*};
}

/// `down(n)` calls the host's `recurse(n - 1)`, which calls the export `down` again, so each
/// level nests a host call and a wasm activation. Each level adds `n * 1000 + 1`, computed
/// from a local set before the host call, so a clobbered frame shows in the result.
pub const DOWN_VIA_HOST: &str = r#"
    (module
      (import "host" "recurse" (func $recurse (param i32) (result i32)))
      (func $down (export "down") (param i32) (result i32)
        (local $keep i32)
        (local.set $keep (i32.mul (local.get 0) (i32.const 1000)))
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else
            (i32.add
              (call $recurse (i32.sub (local.get 0) (i32.const 1)))
              (i32.add (local.get $keep) (i32.const 1)))))))
"#;

/// As `both_modes!`, and for each a test in lazy mode with the collector in stress mode (see
/// `under_gc_stress`), `under_gc_stress::name`. Once per test file.
#[macro_export]
macro_rules! gc_modes {
    ($( $(#[$attr:meta])* $name:ident ),* $(,)?) => {
        both_modes! { $( $(#[$attr])* $name ),* }

        mod under_gc_stress {
            $(
                #[test]
                $(#[$attr])*
                fn $name() {
                    super::common::under_gc_stress(|| super::$name(mica::TranslationMode::Lazy))
                }
            )*
        }
    };
}
