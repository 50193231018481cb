//! The dispatch loop: the hot path of the interpreter.
//!
//! While wasm code runs, the running function's state is in locals the compiler can keep in
//! registers: the instruction pointer, the frame pointer, and the base and length of memory 0.
//! Slot and memory accesses go through those raw pointers. Everything else — calls, returns,
//! host calls, globals, tables, bulk memory operations — is a slow path on the `Executor`
//! (safe code over the store), bracketed by `sync!` (write the state back) and `reload!`
//! (re-derive every pointer, since the slow path may have moved the value stack or memory).
//!
//! # Safety argument
//!
//! - `ip` points into the running function's code, which `CodeRef` keeps alive. Every branch
//!   target, and the instruction after every non-terminating instruction, is inside the code:
//!   `bytecode::verify` checks this for every translated function before it can run.
//! - `fp` points at the frame base in `ExecStack::cells`. `Executor::enter` reserves
//!   `frame_size` cells from the base before a function starts, and `bytecode::verify`
//!   checks that every slot an instruction names is below `frame_size`. The cells buffer only
//!   moves in slow paths, after which `reload!` re-derives `fp`.
//! - `mem` is memory 0's buffer and length, re-read after every slow path (memory only grows
//!   in slow paths). Accesses are bounds-checked against `mem.len` before they happen.

use super::interp::{Executor, Flow};
use super::values::{self, CellValue, rounding};
use crate::bytecode::{Bin, BinImm, Instr, Load, Slot, Span, Store as StoreOp, Un};
use crate::error::{Error, Result, TrapCode};
use crate::store::PAGE_SIZE;
use crate::value::{Cell, NULL_REF, ref_cell};

/// The running frame's slots.
#[derive(Copy, Clone)]
struct Regs(*mut Cell);

impl Regs {
    #[inline(always)]
    fn get<V: CellValue>(self, slot: Slot) -> V {
        // SAFETY: `slot < frame_size` (verified) and the frame's cells are reserved; see the
        // module documentation.
        V::from_cell(unsafe { *self.0.add(slot as usize) })
    }

    #[inline(always)]
    fn set<V: CellValue>(self, slot: Slot, value: V) {
        // SAFETY: as in `get`.
        unsafe { *self.0.add(slot as usize) = value.into_cell() }
    }

    #[inline(always)]
    fn un<A: CellValue, R: CellValue>(self, o: Un, f: impl FnOnce(A) -> R) {
        self.set(o.dst, f(self.get(o.src)));
    }

    #[inline(always)]
    fn bin<A: CellValue, R: CellValue>(self, o: Bin, f: impl FnOnce(A, A) -> R) {
        self.set(o.dst, f(self.get(o.a), self.get(o.b)));
    }

    /// The immediate is sign-extended to a cell: right for both widths, since `i32`
    /// operands read only the low 32 bits.
    #[inline(always)]
    fn bin_imm<A: CellValue, R: CellValue>(self, o: BinImm, f: impl FnOnce(A, A) -> R) {
        self.set(o.dst, f(self.get(o.a), A::from_cell(o.imm as i64 as Cell)));
    }

    #[inline(always)]
    fn try_un<A: CellValue, R: CellValue>(
        self,
        o: Un,
        f: impl FnOnce(A) -> Result<R, TrapCode>,
    ) -> Result<(), TrapCode> {
        self.set(o.dst, f(self.get(o.src))?);
        Ok(())
    }

    #[inline(always)]
    fn try_bin<A: CellValue, R: CellValue>(
        self,
        o: Bin,
        f: impl FnOnce(A, A) -> Result<R, TrapCode>,
    ) -> Result<(), TrapCode> {
        self.set(o.dst, f(self.get(o.a), self.get(o.b))?);
        Ok(())
    }
}

/// Memory 0 as the loop sees it.
#[derive(Copy, Clone)]
struct Mem {
    base: *mut u8,
    len: usize,
}

impl Mem {
    /// The effective address of an `N`-byte access, if it is in bounds.
    #[inline(always)]
    fn address<const N: usize>(self, r: Regs, addr: Slot, offset: u32) -> Result<usize, TrapCode> {
        let ea = r.get::<u32>(addr) as u64 + offset as u64;
        if ea + N as u64 <= self.len as u64 {
            Ok(ea as usize)
        } else {
            Err(TrapCode::MemoryOutOfBounds)
        }
    }

    #[inline(always)]
    fn load<const N: usize, R: CellValue>(
        self,
        r: Regs,
        o: Load,
        f: impl FnOnce([u8; N]) -> R,
    ) -> Result<(), TrapCode> {
        let ea = self.address::<N>(r, o.addr, o.offset)?;
        // SAFETY: `ea + N <= len` was just checked, and `base..base + len` is memory 0's
        // buffer, live until the next slow path (see the module documentation).
        let bytes = unsafe { self.base.add(ea).cast::<[u8; N]>().read_unaligned() };
        r.set(o.dst, f(bytes));
        Ok(())
    }

    #[inline(always)]
    fn store<const N: usize, V: CellValue>(
        self,
        r: Regs,
        o: StoreOp,
        f: impl FnOnce(V) -> [u8; N],
    ) -> Result<(), TrapCode> {
        let ea = self.address::<N>(r, o.addr, o.offset)?;
        let bytes = f(r.get(o.value));
        // SAFETY: as in `load`.
        unsafe { self.base.add(ea).cast::<[u8; N]>().write_unaligned(bytes) };
        Ok(())
    }
}

impl<T> Executor<'_, T> {
    fn regs(&mut self) -> Regs {
        let cells = &mut self.store.inner.exec.cells;
        debug_assert!(self.base <= cells.len());
        // SAFETY: `base <= cells.len()`: `enter` reserved the frame's cells from `base`.
        Regs(unsafe { cells.as_mut_ptr().add(self.base) })
    }

    fn mem(&mut self) -> Mem {
        match self.memory {
            Some(index) => {
                let data = &mut self.store.inner.memories[index as usize].data;
                Mem { base: data.as_mut_ptr(), len: data.len() }
            }
            None => Mem { base: core::ptr::null_mut(), len: 0 },
        }
    }

    /// Runs until the activation's first frame returns or something traps.
    pub(super) fn execute(&mut self) -> Result<()> {
        let mut start: *const Instr;
        let mut ip: *const Instr;
        let mut r: Regs;
        let mut mem: Mem;
        macro_rules! reload {
            () => {{
                start = self.code.get().code.as_ptr();
                // SAFETY: `self.ip` is an instruction index of the running function.
                ip = unsafe { start.add(self.ip) };
                r = self.regs();
                mem = self.mem();
            }};
        }
        macro_rules! sync {
            () => {{
                // SAFETY: `ip` and `start` point into the same code array.
                self.ip = unsafe { ip.offset_from(start) } as usize;
            }};
        }
        macro_rules! jump {
            ($offset:expr) => {
                // SAFETY: branch targets are verified to be inside the code; offsets are
                // relative to the branch instruction, which is `ip - 1`.
                ip = unsafe { ip.offset($offset as isize - 1) }
            };
        }
        macro_rules! trap {
            () => {
                |code: TrapCode| Error::from(crate::error::Trap::new(code))
            };
        }
        macro_rules! flow {
            ($flow:expr) => {
                match $flow {
                    Flow::Continue => reload!(),
                    Flow::Done => return Ok(()),
                }
            };
        }
        reload!();
        loop {
            // SAFETY: `ip` is in the code (see the module documentation).
            let instr = unsafe { *ip };
            // SAFETY: every instruction that does not end a path has a successor in the code.
            ip = unsafe { ip.add(1) };
            use Instr::*;
            match instr {
                Trap(code) => return Err(trap!()(code)),
                Br(offset) => jump!(offset),
                BrIfNez { cond, offset } => {
                    if r.get::<u32>(cond) != 0 {
                        jump!(offset);
                    }
                }
                BrIfEqz { cond, offset } => {
                    if r.get::<u32>(cond) == 0 {
                        jump!(offset);
                    }
                }
                BrI32Eq(o) => {
                    if r.get::<u32>(o.a) == r.get::<u32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32EqImm(o) => {
                    if r.get::<u32>(o.a) == o.imm as i64 as u32 {
                        jump!(o.offset);
                    }
                }
                BrI32Ne(o) => {
                    if r.get::<u32>(o.a) != r.get::<u32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32NeImm(o) => {
                    if r.get::<u32>(o.a) != o.imm as i64 as u32 {
                        jump!(o.offset);
                    }
                }
                BrI32LtS(o) => {
                    if r.get::<i32>(o.a) < r.get::<i32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32LtSImm(o) => {
                    if r.get::<i32>(o.a) < o.imm as i64 as i32 {
                        jump!(o.offset);
                    }
                }
                BrI32LtU(o) => {
                    if r.get::<u32>(o.a) < r.get::<u32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32LtUImm(o) => {
                    if r.get::<u32>(o.a) < o.imm as i64 as u32 {
                        jump!(o.offset);
                    }
                }
                BrI32GtS(o) => {
                    if r.get::<i32>(o.a) > r.get::<i32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32GtSImm(o) => {
                    if r.get::<i32>(o.a) > o.imm as i64 as i32 {
                        jump!(o.offset);
                    }
                }
                BrI32GtU(o) => {
                    if r.get::<u32>(o.a) > r.get::<u32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32GtUImm(o) => {
                    if r.get::<u32>(o.a) > o.imm as i64 as u32 {
                        jump!(o.offset);
                    }
                }
                BrI32LeS(o) => {
                    if r.get::<i32>(o.a) <= r.get::<i32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32LeSImm(o) => {
                    if r.get::<i32>(o.a) <= o.imm as i64 as i32 {
                        jump!(o.offset);
                    }
                }
                BrI32LeU(o) => {
                    if r.get::<u32>(o.a) <= r.get::<u32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32LeUImm(o) => {
                    if r.get::<u32>(o.a) <= o.imm as i64 as u32 {
                        jump!(o.offset);
                    }
                }
                BrI32GeS(o) => {
                    if r.get::<i32>(o.a) >= r.get::<i32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32GeSImm(o) => {
                    if r.get::<i32>(o.a) >= o.imm as i64 as i32 {
                        jump!(o.offset);
                    }
                }
                BrI32GeU(o) => {
                    if r.get::<u32>(o.a) >= r.get::<u32>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI32GeUImm(o) => {
                    if r.get::<u32>(o.a) >= o.imm as i64 as u32 {
                        jump!(o.offset);
                    }
                }
                BrI64Eq(o) => {
                    if r.get::<u64>(o.a) == r.get::<u64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64EqImm(o) => {
                    if r.get::<u64>(o.a) == o.imm as i64 as u64 {
                        jump!(o.offset);
                    }
                }
                BrI64Ne(o) => {
                    if r.get::<u64>(o.a) != r.get::<u64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64NeImm(o) => {
                    if r.get::<u64>(o.a) != o.imm as i64 as u64 {
                        jump!(o.offset);
                    }
                }
                BrI64LtS(o) => {
                    if r.get::<i64>(o.a) < r.get::<i64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64LtSImm(o) => {
                    if r.get::<i64>(o.a) < o.imm as i64 as i64 {
                        jump!(o.offset);
                    }
                }
                BrI64LtU(o) => {
                    if r.get::<u64>(o.a) < r.get::<u64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64LtUImm(o) => {
                    if r.get::<u64>(o.a) < o.imm as i64 as u64 {
                        jump!(o.offset);
                    }
                }
                BrI64GtS(o) => {
                    if r.get::<i64>(o.a) > r.get::<i64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64GtSImm(o) => {
                    if r.get::<i64>(o.a) > o.imm as i64 as i64 {
                        jump!(o.offset);
                    }
                }
                BrI64GtU(o) => {
                    if r.get::<u64>(o.a) > r.get::<u64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64GtUImm(o) => {
                    if r.get::<u64>(o.a) > o.imm as i64 as u64 {
                        jump!(o.offset);
                    }
                }
                BrI64LeS(o) => {
                    if r.get::<i64>(o.a) <= r.get::<i64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64LeSImm(o) => {
                    if r.get::<i64>(o.a) <= o.imm as i64 as i64 {
                        jump!(o.offset);
                    }
                }
                BrI64LeU(o) => {
                    if r.get::<u64>(o.a) <= r.get::<u64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64LeUImm(o) => {
                    if r.get::<u64>(o.a) <= o.imm as i64 as u64 {
                        jump!(o.offset);
                    }
                }
                BrI64GeS(o) => {
                    if r.get::<i64>(o.a) >= r.get::<i64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64GeSImm(o) => {
                    if r.get::<i64>(o.a) >= o.imm as i64 as i64 {
                        jump!(o.offset);
                    }
                }
                BrI64GeU(o) => {
                    if r.get::<u64>(o.a) >= r.get::<u64>(o.b) {
                        jump!(o.offset);
                    }
                }
                BrI64GeUImm(o) => {
                    if r.get::<u64>(o.a) >= o.imm as i64 as u64 {
                        jump!(o.offset);
                    }
                }
                BrTable { index, len } => {
                    let i = r.get::<u32>(index).min(len - 1);
                    // SAFETY: the `len` entries follow; verified to be inside the code.
                    ip = unsafe { ip.add(i as usize) };
                }
                Return(span) => {
                    sync!();
                    flow!(self.do_return(span));
                }
                Call { func, args } => {
                    sync!();
                    let callee = self.func_index(func);
                    self.call(callee, self.base + args as usize)?;
                    reload!();
                }
                CallIndirect { index, args, table, ty } => {
                    sync!();
                    let callee = self.indirect_callee(index, table, ty).map_err(trap!())?;
                    self.call(callee, self.base + args as usize)?;
                    reload!();
                }
                ReturnCall { func, args } => {
                    sync!();
                    let callee = self.func_index(func);
                    flow!(self.tail_call(callee, self.base + args as usize)?);
                }
                ReturnCallIndirect { index, args, table, ty } => {
                    sync!();
                    let callee = self.indirect_callee(index, table, ty).map_err(trap!())?;
                    flow!(self.tail_call(callee, self.base + args as usize)?);
                }

                Copy(o) => r.un(o, |x: Cell| x),
                Const32 { dst, value } => r.set(dst, value),
                Const64 { dst, index } => r.set(dst, self.code.get().consts[index as usize]),
                Select { dst, cond, a, b } => {
                    let pick = if r.get::<u32>(cond) != 0 { a } else { b };
                    r.set(dst, r.get::<Cell>(pick));
                }
                GlobalGet { dst, global } => {
                    r.set(dst, self.store.inner.globals[self.global_index(global)].value);
                }
                GlobalSet { src, global } => {
                    let g = self.global_index(global);
                    self.store.inner.globals[g].value = r.get::<Cell>(src);
                }
                RefIsNull(o) => r.un(o, |x: Cell| x == NULL_REF),
                RefFunc { dst, func } => r.set(dst, ref_cell(self.func_index(func))),

                // Slow paths over tables and bulk memory: state written back, then reloaded.
                TableGet { dst, index, table } => {
                    sync!();
                    self.table_get(dst, index, table).map_err(trap!())?;
                    reload!();
                }
                TableSet { index, value, table } => {
                    sync!();
                    self.table_set(index, value, table).map_err(trap!())?;
                    reload!();
                }
                TableSize { dst, table } => {
                    let len = self.store.inner.tables[self.table_index(table)].elems.len() as u32;
                    r.set(dst, len);
                }
                TableGrow { dst, args, table } => {
                    sync!();
                    self.table_grow(dst, args, table);
                    reload!();
                }
                TableFill { args, table } => {
                    sync!();
                    self.table_fill(args, table).map_err(trap!())?;
                    reload!();
                }
                TableCopy { args, dst_table, src_table } => {
                    sync!();
                    self.table_copy(args, dst_table, src_table).map_err(trap!())?;
                    reload!();
                }
                TableInit { args, table, elem } => {
                    sync!();
                    self.table_init(args, table, elem).map_err(trap!())?;
                    reload!();
                }
                ElemDrop(segment) => {
                    let instance = &mut self.store.inner.instances[self.instance as usize];
                    instance.elems[segment as usize] = alloc::boxed::Box::new([]);
                }
                MemorySize { dst } => r.set(dst, (mem.len / PAGE_SIZE) as u32),
                MemoryGrow(o) => {
                    sync!();
                    self.memory_grow(o);
                    reload!();
                }
                MemoryFill { args } => {
                    sync!();
                    self.memory_fill(args).map_err(trap!())?;
                    reload!();
                }
                MemoryCopy { args } => {
                    sync!();
                    self.memory_copy(args).map_err(trap!())?;
                    reload!();
                }
                MemoryInit { args, data } => {
                    sync!();
                    self.memory_init(args, data).map_err(trap!())?;
                    reload!();
                }
                DataDrop(segment) => {
                    let instance = &mut self.store.inner.instances[self.instance as usize];
                    instance.data_dropped[segment as usize] = true;
                }

                I32Load(o) => mem.load(r, o, i32::from_le_bytes).map_err(trap!())?,
                I64Load(o) => mem.load(r, o, i64::from_le_bytes).map_err(trap!())?,
                F32Load(o) => mem.load(r, o, u32::from_le_bytes).map_err(trap!())?,
                F64Load(o) => mem.load(r, o, u64::from_le_bytes).map_err(trap!())?,
                I32Load8S(o) => mem.load(r, o, |b: [u8; 1]| b[0] as i8 as i32).map_err(trap!())?,
                I32Load8U(o) => mem.load(r, o, |b: [u8; 1]| b[0] as u32).map_err(trap!())?,
                I32Load16S(o) => mem.load(r, o, |b| i16::from_le_bytes(b) as i32).map_err(trap!())?,
                I32Load16U(o) => mem.load(r, o, |b| u16::from_le_bytes(b) as u32).map_err(trap!())?,
                I64Load8S(o) => mem.load(r, o, |b: [u8; 1]| b[0] as i8 as i64).map_err(trap!())?,
                I64Load8U(o) => mem.load(r, o, |b: [u8; 1]| b[0] as u64).map_err(trap!())?,
                I64Load16S(o) => mem.load(r, o, |b| i16::from_le_bytes(b) as i64).map_err(trap!())?,
                I64Load16U(o) => mem.load(r, o, |b| u16::from_le_bytes(b) as u64).map_err(trap!())?,
                I64Load32S(o) => mem.load(r, o, |b| i32::from_le_bytes(b) as i64).map_err(trap!())?,
                I64Load32U(o) => mem.load(r, o, |b| u32::from_le_bytes(b) as u64).map_err(trap!())?,
                I32Store(o) => mem.store(r, o, u32::to_le_bytes).map_err(trap!())?,
                I64Store(o) => mem.store(r, o, u64::to_le_bytes).map_err(trap!())?,
                F32Store(o) => mem.store(r, o, u32::to_le_bytes).map_err(trap!())?,
                F64Store(o) => mem.store(r, o, u64::to_le_bytes).map_err(trap!())?,
                I32Store8(o) => mem.store(r, o, |x: u32| [x as u8]).map_err(trap!())?,
                I32Store16(o) => mem.store(r, o, |x: u32| (x as u16).to_le_bytes()).map_err(trap!())?,
                I64Store8(o) => mem.store(r, o, |x: u64| [x as u8]).map_err(trap!())?,
                I64Store16(o) => mem.store(r, o, |x: u64| (x as u16).to_le_bytes()).map_err(trap!())?,
                I64Store32(o) => mem.store(r, o, |x: u64| (x as u32).to_le_bytes()).map_err(trap!())?,

                I32Eqz(o) => r.un(o, |x: u32| x == 0),
                I32Clz(o) => r.un(o, |x: u32| x.leading_zeros()),
                I32Ctz(o) => r.un(o, |x: u32| x.trailing_zeros()),
                I32Popcnt(o) => r.un(o, |x: u32| x.count_ones()),
                I32Extend8S(o) => r.un(o, |x: i32| x as i8 as i32),
                I32Extend16S(o) => r.un(o, |x: i32| x as i16 as i32),
                I32Add(o) => r.bin(o, i32::wrapping_add),
                I32Sub(o) => r.bin(o, i32::wrapping_sub),
                I32Mul(o) => r.bin(o, i32::wrapping_mul),
                I32DivS(o) => r.try_bin(o, values::i32_div_s).map_err(trap!())?,
                I32DivU(o) => r.try_bin(o, values::i32_div_u).map_err(trap!())?,
                I32RemS(o) => r.try_bin(o, values::i32_rem_s).map_err(trap!())?,
                I32RemU(o) => r.try_bin(o, values::i32_rem_u).map_err(trap!())?,
                I32And(o) => r.bin(o, |a: u32, b| a & b),
                I32Or(o) => r.bin(o, |a: u32, b| a | b),
                I32Xor(o) => r.bin(o, |a: u32, b| a ^ b),
                I32Shl(o) => r.bin(o, |a: u32, b| a.wrapping_shl(b)),
                I32ShrS(o) => r.bin(o, |a: i32, b| a.wrapping_shr(b as u32)),
                I32ShrU(o) => r.bin(o, |a: u32, b| a.wrapping_shr(b)),
                I32Rotl(o) => r.bin(o, |a: u32, b| a.rotate_left(b)),
                I32Rotr(o) => r.bin(o, |a: u32, b| a.rotate_right(b)),
                I32Eq(o) => r.bin(o, |a: u32, b| a == b),
                I32Ne(o) => r.bin(o, |a: u32, b| a != b),
                I32LtS(o) => r.bin(o, |a: i32, b| a < b),
                I32LtU(o) => r.bin(o, |a: u32, b| a < b),
                I32GtS(o) => r.bin(o, |a: i32, b| a > b),
                I32GtU(o) => r.bin(o, |a: u32, b| a > b),
                I32LeS(o) => r.bin(o, |a: i32, b| a <= b),
                I32LeU(o) => r.bin(o, |a: u32, b| a <= b),
                I32GeS(o) => r.bin(o, |a: i32, b| a >= b),
                I32GeU(o) => r.bin(o, |a: u32, b| a >= b),
                I32AddImm(o) => r.bin_imm(o, i32::wrapping_add),
                I32SubImm(o) => r.bin_imm(o, i32::wrapping_sub),
                I32MulImm(o) => r.bin_imm(o, i32::wrapping_mul),
                I32AndImm(o) => r.bin_imm(o, |a: u32, b| a & b),
                I32OrImm(o) => r.bin_imm(o, |a: u32, b| a | b),
                I32XorImm(o) => r.bin_imm(o, |a: u32, b| a ^ b),
                I32ShlImm(o) => r.bin_imm(o, |a: u32, b| a.wrapping_shl(b)),
                I32ShrSImm(o) => r.bin_imm(o, |a: i32, b| a.wrapping_shr(b as u32)),
                I32ShrUImm(o) => r.bin_imm(o, |a: u32, b| a.wrapping_shr(b)),
                I32EqImm(o) => r.bin_imm(o, |a: u32, b| a == b),
                I32NeImm(o) => r.bin_imm(o, |a: u32, b| a != b),
                I32LtSImm(o) => r.bin_imm(o, |a: i32, b| a < b),
                I32LtUImm(o) => r.bin_imm(o, |a: u32, b| a < b),
                I32GtSImm(o) => r.bin_imm(o, |a: i32, b| a > b),
                I32GtUImm(o) => r.bin_imm(o, |a: u32, b| a > b),
                I32LeSImm(o) => r.bin_imm(o, |a: i32, b| a <= b),
                I32LeUImm(o) => r.bin_imm(o, |a: u32, b| a <= b),
                I32GeSImm(o) => r.bin_imm(o, |a: i32, b| a >= b),
                I32GeUImm(o) => r.bin_imm(o, |a: u32, b| a >= b),

                I64Eqz(o) => r.un(o, |x: u64| x == 0),
                I64Clz(o) => r.un(o, |x: u64| x.leading_zeros() as u64),
                I64Ctz(o) => r.un(o, |x: u64| x.trailing_zeros() as u64),
                I64Popcnt(o) => r.un(o, |x: u64| x.count_ones() as u64),
                I64Extend8S(o) => r.un(o, |x: i64| x as i8 as i64),
                I64Extend16S(o) => r.un(o, |x: i64| x as i16 as i64),
                I64Extend32S(o) => r.un(o, |x: i64| x as i32 as i64),
                I64Add(o) => r.bin(o, i64::wrapping_add),
                I64Sub(o) => r.bin(o, i64::wrapping_sub),
                I64Mul(o) => r.bin(o, i64::wrapping_mul),
                I64DivS(o) => r.try_bin(o, values::i64_div_s).map_err(trap!())?,
                I64DivU(o) => r.try_bin(o, values::i64_div_u).map_err(trap!())?,
                I64RemS(o) => r.try_bin(o, values::i64_rem_s).map_err(trap!())?,
                I64RemU(o) => r.try_bin(o, values::i64_rem_u).map_err(trap!())?,
                I64And(o) => r.bin(o, |a: u64, b| a & b),
                I64Or(o) => r.bin(o, |a: u64, b| a | b),
                I64Xor(o) => r.bin(o, |a: u64, b| a ^ b),
                I64Shl(o) => r.bin(o, |a: u64, b| a.wrapping_shl(b as u32)),
                I64ShrS(o) => r.bin(o, |a: i64, b| a.wrapping_shr(b as u32)),
                I64ShrU(o) => r.bin(o, |a: u64, b| a.wrapping_shr(b as u32)),
                I64Rotl(o) => r.bin(o, |a: u64, b| a.rotate_left(b as u32)),
                I64Rotr(o) => r.bin(o, |a: u64, b| a.rotate_right(b as u32)),
                I64Eq(o) => r.bin(o, |a: u64, b| a == b),
                I64Ne(o) => r.bin(o, |a: u64, b| a != b),
                I64LtS(o) => r.bin(o, |a: i64, b| a < b),
                I64LtU(o) => r.bin(o, |a: u64, b| a < b),
                I64GtS(o) => r.bin(o, |a: i64, b| a > b),
                I64GtU(o) => r.bin(o, |a: u64, b| a > b),
                I64LeS(o) => r.bin(o, |a: i64, b| a <= b),
                I64LeU(o) => r.bin(o, |a: u64, b| a <= b),
                I64GeS(o) => r.bin(o, |a: i64, b| a >= b),
                I64GeU(o) => r.bin(o, |a: u64, b| a >= b),
                I64AddImm(o) => r.bin_imm(o, i64::wrapping_add),
                I64SubImm(o) => r.bin_imm(o, i64::wrapping_sub),
                I64MulImm(o) => r.bin_imm(o, i64::wrapping_mul),
                I64AndImm(o) => r.bin_imm(o, |a: u64, b| a & b),
                I64OrImm(o) => r.bin_imm(o, |a: u64, b| a | b),
                I64XorImm(o) => r.bin_imm(o, |a: u64, b| a ^ b),
                I64ShlImm(o) => r.bin_imm(o, |a: u64, b| a.wrapping_shl(b as u32)),
                I64ShrSImm(o) => r.bin_imm(o, |a: i64, b| a.wrapping_shr(b as u32)),
                I64ShrUImm(o) => r.bin_imm(o, |a: u64, b| a.wrapping_shr(b as u32)),
                I64EqImm(o) => r.bin_imm(o, |a: u64, b| a == b),
                I64NeImm(o) => r.bin_imm(o, |a: u64, b| a != b),
                I64LtSImm(o) => r.bin_imm(o, |a: i64, b| a < b),
                I64LtUImm(o) => r.bin_imm(o, |a: u64, b| a < b),
                I64GtSImm(o) => r.bin_imm(o, |a: i64, b| a > b),
                I64GtUImm(o) => r.bin_imm(o, |a: u64, b| a > b),
                I64LeSImm(o) => r.bin_imm(o, |a: i64, b| a <= b),
                I64LeUImm(o) => r.bin_imm(o, |a: u64, b| a <= b),
                I64GeSImm(o) => r.bin_imm(o, |a: i64, b| a >= b),
                I64GeUImm(o) => r.bin_imm(o, |a: u64, b| a >= b),

                F32Abs(o) => r.un(o, values::f32_abs),
                F32Neg(o) => r.un(o, values::f32_neg),
                F32Ceil(o) => r.un(o, rounding::f32_ceil),
                F32Floor(o) => r.un(o, rounding::f32_floor),
                F32Trunc(o) => r.un(o, rounding::f32_trunc),
                F32Nearest(o) => r.un(o, rounding::f32_nearest),
                F32Sqrt(o) => r.un(o, rounding::f32_sqrt),
                F32Add(o) => r.bin(o, |a: f32, b| a + b),
                F32Sub(o) => r.bin(o, |a: f32, b| a - b),
                F32Mul(o) => r.bin(o, |a: f32, b| a * b),
                F32Div(o) => r.bin(o, |a: f32, b| a / b),
                F32Min(o) => r.bin(o, values::f32_min),
                F32Max(o) => r.bin(o, values::f32_max),
                F32Copysign(o) => r.bin(o, values::f32_copysign),
                F32Eq(o) => r.bin(o, |a: f32, b| a == b),
                F32Ne(o) => r.bin(o, |a: f32, b| a != b),
                F32Lt(o) => r.bin(o, |a: f32, b| a < b),
                F32Gt(o) => r.bin(o, |a: f32, b| a > b),
                F32Le(o) => r.bin(o, |a: f32, b| a <= b),
                F32Ge(o) => r.bin(o, |a: f32, b| a >= b),
                F64Abs(o) => r.un(o, values::f64_abs),
                F64Neg(o) => r.un(o, values::f64_neg),
                F64Ceil(o) => r.un(o, rounding::f64_ceil),
                F64Floor(o) => r.un(o, rounding::f64_floor),
                F64Trunc(o) => r.un(o, rounding::f64_trunc),
                F64Nearest(o) => r.un(o, rounding::f64_nearest),
                F64Sqrt(o) => r.un(o, rounding::f64_sqrt),
                F64Add(o) => r.bin(o, |a: f64, b| a + b),
                F64Sub(o) => r.bin(o, |a: f64, b| a - b),
                F64Mul(o) => r.bin(o, |a: f64, b| a * b),
                F64Div(o) => r.bin(o, |a: f64, b| a / b),
                F64Min(o) => r.bin(o, values::f64_min),
                F64Max(o) => r.bin(o, values::f64_max),
                F64Copysign(o) => r.bin(o, values::f64_copysign),
                F64Eq(o) => r.bin(o, |a: f64, b| a == b),
                F64Ne(o) => r.bin(o, |a: f64, b| a != b),
                F64Lt(o) => r.bin(o, |a: f64, b| a < b),
                F64Gt(o) => r.bin(o, |a: f64, b| a > b),
                F64Le(o) => r.bin(o, |a: f64, b| a <= b),
                F64Ge(o) => r.bin(o, |a: f64, b| a >= b),

                I32WrapI64(o) => r.un(o, |x: u64| x as u32),
                I32TruncF32S(o) => r.try_un(o, values::i32_trunc_f32_s).map_err(trap!())?,
                I32TruncF32U(o) => r.try_un(o, values::i32_trunc_f32_u).map_err(trap!())?,
                I32TruncF64S(o) => r.try_un(o, values::i32_trunc_f64_s).map_err(trap!())?,
                I32TruncF64U(o) => r.try_un(o, values::i32_trunc_f64_u).map_err(trap!())?,
                I64ExtendI32S(o) => r.un(o, |x: i32| x as i64),
                I64ExtendI32U(o) => r.un(o, |x: u32| x as u64),
                I64TruncF32S(o) => r.try_un(o, values::i64_trunc_f32_s).map_err(trap!())?,
                I64TruncF32U(o) => r.try_un(o, values::i64_trunc_f32_u).map_err(trap!())?,
                I64TruncF64S(o) => r.try_un(o, values::i64_trunc_f64_s).map_err(trap!())?,
                I64TruncF64U(o) => r.try_un(o, values::i64_trunc_f64_u).map_err(trap!())?,
                F32ConvertI32S(o) => r.un(o, |x: i32| x as f32),
                F32ConvertI32U(o) => r.un(o, |x: u32| x as f32),
                F32ConvertI64S(o) => r.un(o, |x: i64| x as f32),
                F32ConvertI64U(o) => r.un(o, |x: u64| x as f32),
                F32DemoteF64(o) => r.un(o, |x: f64| x as f32),
                F64ConvertI32S(o) => r.un(o, |x: i32| x as f64),
                F64ConvertI32U(o) => r.un(o, |x: u32| x as f64),
                F64ConvertI64S(o) => r.un(o, |x: i64| x as f64),
                F64ConvertI64U(o) => r.un(o, |x: u64| x as f64),
                F64PromoteF32(o) => r.un(o, |x: f32| x as f64),
                I32TruncSatF32S(o) => r.un(o, |x: f32| x as i32),
                I32TruncSatF32U(o) => r.un(o, |x: f32| x as u32),
                I32TruncSatF64S(o) => r.un(o, |x: f64| x as i32),
                I32TruncSatF64U(o) => r.un(o, |x: f64| x as u32),
                I64TruncSatF32S(o) => r.un(o, |x: f32| x as i64),
                I64TruncSatF32U(o) => r.un(o, |x: f32| x as u64),
                I64TruncSatF64S(o) => r.un(o, |x: f64| x as i64),
                I64TruncSatF64U(o) => r.un(o, |x: f64| x as u64),
            }
        }
    }

    /// `return`: copies the results to the frame base and resumes the suspended caller.
    fn do_return(&mut self, span: Span) -> Flow {
        if span.len > 0 && span.start != 0 {
            let from = self.base + span.start as usize;
            self.store.inner.exec.cells.copy_within(from..from + span.len as usize, self.base);
        }
        self.return_to_caller()
    }
}
