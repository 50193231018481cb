//! The `path_*` calls: a directory descriptor plus a path string in guest memory.

use super::layout;
use super::{CtxAccess, MODULE, call};
use crate::host::path_ops::OpenArgs;
use crate::types::{Errno, FdFlags, LookupFlags, OFlags, Rights, WasiResult};
use mica::{Caller, Linker};

/// Whether the lookup flags ask to follow a final symlink.
fn follows(flags: u32) -> WasiResult<bool> {
    Ok(LookupFlags::from_guest(flags)?.contains(LookupFlags::SYMLINK_FOLLOW))
}

pub(super) fn register<T: 'static>(
    linker: &mut Linker<T>,
    ctx: impl CtxAccess<T>,
) -> mica::Result<()> {
    linker.func_wrap(
        MODULE,
        "path_open",
        move |mut c: Caller<'_, T>,
              fd: u32,
              dirflags: u32,
              path: u32,
              path_len: u32,
              oflags: u32,
              base: u64,
              inheriting: u64,
              fdflags: u32,
              out: u32| {
            call(&mut c, ctx, |cx, mem| {
                let args = OpenArgs {
                    follow: follows(dirflags)?,
                    oflags: OFlags::from_guest(oflags)?,
                    base: Rights::from_guest(base)?,
                    inheriting: Rights::from_guest(inheriting)?,
                    fdflags: FdFlags::from_guest(fdflags)?,
                };
                mem.check(out, 4)?;
                let path = mem.read_str(path, path_len)?;
                let opened = cx.path_open(fd, path, args)?;
                mem.write_u32(out, opened)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_create_directory",
        move |mut c: Caller<'_, T>, fd: u32, path: u32, len: u32| {
            call(&mut c, ctx, |cx, mem| cx.path_create_directory(fd, mem.read_str(path, len)?))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_remove_directory",
        move |mut c: Caller<'_, T>, fd: u32, path: u32, len: u32| {
            call(&mut c, ctx, |cx, mem| cx.path_remove_directory(fd, mem.read_str(path, len)?))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_unlink_file",
        move |mut c: Caller<'_, T>, fd: u32, path: u32, len: u32| {
            call(&mut c, ctx, |cx, mem| cx.path_unlink_file(fd, mem.read_str(path, len)?))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_filestat_get",
        move |mut c: Caller<'_, T>, fd: u32, flags: u32, path: u32, len: u32, out: u32| {
            call(&mut c, ctx, |cx, mem| {
                let follow = follows(flags)?;
                mem.check(out, layout::FILESTAT_SIZE)?;
                let stat = cx.path_filestat_get(fd, follow, mem.read_str(path, len)?)?;
                layout::write_filestat(mem, out, &stat)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_filestat_set_times",
        move |mut c: Caller<'_, T>,
              fd: u32,
              flags: u32,
              path: u32,
              len: u32,
              atim: u64,
              mtim: u64,
              fst: u32| {
            call(&mut c, ctx, |cx, mem| {
                let follow = follows(flags)?;
                let (atim, mtim) = layout::time_changes(atim, mtim, fst)?;
                cx.path_filestat_set_times(fd, follow, mem.read_str(path, len)?, atim, mtim)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_link",
        move |mut c: Caller<'_, T>,
              fd: u32,
              flags: u32,
              from: u32,
              from_len: u32,
              to_fd: u32,
              to: u32,
              to_len: u32| {
            call(&mut c, ctx, |cx, mem| {
                // Linking the target of a symlink would need resolving it by hand.
                if follows(flags)? {
                    return Err(Errno::Inval);
                }
                let from = mem.read_str(from, from_len)?;
                cx.path_link(fd, from, to_fd, mem.read_str(to, to_len)?)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_readlink",
        move |mut c: Caller<'_, T>,
              fd: u32,
              path: u32,
              len: u32,
              buf: u32,
              buf_len: u32,
              out: u32| {
            call(&mut c, ctx, |cx, mem| {
                mem.check(buf, buf_len)?;
                mem.check(out, 4)?;
                let target = cx.path_readlink(fd, mem.read_str(path, len)?)?;
                let n = target.len().min(buf_len as usize);
                mem.write_bytes(buf, &target[..n])?;
                mem.write_u32(out, n as u32)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_rename",
        move |mut c: Caller<'_, T>,
              fd: u32,
              from: u32,
              from_len: u32,
              to_fd: u32,
              to: u32,
              to_len: u32| {
            call(&mut c, ctx, |cx, mem| {
                let from = mem.read_str(from, from_len)?;
                cx.path_rename(fd, from, to_fd, mem.read_str(to, to_len)?)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "path_symlink",
        move |mut c: Caller<'_, T>,
              target: u32,
              target_len: u32,
              fd: u32,
              link: u32,
              link_len: u32| {
            call(&mut c, ctx, |cx, mem| {
                let target = mem.read_str(target, target_len)?;
                cx.path_symlink(target, fd, mem.read_str(link, link_len)?)
            })
        },
    )?;
    Ok(())
}
