//! Open directories: the sandbox. Every path a guest names is resolved by cap-std relative to
//! a directory descriptor, with `openat`-style calls (`openat2` with `RESOLVE_BENEATH` where
//! the kernel has it). `..` past the directory, absolute paths, and symlinks whose target
//! leaves the directory fail inside cap-std; no path string is inspected here.

use super::metadata::{self, TimeChange, filestat_of, filetype_of};
use crate::types::{DirEntry, Errno, FdFlags, Filestat, Filetype, OFlags, WasiResult};
use cap_fs_ext::{
    DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt, OsMetadataExt,
};
use cap_std::fs::{Dir, OpenOptions, OpenOptionsExt};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::DirEntryExt;

/// A directory a guest holds: preopened by the embedder, or opened through one.
pub struct OpenDir {
    dir: Dir,
    /// The name the guest knows a preopened directory by (`fd_prestat_dir_name`).
    preopen: Option<String>,
    /// The listing `fd_readdir` pages through; taken afresh when a guest starts at cookie 0,
    /// so cookies stay stable while it reads.
    listing: Option<Vec<DirEntry>>,
}

/// What `path_open` found.
pub enum Opened {
    File(std::fs::File),
    Dir(Dir),
}

/// How `path_open` opens: the decoded guest flags and the access its rights imply.
#[derive(Debug, Copy, Clone)]
pub struct OpenRequest {
    pub follow: bool,
    pub oflags: OFlags,
    pub fdflags: FdFlags,
    pub read: bool,
    pub write: bool,
}

fn follow(yes: bool) -> FollowSymlinks {
    if yes { FollowSymlinks::Yes } else { FollowSymlinks::No }
}

impl OpenDir {
    pub fn new(dir: Dir, preopen: Option<String>) -> OpenDir {
        OpenDir { dir, preopen, listing: None }
    }

    pub fn preopen_name(&self) -> Option<&str> {
        self.preopen.as_deref()
    }

    /// A second handle on the same directory (for calls that name two directories).
    pub fn handle(&self) -> WasiResult<Dir> {
        Ok(self.dir.try_clone()?)
    }

    pub fn open(&self, path: &str, req: OpenRequest) -> WasiResult<Opened> {
        if req.oflags.contains(OFlags::DIRECTORY) {
            if req.oflags.intersects(OFlags(OFlags::CREAT.0 | OFlags::EXCL.0 | OFlags::TRUNC.0)) {
                return Err(Errno::Inval);
            }
            let dir = if req.follow {
                self.dir.open_dir(path)?
            } else {
                self.dir.open_dir_nofollow(path)?
            };
            return Ok(Opened::Dir(dir));
        }
        let mut options = OpenOptions::new();
        options.maybe_dir(true).follow(follow(req.follow));
        if req.oflags.contains(OFlags::CREAT) {
            if req.oflags.contains(OFlags::EXCL) {
                options.create_new(true);
            } else {
                options.create(true);
            }
        }
        // The host needs a writable descriptor to create or truncate; the guest's rights
        // still decide whether it may write through it.
        let write = req.write || req.oflags.intersects(OFlags(OFlags::CREAT.0 | OFlags::TRUNC.0));
        options.truncate(req.oflags.contains(OFlags::TRUNC));
        options.read(req.read || !write).write(write);
        if req.fdflags.contains(FdFlags::APPEND) {
            options.append(true);
        }
        options.custom_flags(metadata::open_flags(req.fdflags).bits() as i32);
        let file = self.dir.open_with(path, &options)?;
        if file.metadata()?.is_dir() {
            return Ok(Opened::Dir(Dir::from_std_file(file.into_std())));
        }
        Ok(Opened::File(file.into_std()))
    }

    pub fn create_dir(&self, path: &str) -> WasiResult<()> {
        Ok(self.dir.create_dir(path)?)
    }

    pub fn remove_dir(&self, path: &str) -> WasiResult<()> {
        Ok(self.dir.remove_dir(path)?)
    }

    pub fn unlink_file(&self, path: &str) -> WasiResult<()> {
        Ok(self.dir.remove_file(path)?)
    }

    pub fn rename(&self, from: &str, to_dir: &Dir, to: &str) -> WasiResult<()> {
        Ok(self.dir.rename(from, to_dir, to)?)
    }

    pub fn hard_link(&self, from: &str, to_dir: &Dir, to: &str) -> WasiResult<()> {
        Ok(self.dir.hard_link(from, to_dir, to)?)
    }

    /// Creates the symlink `link` with the text `target`. Absolute targets are refused; a
    /// relative one may say anything, since following it is confined like every path.
    pub fn symlink(&self, target: &str, link: &str) -> WasiResult<()> {
        Ok(DirExt::symlink(&self.dir, target, link)?)
    }

    /// The text of the symlink at `path`.
    pub fn read_link(&self, path: &str) -> WasiResult<Vec<u8>> {
        Ok(self.dir.read_link_contents(path)?.into_os_string().into_encoded_bytes())
    }

    pub fn path_filestat(&self, path: &str, follow: bool) -> WasiResult<Filestat> {
        let meta =
            if follow { self.dir.metadata(path)? } else { self.dir.symlink_metadata(path)? };
        Ok(filestat_of(&meta))
    }

    pub fn path_set_times(
        &self,
        path: &str,
        follow: bool,
        atim: TimeChange,
        mtim: TimeChange,
    ) -> WasiResult<()> {
        if follow {
            Ok(self.dir.set_times(path, atim.spec(), mtim.spec())?)
        } else {
            Ok(self.dir.set_symlink_times(path, atim.spec(), mtim.spec())?)
        }
    }

    pub fn filestat(&self) -> WasiResult<Filestat> {
        metadata::fd_filestat(&self.dir)
    }

    /// A readable descriptor on the directory itself. cap-std may hold directories as
    /// `O_PATH` descriptors, on which `fsync` and `futimens` fail.
    fn reopen(&self) -> WasiResult<cap_std::fs::File> {
        let mut options = OpenOptions::new();
        options.read(true).maybe_dir(true);
        Ok(self.dir.open_with(".", &options)?)
    }

    pub fn set_times(&self, atim: TimeChange, mtim: TimeChange) -> WasiResult<()> {
        metadata::fd_set_times(self.reopen()?, atim, mtim)
    }

    pub fn sync(&self) -> WasiResult<()> {
        Ok(rustix::fs::fsync(self.reopen()?)?)
    }

    pub fn flags(&self) -> WasiResult<FdFlags> {
        metadata::fd_flags(&self.dir)
    }

    pub fn set_flags(&self, flags: FdFlags) -> WasiResult<()> {
        metadata::fd_set_flags(&self.dir, flags)
    }

    /// The entries from `cookie` on: `.` and `..` first, then the host's order.
    pub fn read_dir(&mut self, cookie: u64) -> WasiResult<&[DirEntry]> {
        if cookie == 0 || self.listing.is_none() {
            self.listing = Some(self.list()?);
        }
        let listing = self.listing.as_deref().unwrap_or_default();
        let start = usize::try_from(cookie).unwrap_or(usize::MAX).min(listing.len());
        Ok(&listing[start..])
    }

    fn list(&self) -> WasiResult<Vec<DirEntry>> {
        let ino = self.dir.dir_metadata()?.ino();
        let mut entries = Vec::new();
        for name in [".", ".."] {
            entries.push(DirEntry {
                next: 0,
                ino,
                filetype: Filetype::Directory,
                name: name.as_bytes().to_vec(),
            });
        }
        for entry in self.dir.entries()? {
            let entry = entry?;
            let filetype = entry.file_type().map(filetype_of).unwrap_or(Filetype::Unknown);
            entries.push(DirEntry {
                next: 0,
                ino: entry.ino(),
                filetype,
                name: entry.file_name().as_bytes().to_vec(),
            });
        }
        for (i, entry) in entries.iter_mut().enumerate() {
            entry.next = i as u64 + 1;
        }
        Ok(entries)
    }
}
