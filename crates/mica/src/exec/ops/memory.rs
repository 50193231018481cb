//! Memory 0: loads and stores (handlers, bounds-checked against the length the handlers
//! carry), `memory.size`, and the slow paths of `memory.grow`, `memory.fill`, `memory.copy`,
//! `memory.init` and `data.drop`.

use super::prelude::*;

steps! {
    (ip, r, mem, ctx);
    MemorySize(o) => { r.set(o.dst, (mem.len / PAGE_SIZE) as u32); }
    I32Load(o) => { fail!(mem.load(r, o, i32::from_le_bytes)); }
    I64Load(o) => { fail!(mem.load(r, o, i64::from_le_bytes)); }
    F32Load(o) => { fail!(mem.load(r, o, u32::from_le_bytes)); }
    F64Load(o) => { fail!(mem.load(r, o, f64::from_le_bytes)); }
    I32Load8S(o) => { fail!(mem.load(r, o, |b: [u8; 1]| b[0] as i8 as i32)); }
    I32Load8U(o) => { fail!(mem.load(r, o, |b: [u8; 1]| b[0] as u32)); }
    I32Load16S(o) => { fail!(mem.load(r, o, |b| i16::from_le_bytes(b) as i32)); }
    I32Load16U(o) => { fail!(mem.load(r, o, |b| u16::from_le_bytes(b) as u32)); }
    I64Load8S(o) => { fail!(mem.load(r, o, |b: [u8; 1]| b[0] as i8 as i64)); }
    I64Load8U(o) => { fail!(mem.load(r, o, |b: [u8; 1]| b[0] as u64)); }
    I64Load16S(o) => { fail!(mem.load(r, o, |b| i16::from_le_bytes(b) as i64)); }
    I64Load16U(o) => { fail!(mem.load(r, o, |b| u16::from_le_bytes(b) as u64)); }
    I64Load32S(o) => { fail!(mem.load(r, o, |b| i32::from_le_bytes(b) as i64)); }
    I64Load32U(o) => { fail!(mem.load(r, o, |b| u32::from_le_bytes(b) as u64)); }
    I32StoreImm(o) => { fail!(mem.store_imm(r, o, |x: i32| x.to_le_bytes())); }
    I32Store8Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| [x as u8])); }
    I32Store16Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| (x as u16).to_le_bytes())); }
    I64StoreImm(o) => { fail!(mem.store_imm(r, o, |x: i32| (x as i64).to_le_bytes())); }
    I64Store8Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| [x as u8])); }
    I64Store16Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| (x as u16).to_le_bytes())); }
    I64Store32Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| x.to_le_bytes())); }
    I32Store(o) => { fail!(mem.store(r, o, u32::to_le_bytes)); }
    I64Store(o) => { fail!(mem.store(r, o, u64::to_le_bytes)); }
    F32Store(o) => { fail!(mem.store(r, o, u32::to_le_bytes)); }
    F64Store(o) => { fail!(mem.store(r, o, f64::to_le_bytes)); }
    I32Store8(o) => { fail!(mem.store(r, o, |x: u32| [x as u8])); }
    I32Store16(o) => { fail!(mem.store(r, o, |x: u32| (x as u16).to_le_bytes())); }
    I64Store8(o) => { fail!(mem.store(r, o, |x: u64| [x as u8])); }
    I64Store16(o) => { fail!(mem.store(r, o, |x: u64| (x as u16).to_le_bytes())); }
    I64Store32(o) => { fail!(mem.store(r, o, |x: u64| (x as u32).to_le_bytes())); }
}

impl Slow<MemoryGrow> for kind::MemoryGrow {
    fn run<T>(exec: &mut Executor<'_, T>, o: MemoryGrow) -> Result<Flow> {
        let delta = exec.get::<u32>(o.delta) as u64;
        let result = exec.memory_entity()?.grow(delta);
        exec.set(o.dst, result.map_or(-1, |old| old as i32));
        Ok(Flow::Continue)
    }
}

impl Slow<MemoryBulk> for kind::MemoryFill {
    fn run<T>(exec: &mut Executor<'_, T>, o: MemoryBulk) -> Result<Flow> {
        let (dst, value, len) = exec.args3(o.args);
        let data = exec.memory_entity()?.data.as_mut_slice();
        let range = in_bounds(dst, len, data.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        data[range].fill(value as u8);
        Ok(Flow::Continue)
    }
}

impl Slow<MemoryBulk> for kind::MemoryCopy {
    fn run<T>(exec: &mut Executor<'_, T>, o: MemoryBulk) -> Result<Flow> {
        let (dst, src, len) = exec.args3(o.args);
        let data = exec.memory_entity()?.data.as_mut_slice();
        let from = in_bounds(src, len, data.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        in_bounds(dst, len, data.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        data.copy_within(from, dst);
        Ok(Flow::Continue)
    }
}

impl Slow<MemoryInit> for kind::MemoryInit {
    fn run<T>(exec: &mut Executor<'_, T>, o: MemoryInit) -> Result<Flow> {
        let (dst, src, len) = exec.args3(o.args);
        let memory = exec.memory_index()?;
        let inner = &mut exec.store.inner;
        let bytes = inner.instances[exec.instance as usize].data(o.data);
        let data = inner.memories[memory as usize].data.as_mut_slice();
        let from = in_bounds(src, len, bytes.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        let to = in_bounds(dst, len, data.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        data[to].copy_from_slice(&bytes[from]);
        Ok(Flow::Continue)
    }
}

impl Slow<DataDrop> for kind::DataDrop {
    fn run<T>(exec: &mut Executor<'_, T>, o: DataDrop) -> Result<Flow> {
        let instance = &mut exec.store.inner.instances[exec.instance as usize];
        instance.data_dropped[o.data as usize] = true;
        Ok(Flow::Continue)
    }
}

impl<T> Executor<'_, T> {
    /// The store index of the running instance's memory 0. The verifier checked that memory
    /// instructions are only in modules with a memory; this is the error if that ever failed.
    fn memory_index(&self) -> Result<u32> {
        self.memory.ok_or_else(|| Error::unsupported("memory instruction in a module without a memory"))
    }

    fn memory_entity(&mut self) -> Result<&mut crate::store::MemoryEntity> {
        let index = self.memory_index()?;
        Ok(&mut self.store.inner.memories[index as usize])
    }
}
