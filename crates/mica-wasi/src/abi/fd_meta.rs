//! Descriptor attributes and housekeeping: fdstat, filestat, advise/allocate, sync, close,
//! renumber, the preopen names (`fd_prestat_*`) and directory listing (`fd_readdir`).

use super::layout::{self, DIRENT_HEADER_SIZE, FDSTAT_SIZE, FILESTAT_SIZE};
use super::memory::GuestMemory;
use super::{CtxAccess, MODULE, call};
use crate::WasiCtx;
use crate::types::{Advice, Errno, FdFlags, Rights, WasiResult};
use mica::{Caller, Linker};

pub(super) fn register<T: 'static>(
    linker: &mut Linker<T>,
    ctx: impl CtxAccess<T>,
) -> mica::Result<()> {
    linker.func_wrap(
        MODULE,
        "fd_advise",
        move |mut c: Caller<'_, T>, fd: u32, offset: u64, len: u64, advice: u32| {
            call(&mut c, ctx, |cx, _| cx.fd_advise(fd, offset, len, Advice::from_guest(advice)?))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_allocate",
        move |mut c: Caller<'_, T>, fd: u32, offset: u64, len: u64| {
            call(&mut c, ctx, |cx, _| cx.fd_allocate(fd, offset, len))
        },
    )?;
    linker.func_wrap(MODULE, "fd_close", move |mut c: Caller<'_, T>, fd: u32| {
        call(&mut c, ctx, |cx, _| cx.fd_close(fd))
    })?;
    linker.func_wrap(MODULE, "fd_datasync", move |mut c: Caller<'_, T>, fd: u32| {
        call(&mut c, ctx, |cx, _| cx.fd_datasync(fd))
    })?;
    linker.func_wrap(MODULE, "fd_sync", move |mut c: Caller<'_, T>, fd: u32| {
        call(&mut c, ctx, |cx, _| cx.fd_sync(fd))
    })?;
    linker.func_wrap(MODULE, "fd_fdstat_get", move |mut c: Caller<'_, T>, fd: u32, out: u32| {
        call(&mut c, ctx, |cx, mem| {
            mem.check(out, FDSTAT_SIZE)?;
            let stat = cx.fd_fdstat_get(fd)?;
            layout::write_fdstat(mem, out, &stat)
        })
    })?;
    linker.func_wrap(
        MODULE,
        "fd_fdstat_set_flags",
        move |mut c: Caller<'_, T>, fd: u32, flags: u32| {
            call(&mut c, ctx, |cx, _| cx.fd_fdstat_set_flags(fd, FdFlags::from_guest(flags)?))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_fdstat_set_rights",
        move |mut c: Caller<'_, T>, fd: u32, base: u64, inheriting: u64| {
            call(&mut c, ctx, |cx, _| {
                cx.fd_fdstat_set_rights(
                    fd,
                    Rights::from_guest(base)?,
                    Rights::from_guest(inheriting)?,
                )
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_filestat_get",
        move |mut c: Caller<'_, T>, fd: u32, out: u32| {
            call(&mut c, ctx, |cx, mem| {
                mem.check(out, FILESTAT_SIZE)?;
                let stat = cx.fd_filestat_get(fd)?;
                layout::write_filestat(mem, out, &stat)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_filestat_set_size",
        move |mut c: Caller<'_, T>, fd: u32, size: u64| {
            call(&mut c, ctx, |cx, _| cx.fd_filestat_set_size(fd, size))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_filestat_set_times",
        move |mut c: Caller<'_, T>, fd: u32, atim: u64, mtim: u64, flags: u32| {
            call(&mut c, ctx, |cx, _| {
                let (atim, mtim) = layout::time_changes(atim, mtim, flags)?;
                cx.fd_filestat_set_times(fd, atim, mtim)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_prestat_get",
        move |mut c: Caller<'_, T>, fd: u32, out: u32| {
            call(&mut c, ctx, |cx, mem| {
                mem.check(out, 8)?;
                let len = cx.fd_prestat(fd)?.len();
                mem.write_u32(out, 0)?; // the tag: a directory
                mem.write_u32(out + 4, u32::try_from(len).map_err(|_| Errno::Nametoolong)?)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_prestat_dir_name",
        move |mut c: Caller<'_, T>, fd: u32, path: u32, len: u32| {
            call(&mut c, ctx, |cx, mem| {
                let name = cx.fd_prestat(fd)?;
                if (len as usize) < name.len() {
                    return Err(Errno::Nametoolong);
                }
                mem.write_bytes(path, name.as_bytes())
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "fd_readdir",
        move |mut c: Caller<'_, T>, fd: u32, buf: u32, len: u32, cookie: u64, out: u32| {
            call(&mut c, ctx, |cx, mem| readdir(cx, mem, fd, buf, len, cookie, out))
        },
    )?;
    linker.func_wrap(MODULE, "fd_renumber", move |mut c: Caller<'_, T>, from: u32, to: u32| {
        call(&mut c, ctx, |cx, _| cx.fd_renumber(from, to))
    })?;
    Ok(())
}

/// Fills `buf` with entries from `cookie` on. The last one may be cut short: a guest that
/// gets a full buffer asks again from the last whole entry's cookie.
fn readdir(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
    len: u32,
    cookie: u64,
    out: u32,
) -> WasiResult<()> {
    mem.check(buf, len)?;
    mem.check(out, 4)?;
    let len = len as usize;
    let mut bytes = Vec::new();
    for entry in ctx.fd_readdir(fd, cookie)? {
        if bytes.len() >= len {
            break;
        }
        bytes.reserve(DIRENT_HEADER_SIZE + entry.name.len());
        layout::encode_dirent(entry, &mut bytes);
    }
    bytes.truncate(len);
    mem.write_bytes(buf, &bytes)?;
    mem.write_u32(out, bytes.len() as u32)
}
