//! Open regular files (and other non-directory files a guest opens): byte I/O, seeking and
//! attributes, each on the host descriptor cap-std opened inside a preopened directory.

use super::metadata::{self, TimeChange};
use crate::types::{Advice, Errno, FdFlags, Filestat, WasiResult, Whence};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::num::NonZeroU64;
use std::os::unix::fs::FileExt;

/// A file a guest opened.
pub struct OpenFile {
    file: File,
}

fn retry<T>(mut op: impl FnMut() -> io::Result<T>) -> WasiResult<T> {
    loop {
        match op() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other.map_err(Errno::from),
        }
    }
}

impl OpenFile {
    pub fn new(file: File) -> OpenFile {
        OpenFile { file }
    }

    pub fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize> {
        retry(|| self.file.read(buf))
    }

    pub fn write(&mut self, data: &[u8]) -> WasiResult<usize> {
        retry(|| self.file.write(data))
    }

    pub fn pread(&self, buf: &mut [u8], offset: u64) -> WasiResult<usize> {
        retry(|| self.file.read_at(buf, offset))
    }

    pub fn pwrite(&self, data: &[u8], offset: u64) -> WasiResult<usize> {
        retry(|| self.file.write_at(data, offset))
    }

    /// Whether the file is in append mode (opened so, or switched to it since).
    pub fn appends(&self) -> WasiResult<bool> {
        Ok(self.flags()?.contains(FdFlags::APPEND))
    }

    /// Writes `data` at the end of a file in append mode, leaving the position alone. The
    /// descriptor's `O_APPEND` makes Linux write at the end whatever the offset, atomically;
    /// elsewhere the offset is the end as it is now.
    pub fn append(&self, data: &[u8]) -> WasiResult<usize> {
        retry(|| {
            let end = self.file.metadata()?.len();
            self.file.write_at(data, end)
        })
    }

    /// Moves the position; a position before the start is `inval`.
    pub fn seek(&mut self, offset: i64, whence: Whence) -> WasiResult<u64> {
        let from = match whence {
            Whence::Set => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
            Whence::Cur => SeekFrom::Current(offset),
            Whence::End => SeekFrom::End(offset),
        };
        retry(|| self.file.seek(from))
    }

    pub fn tell(&mut self) -> WasiResult<u64> {
        retry(|| self.file.stream_position())
    }

    pub fn filestat(&self) -> WasiResult<Filestat> {
        metadata::fd_filestat(&self.file)
    }

    pub fn set_size(&self, size: u64) -> WasiResult<()> {
        retry(|| self.file.set_len(size))
    }

    pub fn set_times(&self, atim: TimeChange, mtim: TimeChange) -> WasiResult<()> {
        metadata::fd_set_times(&self.file, atim, mtim)
    }

    pub fn advise(&self, offset: u64, len: u64, advice: Advice) -> WasiResult<()> {
        use rustix::fs::Advice as A;
        let advice = match advice {
            Advice::Normal => A::Normal,
            Advice::Sequential => A::Sequential,
            Advice::Random => A::Random,
            Advice::WillNeed => A::WillNeed,
            Advice::DontNeed => A::DontNeed,
            Advice::NoReuse => A::NoReuse,
        };
        Ok(rustix::fs::fadvise(&self.file, offset, NonZeroU64::new(len), advice)?)
    }

    /// Makes the file at least `offset + len` bytes long.
    pub fn allocate(&self, offset: u64, len: u64) -> WasiResult<()> {
        let end = offset.checked_add(len).ok_or(Errno::Fbig)?;
        if end > i64::MAX as u64 {
            return Err(Errno::Fbig);
        }
        if end > retry(|| self.file.metadata())?.len() {
            self.set_size(end)?;
        }
        Ok(())
    }

    pub fn sync(&self) -> WasiResult<()> {
        retry(|| self.file.sync_all())
    }

    pub fn datasync(&self) -> WasiResult<()> {
        retry(|| self.file.sync_data())
    }

    pub fn flags(&self) -> WasiResult<FdFlags> {
        metadata::fd_flags(&self.file)
    }

    pub fn set_flags(&self, flags: FdFlags) -> WasiResult<()> {
        metadata::fd_set_flags(&self.file, flags)
    }
}
