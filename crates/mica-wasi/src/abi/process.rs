//! Arguments, environment, clocks, randomness, exit, signals, scheduling, and the socket calls
//! (which, with no descriptor a socket, answer `notsock`).

use super::memory::GuestMemory;
use super::{CtxAccess, MODULE, call};
use crate::types::{ClockId, Errno, FdFlags, SdFlags, WasiResult};
use crate::{I32Exit, WasiCtx};
use mica::{Caller, Linker};

pub(super) fn register<T: 'static>(
    linker: &mut Linker<T>,
    ctx: impl CtxAccess<T>,
) -> mica::Result<()> {
    linker.func_wrap(MODULE, "args_get", move |mut c: Caller<'_, T>, argv: u32, buf: u32| {
        call(&mut c, ctx, |cx, mem| write_strings(mem, &cx.args, argv, buf))
    })?;
    linker.func_wrap(
        MODULE,
        "args_sizes_get",
        move |mut c: Caller<'_, T>, count: u32, size: u32| {
            call(&mut c, ctx, |cx, mem| write_sizes(mem, &cx.args, count, size))
        },
    )?;
    linker.func_wrap(MODULE, "environ_get", move |mut c: Caller<'_, T>, env: u32, buf: u32| {
        call(&mut c, ctx, |cx, mem| write_strings(mem, &cx.env, env, buf))
    })?;
    linker.func_wrap(
        MODULE,
        "environ_sizes_get",
        move |mut c: Caller<'_, T>, count: u32, size: u32| {
            call(&mut c, ctx, |cx, mem| write_sizes(mem, &cx.env, count, size))
        },
    )?;
    linker.func_wrap(MODULE, "clock_res_get", move |mut c: Caller<'_, T>, id: u32, out: u32| {
        call(&mut c, ctx, |cx, mem| {
            mem.check(out, 8)?;
            let res = cx.clock_res_get(ClockId::from_guest(id)?)?;
            mem.write_u64(out, res)
        })
    })?;
    linker.func_wrap(
        MODULE,
        "clock_time_get",
        move |mut c: Caller<'_, T>, id: u32, precision: u64, out: u32| {
            call(&mut c, ctx, |cx, mem| {
                mem.check(out, 8)?;
                let time = cx.clock_time_get(ClockId::from_guest(id)?, precision)?;
                mem.write_u64(out, time)
            })
        },
    )?;
    linker.func_wrap(MODULE, "random_get", move |mut c: Caller<'_, T>, buf: u32, len: u32| {
        call(&mut c, ctx, |cx, mem| random_get(cx, mem, buf, len))
    })?;
    linker.func_wrap(MODULE, "proc_exit", |code: i32| -> mica::Result<()> {
        Err(mica::Error::host(I32Exit(code)))
    })?;
    linker.func_wrap(MODULE, "proc_raise", |signal: u32| -> i32 {
        // Signals 0..=30 exist in preview1; none can be delivered to a guest here.
        (if signal > 30 { Errno::Inval } else { Errno::Notsup }) as i32
    })?;
    linker.func_wrap(MODULE, "sched_yield", || -> i32 {
        std::thread::yield_now();
        0
    })?;
    register_sockets(linker, ctx)
}

/// `count` NUL-terminated strings at `buf`, their addresses at `ptrs`.
fn write_strings(
    mem: &mut GuestMemory<'_>,
    strings: &[Vec<u8>],
    ptrs: u32,
    buf: u32,
) -> WasiResult<()> {
    let (mut ptr, mut at) = (ptrs, buf);
    for s in strings {
        mem.write_u32(ptr, at)?;
        mem.write_bytes(at, s)?;
        let end = at.checked_add(s.len() as u32).ok_or(Errno::Fault)?;
        mem.write_u8(end, 0)?;
        at = end.checked_add(1).ok_or(Errno::Fault)?;
        ptr = ptr.checked_add(4).ok_or(Errno::Fault)?;
    }
    Ok(())
}

fn write_sizes(
    mem: &mut GuestMemory<'_>,
    strings: &[Vec<u8>],
    count: u32,
    size: u32,
) -> WasiResult<()> {
    let total: usize = strings.iter().map(|s| s.len() + 1).sum();
    mem.check(count, 4)?;
    mem.check(size, 4)?;
    mem.write_u32(count, u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?)?;
    mem.write_u32(size, u32::try_from(total).map_err(|_| Errno::Overflow)?)
}

fn random_get(ctx: &mut WasiCtx, mem: &mut GuestMemory<'_>, buf: u32, len: u32) -> WasiResult<()> {
    ctx.random_get(mem.slice_mut(buf, len)?)
}

fn register_sockets<T: 'static>(
    linker: &mut Linker<T>,
    ctx: impl CtxAccess<T>,
) -> mica::Result<()> {
    linker.func_wrap(
        MODULE,
        "sock_accept",
        move |mut c: Caller<'_, T>, fd: u32, flags: u32, _out: u32| {
            call(&mut c, ctx, |cx, _| {
                FdFlags::from_guest(flags)?;
                no_sockets(cx, fd)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "sock_recv",
        move |mut c: Caller<'_, T>,
              fd: u32,
              _iovs: u32,
              _len: u32,
              _flags: u32,
              _n: u32,
              _oflags: u32| { call(&mut c, ctx, |cx, _| no_sockets(cx, fd)) },
    )?;
    linker.func_wrap(
        MODULE,
        "sock_send",
        move |mut c: Caller<'_, T>, fd: u32, _iovs: u32, _len: u32, _flags: u32, _n: u32| {
            call(&mut c, ctx, |cx, _| no_sockets(cx, fd))
        },
    )?;
    linker.func_wrap(MODULE, "sock_shutdown", move |mut c: Caller<'_, T>, fd: u32, how: u32| {
        call(&mut c, ctx, |cx, _| {
            SdFlags::from_guest(how)?;
            no_sockets(cx, fd)
        })
    })?;
    Ok(())
}

/// No descriptor here is a socket: `badf` for one that does not exist, `notsock` otherwise (as
/// the socket calls answer on a file or a pipe, and wasmtime answers).
fn no_sockets(ctx: &mut WasiCtx, fd: u32) -> WasiResult<()> {
    if ctx.table.contains(fd) { Err(Errno::Notsock) } else { Err(Errno::Badf) }
}
