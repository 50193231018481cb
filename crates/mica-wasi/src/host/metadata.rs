//! File attributes and timestamps: host metadata as a WASI `filestat`, and the operations
//! every kind of open descriptor shares (times, flags, syncing) on its host descriptor.

use crate::types::{Errno, FdFlags, Filestat, Filetype, WasiResult};
use cap_fs_ext::{OsMetadataExt, SystemTimeSpec};
use cap_std::fs::{FileType, FileTypeExt, Metadata};
use rustix::fs::{OFlags, Timestamps, UTIME_NOW, UTIME_OMIT};
use rustix::time::Timespec;
use std::os::fd::AsFd;

/// How a `*_set_times` call changes one timestamp.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum TimeChange {
    Keep,
    Now,
    /// Nanoseconds since the Unix epoch.
    At(u64),
}

impl TimeChange {
    fn timespec(self) -> Timespec {
        match self {
            TimeChange::Keep => Timespec { tv_sec: 0, tv_nsec: UTIME_OMIT },
            TimeChange::Now => Timespec { tv_sec: 0, tv_nsec: UTIME_NOW },
            TimeChange::At(ns) => {
                Timespec { tv_sec: (ns / 1_000_000_000) as i64, tv_nsec: (ns % 1_000_000_000) as _ }
            }
        }
    }

    /// As cap-std's path-based `set_times` takes it (`None` keeps the timestamp).
    pub fn spec(self) -> Option<SystemTimeSpec> {
        match self {
            TimeChange::Keep => None,
            TimeChange::Now => Some(SystemTimeSpec::SymbolicNow),
            TimeChange::At(ns) => {
                let time = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(ns);
                Some(SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(time)))
            }
        }
    }
}

pub fn filetype_of(ty: FileType) -> Filetype {
    if ty.is_dir() {
        Filetype::Directory
    } else if ty.is_file() {
        Filetype::RegularFile
    } else if ty.is_symlink() {
        Filetype::SymbolicLink
    } else if ty.is_char_device() {
        Filetype::CharacterDevice
    } else if ty.is_block_device() {
        Filetype::BlockDevice
    } else if ty.is_socket() {
        Filetype::SocketStream
    } else {
        Filetype::Unknown
    }
}

/// A timestamp as nanoseconds since the epoch; times before it, or past 2554, read as 0.
fn nanos(secs: i64, nsec: i64) -> u64 {
    u64::try_from(secs)
        .ok()
        .and_then(|s| s.checked_mul(1_000_000_000))
        .and_then(|s| s.checked_add(nsec as u64))
        .unwrap_or(0)
}

pub fn filestat_of(meta: &Metadata) -> Filestat {
    Filestat {
        dev: meta.dev(),
        ino: meta.ino(),
        filetype: filetype_of(meta.file_type()),
        nlink: meta.nlink(),
        size: meta.len(),
        atim: nanos(meta.atime(), meta.atime_nsec()),
        mtim: nanos(meta.mtime(), meta.mtime_nsec()),
        ctim: nanos(meta.ctime(), meta.ctime_nsec()),
    }
}

/// The attributes of an open host descriptor.
pub fn fd_filestat(fd: impl AsFd) -> WasiResult<Filestat> {
    let stat = rustix::fs::fstat(fd)?;
    let mode = rustix::fs::FileType::from_raw_mode(stat.st_mode);
    let filetype = match mode {
        rustix::fs::FileType::RegularFile => Filetype::RegularFile,
        rustix::fs::FileType::Directory => Filetype::Directory,
        rustix::fs::FileType::Symlink => Filetype::SymbolicLink,
        rustix::fs::FileType::CharacterDevice => Filetype::CharacterDevice,
        rustix::fs::FileType::BlockDevice => Filetype::BlockDevice,
        rustix::fs::FileType::Socket => Filetype::SocketStream,
        _ => Filetype::Unknown,
    };
    Ok(Filestat {
        dev: stat.st_dev,
        ino: stat.st_ino,
        filetype,
        nlink: stat.st_nlink,
        size: stat.st_size as u64,
        atim: nanos(stat.st_atime, stat.st_atime_nsec as i64),
        mtim: nanos(stat.st_mtime, stat.st_mtime_nsec as i64),
        ctim: nanos(stat.st_ctime, stat.st_ctime_nsec as i64),
    })
}

pub fn fd_set_times(fd: impl AsFd, atim: TimeChange, mtim: TimeChange) -> WasiResult<()> {
    let times = Timestamps { last_access: atim.timespec(), last_modification: mtim.timespec() };
    Ok(rustix::fs::futimens(fd, &times)?)
}

/// The descriptor's WASI flags, read back from the host descriptor.
pub fn fd_flags(fd: impl AsFd) -> WasiResult<FdFlags> {
    let host = rustix::fs::fcntl_getfl(fd)?;
    let mut flags = 0;
    if host.contains(OFlags::APPEND) {
        flags |= FdFlags::APPEND.0;
    }
    if host.contains(OFlags::NONBLOCK) {
        flags |= FdFlags::NONBLOCK.0;
    }
    if host.contains(OFlags::SYNC) {
        flags |= FdFlags::SYNC.0 | FdFlags::RSYNC.0;
    }
    if host.contains(OFlags::DSYNC) {
        flags |= FdFlags::DSYNC.0;
    }
    Ok(FdFlags(flags))
}

/// Changes `append` and `nonblock`; the sync flags can only be chosen when opening.
pub fn fd_set_flags(fd: impl AsFd, flags: FdFlags) -> WasiResult<()> {
    if flags.intersects(FdFlags(FdFlags::DSYNC.0 | FdFlags::RSYNC.0 | FdFlags::SYNC.0)) {
        return Err(Errno::Notsup);
    }
    let fd = fd.as_fd();
    let mut host = rustix::fs::fcntl_getfl(fd)?;
    host.set(OFlags::APPEND, flags.contains(FdFlags::APPEND));
    host.set(OFlags::NONBLOCK, flags.contains(FdFlags::NONBLOCK));
    Ok(rustix::fs::fcntl_setfl(fd, host)?)
}

/// The open flags `path_open`'s fdflags ask for.
pub fn open_flags(flags: FdFlags) -> OFlags {
    let mut host = OFlags::empty();
    if flags.contains(FdFlags::DSYNC) {
        host |= OFlags::DSYNC;
    }
    if flags.intersects(FdFlags(FdFlags::SYNC.0 | FdFlags::RSYNC.0)) {
        host |= OFlags::SYNC;
    }
    if flags.contains(FdFlags::NONBLOCK) {
        host |= OFlags::NONBLOCK;
    }
    host
}
