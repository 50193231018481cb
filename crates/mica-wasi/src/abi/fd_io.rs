//! Byte I/O on descriptors: `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`, `fd_seek`,
//! `fd_tell`. Vectored calls move their bytes through one host buffer, so a stream sees a
//! single read or write, as with `readv`/`writev`.

use super::memory::GuestMemory;
use super::{CtxAccess, MODULE, call};
use crate::WasiCtx;
use crate::types::{WasiResult, Whence};
use mica::{Caller, Linker};

pub(super) fn register<T: 'static>(
    linker: &mut Linker<T>,
    ctx: impl CtxAccess<T>,
) -> mica::Result<()> {
    linker.func_wrap(
        MODULE,
        "fd_read",
        move |mut c: Caller<'_, T>, fd: u32, iovs: u32, len: u32, out: u32| {
            call(&mut c, ctx, |cx, mem| read(cx, mem, fd, iovs, len, None, out))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_pread",
        move |mut c: Caller<'_, T>, fd: u32, iovs: u32, len: u32, offset: u64, out: u32| {
            call(&mut c, ctx, |cx, mem| read(cx, mem, fd, iovs, len, Some(offset), out))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_write",
        move |mut c: Caller<'_, T>, fd: u32, iovs: u32, len: u32, out: u32| {
            call(&mut c, ctx, |cx, mem| write(cx, mem, fd, iovs, len, None, out))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_pwrite",
        move |mut c: Caller<'_, T>, fd: u32, iovs: u32, len: u32, offset: u64, out: u32| {
            call(&mut c, ctx, |cx, mem| write(cx, mem, fd, iovs, len, Some(offset), out))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_seek",
        move |mut c: Caller<'_, T>, fd: u32, offset: i64, whence: u32, out: u32| {
            call(&mut c, ctx, |cx, mem| {
                mem.check(out, 8)?;
                let position = cx.fd_seek(fd, offset, Whence::from_guest(whence)?)?;
                mem.write_u64(out, position)
            })
        },
    )?;
    linker.func_wrap(MODULE, "fd_tell", move |mut c: Caller<'_, T>, fd: u32, out: u32| {
        call(&mut c, ctx, |cx, mem| {
            mem.check(out, 8)?;
            let position = cx.fd_tell(fd)?;
            mem.write_u64(out, position)
        })
    })?;
    Ok(())
}

fn read(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    len: u32,
    offset: Option<u64>,
    out: u32,
) -> WasiResult<()> {
    let iovecs = mem.read_iovecs(iovs, len)?;
    mem.check(out, 4)?;
    let mut buf = vec![0; GuestMemory::capacity(&iovecs)];
    let n = match offset {
        Some(offset) => ctx.fd_pread(fd, &mut buf, offset)?,
        None => ctx.fd_read(fd, &mut buf)?,
    };
    mem.scatter(&iovecs, &buf[..n]);
    mem.write_u32(out, n as u32)
}

fn write(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    len: u32,
    offset: Option<u64>,
    out: u32,
) -> WasiResult<()> {
    let iovecs = mem.read_iovecs(iovs, len)?;
    mem.check(out, 4)?;
    let data = mem.gather(&iovecs);
    let n = match offset {
        Some(offset) => ctx.fd_pwrite(fd, &data, offset)?,
        None => ctx.fd_write(fd, &data)?,
    };
    mem.write_u32(out, n as u32)
}
