//! Mica's internal instruction set, declared once.
//!
//! A function body is translated into a flat array of [`Instr`]. Operands are addressed
//! directly: every value lives in a *slot* of the function's frame (parameters and locals first,
//! then one slot per operand-stack position), and each instruction names the slots it reads and
//! writes. Nothing is pushed or popped at run time.
//!
//! Branch offsets are relative to the branch instruction itself, in instructions.
//!
//! Design rules (keep them true when adding instructions):
//! - An instruction is at most 16 bytes (checked below); wide immediates go to the function's
//!   constant pool.
//! - Slots are [`Slot`]s, relative to the frame base; a `v128` will take two adjacent slots.
//! - Memory instructions carry no memory index yet: they address memory 0. Multi-memory will
//!   add variants with an index rather than widen these.

mod branch;
mod disasm;
mod verify;

pub(crate) use branch::thread_jumps;
pub(crate) use verify::{VerifyBuffers, verify};

use crate::error::TrapCode;

/// A frame slot index, relative to the frame base.
pub type Slot = u16;

/// The largest number of slots a function frame may have. Slot `Slot::MAX` is never a frame
/// slot: it names the accumulator ([`ACC`]).
pub const MAX_SLOTS: usize = Slot::MAX as usize;

/// The accumulator: an operand named `ACC` is not in the frame but in a machine register the
/// interpreter carries from one instruction to the next (one for integers and `f32` bits, one
/// for `f64`). An instruction may write its result to `ACC` only when the instruction that
/// consumes the value comes straight after it (with at most constant and copy moves between,
/// and no branch target), so the value never lives longer than one dispatch. See
/// [`Instr::acc_form`] and the verifier, which checks this.
pub const ACC: Slot = Slot::MAX;

/// Which operands of an instruction are the accumulator (see [`Instr::acc_form`]).
pub mod acc {
    /// The result is written to the accumulator.
    pub const DST: u8 = 1;
    /// The first operand (`a`, `src`, `addr`, `cond`) is read from the accumulator.
    pub const X: u8 = 2;
    /// The second operand (`b`, a store's `value`) is read from the accumulator.
    pub const Y: u8 = 4;
    /// The result is written to its slot (a local) and to the accumulator too. Not visible
    /// in the instruction: the translator lists such instructions, and the verifier adds the
    /// bit to their form.
    pub const ALSO: u8 = 8;
}

/// A binary operation: `dst = a op b`.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct Bin {
    pub dst: Slot,
    pub a: Slot,
    pub b: Slot,
}

/// A binary operation with a constant right operand: `dst = a op imm`.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct BinImm {
    pub dst: Slot,
    pub a: Slot,
    /// Sign-extended to 64 bits for `i64` operations.
    pub imm: i32,
}

/// A unary operation or a move: `dst = op src`.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct Un {
    pub dst: Slot,
    pub src: Slot,
}

/// A load: `dst = memory[addr + offset]`.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct Load {
    pub dst: Slot,
    pub addr: Slot,
    pub offset: u32,
}

/// A store: `memory[addr + offset] = value`.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct Store {
    pub addr: Slot,
    pub value: Slot,
    pub offset: u32,
}

/// A conditional branch on a comparison of two slots.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct BrBin {
    pub a: Slot,
    pub b: Slot,
    pub offset: i32,
}

/// A conditional branch on a comparison of a slot with a constant (sign-extended for `i64`).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct BrImm {
    pub a: Slot,
    pub imm: i32,
    pub offset: i32,
}

/// A store of a constant: `memory[addr + offset] = value`.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct StoreImm {
    pub addr: Slot,
    pub value: i32,
    pub offset: u32,
}

/// A run of consecutive slots.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: Slot,
    pub len: Slot,
}

/// One instruction. See the module documentation for the operand conventions.
#[derive(Debug, Copy, Clone, PartialEq)]
pub enum Instr {
    // --- control -----------------------------------------------------------------------
    /// Trap unconditionally (`unreachable`, and code that can only trap).
    Trap(TrapCode),
    /// Jump by `offset` instructions.
    Br(i32),
    /// Jump if the `i32` in `cond` is non-zero.
    BrIfNez { cond: Slot, offset: i32 },
    /// Jump if the `i32` in `cond` is zero.
    BrIfEqz { cond: Slot, offset: i32 },
    /// Compare and jump if true: `i32`/`i64` comparisons fused with the branch they feed.
    BrI32Eq(BrBin),
    BrI32Ne(BrBin),
    BrI32LtS(BrBin),
    BrI32LtU(BrBin),
    BrI32GtS(BrBin),
    BrI32GtU(BrBin),
    BrI32LeS(BrBin),
    BrI32LeU(BrBin),
    BrI32GeS(BrBin),
    BrI32GeU(BrBin),
    BrI32EqImm(BrImm),
    BrI32NeImm(BrImm),
    BrI32LtSImm(BrImm),
    BrI32LtUImm(BrImm),
    BrI32GtSImm(BrImm),
    BrI32GtUImm(BrImm),
    BrI32LeSImm(BrImm),
    BrI32LeUImm(BrImm),
    BrI32GeSImm(BrImm),
    BrI32GeUImm(BrImm),
    BrI64Eq(BrBin),
    BrI64Ne(BrBin),
    BrI64LtS(BrBin),
    BrI64LtU(BrBin),
    BrI64GtS(BrBin),
    BrI64GtU(BrBin),
    BrI64LeS(BrBin),
    BrI64LeU(BrBin),
    BrI64GeS(BrBin),
    BrI64GeU(BrBin),
    BrI64EqImm(BrImm),
    BrI64NeImm(BrImm),
    BrI64LtSImm(BrImm),
    BrI64LtUImm(BrImm),
    BrI64GtSImm(BrImm),
    BrI64GtUImm(BrImm),
    BrI64LeSImm(BrImm),
    BrI64LeUImm(BrImm),
    BrI64GeSImm(BrImm),
    BrI64GeUImm(BrImm),
    /// Jump through a table: followed by `len` `Br` entries, the last being the default.
    BrTable { index: Slot, len: u32 },
    /// Copy `len` result slots starting at `start` to the frame base, then return.
    Return(Span),

    // --- calls: `args` is where the arguments start; results land at the same place ---------
    /// Call function `func` of the current instance.
    Call { func: u32, args: Slot },
    /// Call the function at `table[index]`, checking it has type `ty`.
    CallIndirect { index: Slot, args: Slot, table: u16, ty: u32 },
    /// Tail-call `func`: the current frame is reused (or, for a host function, released
    /// after the host returns).
    ReturnCall { func: u32, args: Slot },
    ReturnCallIndirect { index: Slot, args: Slot, table: u16, ty: u32 },

    // --- moves and constants -------------------------------------------------------------
    Copy(Un),
    /// `dst = imm`, for any 32-bit value (zero-extended into the cell).
    Const32 { dst: Slot, value: u32 },
    /// `dst = consts[index]`: 64-bit constants live in the function's constant pool.
    Const64 { dst: Slot, index: u32 },
    /// `dst = cond != 0 ? a : b`.
    Select { dst: Slot, cond: Slot, a: Slot, b: Slot },

    // --- variables -------------------------------------------------------------------------
    GlobalGet { dst: Slot, global: u32 },
    GlobalSet { src: Slot, global: u32 },

    // --- references --------------------------------------------------------------------------
    RefIsNull(Un),
    RefFunc { dst: Slot, func: u32 },

    // --- tables ------------------------------------------------------------------------------
    TableGet { dst: Slot, index: Slot, table: u32 },
    TableSet { index: Slot, value: Slot, table: u32 },
    TableSize { dst: Slot, table: u32 },
    /// `dst = table.grow(init = args[0], delta = args[1])`.
    TableGrow { dst: Slot, args: Slot, table: u32 },
    /// `table.fill(index = args[0], value = args[1], len = args[2])`.
    TableFill { args: Slot, table: u32 },
    /// `table.copy(dst = args[0], src = args[1], len = args[2])`.
    TableCopy { args: Slot, dst_table: u16, src_table: u16 },
    /// `table.init(dst = args[0], src = args[1], len = args[2])`.
    TableInit { args: Slot, table: u16, elem: u32 },
    ElemDrop(u32),

    // --- memory ------------------------------------------------------------------------------
    MemorySize { dst: Slot },
    MemoryGrow(Un),
    /// `memory.fill(dst = args[0], value = args[1], len = args[2])`.
    MemoryFill { args: Slot },
    /// `memory.copy(dst = args[0], src = args[1], len = args[2])`.
    MemoryCopy { args: Slot },
    /// `memory.init(dst = args[0], src = args[1], len = args[2])`.
    MemoryInit { args: Slot, data: u32 },
    DataDrop(u32),

    I32Load(Load),
    I64Load(Load),
    F32Load(Load),
    F64Load(Load),
    I32Load8S(Load),
    I32Load8U(Load),
    I32Load16S(Load),
    I32Load16U(Load),
    I64Load8S(Load),
    I64Load8U(Load),
    I64Load16S(Load),
    I64Load16U(Load),
    I64Load32S(Load),
    I64Load32U(Load),
    I32Store(Store),
    I64Store(Store),
    F32Store(Store),
    F64Store(Store),
    I32Store8(Store),
    I32Store16(Store),
    I64Store8(Store),
    I64Store16(Store),
    I64Store32(Store),
    /// Stores of a constant (for `i64`, sign-extended from 32 bits).
    I32StoreImm(StoreImm),
    I32Store8Imm(StoreImm),
    I32Store16Imm(StoreImm),
    I64StoreImm(StoreImm),
    I64Store8Imm(StoreImm),
    I64Store16Imm(StoreImm),
    I64Store32Imm(StoreImm),

    // --- i32 ---------------------------------------------------------------------------------
    I32Eqz(Un),
    I32Clz(Un),
    I32Ctz(Un),
    I32Popcnt(Un),
    I32Extend8S(Un),
    I32Extend16S(Un),
    I32Add(Bin),
    I32Sub(Bin),
    I32Mul(Bin),
    I32DivS(Bin),
    I32DivU(Bin),
    I32RemS(Bin),
    I32RemU(Bin),
    I32And(Bin),
    I32Or(Bin),
    I32Xor(Bin),
    I32Shl(Bin),
    I32ShrS(Bin),
    I32ShrU(Bin),
    I32Rotl(Bin),
    I32Rotr(Bin),
    I32Eq(Bin),
    I32Ne(Bin),
    I32LtS(Bin),
    I32LtU(Bin),
    I32GtS(Bin),
    I32GtU(Bin),
    I32LeS(Bin),
    I32LeU(Bin),
    I32GeS(Bin),
    I32GeU(Bin),
    I32AddImm(BinImm),
    I32SubImm(BinImm),
    I32MulImm(BinImm),
    I32AndImm(BinImm),
    I32OrImm(BinImm),
    I32XorImm(BinImm),
    I32ShlImm(BinImm),
    I32ShrSImm(BinImm),
    I32ShrUImm(BinImm),
    I32RotlImm(BinImm),
    I32RotrImm(BinImm),
    I32EqImm(BinImm),
    I32NeImm(BinImm),
    I32LtSImm(BinImm),
    I32LtUImm(BinImm),
    I32GtSImm(BinImm),
    I32GtUImm(BinImm),
    I32LeSImm(BinImm),
    I32LeUImm(BinImm),
    I32GeSImm(BinImm),
    I32GeUImm(BinImm),

    // --- i64 ---------------------------------------------------------------------------------
    I64Eqz(Un),
    I64Clz(Un),
    I64Ctz(Un),
    I64Popcnt(Un),
    I64Extend8S(Un),
    I64Extend16S(Un),
    I64Extend32S(Un),
    I64Add(Bin),
    I64Sub(Bin),
    I64Mul(Bin),
    I64DivS(Bin),
    I64DivU(Bin),
    I64RemS(Bin),
    I64RemU(Bin),
    I64And(Bin),
    I64Or(Bin),
    I64Xor(Bin),
    I64Shl(Bin),
    I64ShrS(Bin),
    I64ShrU(Bin),
    I64Rotl(Bin),
    I64Rotr(Bin),
    I64Eq(Bin),
    I64Ne(Bin),
    I64LtS(Bin),
    I64LtU(Bin),
    I64GtS(Bin),
    I64GtU(Bin),
    I64LeS(Bin),
    I64LeU(Bin),
    I64GeS(Bin),
    I64GeU(Bin),
    I64AddImm(BinImm),
    I64SubImm(BinImm),
    I64MulImm(BinImm),
    I64AndImm(BinImm),
    I64OrImm(BinImm),
    I64XorImm(BinImm),
    I64ShlImm(BinImm),
    I64ShrSImm(BinImm),
    I64ShrUImm(BinImm),
    I64RotlImm(BinImm),
    I64RotrImm(BinImm),
    I64EqImm(BinImm),
    I64NeImm(BinImm),
    I64LtSImm(BinImm),
    I64LtUImm(BinImm),
    I64GtSImm(BinImm),
    I64GtUImm(BinImm),
    I64LeSImm(BinImm),
    I64LeUImm(BinImm),
    I64GeSImm(BinImm),
    I64GeUImm(BinImm),

    // --- f32 / f64 -----------------------------------------------------------------------------
    F32Abs(Un),
    F32Neg(Un),
    F32Ceil(Un),
    F32Floor(Un),
    F32Trunc(Un),
    F32Nearest(Un),
    F32Sqrt(Un),
    F32Add(Bin),
    F32Sub(Bin),
    F32Mul(Bin),
    F32Div(Bin),
    F32Min(Bin),
    F32Max(Bin),
    F32Copysign(Bin),
    F32Eq(Bin),
    F32Ne(Bin),
    F32Lt(Bin),
    F32Gt(Bin),
    F32Le(Bin),
    F32Ge(Bin),
    F64Abs(Un),
    F64Neg(Un),
    F64Ceil(Un),
    F64Floor(Un),
    F64Trunc(Un),
    F64Nearest(Un),
    F64Sqrt(Un),
    F64Add(Bin),
    F64Sub(Bin),
    F64Mul(Bin),
    F64Div(Bin),
    F64Min(Bin),
    F64Max(Bin),
    F64Copysign(Bin),
    F64Eq(Bin),
    F64Ne(Bin),
    F64Lt(Bin),
    F64Gt(Bin),
    F64Le(Bin),
    F64Ge(Bin),

    // --- conversions ---------------------------------------------------------------------------
    I32WrapI64(Un),
    I32TruncF32S(Un),
    I32TruncF32U(Un),
    I32TruncF64S(Un),
    I32TruncF64U(Un),
    I64ExtendI32S(Un),
    I64ExtendI32U(Un),
    I64TruncF32S(Un),
    I64TruncF32U(Un),
    I64TruncF64S(Un),
    I64TruncF64U(Un),
    F32ConvertI32S(Un),
    F32ConvertI32U(Un),
    F32ConvertI64S(Un),
    F32ConvertI64U(Un),
    F32DemoteF64(Un),
    F64ConvertI32S(Un),
    F64ConvertI32U(Un),
    F64ConvertI64S(Un),
    F64ConvertI64U(Un),
    F64PromoteF32(Un),
    I32TruncSatF32S(Un),
    I32TruncSatF32U(Un),
    I32TruncSatF64S(Un),
    I32TruncSatF64U(Un),
    I64TruncSatF32S(Un),
    I64TruncSatF32U(Un),
    I64TruncSatF64S(Un),
    I64TruncSatF64U(Un),
}

const _: () = assert!(core::mem::size_of::<Instr>() <= 16);

impl Instr {
    /// Which of the instruction's operands are the accumulator, as a set of [`acc`] bits, or
    /// `None` if the instruction names `ACC` where it cannot take it. Only instructions with
    /// handlers that can read and write the accumulator accept it: the numeric, load, store and
    /// compare-and-branch instructions, and the conditional branches.
    ///
    /// This is the definition. The verifier works the form out within its one dispatch per
    /// instruction, and `acc_result_slot_mut` answers `can_write_acc` in one; debug builds
    /// (the tests, the spec suite) check both against this on every instruction.
    pub(crate) fn acc_form(&self) -> Option<u8> {
        let bit = |slot: Slot, bit: u8| if slot == ACC { bit } else { 0 };
        let mut copy = *self;
        let form = match copy {
            Instr::BrIfNez { cond, .. } | Instr::BrIfEqz { cond, .. } => bit(cond, acc::X),
            Instr::Copy(u) | Instr::RefIsNull(u) | Instr::MemoryGrow(u) => {
                return (u.dst != ACC && u.src != ACC).then_some(0);
            }
            _ => match copy.payload_mut() {
                Payload::Un(u) => bit(u.dst, acc::DST) | bit(u.src, acc::X),
                Payload::Bin(b) => bit(b.dst, acc::DST) | bit(b.a, acc::X) | bit(b.b, acc::Y),
                Payload::BinImm(b) => bit(b.dst, acc::DST) | bit(b.a, acc::X),
                Payload::Load(l) => bit(l.dst, acc::DST) | bit(l.addr, acc::X),
                Payload::Store(s) => bit(s.addr, acc::X) | bit(s.value, acc::Y),
                Payload::StoreImm(s) => bit(s.addr, acc::X),
                Payload::BrBin(b) => bit(b.a, acc::X) | bit(b.b, acc::Y),
                Payload::BrImm(b) => bit(b.a, acc::X),
                // Instructions with named operands never take the accumulator; the verifier's
                // slot checks reject `ACC` there.
                Payload::Other => 0,
            },
        };
        // One value is in the accumulator at a time.
        (form & (acc::X | acc::Y) != acc::X | acc::Y).then_some(form)
    }

    /// Calls `f` on every slot the instruction names, including the first slot of each run
    /// (call arguments, returned values, bulk-operation arguments): for passes that renumber
    /// slots. Each slot field is visited once.
    pub(crate) fn for_each_slot(&mut self, mut f: impl FnMut(&mut Slot)) {
        use Instr::*;
        match self {
            BrIfNez { cond, .. } | BrIfEqz { cond, .. } => f(cond),
            BrTable { index, .. } => f(index),
            Return(span) => f(&mut span.start),
            Call { args, .. } | ReturnCall { args, .. } => f(args),
            CallIndirect { index, args, .. } | ReturnCallIndirect { index, args, .. } => {
                f(index);
                f(args);
            }
            TableGrow { dst, args, .. } => {
                f(dst);
                f(args);
            }
            TableFill { args, .. } | TableCopy { args, .. } | TableInit { args, .. }
            | MemoryFill { args } | MemoryCopy { args } | MemoryInit { args, .. } => f(args),
            Const32 { dst, .. } | Const64 { dst, .. } | GlobalGet { dst, .. } | RefFunc { dst, .. }
            | TableSize { dst, .. } | MemorySize { dst } => f(dst),
            Select { dst, cond, a, b } => {
                f(dst);
                f(cond);
                f(a);
                f(b);
            }
            GlobalSet { src, .. } => f(src),
            TableGet { dst, index, .. } => {
                f(dst);
                f(index);
            }
            TableSet { index, value, .. } => {
                f(index);
                f(value);
            }
            other => match other.payload_mut() {
                Payload::Un(u) => {
                    f(&mut u.dst);
                    f(&mut u.src);
                }
                Payload::Bin(b) => {
                    f(&mut b.dst);
                    f(&mut b.a);
                    f(&mut b.b);
                }
                Payload::BinImm(b) => {
                    f(&mut b.dst);
                    f(&mut b.a);
                }
                Payload::Load(l) => {
                    f(&mut l.dst);
                    f(&mut l.addr);
                }
                Payload::Store(s) => {
                    f(&mut s.addr);
                    f(&mut s.value);
                }
                Payload::StoreImm(s) => f(&mut s.addr),
                Payload::BrBin(b) => {
                    f(&mut b.a);
                    f(&mut b.b);
                }
                Payload::BrImm(b) => f(&mut b.a),
                Payload::Other => {}
            },
        }
    }

    /// Whether the instruction could write its result to the accumulator (its handlers have
    /// the forms `acc::DST` and `acc::ALSO`).
    pub(crate) fn can_write_acc(&self) -> bool {
        let mut copy = *self;
        copy.acc_result_slot_mut().is_some()
    }

    /// The result slot of an instruction that could write its result to the accumulator
    /// instead (see [`Instr::can_write_acc`]): one dispatch on the instruction, for the
    /// translator's hot path. These are the numeric and load instructions: the shapes whose
    /// `acc_form` has `acc::DST` when the result slot is `ACC` (checked in debug builds).
    pub(crate) fn acc_result_slot_mut(&mut self) -> Option<&mut Slot> {
        #[cfg(debug_assertions)]
        let by_form = {
            let mut copy = *self;
            match copy.result_slot_mut() {
                Some(dst) => {
                    *dst = ACC;
                    copy.acc_form().is_some_and(|form| form & acc::DST != 0)
                }
                None => false,
            }
        };
        let slot = match self {
            Instr::Copy(_) | Instr::RefIsNull(_) | Instr::MemoryGrow(_) => None,
            other => match other.payload_mut() {
                Payload::Un(u) => Some(&mut u.dst),
                Payload::Bin(b) => Some(&mut b.dst),
                Payload::BinImm(b) => Some(&mut b.dst),
                Payload::Load(l) => Some(&mut l.dst),
                _ => None,
            },
        };
        #[cfg(debug_assertions)]
        debug_assert_eq!(slot.is_some(), by_form);
        slot
    }

    /// The slot an instruction writes its single result to, if it is redirectable.
    pub(crate) fn result_slot(&self) -> Option<Slot> {
        let mut copy = *self;
        copy.result_slot_mut().copied()
    }

    /// The instruction's operands by shape, for code that treats every instruction of a shape
    /// alike (the verifier, the translator's result redirection).
    pub(crate) fn payload_mut(&mut self) -> Payload<'_> {
        use Instr::*;
        match self {
            I32Load(l) | I64Load(l) | F32Load(l) | F64Load(l) | I32Load8S(l) | I32Load8U(l)
            | I32Load16S(l) | I32Load16U(l) | I64Load8S(l) | I64Load8U(l) | I64Load16S(l)
            | I64Load16U(l) | I64Load32S(l) | I64Load32U(l) => Payload::Load(l),
            I32Eqz(u) | I32Clz(u) | I32Ctz(u) | I32Popcnt(u) | I32Extend8S(u)
            | I32Extend16S(u) | I64Eqz(u) | I64Clz(u) | I64Ctz(u) | I64Popcnt(u)
            | I64Extend8S(u) | I64Extend16S(u) | I64Extend32S(u) | F32Abs(u) | F32Neg(u)
            | F32Ceil(u) | F32Floor(u) | F32Trunc(u) | F32Nearest(u) | F32Sqrt(u)
            | F64Abs(u) | F64Neg(u) | F64Ceil(u) | F64Floor(u) | F64Trunc(u)
            | F64Nearest(u) | F64Sqrt(u) | I32WrapI64(u) | I32TruncF32S(u)
            | I32TruncF32U(u) | I32TruncF64S(u) | I32TruncF64U(u) | I64ExtendI32S(u)
            | I64ExtendI32U(u) | I64TruncF32S(u) | I64TruncF32U(u) | I64TruncF64S(u)
            | I64TruncF64U(u) | F32ConvertI32S(u) | F32ConvertI32U(u) | F32ConvertI64S(u)
            | F32ConvertI64U(u) | F32DemoteF64(u) | F64ConvertI32S(u) | F64ConvertI32U(u)
            | F64ConvertI64S(u) | F64ConvertI64U(u) | F64PromoteF32(u)
            | I32TruncSatF32S(u) | I32TruncSatF32U(u) | I32TruncSatF64S(u)
            | I32TruncSatF64U(u) | I64TruncSatF32S(u) | I64TruncSatF32U(u)
            | I64TruncSatF64S(u) | I64TruncSatF64U(u) => Payload::Un(u),
            I32Add(b) | I32Sub(b) | I32Mul(b) | I32DivS(b) | I32DivU(b) | I32RemS(b)
            | I32RemU(b) | I32And(b) | I32Or(b) | I32Xor(b) | I32Shl(b) | I32ShrS(b)
            | I32ShrU(b) | I32Rotl(b) | I32Rotr(b) | I32Eq(b) | I32Ne(b) | I32LtS(b)
            | I32LtU(b) | I32GtS(b) | I32GtU(b) | I32LeS(b) | I32LeU(b) | I32GeS(b)
            | I32GeU(b) | I64Add(b) | I64Sub(b) | I64Mul(b) | I64DivS(b) | I64DivU(b)
            | I64RemS(b) | I64RemU(b) | I64And(b) | I64Or(b) | I64Xor(b) | I64Shl(b)
            | I64ShrS(b) | I64ShrU(b) | I64Rotl(b) | I64Rotr(b) | I64Eq(b) | I64Ne(b)
            | I64LtS(b) | I64LtU(b) | I64GtS(b) | I64GtU(b) | I64LeS(b) | I64LeU(b)
            | I64GeS(b) | I64GeU(b) | F32Add(b) | F32Sub(b) | F32Mul(b) | F32Div(b)
            | F32Min(b) | F32Max(b) | F32Copysign(b) | F32Eq(b) | F32Ne(b) | F32Lt(b)
            | F32Gt(b) | F32Le(b) | F32Ge(b) | F64Add(b) | F64Sub(b) | F64Mul(b)
            | F64Div(b) | F64Min(b) | F64Max(b) | F64Copysign(b) | F64Eq(b) | F64Ne(b)
            | F64Lt(b) | F64Gt(b) | F64Le(b) | F64Ge(b) => Payload::Bin(b),
            I32AddImm(b) | I32SubImm(b) | I32MulImm(b) | I32AndImm(b) | I32OrImm(b)
            | I32XorImm(b) | I32ShlImm(b) | I32ShrSImm(b) | I32ShrUImm(b) | I32RotlImm(b) | I32RotrImm(b) | I32EqImm(b)
            | I32NeImm(b) | I32LtSImm(b) | I32LtUImm(b) | I32GtSImm(b) | I32GtUImm(b)
            | I32LeSImm(b) | I32LeUImm(b) | I32GeSImm(b) | I32GeUImm(b) | I64AddImm(b)
            | I64SubImm(b) | I64MulImm(b) | I64AndImm(b) | I64OrImm(b) | I64XorImm(b)
            | I64ShlImm(b) | I64ShrSImm(b) | I64ShrUImm(b) | I64RotlImm(b) | I64RotrImm(b) | I64EqImm(b) | I64NeImm(b)
            | I64LtSImm(b) | I64LtUImm(b) | I64GtSImm(b) | I64GtUImm(b) | I64LeSImm(b)
            | I64LeUImm(b) | I64GeSImm(b) | I64GeUImm(b) => Payload::BinImm(b),
            I32Store(s) | I64Store(s) | F32Store(s) | F64Store(s) | I32Store8(s) | I32Store16(s)
            | I64Store8(s) | I64Store16(s) | I64Store32(s) => Payload::Store(s),
            I32StoreImm(s) | I32Store8Imm(s) | I32Store16Imm(s) | I64StoreImm(s) | I64Store8Imm(s)
            | I64Store16Imm(s) | I64Store32Imm(s) => Payload::StoreImm(s),
            Copy(u) | RefIsNull(u) | MemoryGrow(u) => Payload::Un(u),
            BrI32Eq(b) | BrI32Ne(b) | BrI32LtS(b) | BrI32LtU(b) | BrI32GtS(b) | BrI32GtU(b) | BrI32LeS(b) | BrI32LeU(b) | BrI32GeS(b) | BrI32GeU(b) | BrI64Eq(b) | BrI64Ne(b) | BrI64LtS(b) | BrI64LtU(b) | BrI64GtS(b) | BrI64GtU(b) | BrI64LeS(b) | BrI64LeU(b) | BrI64GeS(b) | BrI64GeU(b) => Payload::BrBin(b),
            BrI32EqImm(b) | BrI32NeImm(b) | BrI32LtSImm(b) | BrI32LtUImm(b) | BrI32GtSImm(b) | BrI32GtUImm(b) | BrI32LeSImm(b) | BrI32LeUImm(b) | BrI32GeSImm(b) | BrI32GeUImm(b) | BrI64EqImm(b) | BrI64NeImm(b) | BrI64LtSImm(b) | BrI64LtUImm(b) | BrI64GtSImm(b) | BrI64GtUImm(b) | BrI64LeSImm(b) | BrI64LeUImm(b) | BrI64GeSImm(b) | BrI64GeUImm(b) => Payload::BrImm(b),
            _ => Payload::Other,
        }
    }

    /// The slot an instruction writes its single result to, if it has exactly one and nothing
    /// else happens to it (so that the translator may redirect it to a local).
    pub(crate) fn result_slot_mut(&mut self) -> Option<&mut Slot> {
        match self {
            Instr::MemoryGrow(_) => None,
            Instr::Const32 { dst, .. }
            | Instr::Const64 { dst, .. }
            | Instr::Select { dst, .. }
            | Instr::GlobalGet { dst, .. }
            | Instr::RefFunc { dst, .. }
            | Instr::TableGet { dst, .. }
            | Instr::TableSize { dst, .. }
            | Instr::MemorySize { dst } => Some(dst),
            other => match other.payload_mut() {
                Payload::Un(u) => Some(&mut u.dst),
                Payload::Bin(b) => Some(&mut b.dst),
                Payload::BinImm(b) => Some(&mut b.dst),
                Payload::Load(l) => Some(&mut l.dst),
                Payload::Store(_) | Payload::StoreImm(_) | Payload::BrBin(_) | Payload::BrImm(_) | Payload::Other => None,
            },
        }
    }
}

/// An instruction's operands, by shape.
pub(crate) enum Payload<'a> {
    Un(&'a mut Un),
    Bin(&'a mut Bin),
    BinImm(&'a mut BinImm),
    Load(&'a mut Load),
    Store(&'a mut Store),
    StoreImm(&'a mut StoreImm),
    BrBin(&'a mut BrBin),
    BrImm(&'a mut BrImm),
    /// Control, calls, variables, tables and bulk memory: operands named individually.
    Other,
}


pub use disasm::disassemble;
