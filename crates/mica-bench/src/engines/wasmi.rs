//! [`Runtime`] for wasmi, the reference engine.

use super::{CallShape, Entry, Mode, Outcome, Runtime};
use crate::wasi::Host;
use std::time::{Duration, Instant};
use wasmi::{Caller, CompilationMode, Config, Engine, Instance, Linker, Memory, Module, Store};

pub struct Wasmi;

super::shared_glue!();

fn linker(engine: &Engine) -> Result<Linker<Host<Memory>>, wasmi::errors::LinkerError> {
    let mut linker = Linker::new(engine);
    crate::define_host_functions!(&mut linker, Caller, Memory, guest, wasmi::Error::host);
    Ok(linker)
}

fn err(e: wasmi::Error) -> String {
    e.to_string()
}

impl Runtime for Wasmi {
    const NAME: &'static str = "wasmi";
    type Ctx = Ctx;
    type Module = Module;
    type Instance = Inst;

    fn new_ctx(mode: Mode) -> Ctx {
        let mut config = Config::default();
        config.compilation_mode(match mode {
            Mode::Eager => CompilationMode::Eager,
            Mode::Lazy => CompilationMode::LazyTranslation,
        });
        // The `Memories` group's modules (Mica has both on by default, as 3.0 does).
        config.wasm_multi_memory(true).wasm_memory64(true);
        config.consume_fuel(super::metered());
        let engine = Engine::new(&config);
        let linker = linker(&engine).expect("the shim's names are distinct");
        Ctx { engine, linker }
    }

    fn compile(ctx: &Ctx, wasm: &[u8]) -> Result<Module, String> {
        Module::new(&ctx.engine, wasm).map_err(err)
    }

    fn instantiate(ctx: &Ctx, module: &Module, args: &[String]) -> Result<Inst, String> {
        let mut store = Store::new(&ctx.engine, Host::new(args));
        if super::metered() {
            store.set_fuel(u64::MAX).map_err(err)?;
        }
        let instance = ctx.linker.instantiate_and_start(&mut store, module).map_err(err)?;
        store.data_mut().memory = instance.get_memory(&store, "memory");
        Ok(Inst { store, instance })
    }

    super::shared_calls!();
}
