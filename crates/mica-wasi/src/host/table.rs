//! The descriptor table: what each guest file descriptor stands for, and the rights it
//! carries. Every operation looks its descriptor up here with the rights it needs, so a
//! missing descriptor is `badf` and a missing right is `notcapable` in one place.

use super::dir::OpenDir;
use super::file::OpenFile;
use super::stream::Stream;
use crate::types::{Errno, Rights, WasiResult};
use std::collections::BTreeMap;

/// What a descriptor refers to.
pub enum Descriptor {
    Stream(Stream),
    File(OpenFile),
    Dir(OpenDir),
}

/// A descriptor and its rights: `base` for operations on it, `inheriting` for descriptors
/// opened through it.
pub struct Entry {
    pub desc: Descriptor,
    pub base: Rights,
    pub inheriting: Rights,
}

/// Guest descriptor numbers to entries.
#[derive(Default)]
pub struct FdTable {
    entries: BTreeMap<u32, Entry>,
}

impl FdTable {
    /// Places `entry` at `fd` (replacing what was there), as the context's builder does.
    pub fn insert_at(&mut self, fd: u32, entry: Entry) {
        self.entries.insert(fd, entry);
    }

    /// Places `entry` at the lowest free descriptor number.
    pub fn insert(&mut self, entry: Entry) -> WasiResult<u32> {
        let mut fd = 0u32;
        for &used in self.entries.keys() {
            if used != fd {
                break;
            }
            fd = fd.checked_add(1).ok_or(Errno::Mfile)?;
        }
        self.entries.insert(fd, entry);
        Ok(fd)
    }

    /// The entry at `fd`, which must carry `needed`.
    pub fn get(&mut self, fd: u32, needed: Rights) -> WasiResult<&mut Entry> {
        let entry = self.entries.get_mut(&fd).ok_or(Errno::Badf)?;
        if !entry.base.contains(needed) {
            return Err(Errno::Notcapable);
        }
        Ok(entry)
    }

    /// The entry at `fd` without a rights check (for inspecting or closing it).
    pub fn entry(&mut self, fd: u32) -> WasiResult<&mut Entry> {
        self.entries.get_mut(&fd).ok_or(Errno::Badf)
    }

    /// The open file at `fd`; `badf` if it is not a file (directories are `isdir`).
    pub fn file(&mut self, fd: u32, needed: Rights) -> WasiResult<&mut OpenFile> {
        match &mut self.get(fd, needed)?.desc {
            Descriptor::File(f) => Ok(f),
            Descriptor::Dir(_) => Err(Errno::Isdir),
            Descriptor::Stream(_) => Err(Errno::Badf),
        }
    }

    /// The directory at `fd`; `notdir` if it is something else.
    pub fn dir(&mut self, fd: u32, needed: Rights) -> WasiResult<&mut OpenDir> {
        match &mut self.get(fd, needed)?.desc {
            Descriptor::Dir(d) => Ok(d),
            _ => Err(Errno::Notdir),
        }
    }

    /// The directory at `fd` with the entry's base and inheriting rights (for opening
    /// through it).
    pub fn dir_entry(
        &mut self,
        fd: u32,
        needed: Rights,
    ) -> WasiResult<(&mut OpenDir, Rights, Rights)> {
        let entry = self.get(fd, needed)?;
        let (base, inheriting) = (entry.base, entry.inheriting);
        match &mut entry.desc {
            Descriptor::Dir(d) => Ok((d, base, inheriting)),
            _ => Err(Errno::Notdir),
        }
    }

    pub fn remove(&mut self, fd: u32) -> WasiResult<Entry> {
        self.entries.remove(&fd).ok_or(Errno::Badf)
    }

    /// Moves the descriptor at `from` to `to`, closing what `to` held. Both must be open.
    pub fn renumber(&mut self, from: u32, to: u32) -> WasiResult<()> {
        if !self.entries.contains_key(&from) || !self.entries.contains_key(&to) {
            return Err(Errno::Badf);
        }
        if from != to {
            let entry = self.remove(from)?;
            self.entries.insert(to, entry);
        }
        Ok(())
    }

    pub fn contains(&self, fd: u32) -> bool {
        self.entries.contains_key(&fd)
    }
}
