//! The interpreter loop: one activation runs wasm code until its first frame returns.
//!
//! See the module documentation of [`super`] for the frame protocol this implements.

use super::values::{self, CellValue, rounding};
use super::{CodeRef, Frame};
use crate::bytecode::{Bin, BinImm, Instr, Load, Slot, Span, Store as StoreOp, Un};
use crate::error::{Error, FrameInfo, Result, Trap, TrapCode};
use crate::store::{FuncEntity, PAGE_SIZE, Store};
use crate::value::{Cell, NULL_REF, ref_cell, ref_index};

/// What the loop does after a call or return.
enum Flow {
    Continue,
    /// The activation's first frame returned.
    Done,
}

pub(super) struct Executor<'s, T> {
    store: &'s mut Store<T>,
    /// The frame-stack depth when this activation began: returning to it ends the run.
    entry_depth: usize,
    code: CodeRef,
    ip: usize,
    base: usize,
    instance: u32,
    func: u32,
    /// The store index of the current instance's memory 0, if it has one.
    memory: Option<u32>,
}

impl<'s, T> Executor<'s, T> {
    /// Runs wasm function `func` (a store index) whose arguments are at `base`.
    pub(super) fn run(store: &'s mut Store<T>, func: u32, base: usize) -> Result<()> {
        let entry_depth = store.inner.exec.frames.len();
        let mut exec = Executor {
            store,
            entry_depth,
            code: CodeRef(core::ptr::null()),
            ip: 0,
            base,
            instance: 0,
            func,
            memory: None,
        };
        let outcome = match exec.enter(func, base) {
            Ok(()) => exec.execute(),
            Err(e) => Err(e),
        };
        outcome.map_err(|e| exec.unwind(e))
    }

    /// Attaches the backtrace to a trap and drops this activation's frames.
    fn unwind(&mut self, error: Error) -> Error {
        let mut trap = match error.as_trap() {
            Some(_) => error,
            None => return self.discard_frames(error),
        };
        let mut frames = alloc::vec![self.frame_info(self.func)];
        let funcs: alloc::vec::Vec<u32> =
            self.store.inner.exec.frames[self.entry_depth..].iter().rev().map(|f| f.func).collect();
        frames.extend(funcs.into_iter().map(|f| self.frame_info(f)));
        if let crate::error::ErrorKind::Trap(t) = trap_kind_mut(&mut trap) {
            t.backtrace_mut().extend(frames);
        }
        self.discard_frames(trap)
    }

    fn discard_frames(&mut self, error: Error) -> Error {
        self.store.inner.exec.frames.truncate(self.entry_depth);
        error
    }

    fn frame_info(&self, func: u32) -> FrameInfo {
        match &self.store.inner.funcs[func as usize] {
            FuncEntity::Wasm { instance, def_index, .. } => {
                let module = &self.store.inner.instances[*instance as usize].module;
                let func_index = module.num_imported_funcs + def_index;
                FrameInfo {
                    func_index,
                    func_name: module.func_name(func_index).map(alloc::string::String::from),
                }
            }
            FuncEntity::Host { .. } => FrameInfo { func_index: func, func_name: None },
        }
    }

    // --- frame switching ----------------------------------------------------------------

    /// Makes wasm function `func` (store index) the running function, with its frame at
    /// `base` and its arguments already there.
    fn enter(&mut self, func: u32, base: usize) -> Result<()> {
        let FuncEntity::Wasm { instance, def_index, .. } = self.store.inner.funcs[func as usize]
        else {
            unreachable!("enter is only called for wasm functions");
        };
        let module = &self.store.inner.instances[instance as usize].module;
        let code = module.compiled(def_index)?;
        let code_ref = CodeRef::new(code);
        let (num_params, num_locals, frame_size) = (code.num_params, code.num_locals, code.frame_size);
        let exec = &mut self.store.inner.exec;
        exec.reserve(base + frame_size).map_err(Trap::new)?;
        exec.cells[base + num_params..base + num_locals].fill(0);
        self.code = code_ref;
        self.ip = 0;
        self.base = base;
        self.func = func;
        self.set_instance(instance);
        Ok(())
    }

    fn set_instance(&mut self, instance: u32) {
        self.instance = instance;
        self.memory = self.store.inner.instances[instance as usize].memories.first().copied();
    }

    /// A call: suspends the running function and starts `callee` on the arguments at `args`
    /// (a cell index), or runs a host callee to completion.
    fn call(&mut self, callee: u32, args: usize) -> Result<()> {
        match self.store.inner.funcs[callee as usize] {
            FuncEntity::Wasm { .. } => {
                let exec = &mut self.store.inner.exec;
                if exec.frames.len() >= exec.max_frames {
                    return Err(Trap::new(TrapCode::StackOverflow).into());
                }
                exec.frames.push(Frame {
                    code: self.code,
                    ip: self.ip,
                    base: self.base,
                    instance: self.instance,
                    func: self.func,
                });
                let entered = self.enter(callee, args);
                if entered.is_err() {
                    // The callee never started: its caller is still the running function.
                    self.store.inner.exec.frames.pop();
                }
                entered
            }
            FuncEntity::Host { host, .. } => self.call_host(callee, host, args, args),
        }
    }

    /// A tail call: the running function's frame is given to `callee`.
    fn tail_call(&mut self, callee: u32, args: usize) -> Result<Flow> {
        match &self.store.inner.funcs[callee as usize] {
            FuncEntity::Wasm { ty, .. } => {
                let n = ty.params().len();
                self.store.inner.exec.cells.copy_within(args..args + n, self.base);
                self.enter(callee, self.base)?;
                Ok(Flow::Continue)
            }
            FuncEntity::Host { host, .. } => {
                let host = *host;
                // The host's results become this frame's results; then this frame returns
                // to its caller, whose state is on the frame stack.
                self.call_host(callee, host, args, self.base)?;
                Ok(self.return_to_caller())
            }
        }
    }

    /// Pops the suspended caller, if this activation has one.
    fn return_to_caller(&mut self) -> Flow {
        let exec = &mut self.store.inner.exec;
        if exec.frames.len() == self.entry_depth {
            return Flow::Done;
        }
        let frame = exec.frames.pop().expect("frame stack deeper than the entry depth");
        self.code = frame.code;
        self.ip = frame.ip;
        self.base = frame.base;
        self.func = frame.func;
        self.set_instance(frame.instance);
        Flow::Continue
    }

    /// Calls host function `host` (store function `callee`) with the parameters at `params`
    /// and writes its results at `results` (cell indices).
    fn call_host(&mut self, callee: u32, host: u32, params: usize, results: usize) -> Result<()> {
        let ty = self.store.inner.funcs[callee as usize].ty();
        let (num_params, num_results) = (ty.params().len(), ty.results().len());
        let len = num_params.max(num_results);
        let mut small = [0 as Cell; 16];
        let mut large;
        let cells: &mut [Cell] = if len <= small.len() {
            &mut small[..len]
        } else {
            large = alloc::vec![0 as Cell; len];
            &mut large
        };
        let exec = &mut self.store.inner.exec;
        cells[..num_params].copy_from_slice(&exec.cells[params..params + num_params]);
        // Re-entrant calls from the host start above the running frame.
        let frame_end = self.base + self.code.get().frame_size;
        let saved_top = exec.top;
        exec.top = frame_end.max(params + len);
        let outcome = super::call_host(self.store, host, Some(self.instance), cells);
        self.store.inner.exec.top = saved_top;
        match outcome {
            Ok(()) => {
                let exec = &mut self.store.inner.exec;
                exec.cells[results..results + num_results].copy_from_slice(&cells[..num_results]);
                Ok(())
            }
            Err(e) if e.as_trap().is_some() => Err(e),
            Err(e) => Err(Trap::host(e).into()),
        }
    }

    // --- operand access -------------------------------------------------------------------

    #[inline(always)]
    fn get<V: CellValue>(&self, slot: Slot) -> V {
        V::from_cell(self.store.inner.exec.cells[self.base + slot as usize])
    }

    #[inline(always)]
    fn set<V: CellValue>(&mut self, slot: Slot, value: V) {
        self.store.inner.exec.cells[self.base + slot as usize] = value.into_cell();
    }

    #[inline(always)]
    fn un<A: CellValue, R: CellValue>(&mut self, o: Un, f: impl FnOnce(A) -> R) {
        let a = self.get(o.src);
        self.set(o.dst, f(a));
    }

    #[inline(always)]
    fn bin<A: CellValue, R: CellValue>(&mut self, o: Bin, f: impl FnOnce(A, A) -> R) {
        let (a, b) = (self.get(o.a), self.get(o.b));
        self.set(o.dst, f(a, b));
    }

    #[inline(always)]
    fn bin_imm<A: CellValue, R: CellValue>(&mut self, o: BinImm, f: impl FnOnce(A, A) -> R) {
        let a = self.get(o.a);
        // The immediate is sign-extended to a cell: right for both widths, since `i32`
        // operands read only the low 32 bits.
        let b = A::from_cell(o.imm as i64 as Cell);
        self.set(o.dst, f(a, b));
    }

    #[inline(always)]
    fn try_un<A: CellValue, R: CellValue>(
        &mut self,
        o: Un,
        f: impl FnOnce(A) -> Result<R, TrapCode>,
    ) -> Result<(), TrapCode> {
        let a = self.get(o.src);
        self.set(o.dst, f(a)?);
        Ok(())
    }

    #[inline(always)]
    fn try_bin<A: CellValue, R: CellValue>(
        &mut self,
        o: Bin,
        f: impl FnOnce(A, A) -> Result<R, TrapCode>,
    ) -> Result<(), TrapCode> {
        let (a, b) = (self.get(o.a), self.get(o.b));
        self.set(o.dst, f(a, b)?);
        Ok(())
    }

    // --- memory -----------------------------------------------------------------------------

    fn memory_data(&mut self) -> &mut alloc::vec::Vec<u8> {
        let index = self.memory.expect("validated: memory instructions need a memory");
        &mut self.store.inner.memories[index as usize].data
    }

    #[inline(always)]
    fn load<const N: usize, R: CellValue>(
        &mut self,
        o: Load,
        f: impl FnOnce([u8; N]) -> R,
    ) -> Result<(), TrapCode> {
        let addr = self.get::<u32>(o.addr) as usize + o.offset as usize;
        let bytes = self
            .memory_data()
            .get(addr..addr + N)
            .ok_or(TrapCode::MemoryOutOfBounds)?;
        let value = f(bytes.try_into().expect("slice of length N"));
        self.set(o.dst, value);
        Ok(())
    }

    #[inline(always)]
    fn store_bytes<const N: usize, V: CellValue>(
        &mut self,
        o: StoreOp,
        f: impl FnOnce(V) -> [u8; N],
    ) -> Result<(), TrapCode> {
        let addr = self.get::<u32>(o.addr) as usize + o.offset as usize;
        let bytes = f(self.get(o.value));
        self.memory_data()
            .get_mut(addr..addr + N)
            .ok_or(TrapCode::MemoryOutOfBounds)?
            .copy_from_slice(&bytes);
        Ok(())
    }

    /// The three `i32` operands of a bulk instruction, as lengths and indices.
    fn args3(&self, args: Slot) -> (usize, usize, usize) {
        (
            self.get::<u32>(args) as usize,
            self.get::<u32>(args + 1) as usize,
            self.get::<u32>(args + 2) as usize,
        )
    }

    fn memory_grow(&mut self, o: Un) {
        let delta = self.get::<u32>(o.src) as u64;
        let index = self.memory.expect("validated: memory.grow needs a memory");
        let result = self.store.inner.memories[index as usize].grow(delta);
        self.set(o.dst, result.map_or(-1, |old| old as i32));
    }

    fn memory_fill(&mut self, args: Slot) -> Result<(), TrapCode> {
        let (dst, value, len) = self.args3(args);
        let data = self.memory_data();
        let end = dst.checked_add(len).filter(|end| *end <= data.len());
        let end = end.ok_or(TrapCode::MemoryOutOfBounds)?;
        data[dst..end].fill(value as u8);
        Ok(())
    }

    fn memory_copy(&mut self, args: Slot) -> Result<(), TrapCode> {
        let (dst, src, len) = self.args3(args);
        let data = self.memory_data();
        if src + len > data.len() || dst + len > data.len() {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        data.copy_within(src..src + len, dst);
        Ok(())
    }

    fn memory_init(&mut self, args: Slot, segment: u32) -> Result<(), TrapCode> {
        let (dst, src, len) = self.args3(args);
        let index = self.memory.expect("validated: memory.init needs a memory");
        let inner = &mut self.store.inner;
        let bytes = inner.instances[self.instance as usize].data(segment);
        let data = &mut inner.memories[index as usize].data;
        if src + len > bytes.len() || dst + len > data.len() {
            return Err(TrapCode::MemoryOutOfBounds);
        }
        data[dst..dst + len].copy_from_slice(&bytes[src..src + len]);
        Ok(())
    }

    // --- tables and globals -------------------------------------------------------------------

    fn table_index(&self, table: u32) -> usize {
        self.store.inner.instances[self.instance as usize].tables[table as usize] as usize
    }

    fn global_index(&self, global: u32) -> usize {
        self.store.inner.instances[self.instance as usize].globals[global as usize] as usize
    }

    fn table_get(&mut self, dst: Slot, index: Slot, table: u32) -> Result<(), TrapCode> {
        let t = self.table_index(table);
        let i = self.get::<u32>(index) as usize;
        let cell = *self.store.inner.tables[t].elems.get(i).ok_or(TrapCode::TableOutOfBounds)?;
        self.set(dst, cell);
        Ok(())
    }

    fn table_set(&mut self, index: Slot, value: Slot, table: u32) -> Result<(), TrapCode> {
        let t = self.table_index(table);
        let (i, value) = (self.get::<u32>(index) as usize, self.get::<Cell>(value));
        *self.store.inner.tables[t].elems.get_mut(i).ok_or(TrapCode::TableOutOfBounds)? = value;
        Ok(())
    }

    fn table_grow(&mut self, dst: Slot, args: Slot, table: u32) {
        let t = self.table_index(table);
        let (init, delta) = (self.get::<Cell>(args), self.get::<u32>(args + 1));
        let result = self.store.inner.tables[t].grow(delta as u64, init);
        self.set(dst, result.map_or(-1, |old| old as i32));
    }

    fn table_fill(&mut self, args: Slot, table: u32) -> Result<(), TrapCode> {
        let t = self.table_index(table);
        let (dst, value, len) =
            (self.get::<u32>(args) as usize, self.get::<Cell>(args + 1), self.get::<u32>(args + 2) as usize);
        let elems = &mut self.store.inner.tables[t].elems;
        if dst + len > elems.len() {
            return Err(TrapCode::TableOutOfBounds);
        }
        elems[dst..dst + len].fill(value);
        Ok(())
    }

    fn table_copy(&mut self, args: Slot, dst_table: u16, src_table: u16) -> Result<(), TrapCode> {
        let (dst, src, len) = self.args3(args);
        let (dt, st) = (self.table_index(dst_table.into()), self.table_index(src_table.into()));
        let tables = &mut self.store.inner.tables;
        if src + len > tables[st].elems.len() || dst + len > tables[dt].elems.len() {
            return Err(TrapCode::TableOutOfBounds);
        }
        if dt == st {
            tables[dt].elems.copy_within(src..src + len, dst);
        } else {
            let (from, to) = if st < dt {
                let (lo, hi) = tables.split_at_mut(dt);
                (&lo[st], &mut hi[0])
            } else {
                let (lo, hi) = tables.split_at_mut(st);
                (&hi[0], &mut lo[dt])
            };
            to.elems[dst..dst + len].copy_from_slice(&from.elems[src..src + len]);
        }
        Ok(())
    }

    fn table_init(&mut self, args: Slot, table: u16, segment: u32) -> Result<(), TrapCode> {
        let (dst, src, len) = self.args3(args);
        let t = self.table_index(table.into());
        let inner = &mut self.store.inner;
        let items = &inner.instances[self.instance as usize].elems[segment as usize];
        let elems = &mut inner.tables[t].elems;
        if src + len > items.len() || dst + len > elems.len() {
            return Err(TrapCode::TableOutOfBounds);
        }
        elems[dst..dst + len].copy_from_slice(&items[src..src + len]);
        Ok(())
    }

    /// Resolves the target of an indirect call, checking it has type `ty`.
    fn indirect_callee(&self, index: Slot, table: u16, ty: u32) -> Result<u32, TrapCode> {
        let t = self.table_index(table.into());
        let i = self.get::<u32>(index) as usize;
        let inner = &self.store.inner;
        let cell = *inner.tables[t].elems.get(i).ok_or(TrapCode::TableOutOfBounds)?;
        let callee = ref_index(cell).ok_or(TrapCode::IndirectCallToNull)?;
        let expected = &inner.instances[self.instance as usize].module.types[ty as usize];
        if inner.funcs[callee as usize].ty() != expected {
            return Err(TrapCode::BadSignature);
        }
        Ok(callee)
    }

    fn func_index(&self, func: u32) -> u32 {
        self.store.inner.instances[self.instance as usize].funcs[func as usize]
    }

    // --- the loop -----------------------------------------------------------------------------

    fn execute(&mut self) -> Result<()> {
        loop {
            let instr = self.code.get().code[self.ip];
            self.ip += 1;
            match self.step(instr) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Done) => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    fn do_return(&mut self, span: Span) -> Flow {
        if span.len > 0 && span.start != 0 {
            let from = self.base + span.start as usize;
            self.store.inner.exec.cells.copy_within(from..from + span.len as usize, self.base);
        }
        self.return_to_caller()
    }

    fn branch(&mut self, offset: i32) {
        self.ip = (self.ip as isize - 1 + offset as isize) as usize;
    }

    #[inline(always)]
    fn step(&mut self, instr: Instr) -> Result<Flow> {
        use Instr::*;
        let trap = |code: TrapCode| Error::from(crate::error::Trap::new(code));
        match instr {
            Trap(code) => return Err(trap(code)),
            Br(offset) => self.branch(offset),
            BrIfNez { cond, offset } => {
                if self.get::<u32>(cond) != 0 {
                    self.branch(offset);
                }
            }
            BrIfEqz { cond, offset } => {
                if self.get::<u32>(cond) == 0 {
                    self.branch(offset);
                }
            }
            BrTable { index, len } => {
                let i = self.get::<u32>(index).min(len - 1);
                // The entries follow this instruction; `ip` is already at the first.
                self.ip += i as usize;
            }
            Return(span) => return Ok(self.do_return(span)),
            Call { func, args } => {
                let callee = self.func_index(func);
                self.call(callee, self.base + args as usize)?;
            }
            CallIndirect { index, args, table, ty } => {
                let callee = self.indirect_callee(index, table, ty).map_err(trap)?;
                self.call(callee, self.base + args as usize)?;
            }
            ReturnCall { func, args } => {
                let callee = self.func_index(func);
                return self.tail_call(callee, self.base + args as usize);
            }
            ReturnCallIndirect { index, args, table, ty } => {
                let callee = self.indirect_callee(index, table, ty).map_err(trap)?;
                return self.tail_call(callee, self.base + args as usize);
            }

            Copy(o) => self.un(o, |x: Cell| x),
            Const32 { dst, value } => self.set(dst, value),
            Const64 { dst, index } => {
                let value = self.code.get().consts[index as usize];
                self.set(dst, value);
            }
            Select { dst, cond, a, b } => {
                let pick = if self.get::<u32>(cond) != 0 { a } else { b };
                let value = self.get::<Cell>(pick);
                self.set(dst, value);
            }
            GlobalGet { dst, global } => {
                let value = self.store.inner.globals[self.global_index(global)].value;
                self.set(dst, value);
            }
            GlobalSet { src, global } => {
                let value = self.get::<Cell>(src);
                let g = self.global_index(global);
                self.store.inner.globals[g].value = value;
            }
            RefIsNull(o) => self.un(o, |x: Cell| x == NULL_REF),
            RefFunc { dst, func } => {
                let cell = ref_cell(self.func_index(func));
                self.set(dst, cell);
            }

            TableGet { dst, index, table } => self.table_get(dst, index, table).map_err(trap)?,
            TableSet { index, value, table } => self.table_set(index, value, table).map_err(trap)?,
            TableSize { dst, table } => {
                let len = self.store.inner.tables[self.table_index(table)].elems.len() as u32;
                self.set(dst, len);
            }
            TableGrow { dst, args, table } => self.table_grow(dst, args, table),
            TableFill { args, table } => self.table_fill(args, table).map_err(trap)?,
            TableCopy { args, dst_table, src_table } => {
                self.table_copy(args, dst_table, src_table).map_err(trap)?
            }
            TableInit { args, table, elem } => self.table_init(args, table, elem).map_err(trap)?,
            ElemDrop(segment) => {
                let instance = &mut self.store.inner.instances[self.instance as usize];
                instance.elems[segment as usize] = alloc::boxed::Box::new([]);
            }

            MemorySize { dst } => {
                let len = self.memory_data().len() / PAGE_SIZE;
                self.set(dst, len as u32);
            }
            MemoryGrow(o) => self.memory_grow(o),
            MemoryFill { args } => self.memory_fill(args).map_err(trap)?,
            MemoryCopy { args } => self.memory_copy(args).map_err(trap)?,
            MemoryInit { args, data } => self.memory_init(args, data).map_err(trap)?,
            DataDrop(segment) => {
                let instance = &mut self.store.inner.instances[self.instance as usize];
                instance.data_dropped[segment as usize] = true;
            }

            I32Load(o) => self.load(o, i32::from_le_bytes).map_err(trap)?,
            I64Load(o) => self.load(o, i64::from_le_bytes).map_err(trap)?,
            F32Load(o) => self.load(o, u32::from_le_bytes).map_err(trap)?,
            F64Load(o) => self.load(o, u64::from_le_bytes).map_err(trap)?,
            I32Load8S(o) => self.load(o, |b: [u8; 1]| b[0] as i8 as i32).map_err(trap)?,
            I32Load8U(o) => self.load(o, |b: [u8; 1]| b[0] as u32).map_err(trap)?,
            I32Load16S(o) => self.load(o, |b| i16::from_le_bytes(b) as i32).map_err(trap)?,
            I32Load16U(o) => self.load(o, |b| u16::from_le_bytes(b) as u32).map_err(trap)?,
            I64Load8S(o) => self.load(o, |b: [u8; 1]| b[0] as i8 as i64).map_err(trap)?,
            I64Load8U(o) => self.load(o, |b: [u8; 1]| b[0] as u64).map_err(trap)?,
            I64Load16S(o) => self.load(o, |b| i16::from_le_bytes(b) as i64).map_err(trap)?,
            I64Load16U(o) => self.load(o, |b| u16::from_le_bytes(b) as u64).map_err(trap)?,
            I64Load32S(o) => self.load(o, |b| i32::from_le_bytes(b) as i64).map_err(trap)?,
            I64Load32U(o) => self.load(o, |b| u32::from_le_bytes(b) as u64).map_err(trap)?,
            I32Store(o) => self.store_bytes(o, u32::to_le_bytes).map_err(trap)?,
            I64Store(o) => self.store_bytes(o, u64::to_le_bytes).map_err(trap)?,
            F32Store(o) => self.store_bytes(o, u32::to_le_bytes).map_err(trap)?,
            F64Store(o) => self.store_bytes(o, u64::to_le_bytes).map_err(trap)?,
            I32Store8(o) => self.store_bytes(o, |x: u32| [x as u8]).map_err(trap)?,
            I32Store16(o) => self.store_bytes(o, |x: u32| (x as u16).to_le_bytes()).map_err(trap)?,
            I64Store8(o) => self.store_bytes(o, |x: u64| [x as u8]).map_err(trap)?,
            I64Store16(o) => self.store_bytes(o, |x: u64| (x as u16).to_le_bytes()).map_err(trap)?,
            I64Store32(o) => self.store_bytes(o, |x: u64| (x as u32).to_le_bytes()).map_err(trap)?,

            I32Eqz(o) => self.un(o, |x: u32| x == 0),
            I32Clz(o) => self.un(o, |x: u32| x.leading_zeros()),
            I32Ctz(o) => self.un(o, |x: u32| x.trailing_zeros()),
            I32Popcnt(o) => self.un(o, |x: u32| x.count_ones()),
            I32Extend8S(o) => self.un(o, |x: i32| x as i8 as i32),
            I32Extend16S(o) => self.un(o, |x: i32| x as i16 as i32),
            I32Add(o) => self.bin(o, i32::wrapping_add),
            I32Sub(o) => self.bin(o, i32::wrapping_sub),
            I32Mul(o) => self.bin(o, i32::wrapping_mul),
            I32DivS(o) => self.try_bin(o, values::i32_div_s).map_err(trap)?,
            I32DivU(o) => self.try_bin(o, values::i32_div_u).map_err(trap)?,
            I32RemS(o) => self.try_bin(o, values::i32_rem_s).map_err(trap)?,
            I32RemU(o) => self.try_bin(o, values::i32_rem_u).map_err(trap)?,
            I32And(o) => self.bin(o, |a: u32, b| a & b),
            I32Or(o) => self.bin(o, |a: u32, b| a | b),
            I32Xor(o) => self.bin(o, |a: u32, b| a ^ b),
            I32Shl(o) => self.bin(o, |a: u32, b| a.wrapping_shl(b)),
            I32ShrS(o) => self.bin(o, |a: i32, b| a.wrapping_shr(b as u32)),
            I32ShrU(o) => self.bin(o, |a: u32, b| a.wrapping_shr(b)),
            I32Rotl(o) => self.bin(o, |a: u32, b| a.rotate_left(b)),
            I32Rotr(o) => self.bin(o, |a: u32, b| a.rotate_right(b)),
            I32Eq(o) => self.bin(o, |a: u32, b| a == b),
            I32Ne(o) => self.bin(o, |a: u32, b| a != b),
            I32LtS(o) => self.bin(o, |a: i32, b| a < b),
            I32LtU(o) => self.bin(o, |a: u32, b| a < b),
            I32GtS(o) => self.bin(o, |a: i32, b| a > b),
            I32GtU(o) => self.bin(o, |a: u32, b| a > b),
            I32LeS(o) => self.bin(o, |a: i32, b| a <= b),
            I32LeU(o) => self.bin(o, |a: u32, b| a <= b),
            I32GeS(o) => self.bin(o, |a: i32, b| a >= b),
            I32GeU(o) => self.bin(o, |a: u32, b| a >= b),
            I32AddImm(o) => self.bin_imm(o, i32::wrapping_add),
            I32SubImm(o) => self.bin_imm(o, i32::wrapping_sub),
            I32MulImm(o) => self.bin_imm(o, i32::wrapping_mul),
            I32AndImm(o) => self.bin_imm(o, |a: u32, b| a & b),
            I32OrImm(o) => self.bin_imm(o, |a: u32, b| a | b),
            I32XorImm(o) => self.bin_imm(o, |a: u32, b| a ^ b),
            I32ShlImm(o) => self.bin_imm(o, |a: u32, b| a.wrapping_shl(b)),
            I32ShrSImm(o) => self.bin_imm(o, |a: i32, b| a.wrapping_shr(b as u32)),
            I32ShrUImm(o) => self.bin_imm(o, |a: u32, b| a.wrapping_shr(b)),
            I32EqImm(o) => self.bin_imm(o, |a: u32, b| a == b),
            I32NeImm(o) => self.bin_imm(o, |a: u32, b| a != b),
            I32LtSImm(o) => self.bin_imm(o, |a: i32, b| a < b),
            I32LtUImm(o) => self.bin_imm(o, |a: u32, b| a < b),
            I32GtSImm(o) => self.bin_imm(o, |a: i32, b| a > b),
            I32GtUImm(o) => self.bin_imm(o, |a: u32, b| a > b),
            I32LeSImm(o) => self.bin_imm(o, |a: i32, b| a <= b),
            I32LeUImm(o) => self.bin_imm(o, |a: u32, b| a <= b),
            I32GeSImm(o) => self.bin_imm(o, |a: i32, b| a >= b),
            I32GeUImm(o) => self.bin_imm(o, |a: u32, b| a >= b),

            I64Eqz(o) => self.un(o, |x: u64| x == 0),
            I64Clz(o) => self.un(o, |x: u64| x.leading_zeros() as u64),
            I64Ctz(o) => self.un(o, |x: u64| x.trailing_zeros() as u64),
            I64Popcnt(o) => self.un(o, |x: u64| x.count_ones() as u64),
            I64Extend8S(o) => self.un(o, |x: i64| x as i8 as i64),
            I64Extend16S(o) => self.un(o, |x: i64| x as i16 as i64),
            I64Extend32S(o) => self.un(o, |x: i64| x as i32 as i64),
            I64Add(o) => self.bin(o, i64::wrapping_add),
            I64Sub(o) => self.bin(o, i64::wrapping_sub),
            I64Mul(o) => self.bin(o, i64::wrapping_mul),
            I64DivS(o) => self.try_bin(o, values::i64_div_s).map_err(trap)?,
            I64DivU(o) => self.try_bin(o, values::i64_div_u).map_err(trap)?,
            I64RemS(o) => self.try_bin(o, values::i64_rem_s).map_err(trap)?,
            I64RemU(o) => self.try_bin(o, values::i64_rem_u).map_err(trap)?,
            I64And(o) => self.bin(o, |a: u64, b| a & b),
            I64Or(o) => self.bin(o, |a: u64, b| a | b),
            I64Xor(o) => self.bin(o, |a: u64, b| a ^ b),
            I64Shl(o) => self.bin(o, |a: u64, b| a.wrapping_shl(b as u32)),
            I64ShrS(o) => self.bin(o, |a: i64, b| a.wrapping_shr(b as u32)),
            I64ShrU(o) => self.bin(o, |a: u64, b| a.wrapping_shr(b as u32)),
            I64Rotl(o) => self.bin(o, |a: u64, b| a.rotate_left(b as u32)),
            I64Rotr(o) => self.bin(o, |a: u64, b| a.rotate_right(b as u32)),
            I64Eq(o) => self.bin(o, |a: u64, b| a == b),
            I64Ne(o) => self.bin(o, |a: u64, b| a != b),
            I64LtS(o) => self.bin(o, |a: i64, b| a < b),
            I64LtU(o) => self.bin(o, |a: u64, b| a < b),
            I64GtS(o) => self.bin(o, |a: i64, b| a > b),
            I64GtU(o) => self.bin(o, |a: u64, b| a > b),
            I64LeS(o) => self.bin(o, |a: i64, b| a <= b),
            I64LeU(o) => self.bin(o, |a: u64, b| a <= b),
            I64GeS(o) => self.bin(o, |a: i64, b| a >= b),
            I64GeU(o) => self.bin(o, |a: u64, b| a >= b),
            I64AddImm(o) => self.bin_imm(o, i64::wrapping_add),
            I64SubImm(o) => self.bin_imm(o, i64::wrapping_sub),
            I64MulImm(o) => self.bin_imm(o, i64::wrapping_mul),
            I64AndImm(o) => self.bin_imm(o, |a: u64, b| a & b),
            I64OrImm(o) => self.bin_imm(o, |a: u64, b| a | b),
            I64XorImm(o) => self.bin_imm(o, |a: u64, b| a ^ b),
            I64ShlImm(o) => self.bin_imm(o, |a: u64, b| a.wrapping_shl(b as u32)),
            I64ShrSImm(o) => self.bin_imm(o, |a: i64, b| a.wrapping_shr(b as u32)),
            I64ShrUImm(o) => self.bin_imm(o, |a: u64, b| a.wrapping_shr(b as u32)),
            I64EqImm(o) => self.bin_imm(o, |a: u64, b| a == b),
            I64NeImm(o) => self.bin_imm(o, |a: u64, b| a != b),
            I64LtSImm(o) => self.bin_imm(o, |a: i64, b| a < b),
            I64LtUImm(o) => self.bin_imm(o, |a: u64, b| a < b),
            I64GtSImm(o) => self.bin_imm(o, |a: i64, b| a > b),
            I64GtUImm(o) => self.bin_imm(o, |a: u64, b| a > b),
            I64LeSImm(o) => self.bin_imm(o, |a: i64, b| a <= b),
            I64LeUImm(o) => self.bin_imm(o, |a: u64, b| a <= b),
            I64GeSImm(o) => self.bin_imm(o, |a: i64, b| a >= b),
            I64GeUImm(o) => self.bin_imm(o, |a: u64, b| a >= b),

            F32Abs(o) => self.un(o, values::f32_abs),
            F32Neg(o) => self.un(o, values::f32_neg),
            F32Ceil(o) => self.un(o, rounding::f32_ceil),
            F32Floor(o) => self.un(o, rounding::f32_floor),
            F32Trunc(o) => self.un(o, rounding::f32_trunc),
            F32Nearest(o) => self.un(o, rounding::f32_nearest),
            F32Sqrt(o) => self.un(o, rounding::f32_sqrt),
            F32Add(o) => self.bin(o, |a: f32, b| a + b),
            F32Sub(o) => self.bin(o, |a: f32, b| a - b),
            F32Mul(o) => self.bin(o, |a: f32, b| a * b),
            F32Div(o) => self.bin(o, |a: f32, b| a / b),
            F32Min(o) => self.bin(o, values::f32_min),
            F32Max(o) => self.bin(o, values::f32_max),
            F32Copysign(o) => self.bin(o, values::f32_copysign),
            F32Eq(o) => self.bin(o, |a: f32, b| a == b),
            F32Ne(o) => self.bin(o, |a: f32, b| a != b),
            F32Lt(o) => self.bin(o, |a: f32, b| a < b),
            F32Gt(o) => self.bin(o, |a: f32, b| a > b),
            F32Le(o) => self.bin(o, |a: f32, b| a <= b),
            F32Ge(o) => self.bin(o, |a: f32, b| a >= b),
            F64Abs(o) => self.un(o, values::f64_abs),
            F64Neg(o) => self.un(o, values::f64_neg),
            F64Ceil(o) => self.un(o, rounding::f64_ceil),
            F64Floor(o) => self.un(o, rounding::f64_floor),
            F64Trunc(o) => self.un(o, rounding::f64_trunc),
            F64Nearest(o) => self.un(o, rounding::f64_nearest),
            F64Sqrt(o) => self.un(o, rounding::f64_sqrt),
            F64Add(o) => self.bin(o, |a: f64, b| a + b),
            F64Sub(o) => self.bin(o, |a: f64, b| a - b),
            F64Mul(o) => self.bin(o, |a: f64, b| a * b),
            F64Div(o) => self.bin(o, |a: f64, b| a / b),
            F64Min(o) => self.bin(o, values::f64_min),
            F64Max(o) => self.bin(o, values::f64_max),
            F64Copysign(o) => self.bin(o, values::f64_copysign),
            F64Eq(o) => self.bin(o, |a: f64, b| a == b),
            F64Ne(o) => self.bin(o, |a: f64, b| a != b),
            F64Lt(o) => self.bin(o, |a: f64, b| a < b),
            F64Gt(o) => self.bin(o, |a: f64, b| a > b),
            F64Le(o) => self.bin(o, |a: f64, b| a <= b),
            F64Ge(o) => self.bin(o, |a: f64, b| a >= b),

            I32WrapI64(o) => self.un(o, |x: u64| x as u32),
            I32TruncF32S(o) => self.try_un(o, values::i32_trunc_f32_s).map_err(trap)?,
            I32TruncF32U(o) => self.try_un(o, values::i32_trunc_f32_u).map_err(trap)?,
            I32TruncF64S(o) => self.try_un(o, values::i32_trunc_f64_s).map_err(trap)?,
            I32TruncF64U(o) => self.try_un(o, values::i32_trunc_f64_u).map_err(trap)?,
            I64ExtendI32S(o) => self.un(o, |x: i32| x as i64),
            I64ExtendI32U(o) => self.un(o, |x: u32| x as u64),
            I64TruncF32S(o) => self.try_un(o, values::i64_trunc_f32_s).map_err(trap)?,
            I64TruncF32U(o) => self.try_un(o, values::i64_trunc_f32_u).map_err(trap)?,
            I64TruncF64S(o) => self.try_un(o, values::i64_trunc_f64_s).map_err(trap)?,
            I64TruncF64U(o) => self.try_un(o, values::i64_trunc_f64_u).map_err(trap)?,
            F32ConvertI32S(o) => self.un(o, |x: i32| x as f32),
            F32ConvertI32U(o) => self.un(o, |x: u32| x as f32),
            F32ConvertI64S(o) => self.un(o, |x: i64| x as f32),
            F32ConvertI64U(o) => self.un(o, |x: u64| x as f32),
            F32DemoteF64(o) => self.un(o, |x: f64| x as f32),
            F64ConvertI32S(o) => self.un(o, |x: i32| x as f64),
            F64ConvertI32U(o) => self.un(o, |x: u32| x as f64),
            F64ConvertI64S(o) => self.un(o, |x: i64| x as f64),
            F64ConvertI64U(o) => self.un(o, |x: u64| x as f64),
            F64PromoteF32(o) => self.un(o, |x: f32| x as f64),
            I32TruncSatF32S(o) => self.un(o, |x: f32| x as i32),
            I32TruncSatF32U(o) => self.un(o, |x: f32| x as u32),
            I32TruncSatF64S(o) => self.un(o, |x: f64| x as i32),
            I32TruncSatF64U(o) => self.un(o, |x: f64| x as u32),
            I64TruncSatF32S(o) => self.un(o, |x: f32| x as i64),
            I64TruncSatF32U(o) => self.un(o, |x: f32| x as u64),
            I64TruncSatF64S(o) => self.un(o, |x: f64| x as i64),
            I64TruncSatF64U(o) => self.un(o, |x: f64| x as u64),
        }
        Ok(Flow::Continue)
    }
}

fn trap_kind_mut(error: &mut Error) -> &mut crate::error::ErrorKind {
    error.kind_mut()
}
