//! The two engines behind one interface, so every measurement is written once.

pub mod mica;
pub mod wasmi;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Whether both engines meter fuel (`--fuel`: Mica's `Config::consume_fuel`, wasmi's
/// `Config::consume_fuel`), each store starting with all the fuel there is.
static METERED: AtomicBool = AtomicBool::new(false);

/// Turns fuel metering on for every engine made from now on.
pub fn set_metered(on: bool) {
    METERED.store(on, Ordering::Relaxed);
}

/// Whether engines are made with fuel metering.
pub fn metered() -> bool {
    METERED.load(Ordering::Relaxed)
}

/// Whether Mica checks the epoch (`--epochs`: `Config::epoch_interruption`, with no
/// deadline set); wasmi has no epochs.
static EPOCHS: AtomicBool = AtomicBool::new(false);

/// Turns Mica's epoch checks on for every engine made from now on.
pub fn set_epochs(on: bool) {
    EPOCHS.store(on, Ordering::Relaxed);
}

/// Whether Mica's engines are made with epoch checks.
pub fn epochs() -> bool {
    EPOCHS.load(Ordering::Relaxed)
}

/// When function bodies are translated to the engine's internal code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// All bodies at module load (Mica `TranslationMode::Eager`, wasmi `CompilationMode::Eager`).
    Eager,
    /// Bodies validated at load, translated on first call (Mica `TranslationMode::Lazy`,
    /// wasmi `CompilationMode::LazyTranslation`).
    Lazy,
}

/// What a workload calls once it is instantiated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A WASI command's `_start`: the result is what it printed and its exit status.
    Start,
    /// An export of type `(i32) -> i64` called with the size argument.
    Run { export: &'static str, arg: i32 },
}

/// A host-to-wasm call shape for the call-overhead benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallShape {
    /// `nop: [] -> []`
    Nop,
    /// `add: [i32 i32] -> [i32]`
    Add,
}

/// How a run ended.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// `proc_exit`'s status, or 0 when `_start` returned.
    pub exit: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The result of an [`Entry::Run`].
    pub result: Option<i64>,
    /// How often the `bench.tick` host function was called.
    pub ticks: u64,
}

/// One engine's API, reduced to what the harness needs.
pub trait Runtime {
    const NAME: &'static str;
    /// An engine configured for a [`Mode`], with a linker that holds the WASI shim.
    type Ctx;
    type Module;
    /// A store and an instance in it.
    type Instance;

    fn new_ctx(mode: Mode) -> Self::Ctx;
    /// Validates and translates (in [`Mode::Eager`]) a binary module.
    fn compile(ctx: &Self::Ctx, wasm: &[u8]) -> Result<Self::Module, String>;
    /// Creates a store and instantiates `module` in it; `args` become the WASI arguments.
    fn instantiate(
        ctx: &Self::Ctx,
        module: &Self::Module,
        args: &[String],
    ) -> Result<Self::Instance, String>;
    /// Calls the entry and reports how it ended, with the time the call alone took.
    fn run(instance: &mut Self::Instance, entry: Entry) -> Result<(Outcome, Duration), String>;
    /// Calls an export of shape `shape` `n` times from the host; the time of the calls.
    fn call_loop(
        instance: &mut Self::Instance,
        shape: CallShape,
        n: u32,
    ) -> Result<Duration, String>;
}

/// The parts of a [`Runtime`] that read the same on both engines, since their embedding APIs
/// share the names (`Caller`, `Memory::read`/`write`, `get_typed_func`, `downcast_ref`):
/// the context and instance types and the shim's [`Guest`](crate::wasi::Guest) adapter.
/// Expects `Caller`, `Engine`, `Instance`, `Linker`, `Memory` and `Store` of the engine in scope.
macro_rules! shared_glue {
    () => {
        pub struct Ctx {
            engine: Engine,
            linker: Linker<Host<Memory>>,
        }

        pub struct Inst {
            store: Store<Host<Memory>>,
            instance: Instance,
        }

        /// A host function's view of the guest, for the WASI shim.
        pub struct GuestView<'a, 'b> {
            caller: &'a mut Caller<'b, Host<Memory>>,
        }

        fn guest<'a, 'b>(caller: &'a mut Caller<'b, Host<Memory>>) -> GuestView<'a, 'b> {
            GuestView { caller }
        }

        impl GuestView<'_, '_> {
            /// The guest memory: the one found after instantiation, else the caller's
            /// `memory` export, looked up only when a function touches memory (a module
            /// without one, as the host-call micro-benchmarks', would otherwise pay a failed
            /// export lookup on every host call).
            fn memory(&mut self) -> Option<Memory> {
                self.caller.data().memory.or_else(|| self.caller.get_export("memory")?.into_memory())
            }
        }

        impl $crate::wasi::Guest for GuestView<'_, '_> {
            fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool {
                self.memory().is_some_and(|m| m.read(&*self.caller, addr as usize, buf).is_ok())
            }
            fn write(&mut self, addr: u32, bytes: &[u8]) -> bool {
                self.memory()
                    .is_some_and(|m| m.write(&mut *self.caller, addr as usize, bytes).is_ok())
            }
            fn state(&mut self) -> &mut $crate::wasi::WasiState {
                &mut self.caller.data_mut().wasi
            }
        }
    };
}

/// [`Runtime::run`] and [`Runtime::call_loop`], the same text on both engines (see
/// [`shared_glue`]); `err` must turn the engine's error into a `String`.
macro_rules! shared_calls {
    () => {
        fn run(inst: &mut Inst, entry: Entry) -> Result<(Outcome, Duration), String> {
            let store = &mut inst.store;
            let (exit, result, time) = match entry {
                Entry::Start => {
                    let f =
                        inst.instance.get_typed_func::<(), ()>(&*store, "_start").map_err(err)?;
                    let start = Instant::now();
                    let r = f.call(&mut *store, ());
                    let time = start.elapsed();
                    let exit = match r {
                        Ok(()) => 0,
                        Err(e) => match e.downcast_ref::<$crate::wasi::Exit>().map(|exit| exit.0) {
                            Some(code) => code,
                            None => return Err(err(e)),
                        },
                    };
                    (exit, None, time)
                }
                Entry::Run { export, arg } => {
                    let f =
                        inst.instance.get_typed_func::<i32, i64>(&*store, export).map_err(err)?;
                    let start = Instant::now();
                    let r = f.call(&mut *store, arg);
                    let time = start.elapsed();
                    (0, Some(r.map_err(err)?), time)
                }
            };
            let wasi = &mut store.data_mut().wasi;
            let outcome = Outcome {
                exit,
                stdout: std::mem::take(&mut wasi.stdout),
                stderr: std::mem::take(&mut wasi.stderr),
                result,
                ticks: wasi.ticks,
            };
            Ok((outcome, time))
        }

        fn call_loop(inst: &mut Inst, shape: CallShape, n: u32) -> Result<Duration, String> {
            let store = &mut inst.store;
            match shape {
                CallShape::Nop => {
                    let f = inst.instance.get_typed_func::<(), ()>(&*store, "nop").map_err(err)?;
                    let start = Instant::now();
                    for _ in 0..n {
                        f.call(&mut *store, ()).map_err(err)?;
                    }
                    Ok(start.elapsed())
                }
                CallShape::Add => {
                    let f = inst
                        .instance
                        .get_typed_func::<(i32, i32), i32>(&*store, "add")
                        .map_err(err)?;
                    let start = Instant::now();
                    let mut acc = 0i32;
                    for i in 0..n {
                        acc = f.call(&mut *store, (acc, i as i32)).map_err(err)?;
                    }
                    let time = start.elapsed();
                    std::hint::black_box(acc);
                    Ok(time)
                }
            }
        }
    };
}

pub(crate) use {shared_calls, shared_glue};
