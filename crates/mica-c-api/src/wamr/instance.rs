//! Modules and module instances: `wasm_runtime_load`, `wasm_runtime_instantiate`, the
//! instance's exception and custom data.
//!
//! A module instance owns a store of its own (`Store<InstData>`) with the one instance in it.
//! While wasm runs on an instance, the store is borrowed by that call; C code that runs
//! meanwhile (a native, and whatever it calls back) reaches the store only through the
//! innermost native's [`Caller`], which [`ModuleInst::active`] records for the native's
//! duration. So there is always exactly one path to the store in use: [`ModuleInst::with_store`]
//! picks it.

use super::call::{ExecEnv, FuncHandle};
use super::global::{self, Kind};
use super::{native, write_error};
use crate::boundary::guard;
use alloc::boxed::Box;
use alloc::ffi::CString;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::{Cell, RefCell, UnsafeCell};
use core::ffi::{c_char, c_void};
use core::ptr;
use mica_core::{Caller, Error, ExternType, Func, Instance, Module, Store, StoreContextMut, TrapCode, Val};

/// A loaded module (`wasm_module_t`).
pub(super) struct LoadedModule {
    pub module: Module,
}

/// The store's host data: the instance that owns the store.
pub(super) struct InstData {
    pub inst: *const ModuleInst,
}

/// A module instance (`wasm_module_inst_t`). Reached only by shared reference: the store is
/// in an `UnsafeCell` and everything else in `Cell`s.
pub(super) struct ModuleInst {
    store: UnsafeCell<Store<InstData>>,
    pub instance: Cell<Option<Instance>>,
    /// The `wasm_module_t` handle it was instantiated from (it may be unloaded first).
    pub module: *const c_void,
    exception: RefCell<Option<CString>>,
    pub custom_data: Cell<*mut c_void>,
    /// Calls running on this instance (nested ones included).
    running: Cell<u32>,
    /// The innermost running native's `Caller<'_, InstData>`, erased; null when none runs.
    pub active: Cell<*mut c_void>,
    /// The exec env of the innermost running call; null when none runs.
    pub current_env: Cell<*const ExecEnv>,
    /// `wasm_runtime_get_exec_env_singleton`'s env, owned by the instance.
    pub singleton: *const ExecEnv,
    /// The function handles `wasm_runtime_lookup_function` gave out, owned by the instance.
    #[expect(clippy::vec_box, reason = "each handle's address is given out, so it must not move when the Vec grows")]
    pub funcs: RefCell<Vec<Box<FuncHandle>>>,
}

/// Why the store cannot be reached.
pub(super) const BUSY: &str = "the module instance is running a call on another thread";

impl ModuleInst {
    /// The instance behind a live `wasm_module_inst_t`.
    ///
    /// # Safety
    /// The handle is not deinstantiated while the reference is used (deinstantiation refuses
    /// while a call runs on the instance, so a native may hold it).
    pub(super) unsafe fn from_handle<'a>(handle: *const c_void) -> Option<&'a ModuleInst> {
        // SAFETY: a live `Kind::Instance` handle is a `Box<ModuleInst>` not yet freed.
        global::is_live(handle, Kind::Instance).then(|| unsafe { &*(handle as *const ModuleInst) })
    }

    pub(super) fn handle(&self) -> *const c_void {
        self as *const ModuleInst as *const c_void
    }

    /// Runs `f` with the store, or fails if the store is borrowed by a call that is not
    /// waiting in a native on this thread.
    pub(super) fn with_store<R>(&self, f: impl FnOnce(StoreContextMut<'_, InstData>) -> R) -> Result<R, &'static str> {
        let active = self.active.get();
        if !active.is_null() {
            // SAFETY: `active` is the `Caller` of the native running innermost on this
            // instance, set by `native::call` for the native's duration, during which
            // `native::call` itself does not use it; the reborrow ends before `f` returns.
            let caller = unsafe { &mut *(active as *mut Caller<'_, InstData>) };
            Ok(f(StoreContextMut::from(caller)))
        } else if self.running.get() == 0 {
            // SAFETY: no call borrows the store (`running` is 0 and nothing else takes a
            // reference to it), and this reborrow ends before `f` returns.
            let store = unsafe { &mut *self.store.get() };
            Ok(f(StoreContextMut::from(store)))
        } else {
            Err(BUSY)
        }
    }

    /// Runs `f` with memory 0's bytes; `None` if the instance has no memory or its store is
    /// busy. (During the start function, before `instance` is set, the running native's
    /// caller knows the instance.)
    pub(super) fn with_memory<R>(&self, f: impl FnOnce(&mut [u8]) -> R) -> Option<R> {
        let active = self.active.get();
        if !active.is_null() {
            // SAFETY: as in `with_store`.
            let caller = unsafe { &mut *(active as *mut Caller<'_, InstData>) };
            let instance = self.instance.get().or_else(|| caller.instance())?;
            let memory = instance.memory_at(&*caller, 0)?;
            Some(f(memory.data_mut(caller).ok()?))
        } else {
            let instance = self.instance.get()?;
            self.with_store(|mut ctx| {
                let memory = instance.memory_at(&ctx, 0)?;
                Some(f(memory.data_mut(&mut ctx).ok()?))
            })
            .ok()
            .flatten()
        }
    }

    /// Calls `func` on `env` and records the outcome as the instance's exception (cleared
    /// first). Returns whether the call succeeded.
    pub(super) fn call(&self, env: &ExecEnv, func: Func, params: &[Val], results: &mut [Val]) -> bool {
        self.clear_exception();
        let outcome = self.call_raw(env, |ctx| func.call(ctx, params, results));
        match outcome {
            Ok(()) => true,
            Err(e) => {
                self.record(&e);
                false
            }
        }
    }

    /// Runs `body` (which calls into wasm) as a call on `env`: the store as `with_store`
    /// gives it, with `running` and `current_env` set for the call's duration (restored
    /// however it ends).
    fn call_raw(&self, env: &ExecEnv, body: impl FnOnce(StoreContextMut<'_, InstData>) -> mica_core::Result<()>) -> mica_core::Result<()> {
        let active = self.active.get();
        if active.is_null() && self.running.get() > 0 {
            return Err(Error::new(BUSY));
        }
        /// Undoes the call's bookkeeping however the call ends.
        struct Restore<'a> {
            inst: &'a ModuleInst,
            env: &'a ExecEnv,
            previous: *const ExecEnv,
        }
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                self.inst.running.set(self.inst.running.get() - 1);
                self.env.in_use.set(self.env.in_use.get() - 1);
                self.inst.current_env.set(self.previous);
            }
        }
        self.running.set(self.running.get() + 1);
        env.in_use.set(env.in_use.get() + 1);
        let _restore = Restore { inst: self, env, previous: self.current_env.replace(env) };
        if !active.is_null() {
            // SAFETY: as in `with_store`: the innermost native's caller, unused by its owner
            // until the native returns, which is after this call.
            let caller = unsafe { &mut *(active as *mut Caller<'_, InstData>) };
            body(StoreContextMut::from(caller))
        } else {
            // SAFETY: `running` was 0 (checked above), so nothing borrowed the store; this
            // borrow ends with `body`, and C code reached from it uses `active` instead.
            let store = unsafe { &mut *self.store.get() };
            body(StoreContextMut::from(store))
        }
    }

    /// Whether a call runs on the instance.
    pub(super) fn is_running(&self) -> bool {
        self.running.get() > 0
    }

    pub(super) fn exception_ptr(&self) -> *const c_char {
        self.exception.borrow().as_ref().map_or(ptr::null(), |e| e.as_ptr())
    }

    /// The exception's message, without WAMR's `Exception: ` prefix.
    fn exception_message(&self) -> Option<String> {
        let exception = self.exception.borrow();
        let text = exception.as_ref()?.to_str().ok()?;
        Some(text.strip_prefix("Exception: ").unwrap_or(text).to_string())
    }

    pub(super) fn has_exception(&self) -> bool {
        self.exception.borrow().is_some()
    }

    /// Sets the exception to `Exception: <message>` (WAMR's form).
    pub(super) fn set_exception(&self, message: &str) {
        let text = format!("Exception: {message}").replace('\0', " ");
        *self.exception.borrow_mut() = CString::new(text).ok();
    }

    pub(super) fn clear_exception(&self) {
        *self.exception.borrow_mut() = None;
    }

    /// Records a failed call's error as the exception. An exception a native set is already
    /// recorded (the error only carries it up).
    pub(super) fn record(&self, error: &Error) {
        if error.downcast_ref::<native::NativeException>().is_some() && self.has_exception() {
            return;
        }
        self.set_exception(&error_text(error));
    }
}

/// What an error says, in WAMR's words for traps (`unreachable`, `integer divide by zero`).
pub(super) fn error_text(error: &Error) -> String {
    match error.trap_code() {
        Some(code) if code != TrapCode::HostError => code.message().to_string(),
        _ => error.to_string(),
    }
}

/// Frees an instance that is no longer registered as a handle, with its exec env singleton
/// and function handles.
///
/// # Safety
/// `inst` came from `Box::into_raw` in `instantiate`, is not running, and is not used again.
unsafe fn free_instance(inst: *mut ModuleInst) {
    // SAFETY: the contract: the box is ours to drop.
    let inst = unsafe { Box::from_raw(inst) };
    global::unregister(inst.singleton as *const c_void, Kind::ExecEnv);
    for f in inst.funcs.borrow().iter() {
        global::unregister(&**f as *const FuncHandle as *const c_void, Kind::Function);
    }
    // SAFETY: the singleton came from `Box::into_raw` in `instantiate` and only the instance
    // owns it; its handle is unregistered above.
    drop(unsafe { Box::from_raw(inst.singleton as *mut ExecEnv) });
}

/// Instantiates `module` (its handle is `handle`), linking its imports to the registered
/// natives, and runs its start function.
fn instantiate(handle: *const c_void, module: &Module) -> Result<*const ModuleInst, String> {
    let store = Store::new(module.engine(), InstData { inst: ptr::null() });
    let raw = Box::into_raw(Box::new(ModuleInst {
        store: UnsafeCell::new(store),
        instance: Cell::new(None),
        module: handle,
        exception: RefCell::new(None),
        custom_data: Cell::new(ptr::null_mut()),
        running: Cell::new(0),
        active: Cell::new(ptr::null_mut()),
        current_env: Cell::new(ptr::null()),
        singleton: ptr::null(),
        funcs: RefCell::new(Vec::new()),
    }));
    let singleton = Box::into_raw(Box::new(ExecEnv::new(raw, true)));
    // SAFETY: `raw` is fresh and unshared; these writes happen before any shared reference.
    unsafe {
        (*raw).singleton = singleton;
        (*(*raw).store.get()).data_mut().inst = raw;
    }
    global::register(raw as *const c_void, Kind::Instance);
    global::register(singleton as *const c_void, Kind::ExecEnv);
    // SAFETY: `raw` stays allocated until `free_instance` below or `deinstantiate`.
    let inst = unsafe { &*raw };
    // SAFETY: `singleton` is owned by `inst`, freed only with it.
    let env = unsafe { &*singleton };
    let outcome = link_and_instantiate(inst, env, module);
    match outcome {
        Ok(instance) => {
            inst.instance.set(Some(instance));
            Ok(raw)
        }
        Err(message) => {
            global::unregister(raw as *const c_void, Kind::Instance);
            // SAFETY: not running (the call above has returned), unregistered, not used again.
            unsafe { free_instance(raw) };
            Err(message)
        }
    }
}

fn link_and_instantiate(inst: &ModuleInst, env: &ExecEnv, module: &Module) -> Result<Instance, String> {
    let mut imports = Vec::new();
    for (module_name, name, ty) in module.imports() {
        let ExternType::Func(ty) = ty else {
            return Err(format!(
                "import {module_name}.{name}: only functions can be imported here (natives), not a {}",
                match ty {
                    ExternType::Memory(_) => "memory",
                    ExternType::Table(_) => "table",
                    ExternType::Global(_) => "global",
                    _ => "tag",
                }
            ));
        };
        let native = global::find_native(module_name, name)
            .ok_or_else(|| format!("failed to link import function ({module_name}, {name}): no native is registered under that name"))?;
        let signature = native::link_signature(&native, ty)?;
        let host = move |caller: Caller<'_, InstData>, params: &[Val], results: &mut [Val]| {
            native::call(&native, &signature, caller, params, results)
        };
        let func = inst.with_store(|ctx| Func::new(ctx, ty.clone(), host)).map_err(String::from)?;
        imports.push(func.into());
    }
    let mut instance = None;
    let outcome = inst.call_raw(env, |ctx| {
        instance = Some(Instance::new(ctx, module, &imports)?);
        Ok(())
    });
    match outcome {
        Ok(()) => instance.ok_or_else(|| String::from("instantiation did not finish")),
        Err(e) => {
            inst.record(&e);
            Err(inst.exception_message().unwrap_or_else(|| error_text(&e)))
        }
    }
}

/// Loads a module from `size` bytes at `buf`. The bytes are copied: the buffer may be freed
/// or reused as soon as this returns (WAMR requires it to outlive the module; Mica does not).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_load(buf: *mut u8, size: u32, error_buf: *mut c_char, error_buf_size: u32) -> *mut c_void {
    guard(ptr::null_mut(), || {
        let fail = |message: &str| {
            // SAFETY: the caller's `error_buf` contract.
            unsafe { write_error(error_buf, error_buf_size, &format!("WASM module load failed: {message}")) };
            ptr::null_mut()
        };
        if buf.is_null() {
            return fail("the buffer is NULL");
        }
        if size == 0 {
            return fail("the buffer is empty");
        }
        let Some(engine) = global::engine() else {
            return fail("the runtime is not initialised (call wasm_runtime_init first)");
        };
        // SAFETY: the caller's contract: `buf` holds `size` readable bytes.
        let bytes = unsafe { core::slice::from_raw_parts(buf, size as usize) };
        match Module::from_binary(&engine, bytes) {
            Ok(module) => {
                let handle = Box::into_raw(Box::new(LoadedModule { module })) as *mut c_void;
                global::register(handle, Kind::Module);
                handle
            }
            Err(e) => fail(&e.to_string()),
        }
    })
}

/// Frees a loaded module. Its instances stay usable (they keep what they need), so the
/// order of `wasm_runtime_unload` and `wasm_runtime_deinstantiate` does not matter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_unload(module: *mut c_void) {
    guard((), || {
        if global::unregister(module, Kind::Module) {
            // SAFETY: it was a live module handle, a `Box<LoadedModule>`, now unregistered.
            drop(unsafe { Box::from_raw(module as *mut LoadedModule) });
        }
    })
}

/// Instantiates a module: links its imports to the natives registered so far (by module and
/// field name, each native's signature checked against the import's type) and runs its start
/// function. `stack_size` and `heap_size` are accepted and ignored: Mica sizes its stacks
/// itself and has no host-managed heap (see `wasm_runtime_module_malloc`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_instantiate(
    module: *const c_void,
    _stack_size: u32,
    _heap_size: u32,
    error_buf: *mut c_char,
    error_buf_size: u32,
) -> *mut c_void {
    guard(ptr::null_mut(), || {
        let fail = |message: &str| {
            // SAFETY: the caller's `error_buf` contract.
            unsafe { write_error(error_buf, error_buf_size, &format!("WASM module instantiate failed: {message}")) };
            ptr::null_mut()
        };
        if !global::is_live(module, Kind::Module) {
            return fail("not a loaded module (NULL, unloaded, or another kind of handle)");
        }
        // SAFETY: a live module handle is a `Box<LoadedModule>`; it cannot be unloaded during
        // this call except by a native of the start function, so the module is cloned first.
        let loaded = unsafe { (*(module as *const LoadedModule)).module.clone() };
        match instantiate(module, &loaded) {
            Ok(inst) => inst as *mut c_void,
            Err(message) => fail(&message),
        }
    })
}

/// Frees a module instance, with its exec env singleton and function handles. Exec envs
/// created for it must not be used afterwards (their calls fail), only destroyed. Ignored
/// for a handle that is not a live instance, and for an instance a call is running on (from
/// one of its natives).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_deinstantiate(inst: *mut c_void) {
    guard((), || {
        // SAFETY: checked live; used only here.
        let Some(i) = (unsafe { ModuleInst::from_handle(inst) }) else { return };
        if i.is_running() {
            return;
        }
        global::unregister(inst, Kind::Instance);
        // SAFETY: a live instance handle came from `Box::into_raw` in `instantiate`; it is
        // not running, now unregistered, and `i` is not used again.
        unsafe { free_instance(inst as *mut ModuleInst) };
    })
}

/// The module an instance was instantiated from; NULL once that module is unloaded.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_module(inst: *const c_void) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: checked live, used for this call only.
        let Some(i) = (unsafe { ModuleInst::from_handle(inst) }) else { return ptr::null_mut() };
        if global::is_live(i.module, Kind::Module) { i.module as *mut c_void } else { ptr::null_mut() }
    })
}

/// The instance's exception (`"Exception: ..."`), or NULL if none. The string belongs to the
/// instance and stays valid until the exception is set or cleared again, or the instance is
/// deinstantiated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_exception(inst: *const c_void) -> *const c_char {
    guard(ptr::null(), || {
        // SAFETY: checked live, used for this call only.
        unsafe { ModuleInst::from_handle(inst) }.map_or(ptr::null(), |i| i.exception_ptr())
    })
}

/// Sets the instance's exception to `"Exception: " + message` (the message is copied); a
/// NULL message clears it. A native reports an error this way: when it returns, the call
/// that reached it traps with this exception.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_exception(inst: *const c_void, message: *const c_char) {
    guard((), || {
        // SAFETY: checked live, used for this call only.
        let Some(i) = (unsafe { ModuleInst::from_handle(inst) }) else { return };
        if message.is_null() {
            i.clear_exception();
        } else {
            // SAFETY: the caller's contract: a NUL-terminated string.
            let text = unsafe { core::ffi::CStr::from_ptr(message) }.to_string_lossy();
            i.set_exception(&text);
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_clear_exception(inst: *const c_void) {
    guard((), || {
        // SAFETY: checked live, used for this call only.
        if let Some(i) = unsafe { ModuleInst::from_handle(inst) } {
            i.clear_exception();
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_set_custom_data(inst: *const c_void, data: *mut c_void) {
    guard((), || {
        // SAFETY: checked live, used for this call only.
        if let Some(i) = unsafe { ModuleInst::from_handle(inst) } {
            i.custom_data.set(data);
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_custom_data(inst: *const c_void) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: checked live, used for this call only.
        unsafe { ModuleInst::from_handle(inst) }.map_or(ptr::null_mut(), |i| i.custom_data.get())
    })
}
