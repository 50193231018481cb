//! The memory layouts of preview1's structures (as wasi-libc's `wasi/api.h` asserts them),
//! and the decoding of argument groups several calls share.

use super::memory::GuestMemory;
use crate::host::metadata::TimeChange;
use crate::types::{DirEntry, Errno, Fdstat, Filestat, FstFlags, WasiResult};

pub const FILESTAT_SIZE: u32 = 64;
pub const FDSTAT_SIZE: u32 = 24;
pub const DIRENT_HEADER_SIZE: usize = 24;

pub fn write_filestat(mem: &mut GuestMemory<'_>, ptr: u32, stat: &Filestat) -> WasiResult<()> {
    let mut bytes = [0u8; FILESTAT_SIZE as usize];
    bytes[0..8].copy_from_slice(&stat.dev.to_le_bytes());
    bytes[8..16].copy_from_slice(&stat.ino.to_le_bytes());
    bytes[16] = stat.filetype as u8;
    bytes[24..32].copy_from_slice(&stat.nlink.to_le_bytes());
    bytes[32..40].copy_from_slice(&stat.size.to_le_bytes());
    bytes[40..48].copy_from_slice(&stat.atim.to_le_bytes());
    bytes[48..56].copy_from_slice(&stat.mtim.to_le_bytes());
    bytes[56..64].copy_from_slice(&stat.ctim.to_le_bytes());
    mem.write_bytes(ptr, &bytes)
}

pub fn write_fdstat(mem: &mut GuestMemory<'_>, ptr: u32, stat: &Fdstat) -> WasiResult<()> {
    let mut bytes = [0u8; FDSTAT_SIZE as usize];
    bytes[0] = stat.filetype as u8;
    bytes[2..4].copy_from_slice(&stat.flags.0.to_le_bytes());
    bytes[8..16].copy_from_slice(&stat.rights_base.0.to_le_bytes());
    bytes[16..24].copy_from_slice(&stat.rights_inheriting.0.to_le_bytes());
    mem.write_bytes(ptr, &bytes)
}

/// A `dirent` header followed by the entry's name.
pub fn encode_dirent(entry: &DirEntry, out: &mut Vec<u8>) {
    out.extend_from_slice(&entry.next.to_le_bytes());
    out.extend_from_slice(&entry.ino.to_le_bytes());
    out.extend_from_slice(&(entry.name.len() as u32).to_le_bytes());
    out.extend_from_slice(&[entry.filetype as u8, 0, 0, 0]);
    out.extend_from_slice(&entry.name);
}

/// The two timestamp changes a `*_set_times` call asks for. Setting a time both to a value
/// and to "now" is `inval`.
pub fn time_changes(atim: u64, mtim: u64, flags: u32) -> WasiResult<(TimeChange, TimeChange)> {
    let flags = FstFlags::from_guest(flags)?;
    let pick =
        |value: u64, set: FstFlags, now: FstFlags| match (flags.contains(set), flags.contains(now))
        {
            (true, true) => Err(Errno::Inval),
            (true, false) => Ok(TimeChange::At(value)),
            (false, true) => Ok(TimeChange::Now),
            (false, false) => Ok(TimeChange::Keep),
        };
    Ok((
        pick(atim, FstFlags::ATIM, FstFlags::ATIM_NOW)?,
        pick(mtim, FstFlags::MTIM, FstFlags::MTIM_NOW)?,
    ))
}
