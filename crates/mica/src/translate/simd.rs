//! SIMD operators: which bytecode each `v128` operator becomes.
//!
//! Every `v128` operand is read from its slots (`pop_slot`: a `v128` is never a symbolic
//! constant, and never travels in the accumulator, which is one cell); results go to the
//! next home, two slots wide. The instruction for each operator has the operator's name.

use super::Translator;
use super::stack::Operand;
use crate::bytecode::{
    ACC, BinImm, Instr, Slot, VBin, VBinImm, VBinMem, VBinMemTo, VConst, VFromScalar, VLoad, VLoadDisp, VLoadLane, VReplace, VShift, VShuffle, VShuffleLanes, VStore, VStoreLane,
    VTernary, VToScalar, VUn,
};
use crate::error::Result;
use wasmparser::{MemArg, Operator as O};

impl Translator<'_> {
    /// Translates a SIMD operator; `false` if `op` is not one.
    pub(super) fn translate_simd(&mut self, op: &O<'_>) -> Result<bool> {
        match *op {
            O::V128Load { memarg } => self.v128_load(memarg)?,
            O::V128Load8x8S { memarg } => self.v_load(memarg, Instr::V128Load8x8S)?,
            O::V128Load8x8U { memarg } => self.v_load(memarg, Instr::V128Load8x8U)?,
            O::V128Load16x4S { memarg } => self.v_load(memarg, Instr::V128Load16x4S)?,
            O::V128Load16x4U { memarg } => self.v_load(memarg, Instr::V128Load16x4U)?,
            O::V128Load32x2S { memarg } => self.v_load(memarg, Instr::V128Load32x2S)?,
            O::V128Load32x2U { memarg } => self.v_load(memarg, Instr::V128Load32x2U)?,
            O::V128Load8Splat { memarg } => self.v_load(memarg, Instr::V128Load8Splat)?,
            O::V128Load16Splat { memarg } => self.v_load(memarg, Instr::V128Load16Splat)?,
            O::V128Load32Splat { memarg } => self.v_load(memarg, Instr::V128Load32Splat)?,
            O::V128Load64Splat { memarg } => self.v_load(memarg, Instr::V128Load64Splat)?,
            O::V128Load32Zero { memarg } => self.v_load(memarg, Instr::V128Load32Zero)?,
            O::V128Load64Zero { memarg } => self.v_load(memarg, Instr::V128Load64Zero)?,
            O::V128Store { memarg } => self.v_store(memarg, Instr::V128Store)?,
            O::V128Load8Lane { memarg, lane } => self.v_load_lane(memarg, lane, Instr::V128Load8Lane)?,
            O::V128Load16Lane { memarg, lane } => self.v_load_lane(memarg, lane, Instr::V128Load16Lane)?,
            O::V128Load32Lane { memarg, lane } => self.v_load_lane(memarg, lane, Instr::V128Load32Lane)?,
            O::V128Load64Lane { memarg, lane } => self.v_load_lane(memarg, lane, Instr::V128Load64Lane)?,
            O::V128Store8Lane { memarg, lane } => self.v_store_lane(memarg, lane, Instr::V128Store8Lane)?,
            O::V128Store16Lane { memarg, lane } => self.v_store_lane(memarg, lane, Instr::V128Store16Lane)?,
            O::V128Store32Lane { memarg, lane } => self.v_store_lane(memarg, lane, Instr::V128Store32Lane)?,
            O::V128Store64Lane { memarg, lane } => self.v_store_lane(memarg, lane, Instr::V128Store64Lane)?,
            O::V128Const { value } => self.v_const(value.i128() as u128)?,
            O::I8x16Shuffle { lanes } => self.v_shuffle(lanes)?,
            O::I8x16ExtractLaneS { lane } => self.v_to_scalar(lane, Instr::I8x16ExtractLaneS)?,
            O::I8x16ExtractLaneU { lane } => self.v_to_scalar(lane, Instr::I8x16ExtractLaneU)?,
            O::I8x16ReplaceLane { lane } => self.v_replace(lane, Instr::I8x16ReplaceLane)?,
            O::I16x8ExtractLaneS { lane } => self.v_to_scalar(lane, Instr::I16x8ExtractLaneS)?,
            O::I16x8ExtractLaneU { lane } => self.v_to_scalar(lane, Instr::I16x8ExtractLaneU)?,
            O::I16x8ReplaceLane { lane } => self.v_replace(lane, Instr::I16x8ReplaceLane)?,
            O::I32x4ExtractLane { lane } => self.v_to_scalar(lane, Instr::I32x4ExtractLane)?,
            O::I32x4ReplaceLane { lane } => self.v_replace(lane, Instr::I32x4ReplaceLane)?,
            O::I64x2ExtractLane { lane } => self.v_to_scalar(lane, Instr::I64x2ExtractLane)?,
            O::I64x2ReplaceLane { lane } => self.v_replace(lane, Instr::I64x2ReplaceLane)?,
            O::F32x4ExtractLane { lane } => self.v_to_scalar(lane, Instr::F32x4ExtractLane)?,
            O::F32x4ReplaceLane { lane } => self.v_replace(lane, Instr::F32x4ReplaceLane)?,
            O::F64x2ExtractLane { lane } => self.v_to_scalar(lane, Instr::F64x2ExtractLane)?,
            O::F64x2ReplaceLane { lane } => self.v_replace(lane, Instr::F64x2ReplaceLane)?,
            O::I8x16Swizzle => self.v_binary(Instr::I8x16Swizzle)?,
            O::I8x16Splat => self.v_from_scalar(Instr::I8x16Splat)?,
            O::I16x8Splat => self.v_from_scalar(Instr::I16x8Splat)?,
            O::I32x4Splat => self.v_from_scalar(Instr::I32x4Splat)?,
            O::I64x2Splat => self.v_from_scalar(Instr::I64x2Splat)?,
            O::F32x4Splat => self.v_from_scalar(Instr::F32x4Splat)?,
            O::F64x2Splat => self.v_from_scalar(Instr::F64x2Splat)?,
            O::I8x16Eq => self.v_binary(Instr::I8x16Eq)?,
            O::I8x16Ne => self.v_binary(Instr::I8x16Ne)?,
            O::I8x16LtS => self.v_binary(Instr::I8x16LtS)?,
            O::I8x16LtU => self.v_binary(Instr::I8x16LtU)?,
            O::I8x16GtS => self.v_binary(Instr::I8x16GtS)?,
            O::I8x16GtU => self.v_binary(Instr::I8x16GtU)?,
            O::I8x16LeS => self.v_binary(Instr::I8x16LeS)?,
            O::I8x16LeU => self.v_binary(Instr::I8x16LeU)?,
            O::I8x16GeS => self.v_binary(Instr::I8x16GeS)?,
            O::I8x16GeU => self.v_binary(Instr::I8x16GeU)?,
            O::I16x8Eq => self.v_binary(Instr::I16x8Eq)?,
            O::I16x8Ne => self.v_binary(Instr::I16x8Ne)?,
            O::I16x8LtS => self.v_binary(Instr::I16x8LtS)?,
            O::I16x8LtU => self.v_binary(Instr::I16x8LtU)?,
            O::I16x8GtS => self.v_binary(Instr::I16x8GtS)?,
            O::I16x8GtU => self.v_binary(Instr::I16x8GtU)?,
            O::I16x8LeS => self.v_binary(Instr::I16x8LeS)?,
            O::I16x8LeU => self.v_binary(Instr::I16x8LeU)?,
            O::I16x8GeS => self.v_binary(Instr::I16x8GeS)?,
            O::I16x8GeU => self.v_binary(Instr::I16x8GeU)?,
            O::I32x4Eq => self.v_binary(Instr::I32x4Eq)?,
            O::I32x4Ne => self.v_binary(Instr::I32x4Ne)?,
            O::I32x4LtS => self.v_binary(Instr::I32x4LtS)?,
            O::I32x4LtU => self.v_binary(Instr::I32x4LtU)?,
            O::I32x4GtS => self.v_binary(Instr::I32x4GtS)?,
            O::I32x4GtU => self.v_binary(Instr::I32x4GtU)?,
            O::I32x4LeS => self.v_binary(Instr::I32x4LeS)?,
            O::I32x4LeU => self.v_binary(Instr::I32x4LeU)?,
            O::I32x4GeS => self.v_binary(Instr::I32x4GeS)?,
            O::I32x4GeU => self.v_binary(Instr::I32x4GeU)?,
            O::I64x2Eq => self.v_binary(Instr::I64x2Eq)?,
            O::I64x2Ne => self.v_binary(Instr::I64x2Ne)?,
            O::I64x2LtS => self.v_binary(Instr::I64x2LtS)?,
            O::I64x2GtS => self.v_binary(Instr::I64x2GtS)?,
            O::I64x2LeS => self.v_binary(Instr::I64x2LeS)?,
            O::I64x2GeS => self.v_binary(Instr::I64x2GeS)?,
            O::F32x4Eq => self.v_binary(Instr::F32x4Eq)?,
            O::F32x4Ne => self.v_binary(Instr::F32x4Ne)?,
            O::F32x4Lt => self.v_binary(Instr::F32x4Lt)?,
            O::F32x4Gt => self.v_binary(Instr::F32x4Gt)?,
            O::F32x4Le => self.v_binary(Instr::F32x4Le)?,
            O::F32x4Ge => self.v_binary(Instr::F32x4Ge)?,
            O::F64x2Eq => self.v_binary(Instr::F64x2Eq)?,
            O::F64x2Ne => self.v_binary(Instr::F64x2Ne)?,
            O::F64x2Lt => self.v_binary(Instr::F64x2Lt)?,
            O::F64x2Gt => self.v_binary(Instr::F64x2Gt)?,
            O::F64x2Le => self.v_binary(Instr::F64x2Le)?,
            O::F64x2Ge => self.v_binary(Instr::F64x2Ge)?,
            O::V128Not => self.v_unary(Instr::V128Not)?,
            O::V128And => self.v_binary(Instr::V128And)?,
            O::V128AndNot => self.v_binary(Instr::V128AndNot)?,
            O::V128Or => self.v_binary(Instr::V128Or)?,
            O::V128Xor => self.v_binary(Instr::V128Xor)?,
            O::V128Bitselect => self.v_ternary(Instr::V128Bitselect)?,
            O::V128AnyTrue => self.v_to_scalar(0, Instr::V128AnyTrue)?,
            O::I8x16Abs => self.v_unary(Instr::I8x16Abs)?,
            O::I8x16Neg => self.v_unary(Instr::I8x16Neg)?,
            O::I8x16Popcnt => self.v_unary(Instr::I8x16Popcnt)?,
            O::I8x16AllTrue => self.v_to_scalar(0, Instr::I8x16AllTrue)?,
            O::I8x16Bitmask => self.v_to_scalar(0, Instr::I8x16Bitmask)?,
            O::I8x16NarrowI16x8S => self.v_binary(Instr::I8x16NarrowI16x8S)?,
            O::I8x16NarrowI16x8U => self.v_binary(Instr::I8x16NarrowI16x8U)?,
            O::I8x16Shl => self.v_shift(Instr::I8x16Shl)?,
            O::I8x16ShrS => self.v_shift(Instr::I8x16ShrS)?,
            O::I8x16ShrU => self.v_shift(Instr::I8x16ShrU)?,
            O::I8x16Add => self.v_binary(Instr::I8x16Add)?,
            O::I8x16AddSatS => self.v_binary(Instr::I8x16AddSatS)?,
            O::I8x16AddSatU => self.v_binary(Instr::I8x16AddSatU)?,
            O::I8x16Sub => self.v_binary(Instr::I8x16Sub)?,
            O::I8x16SubSatS => self.v_binary(Instr::I8x16SubSatS)?,
            O::I8x16SubSatU => self.v_binary(Instr::I8x16SubSatU)?,
            O::I8x16MinS => self.v_binary(Instr::I8x16MinS)?,
            O::I8x16MinU => self.v_binary(Instr::I8x16MinU)?,
            O::I8x16MaxS => self.v_binary(Instr::I8x16MaxS)?,
            O::I8x16MaxU => self.v_binary(Instr::I8x16MaxU)?,
            O::I8x16AvgrU => self.v_binary(Instr::I8x16AvgrU)?,
            O::I16x8ExtAddPairwiseI8x16S => self.v_unary(Instr::I16x8ExtAddPairwiseI8x16S)?,
            O::I16x8ExtAddPairwiseI8x16U => self.v_unary(Instr::I16x8ExtAddPairwiseI8x16U)?,
            O::I16x8Abs => self.v_unary(Instr::I16x8Abs)?,
            O::I16x8Neg => self.v_unary(Instr::I16x8Neg)?,
            O::I16x8Q15MulrSatS => self.v_binary(Instr::I16x8Q15MulrSatS)?,
            O::I16x8AllTrue => self.v_to_scalar(0, Instr::I16x8AllTrue)?,
            O::I16x8Bitmask => self.v_to_scalar(0, Instr::I16x8Bitmask)?,
            O::I16x8NarrowI32x4S => self.v_binary(Instr::I16x8NarrowI32x4S)?,
            O::I16x8NarrowI32x4U => self.v_binary(Instr::I16x8NarrowI32x4U)?,
            O::I16x8ExtendLowI8x16S => self.v_unary(Instr::I16x8ExtendLowI8x16S)?,
            O::I16x8ExtendHighI8x16S => self.v_unary(Instr::I16x8ExtendHighI8x16S)?,
            O::I16x8ExtendLowI8x16U => self.v_unary(Instr::I16x8ExtendLowI8x16U)?,
            O::I16x8ExtendHighI8x16U => self.v_unary(Instr::I16x8ExtendHighI8x16U)?,
            O::I16x8Shl => self.v_shift(Instr::I16x8Shl)?,
            O::I16x8ShrS => self.v_shift(Instr::I16x8ShrS)?,
            O::I16x8ShrU => self.v_shift(Instr::I16x8ShrU)?,
            O::I16x8Add => self.v_binary(Instr::I16x8Add)?,
            O::I16x8AddSatS => self.v_binary(Instr::I16x8AddSatS)?,
            O::I16x8AddSatU => self.v_binary(Instr::I16x8AddSatU)?,
            O::I16x8Sub => self.v_binary(Instr::I16x8Sub)?,
            O::I16x8SubSatS => self.v_binary(Instr::I16x8SubSatS)?,
            O::I16x8SubSatU => self.v_binary(Instr::I16x8SubSatU)?,
            O::I16x8Mul => self.v_binary(Instr::I16x8Mul)?,
            O::I16x8MinS => self.v_binary(Instr::I16x8MinS)?,
            O::I16x8MinU => self.v_binary(Instr::I16x8MinU)?,
            O::I16x8MaxS => self.v_binary(Instr::I16x8MaxS)?,
            O::I16x8MaxU => self.v_binary(Instr::I16x8MaxU)?,
            O::I16x8AvgrU => self.v_binary(Instr::I16x8AvgrU)?,
            O::I16x8ExtMulLowI8x16S => self.v_binary(Instr::I16x8ExtMulLowI8x16S)?,
            O::I16x8ExtMulHighI8x16S => self.v_binary(Instr::I16x8ExtMulHighI8x16S)?,
            O::I16x8ExtMulLowI8x16U => self.v_binary(Instr::I16x8ExtMulLowI8x16U)?,
            O::I16x8ExtMulHighI8x16U => self.v_binary(Instr::I16x8ExtMulHighI8x16U)?,
            O::I32x4ExtAddPairwiseI16x8S => self.v_unary(Instr::I32x4ExtAddPairwiseI16x8S)?,
            O::I32x4ExtAddPairwiseI16x8U => self.v_unary(Instr::I32x4ExtAddPairwiseI16x8U)?,
            O::I32x4Abs => self.v_unary(Instr::I32x4Abs)?,
            O::I32x4Neg => self.v_unary(Instr::I32x4Neg)?,
            O::I32x4AllTrue => self.v_to_scalar(0, Instr::I32x4AllTrue)?,
            O::I32x4Bitmask => self.v_to_scalar(0, Instr::I32x4Bitmask)?,
            O::I32x4ExtendLowI16x8S => self.v_unary(Instr::I32x4ExtendLowI16x8S)?,
            O::I32x4ExtendHighI16x8S => self.v_unary(Instr::I32x4ExtendHighI16x8S)?,
            O::I32x4ExtendLowI16x8U => self.v_unary(Instr::I32x4ExtendLowI16x8U)?,
            O::I32x4ExtendHighI16x8U => self.v_unary(Instr::I32x4ExtendHighI16x8U)?,
            O::I32x4Shl => self.v_shift(Instr::I32x4Shl)?,
            O::I32x4ShrS => self.v_shift(Instr::I32x4ShrS)?,
            O::I32x4ShrU => self.v_shift(Instr::I32x4ShrU)?,
            O::I32x4Add => self.v_binary(Instr::I32x4Add)?,
            O::I32x4Sub => self.v_binary(Instr::I32x4Sub)?,
            O::I32x4Mul => self.v_binary(Instr::I32x4Mul)?,
            O::I32x4MinS => self.v_binary(Instr::I32x4MinS)?,
            O::I32x4MinU => self.v_binary(Instr::I32x4MinU)?,
            O::I32x4MaxS => self.v_binary(Instr::I32x4MaxS)?,
            O::I32x4MaxU => self.v_binary(Instr::I32x4MaxU)?,
            O::I32x4DotI16x8S => self.v_binary(Instr::I32x4DotI16x8S)?,
            O::I32x4ExtMulLowI16x8S => self.v_binary(Instr::I32x4ExtMulLowI16x8S)?,
            O::I32x4ExtMulHighI16x8S => self.v_binary(Instr::I32x4ExtMulHighI16x8S)?,
            O::I32x4ExtMulLowI16x8U => self.v_binary(Instr::I32x4ExtMulLowI16x8U)?,
            O::I32x4ExtMulHighI16x8U => self.v_binary(Instr::I32x4ExtMulHighI16x8U)?,
            O::I64x2Abs => self.v_unary(Instr::I64x2Abs)?,
            O::I64x2Neg => self.v_unary(Instr::I64x2Neg)?,
            O::I64x2AllTrue => self.v_to_scalar(0, Instr::I64x2AllTrue)?,
            O::I64x2Bitmask => self.v_to_scalar(0, Instr::I64x2Bitmask)?,
            O::I64x2ExtendLowI32x4S => self.v_unary(Instr::I64x2ExtendLowI32x4S)?,
            O::I64x2ExtendHighI32x4S => self.v_unary(Instr::I64x2ExtendHighI32x4S)?,
            O::I64x2ExtendLowI32x4U => self.v_unary(Instr::I64x2ExtendLowI32x4U)?,
            O::I64x2ExtendHighI32x4U => self.v_unary(Instr::I64x2ExtendHighI32x4U)?,
            O::I64x2Shl => self.v_shift(Instr::I64x2Shl)?,
            O::I64x2ShrS => self.v_shift(Instr::I64x2ShrS)?,
            O::I64x2ShrU => self.v_shift(Instr::I64x2ShrU)?,
            O::I64x2Add => self.v_binary(Instr::I64x2Add)?,
            O::I64x2Sub => self.v_binary(Instr::I64x2Sub)?,
            O::I64x2Mul => self.v_binary(Instr::I64x2Mul)?,
            O::I64x2ExtMulLowI32x4S => self.v_binary(Instr::I64x2ExtMulLowI32x4S)?,
            O::I64x2ExtMulHighI32x4S => self.v_binary(Instr::I64x2ExtMulHighI32x4S)?,
            O::I64x2ExtMulLowI32x4U => self.v_binary(Instr::I64x2ExtMulLowI32x4U)?,
            O::I64x2ExtMulHighI32x4U => self.v_binary(Instr::I64x2ExtMulHighI32x4U)?,
            O::F32x4Ceil => self.v_unary(Instr::F32x4Ceil)?,
            O::F32x4Floor => self.v_unary(Instr::F32x4Floor)?,
            O::F32x4Trunc => self.v_unary(Instr::F32x4Trunc)?,
            O::F32x4Nearest => self.v_unary(Instr::F32x4Nearest)?,
            O::F32x4Abs => self.v_unary(Instr::F32x4Abs)?,
            O::F32x4Neg => self.v_unary(Instr::F32x4Neg)?,
            O::F32x4Sqrt => self.v_unary(Instr::F32x4Sqrt)?,
            O::F32x4Add => self.v_binary(Instr::F32x4Add)?,
            O::F32x4Sub => self.v_binary(Instr::F32x4Sub)?,
            O::F32x4Mul => self.v_binary(Instr::F32x4Mul)?,
            O::F32x4Div => self.v_binary(Instr::F32x4Div)?,
            O::F32x4Min => self.v_binary(Instr::F32x4Min)?,
            O::F32x4Max => self.v_binary(Instr::F32x4Max)?,
            O::F32x4PMin => self.v_binary(Instr::F32x4PMin)?,
            O::F32x4PMax => self.v_binary(Instr::F32x4PMax)?,
            O::F64x2Ceil => self.v_unary(Instr::F64x2Ceil)?,
            O::F64x2Floor => self.v_unary(Instr::F64x2Floor)?,
            O::F64x2Trunc => self.v_unary(Instr::F64x2Trunc)?,
            O::F64x2Nearest => self.v_unary(Instr::F64x2Nearest)?,
            O::F64x2Abs => self.v_unary(Instr::F64x2Abs)?,
            O::F64x2Neg => self.v_unary(Instr::F64x2Neg)?,
            O::F64x2Sqrt => self.v_unary(Instr::F64x2Sqrt)?,
            O::F64x2Add => self.v_binary(Instr::F64x2Add)?,
            O::F64x2Sub => self.v_binary(Instr::F64x2Sub)?,
            O::F64x2Mul => self.v_binary(Instr::F64x2Mul)?,
            O::F64x2Div => self.v_binary(Instr::F64x2Div)?,
            O::F64x2Min => self.v_binary(Instr::F64x2Min)?,
            O::F64x2Max => self.v_binary(Instr::F64x2Max)?,
            O::F64x2PMin => self.v_binary(Instr::F64x2PMin)?,
            O::F64x2PMax => self.v_binary(Instr::F64x2PMax)?,
            O::I32x4TruncSatF32x4S => self.v_unary(Instr::I32x4TruncSatF32x4S)?,
            O::I32x4TruncSatF32x4U => self.v_unary(Instr::I32x4TruncSatF32x4U)?,
            O::F32x4ConvertI32x4S => self.v_unary(Instr::F32x4ConvertI32x4S)?,
            O::F32x4ConvertI32x4U => self.v_unary(Instr::F32x4ConvertI32x4U)?,
            O::I32x4TruncSatF64x2SZero => self.v_unary(Instr::I32x4TruncSatF64x2SZero)?,
            O::I32x4TruncSatF64x2UZero => self.v_unary(Instr::I32x4TruncSatF64x2UZero)?,
            O::F64x2ConvertLowI32x4S => self.v_unary(Instr::F64x2ConvertLowI32x4S)?,
            O::F64x2ConvertLowI32x4U => self.v_unary(Instr::F64x2ConvertLowI32x4U)?,
            O::F32x4DemoteF64x2Zero => self.v_unary(Instr::F32x4DemoteF64x2Zero)?,
            O::F64x2PromoteLowF32x4 => self.v_unary(Instr::F64x2PromoteLowF32x4)?,
            O::I8x16RelaxedSwizzle => self.v_binary(Instr::I8x16RelaxedSwizzle)?,
            O::I32x4RelaxedTruncF32x4S => self.v_unary(Instr::I32x4RelaxedTruncF32x4S)?,
            O::I32x4RelaxedTruncF32x4U => self.v_unary(Instr::I32x4RelaxedTruncF32x4U)?,
            O::I32x4RelaxedTruncF64x2SZero => self.v_unary(Instr::I32x4RelaxedTruncF64x2SZero)?,
            O::I32x4RelaxedTruncF64x2UZero => self.v_unary(Instr::I32x4RelaxedTruncF64x2UZero)?,
            O::F32x4RelaxedMadd => self.v_ternary(Instr::F32x4RelaxedMadd)?,
            O::F32x4RelaxedNmadd => self.v_ternary(Instr::F32x4RelaxedNmadd)?,
            O::F64x2RelaxedMadd => self.v_ternary(Instr::F64x2RelaxedMadd)?,
            O::F64x2RelaxedNmadd => self.v_ternary(Instr::F64x2RelaxedNmadd)?,
            O::I8x16RelaxedLaneselect => self.v_ternary(Instr::I8x16RelaxedLaneselect)?,
            O::I16x8RelaxedLaneselect => self.v_ternary(Instr::I16x8RelaxedLaneselect)?,
            O::I32x4RelaxedLaneselect => self.v_ternary(Instr::I32x4RelaxedLaneselect)?,
            O::I64x2RelaxedLaneselect => self.v_ternary(Instr::I64x2RelaxedLaneselect)?,
            O::F32x4RelaxedMin => self.v_binary(Instr::F32x4RelaxedMin)?,
            O::F32x4RelaxedMax => self.v_binary(Instr::F32x4RelaxedMax)?,
            O::F64x2RelaxedMin => self.v_binary(Instr::F64x2RelaxedMin)?,
            O::F64x2RelaxedMax => self.v_binary(Instr::F64x2RelaxedMax)?,
            O::I16x8RelaxedQ15mulrS => self.v_binary(Instr::I16x8RelaxedQ15mulrS)?,
            O::I16x8RelaxedDotI8x16I7x16S => self.v_binary(Instr::I16x8RelaxedDotI8x16I7x16S)?,
            O::I32x4RelaxedDotI8x16I7x16AddS => self.v_ternary(Instr::I32x4RelaxedDotI8x16I7x16AddS)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Pops a `v128` operand: the slot its value is in.
    fn pop_v128(&mut self) -> Slot {
        self.pop_slot()
    }

    /// Puts a 128-bit value in the constant pool (two cells, low half first): its index.
    fn pool_v128(&mut self, value: u128) -> u32 {
        let index = self.out.consts.len() as u32;
        self.out.consts.push(value as u64);
        self.out.consts.push((value >> 64) as u64);
        index
    }

    fn v_const(&mut self, value: u128) -> Result<()> {
        let index = self.pool_v128(value);
        let dst = self.next_home_wide()?;
        self.push_result_wide(Instr::V128Const(VConst { dst, index }))
    }

    fn v_unary(&mut self, make: fn(VUn) -> Instr) -> Result<()> {
        let src = self.pop_v128();
        let dst = self.next_home_wide()?;
        self.push_result_wide(make(VUn { dst, src }))
    }

    /// A binary operation; if its second operand is what a `v128.load` just emitted loaded,
    /// and the operation has a form that loads it (`with_loaded_operand`), that form replaces
    /// the load. (The fused instruction stands where the load stood, so a trap in it is the
    /// load's, at the load's offset.)
    fn v_binary(&mut self, make: fn(VBin) -> Instr) -> Result<()> {
        let loaded = self.loaded_operand();
        let b = self.pop_v128();
        let a = self.pop_v128();
        let dst = self.next_home_wide()?;
        let op = make(VBin { dst, a, b });
        if let Some((at, addr, disp, offset)) = loaded
            && at + 1 == self.out.len()
            && let Some(fused) = with_loaded_operand(&op, addr, disp, offset)
        {
            self.out.code[at] = fused;
            self.out.last_result = Some(at);
            self.out.prev_result = None;
            self.out.last_local = None;
            return self.stack.push_value(Operand::InSlot, true);
        }
        self.push_result_wide(op)
    }

    /// The instruction index, address slot, displacement and offset of the `v128.load` that
    /// computed the top operand, if it is the instruction just emitted.
    fn loaded_operand(&self) -> Option<(usize, Slot, u16, u32)> {
        let at = self.top_computed_by_last()?;
        match self.out.code[at] {
            Instr::V128Load(VLoadDisp { addr, disp, offset, memory, .. }) if self.fast_memory(memory) => {
                Some((at, addr, disp, offset))
            }
            _ => None,
        }
    }

    /// The index of the instruction just emitted, if it computed the top operand (into its
    /// home slot).
    fn top_computed_by_last(&self) -> Option<usize> {
        let pos = self.stack.len().checked_sub(1)?;
        let at = self.out.len().checked_sub(1)?;
        let computed = self.stack.get(pos) == Operand::InSlot
            && self.out.last_result == Some(at)
            && self.out.code[at].result_slot() == Some(self.stack.home(pos));
        computed.then_some(at)
    }

    fn v_ternary(&mut self, make: fn(VTernary) -> Instr) -> Result<()> {
        let c = self.pop_v128();
        let b = self.pop_v128();
        let a = self.pop_v128();
        let dst = self.next_home_wide()?;
        self.push_result_wide(make(VTernary { dst, a, b, c }))
    }

    fn v_shift(&mut self, make: fn(VShift) -> Instr) -> Result<()> {
        let count = self.pop_slot();
        let a = self.pop_v128();
        let dst = self.next_home_wide()?;
        self.push_result_wide(make(VShift { dst, a, count }))
    }

    /// A lane extraction or a test: a `v128` in, a scalar out.
    fn v_to_scalar(&mut self, lane: u8, make: fn(VToScalar) -> Instr) -> Result<()> {
        let src = self.pop_v128();
        let dst = self.next_home()?;
        self.push_result(make(VToScalar { dst, src, lane }))
    }

    fn v_from_scalar(&mut self, make: fn(VFromScalar) -> Instr) -> Result<()> {
        let src = self.pop_slot();
        let dst = self.next_home_wide()?;
        self.push_result_wide(make(VFromScalar { dst, src }))
    }

    fn v_replace(&mut self, lane: u8, make: fn(VReplace) -> Instr) -> Result<()> {
        let x = self.pop_slot();
        let a = self.pop_v128();
        let dst = self.next_home_wide()?;
        self.push_result_wide(make(VReplace { dst, a, x, lane }))
    }

    /// `i8x16.shuffle`: the shuffles compilers emit most (`simd::lanes::KNOWN_SHUFFLES`) and
    /// a window of the two operands (bytes `k..k + 16`) get forms of their own, and so do
    /// shuffles of whole 32- or 16-bit lanes; any other takes its lanes from the constant pool.
    fn v_shuffle(&mut self, lanes: [u8; 16]) -> Result<()> {
        let b = self.pop_v128();
        let a = self.pop_v128();
        if let Some(index) = crate::simd::lanes::known_shuffle(lanes) {
            let dst = self.next_home_wide()?;
            return self.push_result_wide(Instr::I8x16ShuffleKnown(VBinImm { dst, a, b, imm: index }));
        }
        let k = lanes[0];
        if k <= 16 && lanes.iter().enumerate().all(|(i, &l)| l == k + i as u8) {
            let dst = self.next_home_wide()?;
            return self.push_result_wide(Instr::I8x16ShuffleWindow(VBinImm { dst, a, b, imm: k }));
        }
        // Whole 32- or 16-bit lanes: fewer lookups.
        if let Some(lanes) = crate::simd::lanes::whole_lanes(lanes, 4) {
            let dst = self.next_home_wide()?;
            return self.push_result_wide(Instr::I32x4Shuffle(VShuffleLanes { dst, a, b, lanes }));
        }
        if let Some(lanes) = crate::simd::lanes::whole_lanes(lanes, 2) {
            let dst = self.next_home_wide()?;
            return self.push_result_wide(Instr::I16x8Shuffle(VShuffleLanes { dst, a, b, lanes }));
        }
        let index = self.pool_v128(u128::from_le_bytes(lanes));
        let dst = self.next_home_wide()?;
        self.push_result_wide(Instr::I8x16Shuffle(VShuffle { dst, a, b, lanes: index }))
    }

    fn v_load(&mut self, memarg: MemArg, make: fn(VLoad) -> Instr) -> Result<()> {
        let (memory, offset) = self.access(memarg, 0)?;
        let addr = self.pop_slot();
        let dst = self.next_home_wide()?;
        self.push_result_wide(make(VLoad { dst, addr, offset, memory }))
    }

    /// `v128.load`. An address that the instruction just emitted computed by adding a
    /// constant (up to 65535) to a slot, into the address operand's home, is folded into the
    /// load as a displacement: the sum is read by nothing else. (Only for a 32-bit memory 0:
    /// the displacement's addition wraps at 2^32.)
    fn v128_load(&mut self, memarg: MemArg) -> Result<()> {
        let (memory, offset) = self.access(memarg, 0)?;
        let fast = self.fast_memory(memory);
        let sum = self.top_computed_by_last().filter(|_| fast).and_then(|at| match self.out.code[at] {
            Instr::I32AddImm(BinImm { a, imm, .. }) if a != ACC => Some((at, a, u16::try_from(imm).ok()?)),
            _ => None,
        });
        let addr = self.pop_slot();
        let dst = self.next_home_wide()?;
        if let Some((at, base, disp)) = sum
            && at + 1 == self.out.len()
        {
            // The addition cannot trap, so it has no trap entry to replace: the load gets its own.
            self.out.code.truncate(at);
            self.out.no_handover();
            return self.push_result_wide(Instr::V128Load(VLoadDisp { dst, addr: base, disp, memory, offset }));
        }
        self.push_result_wide(Instr::V128Load(VLoadDisp { dst, addr, disp: 0, memory, offset }))
    }

    /// A store. A `v128.store` of what an operation with a loaded operand just computed, to
    /// the address it loaded from, becomes that operation's form that writes back
    /// (`c[i] += x`: one instruction, one bounds check).
    fn v_store(&mut self, memarg: MemArg, make: fn(VStore) -> Instr) -> Result<()> {
        let (memory, offset) = self.access(memarg, 1)?;
        let computed = self.top_computed_by_last();
        let value = self.pop_v128();
        let addr = self.pop_slot();
        let store = make(VStore { addr, value, offset, memory });
        if let Some(at) = computed
            && at + 1 == self.out.len()
            && self.fast_memory(memory)
            && matches!(store, Instr::V128Store(_))
            && let Some(fused) = written_back_to(&self.out.code[at], value, addr, offset)
        {
            self.out.code[at] = fused;
            self.out.no_handover();
            return Ok(());
        }
        self.out.emit(store);
        Ok(())
    }

    fn v_load_lane(&mut self, memarg: MemArg, lane: u8, make: fn(VLoadLane) -> Instr) -> Result<()> {
        let (memory, offset) = self.access(memarg, 1)?;
        let src = self.pop_v128();
        let addr = self.pop_slot();
        let dst = self.next_home_wide()?;
        self.push_result_wide(make(VLoadLane { dst, addr, src, lane, memory, offset }))
    }

    fn v_store_lane(&mut self, memarg: MemArg, lane: u8, make: fn(VStoreLane) -> Instr) -> Result<()> {
        let (memory, offset) = self.access(memarg, 1)?;
        let src = self.pop_v128();
        let addr = self.pop_slot();
        self.out.emit(make(VStoreLane { addr, src, lane, memory, offset }));
        Ok(())
    }
}

/// The operations with forms that take their second operand from memory: the operation,
/// its form with the operand loaded (`VBinMem`), and its form that writes the result back
/// where the operand came from (`VBinMemTo`).
macro_rules! memory_forms {
    ($( $op:ident $mem:ident $to:ident ),* $(,)?) => {
        /// `op` with its second operand loaded from `(addr + disp) mod 2^32 + offset`, if it
        /// has that form.
        fn with_loaded_operand(op: &Instr, addr: Slot, disp: u16, offset: u32) -> Option<Instr> {
            match *op {
                $( Instr::$op(VBin { dst, a, .. }) => Some(Instr::$mem(VBinMem { dst, a, addr, disp, offset })), )*
                _ => None,
            }
        }

        /// `op`, an operation with a loaded operand, writing its result back to memory, if
        /// its result is `value` and the store of `value` goes to `addr + offset`, where the
        /// operand came from.
        fn written_back_to(op: &Instr, value: Slot, addr: Slot, offset: u32) -> Option<Instr> {
            match *op {
                $( Instr::$mem(o) if o.dst == value && o.addr == addr && o.disp == 0 && o.offset == offset => {
                    Some(Instr::$to(VBinMemTo { a: o.a, addr, offset }))
                } )*
                _ => None,
            }
        }
    };
}

memory_forms! {
    I8x16Add I8x16AddMem I8x16AddMemTo,
    I16x8Add I16x8AddMem I16x8AddMemTo,
    I32x4Add I32x4AddMem I32x4AddMemTo,
    I64x2Add I64x2AddMem I64x2AddMemTo,
    I8x16Sub I8x16SubMem I8x16SubMemTo,
    I16x8Sub I16x8SubMem I16x8SubMemTo,
    I32x4Sub I32x4SubMem I32x4SubMemTo,
    I64x2Sub I64x2SubMem I64x2SubMemTo,
    I16x8Mul I16x8MulMem I16x8MulMemTo,
    I32x4Mul I32x4MulMem I32x4MulMemTo,
    V128And V128AndMem V128AndMemTo,
    V128Or V128OrMem V128OrMemTo,
    V128Xor V128XorMem V128XorMemTo,
    F32x4Add F32x4AddMem F32x4AddMemTo,
    F32x4Sub F32x4SubMem F32x4SubMemTo,
    F32x4Mul F32x4MulMem F32x4MulMemTo,
    F64x2Add F64x2AddMem F64x2AddMemTo,
    F64x2Sub F64x2SubMem F64x2SubMemTo,
    F64x2Mul F64x2MulMem F64x2MulMemTo,
}
