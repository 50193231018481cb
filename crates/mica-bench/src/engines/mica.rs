//! [`Runtime`] for Mica.

use super::{CallShape, Entry, Mode, Outcome, Runtime};
use crate::wasi::Host;
use mica::{Caller, Config, Engine, Instance, Linker, Memory, Module, Store, TranslationMode};
use std::time::{Duration, Instant};

pub struct Mica;

super::shared_glue!();

fn linker(engine: &Engine) -> mica::Result<Linker<Host<Memory>>> {
    let mut linker = Linker::new(engine);
    crate::define_host_functions!(&mut linker, Caller, Memory, guest, mica::Error::host);
    Ok(linker)
}

fn err(e: mica::Error) -> String {
    match e.as_trap() {
        Some(trap) if !trap.backtrace().is_empty() => {
            let frames: Vec<String> =
                trap.backtrace().iter().take(4).map(|f| f.to_string()).collect();
            format!("{e} (at {})", frames.join(" < "))
        }
        _ => e.to_string(),
    }
}

impl Runtime for Mica {
    const NAME: &'static str = "mica";
    type Ctx = Ctx;
    type Module = Module;
    type Instance = Inst;

    fn new_ctx(mode: Mode) -> Ctx {
        let mut config = Config::new();
        config.translation(match mode {
            Mode::Eager => TranslationMode::Eager,
            Mode::Lazy => TranslationMode::Lazy,
        });
        config.consume_fuel(super::metered()).epoch_interruption(super::epochs());
        let engine = Engine::new(&config);
        let linker = linker(&engine).expect("the shim's names are distinct");
        Ctx { engine, linker }
    }

    fn compile(ctx: &Ctx, wasm: &[u8]) -> Result<Module, String> {
        Module::from_binary(&ctx.engine, wasm).map_err(err)
    }

    fn instantiate(ctx: &Ctx, module: &Module, args: &[String]) -> Result<Inst, String> {
        let mut store = Store::new(&ctx.engine, Host::new(args));
        if super::metered() {
            store.set_fuel(u64::MAX).map_err(err)?;
        }
        let instance = ctx.linker.instantiate(&mut store, module).map_err(err)?;
        store.data_mut().memory = instance.get_memory(&store, "memory");
        Ok(Inst { store, instance })
    }

    super::shared_calls!();
}
