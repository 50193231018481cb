//! The driver: runs threaded code (see `threaded.rs`) until it exits, then performs the
//! slow-path instruction it exited on — calls, returns, tables, bulk memory, growth — on the
//! store, and re-enters with freshly derived pointers.

use super::interp::{Executor, Flow};
use super::threaded::{FastCtx, Mem, Regs, Stop};
use crate::bytecode::{Instr, Span};
use crate::error::{Error, Result, Trap, TrapCode};
use crate::value::ref_cell;

impl<T> Executor<'_, T> {
    fn regs(&mut self) -> Regs {
        let cells = &mut self.store.inner.exec.cells;
        assert!(self.base <= cells.len(), "frame base beyond the value stack");
        // SAFETY: `base <= cells.len()` was just checked; `enter` reserved the frame's cells.
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

    fn fast_ctx(&mut self) -> FastCtx {
        let compiled = self.code.get();
        let inner = &mut self.store.inner;
        let instance = &inner.instances[self.instance as usize];
        let (instance_globals, instance_funcs) = (instance.globals.as_ptr(), instance.funcs.as_ptr());
        FastCtx {
            stop: Stop::Trap(TrapCode::Unreachable),
            acc: 0,
            facc: 0.0,
            consts: compiled.consts.as_ptr(),
            globals: inner.globals.as_mut_ptr(),
            instance_globals,
            instance_funcs,
            code: self.code,
            start: compiled.code.as_ptr(),
            base: self.base,
            func: self.func,
            instance: self.instance,
            entry_depth: self.entry_depth,
            inner,
        }
    }

    /// Runs until the activation's first frame returns or something traps.
    pub(super) fn execute(&mut self) -> Result<()> {
        loop {
            assert!(self.ip < self.code.get().code.len(), "instruction index beyond the code");
            let (mut regs, mem, mut ctx) = (self.regs(), self.mem(), self.fast_ctx());
            // SAFETY: `self.ip` is inside the code, as just checked.
            let mut ip = unsafe { ctx.start.add(self.ip) };
            let (base, base_regs) = (ctx.base, regs);
            loop {
                // SAFETY: `ip` is an instruction of the running function and the pointers in
                // `regs`, `mem` and `ctx` are current (see `threaded.rs`).
                let (acc, facc) = (ctx.acc, ctx.facc);
                let next = unsafe { ((*ip).handler)(ip, regs, mem, &mut ctx, acc, facc) };
                if next.0.is_null() {
                    break;
                }
                ip = next.0;
                // (Loop mode.) A call or return in a handler moves the frame; the value stack
                // itself does not move outside slow paths.
                // SAFETY: both bases lie in the value stack `base_regs` points into.
                regs = Regs(unsafe { base_regs.0.offset(ctx.base as isize - base as isize) });
            }
            // Calls and returns in the handlers may have switched the running function.
            self.code = ctx.code;
            self.base = ctx.base;
            self.func = ctx.func;
            match ctx.stop {
                Stop::Trap(code) => return Err(Trap::new(code).into()),
                Stop::Slow(at) => {
                    // SAFETY: handlers only exit with addresses of the running function's code.
                    let index = unsafe { at.offset_from(ctx.start) } as usize;
                    self.ip = index + 1;
                    // SAFETY: as above.
                    let instr = unsafe { (*at).instr };
                    if let Flow::Done = self.slow_path(instr)? {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// Runs an instruction that has no handler. `self.ip` is already past it.
    fn slow_path(&mut self, instr: Instr) -> Result<Flow> {
        use Instr::*;
        let trap = |code: TrapCode| Error::from(crate::error::Trap::new(code));
        match instr {
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
            MemoryGrow(o) => self.memory_grow(o),
            MemoryFill { args } => self.memory_fill(args).map_err(trap)?,
            MemoryCopy { args } => self.memory_copy(args).map_err(trap)?,
            MemoryInit { args, data } => self.memory_init(args, data).map_err(trap)?,
            DataDrop(segment) => {
                let instance = &mut self.store.inner.instances[self.instance as usize];
                instance.data_dropped[segment as usize] = true;
            }
            other => unreachable!("{other:?} has a handler and never exits to the driver"),
        }
        Ok(Flow::Continue)
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
