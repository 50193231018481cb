//! Runs a program on wasmi, the reference.

use crate::host::{self, HostData, HostEnv};
use crate::program::{Program, SIG_I32_TO_I32, SIG_I32X2_TO_I32, SIG_UNIT, START_FUEL, Ty, Value};
use crate::trace::{self, Trap};
use std::sync::Arc;
use wasmi::{
    Caller, Config, Engine, Error, Extern, F32, F64, FuncType, Global, Instance, Linker, Memory,
    MemoryType, Module, Mutability, Store, TrapCode, V128, Val, ValType,
};

/// Runs `program` (whose modules are `wasm`); returns the trace.
pub fn run(program: &Arc<Program>, wasm: &[Vec<u8>]) -> Vec<String> {
    let mut config = Config::default();
    // SIMD needs wasmi's `simd` cargo feature (see Cargo.toml); relaxed SIMD stays off, so a
    // relaxed instruction in a program meant for wasmi is a load error, a generator bug.
    config
        .wasm_tail_call(true)
        .wasm_simd(true)
        .wasm_relaxed_simd(false)
        .wasm_multi_memory(true)
        .wasm_memory64(true);
    let engine = Engine::new(&config);
    let mut store = Store::new(&engine, HostData::default());
    let memory = Memory::new(&mut store, MemoryType::new(1, Some(1))).expect("memory");
    let fuel = Global::new(&mut store, Val::I32(0), Mutability::Var);
    let mut linker = Linker::<HostData>::new(&engine);
    linker
        .define("env", "memory", memory)
        .expect("define memory");
    linker.define("env", "fuel", fuel).expect("define fuel");
    for index in 0..program.hosts.len() {
        define_host(&mut linker, program, index);
    }

    let mut instances: Vec<Instance> = Vec::new();
    for (k, bytes) in wasm.iter().enumerate() {
        let module = match Module::new(&engine, bytes) {
            Ok(module) => module,
            Err(e) => {
                store
                    .data_mut()
                    .log
                    .push(format!("load m{k}: {}", describe(&e)));
                break;
            }
        };
        fuel.set(&mut store, Val::I32(START_FUEL as i32))
            .expect("set fuel");
        match linker.instantiate_and_start(&mut store, &module) {
            Ok(instance) => {
                store.data_mut().log.push(format!("instantiate m{k}: ok"));
                linker
                    .instance(&mut store, &format!("m{k}"), instance)
                    .expect("register instance");
                instances.push(instance);
            }
            Err(e) => {
                store
                    .data_mut()
                    .log
                    .push(format!("instantiate m{k}: {}", describe(&e)));
                break;
            }
        }
    }

    for call in &program.calls {
        let Some(instance) = instances.get(call.module) else {
            continue;
        };
        fuel.set(&mut store, Val::I32(call.fuel as i32))
            .expect("set fuel");
        let func = instance
            .get_func(&store, &format!("f{}", call.func))
            .expect("export");
        let sig = &program.sigs[program.modules[call.module].funcs[call.func]];
        let params: Vec<Val> = sig
            .params
            .iter()
            .zip(&call.args)
            .map(|(t, v)| to_val(t.value(v.bits)))
            .collect();
        let mut results: Vec<Val> = sig.results.iter().map(|t| to_val(t.value(0))).collect();
        let outcome = func.call(&mut store, &params, &mut results);
        let line = trace::call_line(
            call,
            outcome
                .map(|()| results.iter().map(from_val).collect())
                .map_err(|e| describe(&e)),
        );
        store.data_mut().log.push(line);
    }

    let mut bytes = vec![0; crate::program::MEMORY_BYTES];
    memory.read(&store, 0, &mut bytes).expect("read memory");
    let mut globals = Vec::new();
    for (k, instance) in instances.iter().enumerate() {
        for g in 0..program.modules[k].globals.len() {
            let value = instance
                .get_global(&store, &format!("g{g}"))
                .expect("global")
                .get(&store);
            globals.push(from_val(&value));
        }
    }
    let fuel_left = from_val(&fuel.get(&store));
    let mut log = std::mem::take(&mut store.data_mut().log);
    log.extend(trace::final_state(&bytes, &globals, fuel_left));
    log
}

/// The engine's value of `value` (bits for floats: NaN payloads stay as they are).
fn to_val(value: Value) -> Val {
    let bits = value.bits;
    match value.ty {
        Ty::I32 => Val::I32(bits as u32 as i32),
        Ty::I64 => Val::I64(bits as u64 as i64),
        Ty::F32 => Val::F32(F32::from_bits(bits as u32)),
        Ty::F64 => Val::F64(F64::from_bits(bits as u64)),
        Ty::V128 => Val::V128(V128::from(bits)),
    }
}

fn from_val(val: &Val) -> Value {
    match val {
        Val::I32(x) => Ty::I32.value(u128::from(*x as u32)),
        Val::I64(x) => Ty::I64.value(u128::from(*x as u64)),
        Val::F32(x) => Ty::F32.value(u128::from(x.to_bits())),
        Val::F64(x) => Ty::F64.value(u128::from(x.to_bits())),
        Val::V128(x) => Ty::V128.value(x.as_u128()),
        other => panic!("unexpected value {other:?}"),
    }
}

fn val_type(ty: Ty) -> ValType {
    match ty {
        Ty::I32 => ValType::I32,
        Ty::I64 => ValType::I64,
        Ty::F32 => ValType::F32,
        Ty::F64 => ValType::F64,
        Ty::V128 => ValType::V128,
    }
}

fn ty_of(ty: ValType) -> Ty {
    match ty {
        ValType::I32 => Ty::I32,
        ValType::I64 => Ty::I64,
        ValType::F32 => Ty::F32,
        ValType::F64 => Ty::F64,
        ValType::V128 => Ty::V128,
        other => panic!("unexpected type {other:?}"),
    }
}

fn describe(error: &Error) -> String {
    if let Some(code) = error.as_trap_code() {
        return trace::describe(Trap::Code(code_name(code)));
    }
    match error.kind() {
        wasmi::errors::ErrorKind::Message(message) => {
            trace::describe(Trap::Host(message.to_string()))
        }
        _ => trace::describe(Trap::Other(error.to_string())),
    }
}

fn code_name(code: TrapCode) -> &'static str {
    match code {
        TrapCode::UnreachableCodeReached => "unreachable",
        TrapCode::IntegerOverflow => "integer overflow",
        TrapCode::IntegerDivisionByZero => "integer divide by zero",
        TrapCode::BadConversionToInteger => "invalid conversion to integer",
        TrapCode::MemoryOutOfBounds => "out of bounds memory access",
        TrapCode::TableOutOfBounds => "out of bounds table access",
        TrapCode::IndirectCallToNull => "indirect call to null",
        TrapCode::BadSignature => "indirect call type mismatch",
        TrapCode::StackOverflow => "call stack exhausted",
        _ => "other trap code",
    }
}

struct WasmiEnv<'a, 'c> {
    caller: &'a mut Caller<'c, HostData>,
}

impl HostEnv for WasmiEnv<'_, '_> {
    type Error = Error;

    fn data(&mut self) -> &mut HostData {
        self.caller.data_mut()
    }

    fn write_memory(&mut self, addr: u32, bytes: &[u8]) -> bool {
        match self.caller.get_export("memory") {
            Some(Extern::Memory(memory)) => memory
                .write(&mut *self.caller, addr as usize, bytes)
                .is_ok(),
            _ => false,
        }
    }

    fn call_export(&mut self, name: &str, seed: u64) -> Option<Result<Vec<Value>, Error>> {
        let Some(Extern::Func(func)) = self.caller.get_export(name) else {
            return None;
        };
        let ty = func.ty(&*self.caller);
        let types: Vec<Ty> = ty.params().iter().map(|t| ty_of(*t)).collect();
        let params: Vec<Val> = host::derive(&types, seed).into_iter().map(to_val).collect();
        let mut results: Vec<Val> = ty
            .results()
            .iter()
            .map(|t| to_val(ty_of(*t).value(0)))
            .collect();
        Some(
            func.call(&mut *self.caller, &params, &mut results)
                .map(|()| results.iter().map(from_val).collect()),
        )
    }

    fn describe(error: &Error) -> String {
        describe(error)
    }

    fn host_error(message: String) -> Error {
        Error::new(message)
    }
}

fn run_host(
    caller: &mut Caller<'_, HostData>,
    program: &Program,
    index: usize,
    args: &[Value],
) -> Result<Vec<Value>, Error> {
    let spec = &program.hosts[index];
    let mut env = WasmiEnv { caller };
    host::call(&mut env, index, spec, &program.sigs[spec.sig], args)
}

fn define_host(linker: &mut Linker<HostData>, program: &Arc<Program>, index: usize) {
    let spec = &program.hosts[index];
    let name = format!("h{index}");
    let p = Arc::clone(program);
    let defined = match (spec.typed, spec.sig) {
        (true, SIG_UNIT) => {
            linker.func_wrap("host", &name, move |mut caller: Caller<'_, HostData>| {
                run_host(&mut caller, &p, index, &[]).map(|_| ())
            })
        }
        (true, SIG_I32_TO_I32) => linker.func_wrap(
            "host",
            &name,
            move |mut caller: Caller<'_, HostData>, a: i32| {
                run_host(&mut caller, &p, index, &[Ty::I32.value(a as u32 as u128)])
                    .map(|r| r[0].bits as u32 as i32)
            },
        ),
        (true, SIG_I32X2_TO_I32) => linker.func_wrap(
            "host",
            &name,
            move |mut caller: Caller<'_, HostData>, a: i32, b: i32| {
                let args = [a, b].map(|x| Ty::I32.value(x as u32 as u128));
                run_host(&mut caller, &p, index, &args).map(|r| r[0].bits as u32 as i32)
            },
        ),
        _ => {
            let sig = &program.sigs[spec.sig];
            let ty = FuncType::new(
                sig.params.iter().map(|t| val_type(*t)).collect::<Vec<_>>(),
                sig.results.iter().map(|t| val_type(*t)).collect::<Vec<_>>(),
            );
            linker.func_new("host", &name, ty, move |mut caller, params, results| {
                let args: Vec<Value> = params.iter().map(from_val).collect();
                let values = run_host(&mut caller, &p, index, &args)?;
                for (slot, v) in results.iter_mut().zip(values) {
                    *slot = to_val(v);
                }
                Ok(())
            })
        }
    };
    defined.expect("define host function");
}
