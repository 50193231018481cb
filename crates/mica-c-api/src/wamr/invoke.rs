//! Calling a native C function whose signature is known only at run time.
//!
//! A native registered with `wasm_runtime_register_natives` is a plain C function
//! `R f(wasm_exec_env_t, P1, P2, ...)` of any of the signatures the signature strings
//! describe. Rust cannot name that type generically, and calling the function through a Rust
//! function-pointer type that differs from its C definition (another parameter count, an `i32`
//! where it takes a `double`) is undefined behaviour. So, like WAMR's `invokeNative`, the call
//! is made in inline assembly that loads the argument registers exactly as the platform's C
//! calling convention assigns them for the function's real signature:
//!
//! - **x86-64 System V** (unix): integer-class arguments (integers and pointers, in order) in
//!   `rdi, rsi, rdx, rcx, r8, r9`; floating-point arguments (in order) in `xmm0`–`xmm7`, an
//!   `f32` in the low 32 bits, a `f64` in the low 64; an `i32` in the low half of its
//!   register, the upper half unspecified (the callee does not read it). The integer result is
//!   in `rax` (`eax` for `i32`), the floating-point one in `xmm0`.
//! - **AArch64** (AAPCS64, and Apple's and Windows' variants of it, which agree with it for
//!   non-variadic functions with only 32- and 64-bit arguments in registers): integer-class
//!   arguments in `x0`–`x7` (`w` halves for `i32`), floating-point ones in `v0`–`v7` (`s` or
//!   `d` halves); results in `x0` / `v0`.
//!
//! The two register files are assigned independently, in parameter order, so the registers a
//! parameter lands in depend only on how many parameters of its class come before it: the
//! caller fills one array per class and this module loads every argument register. Registers
//! beyond the function's parameters hold zeroes the callee never reads, which the convention
//! allows (it is how a caller of an unprototyped function behaves, too). Only arguments that
//! fit in registers are supported — the exec env plus [`INT_ARGS`] integer-class and
//! [`FLOAT_ARGS`] floating-point parameters — so no stack arguments are ever laid out;
//! registration rejects longer signatures (raw natives have no such limit).
//!
//! Assumptions: the native is a non-variadic C function that returns normally (it neither
//! unwinds nor `longjmp`s out), and follows the platform's C calling convention. On other
//! targets ([`SUPPORTED`] is false) only raw natives can be registered.

use core::ffi::c_void;

/// Whether plain (non-raw) natives can be called on this target.
pub(super) const SUPPORTED: bool = cfg!(any(all(target_arch = "x86_64", unix), target_arch = "aarch64"));

/// Integer-class parameters a native may have after its exec env (all in registers).
#[cfg(all(target_arch = "x86_64", unix))]
pub(super) const INT_ARGS: usize = 5;
#[cfg(target_arch = "aarch64")]
pub(super) const INT_ARGS: usize = 7;
#[cfg(not(any(all(target_arch = "x86_64", unix), target_arch = "aarch64")))]
pub(super) const INT_ARGS: usize = 0;

/// Floating-point parameters a native may have (all in registers).
pub(super) const FLOAT_ARGS: usize = 8;

/// The registers a native's result may be in.
#[derive(Debug, Copy, Clone)]
pub(super) struct Returned {
    /// `rax` / `x0`: an `i32` result is the low 32 bits.
    pub int: u64,
    /// The low 64 bits of `xmm0` / `v0`: an `f32` result is the low 32 bits.
    pub float: u64,
}

/// Calls the C function at `func` with `env` as its first argument, then `ints` in the
/// integer-class argument registers and `floats` (bit patterns: an `f32` in the low 32 bits)
/// in the floating-point ones.
///
/// # Safety
/// `func` is the address of a non-variadic C function that returns normally, whose
/// parameters are a pointer and then integer-class parameters receiving `ints` in order and
/// floating-point parameters receiving `floats` in order (so at most `INT_ARGS` and
/// `FLOAT_ARGS` of them), and whose behaviour with these arguments is defined.
#[cfg(all(target_arch = "x86_64", unix))]
pub(super) unsafe fn call(func: *const c_void, env: *mut c_void, ints: &[u64; INT_ARGS], floats: &[u64; FLOAT_ARGS]) -> Returned {
    let (int, float): (u64, u64);
    // SAFETY: a call of `func` with the System V argument registers loaded as its signature
    // requires (see the module's documentation and the function's contract). `clobber_abi`
    // marks every register a C call may change; the stack pointer is aligned for a call on
    // entry to an `asm!` block without `nostack`, and `call` pushes only the return address
    // (popped by the callee's `ret`). The direction flag is clear on entry, as C requires.
    unsafe {
        core::arch::asm!(
            "call {func}",
            func = in(reg) func,
            in("rdi") env,
            in("rsi") ints[0],
            in("rdx") ints[1],
            in("rcx") ints[2],
            in("r8") ints[3],
            in("r9") ints[4],
            inlateout("xmm0") floats[0] => float,
            in("xmm1") floats[1],
            in("xmm2") floats[2],
            in("xmm3") floats[3],
            in("xmm4") floats[4],
            in("xmm5") floats[5],
            in("xmm6") floats[6],
            in("xmm7") floats[7],
            lateout("rax") int,
            clobber_abi("C"),
        );
    }
    Returned { int, float }
}

/// See the x86-64 version.
///
/// # Safety
/// As the x86-64 version.
#[cfg(target_arch = "aarch64")]
pub(super) unsafe fn call(func: *const c_void, env: *mut c_void, ints: &[u64; INT_ARGS], floats: &[u64; FLOAT_ARGS]) -> Returned {
    let (int, float): (u64, u64);
    // SAFETY: a call of `func` with the AAPCS64 argument registers loaded as its signature
    // requires (see the module's documentation and the function's contract); `clobber_abi`
    // marks every register a C call may change (the link register included); the stack
    // pointer is 16-byte aligned at all times on AArch64.
    unsafe {
        core::arch::asm!(
            "blr {func}",
            func = in(reg) func,
            inlateout("x0") env as u64 => int,
            in("x1") ints[0],
            in("x2") ints[1],
            in("x3") ints[2],
            in("x4") ints[3],
            in("x5") ints[4],
            in("x6") ints[5],
            in("x7") ints[6],
            inlateout("v0") floats[0] => float,
            in("v1") floats[1],
            in("v2") floats[2],
            in("v3") floats[3],
            in("v4") floats[4],
            in("v5") floats[5],
            in("v6") floats[6],
            in("v7") floats[7],
            clobber_abi("C"),
        );
    }
    Returned { int, float }
}

/// Never called: registration refuses plain natives where [`SUPPORTED`] is false.
///
/// # Safety
/// None needed: it does nothing.
#[cfg(not(any(all(target_arch = "x86_64", unix), target_arch = "aarch64")))]
pub(super) unsafe fn call(_func: *const c_void, _env: *mut c_void, _ints: &[u64; INT_ARGS], _floats: &[u64; FLOAT_ARGS]) -> Returned {
    Returned { int: 0, float: 0 }
}

/// A raw native: `void f(wasm_exec_env_t exec_env, uint64_t *args)`.
type RawNative = unsafe extern "C" fn(*mut c_void, *mut u64);

/// Calls the raw native at `func` with `env` and `args`.
///
/// # Safety
/// `func` is the address of a C function of type `void (wasm_exec_env_t, uint64_t *)` that
/// returns normally and whose behaviour with these arguments is defined (it may read and
/// write `args` within its length).
pub(super) unsafe fn call_raw(func: *const c_void, env: *mut c_void, args: &mut [u64]) {
    // SAFETY: `func` is such a function (the contract), and `RawNative` is exactly its type; a
    // data pointer and a function pointer have the same size and representation on every
    // target Mica supports (as POSIX's `dlsym` requires).
    let f = unsafe { core::mem::transmute::<*const c_void, RawNative>(func) };
    // SAFETY: the function's contract.
    unsafe { f(env, args.as_mut_ptr()) }
}
