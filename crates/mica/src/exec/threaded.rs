//! Threaded code: each translated instruction carries a pointer to its handler, and each
//! handler ends by calling the next instruction's handler.
//!
//! In optimised builds these calls are sibling calls that the compiler turns into jumps, so
//! the running function's state (instruction pointer, frame pointer, memory base and length)
//! stays in registers and every handler has its own indirect jump. Builds with debug
//! assertions (tests, Miri) do not get that guarantee, so there each handler returns the next
//! instruction to a loop instead (`TAIL_DISPATCH`); the handlers are the same code either
//! way. `tests/dispatch_stack.rs` runs a long loop on a small native stack to check that
//! release builds really jump.
//!
//! Each instruction's handler comes from its class in the instruction table
//! (`bytecode/table.rs`, expanded here by `define_handlers`): `step` and `acc` instructions
//! are [`fuse::Step`]s, run by the generic handlers of `threaded/fuse.rs` alone or two at a
//! time; `plain` and `call` instructions have a handler of their own ([`Plain`]); `slow`
//! instructions (tables, bulk memory, growth) and the calls the handlers do not make
//! themselves are run by the executor ([`Slow`], through `dispatch::run_slow`), which
//! continues with the pointers it re-derived. The semantics are in the family files of
//! `exec/ops/`.
//!
//! # Safety argument
//!
//! - `ip` points into the running function's code, which `CodeRef` keeps alive. Every branch
//!   target, and the instruction after every instruction that does not end a path, is inside
//!   the code: `bytecode::verify` checks this for every function before it is encoded.
//! - Each `Op` pairs an instruction with the handler made for its variant and accumulator
//!   form (`encode`), so a handler always finds its own variant, and reads a frame slot only
//!   for operands that are not the accumulator (`ACC` is never below `frame_size`; an
//!   instruction naming it where its handler cannot take it gets `bad_acc`). A pair handler
//!   (`fuse::fuse_pairs`) is given only to an instruction whose successor has the variant
//!   and form of the pair's second half, and runs that successor only if the first falls
//!   through to it.
//! - `Regs` points at the frame base in `ExecStack::cells`; `Executor::enter` reserves
//!   `frame_size` cells from the base, and `bytecode::verify` checks every slot is below
//!   `frame_size`. The cells only move in slow paths and host calls, after which
//!   `Executor::refresh` (or `refresh_storage`) re-derives `Regs`.
//! - `Mem` is memory 0's buffer and length, re-read the same way after every slow path and
//!   host call (memory only grows there). Accesses are bounds-checked against its length first.
//! - `FastCtx` holds the running function's code (its constants are read through it:
//!   `FastCtx::consts`) and points at the store's globals, re-derived by `refresh` whenever
//!   they could have moved.

use super::interp::{Executor, Flow};
use super::values::CellValue;
use super::CodeRef;
use crate::bytecode::{Bin, BinImm, Instr, Slot, Un, acc, for_each_instr, if_access};
use crate::cell::Cell;
use crate::error::{Result, TrapCode};
use crate::store::{GlobalEntity, StoreInner};
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Whether handlers jump to the next handler (optimised builds) or return to a loop.
pub(crate) const TAIL_DISPATCH: bool = !cfg!(debug_assertions);

/// A handler: runs the instruction at `ip` and continues with the next one. The last two
/// arguments are the accumulators (`bytecode::ACC`): the integer one and the `f64` one, passed
/// from handler to handler in registers.
pub(crate) type Handler = unsafe fn(*const Op, Regs, Mem, &mut FastCtx, Cell, f64) -> Exit;

/// One encoded instruction.
#[derive(Copy, Clone)]
pub(crate) struct Op {
    pub handler: Handler,
    pub instr: Instr,
}

/// What a handler returns: in loop mode the next instruction to run; null when the handlers
/// stopped, with the reason in `FastCtx::stop`. One pointer, so that it travels in a register
/// and handler-to-handler calls stay sibling calls.
#[derive(Copy, Clone)]
#[repr(transparent)]
pub(crate) struct Exit(pub *const Op);

/// Why the handlers stopped running.
#[derive(Copy, Clone)]
pub(crate) enum Stop {
    /// An instruction trapped.
    Trap(TrapCode),
    /// A slow path failed with `FastCtx::error`.
    Failed,
    /// The activation's first frame returned.
    Done,
}

/// What the handlers reach besides the frame and memory, and the running function's state.
pub(crate) struct FastCtx {
    /// Set when a handler returns a null `Exit`.
    pub stop: Stop,
    /// The instruction that trapped, with `Stop::Trap`.
    pub trap_at: *const Op,
    /// The error of a failed slow path.
    pub error: Option<crate::error::Error>,
    /// The frame and memory 0 between two handlers in loop mode, and after a slow path.
    pub regs: Regs,
    pub mem: Mem,
    /// Whether the running instance's memory 0 is 64-bit: how `memory.fill` and
    /// `memory.copy` on it read their operands (`exec/ops/memory.rs`).
    pub mem64: bool,
    /// The running instance's memories, by memory index, for accesses in the named form
    /// (`acc::NAMED`): `ExecStack::views`, re-derived with `mem` for instances with named
    /// accesses (`InstanceEntity::named_memories`), null for the others, which have none.
    pub views: *const View,
    /// The executor (type-erased) and its slow-path entry: see `dispatch::run_slow`.
    pub exec: *mut (),
    pub slow: unsafe fn(*mut (), &mut FastCtx, *const Op) -> *const Op,
    /// The executor's host-call handler (`dispatch::run_host`): a `call`/`call_indirect`
    /// handler whose callee is a host function continues there, with the call in
    /// `host_call`; it calls the host function and continues after the call.
    pub host: Handler,
    /// The host call a call handler hands to `host`: store function, host index, argument
    /// slot, and whether it is a tail call (1) or not (0). All 32 bits wide: `host` reads them
    /// right after the handler stored them, and a wider read of a narrower store cannot be
    /// forwarded from the store buffer (a stall of a dozen cycles per host call).
    pub host_call: (u32, u32, u32, u32),
    /// The accumulators between two handlers in loop mode (in tail-call mode they travel as
    /// arguments). No value in them outlives a slow path.
    pub acc: Cell,
    pub facc: f64,
    /// The store: calls and returns between functions of the running instance are handled
    /// here rather than in a slow path.
    pub inner: *mut StoreInner,
    /// The running function: its code (its instructions and constant pool: `start`,
    /// `consts`), frame base (in cells), store function index, and instance.
    pub code: CodeRef,
    pub base: usize,
    /// A `u32` index kept in a word of its own: as two adjacent `u32`s, the compiler read
    /// `func` and `instance` with one 8-byte load to build a frame record, right after a
    /// return had stored `func` alone with a 4-byte store, and a wider load of a narrower
    /// store cannot be forwarded from the store buffer (a stall of a dozen cycles per call).
    pub func: usize,
    pub instance: u32,
    /// The running instance's function index space (store indices).
    pub instance_funcs: *const u32,
    /// The running instance's module's function bodies (by defined-function index), how
    /// many there are, and how many functions the module imports (the function indices
    /// before the bodies'): a direct `call` of a defined function finds its code here, with
    /// one load from the instruction's index (`FastCtx::direct_callee`).
    pub bodies: *const crate::module::FuncBody,
    pub num_bodies: u32,
    pub imported_funcs: u32,
    /// The running instance's table index space (store indices) and its module's types, with
    /// their lengths: what `call_indirect` reads besides the table itself
    /// (`FastCtx::indirect_target`), without going through the instance entity.
    pub instance_tables: *const u32,
    pub num_tables: u32,
    pub num_types: u32,
    pub types: *const crate::types::FuncType,
    /// Returning to this frame-stack depth ends the activation (a slow-path matter).
    pub entry_depth: usize,
    /// The frame stack (`ExecStack::frames`) while handlers run: its buffer, its length, and
    /// how many frames it may hold before a call needs a slow path (the lesser of its
    /// capacity and the call-depth limit). Calls and returns in the handlers push and pop
    /// here, one load from `ctx` rather than three through the store; the vector takes the
    /// length back whenever the executor takes over (`sync_frames`), and all three are
    /// derived afresh after every slow path and host call (`Executor::refresh_storage`).
    pub frames: *mut super::Frame,
    pub frame_len: usize,
    pub frame_room: usize,
    /// The value stack's length in cells (`ExecStack::cells`), derived with `frames`: a
    /// callee's frame must end within it.
    pub cells_len: usize,
    /// The store's globals.
    pub globals: *mut GlobalEntity,
    /// The running instance's global index space (store indices).
    pub instance_globals: *const u32,
    /// The fuel left (`ExecStack::fuel`, copied here while handlers run and back before
    /// every slow path and host call), which `Fuel` consumes.
    pub fuel: u64,
    /// The engine's epoch, which the epoch-checking handlers compare with `deadline`
    /// (`ExecStack::deadline`; see `encode`).
    pub epoch: *const core::sync::atomic::AtomicU64,
    pub deadline: u64,
    /// Where a resumed call goes on after a backward branch stopped at the deadline (the
    /// branch's target: the branch itself cannot run again, its operand may have been the
    /// accumulator); null when the stopped instruction runs again.
    pub resume_at: *const Op,
}

/// The epoch `FastCtx::epoch` points at until the driver sets the engine's.
static NO_EPOCH: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);

/// The running frame's slots.
#[derive(Copy, Clone)]
pub(crate) struct Regs(pub *mut Cell);

impl Regs {
    #[inline(always)]
    pub(in crate::exec) fn get<V: CellValue>(self, slot: Slot) -> V {
        // SAFETY: `slot < frame_size` (verified) and the frame's cells are reserved; see the
        // module documentation.
        V::from_cell(unsafe { *self.0.add(slot as usize) })
    }

    #[inline(always)]
    pub(in crate::exec) fn set<V: CellValue>(self, slot: Slot, value: V) {
        // SAFETY: as in `get`.
        unsafe { *self.0.add(slot as usize) = value.into_cell() }
    }

    /// The `v128` in `slot` (its low half) and the slot after it (its high half), read with
    /// one 16-byte vector load (`exec::wide`). Every instruction that writes a `v128` writes
    /// it with one 16-byte store (`set128`), from which the hardware forwards this load;
    /// only cells written as scalars (arguments and results moved cell by cell at a call)
    /// are read at the cost of a forwarding stall, once per call.
    #[inline(always)]
    pub(in crate::exec) fn get128(self, slot: Slot) -> crate::simd::V {
        // SAFETY: a `v128` operand (role `vread`/`vdst`) is verified to have `slot + 2 <=
        // frame_size`, and the frame's cells are reserved; see the module documentation.
        unsafe { super::wide::load(self.0.add(slot as usize).cast()) }
    }

    /// Writes a `v128` to `slot` and the slot after it (see `get128`).
    #[inline(always)]
    pub(in crate::exec) fn set128(self, slot: Slot, value: crate::simd::V) {
        // SAFETY: as in `get128`.
        unsafe { super::wide::store(self.0.add(slot as usize).cast(), value) }
    }
}

/// The running frame's slots and the accumulators, as one handler sees them: the bits of `F`
/// (`bytecode::acc`) say which of the instruction's operands are the accumulator. Each form
/// of an instruction is its own handler, so the choice costs nothing at run time.
#[derive(Copy, Clone)]
pub(crate) struct Locs<const F: u8> {
    pub regs: Regs,
    pub acc: Cell,
    pub facc: f64,
}

impl<const F: u8> Locs<F> {
    #[inline(always)]
    pub(in crate::exec) fn get<V: CellValue>(self, slot: Slot) -> V {
        self.regs.get(slot)
    }

    #[inline(always)]
    pub(in crate::exec) fn get128(self, slot: Slot) -> crate::simd::V {
        self.regs.get128(slot)
    }

    #[inline(always)]
    pub(in crate::exec) fn set128(self, slot: Slot, value: crate::simd::V) {
        self.regs.set128(slot, value)
    }

    #[inline(always)]
    pub(in crate::exec) fn set<V: CellValue>(self, slot: Slot, value: V) {
        self.regs.set(slot, value)
    }

    /// The first operand (`a`, `src`, `addr`, `cond`).
    #[inline(always)]
    pub(in crate::exec) fn x<V: CellValue>(self, slot: Slot) -> V {
        if F & acc::X != 0 { V::from_acc(self.acc, self.facc) } else { self.regs.get(slot) }
    }

    /// An access's address operand: the whole cell for a 64-bit memory (`MEM64`), else a
    /// zero-extended `i32`.
    #[inline(always)]
    pub(in crate::exec) fn addr(self, slot: Slot) -> u64 {
        if F & acc::MEM64 == 0 { self.x::<u32>(slot) as u64 } else { self.x::<u64>(slot) }
    }

    /// The second operand (`b`, a store's `value`).
    #[inline(always)]
    pub(in crate::exec) fn y<V: CellValue>(self, slot: Slot) -> V {
        if F & acc::Y != 0 { V::from_acc(self.acc, self.facc) } else { self.regs.get(slot) }
    }

    /// Writes the result.
    #[inline(always)]
    pub(in crate::exec) fn put<V: CellValue>(&mut self, dst: Slot, value: V) {
        if F & acc::DST != 0 {
            value.into_acc(&mut self.acc, &mut self.facc);
        } else {
            self.regs.set(dst, value);
            if F & acc::ALSO != 0 {
                value.into_acc(&mut self.acc, &mut self.facc);
            }
        }
    }

    #[inline(always)]
    pub(in crate::exec) fn un<A: CellValue, R: CellValue>(&mut self, o: &Un, f: impl FnOnce(A) -> R) {
        let v = f(self.x(o.src));
        self.put(o.dst, v);
    }

    #[inline(always)]
    pub(in crate::exec) fn bin<A: CellValue, R: CellValue>(&mut self, o: &Bin, f: impl FnOnce(A, A) -> R) {
        let v = f(self.x(o.a), self.y(o.b));
        self.put(o.dst, v);
    }

    /// The immediate is sign-extended to a cell: right for both widths, since `i32`
    /// operands read only the low 32 bits.
    #[inline(always)]
    pub(in crate::exec) fn bin_imm<A: CellValue, R: CellValue>(&mut self, o: &BinImm, f: impl FnOnce(A, A) -> R) {
        let v = f(self.x(o.a), A::from_cell(o.imm as i64 as Cell));
        self.put(o.dst, v);
    }

    #[inline(always)]
    pub(in crate::exec) fn try_un<A: CellValue, R: CellValue>(
        &mut self,
        o: &Un,
        f: impl FnOnce(A) -> Result<R, TrapCode>,
    ) -> Result<(), TrapCode> {
        let v = f(self.x(o.src))?;
        self.put(o.dst, v);
        Ok(())
    }

    #[inline(always)]
    pub(in crate::exec) fn try_bin<A: CellValue, R: CellValue>(
        &mut self,
        o: &Bin,
        f: impl FnOnce(A, A) -> Result<R, TrapCode>,
    ) -> Result<(), TrapCode> {
        let v = f(self.x(o.a), self.y(o.b))?;
        self.put(o.dst, v);
        Ok(())
    }
}

/// Continues with the instruction at `$next`.
macro_rules! next {
    ($next:expr, $r:ident, $mem:ident, $ctx:ident) => {{
        let next: *const Op = $next;
        if TAIL_DISPATCH {
            // SAFETY: `next` is an instruction of the running function (see the module
            // documentation); its handler was made for it.
            return unsafe { ((*next).handler)(next, $r.regs, $mem, $ctx, $r.acc, $r.facc) };
        }
        $ctx.regs = $r.regs;
        $ctx.mem = $mem;
        $ctx.acc = $r.acc;
        $ctx.facc = $r.facc;
        return Exit(next);
    }};
}

/// Generates, from the instruction table, one type per instruction (in `kind`, named after
/// its variant) and `handler_for`, which gives each instruction the handler of its class:
/// the family files of `exec/ops/` give the types their semantics, and an instruction
/// whose class needs an impl it lacks does not compile.
macro_rules! define_handlers {
    ($( $name:ident ($shape:ident) $class:ident [$($flags:tt)*] )*) => {
        /// One type per instruction, named after its variant.
        pub(crate) mod kind {
            $( pub(crate) struct $name; )*
        }

        // Loads and stores fuse in the named and 64-bit forms too (`fuse::Access`).
        $( impl fuse::Access for kind::$name { fuse::access_pairs!($shape); } )*

        /// The handler for `instr`'s variant and accumulator form. Without the feature
        /// `simd`, the `v128` instructions have none (`left_out`): the validator rejects the
        /// operators they come from, so the translator never emits them.
        pub(super) fn handler_for(instr: &Instr, form: u8) -> Handler {
            match instr {
                $( Instr::$name(_) if crate::bytecode::has_flag!(simd, [$($flags)*]) && !cfg!(feature = "simd") => {
                    left_out
                } )*
                $( Instr::$name(_) => handler_of!($class, $name, $shape, form), )*
            }
        }
    };
}

/// The handler of an instruction of class `$class`; memory accesses (`bytecode::if_access!`:
/// loads, stores, `memory.size`) also have the forms `acc::MEM64` and `acc::NAMED`.
macro_rules! handler_of {
    (step, $name:ident, $shape:ident, $form:ident) => {
        if_access!($shape, { fuse::single_plain_access::<kind::$name>($form) } else {
            fuse::single_plain::<kind::$name>($form)
        })
    };
    (acc, $name:ident, $shape:ident, $form:ident) => {
        if_access!($shape, { fuse::single_access::<kind::$name>($form) } else {
            fuse::single::<kind::$name>($form)
        })
    };
    (plain, $name:ident, $shape:ident, $form:ident) => { plain_handler::<kind::$name>($form) };
    (call, $name:ident, $shape:ident, $form:ident) => { plain_handler::<kind::$name>($form) };
    (slow, $name:ident, $shape:ident, $form:ident) => { slow_handler($form) };
}

for_each_instr!(define_handlers);

/// Generates `polled_handler_for` from the instruction table.
macro_rules! define_polled {
    ($( $name:ident ($shape:ident) $class:ident [$($flags:tt)*] )*) => {
        /// Under epoch interruption, the handler of an instruction that can close a cycle
        /// (`encode`), which checks the deadline: a branch when it jumps (`fuse::polled`;
        /// `encode` asks only for backward ones), a call of any form and a `br_table` before
        /// they run (`checked`: stopped, they run again on resume, their operands being
        /// slots, never the accumulator). `None` for any other instruction.
        fn polled_handler_for(instr: &Instr, form: u8) -> Option<Handler> {
            match instr {
                $( Instr::$name(_) => polled_of!($class, $shape, $name, form), )*
            }
        }
    };
}

/// `polled_handler_for`'s arm for one instruction, by class and shape: the shapes with a
/// branch `target`, `br_table`, and the `call` class but for `return` (which closes no
/// cycle).
macro_rules! polled_of {
    ($class:ident, Jump, $name:ident, $form:ident) => { Some(fuse::polled::<kind::$name>($form)) };
    ($class:ident, BrIf, $name:ident, $form:ident) => { Some(fuse::polled::<kind::$name>($form)) };
    ($class:ident, BrBin, $name:ident, $form:ident) => { Some(fuse::polled::<kind::$name>($form)) };
    ($class:ident, BrImm, $name:ident, $form:ident) => { Some(fuse::polled::<kind::$name>($form)) };
    ($class:ident, BrTable, $name:ident, $form:ident) => { Some(checked_handler::<kind::$name>($form)) };
    (call, Span, $name:ident, $form:ident) => { None };
    (call, $shape:ident, $name:ident, $form:ident) => { Some(checked_handler::<kind::$name>($form)) };
    ($class:ident, $shape:ident, $name:ident, $form:ident) => { None };
}

for_each_instr!(define_polled);

/// `checked` for a `Plain` instruction in form `form` (which has none).
fn checked_handler<P: Plain>(form: u8) -> Handler {
    if form == 0 { checked::<P> } else { bad_acc }
}

/// `P`'s handler after a check of the epoch deadline.
unsafe fn checked<P: Plain>(ip: *const Op, regs: Regs, mem: Mem, ctx: &mut FastCtx, acc: Cell, facc: f64) -> Exit {
    if ctx.epoch_passed() {
        return interrupted(ip, core::ptr::null(), ctx);
    }
    // SAFETY: the handler's contract is `plain`'s.
    unsafe { plain::<P>(ip, regs, mem, ctx, acc, facc) }
}

/// Stops the handlers at `ip` because the epoch reached the deadline; a resumed call goes on
/// at `resume_at`, or runs `ip` again if it is null.
#[cold]
#[inline(never)]
pub(crate) fn interrupted(ip: *const Op, resume_at: *const Op, ctx: &mut FastCtx) -> Exit {
    ctx.stop = Stop::Trap(TrapCode::Interrupt);
    ctx.trap_at = ip;
    ctx.resume_at = resume_at;
    Exit(core::ptr::null())
}

/// The semantics of a `plain` or `call` instruction: a handler of its own, which continues
/// wherever the instruction leads (it is not fused with its neighbours).
pub(crate) trait Plain {
    /// Runs the instruction at `ip` and continues.
    ///
    /// # Safety
    ///
    /// As for a handler: `ip` is an instruction of the running function with this type's
    /// variant, and `r`, `mem` and `ctx` are current.
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit;
}

/// The handler of a `Plain` instruction.
unsafe fn plain<P: Plain>(ip: *const Op, regs: Regs, mem: Mem, ctx: &mut FastCtx, acc: Cell, facc: f64) -> Exit {
    // SAFETY: the handler's contract is `run`'s.
    unsafe { P::run(ip, Locs { regs, acc, facc }, mem, ctx) }
}

fn plain_handler<P: Plain>(form: u8) -> Handler {
    if form == 0 { plain::<P> } else { bad_acc }
}

/// The handler of a `slow` instruction: the executor runs it (`exit_slow`).
fn slow_handler(form: u8) -> Handler {
    if form == 0 { exit_slow } else { bad_acc }
}

/// The semantics of a `call` or `slow` instruction on the executor's slow path, with
/// operands `O` (its shape): safe code on the store.
pub(in crate::exec) trait Slow<O> {
    fn run(exec: &mut Executor<'_>, operands: O) -> Result<Flow>;
}

/// Reads the instruction at `ip`, which has variant `$v`, into pattern `$args`.
macro_rules! operands {
    ($ip:ident, $v:ident $args:tt) => {
        // SAFETY: `ip` points at an instruction of the running function.
        let Instr::$v $args = (unsafe { &*$ip }).instr else {
            // SAFETY: the caller's contract: the instruction has this variant.
            unsafe { core::hint::unreachable_unchecked() }
        };
    };
}

/// Defines the [`fuse::Step`] of `step` and `acc` instructions (in the family files of
/// `exec/ops/`): each arm binds the instruction's operands by reference (so that each field
/// is loaded where it is used: a copy of the whole instruction makes the compiler load it in
/// wide words and shift the fields out) and runs the instruction; it may `jump!` (branch),
/// `fail!` (trap on error) or fall through to the next instruction. An `acc` instruction's
/// step is run in each accumulator form (see `Locs`).
macro_rules! steps {
    (($ip:ident, $r:ident, $mem:ident, $ctx:ident); $( $v:ident ($pat:pat) => $body:block )*) => {
        $(
            impl fuse::Step for kind::$v {
                #[inline(always)]
                #[allow(unused_variables, unused_mut, unused_macros, unreachable_code)]
                unsafe fn step<const F: u8>(
                    $ip: *const Op,
                    $r: &mut Locs<F>,
                    $mem: Mem,
                    $ctx: &mut FastCtx,
                ) -> fuse::Flow {
                    macro_rules! jump {
                        ($offset:expr) => {
                            // SAFETY: a verified branch target inside the code; `encode`
                            // turned the offset into bytes.
                            return fuse::Flow::Jump(unsafe { $ip.byte_offset($offset as isize) })
                        };
                    }
                    macro_rules! fail {
                        ($e:expr) => {
                            if let Err(code) = $e {
                                $ctx.stop = Stop::Trap(code);
                                $ctx.trap_at = $ip;
                                return fuse::Flow::Stop;
                            }
                        };
                    }
                    // SAFETY: `ip` points at an instruction of the running function.
                    let Instr::$v($pat) = &(unsafe { &*$ip }).instr else {
                        // SAFETY: `encode` pairs this step with instructions of this variant
                        // only.
                        unsafe { core::hint::unreachable_unchecked() }
                    };
                    $body
                    fuse::Flow::Next
                }
            }
        )*
    };
}

impl FastCtx {
    /// The running function's first instruction. Derived from `code` when needed (slow
    /// paths, traps) rather than kept beside it: every call and return would write it for
    /// nothing.
    ///
    /// # Safety
    ///
    /// The context is filled in (`Executor::refresh`): `code` is the running function's,
    /// which the store keeps alive (`CodeRef::get`).
    #[inline(always)]
    pub(crate) unsafe fn start(&self) -> *const Op {
        // SAFETY: the caller's contract.
        unsafe { self.code.get() }.code.as_ptr()
    }

    /// The running function's constant pool, derived from `code` as `start` is.
    ///
    /// # Safety
    ///
    /// As for `start`.
    #[inline(always)]
    pub(crate) unsafe fn consts(&self) -> *const Cell {
        // SAFETY: the caller's contract.
        unsafe { self.code.get() }.consts.as_ptr()
    }

    /// A context that points nowhere yet, for the driver to fill in (`Executor::refresh`).
    #[inline(always)]
    pub(in crate::exec) fn new(
        slow: unsafe fn(*mut (), &mut FastCtx, *const Op) -> *const Op,
        host: Handler,
    ) -> FastCtx {
        FastCtx {
            // Every handler that stops sets the reason; stopping without one is a trap.
            stop: Stop::Trap(TrapCode::Unreachable),
            trap_at: core::ptr::null(),
            error: None,
            regs: Regs(core::ptr::null_mut()),
            mem: Mem { base: core::ptr::null_mut(), len: 0 },
            mem64: false,
            views: core::ptr::null(),
            exec: core::ptr::null_mut(),
            slow,
            host,
            host_call: (0, 0, 0, 0),
            acc: 0,
            facc: 0.0,
            inner: core::ptr::null_mut(),
            code: CodeRef(core::ptr::null()),
            base: 0,
            func: 0,
            instance: 0,
            instance_funcs: core::ptr::null(),
            bodies: core::ptr::null(),
            num_bodies: 0,
            imported_funcs: 0,
            instance_tables: core::ptr::null(),
            num_tables: 0,
            num_types: 0,
            types: core::ptr::null(),
            entry_depth: 0,
            frames: core::ptr::null_mut(),
            frame_len: 0,
            frame_room: 0,
            cells_len: 0,
            globals: core::ptr::null_mut(),
            instance_globals: core::ptr::null(),
            fuel: u64::MAX,
            epoch: &NO_EPOCH,
            deadline: u64::MAX,
            resume_at: core::ptr::null(),
        }
    }

    /// Whether the engine's epoch has reached the store's deadline.
    #[inline(always)]
    pub(in crate::exec) fn epoch_passed(&self) -> bool {
        // SAFETY: `epoch` points at the engine's epoch counter (set by
        // `Executor::refresh_storage` from the store's engine, which the store keeps alive
        // while its code runs) or at `NO_EPOCH`.
        unsafe { (*self.epoch).load(core::sync::atomic::Ordering::Relaxed) >= self.deadline }
    }

    /// The view of memory `memory` of the running instance.
    ///
    /// # Safety
    ///
    /// `memory` is a memory index of the running function's module (verified: role
    /// `memory`); `views` has an entry for each (see the field).
    #[inline(always)]
    pub(in crate::exec) unsafe fn view(&self, memory: u8) -> View {
        // SAFETY: the caller's contract.
        unsafe { *self.views.add(memory as usize) }
    }

}

/// Zeroes the declared locals of a frame whose parameters are in place.
///
/// # Safety
///
/// `r` points at a frame of at least `locals.end` cells.
#[inline(always)]
pub(crate) unsafe fn zero_locals(r: Regs, locals: core::ops::Range<usize>) {
    for slot in locals {
        // Stores of their own rather than a `memset` call, which the compiler would make of
        // a plain loop: most functions have a handful of locals.
        // SAFETY: `slot < num_locals`, inside the frame (the caller's contract).
        unsafe { r.0.add(slot).write_volatile(0) };
    }
}

/// The handler of every slow-path instruction: runs it out of line on the store
/// (`dispatch::run_slow`), then continues with the instruction that comes next, with the
/// frame and memory as the slow path left them. The accumulators pass through untouched (no
/// value in them lives across a slow path, but keeping them costs nothing).
///
/// Never inlined: a handler that reaches it then ends in a jump here, so the handler's own
/// fast path needs no stack frame (inlined, its call would make every path of the handler
/// save and restore the callee-saved registers).
#[inline(never)]
pub(crate) unsafe fn exit_slow(ip: *const Op, _: Regs, _: Mem, ctx: &mut FastCtx, acc: Cell, facc: f64) -> Exit {
    // SAFETY: `ctx.exec` and `ctx.slow` were set up together by the driver running this
    // activation, and `ip` is an instruction of the running function.
    let next = unsafe { (ctx.slow)(ctx.exec, ctx, ip) };
    if next.is_null() {
        return Exit(core::ptr::null());
    }
    let (r, mem) = (Locs::<0> { regs: ctx.regs, acc, facc }, ctx.mem);
    next!(next, r, mem, ctx);
}

/// Continues at instruction `next` with the frame and memory in `ctx`: for the executor's
/// host-call handler, after the host function returned (and, for a tail call, the running
/// function returned too).
///
/// # Safety
///
/// As for a handler: `next` is an instruction of the running function, and `ctx` is current.
#[inline(always)]
pub(crate) unsafe fn continue_at(next: *const Op, ctx: &mut FastCtx, acc: Cell, facc: f64) -> Exit {
    let (r, mem) = (Locs::<0> { regs: ctx.regs, acc, facc }, ctx.mem);
    next!(next, r, mem, ctx);
}

/// The handler of an instruction that names the accumulator where it cannot take it. The
/// verifier rejects such code, so this never runs; it stops rather than misread a slot.
unsafe fn bad_acc(ip: *const Op, _: Regs, _: Mem, ctx: &mut FastCtx, _: Cell, _: f64) -> Exit {
    ctx.stop = Stop::Trap(TrapCode::Unreachable);
    ctx.trap_at = ip;
    Exit(core::ptr::null())
}

/// The handler of an instruction this build leaves out (see `handler_for`), which no
/// translation emits: it stops rather than run anything.
unsafe fn left_out(ip: *const Op, _: Regs, _: Mem, ctx: &mut FastCtx, _: Cell, _: f64) -> Exit {
    ctx.stop = Stop::Trap(TrapCode::Unreachable);
    ctx.trap_at = ip;
    Exit(core::ptr::null())
}

/// Pairs each instruction with its handler, given the accumulator forms the verifier
/// computed (`Instr::acc_form`; a form the verifier would reject gets `bad_acc`), and fuses
/// the pairs `fuse` knows.
///
/// Branch offsets become byte offsets (a multiple of the size of an `Op`), which saves the
/// handlers a multiplication on every taken branch; `decode` turns them back. They fit:
/// `bytecode::MAX_CODE_LEN` assumes at most `MAX_ENCODED_SIZE` bytes an instruction.
///
/// Under epoch interruption (`epochs`) every path that can run forever passes an instruction
/// that checks the deadline, without an instruction of its own: backward branches (a loop's
/// every iteration takes one) check it when they jump, and calls of every form (recursion and
/// tail-call cycles) and `br_table`s before they run. Without it, they are the plain
/// handlers, so the check costs nothing.
pub(crate) fn encode(code: &[Instr], forms: &[u8], (memory0_form, memories_64): (u8, u128), epochs: bool) -> Box<[Op]> {
    // Accesses to memory 0 take its form; to other memories, the named form of their width.
    let forms: Vec<u8> = code
        .iter()
        .zip(forms)
        .map(|(instr, &form)| match instr.memory_access() {
            Some(0) => form | memory0_form,
            Some(m) => form | acc::named_form(memories_64 >> m & 1 != 0),
            None => form,
        })
        .collect();
    let mut ops: Box<[Op]> = code
        .iter()
        .zip(&forms)
        .map(|(&(mut instr), &form)| {
            if let Some(offset) = instr.branch_offset_mut() {
                *offset *= OP_SIZE;
            }
            let polled = match instr.branch_offset() {
                _ if !epochs => None,
                Some(offset) if offset > 0 => None,
                _ => polled_handler_for(&instr, form),
            };
            let handler = polled.unwrap_or_else(|| match instr {
                Instr::I8x16ShuffleKnown(o) if form == 0 => super::ops::known_shuffle_handler(o.imm),
                _ => handler_for(&instr, form),
            });
            Op { handler, instr }
        })
        .collect();
    fuse::fuse_pairs(&mut ops, &forms, epochs);
    #[cfg(feature = "pair-stats")]
    pair_stats::register(&ops, &forms);
    ops
}

/// The instruction an `Op` was encoded from.
pub(crate) fn decode(op: &Op) -> Instr {
    let mut instr = op.instr;
    if let Some(offset) = instr.branch_offset_mut() {
        *offset /= OP_SIZE;
    }
    instr
}

const OP_SIZE: i32 = core::mem::size_of::<Op>() as i32;
const _: () = assert!(core::mem::size_of::<Op>() <= crate::bytecode::MAX_ENCODED_SIZE);

// The generic handlers that run steps, alone or two at a time.
pub(crate) mod fuse;
#[cfg(feature = "pair-stats")]
pub mod pair_stats;
// Memories as the handlers see them, and the accesses they make.
mod access;
// Calls and returns as the handlers make them: callees, frames, switching functions.
mod calls;
// Where a taken branch goes, without waiting for its offset's load.
mod branch;
pub(crate) use branch::jump_from;
pub(crate) use access::{Mem, View};
