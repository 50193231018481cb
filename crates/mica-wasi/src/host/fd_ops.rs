//! What the `fd_*` calls do on the host: typed operations on the descriptor table, knowing
//! nothing of guest memory.

use super::metadata::TimeChange;
use super::table::Descriptor;
use crate::WasiCtx;
use crate::types::{
    Advice, DirEntry, Errno, FdFlags, Fdstat, Filestat, Filetype, Rights, WasiResult, Whence,
};

/// What a standard stream reports as its attributes: its type, and nothing else.
fn stream_filestat(filetype: Filetype) -> Filestat {
    Filestat { dev: 0, ino: 0, filetype, nlink: 0, size: 0, atim: 0, mtim: 0, ctim: 0 }
}

impl WasiCtx {
    /// A stream cannot seek whatever its rights say: `spipe`, as `lseek` on a pipe or tty.
    fn refuse_stream_seek(&mut self, fd: u32) -> WasiResult<()> {
        match self.table.entry(fd)?.desc {
            Descriptor::Stream(_) => Err(Errno::Spipe),
            _ => Ok(()),
        }
    }

    pub(crate) fn fd_read(&mut self, fd: u32, buf: &mut [u8]) -> WasiResult<usize> {
        match &mut self.table.get(fd, Rights::FD_READ)?.desc {
            Descriptor::Stream(s) => s.read(buf),
            Descriptor::File(f) => f.read(buf),
            Descriptor::Dir(_) => Err(Errno::Isdir),
        }
    }

    pub(crate) fn fd_write(&mut self, fd: u32, data: &[u8]) -> WasiResult<usize> {
        match &mut self.table.get(fd, Rights::FD_WRITE)?.desc {
            Descriptor::Stream(s) => s.write(data),
            Descriptor::File(f) => f.write(data),
            Descriptor::Dir(_) => Err(Errno::Isdir),
        }
    }

    pub(crate) fn fd_pread(&mut self, fd: u32, buf: &mut [u8], offset: u64) -> WasiResult<usize> {
        self.refuse_stream_seek(fd)?;
        match &mut self.table.get(fd, Rights(Rights::FD_READ.0 | Rights::FD_SEEK.0))?.desc {
            Descriptor::File(f) => f.pread(buf, offset),
            Descriptor::Stream(_) => Err(Errno::Spipe),
            Descriptor::Dir(_) => Err(Errno::Isdir),
        }
    }

    /// On a file in append mode the data goes to the end whatever `offset` says, as `pwrite`
    /// does on Linux and wasmtime does everywhere; since it does not position, it needs no
    /// right to seek then.
    pub(crate) fn fd_pwrite(&mut self, fd: u32, data: &[u8], offset: u64) -> WasiResult<usize> {
        self.refuse_stream_seek(fd)?;
        let entry = self.table.get(fd, Rights::FD_WRITE)?;
        let may_seek = entry.base.contains(Rights::FD_SEEK);
        match &mut entry.desc {
            Descriptor::File(f) if f.appends()? => f.append(data),
            Descriptor::File(_) | Descriptor::Dir(_) if !may_seek => Err(Errno::Notcapable),
            Descriptor::File(f) => f.pwrite(data, offset),
            Descriptor::Stream(_) => Err(Errno::Spipe),
            Descriptor::Dir(_) => Err(Errno::Isdir),
        }
    }

    pub(crate) fn fd_seek(&mut self, fd: u32, offset: i64, whence: Whence) -> WasiResult<u64> {
        self.refuse_stream_seek(fd)?;
        // Asking for the current position needs only the right to tell.
        let needed =
            if whence == Whence::Cur && offset == 0 { Rights::FD_TELL } else { Rights::FD_SEEK };
        match &mut self.table.get(fd, needed)?.desc {
            Descriptor::File(f) => f.seek(offset, whence),
            Descriptor::Stream(_) => Err(Errno::Spipe),
            Descriptor::Dir(_) => Err(Errno::Badf),
        }
    }

    pub(crate) fn fd_tell(&mut self, fd: u32) -> WasiResult<u64> {
        self.refuse_stream_seek(fd)?;
        match &mut self.table.get(fd, Rights::FD_TELL)?.desc {
            Descriptor::File(f) => f.tell(),
            Descriptor::Stream(_) => Err(Errno::Spipe),
            Descriptor::Dir(_) => Err(Errno::Badf),
        }
    }

    pub(crate) fn fd_fdstat_get(&mut self, fd: u32) -> WasiResult<Fdstat> {
        let entry = self.table.entry(fd)?;
        let (filetype, flags) = match &entry.desc {
            Descriptor::Stream(s) => (s.filetype(), FdFlags::default()),
            Descriptor::File(f) => (f.filestat()?.filetype, f.flags()?),
            Descriptor::Dir(d) => (Filetype::Directory, d.flags()?),
        };
        Ok(Fdstat { filetype, flags, rights_base: entry.base, rights_inheriting: entry.inheriting })
    }

    pub(crate) fn fd_fdstat_set_flags(&mut self, fd: u32, flags: FdFlags) -> WasiResult<()> {
        match &self.table.get(fd, Rights::FD_FDSTAT_SET_FLAGS)?.desc {
            Descriptor::File(f) => f.set_flags(flags),
            Descriptor::Dir(d) => d.set_flags(flags),
            // A stream has no flags to change; appending is what it does anyway.
            Descriptor::Stream(_) if flags.0 & !FdFlags::APPEND.0 == 0 => Ok(()),
            Descriptor::Stream(_) => Err(Errno::Notsup),
        }
    }

    /// Drops rights; a descriptor can never gain any.
    pub(crate) fn fd_fdstat_set_rights(
        &mut self,
        fd: u32,
        base: Rights,
        inheriting: Rights,
    ) -> WasiResult<()> {
        let entry = self.table.entry(fd)?;
        if !entry.base.contains(base) || !entry.inheriting.contains(inheriting) {
            return Err(Errno::Notcapable);
        }
        entry.base = base;
        entry.inheriting = inheriting;
        Ok(())
    }

    pub(crate) fn fd_filestat_get(&mut self, fd: u32) -> WasiResult<Filestat> {
        match &self.table.get(fd, Rights::FD_FILESTAT_GET)?.desc {
            Descriptor::File(f) => f.filestat(),
            Descriptor::Dir(d) => d.filestat(),
            Descriptor::Stream(s) => Ok(stream_filestat(s.filetype())),
        }
    }

    pub(crate) fn fd_filestat_set_size(&mut self, fd: u32, size: u64) -> WasiResult<()> {
        if size > i64::MAX as u64 {
            return Err(Errno::Fbig);
        }
        self.table.file(fd, Rights::FD_FILESTAT_SET_SIZE)?.set_size(size)
    }

    pub(crate) fn fd_filestat_set_times(
        &mut self,
        fd: u32,
        atim: TimeChange,
        mtim: TimeChange,
    ) -> WasiResult<()> {
        match &self.table.get(fd, Rights::FD_FILESTAT_SET_TIMES)?.desc {
            Descriptor::File(f) => f.set_times(atim, mtim),
            Descriptor::Dir(d) => d.set_times(atim, mtim),
            Descriptor::Stream(_) => Err(Errno::Badf),
        }
    }

    pub(crate) fn fd_advise(
        &mut self,
        fd: u32,
        offset: u64,
        len: u64,
        advice: Advice,
    ) -> WasiResult<()> {
        self.table.file(fd, Rights::FD_ADVISE)?.advise(offset, len, advice)
    }

    pub(crate) fn fd_allocate(&mut self, fd: u32, offset: u64, len: u64) -> WasiResult<()> {
        self.table.file(fd, Rights::FD_ALLOCATE)?.allocate(offset, len)
    }

    pub(crate) fn fd_sync(&mut self, fd: u32) -> WasiResult<()> {
        match &self.table.get(fd, Rights::FD_SYNC)?.desc {
            Descriptor::File(f) => f.sync(),
            Descriptor::Dir(d) => d.sync(),
            Descriptor::Stream(_) => Ok(()),
        }
    }

    pub(crate) fn fd_datasync(&mut self, fd: u32) -> WasiResult<()> {
        match &self.table.get(fd, Rights::FD_DATASYNC)?.desc {
            Descriptor::File(f) => f.datasync(),
            Descriptor::Dir(d) => d.sync(),
            Descriptor::Stream(_) => Ok(()),
        }
    }

    pub(crate) fn fd_close(&mut self, fd: u32) -> WasiResult<()> {
        self.table.remove(fd).map(drop)
    }

    pub(crate) fn fd_renumber(&mut self, from: u32, to: u32) -> WasiResult<()> {
        self.table.renumber(from, to)
    }

    /// The guest name of a preopened directory; `badf` for any other descriptor.
    pub(crate) fn fd_prestat(&mut self, fd: u32) -> WasiResult<&str> {
        match &self.table.entry(fd)?.desc {
            Descriptor::Dir(d) => d.preopen_name().ok_or(Errno::Badf),
            _ => Err(Errno::Badf),
        }
    }

    pub(crate) fn fd_readdir(&mut self, fd: u32, cookie: u64) -> WasiResult<&[DirEntry]> {
        self.table.dir(fd, Rights::FD_READDIR)?.read_dir(cookie)
    }
}
