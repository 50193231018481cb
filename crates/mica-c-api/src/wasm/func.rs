//! Functions: host functions made from C callbacks, calls, and function types.
//!
//! A C callback runs inside Mica's call of the host function: its arguments are converted
//! to `wasm_val_t`s (references become handles the callback borrows), the store's active
//! caller is set for the callback's duration (so that it can call back into the store),
//! and a trap it returns becomes a host error ([`CallbackTrap`]) that unwinds through Mica,
//! never through C frames.

use super::guard;
use super::refs::wasm_trap_t;
use super::refs::{ObjKind, Object, borrow, declare_ref, is_func, wasm_func_t};
use super::store::{Finalizer, HostData, StoreState, state_of, wasm_store_t};
use super::trap::{TrapData, to_callback_trap};
use super::types::{wasm_externtype_t, wasm_functype_t};
use super::val::{from_c, to_c, wasm_val_t, wasm_val_vec_t};
use super::vec::{self, Elem, WasmVec};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::c_void;
use core::ptr;
use mica_core::{Caller, Error, Func, FuncType, Val, ValType};

/// `wasm_func_callback_t`.
pub type Callback =
    unsafe extern "C" fn(*const wasm_val_vec_t, *mut wasm_val_vec_t) -> *mut wasm_trap_t;
/// `wasm_func_callback_with_env_t`.
pub type CallbackWithEnv = unsafe extern "C" fn(
    *mut c_void,
    *const wasm_val_vec_t,
    *mut wasm_val_vec_t,
) -> *mut wasm_trap_t;

/// A C host function: the callback, its environment and the environment's finalizer,
/// which runs when this is dropped (with the store, which owns the host function).
struct HostFn {
    callback: Result<Callback, CallbackWithEnv>,
    env: *mut c_void,
    finalizer: Finalizer,
}

// SAFETY: Mica requires host functions to be `Send + Sync` because a Mica store may move
// between threads. A store of the C API never does: its state is behind an `Rc`, and the
// header requires a store and its objects to be used by one thread at a time, so the
// callback and `env` are only ever used (and the finalizer run) on the thread using the
// store, as the embedder arranged when it made the function.
unsafe impl Send for HostFn {}
// SAFETY: as for `Send`: no two threads use a store's host functions at once.
unsafe impl Sync for HostFn {}

impl Drop for HostFn {
    fn drop(&mut self) {
        if let Some(finalizer) = self.finalizer.take() {
            // SAFETY: the embedder gave this finalizer for `env` (header contract); it runs
            // once (it is taken).
            unsafe { finalizer(self.env) }
        }
    }
}

impl HostFn {
    /// Calls the C callback.
    ///
    /// # Safety
    /// `args` and `results` are valid vectors for the duration of the call.
    unsafe fn call(
        &self,
        args: *const wasm_val_vec_t,
        results: *mut wasm_val_vec_t,
    ) -> *mut wasm_trap_t {
        // SAFETY: the callback is the embedder's, called with the arguments the header
        // promises it (valid vectors, its own env).
        unsafe {
            match self.callback {
                Ok(callback) => callback(args, results),
                Err(callback) => callback(self.env, args, results),
            }
        }
    }

    /// Runs the callback for a call of the host function: Mica's side of the call.
    fn run(
        &self,
        mut caller: Caller<'_, HostData>,
        params: &[Val],
        results: &mut [Val],
        result_types: &[ValType],
    ) -> mica_core::Result<()> {
        let state = caller
            .data()
            .state
            .upgrade()
            .ok_or_else(|| Error::new("the store is being freed"))?;
        let mut args: Vec<wasm_val_t> = Vec::with_capacity(params.len());
        for param in params {
            match to_c(&state, *param) {
                Ok(v) => args.push(v),
                Err(message) => {
                    delete_vals(&mut args);
                    return Err(Error::new(message));
                }
            }
        }
        let mut outs = alloc::vec![wasm_val_t::INIT; results.len()];
        let args_vec = WasmVec {
            size: args.len(),
            data: args.as_mut_ptr(),
        };
        let mut outs_vec = WasmVec {
            size: outs.len(),
            data: outs.as_mut_ptr(),
        };
        // SAFETY: both vectors point at buffers alive until after the call.
        let trap = state.call_host(&mut caller, || unsafe {
            self.call(&args_vec, &mut outs_vec)
        });
        delete_vals(&mut args);
        let outcome = if trap.is_null() {
            read_results(&state, &outs, results, result_types)
        } else {
            // SAFETY: a non-null result is a trap handle the callback hands over (header
            // contract).
            let trap = unsafe { Box::from_raw(trap) };
            Err(match &trap.kind {
                ObjKind::Trap(data) => Error::host(to_callback_trap(data)),
                _ => Error::new("a host function returned an object that is not a trap"),
            })
        };
        delete_vals(&mut outs);
        outcome
    }
}

/// Deletes the references of values this module owns.
fn delete_vals(vals: &mut [wasm_val_t]) {
    for val in vals {
        // SAFETY: the values were made by `to_c` or handed over by a callback: each owns its
        // handle, deleted once.
        unsafe { val.delete_elem() }
    }
}

/// Converts a callback's results (borrowed) to Mica values of the function's result types.
fn read_results(
    state: &Rc<StoreState>,
    outs: &[wasm_val_t],
    results: &mut [Val],
    types: &[ValType],
) -> mica_core::Result<()> {
    for (i, ((out, result), ty)) in outs.iter().zip(results.iter_mut()).zip(types).enumerate() {
        // SAFETY: the callback put values with handles of this library there (header
        // contract).
        *result = unsafe { from_c(state, out, *ty) }
            .map_err(|m| Error::new(alloc::format!("host function result {i}: {m}")))?;
    }
    Ok(())
}

/// Makes a host function.
///
/// # Safety
/// Non-null pointers are live objects of this library (header contract).
unsafe fn new_func(
    store: *mut wasm_store_t,
    ty: *const wasm_functype_t,
    host: HostFn,
) -> *mut wasm_func_t {
    // SAFETY: forwarded.
    let (Some(state), Some(ty)) = (unsafe { state_of(store) }, unsafe { ty.as_ref() }) else {
        return ptr::null_mut();
    };
    let Ok(func_type) = ty.to_func_type() else {
        return ptr::null_mut();
    };
    let result_types: Vec<ValType> = func_type.results().to_vec();
    let made = state.with(move |cx| {
        Func::new(cx, func_type, move |caller, params, results| {
            host.run(caller, params, results, &result_types)
        })
    });
    match made {
        Ok(func) => Object::entity(&state, super::refs::Entity::Func(func)).into_raw(),
        Err(_) => ptr::null_mut(),
    }
}

declare_ref!(
    is_func,
    wasm_func_delete,
    wasm_func_copy,
    wasm_func_same,
    wasm_func_get_host_info,
    wasm_func_set_host_info,
    wasm_func_set_host_info_with_finalizer,
    wasm_func_as_ref,
    wasm_func_as_ref_const,
    wasm_ref_as_func,
    wasm_ref_as_func_const
);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_new(
    store: *mut wasm_store_t,
    ty: *const wasm_functype_t,
    callback: Option<Callback>,
) -> *mut wasm_func_t {
    guard(ptr::null_mut(), || {
        let Some(callback) = callback else {
            return ptr::null_mut();
        };
        let host = HostFn {
            callback: Ok(callback),
            env: ptr::null_mut(),
            finalizer: None,
        };
        // SAFETY: header contract.
        unsafe { new_func(store, ty, host) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_new_with_env(
    store: *mut wasm_store_t,
    ty: *const wasm_functype_t,
    callback: Option<CallbackWithEnv>,
    env: *mut c_void,
    finalizer: Finalizer,
) -> *mut wasm_func_t {
    guard(ptr::null_mut(), || {
        let Some(callback) = callback else {
            if let Some(finalizer) = finalizer {
                // SAFETY: the embedder's finalizer for `env`, run once: no function was made.
                unsafe { finalizer(env) }
            }
            return ptr::null_mut();
        };
        // If the function cannot be made, `host` is dropped, which runs the finalizer.
        let host = HostFn {
            callback: Err(callback),
            env,
            finalizer,
        };
        // SAFETY: header contract.
        unsafe { new_func(store, ty, host) }
    })
}

/// The store state and type of a function handle the caller lends.
///
/// # Safety
/// A non-null `func` is a live handle.
unsafe fn func_type(func: *const wasm_func_t) -> Option<FuncType> {
    // SAFETY: forwarded.
    let (state, f) = unsafe { borrow(func, is_func) }?.func()?;
    state.with(|cx| f.ty(&cx)).ok()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_type(func: *const wasm_func_t) -> *mut wasm_functype_t {
    // SAFETY: header contract.
    guard(ptr::null_mut(), || match unsafe { func_type(func) } {
        Some(ty) => Box::into_raw(Box::new(wasm_externtype_t::func(&ty))),
        None => ptr::null_mut(),
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_param_arity(func: *const wasm_func_t) -> usize {
    guard(0, || {
        // SAFETY: header contract.
        unsafe { func_type(func) }.map_or(0, |t| t.params().len())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_result_arity(func: *const wasm_func_t) -> usize {
    guard(0, || {
        // SAFETY: header contract.
        unsafe { func_type(func) }.map_or(0, |t| t.results().len())
    })
}

fn usage_trap(message: &str) -> *mut wasm_trap_t {
    TrapData::usage(message).into_raw()
}

/// `wasm_func_call`'s body: `Err` for a misuse, described.
///
/// # Safety
/// Header contract: non-null pointers are live objects and valid vectors.
unsafe fn call(
    func: *const wasm_func_t,
    args: *const wasm_val_vec_t,
    results: *mut wasm_val_vec_t,
) -> Result<*mut wasm_trap_t, String> {
    // SAFETY: forwarded.
    let obj = unsafe { borrow(func, is_func) }
        .ok_or("wasm_func_call: the function is null or not a function")?;
    // Nothing below uses `obj` again: the callbacks this call runs may delete it.
    let (state, f) = obj
        .func()
        .map(|(s, f)| (s.clone(), f))
        .ok_or("not a function")?;
    let args: &[wasm_val_t] = if args.is_null() {
        &[]
    } else {
        // SAFETY: forwarded.
        unsafe { vec::elements(args) }
            .ok_or("wasm_func_call: the arguments vector has a size but no data")?
    };
    let ty = state
        .with(|cx| f.ty(&cx))
        .map_err(|_| "wasm_func_call: the store is busy")?;
    if args.len() != ty.params().len() {
        return Err(alloc::format!(
            "wasm_func_call: the function takes {} arguments, {} were given",
            ty.params().len(),
            args.len()
        ));
    }
    let results_len = if results.is_null() {
        0
    } else {
        // SAFETY: forwarded.
        unsafe { vec::elements(results) }
            .ok_or("wasm_func_call: the results vector has a size but no data")?
            .len()
    };
    // A results vector of the wrong size is reported only once the call returns: a call
    // that traps never reads it, and the standard's own examples (`trap.c`) call functions
    // that trap with an empty results vector, expecting their traps.
    let wrong_results = (results_len != ty.results().len()).then(|| {
        alloc::format!(
            "wasm_func_call: the function returns {} results, the results vector has room for {}",
            ty.results().len(),
            results_len
        )
    });
    let mut params = Vec::with_capacity(args.len());
    for (i, (arg, ty)) in args.iter().zip(ty.params()).enumerate() {
        params.push(
            // SAFETY: the arguments' handles are live (header contract).
            unsafe { from_c(&state, arg, *ty) }
                .map_err(|m| alloc::format!("wasm_func_call: argument {i}: {m}"))?,
        );
    }
    let mut outs: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    let outcome = state
        .with(|mut cx| f.call(&mut cx, &params, &mut outs))
        .map_err(|_| "wasm_func_call: the store is busy")?;
    if let Err(error) = outcome {
        return Ok(TrapData::of_error(&state, &error).into_raw());
    }
    if let Some(message) = wrong_results {
        return Err(message);
    }
    let mut converted = Vec::with_capacity(outs.len());
    for out in outs {
        match to_c(&state, out) {
            Ok(v) => converted.push(v),
            Err(m) => {
                delete_vals(&mut converted);
                return Ok(TrapData::new(Some(state.clone()), m.as_bytes(), Vec::new()).into_raw());
            }
        }
    }
    if !converted.is_empty() {
        // SAFETY: `results` is non-null with room for exactly these values (checked above);
        // its old contents are out-parameter slots, overwritten without being deleted.
        unsafe { ptr::copy_nonoverlapping(converted.as_ptr(), (*results).data, converted.len()) };
    }
    Ok(ptr::null_mut())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_call(
    func: *const wasm_func_t,
    args: *const wasm_val_vec_t,
    results: *mut wasm_val_vec_t,
) -> *mut wasm_trap_t {
    // SAFETY: header contract.
    guard(None, || Some(unsafe { call(func, args, results) }))
        .unwrap_or_else(|| {
            Err(String::from(
                "wasm_func_call: internal error (a panic in Mica)",
            ))
        })
        .unwrap_or_else(|message| usage_trap(&message))
}
