//! The operator table: which bytecode each WebAssembly operator becomes.

use super::Translator;
use super::stack::Operand;
use crate::bytecode::{
    AddOffset, Bin, BinImm, Wide128, WideMul, DataDrop, ElemDrop, GlobalGet, GlobalSet, Instr, Load, MemoryCopy, MemoryFill,
    MemoryGrow, MemoryInit,
    MemorySize, RefFunc, Select, Store, StoreImm, TableCopy, TableFill, TableGet, TableGrow, TableInit,
    Slot, TableSet, TableSize, Throw, ThrowRef, Un, VGlobalGet, VGlobalSet, VSelect,
};
use crate::error::{Error, Result, TrapCode};
use crate::types::ValType;

use crate::cell::{Cell, NULL_REF};
use wasmparser::{MemArg, Operator as O};

type BinCtor = fn(Bin) -> Instr;
type ImmCtor = fn(BinImm) -> Instr;

impl Translator<'_> {
    /// Translates one operator. Inlined into each of the visitor's methods (`visit.rs`), where
    /// `op` is a known variant and the `match` below folds to its one arm.
    #[inline(always)]
    pub(super) fn translate(&mut self, op: &O<'_>) -> Result<()> {
        if !self.reachable {
            return self.translate_dead(op);
        }
        self.charge(op);
        match *op {
            O::Unreachable => {
                self.out.emit(Instr::Trap(TrapCode::Unreachable));
                self.set_unreachable();
            }
            O::Nop => {}
            O::Block { blockty } => self.begin_block(blockty),
            O::Loop { blockty } => self.begin_loop(blockty),
            O::If { blockty } => self.begin_if(blockty),
            O::Else => self.begin_else()?,
            O::End => self.end_frame()?,
            O::TryTable { ref try_table } => self.begin_try_table(try_table)?,
            O::Try { blockty } => self.begin_try(blockty),
            O::Catch { tag_index } => self.begin_catch(Some(tag_index))?,
            O::CatchAll => self.begin_catch(None)?,
            O::Delegate { relative_depth } => self.delegate(relative_depth)?,
            O::Rethrow { relative_depth } => self.rethrow(relative_depth)?,
            O::Throw { tag_index } => {
                let args = self.pop_span(self.env.tag_type(tag_index).params().len());
                self.out.emit(Instr::Throw(Throw { args, tag: tag_index }));
                self.set_unreachable();
            }
            O::ThrowRef => {
                let exn = self.pop_slot();
                self.out.emit(Instr::ThrowRef(ThrowRef { exn }));
                self.set_unreachable();
            }
            O::Br { relative_depth } => self.translate_br(relative_depth)?,
            O::BrIf { relative_depth } => self.translate_br_if(relative_depth)?,
            O::BrTable { ref targets } => self.translate_br_table(targets)?,
            O::Return => {
                let n = self.control[0].num_results;
                self.emit_return(n)?;
                self.set_unreachable();
            }
            O::Call { function_index } => self.translate_call(function_index, false)?,
            O::ReturnCall { function_index } => self.translate_call(function_index, true)?,
            O::CallIndirect { type_index, table_index } => {
                self.translate_call_indirect(type_index, table_index, false)?
            }
            O::ReturnCallIndirect { type_index, table_index } => {
                self.translate_call_indirect(type_index, table_index, true)?
            }
            O::Drop => {
                self.stack.pop();
                self.out.label();
            }
            O::Select | O::TypedSelect { .. } | O::TypedSelectMulti { .. } => {
                let n = self.stack.len();
                let wide = self.stack.is_wide(n - 2);
                // The values first: a move one of them needs must not come between the
                // condition's writer and a `select` that reads it from the accumulator.
                let b = self.stack.read_slot(n - 2, &mut self.out);
                let a = self.stack.read_slot(n - 3, &mut self.out);
                let handed_over = match self.stack.get(n - 1) {
                    _ if wide => None,
                    Operand::InSlot => self.take_acc(n - 1),
                    Operand::Local(_) => self.take_local_acc(n - 1),
                    Operand::Const(_) => None,
                };
                let cond = handed_over.unwrap_or_else(|| self.stack.read_slot(n - 1, &mut self.out));
                self.stack.truncate(n - 3);
                if wide {
                    let dst = self.next_home_wide()?;
                    self.push_result_wide(Instr::Select128(VSelect { dst, cond, a, b }))?;
                } else {
                    let dst = self.next_home()?;
                    self.push_result(Instr::Select(Select { dst, cond, a, b }))?;
                }
            }
            O::LocalGet { local_index } => {
                let (local, wide) = self.local(local_index);
                self.stack.push_value(Operand::Local(local), wide)?;
            }
            O::LocalSet { local_index } => self.translate_local_set(local_index, false)?,
            O::LocalTee { local_index } => self.translate_local_set(local_index, true)?,
            O::GlobalGet { global_index } => {
                let wide = self.env.globals.get(global_index as usize).is_some_and(|g| g.content == ValType::V128);
                if wide {
                    let dst = self.next_home_wide()?;
                    self.push_result_wide(Instr::GlobalGet128(VGlobalGet { dst, global: global_index }))?;
                } else {
                    let dst = self.next_home()?;
                    self.push_result(Instr::GlobalGet(GlobalGet { dst, global: global_index }))?;
                }
            }
            O::GlobalSet { global_index } => {
                let wide = self.stack.is_wide(self.stack.len() - 1);
                let src = self.pop_slot();
                if wide {
                    self.out.emit(Instr::GlobalSet128(VGlobalSet { src, global: global_index }));
                } else {
                    self.out.emit(Instr::GlobalSet(GlobalSet { src, global: global_index }));
                }
            }

            O::I32Load { memarg } => self.load(memarg, Instr::I32Load)?,
            O::I64Load { memarg } => self.load(memarg, Instr::I64Load)?,
            O::F32Load { memarg } => self.load(memarg, Instr::F32Load)?,
            O::F64Load { memarg } => self.load(memarg, Instr::F64Load)?,
            O::I32Load8S { memarg } => self.load(memarg, Instr::I32Load8S)?,
            O::I32Load8U { memarg } => self.load(memarg, Instr::I32Load8U)?,
            O::I32Load16S { memarg } => self.load(memarg, Instr::I32Load16S)?,
            O::I32Load16U { memarg } => self.load(memarg, Instr::I32Load16U)?,
            O::I64Load8S { memarg } => self.load(memarg, Instr::I64Load8S)?,
            O::I64Load8U { memarg } => self.load(memarg, Instr::I64Load8U)?,
            O::I64Load16S { memarg } => self.load(memarg, Instr::I64Load16S)?,
            O::I64Load16U { memarg } => self.load(memarg, Instr::I64Load16U)?,
            O::I64Load32S { memarg } => self.load(memarg, Instr::I64Load32S)?,
            O::I64Load32U { memarg } => self.load(memarg, Instr::I64Load32U)?,
            O::I32Store { memarg } => self.store_imm(memarg, Instr::I32Store, Instr::I32StoreImm, false)?,
            O::I64Store { memarg } => self.store_imm(memarg, Instr::I64Store, Instr::I64StoreImm, true)?,
            O::F32Store { memarg } => self.store(memarg, Instr::F32Store)?,
            O::F64Store { memarg } => self.store(memarg, Instr::F64Store)?,
            O::I32Store8 { memarg } => self.store_imm(memarg, Instr::I32Store8, Instr::I32Store8Imm, false)?,
            O::I32Store16 { memarg } => self.store_imm(memarg, Instr::I32Store16, Instr::I32Store16Imm, false)?,
            O::I64Store8 { memarg } => self.store_imm(memarg, Instr::I64Store8, Instr::I64Store8Imm, true)?,
            O::I64Store16 { memarg } => self.store_imm(memarg, Instr::I64Store16, Instr::I64Store16Imm, true)?,
            O::I64Store32 { memarg } => self.store_imm(memarg, Instr::I64Store32, Instr::I64Store32Imm, true)?,
            O::MemorySize { mem } => {
                let memory = memory_u8(mem)?;
                let dst = self.next_home()?;
                self.push_result(Instr::MemorySize(MemorySize { dst, memory }))?;
            }
            O::MemoryGrow { mem } => {
                let memory = memory_u8(mem)?;
                let delta = self.pop_slot();
                let dst = self.next_home()?;
                self.out.emit(Instr::MemoryGrow(MemoryGrow { dst, delta, memory }));
                self.stack.push(Operand::InSlot)?;
            }
            O::MemoryFill { mem } => {
                let memory = memory_u8(mem)?;
                let args = self.pop_span(3);
                self.out.emit(Instr::MemoryFill(MemoryFill { args, memory }));
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let (dst_memory, src_memory) = (memory_u8(dst_mem)?, memory_u8(src_mem)?);
                let args = self.pop_span(3);
                self.out.emit(Instr::MemoryCopy(MemoryCopy { args, dst_memory, src_memory }));
            }
            O::MemoryInit { data_index, mem } => {
                let memory = memory_u8(mem)?;
                let args = self.pop_span(3);
                self.out.emit(Instr::MemoryInit(MemoryInit { args, data: data_index, memory }));
            }
            O::DataDrop { data_index } => self.out.emit(Instr::DataDrop(DataDrop { data: data_index })),

            O::TableGet { table } => {
                let index = self.pop_slot();
                let dst = self.next_home()?;
                self.push_result(Instr::TableGet(TableGet { dst, index, table }))?;
            }
            O::TableSet { table } => {
                let value = self.pop_slot();
                let index = self.pop_slot();
                self.out.emit(Instr::TableSet(TableSet { index, value, table }));
            }
            O::TableSize { table } => {
                let dst = self.next_home()?;
                self.push_result(Instr::TableSize(TableSize { dst, table }))?;
            }
            O::TableGrow { table } => {
                let args = self.pop_span(2);
                self.out.emit(Instr::TableGrow(TableGrow { dst: args, args, table }));
                self.stack.push(Operand::InSlot)?;
            }
            O::TableFill { table } => {
                let args = self.pop_span(3);
                self.out.emit(Instr::TableFill(TableFill { args, table }));
            }
            O::TableCopy { dst_table, src_table } => {
                let args = self.pop_span(3);
                let dst_table = table_u16(dst_table)?;
                let src_table = table_u16(src_table)?;
                self.out.emit(Instr::TableCopy(TableCopy { args, dst_table, src_table }));
            }
            O::TableInit { elem_index, table } => {
                let args = self.pop_span(3);
                let table = table_u16(table)?;
                self.out.emit(Instr::TableInit(TableInit { args, table, elem: elem_index }));
            }
            O::ElemDrop { elem_index } => self.out.emit(Instr::ElemDrop(ElemDrop { elem: elem_index })),

            O::RefNull { .. } => self.stack.push(Operand::Const(NULL_REF))?,
            O::RefIsNull => self.unary_in_slots(Instr::RefIsNull)?,
            O::RefAsNonNull => self.unary_in_slots(Instr::RefAsNonNull)?,
            O::BrOnNull { relative_depth } => self.translate_br_on_null(relative_depth, false)?,
            O::BrOnNonNull { relative_depth } => self.translate_br_on_null(relative_depth, true)?,
            O::CallRef { type_index } => self.translate_call_ref(type_index, false)?,
            O::ReturnCallRef { type_index } => self.translate_call_ref(type_index, true)?,
            O::RefFunc { function_index } => {
                let dst = self.next_home()?;
                self.push_result(Instr::RefFunc(RefFunc { dst, func: function_index }))?;
            }

            O::I32Const { value } => self.stack.push(Operand::Const(value as u32 as Cell))?,
            O::I64Const { value } => self.stack.push(Operand::Const(value as Cell))?,
            O::F32Const { value } => self.stack.push(Operand::Const(value.bits() as Cell))?,
            O::F64Const { value } => self.stack.push(Operand::Const(value.bits()))?,

            O::I32Eqz => self.unary(Instr::I32Eqz)?,
            O::I32Clz => self.unary(Instr::I32Clz)?,
            O::I32Ctz => self.unary(Instr::I32Ctz)?,
            O::I32Popcnt => self.unary(Instr::I32Popcnt)?,
            O::I32Extend8S => self.unary(Instr::I32Extend8S)?,
            O::I32Extend16S => self.unary(Instr::I32Extend16S)?,
            O::I32Add => self.binary_imm(Instr::I32Add, Instr::I32AddImm, true, false)?,
            O::I32Sub => self.binary_imm(Instr::I32Sub, Instr::I32SubImm, false, false)?,
            O::I32Mul => self.binary_imm(Instr::I32Mul, Instr::I32MulImm, true, false)?,
            O::I32DivS => self.binary(Instr::I32DivS)?,
            O::I32DivU => self.binary(Instr::I32DivU)?,
            O::I32RemS => self.binary(Instr::I32RemS)?,
            O::I32RemU => self.binary(Instr::I32RemU)?,
            O::I32And => self.binary_imm(Instr::I32And, Instr::I32AndImm, true, false)?,
            O::I32Or => self.binary_imm(Instr::I32Or, Instr::I32OrImm, true, false)?,
            O::I32Xor => self.binary_imm(Instr::I32Xor, Instr::I32XorImm, true, false)?,
            O::I32Shl => self.binary_imm(Instr::I32Shl, Instr::I32ShlImm, false, false)?,
            O::I32ShrS => self.binary_imm(Instr::I32ShrS, Instr::I32ShrSImm, false, false)?,
            O::I32ShrU => self.binary_imm(Instr::I32ShrU, Instr::I32ShrUImm, false, false)?,
            O::I32Rotl => self.binary_imm(Instr::I32Rotl, Instr::I32RotlImm, false, false)?,
            O::I32Rotr => self.binary_imm(Instr::I32Rotr, Instr::I32RotrImm, false, false)?,
            O::I32Eq => self.binary_imm(Instr::I32Eq, Instr::I32EqImm, true, false)?,
            O::I32Ne => self.binary_imm(Instr::I32Ne, Instr::I32NeImm, true, false)?,
            O::I32LtS => self.binary_imm(Instr::I32LtS, Instr::I32LtSImm, false, false)?,
            O::I32LtU => self.binary_imm(Instr::I32LtU, Instr::I32LtUImm, false, false)?,
            O::I32GtS => self.binary_imm(Instr::I32GtS, Instr::I32GtSImm, false, false)?,
            O::I32GtU => self.binary_imm(Instr::I32GtU, Instr::I32GtUImm, false, false)?,
            O::I32LeS => self.binary_imm(Instr::I32LeS, Instr::I32LeSImm, false, false)?,
            O::I32LeU => self.binary_imm(Instr::I32LeU, Instr::I32LeUImm, false, false)?,
            O::I32GeS => self.binary_imm(Instr::I32GeS, Instr::I32GeSImm, false, false)?,
            O::I32GeU => self.binary_imm(Instr::I32GeU, Instr::I32GeUImm, false, false)?,

            O::I64Eqz => self.unary(Instr::I64Eqz)?,
            O::I64Clz => self.unary(Instr::I64Clz)?,
            O::I64Ctz => self.unary(Instr::I64Ctz)?,
            O::I64Popcnt => self.unary(Instr::I64Popcnt)?,
            O::I64Extend8S => self.unary(Instr::I64Extend8S)?,
            O::I64Extend16S => self.unary(Instr::I64Extend16S)?,
            O::I64Extend32S => self.unary(Instr::I64Extend32S)?,
            O::I64Add => self.binary_imm(Instr::I64Add, Instr::I64AddImm, true, true)?,
            O::I64Sub => self.binary_imm(Instr::I64Sub, Instr::I64SubImm, false, true)?,
            O::I64Mul => self.binary_imm(Instr::I64Mul, Instr::I64MulImm, true, true)?,
            O::I64DivS => self.binary(Instr::I64DivS)?,
            O::I64DivU => self.binary(Instr::I64DivU)?,
            O::I64RemS => self.binary(Instr::I64RemS)?,
            O::I64RemU => self.binary(Instr::I64RemU)?,
            O::I64And => self.binary_imm(Instr::I64And, Instr::I64AndImm, true, true)?,
            O::I64Or => self.binary_imm(Instr::I64Or, Instr::I64OrImm, true, true)?,
            O::I64Xor => self.binary_imm(Instr::I64Xor, Instr::I64XorImm, true, true)?,
            O::I64Shl => self.binary_imm(Instr::I64Shl, Instr::I64ShlImm, false, true)?,
            O::I64ShrS => self.binary_imm(Instr::I64ShrS, Instr::I64ShrSImm, false, true)?,
            O::I64ShrU => self.binary_imm(Instr::I64ShrU, Instr::I64ShrUImm, false, true)?,
            O::I64Rotl => self.binary_imm(Instr::I64Rotl, Instr::I64RotlImm, false, true)?,
            O::I64Rotr => self.binary_imm(Instr::I64Rotr, Instr::I64RotrImm, false, true)?,
            O::I64Eq => self.binary_imm(Instr::I64Eq, Instr::I64EqImm, true, true)?,
            O::I64Ne => self.binary_imm(Instr::I64Ne, Instr::I64NeImm, true, true)?,
            O::I64LtS => self.binary_imm(Instr::I64LtS, Instr::I64LtSImm, false, true)?,
            O::I64LtU => self.binary_imm(Instr::I64LtU, Instr::I64LtUImm, false, true)?,
            O::I64GtS => self.binary_imm(Instr::I64GtS, Instr::I64GtSImm, false, true)?,
            O::I64GtU => self.binary_imm(Instr::I64GtU, Instr::I64GtUImm, false, true)?,
            O::I64LeS => self.binary_imm(Instr::I64LeS, Instr::I64LeSImm, false, true)?,
            O::I64LeU => self.binary_imm(Instr::I64LeU, Instr::I64LeUImm, false, true)?,
            O::I64GeS => self.binary_imm(Instr::I64GeS, Instr::I64GeSImm, false, true)?,
            O::I64GeU => self.binary_imm(Instr::I64GeU, Instr::I64GeUImm, false, true)?,

            O::F32Abs => self.unary(Instr::F32Abs)?,
            O::F32Neg => self.unary(Instr::F32Neg)?,
            O::F32Ceil => self.unary(Instr::F32Ceil)?,
            O::F32Floor => self.unary(Instr::F32Floor)?,
            O::F32Trunc => self.unary(Instr::F32Trunc)?,
            O::F32Nearest => self.unary(Instr::F32Nearest)?,
            O::F32Sqrt => self.unary(Instr::F32Sqrt)?,
            O::F32Add => self.binary(Instr::F32Add)?,
            O::F32Sub => self.binary(Instr::F32Sub)?,
            O::F32Mul => self.binary(Instr::F32Mul)?,
            O::F32Div => self.binary(Instr::F32Div)?,
            O::F32Min => self.binary(Instr::F32Min)?,
            O::F32Max => self.binary(Instr::F32Max)?,
            O::F32Copysign => self.binary(Instr::F32Copysign)?,
            O::F32Eq => self.binary(Instr::F32Eq)?,
            O::F32Ne => self.binary(Instr::F32Ne)?,
            O::F32Lt => self.binary(Instr::F32Lt)?,
            O::F32Gt => self.binary(Instr::F32Gt)?,
            O::F32Le => self.binary(Instr::F32Le)?,
            O::F32Ge => self.binary(Instr::F32Ge)?,
            O::F64Abs => self.unary(Instr::F64Abs)?,
            O::F64Neg => self.unary(Instr::F64Neg)?,
            O::F64Ceil => self.unary(Instr::F64Ceil)?,
            O::F64Floor => self.unary(Instr::F64Floor)?,
            O::F64Trunc => self.unary(Instr::F64Trunc)?,
            O::F64Nearest => self.unary(Instr::F64Nearest)?,
            O::F64Sqrt => self.unary(Instr::F64Sqrt)?,
            O::F64Add => self.binary(Instr::F64Add)?,
            O::F64Sub => self.binary(Instr::F64Sub)?,
            O::F64Mul => self.binary(Instr::F64Mul)?,
            O::F64Div => self.binary(Instr::F64Div)?,
            O::F64Min => self.binary(Instr::F64Min)?,
            O::F64Max => self.binary(Instr::F64Max)?,
            O::F64Copysign => self.binary(Instr::F64Copysign)?,
            O::F64Eq => self.binary(Instr::F64Eq)?,
            O::F64Ne => self.binary(Instr::F64Ne)?,
            O::F64Lt => self.binary(Instr::F64Lt)?,
            O::F64Gt => self.binary(Instr::F64Gt)?,
            O::F64Le => self.binary(Instr::F64Le)?,
            O::F64Ge => self.binary(Instr::F64Ge)?,

            O::I32WrapI64 => self.unary(Instr::I32WrapI64)?,
            O::I32TruncF32S => self.unary(Instr::I32TruncF32S)?,
            O::I32TruncF32U => self.unary(Instr::I32TruncF32U)?,
            O::I32TruncF64S => self.unary(Instr::I32TruncF64S)?,
            O::I32TruncF64U => self.unary(Instr::I32TruncF64U)?,
            O::I64ExtendI32S => self.unary(Instr::I64ExtendI32S)?,
            O::I64ExtendI32U => self.unary(Instr::I64ExtendI32U)?,
            O::I64Add128 => self.wide(4, |args| Instr::I64Add128(Wide128 { args }))?,
            O::I64Sub128 => self.wide(4, |args| Instr::I64Sub128(Wide128 { args }))?,
            O::I64MulWideS => self.wide(2, |args| Instr::I64MulWideS(WideMul { args }))?,
            O::I64MulWideU => self.wide(2, |args| Instr::I64MulWideU(WideMul { args }))?,
            O::I64TruncF32S => self.unary(Instr::I64TruncF32S)?,
            O::I64TruncF32U => self.unary(Instr::I64TruncF32U)?,
            O::I64TruncF64S => self.unary(Instr::I64TruncF64S)?,
            O::I64TruncF64U => self.unary(Instr::I64TruncF64U)?,
            O::F32ConvertI32S => self.unary(Instr::F32ConvertI32S)?,
            O::F32ConvertI32U => self.unary(Instr::F32ConvertI32U)?,
            O::F32ConvertI64S => self.unary(Instr::F32ConvertI64S)?,
            O::F32ConvertI64U => self.unary(Instr::F32ConvertI64U)?,
            O::F32DemoteF64 => self.unary(Instr::F32DemoteF64)?,
            O::F64ConvertI32S => self.unary(Instr::F64ConvertI32S)?,
            O::F64ConvertI32U => self.unary(Instr::F64ConvertI32U)?,
            O::F64ConvertI64S => self.unary(Instr::F64ConvertI64S)?,
            O::F64ConvertI64U => self.unary(Instr::F64ConvertI64U)?,
            O::F64PromoteF32 => self.unary(Instr::F64PromoteF32)?,
            // Reinterpretations keep the bits: the cell already holds them. But `f64` has an
            // accumulator of its own, so a value computed just before is not handed over in one.
            O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64 => self.out.no_handover(),
            O::I32TruncSatF32S => self.unary(Instr::I32TruncSatF32S)?,
            O::I32TruncSatF32U => self.unary(Instr::I32TruncSatF32U)?,
            O::I32TruncSatF64S => self.unary(Instr::I32TruncSatF64S)?,
            O::I32TruncSatF64U => self.unary(Instr::I32TruncSatF64U)?,
            O::I64TruncSatF32S => self.unary(Instr::I64TruncSatF32S)?,
            O::I64TruncSatF32U => self.unary(Instr::I64TruncSatF32U)?,
            O::I64TruncSatF64S => self.unary(Instr::I64TruncSatF64S)?,
            O::I64TruncSatF64U => self.unary(Instr::I64TruncSatF64U)?,

            ref other => {
                if !self.translate_gc(other)? && !self.translate_simd(other)? {
                    // (By offset, not name: naming it would link `Operator`'s `Debug`, 20 KB.)
                    return Err(Error::unsupported(alloc::format!(
                        "the operator at offset {:#x} (a proposal Mica does not implement)",
                        self.out.offset
                    )));
                }
            }
        }
        Ok(())
    }

    /// In dead code only the nesting of blocks matters.
    fn translate_dead(&mut self, op: &O<'_>) -> Result<()> {
        match *op {
            O::Block { blockty } => self.begin_block(blockty),
            O::Loop { blockty } => self.begin_loop(blockty),
            O::If { blockty } => self.begin_if(blockty),
            O::Else => self.begin_else()?,
            O::End => self.end_frame()?,
            O::TryTable { ref try_table } => self.begin_try_table(try_table)?,
            O::Try { blockty } => self.begin_try(blockty),
            O::Catch { tag_index } => self.begin_catch(Some(tag_index))?,
            O::CatchAll => self.begin_catch(None)?,
            O::Delegate { relative_depth } => self.delegate(relative_depth)?,
            _ => {}
        }
        Ok(())
    }

    /// A numeric unary operator (its operand may come in the accumulator).
    /// A wide-arithmetic operator: `n` `i64` operands in consecutive home slots, replaced
    /// by the two halves of the 128-bit result (low half first).
    fn wide(&mut self, n: usize, make: fn(Slot) -> Instr) -> Result<()> {
        let args = self.pop_span(n);
        self.out.emit(make(args));
        self.stack.push(Operand::InSlot)?;
        self.stack.push(Operand::InSlot)
    }

    pub(super) fn unary(&mut self, make: fn(Un) -> Instr) -> Result<()> {
        let [src] = self.pop_operands();
        let dst = self.next_home()?;
        self.push_result(make(Un { dst, src }))
    }

    /// A unary instruction that reads its operand from a slot.
    pub(super) fn unary_in_slots(&mut self, make: fn(Un) -> Instr) -> Result<()> {
        let src = self.pop_slot();
        let dst = self.next_home()?;
        self.push_result(make(Un { dst, src }))
    }

    pub(super) fn binary(&mut self, make: BinCtor) -> Result<()> {
        let [a, b] = self.pop_operands();
        let dst = self.next_home()?;
        self.push_result(make(Bin { dst, a, b }))
    }

    /// A binary operator with an immediate form, used when an operand is a small constant
    /// (the left one too, if the operator commutes).
    fn binary_imm(
        &mut self,
        make: BinCtor,
        make_imm: ImmCtor,
        commutes: bool,
        wide: bool,
    ) -> Result<()> {
        let top = self.stack.len() - 1;
        // `i32` operations read the immediate as it is; `i64` ones sign-extend it.
        let imm_of = |op: Operand| match op {
            Operand::Const(c) if wide => i32::try_from(c as i64).ok(),
            Operand::Const(c) => Some(c as u32 as i32),
            _ => None,
        };
        if let Some(imm) = imm_of(self.stack.get(top)) {
            self.stack.pop();
            let [a] = self.pop_operands();
            let dst = self.next_home()?;
            return self.push_result(make_imm(BinImm { dst, a, imm }));
        }
        if commutes && let Some(imm) = imm_of(self.stack.get(top - 1)) {
            let [b] = self.pop_operands();
            self.stack.pop();
            let dst = self.next_home()?;
            return self.push_result(make_imm(BinImm { dst, a: b, imm }));
        }
        self.binary(make)
    }

    fn load(&mut self, memarg: MemArg, make: fn(Load) -> Instr) -> Result<()> {
        let (memory, offset) = self.access(memarg, 0)?;
        let [addr] = self.pop_operands();
        let dst = self.next_home()?;
        self.push_result(make(Load { dst, addr, offset, memory }))
    }

    /// An integer store, with the value as an immediate when it is a constant that fits.
    fn store_imm(
        &mut self,
        memarg: MemArg,
        make: fn(Store) -> Instr,
        make_imm: fn(StoreImm) -> Instr,
        wide: bool,
    ) -> Result<()> {
        let imm = match self.stack.get(self.stack.len() - 1) {
            Operand::Const(c) if wide => i32::try_from(c as i64).ok(),
            Operand::Const(c) => Some(c as u32 as i32),
            _ => None,
        };
        let Some(value) = imm else {
            return self.store(memarg, make);
        };
        let (memory, offset) = self.access(memarg, 1)?;
        self.stack.pop();
        let [addr] = self.pop_operands();
        self.out.emit(make_imm(StoreImm { addr, memory, value, offset }));
        Ok(())
    }

    fn store(&mut self, memarg: MemArg, make: fn(Store) -> Instr) -> Result<()> {
        let (memory, offset) = self.access(memarg, 1)?;
        let [addr, value] = self.pop_operands();
        self.out.emit(make(Store { addr, value, offset, memory }));
        Ok(())
    }

    /// The memory and 32-bit offset of an access whose address is `depth` operands below
    /// the top. An offset past `u32::MAX` (a 64-bit memory's) is added to the address first,
    /// in the address's home slot (`AddOffset`, which traps if the sum passes 2^64), and the
    /// access gets offset 0: the effective address is the same, and so is a trap.
    pub(super) fn access(&mut self, memarg: MemArg, depth: usize) -> Result<(u8, u32)> {
        let memory = match memarg.target {
            wasmparser::MemArgTarget::Memory(index) => memory_u8(index)?,
            wasmparser::MemArgTarget::Array(_) => return Err(Error::unsupported("GC array accesses")),
        };
        if let Ok(offset) = u32::try_from(memarg.offset) {
            return Ok((memory, offset));
        }
        let pos = self.stack.len() - 1 - depth;
        self.stack.materialize(pos, &mut self.out);
        let home = self.stack.home(pos);
        self.out.consts.push(memarg.offset);
        let offset = u32::try_from(self.out.consts.len() - 1)
            .map_err(|_| Error::unsupported("more than 2^32 constants in a function"))?;
        self.out.emit(Instr::AddOffset(AddOffset { dst: home, src: home, offset }));
        Ok((memory, 0))
    }

    /// Whether accesses to `memory` run in the executor's fastest form (see
    /// `ModuleEnv::fast_memory0`): the forms folded from several operators exist for it only.
    #[cfg_attr(not(feature = "simd"), allow(dead_code))]
    pub(super) fn fast_memory(&self, memory: u8) -> bool {
        memory == 0 && self.env.memory0_form() == 0
    }
}

/// A memory index as instructions carry it. The validator allows at most 100 memories.
fn memory_u8(index: u32) -> Result<u8> {
    u8::try_from(index).map_err(|_| Error::unsupported("memory index above 255"))
}

fn table_u16(table: u32) -> Result<u16> {
    u16::try_from(table).map_err(|_| Error::unsupported("table index above 65535"))
}
