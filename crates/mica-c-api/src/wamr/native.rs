//! A registered native as a Mica host function.
//!
//! When wasm calls a native (by `call` or `return_call`: Mica's frame protocol treats both
//! alike for host functions, so the tail call that crashed WAMR 1.3.2 is an ordinary host
//! call here), the host function:
//!
//! 1. converts the arguments: `*` and `$` app offsets become native pointers into memory 0
//!    after their bounds check (`*` for the `~` length that follows it, or 1 byte; `$` up to
//!    and including its NUL); a failed check traps with `out of bounds memory access` and the
//!    native is not called;
//! 2. records its `Caller` as the instance's active one and the native's attachment in the
//!    exec env, so that the native (and anything it calls back, `wasm_runtime_call_wasm`
//!    included) reaches the store through them;
//! 3. calls the native ([`super::invoke`]);
//! 4. if the instance has an exception now (the native set one, or a call back into wasm
//!    trapped and the native left its exception), the call traps with it; otherwise the
//!    native's result is the host function's.

use super::call::ExecEnv;
use super::instance::{InstData, ModuleInst};
use super::invoke;
use super::signature::{Param, Ret, Signature};
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::ffi::c_void;
use core::fmt;
use mica_core::{Caller, Error, FuncType, Result, TrapCode, Val};

/// A registered native.
pub(super) struct Native {
    pub module: String,
    pub name: String,
    /// The C function's address.
    pub func: usize,
    /// The parsed signature and its text; `None` for a native registered without one, whose
    /// parameters are the import's types as they are.
    pub signature: Option<(Signature, String)>,
    pub attachment: usize,
    /// Registered with `wasm_runtime_register_natives_raw`.
    pub raw: bool,
}

/// The error a host function returns when its native set an exception: the exception itself
/// stays on the instance, which is where `wasm_runtime_get_exception` reads it.
#[derive(Debug)]
pub(super) struct NativeException;

impl fmt::Display for NativeException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a native function set an exception")
    }
}

/// The signature `native` is called with for an import of type `ty`; an error if the
/// native's signature does not fit the type (or cannot be called on this target).
pub(super) fn link_signature(native: &Native, ty: &FuncType) -> Result<Signature, String> {
    let link_error = |e: &str| format!("failed to link import function ({}, {}): {e}", native.module, native.name);
    match &native.signature {
        Some((signature, _)) if signature.matches(ty) => Ok(signature.clone()),
        Some((_, text)) => Err(link_error(&format!("the native's signature \"{text}\" does not match the import's type {ty}"))),
        None => {
            let signature = Signature::from_type(ty).map_err(|e| link_error(&e))?;
            if !native.raw {
                signature.check_registers("(null)").map_err(|e| link_error(&e))?;
            }
            Ok(signature)
        }
    }
}

/// An argument as the native receives it: a 64-bit register's (or raw slot's) contents.
#[derive(Copy, Clone)]
struct Arg {
    bits: u64,
    float: bool,
}

/// Converts the arguments (step 1 of the module's documentation).
fn convert(signature: &Signature, params: &[Val], memory: &mut [u8]) -> Result<Vec<Arg>> {
    let int = |v: &Val| v.as_i32().unwrap_or(0) as u32;
    let mut args = Vec::with_capacity(params.len());
    for (i, (p, v)) in signature.params.iter().zip(params).enumerate() {
        let bits = match p {
            Param::I32 | Param::Len => u64::from(int(v)),
            Param::I64 => v.as_i64().unwrap_or(0) as u64,
            Param::F32 => u64::from(v.as_f32().unwrap_or(0.0).to_bits()),
            Param::F64 => v.as_f64().unwrap_or(0.0).to_bits(),
            Param::Ptr | Param::Str => {
                let offset = int(v) as usize;
                let len = match p {
                    Param::Ptr if signature.params.get(i + 1) == Some(&Param::Len) => int(&params[i + 1]) as usize,
                    Param::Ptr => 1,
                    _ => match memory.get(offset..).and_then(|rest| rest.iter().position(|b| *b == 0)) {
                        Some(nul) => nul + 1,
                        None => return Err(TrapCode::MemoryOutOfBounds.into()),
                    },
                };
                if offset.checked_add(len).is_none_or(|end| end > memory.len()) {
                    return Err(TrapCode::MemoryOutOfBounds.into());
                }
                // The pointer is handed to C: its provenance is exposed.
                memory.as_mut_ptr().wrapping_add(offset).expose_provenance() as u64
            }
        };
        args.push(Arg { bits, float: p.is_float() });
    }
    Ok(args)
}

/// Calls `native` as the host function of an import (see the module's documentation).
pub(super) fn call(native: &Native, signature: &Signature, mut caller: Caller<'_, InstData>, params: &[Val], results: &mut [Val]) -> Result<()> {
    let inst_ptr = caller.data().inst;
    // SAFETY: the store's data names the instance that owns the store, which outlives every
    // call on it (deinstantiation refuses while one runs).
    let inst: &ModuleInst = unsafe { &*inst_ptr };
    let env_ptr = inst.current_env.get();
    if env_ptr.is_null() {
        return Err(Error::new("a native was called outside a call on its instance"));
    }
    // SAFETY: the env of the call running on this instance, which cannot be destroyed while
    // the call runs (`in_use`).
    let env: &ExecEnv = unsafe { &*env_ptr };
    let memory = caller.instance().and_then(|i| i.memory_at(&caller, 0));
    let args = match memory {
        Some(memory) => convert(signature, params, memory.data_mut(&mut caller)?)?,
        None => convert(signature, params, &mut [])?,
    };

    /// Restores the instance's active caller and the env's attachment however the call ends.
    struct Restore<'a> {
        inst: &'a ModuleInst,
        env: &'a ExecEnv,
        active: *mut c_void,
        attachment: *mut c_void,
    }
    impl Drop for Restore<'_> {
        fn drop(&mut self) {
            self.inst.active.set(self.active);
            self.env.attachment.set(self.attachment);
        }
    }
    let _restore = Restore {
        inst,
        env,
        active: inst.active.replace(&mut caller as *mut Caller<'_, InstData> as *mut c_void),
        attachment: env.attachment.replace(native.attachment as *mut c_void),
    };
    // The env is handed to C: its provenance is exposed.
    let env_arg = core::ptr::with_exposed_provenance_mut::<c_void>(env_ptr.expose_provenance());
    let func = core::ptr::with_exposed_provenance::<c_void>(native.func);
    let result = if native.raw {
        let mut slots: Vec<u64> = args.iter().map(|a| a.bits).collect();
        if slots.is_empty() {
            slots = vec![0];
        }
        // SAFETY: registration took `func` as a raw native (`void (wasm_exec_env_t,
        // uint64_t *)`), whose C contract is its author's; `slots` holds one slot per
        // parameter (at least one, for the result).
        unsafe { invoke::call_raw(func, env_arg, &mut slots) };
        invoke::Returned { int: slots[0], float: slots[0] }
    } else {
        let mut ints = [0u64; invoke::INT_ARGS];
        let mut floats = [0u64; invoke::FLOAT_ARGS];
        let (mut n_ints, mut n_floats) = (0, 0);
        for a in &args {
            // In bounds: registration (or linking, for a null signature) checked the counts.
            if a.float {
                floats[n_floats] = a.bits;
                n_floats += 1;
            } else {
                ints[n_ints] = a.bits;
                n_ints += 1;
            }
        }
        // SAFETY: `func` is the C function registered with this signature, whose integer-class
        // parameters (in order) are `ints[..n_ints]` and floating-point ones `floats[..n_floats]`,
        // which fit in registers (checked at registration); `*`/`$` arguments point into
        // memory 0 with their bounds checked above; the rest of its contract is its author's.
        unsafe { invoke::call(func, env_arg, &ints, &floats) }
    };
    drop(_restore);
    if inst.has_exception() {
        return Err(Error::host(NativeException));
    }
    if let (Some(ret), Some(slot)) = (signature.result, results.first_mut()) {
        *slot = match ret {
            Ret::I32 => Val::I32(result.int as u32 as i32),
            Ret::I64 => Val::I64(result.int as i64),
            Ret::F32 => Val::F32(result.float as u32),
            Ret::F64 => Val::F64(result.float),
        };
    }
    Ok(())
}
