//! Memories as the handlers see them: memory 0 in registers ([`Mem`]), any memory of the
//! running instance through its view ([`View`], for accesses in the named form), and the
//! bounds-checked accesses of each form (`Mem::place`): see ARCHITECTURE.md, "Memories".

use super::{FastCtx, Locs};
use crate::bytecode::{Load, Store as StoreOp, StoreImm, acc};
use crate::error::TrapCode;
use crate::exec::values::CellValue;

/// Memory 0 as the handlers see it.
#[derive(Copy, Clone)]
pub(crate) struct Mem {
    pub base: *mut u8,
    pub len: usize,
}

/// A memory as an access in the named form (`acc::NAMED`) sees it: any memory of the
/// running instance, 32- or 64-bit, with any page size.
#[derive(Copy, Clone)]
pub(crate) struct View {
    pub base: *mut u8,
    pub len: usize,
    /// The page size's base-2 logarithm (`memory.size`).
    pub page_log2: u8,
}

impl Mem {
    /// The end of an `N`-byte access (effective address plus `N`), if it is in bounds. The
    /// access itself addresses `base + end - N`, which the compiler folds into one
    /// addressing mode.
    #[inline(always)]
    pub(in crate::exec) fn access_end<const N: usize>(addr: u32, len: usize, offset: u32) -> Result<usize, TrapCode> {
        let end = addr as u64 + offset as u64 + N as u64;
        if end <= len as u64 {
            Ok(end as usize)
        } else {
            Err(TrapCode::MemoryOutOfBounds)
        }
    }

    /// The bytes at `end - N..end`.
    ///
    /// # Safety
    ///
    /// `N <= end <= len`, as `access_end` checks.
    #[inline(always)]
    pub(in crate::exec) unsafe fn at<const N: usize>(self, end: usize) -> *mut [u8; N] {
        // SAFETY: `N <= end <= len` (the caller's contract), and `base..base + len` is
        // memory 0's buffer, live until the next slow path (see the module documentation).
        unsafe { self.base.add(end).sub(N).cast::<[u8; N]>() }
    }

    /// Where the `N` bytes an access of form `F` makes at `addr + offset` are, bounds-checked:
    /// in memory 0 (this one), or, in the named form, in memory `memory` of the running
    /// instance; `addr` is a zero-extended `i32`, or a 64-bit address in form `MEM64`
    /// (`Locs::addr`). No sum overflows: a 64-bit address plus an offset past `2^64` is out
    /// of bounds.
    #[inline(always)]
    pub(in crate::exec) fn place<const N: usize, const F: u8>(
        self,
        ctx: &FastCtx,
        memory: u8,
        addr: u64,
        offset: u32,
    ) -> Result<*mut [u8; N], TrapCode> {
        if F & (acc::NAMED | acc::MEM64) == 0 {
            let end = Self::access_end::<N>(addr as u32, self.len, offset)?;
            // SAFETY: `end` was just checked.
            return Ok(unsafe { self.at::<N>(end) });
        }
        if F & acc::NAMED == 0 {
            return match addr.checked_add(offset as u64 + N as u64) {
                // SAFETY: `N <= end <= len`, as `at` requires.
                Some(end) if end <= self.len as u64 => Ok(unsafe { self.at::<N>(end as usize) }),
                _ => Err(TrapCode::MemoryOutOfBounds),
            };
        }
        // SAFETY: `memory` is a memory index of the running function's module (verified:
        // role `memory`). The named form is encoded only in modules that may have named
        // accesses (`acc::has_named_accesses`: what `encode` gives `NAMED` to), whose
        // instances keep a view of each of their memories, as many as the module's
        // (`InstanceEntity::named_memories`; `refresh_storage` re-derives them with `mem`).
        let view = unsafe { ctx.view(memory) };
        // A 32-bit address (below `2^32`, as `Locs::addr` reads it, and truncated here to
        // keep it so whatever the caller passes) plus an offset cannot overflow.
        let end = if F & acc::MEM64 == 0 {
            Some(addr as u32 as u64 + offset as u64 + N as u64)
        } else {
            addr.checked_add(offset as u64 + N as u64)
        };
        match end {
            // SAFETY: `N <= end <= len`, and `base..base + len` is the memory's buffer, live
            // until the next slow path, like memory 0's.
            Some(end) if end <= view.len as u64 => Ok(unsafe { view.base.add(end as usize - N).cast() }),
            _ => Err(TrapCode::MemoryOutOfBounds),
        }
    }

    #[inline(always)]
    pub(in crate::exec) fn load<const N: usize, R: CellValue, const F: u8>(
        self,
        ctx: &FastCtx,
        r: &mut Locs<F>,
        o: &Load,
        f: impl FnOnce([u8; N]) -> R,
    ) -> Result<(), TrapCode> {
        let bytes = self.read_at::<N, F>(ctx, o.memory, r.addr(o.addr), o.offset)?;
        r.put(o.dst, f(bytes));
        Ok(())
    }

    #[inline(always)]
    pub(in crate::exec) fn store<const N: usize, V: CellValue, const F: u8>(
        self,
        ctx: &FastCtx,
        r: &mut Locs<F>,
        o: &StoreOp,
        f: impl FnOnce(V) -> [u8; N],
    ) -> Result<(), TrapCode> {
        self.write_at::<N, F>(ctx, o.memory, r.addr(o.addr), o.offset, f(r.y(o.value)))
    }

    #[inline(always)]
    pub(in crate::exec) fn store_imm<const N: usize, const F: u8>(
        self,
        ctx: &FastCtx,
        r: &mut Locs<F>,
        o: &StoreImm,
        f: impl FnOnce(i32) -> [u8; N],
    ) -> Result<(), TrapCode> {
        self.write_at::<N, F>(ctx, o.memory, r.addr(o.addr), o.offset, f(o.value))
    }

    /// The `N` bytes an access of form `F` reads (see `place`).
    #[inline(always)]
    pub(in crate::exec) fn read_at<const N: usize, const F: u8>(
        self,
        ctx: &FastCtx,
        memory: u8,
        addr: u64,
        offset: u32,
    ) -> Result<[u8; N], TrapCode> {
        let at = self.place::<N, F>(ctx, memory, addr, offset)?;
        // SAFETY: `place` checked the access.
        Ok(unsafe { at.read_unaligned() })
    }

    /// Writes the `N` bytes of an access of form `F` (see `place`).
    #[inline(always)]
    pub(in crate::exec) fn write_at<const N: usize, const F: u8>(
        self,
        ctx: &FastCtx,
        memory: u8,
        addr: u64,
        offset: u32,
        bytes: [u8; N],
    ) -> Result<(), TrapCode> {
        let at = self.place::<N, F>(ctx, memory, addr, offset)?;
        // SAFETY: `place` checked the access.
        unsafe { at.write_unaligned(bytes) };
        Ok(())
    }

    /// The 16 bytes an access of form `F` reads, as a `v128` (see `place`).
    #[inline(always)]
    pub(in crate::exec) fn read128_at<const F: u8>(
        self,
        ctx: &FastCtx,
        memory: u8,
        addr: u64,
        offset: u32,
    ) -> Result<crate::simd::V, TrapCode> {
        let at = self.place::<16, F>(ctx, memory, addr, offset)?;
        // SAFETY: `place` checked the access.
        Ok(unsafe { crate::exec::wide::load(at.cast()) })
    }

    /// Writes a `v128` where an access of form `F` goes (see `place`).
    #[inline(always)]
    pub(in crate::exec) fn write128_at<const F: u8>(
        self,
        ctx: &FastCtx,
        memory: u8,
        addr: u64,
        offset: u32,
        value: crate::simd::V,
    ) -> Result<(), TrapCode> {
        let at = self.place::<16, F>(ctx, memory, addr, offset)?;
        // SAFETY: `place` checked the access.
        unsafe { crate::exec::wide::store(at.cast(), value) };
        Ok(())
    }

    /// The 16 bytes at `addr + offset` in memory 0, bounds-checked, as a `v128`.
    #[inline(always)]
    pub(in crate::exec) fn read128(self, addr: u32, offset: u32) -> Result<crate::simd::V, TrapCode> {
        let end = Self::access_end::<16>(addr, self.len, offset)?;
        // SAFETY: `end` was just checked.
        Ok(unsafe { crate::exec::wide::load(self.at::<16>(end).cast()) })
    }

    /// Replaces the `v128` at `addr + offset` in memory 0 with `f` of it, bounds-checked once.
    #[inline(always)]
    pub(in crate::exec) fn update128(self, addr: u32, offset: u32, f: impl FnOnce(crate::simd::V) -> crate::simd::V) -> Result<(), TrapCode> {
        let end = Self::access_end::<16>(addr, self.len, offset)?;
        // SAFETY: `end` was just checked.
        unsafe {
            let at = self.at::<16>(end).cast::<u8>();
            crate::exec::wide::store(at, f(crate::exec::wide::load(at)));
        }
        Ok(())
    }
}
