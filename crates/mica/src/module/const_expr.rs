//! Constant expressions: global initialisers and segment offsets and items.
//!
//! Decoded once at load time into a short list of operations, evaluated at instantiation.

use crate::error::{Error, Result};
use crate::cell::Cell;
use alloc::vec::Vec;

/// One operation of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstOp {
    /// Push a number (or a null reference, which is the zero cell).
    Value(Cell),
    /// Push a `v128`.
    #[cfg_attr(not(feature = "simd"), allow(dead_code))]
    V128(u128),
    /// Push the value of global `index` of the instance being built.
    GlobalGet(u32),
    /// Push a reference to function `index` of the instance being built.
    RefFunc(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
    /// `ref.i31` of the value on top.
    RefI31,
    /// An allocation (GC): made by the instantiation's allocator from the values on top.
    Gc(ConstGc),
}

/// An allocating operation of a constant expression; the type is a module type index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ConstGc {
    /// `struct.new`: the fields on top.
    StructNew(u32),
    StructNewDefault(u32),
    /// `array.new`: an element and a length on top.
    ArrayNew(u32),
    /// `array.new_default`: a length on top.
    ArrayNewDefault(u32),
    /// `array.new_fixed`: that many elements on top.
    ArrayNewFixed(u32, u32),
}

/// A validated constant expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConstExpr {
    ops: Vec<ConstOp>,
}

impl ConstExpr {
    pub(crate) fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr> {
        use wasmparser::Operator as O;
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        while !reader.eof() {
            let at = reader.original_position();
            let op = reader.read().map_err(|e| Error::from_parser(e, true))?;
            ops.push(match op {
                O::I32Const { value } => ConstOp::Value(value as u32 as Cell),
                O::I64Const { value } => ConstOp::Value(value as Cell),
                O::F32Const { value } => ConstOp::Value(value.bits() as Cell),
                O::F64Const { value } => ConstOp::Value(value.bits()),
                #[cfg(feature = "simd")]
                O::V128Const { value } => ConstOp::V128(value.i128() as u128),
                O::RefNull { .. } => ConstOp::Value(crate::cell::NULL_REF),
                O::RefFunc { function_index } => ConstOp::RefFunc(function_index),
                O::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
                O::I32Add => ConstOp::I32Add,
                O::I32Sub => ConstOp::I32Sub,
                O::I32Mul => ConstOp::I32Mul,
                O::I64Add => ConstOp::I64Add,
                O::I64Sub => ConstOp::I64Sub,
                O::I64Mul => ConstOp::I64Mul,
                O::RefI31 => ConstOp::RefI31,
                O::StructNew { struct_type_index } => ConstOp::Gc(ConstGc::StructNew(struct_type_index)),
                O::StructNewDefault { struct_type_index } => ConstOp::Gc(ConstGc::StructNewDefault(struct_type_index)),
                O::ArrayNew { array_type_index } => ConstOp::Gc(ConstGc::ArrayNew(array_type_index)),
                O::ArrayNewDefault { array_type_index } => ConstOp::Gc(ConstGc::ArrayNewDefault(array_type_index)),
                O::ArrayNewFixed { array_type_index, array_size } => {
                    ConstOp::Gc(ConstGc::ArrayNewFixed(array_type_index, array_size))
                }
                // The cells of `any` and `extern` are the same (`crate::gc`).
                O::AnyConvertExtern | O::ExternConvertAny | O::End => continue,
                _ => {
                    return Err(Error::unsupported(alloc::format!(
                        "the constant expression operator at offset {at:#x}"
                    )));
                }
            });
        }
        // Most expressions are one constant; the list grew to four entries for it.
        ops.shrink_to_fit();
        Ok(ConstExpr { ops })
    }

    /// The expression `ref.func index`, which element segments of function indices hold.
    pub(crate) fn ref_func(index: u32) -> ConstExpr {
        ConstExpr { ops: alloc::vec![ConstOp::RefFunc(index)] }
    }

    /// Evaluates an expression that allocates nothing (an offset: validation gave it a
    /// number type).
    pub(crate) fn eval(&self, global: impl Fn(u32) -> u128, func_ref: impl Fn(u32) -> Cell) -> u128 {
        self.eval_with(global, func_ref, &mut |_, _| Ok(0)).unwrap_or_default()
    }

    /// Evaluates the expression; `global` and `func_ref` resolve indices of the instance, and
    /// `gc` performs an allocation, taking its operands from the top of the stack it is
    /// given. Values are `u128`s: a `v128` whole, anything else in the low cell.
    pub(crate) fn eval_with(
        &self,
        global: impl Fn(u32) -> u128,
        func_ref: impl Fn(u32) -> Cell,
        gc: &mut dyn FnMut(ConstGc, &mut Vec<u128>) -> Result<Cell>,
    ) -> Result<u128> {
        // Validation bounds the stack depth by the expression's length.
        let mut stack: Vec<u128> = Vec::with_capacity(self.ops.len());
        for op in &self.ops {
            let value = match *op {
                ConstOp::Value(v) => v as u128,
                ConstOp::V128(v) => v,
                ConstOp::GlobalGet(i) => global(i),
                ConstOp::RefFunc(i) => func_ref(i) as u128,
                ConstOp::RefI31 => {
                    let v = stack.pop().unwrap_or_default() as u32;
                    crate::gc::AnyCell::I31(v).encode().into()
                }
                ConstOp::Gc(op) => gc(op, &mut stack)?.into(),
                binary => {
                    let b = stack.pop().unwrap_or_default() as Cell;
                    let a = stack.pop().unwrap_or_default() as Cell;
                    let (a32, b32) = (a as u32, b as u32);
                    match binary {
                        ConstOp::I32Add => a32.wrapping_add(b32) as Cell,
                        ConstOp::I32Sub => a32.wrapping_sub(b32) as Cell,
                        ConstOp::I32Mul => a32.wrapping_mul(b32) as Cell,
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    }
                    .into()
                }
            };
            stack.push(value);
        }
        Ok(stack.pop().unwrap_or_default())
    }
}
