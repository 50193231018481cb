//! Execution environments, function lookup, and calls: `wasm_runtime_call_wasm` with
//! `uint32_t` argument cells and `wasm_runtime_call_wasm_a` with `wasm_val_t` arrays.
//!
//! An exec env names the instance calls run on. A native receives the exec env of the call
//! that reached it (with its attachment set for the native's duration), and may call back
//! into wasm on it.

use super::global::{self, Kind};
use super::instance::ModuleInst;
use super::c_str;
use crate::boundary::guard;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::Cell;
use core::ffi::{c_char, c_void};
use core::ptr;
use mica_core::{Func, FuncType, ValType, Val};

/// An execution environment (`wasm_exec_env_t`).
pub(super) struct ExecEnv {
    pub inst: *const ModuleInst,
    /// The running native's attachment (NULL outside natives).
    pub attachment: Cell<*mut c_void>,
    pub user_data: Cell<*mut c_void>,
    /// Calls running on this env; it cannot be destroyed meanwhile.
    pub in_use: Cell<u32>,
    /// The instance's own env, freed with it.
    pub singleton: bool,
}

impl ExecEnv {
    pub(super) fn new(inst: *const ModuleInst, singleton: bool) -> ExecEnv {
        ExecEnv {
            inst,
            attachment: Cell::new(ptr::null_mut()),
            user_data: Cell::new(ptr::null_mut()),
            in_use: Cell::new(0),
            singleton,
        }
    }

    /// The env behind a live handle, with its instance if that is still live.
    ///
    /// # Safety
    /// The env is not destroyed, nor its instance deinstantiated, while the references are
    /// used (both refuse while a call runs on them, so a native may hold them).
    pub(super) unsafe fn from_handle<'a>(handle: *const c_void) -> Option<(&'a ExecEnv, Option<&'a ModuleInst>)> {
        if !global::is_live(handle, Kind::ExecEnv) {
            return None;
        }
        // SAFETY: a live `Kind::ExecEnv` handle is a `Box<ExecEnv>` not yet freed.
        let env = unsafe { &*(handle as *const ExecEnv) };
        // SAFETY: the caller's contract.
        let inst = unsafe { ModuleInst::from_handle(env.inst as *const c_void) };
        Some((env, inst))
    }
}

/// A function handle (`wasm_function_inst_t`), owned by its instance.
pub(super) struct FuncHandle {
    pub inst: *const ModuleInst,
    pub name: String,
    pub func: Func,
    pub ty: FuncType,
}

impl FuncHandle {
    /// # Safety
    /// The handle's instance is not deinstantiated while the reference is used.
    unsafe fn from_handle<'a>(handle: *const c_void) -> Option<&'a FuncHandle> {
        // SAFETY: a live `Kind::Function` handle is a `Box<FuncHandle>` its instance owns.
        global::is_live(handle, Kind::Function).then(|| unsafe { &*(handle as *const FuncHandle) })
    }
}

/// A new exec env for `inst`; `stack_size` is ignored (Mica sizes its stacks itself). The
/// caller owns it: free it with `wasm_runtime_destroy_exec_env`, before deinstantiating.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_create_exec_env(inst: *const c_void, _stack_size: u32) -> *mut c_void {
    guard(ptr::null_mut(), || {
        if !global::is_live(inst, Kind::Instance) {
            return ptr::null_mut();
        }
        let env = Box::into_raw(Box::new(ExecEnv::new(inst as *const ModuleInst, false))) as *mut c_void;
        global::register(env, Kind::ExecEnv);
        env
    })
}

/// Frees an exec env made by `wasm_runtime_create_exec_env`. Ignored for the singleton (the
/// instance owns it), for an env a call is running on, and for anything else.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_destroy_exec_env(env: *mut c_void) {
    guard((), || {
        // SAFETY: checked live, used only here.
        let Some((e, _)) = (unsafe { ExecEnv::from_handle(env) }) else { return };
        if e.singleton || e.in_use.get() > 0 {
            return;
        }
        global::unregister(env, Kind::ExecEnv);
        // SAFETY: a live, non-singleton env came from `Box::into_raw` in
        // `wasm_runtime_create_exec_env`; now unregistered and not used again.
        drop(unsafe { Box::from_raw(env as *mut ExecEnv) });
    })
}

/// The instance's own exec env, which it owns (do not destroy it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_exec_env_singleton(inst: *const c_void) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: checked live, used for this call only.
        unsafe { ModuleInst::from_handle(inst) }.map_or(ptr::null_mut(), |i| i.singleton as *mut c_void)
    })
}

/// The instance an exec env runs on; NULL for an invalid env or a deinstantiated instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_module_inst(env: *const c_void) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: checked live, used for this call only.
        match unsafe { ExecEnv::from_handle(env) } {
            Some((_, Some(inst))) => inst.handle() as *mut c_void,
            _ => ptr::null_mut(),
        }
    })
}

/// The attachment of the native running on `env` (its `NativeSymbol`'s), NULL outside one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_function_attachment(env: *const c_void) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: checked live, used for this call only.
        unsafe { ExecEnv::from_handle(env) }.map_or(ptr::null_mut(), |(e, _)| e.attachment.get())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_user_data(env: *const c_void, data: *mut c_void) {
    guard((), || {
        // SAFETY: checked live, used for this call only.
        if let Some((e, _)) = unsafe { ExecEnv::from_handle(env) } {
            e.user_data.set(data);
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_user_data(env: *const c_void) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: checked live, used for this call only.
        unsafe { ExecEnv::from_handle(env) }.map_or(ptr::null_mut(), |(e, _)| e.user_data.get())
    })
}

/// The exported function `name` of `inst`, or NULL. The handle belongs to the instance
/// (looking the same name up again gives the same handle) and dies with it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_lookup_function(inst: *const c_void, name: *const c_char) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: checked live, used for this call only.
        let Some(i) = (unsafe { ModuleInst::from_handle(inst) }) else { return ptr::null_mut() };
        // SAFETY: the caller's contract: NULL or a NUL-terminated string.
        let Some(name) = (unsafe { c_str(name) }) else { return ptr::null_mut() };
        if let Some(f) = i.funcs.borrow().iter().find(|f| f.name == name) {
            return &**f as *const FuncHandle as *mut c_void;
        }
        let Some(instance) = i.instance.get() else { return ptr::null_mut() };
        let found = i.with_store(|ctx| instance.get_func(&ctx, name).map(|f| (f, f.ty(&ctx))));
        let Ok(Some((func, ty))) = found else { return ptr::null_mut() };
        let handle = Box::new(FuncHandle { inst: i, name: name.to_string(), func, ty });
        let ptr = &*handle as *const FuncHandle as *mut c_void;
        i.funcs.borrow_mut().push(handle);
        global::register(ptr, Kind::Function);
        ptr
    })
}

/// The function and instance, if `func` is a live function handle of the live `inst`.
///
/// # Safety
/// As `FuncHandle::from_handle`.
unsafe fn func_of<'a>(func: *const c_void, inst: *const c_void) -> Option<&'a FuncHandle> {
    // SAFETY: the caller's contract.
    let f = unsafe { FuncHandle::from_handle(func) }?;
    (f.inst as *const c_void == inst && global::is_live(inst, Kind::Instance)).then_some(f)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_get_param_count(func: *const c_void, inst: *const c_void) -> u32 {
    // SAFETY: checked live, used for this call only.
    guard(0, || unsafe { func_of(func, inst) }.map_or(0, |f| f.ty.params().len() as u32))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_get_result_count(func: *const c_void, inst: *const c_void) -> u32 {
    // SAFETY: checked live, used for this call only.
    guard(0, || unsafe { func_of(func, inst) }.map_or(0, |f| f.ty.results().len() as u32))
}

/// `wasm_valkind_t` of a type (`WASM_I32` 0 ... `WASM_EXTERNREF` 128, `WASM_FUNCREF` 129).
fn valkind(ty: &ValType) -> u8 {
    match ty {
        ValType::I32 => 0,
        ValType::I64 => 1,
        ValType::F32 => 2,
        ValType::F64 => 3,
        ValType::V128 => 4,
        ValType::Ref(r) if r.heap_type().top() == mica_core::HeapType::Extern => 128,
        _ => 129,
    }
}

/// Writes the kinds of the function's parameters to `types` (as many as
/// `wasm_func_get_param_count` says); nothing for an invalid function or a NULL `types`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_get_param_types(func: *const c_void, inst: *const c_void, types: *mut u8) {
    guard((), || {
        // SAFETY: checked live, used for this call only.
        let Some(f) = (unsafe { func_of(func, inst) }) else { return };
        if types.is_null() {
            return;
        }
        for (i, t) in f.ty.params().iter().enumerate() {
            // SAFETY: the caller's contract: room for every parameter's kind.
            unsafe { *types.add(i) = valkind(t) };
        }
    })
}

/// As `wasm_func_get_param_types`, for the results.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_func_get_result_types(func: *const c_void, inst: *const c_void, types: *mut u8) {
    guard((), || {
        // SAFETY: checked live, used for this call only.
        let Some(f) = (unsafe { func_of(func, inst) }) else { return };
        if types.is_null() {
            return;
        }
        for (i, t) in f.ty.results().iter().enumerate() {
            // SAFETY: the caller's contract: room for every result's kind.
            unsafe { *types.add(i) = valkind(t) };
        }
    })
}

/// The cells a value of type `ty` takes in `argv` (`None`: it cannot be passed in cells).
fn cells(ty: &ValType) -> Option<usize> {
    match ty {
        ValType::I32 | ValType::F32 => Some(1),
        ValType::I64 | ValType::F64 => Some(2),
        _ => None,
    }
}

/// Checks a call's handles: the live env, its live instance, and a function of that instance.
///
/// # Safety
/// As `ExecEnv::from_handle`.
unsafe fn prepare<'a>(env: *const c_void, func: *const c_void) -> Result<(&'a ExecEnv, &'a ModuleInst, &'a FuncHandle), ()> {
    // SAFETY: the caller's contract.
    let Some((e, inst)) = (unsafe { ExecEnv::from_handle(env) }) else { return Err(()) };
    let Some(inst) = inst else { return Err(()) };
    // SAFETY: the caller's contract (the function's instance is `inst` once checked).
    let fail = |message: &str| {
        inst.set_exception(message);
        Err(())
    };
    // SAFETY: a function handle lives as long as its instance, checked below to be `inst`.
    let Some(f) = (unsafe { FuncHandle::from_handle(func) }) else {
        return fail("invalid function: not a function handle from wasm_runtime_lookup_function");
    };
    if !ptr::eq(f.inst, inst) {
        return fail("invalid function: it belongs to another module instance than the exec env's");
    }
    Ok((e, inst, f))
}

/// Calls `func` on `env` with its parameters in `argv[0..argc]` (an `i32`/`f32` takes one
/// cell, an `i64`/`f64` two, low half first); its results are written from `argv[0]` on,
/// so `argv` must have room for the larger of the two. Returns false on a trap or a misuse,
/// with the exception set on the env's instance (`wasm_runtime_get_exception`); false with
/// no exception for an invalid env.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_call_wasm(env: *const c_void, func: *const c_void, argc: u32, argv: *mut u32) -> bool {
    guard(false, || {
        // SAFETY: checked live; a call running on them keeps them alive (see `prepare`).
        let Ok((e, inst, f)) = (unsafe { prepare(env, func) }) else { return false };
        let fail = |message: String| {
            inst.set_exception(&message);
            false
        };
        let param_cells: Option<usize> = f.ty.params().iter().map(cells).sum();
        let result_cells: Option<usize> = f.ty.results().iter().map(cells).sum();
        let (Some(param_cells), Some(result_cells)) = (param_cells, result_cells) else {
            return fail(format!("function {} has type {}, which cannot be passed in uint32_t cells", f.name, f.ty));
        };
        if (argc as usize) < param_cells {
            return fail(format!("invalid argument count {argc}, must be no smaller than {param_cells}"));
        }
        if argv.is_null() && param_cells.max(result_cells) > 0 {
            return fail(String::from("invalid argv: NULL"));
        }
        let cell = |i: usize| {
            // SAFETY: `i < param_cells <= argc`, the cells the caller says `argv` holds.
            unsafe { *argv.add(i) }
        };
        let wide = |i: usize| u64::from(cell(i)) | u64::from(cell(i + 1)) << 32;
        let mut at = 0;
        let mut params = Vec::with_capacity(f.ty.params().len());
        for t in f.ty.params() {
            params.push(match t {
                ValType::I32 => Val::I32(cell(at) as i32),
                ValType::F32 => Val::F32(cell(at)),
                ValType::I64 => Val::I64(wide(at) as i64),
                _ => Val::F64(wide(at)),
            });
            at += cells(t).unwrap_or(1);
        }
        let mut results: Vec<Val> = f.ty.results().iter().map(|t| Val::default_for(*t)).collect();
        if !inst.call(e, f.func, &params, &mut results) {
            return false;
        }
        let mut at = 0;
        for r in &results {
            let (lo, hi) = match *r {
                Val::I32(x) => (x as u32, None),
                Val::F32(x) => (x, None),
                Val::I64(x) => (x as u32, Some((x as u64 >> 32) as u32)),
                Val::F64(x) => (x as u32, Some((x >> 32) as u32)),
                _ => (0, None),
            };
            // SAFETY: the caller's contract: `argv` has room for the result cells.
            unsafe {
                *argv.add(at) = lo;
                if let Some(hi) = hi {
                    *argv.add(at + 1) = hi;
                }
            }
            at += if hi.is_some() { 2 } else { 1 };
        }
        true
    })
}

/// WAMR's `wasm_val_t` (as `wasm_export.h` defines it: a kind, padding, then the value).
#[repr(C)]
#[derive(Copy, Clone)]
pub struct WamrVal {
    kind: u8,
    _padding: [u8; 7],
    of: WamrValOf,
}

/// The value of a [`WamrVal`]: the field its kind names is the one set.
#[repr(C)]
#[derive(Copy, Clone)]
union WamrValOf {
    i32: i32,
    i64: i64,
    f32: u32,
    f64: u64,
    foreign: usize,
    reference: *mut c_void,
}

/// Calls `func` on `env` with `num_args` values at `args`, writing its `num_results` results
/// to `results`. The counts must be the function's, and each argument's kind its parameter's
/// type (`WASM_I32`, `WASM_I64`, `WASM_F32`, `WASM_F64`). Returns false as
/// `wasm_runtime_call_wasm` does.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_call_wasm_a(
    env: *const c_void,
    func: *const c_void,
    num_results: u32,
    results: *mut WamrVal,
    num_args: u32,
    args: *const WamrVal,
) -> bool {
    guard(false, || {
        // SAFETY: checked live; a call running on them keeps them alive (see `prepare`).
        let Ok((e, inst, f)) = (unsafe { prepare(env, func) }) else { return false };
        let fail = |message: String| {
            inst.set_exception(&message);
            false
        };
        let (want_args, want_results) = (f.ty.params().len(), f.ty.results().len());
        if num_args as usize != want_args || num_results as usize != want_results {
            return fail(format!(
                "invalid argument or result count: {num_args} and {num_results} given, the function has {want_args} and {want_results}"
            ));
        }
        if (args.is_null() && want_args > 0) || (results.is_null() && want_results > 0) {
            return fail(String::from("invalid args or results: NULL"));
        }
        let mut params = Vec::with_capacity(want_args);
        for (i, t) in f.ty.params().iter().enumerate() {
            // SAFETY: `i < num_args`, the values the caller says `args` holds.
            let v = unsafe { *args.add(i) };
            // SAFETY (each arm): the union field read is the one the kind says is set.
            params.push(match (t, v.kind) {
                // SAFETY: see above.
                (ValType::I32, 0) => Val::I32(unsafe { v.of.i32 }),
                // SAFETY: see above.
                (ValType::I64, 1) => Val::I64(unsafe { v.of.i64 }),
                // SAFETY: see above.
                (ValType::F32, 2) => Val::F32(unsafe { v.of.f32 }),
                // SAFETY: see above.
                (ValType::F64, 3) => Val::F64(unsafe { v.of.f64 }),
                _ => return fail(format!("argument {i} has kind {} where the function takes {t}", v.kind)),
            });
        }
        let mut out: Vec<Val> = f.ty.results().iter().map(|t| Val::default_for(*t)).collect();
        if f.ty.results().iter().any(|t| cells(t).is_none()) {
            return fail(format!("function {} returns a type this call cannot return", f.name));
        }
        if !inst.call(e, f.func, &params, &mut out) {
            return false;
        }
        for (i, (r, t)) in out.iter().zip(f.ty.results()).enumerate() {
            let of = match *r {
                Val::I32(x) => WamrValOf { i32: x },
                Val::F32(x) => WamrValOf { f32: x },
                Val::I64(x) => WamrValOf { i64: x },
                Val::F64(x) => WamrValOf { f64: x },
                _ => WamrValOf { foreign: 0 },
            };
            // SAFETY: `i < num_results`, the room the caller says `results` has.
            unsafe { *results.add(i) = WamrVal { kind: valkind(t), _padding: [0; 7], of } };
        }
        true
    })
}
