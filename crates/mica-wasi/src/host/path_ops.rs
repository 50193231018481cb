//! What the `path_*` calls do on the host: rights checks, then the sandboxed directory
//! operation of [`OpenDir`](super::dir::OpenDir).

use super::dir::{OpenDir, OpenRequest, Opened};
use super::file::OpenFile;
use super::metadata::TimeChange;
use super::table::{Descriptor, Entry};
use crate::WasiCtx;
use crate::types::{Errno, FdFlags, Filestat, OFlags, Rights, WasiResult};

/// What `path_open` asks for, decoded.
#[derive(Debug, Copy, Clone)]
pub struct OpenArgs {
    pub follow: bool,
    pub oflags: OFlags,
    pub base: Rights,
    pub inheriting: Rights,
    pub fdflags: FdFlags,
}

impl WasiCtx {
    /// The new descriptor gets the rights asked for that the directory can pass on: asking
    /// for more is not an error (guests ask for every right they might use, and take what
    /// they get), as in wasmtime.
    pub(crate) fn path_open(&mut self, fd: u32, path: &str, args: OpenArgs) -> WasiResult<u32> {
        let mut needed = Rights::PATH_OPEN;
        if args.oflags.contains(OFlags::CREAT) {
            needed = needed.union(Rights::PATH_CREATE_FILE);
        }
        let (dir, dir_base, inheritable) = self.table.dir_entry(fd, needed)?;
        // Truncating needs the right to change sizes: on paths beneath the directory, or
        // among the rights it passes on (a preopen, like wasmtime's, has only the latter).
        let may_truncate = dir_base.contains(Rights::PATH_FILESTAT_SET_SIZE)
            || inheritable.contains(Rights::FD_FILESTAT_SET_SIZE);
        if args.oflags.contains(OFlags::TRUNC) && !may_truncate {
            return Err(Errno::Notcapable);
        }
        let args = OpenArgs {
            base: args.base.intersection(inheritable),
            inheriting: args.inheriting.intersection(inheritable),
            ..args
        };
        let write_rights = Rights(
            Rights::FD_WRITE.0
                | Rights::FD_DATASYNC.0
                | Rights::FD_ALLOCATE.0
                | Rights::FD_FILESTAT_SET_SIZE.0,
        );
        let request = OpenRequest {
            follow: args.follow,
            oflags: args.oflags,
            fdflags: args.fdflags,
            read: args.base.intersects(Rights(Rights::FD_READ.0 | Rights::FD_READDIR.0)),
            write: args.base.intersects(write_rights) || args.fdflags.contains(FdFlags::APPEND),
        };
        let desc = match dir.open(path, request)? {
            Opened::File(file) => Descriptor::File(OpenFile::new(file)),
            Opened::Dir(dir) => Descriptor::Dir(OpenDir::new(dir, None)),
        };
        self.table.insert(Entry { desc, base: args.base, inheriting: args.inheriting })
    }

    pub(crate) fn path_create_directory(&mut self, fd: u32, path: &str) -> WasiResult<()> {
        self.table.dir(fd, Rights::PATH_CREATE_DIRECTORY)?.create_dir(path)
    }

    pub(crate) fn path_remove_directory(&mut self, fd: u32, path: &str) -> WasiResult<()> {
        self.table.dir(fd, Rights::PATH_REMOVE_DIRECTORY)?.remove_dir(path)
    }

    pub(crate) fn path_unlink_file(&mut self, fd: u32, path: &str) -> WasiResult<()> {
        self.table.dir(fd, Rights::PATH_UNLINK_FILE)?.unlink_file(path)
    }

    pub(crate) fn path_filestat_get(
        &mut self,
        fd: u32,
        follow: bool,
        path: &str,
    ) -> WasiResult<Filestat> {
        self.table.dir(fd, Rights::PATH_FILESTAT_GET)?.path_filestat(path, follow)
    }

    pub(crate) fn path_filestat_set_times(
        &mut self,
        fd: u32,
        follow: bool,
        path: &str,
        atim: TimeChange,
        mtim: TimeChange,
    ) -> WasiResult<()> {
        self.table
            .dir(fd, Rights::PATH_FILESTAT_SET_TIMES)?
            .path_set_times(path, follow, atim, mtim)
    }

    pub(crate) fn path_rename(
        &mut self,
        fd: u32,
        from: &str,
        to_fd: u32,
        to: &str,
    ) -> WasiResult<()> {
        let target = self.table.dir(to_fd, Rights::PATH_RENAME_TARGET)?.handle()?;
        self.table.dir(fd, Rights::PATH_RENAME_SOURCE)?.rename(from, &target, to)
    }

    pub(crate) fn path_link(
        &mut self,
        fd: u32,
        from: &str,
        to_fd: u32,
        to: &str,
    ) -> WasiResult<()> {
        let target = self.table.dir(to_fd, Rights::PATH_LINK_TARGET)?.handle()?;
        self.table.dir(fd, Rights::PATH_LINK_SOURCE)?.hard_link(from, &target, to)
    }

    pub(crate) fn path_symlink(&mut self, target: &str, fd: u32, link: &str) -> WasiResult<()> {
        self.table.dir(fd, Rights::PATH_SYMLINK)?.symlink(target, link)
    }

    pub(crate) fn path_readlink(&mut self, fd: u32, path: &str) -> WasiResult<Vec<u8>> {
        self.table.dir(fd, Rights::PATH_READLINK)?.read_link(path)
    }
}
