//! The runtime: `wasm_runtime_init` / `wasm_runtime_full_init` / `wasm_runtime_destroy`,
//! registering natives, and the runtime allocator (`wasm_runtime_malloc`).

use super::global::{self, Registration};
use super::native::Native;
use super::signature::Signature;
use super::c_str;
use crate::boundary::guard;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::ffi::{c_char, c_void};
use mica_core::{Config, Engine};

/// `NativeSymbol` (`wasm_export.h`).
#[repr(C)]
pub struct NativeSymbol {
    symbol: *const c_char,
    func_ptr: *mut c_void,
    signature: *const c_char,
    attachment: *mut c_void,
}

/// `MemAllocOption` (`wasm_export.h`): read by nothing (Mica allocates with the C library).
#[repr(C)]
#[derive(Copy, Clone)]
pub union MemAllocOption {
    pool: [usize; 2],
    allocator: [usize; 4],
}

/// `RuntimeInitArgs` (`wasm_export.h`), field for field.
#[repr(C)]
pub struct RuntimeInitArgs {
    mem_alloc_type: i32,
    mem_alloc_option: MemAllocOption,
    native_module_name: *const c_char,
    native_symbols: *mut NativeSymbol,
    n_native_symbols: u32,
    max_thread_num: u32,
    ip_addr: [c_char; 128],
    unused: i32,
    instance_port: i32,
    fast_jit_code_cache_size: u32,
    gc_heap_size: u32,
    running_mode: i32,
    llvm_jit_opt_level: u32,
    llvm_jit_size_level: u32,
    segue_flags: u32,
    enable_linux_perf: bool,
}

/// `Mode_Interp`: the only running mode (0, unset, means the default: this one).
const MODE_INTERP: i32 = 1;

fn init() -> bool {
    let mut runtime = global::runtime();
    if runtime.engine.is_none() {
        runtime.engine = Some(Engine::new(&Config::default()));
    }
    true
}

/// Sets the runtime up (Mica's default configuration: WebAssembly 3.0, tail calls
/// included). Calling it again while initialised does nothing and returns true.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_init() -> bool {
    guard(false, init)
}

/// `wasm_runtime_init`, then registers `native_symbols` under `native_module_name` if
/// `n_native_symbols` is not 0. The allocator settings are accepted and not used (Mica
/// allocates with the C library's allocator whatever `mem_alloc_type` says; a pool is left
/// untouched); `running_mode` must be 0 or `Mode_Interp`. The other fields are ignored.
/// False for a NULL `args`, another running mode, or natives that cannot be registered
/// (the runtime is then not initialised by this call).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_full_init(args: *const RuntimeInitArgs) -> bool {
    guard(false, || {
        if args.is_null() {
            return false;
        }
        // SAFETY: the caller's contract: a valid `RuntimeInitArgs`.
        let args = unsafe { &*args };
        if args.running_mode != 0 && args.running_mode != MODE_INTERP {
            return false;
        }
        let was_initialised = global::runtime().engine.is_some();
        init();
        if args.n_native_symbols == 0 {
            return true;
        }
        // SAFETY: the caller's contract: the names and array are as for
        // `wasm_runtime_register_natives`.
        let ok = unsafe { register(args.native_module_name, args.native_symbols, args.n_native_symbols, false) };
        if !ok && !was_initialised {
            global::runtime().engine = None;
        }
        ok
    })
}

/// Tears the runtime down: forgets the registered natives; loading needs
/// `wasm_runtime_init` again. Modules, instances and exec envs that still exist keep working
/// (and must still be freed); WAMR requires them freed first, which is the portable order.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_destroy() {
    guard((), || {
        let mut runtime = global::runtime();
        runtime.engine = None;
        runtime.registrations.clear();
    })
}

/// Registers `n` natives, all or none.
///
/// # Safety
/// As `wasm_runtime_register_natives`'s contract.
unsafe fn register(module: *const c_char, symbols: *mut NativeSymbol, n: u32, raw: bool) -> bool {
    if global::runtime().engine.is_none() {
        return false;
    }
    // SAFETY: the caller's contract: NULL or a NUL-terminated string.
    let Some(module) = (unsafe { c_str(module) }) else { return false };
    if symbols.is_null() && n > 0 {
        return false;
    }
    let mut natives = Vec::with_capacity(n as usize);
    for i in 0..n as usize {
        // SAFETY: the caller's contract: `symbols` holds `n` entries.
        let s = unsafe { &*symbols.add(i) };
        // SAFETY: the caller's contract: NULL or NUL-terminated strings.
        let (Some(name), text) = (unsafe { c_str(s.symbol) }, unsafe { c_str(s.signature) }) else { return false };
        if s.func_ptr.is_null() || (text.is_none() && !s.signature.is_null()) {
            return false;
        }
        let signature = match text {
            None => None,
            Some(text) => {
                let Ok(signature) = Signature::parse(text) else { return false };
                if !raw && signature.check_registers(text).is_err() {
                    return false;
                }
                Some((signature, text.to_string()))
            }
        };
        natives.push(Arc::new(Native {
            module: module.to_string(),
            name: name.to_string(),
            func: s.func_ptr.expose_provenance(),
            signature,
            attachment: s.attachment.expose_provenance(),
            raw,
        }));
    }
    global::runtime().registrations.push(Registration {
        module: String::from(module),
        symbols: symbols.addr(),
        natives,
    });
    true
}

/// Registers natives under `module_name`: each `NativeSymbol` gives the import's field name,
/// the C function (`R f(wasm_exec_env_t, params...)`), its signature string (or NULL: the
/// import's own types, with no pointer conversion) and an attachment. The entries are
/// copied: the array may be freed after this returns (WAMR requires it to outlive the
/// runtime; Mica does not). Instances link their imports when they are instantiated; a
/// later registration of the same name wins. False, registering nothing, if the runtime is
/// not initialised, a name or function is NULL, a signature is malformed, or a native has
/// more parameters than registers hold (see the header).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_register_natives(module_name: *const c_char, symbols: *mut NativeSymbol, n: u32) -> bool {
    // SAFETY: the caller's contract, as `register` states it.
    guard(false, || unsafe { register(module_name, symbols, n, false) })
}

/// As `wasm_runtime_register_natives`, for raw natives `void f(wasm_exec_env_t, uint64_t
/// *args)`: one 64-bit slot per parameter (an `i32`/`~` zero-extended, an `f32` in the low
/// 32 bits, a `*`/`$` converted to a native pointer), the result written to `args[0]`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_register_natives_raw(module_name: *const c_char, symbols: *mut NativeSymbol, n: u32) -> bool {
    // SAFETY: the caller's contract, as `register` states it.
    guard(false, || unsafe { register(module_name, symbols, n, true) })
}

/// Undoes the registration made with this module name and this array pointer. Instances
/// already linked to those natives keep them. False if there is no such registration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_unregister_natives(module_name: *const c_char, symbols: *mut NativeSymbol) -> bool {
    guard(false, || {
        // SAFETY: the caller's contract: NULL or a NUL-terminated string.
        let Some(module) = (unsafe { c_str(module_name) }) else { return false };
        let mut runtime = global::runtime();
        let found = runtime.registrations.iter().rposition(|r| r.module == module && r.symbols == symbols.addr());
        match found {
            Some(i) => {
                runtime.registrations.remove(i);
                true
            }
            None => false,
        }
    })
}

unsafe extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void;
    fn free(ptr: *mut c_void);
}

/// The C library's `malloc` (Mica has no allocator of its own to offer).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_malloc(size: u32) -> *mut c_void {
    // SAFETY: `malloc` has no preconditions.
    guard(core::ptr::null_mut(), || unsafe { malloc(size as usize) })
}

/// The C library's `realloc`: `ptr` is NULL or came from `wasm_runtime_malloc`/`realloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_realloc(ptr: *mut c_void, size: u32) -> *mut c_void {
    // SAFETY: the caller's contract.
    guard(core::ptr::null_mut(), || unsafe { realloc(ptr, size as usize) })
}

/// The C library's `free`: `ptr` is NULL or came from `wasm_runtime_malloc`/`realloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_free(ptr: *mut c_void) {
    // SAFETY: the caller's contract.
    guard((), || unsafe { free(ptr) })
}

/// Accepted and ignored: Mica does not log.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_log_level(_level: i32) {}
