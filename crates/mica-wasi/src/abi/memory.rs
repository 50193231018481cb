//! Guest memory as WASI functions see it: little-endian integers, byte ranges, strings and
//! (c)iovec lists at guest addresses, every access bounds-checked. An address outside the
//! memory is the error `fault`, never a trap or a panic.

use crate::types::{Errno, WasiResult};

/// The calling instance's linear memory (empty when the instance exports none).
pub struct GuestMemory<'a> {
    bytes: &'a mut [u8],
}

/// One iovec or ciovec: a guest buffer's address and length, already bounds-checked.
#[derive(Debug, Copy, Clone)]
pub struct IoVec {
    pub start: usize,
    pub len: usize,
}

/// The most bytes one read or write moves through a host buffer. A guest may name the same
/// region in many iovecs; the total is capped so that cannot make the host allocate more
/// than this, and the call reports a short count, as POSIX allows.
pub const MAX_TRANSFER: usize = 16 << 20;

impl<'a> GuestMemory<'a> {
    pub fn new(bytes: &'a mut [u8]) -> GuestMemory<'a> {
        GuestMemory { bytes }
    }

    fn range(&self, ptr: u32, len: u32) -> WasiResult<std::ops::Range<usize>> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::Fault)?;
        if end > self.bytes.len() {
            return Err(Errno::Fault);
        }
        Ok(start..end)
    }

    /// Checks that `len` bytes at `ptr` are in memory: calls check their result pointers
    /// before acting, so a bad pointer is `fault` with nothing done.
    pub fn check(&self, ptr: u32, len: u32) -> WasiResult<()> {
        self.range(ptr, len).map(drop)
    }

    /// The `len` bytes at `ptr`.
    pub fn slice(&self, ptr: u32, len: u32) -> WasiResult<&[u8]> {
        let range = self.range(ptr, len)?;
        Ok(&self.bytes[range])
    }

    /// The `len` bytes at `ptr`, writable.
    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> WasiResult<&mut [u8]> {
        let range = self.range(ptr, len)?;
        Ok(&mut self.bytes[range])
    }

    /// Copies `bytes` to `ptr`.
    pub fn write_bytes(&mut self, ptr: u32, bytes: &[u8]) -> WasiResult<()> {
        let len = u32::try_from(bytes.len()).map_err(|_| Errno::Fault)?;
        self.slice_mut(ptr, len)?.copy_from_slice(bytes);
        Ok(())
    }

    fn read_array<const N: usize>(&self, ptr: u32) -> WasiResult<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.slice(ptr, N as u32)?);
        Ok(out)
    }

    pub fn read_u8(&self, ptr: u32) -> WasiResult<u8> {
        Ok(self.read_array::<1>(ptr)?[0])
    }

    pub fn read_u16(&self, ptr: u32) -> WasiResult<u16> {
        Ok(u16::from_le_bytes(self.read_array(ptr)?))
    }

    pub fn read_u32(&self, ptr: u32) -> WasiResult<u32> {
        Ok(u32::from_le_bytes(self.read_array(ptr)?))
    }

    pub fn read_u64(&self, ptr: u32) -> WasiResult<u64> {
        Ok(u64::from_le_bytes(self.read_array(ptr)?))
    }

    pub fn write_u8(&mut self, ptr: u32, value: u8) -> WasiResult<()> {
        self.write_bytes(ptr, &[value])
    }

    pub fn write_u32(&mut self, ptr: u32, value: u32) -> WasiResult<()> {
        self.write_bytes(ptr, &value.to_le_bytes())
    }

    pub fn write_u64(&mut self, ptr: u32, value: u64) -> WasiResult<()> {
        self.write_bytes(ptr, &value.to_le_bytes())
    }

    /// A string argument: `len` bytes at `ptr` that must be UTF-8 (`ilseq` otherwise).
    pub fn read_str(&self, ptr: u32, len: u32) -> WasiResult<&str> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| Errno::Ilseq)
    }

    /// An iovec list: `count` pairs of (address, length) at `ptr`, each buffer checked.
    pub fn read_iovecs(&self, ptr: u32, count: u32) -> WasiResult<Vec<IoVec>> {
        let table = self.slice(ptr, count.checked_mul(8).ok_or(Errno::Fault)?)?;
        let mut iovecs = Vec::with_capacity(count as usize);
        for pair in table.chunks_exact(8) {
            let buf = u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]);
            let len = u32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]);
            let range = self.range(buf, len)?;
            iovecs.push(IoVec { start: range.start, len: range.len() });
        }
        Ok(iovecs)
    }

    /// The bytes a ciovec list names, concatenated (at most [`MAX_TRANSFER`] of them).
    pub fn gather(&self, iovecs: &[IoVec]) -> Vec<u8> {
        let total = iovecs.iter().map(|v| v.len).sum::<usize>().min(MAX_TRANSFER);
        let mut out = Vec::with_capacity(total);
        for v in iovecs {
            let room = total - out.len();
            out.extend_from_slice(&self.bytes[v.start..v.start + v.len.min(room)]);
        }
        out
    }

    /// How many bytes an iovec list can take (at most [`MAX_TRANSFER`]).
    pub fn capacity(iovecs: &[IoVec]) -> usize {
        iovecs.iter().map(|v| v.len).sum::<usize>().min(MAX_TRANSFER)
    }

    /// Spreads `data` over an iovec list, in order; `data` is no longer than its capacity.
    pub fn scatter(&mut self, iovecs: &[IoVec], mut data: &[u8]) {
        for v in iovecs {
            if data.is_empty() {
                break;
            }
            let n = v.len.min(data.len());
            self.bytes[v.start..v.start + n].copy_from_slice(&data[..n]);
            data = &data[n..];
        }
    }
}
