//! Memories: loads and stores (handlers, bounds-checked against memory 0's length, which the
//! handlers carry, or in the named form against the length of the memory they name),
//! `memory.size`, the address of an access with an offset past 2^32, `memory.fill` and
//! `memory.copy` within memory 0 (handlers of their own, with `fast`, unmetered), and the
//! slow paths of `memory.grow`, `memory.fill`, `memory.copy` (between any two memories),
//! `memory.init` and `data.drop`, which read their operands by the memory's address type.

use super::prelude::*;

steps! {
    (ip, r, mem, ctx);
    MemorySize(o) => {
        if F & acc::NAMED == 0 {
            // (In form `MEM64` the `i64` size is the same cell.)
            r.set(o.dst, (mem.len / PAGE_SIZE) as u64);
        } else {
            // (A 32-bit memory's size fits in an `i32`; the cell is the same.)
            // SAFETY: a verified memory index (role `memory`).
            let view = unsafe { ctx.view(o.memory) };
            r.set(o.dst, (view.len >> view.page_log2) as u64);
        }
    }
    I32Load(o) => { fail!(mem.load(ctx, r, o, i32::from_le_bytes)); }
    I64Load(o) => { fail!(mem.load(ctx, r, o, i64::from_le_bytes)); }
    F32Load(o) => { fail!(mem.load(ctx, r, o, u32::from_le_bytes)); }
    F64Load(o) => { fail!(mem.load(ctx, r, o, f64::from_le_bytes)); }
    I32Load8S(o) => { fail!(mem.load(ctx, r, o, |b: [u8; 1]| b[0] as i8 as i32)); }
    I32Load8U(o) => { fail!(mem.load(ctx, r, o, |b: [u8; 1]| b[0] as u32)); }
    I32Load16S(o) => { fail!(mem.load(ctx, r, o, |b| i16::from_le_bytes(b) as i32)); }
    I32Load16U(o) => { fail!(mem.load(ctx, r, o, |b| u16::from_le_bytes(b) as u32)); }
    I64Load8S(o) => { fail!(mem.load(ctx, r, o, |b: [u8; 1]| b[0] as i8 as i64)); }
    I64Load8U(o) => { fail!(mem.load(ctx, r, o, |b: [u8; 1]| b[0] as u64)); }
    I64Load16S(o) => { fail!(mem.load(ctx, r, o, |b| i16::from_le_bytes(b) as i64)); }
    I64Load16U(o) => { fail!(mem.load(ctx, r, o, |b| u16::from_le_bytes(b) as u64)); }
    I64Load32S(o) => { fail!(mem.load(ctx, r, o, |b| i32::from_le_bytes(b) as i64)); }
    I64Load32U(o) => { fail!(mem.load(ctx, r, o, |b| u32::from_le_bytes(b) as u64)); }
    I32StoreImm(o) => { fail!(mem.store_imm(ctx, r, o, |x: i32| x.to_le_bytes())); }
    I32Store8Imm(o) => { fail!(mem.store_imm(ctx, r, o, |x: i32| [x as u8])); }
    I32Store16Imm(o) => { fail!(mem.store_imm(ctx, r, o, |x: i32| (x as u16).to_le_bytes())); }
    I64StoreImm(o) => { fail!(mem.store_imm(ctx, r, o, |x: i32| (x as i64).to_le_bytes())); }
    I64Store8Imm(o) => { fail!(mem.store_imm(ctx, r, o, |x: i32| [x as u8])); }
    I64Store16Imm(o) => { fail!(mem.store_imm(ctx, r, o, |x: i32| (x as u16).to_le_bytes())); }
    I64Store32Imm(o) => { fail!(mem.store_imm(ctx, r, o, |x: i32| x.to_le_bytes())); }
    I32Store(o) => { fail!(mem.store(ctx, r, o, u32::to_le_bytes)); }
    I64Store(o) => { fail!(mem.store(ctx, r, o, u64::to_le_bytes)); }
    F32Store(o) => { fail!(mem.store(ctx, r, o, u32::to_le_bytes)); }
    F64Store(o) => { fail!(mem.store(ctx, r, o, f64::to_le_bytes)); }
    I32Store8(o) => { fail!(mem.store(ctx, r, o, |x: u32| [x as u8])); }
    I32Store16(o) => { fail!(mem.store(ctx, r, o, |x: u32| (x as u16).to_le_bytes())); }
    I64Store8(o) => { fail!(mem.store(ctx, r, o, |x: u64| [x as u8])); }
    I64Store16(o) => { fail!(mem.store(ctx, r, o, |x: u64| (x as u16).to_le_bytes())); }
    I64Store32(o) => { fail!(mem.store(ctx, r, o, |x: u64| (x as u32).to_le_bytes())); }
    AddOffset(o) => {
        // SAFETY: a verified constant-pool index (role `constant`).
        let offset = unsafe { *ctx.consts().add(o.offset as usize) };
        fail!(r.get::<u64>(o.src).checked_add(offset).map(|sum| r.set(o.dst, sum)).ok_or(TrapCode::MemoryOutOfBounds));
    }
}

impl Slow<MemoryGrow> for kind::MemoryGrow {
    fn run(exec: &mut Executor<'_>, o: MemoryGrow) -> Result<Flow> {
        let index = exec.memory_index(o.memory)?;
        let is_64 = exec.store.inner.memories[index as usize].ty.is_64;
        let delta = exec.operand64(o.delta, is_64);
        // Pages that can be added are charged; a request past the maximum fails for free.
        let memory = &exec.store.inner.memories[index as usize];
        let pages = if delta <= memory.max_pages.saturating_sub(memory.pages()) { delta } else { 0 };
        exec.charge(|costs| costs.memory_grow(pages))?;
        let result = exec.store.inner.grow_memory(index, delta);
        // -1 of the memory's address type; the old size fits it.
        match (result, is_64) {
            (Some(old), true) => exec.set(o.dst, old),
            (Some(old), false) => exec.set(o.dst, old as u32),
            (None, true) => exec.set(o.dst, u64::MAX),
            (None, false) => exec.set(o.dst, u32::MAX),
        }
        Ok(Flow::Continue)
    }
}

/// `memory.fill` and `memory.copy` on memory 0, in bounds and without fuel metering, run in
/// their handlers: a `memset`/`memmove` of the bytes, where the slow path goes through the
/// executor (some 150 instructions) for what is often a small struct's copy (clang emits
/// these for `memset` and `memcpy` when bulk memory is on, as it is by default since LLVM 20).
/// Anything else takes the slow path: another memory, metering (which charges by the byte),
/// and bounds that fail (which trap). A build without `fast` (the size builds) leaves all of
/// it to the slow path.
impl Plain for kind::MemoryFill {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        operands!(ip, MemoryFill(MemoryFill { args, memory }));
        if cfg!(feature = "fast") && memory == 0 && !metered(ctx) {
            let (dst, len) = (address(r, args, ctx.mem64), address(r, args + 2, ctx.mem64));
            if let Some(to) = bulk_range(dst, len, mem.len) {
                let value = r.get::<u32>(args + 1) as u8;
                // SAFETY: `to` lies within memory 0's `mem.len` bytes at `mem.base` (current:
                // see `threaded.rs`).
                unsafe { core::ptr::write_bytes(mem.base.add(to.start), value, to.len()) };
                // SAFETY: `memory.fill` does not end a path: the next instruction is in the code.
                next!(unsafe { ip.add(1) }, r, mem, ctx);
            }
        }
        // SAFETY: a slow path may run for any instruction; it fills another memory, charges the
        // fuel, or reports the trap.
        unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
    }
}

/// See `MemoryFill`'s handler.
impl Plain for kind::MemoryCopy {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        operands!(ip, MemoryCopy(MemoryCopy { args, dst_memory, src_memory }));
        if cfg!(feature = "fast") && dst_memory == 0 && src_memory == 0 && !metered(ctx) {
            let (dst, src, len) =
                (address(r, args, ctx.mem64), address(r, args + 1, ctx.mem64), address(r, args + 2, ctx.mem64));
            if let (Some(to), Some(from)) = (bulk_range(dst, len, mem.len), bulk_range(src, len, mem.len)) {
                // SAFETY: both ranges lie within memory 0's `mem.len` bytes at `mem.base`
                // (current: see `threaded.rs`); `copy` allows them to overlap.
                unsafe { core::ptr::copy(mem.base.add(from.start), mem.base.add(to.start), to.len()) };
                // SAFETY: `memory.copy` does not end a path: the next instruction is in the code.
                next!(unsafe { ip.add(1) }, r, mem, ctx);
            }
        }
        // SAFETY: as for `memory.fill`.
        unsafe { exit_slow(ip, r.regs, mem, ctx, r.acc, r.facc) }
    }
}

/// Whether the store meters fuel.
#[inline(always)]
fn metered(ctx: &FastCtx) -> bool {
    // SAFETY: `inner` is the store of the running activation, alive and not borrowed
    // elsewhere while the handlers run (see `threaded.rs`).
    unsafe { (*ctx.inner).exec.metering }
}

/// An address or length operand of memory 0 (`mem64` if it is 64-bit), in slot `slot`.
#[inline(always)]
fn address(r: Locs<0>, slot: Slot, mem64: bool) -> u64 {
    if mem64 { r.get::<u64>(slot) } else { u64::from(r.get::<u32>(slot)) }
}

/// `range_of` for the handlers: the range, or `None` where the slow path reports the trap.
#[inline(always)]
fn bulk_range(start: u64, len: u64, size: usize) -> Option<core::ops::Range<usize>> {
    in_bounds(usize::try_from(start).ok()?, usize::try_from(len).ok()?, size)
}

impl Slow<MemoryFill> for kind::MemoryFill {
    fn run(exec: &mut Executor<'_>, o: MemoryFill) -> Result<Flow> {
        let index = exec.memory_index(o.memory)?;
        let is_64 = exec.store.inner.memories[index as usize].ty.is_64;
        let (dst, value, len) = (exec.operand64(o.args, is_64), exec.get::<u32>(o.args + 1), exec.operand64(o.args + 2, is_64));
        // Out of bounds traps before anything is charged: only bytes that exist are.
        range_of(dst, len, exec.memory_len(index))?;
        exec.charge(|costs| costs.bytes(len))?;
        let data = exec.store.inner.memories[index as usize].data.as_mut_slice();
        let range = range_of(dst, len, data.len())?;
        data[range].fill(value as u8);
        Ok(Flow::Continue)
    }
}

impl Slow<MemoryCopy> for kind::MemoryCopy {
    fn run(exec: &mut Executor<'_>, o: MemoryCopy) -> Result<Flow> {
        let to = exec.memory_index(o.dst_memory)?;
        let from = exec.memory_index(o.src_memory)?;
        let memories = &exec.store.inner.memories;
        let (to_64, from_64) = (memories[to as usize].ty.is_64, memories[from as usize].ty.is_64);
        // The length has the narrower of the two address types.
        let (dst, src, len) =
            (exec.operand64(o.args, to_64), exec.operand64(o.args + 1, from_64), exec.operand64(o.args + 2, to_64 && from_64));
        range_of(src, len, exec.memory_len(from))?;
        range_of(dst, len, exec.memory_len(to))?;
        exec.charge(|costs| costs.bytes(len))?;
        let memories = &mut exec.store.inner.memories;
        if to == from {
            let data = memories[to as usize].data.as_mut_slice();
            let source = range_of(src, len, data.len())?;
            let target = range_of(dst, len, data.len())?;
            data.copy_within(source, target.start);
        } else {
            let (a, b) = (to.min(from) as usize, to.max(from) as usize);
            let (low, high) = memories.split_at_mut(b);
            let (target_mem, source_mem) =
                if to < from { (&mut low[a], &high[0]) } else { (&mut high[0], &low[a]) };
            let source = source_mem.data.as_slice();
            let target = target_mem.data.as_mut_slice();
            let from_range = range_of(src, len, source.len())?;
            let to_range = range_of(dst, len, target.len())?;
            target[to_range].copy_from_slice(&source[from_range]);
        }
        Ok(Flow::Continue)
    }
}

impl Slow<MemoryInit> for kind::MemoryInit {
    fn run(exec: &mut Executor<'_>, o: MemoryInit) -> Result<Flow> {
        let index = exec.memory_index(o.memory)?;
        let is_64 = exec.store.inner.memories[index as usize].ty.is_64;
        let (dst, src, len) =
            (exec.operand64(o.args, is_64), u64::from(exec.get::<u32>(o.args + 1)), u64::from(exec.get::<u32>(o.args + 2)));
        range_of(src, len, exec.store.inner.instances[exec.instance as usize].data(o.data).len())?;
        range_of(dst, len, exec.memory_len(index))?;
        exec.charge(|costs| costs.bytes(len))?;
        let inner = &mut exec.store.inner;
        let bytes = inner.instances[exec.instance as usize].data(o.data);
        let data = inner.memories[index as usize].data.as_mut_slice();
        let from = range_of(src, len, bytes.len())?;
        let to = range_of(dst, len, data.len())?;
        data[to].copy_from_slice(&bytes[from]);
        Ok(Flow::Continue)
    }
}

impl Slow<DataDrop> for kind::DataDrop {
    fn run(exec: &mut Executor<'_>, o: DataDrop) -> Result<Flow> {
        let instance = &mut exec.store.inner.instances[exec.instance as usize];
        instance.data_dropped[o.data as usize] = true;
        Ok(Flow::Continue)
    }
}

/// The range `start..start + len` of a buffer of `size` bytes, or the out-of-bounds trap.
fn range_of(start: u64, len: u64, size: usize) -> Result<core::ops::Range<usize>> {
    let start = usize::try_from(start).map_err(|_| TrapCode::MemoryOutOfBounds)?;
    let len = usize::try_from(len).map_err(|_| TrapCode::MemoryOutOfBounds)?;
    Ok(in_bounds(start, len, size).ok_or(TrapCode::MemoryOutOfBounds)?)
}

impl Executor<'_> {
    /// The length in bytes of memory `index` (a store index).
    fn memory_len(&self, index: u32) -> usize {
        self.store.inner.memories[index as usize].bytes() as usize
    }

    /// The store index of the running instance's memory `memory`. The verifier checked that
    /// the module has it; this is the error if that ever failed.
    fn memory_index(&self, memory: u8) -> Result<u32> {
        let instance = &self.store.inner.instances[self.instance as usize];
        instance
            .memories
            .get(memory as usize)
            .copied()
            .ok_or_else(|| Error::unsupported("memory instruction naming a memory the module does not have"))
    }

    /// An address, index, size or length operand of a memory or table of the given index
    /// type.
    pub(in crate::exec) fn operand64(&self, slot: Slot, is_64: bool) -> u64 {
        if is_64 { self.get::<u64>(slot) } else { u64::from(self.get::<u32>(slot)) }
    }
}
