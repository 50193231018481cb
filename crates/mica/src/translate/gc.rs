//! GC's instructions: which bytecode each becomes. Every object access is a slow path (the
//! executor reads the object's type from the store); `ref.i31` and `i31.get_*` are steps,
//! `ref.eq` is `i64.eq` on the cells, the conversions between `any` and `extern` are nothing
//! (their cells are the same: `crate::gc`), and `br_on_cast`/`br_on_cast_fail` are a
//! `ref.test` and a branch on its result.

use super::{Condition, Translator};
use crate::bytecode::{
    ArrayCopy, ArrayFill, ArrayGet, ArrayGet128, ArrayInitData, ArrayInitElem, ArrayLen, ArrayNewData, ArrayNewElem,
    ArrayNewFixed, ArraySet, ArraySet128, GcNew, GcNewDefault, HeapCode, Instr, RefTest, StructGet, StructGet128,
    StructSet, StructSet128, TEST_NEGATE, TEST_NULLABLE,
};
use crate::error::{Error, Result};
use crate::types::{StorageType, ValType};
use alloc::vec::Vec;
use wasmparser::Operator as O;

/// How a packed field is read (`StructGet::ext`).
const EXT_NONE: u8 = 0;
const EXT_SIGNED: u8 = 1;
const EXT_UNSIGNED: u8 = 2;

impl Translator<'_> {
    /// Translates `op` if it is one of GC's instructions; `false` if it is not.
    pub(super) fn translate_gc(&mut self, op: &O<'_>) -> Result<bool> {
        match *op {
            O::StructNew { struct_type_index: ty } => {
                let n = self.struct_fields(ty)?.len();
                let args = self.pop_span_for_allocation(n)?;
                let dst = self.next_home()?;
                self.push_result(Instr::StructNew(GcNew { dst, args, ty }))?;
            }
            O::StructNewDefault { struct_type_index: ty } => {
                self.gc_point()?;
                let dst = self.next_home()?;
                self.push_result(Instr::StructNewDefault(GcNewDefault { dst, ty }))?;
            }
            O::StructGet { struct_type_index: ty, field_index } => self.struct_get(ty, field_index, EXT_NONE)?,
            O::StructGetS { struct_type_index: ty, field_index } => self.struct_get(ty, field_index, EXT_SIGNED)?,
            O::StructGetU { struct_type_index: ty, field_index } => self.struct_get(ty, field_index, EXT_UNSIGNED)?,
            O::StructSet { struct_type_index: ty, field_index } => {
                let field = field_u16(field_index)?;
                let wide = self.struct_field(ty, field_index)? == StorageType::Val(ValType::V128);
                let value = self.pop_value_slot();
                let obj = self.pop_slot();
                self.out.emit(match wide {
                    true => Instr::StructSet128(StructSet128 { obj, value, ty, field }),
                    false => Instr::StructSet(StructSet { obj, value, ty, field }),
                });
            }
            O::ArrayNew { array_type_index: ty } => self.array_new(2, ty, Instr::ArrayNew)?,
            O::ArrayNewDefault { array_type_index: ty } => self.array_new(1, ty, Instr::ArrayNewDefault)?,
            O::ArrayNewFixed { array_type_index: ty, array_size: len } => {
                let args = self.pop_span_for_allocation(len as usize)?;
                let dst = self.next_home()?;
                self.push_result(Instr::ArrayNewFixed(ArrayNewFixed { dst, args, ty, len }))?;
            }
            O::ArrayNewData { array_type_index: ty, array_data_index: data } => {
                let args = self.pop_span_for_allocation(2)?;
                let dst = self.next_home()?;
                self.push_result(Instr::ArrayNewData(ArrayNewData { dst, args, ty, data }))?;
            }
            O::ArrayNewElem { array_type_index: ty, array_elem_index: elem } => {
                let args = self.pop_span_for_allocation(2)?;
                let dst = self.next_home()?;
                self.push_result(Instr::ArrayNewElem(ArrayNewElem { dst, args, ty, elem }))?;
            }
            O::ArrayGet { array_type_index: ty } => self.array_get(ty, EXT_NONE)?,
            O::ArrayGetS { array_type_index: ty } => self.array_get(ty, EXT_SIGNED)?,
            O::ArrayGetU { array_type_index: ty } => self.array_get(ty, EXT_UNSIGNED)?,
            O::ArraySet { array_type_index: ty } => {
                let wide = self.array_element(ty)? == StorageType::Val(ValType::V128);
                let value = self.pop_value_slot();
                let index = self.pop_slot();
                let array = self.pop_slot();
                self.out.emit(match wide {
                    true => Instr::ArraySet128(ArraySet128 { array, index, value, ty }),
                    false => Instr::ArraySet(ArraySet { array, index, value, ty }),
                });
            }
            O::ArrayLen => {
                let array = self.pop_slot();
                let dst = self.next_home()?;
                self.push_result(Instr::ArrayLen(ArrayLen { dst, array }))?;
            }
            O::ArrayFill { array_type_index: ty } => {
                let args = self.pop_span(4);
                self.out.emit(Instr::ArrayFill(ArrayFill { args, ty }));
            }
            O::ArrayCopy { array_type_index_dst: dst_ty, array_type_index_src: src_ty } => {
                let args = self.pop_span(5);
                self.out.emit(Instr::ArrayCopy(ArrayCopy { args, dst_ty, src_ty }));
            }
            O::ArrayInitData { array_type_index: ty, array_data_index: data } => {
                let args = self.pop_span(4);
                self.out.emit(Instr::ArrayInitData(ArrayInitData { args, ty, data }));
            }
            O::ArrayInitElem { array_type_index: ty, array_elem_index: elem } => {
                let args = self.pop_span(4);
                self.out.emit(Instr::ArrayInitElem(ArrayInitElem { args, ty, elem }));
            }
            O::RefI31 => self.unary_in_slots(Instr::RefI31)?,
            O::I31GetS => self.unary_in_slots(Instr::I31GetS)?,
            O::I31GetU => self.unary_in_slots(Instr::I31GetU)?,
            O::RefEq => self.binary(Instr::I64Eq)?,
            // The cells of both hierarchies are the same (`crate::gc`).
            O::AnyConvertExtern | O::ExternConvertAny => {}
            O::RefTestNonNull { hty } => self.ref_test(hty, 0, false)?,
            O::RefTestNullable { hty } => self.ref_test(hty, TEST_NULLABLE, false)?,
            O::RefCastNonNull { hty } => self.ref_test(hty, 0, true)?,
            O::RefCastNullable { hty } => self.ref_test(hty, TEST_NULLABLE, true)?,
            O::BrOnCast { relative_depth, to_ref_type, .. } => self.br_on_cast(relative_depth, to_ref_type, false)?,
            O::BrOnCastFail { relative_depth, to_ref_type, .. } => self.br_on_cast(relative_depth, to_ref_type, true)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn struct_fields(&self, ty: u32) -> Result<&[crate::types::FieldType]> {
        self.env
            .defined
            .get(ty as usize)
            .and_then(|t| t.as_struct())
            .map(|s| s.fields())
            .ok_or_else(|| Error::usage(alloc::format!("type {ty} is not a struct type")))
    }

    fn struct_field(&self, ty: u32, field: u32) -> Result<StorageType> {
        self.struct_fields(ty)?
            .get(field as usize)
            .map(|f| f.storage)
            .ok_or_else(|| Error::usage(alloc::format!("struct type {ty} has no field {field}")))
    }

    fn array_element(&self, ty: u32) -> Result<StorageType> {
        self.env
            .defined
            .get(ty as usize)
            .and_then(|t| t.as_array())
            .map(|a| a.element.storage)
            .ok_or_else(|| Error::usage(alloc::format!("type {ty} is not an array type")))
    }

    /// Pops a value of one or two cells after putting it in its home slot.
    fn pop_value_slot(&mut self) -> crate::bytecode::Slot {
        if self.stack.is_wide(self.stack.len() - 1) { self.pop_span(1) } else { self.pop_slot() }
    }

    fn struct_get(&mut self, ty: u32, field_index: u32, ext: u8) -> Result<()> {
        let field = field_u16(field_index)?;
        let wide = self.struct_field(ty, field_index)? == StorageType::Val(ValType::V128);
        let obj = self.pop_slot();
        if wide {
            let dst = self.next_home_wide()?;
            self.push_result_wide(Instr::StructGet128(StructGet128 { dst, obj, ty, field }))
        } else {
            let dst = self.next_home()?;
            self.push_result(Instr::StructGet(StructGet { dst, obj, ty, field, ext }))
        }
    }

    fn array_new(&mut self, operands: usize, ty: u32, make: fn(GcNew) -> Instr) -> Result<()> {
        let args = self.pop_span_for_allocation(operands)?;
        let dst = self.next_home()?;
        self.push_result(make(GcNew { dst, args, ty }))
    }

    fn array_get(&mut self, ty: u32, ext: u8) -> Result<()> {
        let wide = self.array_element(ty)? == StorageType::Val(ValType::V128);
        let index = self.pop_slot();
        let array = self.pop_slot();
        if wide {
            let dst = self.next_home_wide()?;
            self.push_result_wide(Instr::ArrayGet128(ArrayGet128 { dst, array, index, ty }))
        } else {
            let dst = self.next_home()?;
            self.push_result(Instr::ArrayGet(ArrayGet { dst, array, index, ty, ext }))
        }
    }

    /// `ref.test` (or, with `cast`, `ref.cast`, which traps where the test fails).
    fn ref_test(&mut self, hty: wasmparser::HeapType, nullable: u8, cast: bool) -> Result<()> {
        let heap = heap_code(hty)?;
        let src = self.pop_slot();
        let dst = self.next_home()?;
        let test = RefTest { dst, src, heap, nullable };
        self.push_result(if cast { Instr::RefCast(test) } else { Instr::RefTest(test) })
    }

    /// `br_on_cast` (or, with `fail`, `br_on_cast_fail`): the reference stays on top, in its
    /// home slot; a `ref.test` writes whether to branch above it, and a branch on that takes
    /// the reference (and the operands below) to the label.
    fn br_on_cast(&mut self, depth: u32, to: wasmparser::RefType, fail: bool) -> Result<()> {
        let heap = heap_code(to.heap_type())?;
        let pos = self.stack.len() - 1;
        self.stack.materialize(pos, &mut self.out);
        let src = self.stack.home(pos);
        let dst = self.next_home()?;
        let mut flags = if to.is_nullable() { TEST_NULLABLE } else { 0 };
        if fail {
            flags |= TEST_NEGATE;
        }
        self.out.emit(Instr::RefTest(RefTest { dst, src, heap, nullable: flags }));
        self.out.label();
        self.branch_on(depth, Condition::Slot(dst))?;
        Ok(())
    }
}

/// Whether a value of the validator's type `t` is a reference the collector follows (as
/// `HeapType::holds_gc_refs` says). The validator names defined types by its own
/// identities, which `func`'s resources resolve.
fn holds_gc(t: wasmparser::ValType, func: &wasmparser::FuncValidator<wasmparser::ValidatorResources>) -> bool {
    use wasmparser::{AbstractHeapType as A, HeapType as W, UnpackedIndex as I, WasmModuleResources};
    let wasmparser::ValType::Ref(r) = t else { return false };
    let defined = |sub: Option<&wasmparser::SubType>| {
        sub.is_none_or(|s| !matches!(s.composite_type.inner, wasmparser::CompositeInnerType::Func(_)))
    };
    match r.heap_type() {
        W::Abstract { ty, .. } => {
            matches!(ty, A::Any | A::Eq | A::I31 | A::Struct | A::Array | A::None | A::Extern | A::NoExtern)
        }
        W::Concrete(i) | W::Exact(i) => match i {
            I::Module(index) => defined(func.resources().sub_type_at(index)),
            I::Id(id) => defined(Some(func.resources().sub_type_at_id(id))),
            // Not seen outside a recursion group's definition; counted, to be safe.
            I::RecGroup(_) => true,
        },
    }
}

fn field_u16(field: u32) -> Result<u16> {
    u16::try_from(field).map_err(|_| Error::unsupported("a struct with more than 65536 fields"))
}

/// A heap type as `RefTest` carries it.
fn heap_code(hty: wasmparser::HeapType) -> Result<u32> {
    use crate::types::HeapType as H;
    use wasmparser::{AbstractHeapType as A, HeapType as W};
    let code = match hty {
        W::Concrete(i) | W::Exact(i) => {
            HeapCode::Type(i.as_module_index().ok_or_else(|| Error::unsupported("a heap type outside the module"))?)
        }
        W::Abstract { shared: false, ty } => HeapCode::Abstract(match ty {
            A::Func => H::Func,
            A::NoFunc => H::NoFunc,
            A::Extern => H::Extern,
            A::NoExtern => H::NoExtern,
            A::Exn => H::Exn,
            A::NoExn => H::NoExn,
            A::Any => H::Any,
            A::Eq => H::Eq,
            A::I31 => H::I31,
            A::Struct => H::Struct,
            A::Array => H::Array,
            A::None => H::None,
            other => return Err(Error::unsupported(alloc::format!("heap type {other:?}"))),
        }),
        other => return Err(Error::unsupported(alloc::format!("heap type {other:?}"))),
    };
    Ok(code.encode())
}

/// The stack maps being made for a function (see `bytecode::StackMaps`): on for functions of
/// modules whose code may hold GC references (`ModuleEnv::stack_maps`), where the validator
/// runs alongside and types each operand the translator pushes (`OperandStack::set_gc_types`).
#[derive(Default)]
pub(super) struct MapsBuilder {
    pub on: bool,
    pub points: Vec<(u32, u32, u32)>,
    pub slots: Vec<crate::bytecode::Slot>,
    pub locals: Vec<crate::bytecode::Slot>,
    /// The most slots the maps may list (`MAP_SLOTS_PER_BYTE` per byte of body).
    pub budget: usize,
    /// `type_operands`'s buffer.
    pub flags: Vec<bool>,
}

/// Stack-map entries allowed per byte of body: real code keeps a few references live across
/// a call, and a call costs at least two bytes; a body built to keep thousands live across
/// thousands of calls is refused rather than given maps quadratic in its size.
pub(super) const MAP_SLOTS_PER_BYTE: usize = 16;

impl Translator<'_> {
    /// Records the instruction about to be emitted as a collection point: the operands on the
    /// stack that may hold GC references, in their home slots.
    pub(super) fn gc_point(&mut self) -> Result<()> {
        if !self.maps.on {
            return Ok(());
        }
        let start = self.maps.slots.len();
        self.maps.slots.extend(self.stack.gc_homes(self.stack.len()));
        if self.maps.slots.len() > self.maps.budget {
            return Err(Error::unsupported(alloc::format!(
                "function {}: more than {MAP_SLOTS_PER_BYTE} references live across calls and allocations \
                 per byte of its body (a limit that keeps stack maps linear in the module's size)",
                self.func_index
            )));
        }
        let len = (self.maps.slots.len() - start) as u32;
        self.maps.points.push((self.out.len() as u32, start as u32, len));
        Ok(())
    }

    /// `pop_span` for an allocation: its operands are put in their home slots and are part of
    /// its collection point (they are read after the object is allocated).
    fn pop_span_for_allocation(&mut self, n: usize) -> Result<crate::bytecode::Slot> {
        let from = self.stack.len() - n;
        self.stack.materialize_from(from, &mut self.out);
        self.gc_point()?;
        self.stack.truncate(from);
        Ok(self.stack.home(from))
    }

    /// Types the operands pushed by the operator just translated from the validator's stack,
    /// which holds the same operands (positions count from the bottom in both); should the
    /// heights ever differ, every new operand counts as a possible reference.
    pub(super) fn type_operands(&mut self, func: &wasmparser::FuncValidator<wasmparser::ValidatorResources>) {
        let (len, low) = (self.stack.len(), self.stack.low());
        let exact = func.operand_stack_height() as usize == len;
        let mut flags = core::mem::take(&mut self.maps.flags);
        flags.clear();
        for pos in low..len {
            flags.push(!exact || func.get_operand_type(len - 1 - pos).flatten().is_some_and(|t| holds_gc(t, func)));
        }
        self.stack.set_gc_types(|pos| flags[pos - low]);
        self.maps.flags = flags;
    }

}
