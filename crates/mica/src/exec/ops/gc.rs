//! GC's instructions: `ref.i31` and `i31.get_*` (steps), and the slow paths of structs and
//! arrays (`crate::gc` holds the heap), `ref.test` and `ref.cast`. Every object access checks
//! what it reads: a null reference traps, and a reference that is not an object of the type
//! the instruction names is an internal error, never another object's bytes.

use super::prelude::*;
use crate::gc::{AnyCell, Heap, Object};
use crate::types::{DefinedType, HeapType, StorageType, ValType};
use alloc::sync::Arc;

impl FastCtx {
    /// The store's GC heap, for the object accesses' steps.
    #[inline(always)]
    fn heap(&self) -> &Heap {
        // SAFETY: `inner` is the store of the running activation (see `threaded.rs`), and
        // while a handler runs nothing else uses it; no handler keeps a reference into the
        // heap past its step.
        unsafe { &(*self.inner).gc }
    }

    #[inline(always)]
    fn heap_mut(&mut self) -> &mut Heap {
        // SAFETY: as for `heap`; the borrow covers the heap only, which no pointer the
        // handlers hold (frame, memories, globals) points into.
        unsafe { &mut *core::ptr::addr_of_mut!((*self.inner).gc) }
    }
}

steps! {
    (ip, r, mem, ctx);
    RefI31(o) => { r.un(o, |x: Cell| AnyCell::I31(x as u32).encode()); }
    StructGet(o) => {
        match ctx.heap().struct_get(r.get::<Cell>(o.obj), o.field, o.ext) {
            Ok(v) => r.set(o.dst, v),
            Err(code) => fail!(Err::<(), TrapCode>(code)),
        }
    }
    StructSet(o) => {
        let (obj, value) = (r.get::<Cell>(o.obj), r.get::<Cell>(o.value));
        fail!(ctx.heap_mut().struct_set(obj, o.field, value));
    }
    ArrayGet(o) => {
        match ctx.heap().array_get(r.get::<Cell>(o.array), r.get::<u32>(o.index), o.ext) {
            Ok(v) => r.set(o.dst, v),
            Err(code) => fail!(Err::<(), TrapCode>(code)),
        }
    }
    ArraySet(o) => {
        let (array, index, value) = (r.get::<Cell>(o.array), r.get::<u32>(o.index), r.get::<Cell>(o.value));
        fail!(ctx.heap_mut().array_set(array, index, value));
    }
    ArrayLen(o) => {
        match ctx.heap().array_len(r.get::<Cell>(o.array)) {
            Ok(n) => r.set(o.dst, n),
            Err(code) => fail!(Err::<(), TrapCode>(code)),
        }
    }
    I31GetS(o) => {
        fail!(r.try_un(o, |x: Cell| match AnyCell::decode(x) {
            AnyCell::I31(v) => Ok(((v << 1) as i32 >> 1) as u32),
            _ => Err(TrapCode::NullI31Reference),
        }));
    }
    I31GetU(o) => {
        fail!(r.try_un(o, |x: Cell| match AnyCell::decode(x) {
            AnyCell::I31(v) => Ok(v),
            _ => Err(TrapCode::NullI31Reference),
        }));
    }
}

#[cold]
fn internal() -> Error {
    Error::usage("internal error: a GC access outside its object")
}

/// The storage type of `v128` fields and elements, which take two slots.
const V128: StorageType = StorageType::Val(ValType::V128);

impl Executor<'_> {
    /// The running instance's type `ty`.
    fn defined(&self, ty: u32) -> Result<Arc<DefinedType>> {
        self.store.inner.instances[self.instance as usize].module.defined.get(ty as usize).cloned().ok_or_else(internal)
    }

    /// The value of a field of type `s` in the slot `slot` (and the next, for a `v128`).
    fn value(&self, slot: Slot, s: StorageType) -> u128 {
        let low = u128::from(self.get::<Cell>(slot));
        if s == V128 { low | u128::from(self.get::<Cell>(slot + 1)) << 64 } else { low }
    }

    /// Writes a `v128` to `slot` and the next.
    fn set128(&mut self, slot: Slot, v: u128) {
        self.set(slot, v as Cell);
        self.set(slot + 1, (v >> 64) as Cell);
    }

    /// The object the reference in `slot` refers to: a trap if it is null (`null`, the
    /// trap of the instruction's kind).
    fn object(&self, slot: Slot, null: TrapCode) -> Result<&Object> {
        match self.get::<Cell>(slot) {
            NULL_REF => Err(null.into()),
            cell => self.store.inner.gc.get(cell).ok_or_else(internal),
        }
    }

    fn object_mut(&mut self, slot: Slot, null: TrapCode) -> Result<&mut Object> {
        match self.get::<Cell>(slot) {
            NULL_REF => Err(null.into()),
            cell => self.store.inner.gc.get_mut(cell).ok_or_else(internal),
        }
    }

    /// Allocates a zeroed object of type `ty` of `len` bytes (`StoreInner::allocate`: the
    /// running frame is at the allocating instruction, `ip` past it).
    fn allocate(&mut self, ty: &Arc<DefinedType>, len: usize) -> Result<Cell> {
        self.store.inner.allocate(ty, len, Some((self.code, self.ip, self.base)))
    }

    /// An array of type `ty` and `len` elements, zeroed; its cell and element type.
    fn new_array(&mut self, ty: u32, len: u32) -> Result<(Cell, StorageType)> {
        let ty = self.defined(ty)?;
        let element = ty.as_array().ok_or_else(internal)?.element.storage;
        let bytes = (len as usize).checked_mul(element.size()).ok_or(TrapCode::OutOfMemory)?;
        Ok((self.allocate(&ty, bytes)?, element))
    }

    /// Sets elements `from..from + len` of the array `cell` (of element type `element`) to
    /// the value in `value`.
    fn fill_elements(&mut self, cell: Cell, element: StorageType, from: usize, len: usize, value: Slot) -> Result<()> {
        let v = self.value(value, element);
        let object = self.store.inner.gc.get_mut(cell).ok_or_else(internal)?;
        for i in from..from + len {
            object.write_value(i * element.size(), element, v).ok_or_else(internal)?;
        }
        Ok(())
    }

    /// Copies `items` (reference cells of an element segment of the running instance) into
    /// the array `cell` from element `to` on.
    fn write_items(&mut self, cell: Cell, to: usize, elem: u32, items: core::ops::Range<usize>) -> Result<()> {
        let inner = &mut self.store.inner;
        let items = &inner.instances[self.instance as usize].elems[elem as usize][items];
        let object = inner.gc.get_mut(cell).ok_or_else(internal)?;
        for (i, &item) in items.iter().enumerate() {
            object.write_value((to + i) * 8, StorageType::Val(ValType::I64), item.into()).ok_or_else(internal)?;
        }
        Ok(())
    }

    /// Whether the reference `cell` has heap type `heap` (a `RefTest::heap`), null passing
    /// if `nullable`.
    fn has_heap_type(&self, cell: Cell, heap: u32, nullable: bool) -> Result<bool> {
        if cell == NULL_REF {
            return Ok(nullable);
        }
        let inner = &self.store.inner;
        let module = &inner.instances[self.instance as usize].module;
        let (target, defined) = match HeapCode::decode(heap) {
            HeapCode::Abstract(h) => (h, None),
            HeapCode::Type(t) => {
                let d = module.defined.get(t as usize).ok_or_else(internal)?;
                (HeapType::Concrete(d.id), Some((t, d)))
            }
        };
        // Which hierarchy the reference is of follows from the target's (validation made
        // them the same).
        Ok(match target.top() {
            HeapType::Func => {
                let f = crate::cell::ref_index(cell).and_then(|i| inner.funcs.get(i as usize)).ok_or_else(internal)?;
                match defined {
                    Some((t, _)) => f.ty().is_subtype_of(&module.types[t as usize]),
                    None => target == HeapType::Func,
                }
            }
            HeapType::Extern => target == HeapType::Extern,
            HeapType::Exn => target == HeapType::Exn,
            _ => match AnyCell::decode(cell) {
                AnyCell::Null => nullable,
                AnyCell::I31(_) => matches!(target, HeapType::Any | HeapType::Eq | HeapType::I31),
                AnyCell::Host(_) => target == HeapType::Any,
                AnyCell::Object(_) => {
                    let ty = &inner.gc.get(cell).ok_or_else(internal)?.ty;
                    match defined {
                        Some((_, d)) => ty.is_subtype_of_id(d.id, d.depth()),
                        // An abstract type: the object's kind decides.
                        None => HeapType::Concrete(ty.id).is_subtype_with(target, &|_, _| false),
                    }
                }
            },
        })
    }
}

impl Slow<GcNew> for kind::StructNew {
    fn run(exec: &mut Executor<'_>, o: GcNew) -> Result<Flow> {
        let ty = exec.defined(o.ty)?;
        let cell = exec.allocate(&ty, ty.layout.size as usize)?;
        let fields = ty.as_struct().ok_or_else(internal)?.fields();
        let mut slot = o.args;
        for (f, &at) in fields.iter().zip(&ty.layout.offsets) {
            let v = exec.value(slot, f.storage);
            slot += f.storage.unpacked().cells() as Slot;
            let object = exec.store.inner.gc.get_mut(cell).ok_or_else(internal)?;
            object.write_value(at as usize, f.storage, v).ok_or_else(internal)?;
        }
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<GcNewDefault> for kind::StructNewDefault {
    fn run(exec: &mut Executor<'_>, o: GcNewDefault) -> Result<Flow> {
        let ty = exec.defined(o.ty)?;
        let cell = exec.allocate(&ty, ty.layout.size as usize)?;
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<StructGet128> for kind::StructGet128 {
    fn run(exec: &mut Executor<'_>, o: StructGet128) -> Result<Flow> {
        let object = exec.object(o.obj, TrapCode::NullStructReference)?;
        let (at, storage) = object.ty.field(o.field).ok_or_else(internal)?;
        let v = object.read_value(at, storage).ok_or_else(internal)?;
        exec.set128(o.dst, v);
        Ok(Flow::Continue)
    }
}

impl Slow<StructSet128> for kind::StructSet128 {
    fn run(exec: &mut Executor<'_>, o: StructSet128) -> Result<Flow> {
        let v = exec.value(o.value, V128);
        let object = exec.object_mut(o.obj, TrapCode::NullStructReference)?;
        let (at, storage) = object.ty.field(o.field).ok_or_else(internal)?;
        object.write_value(at, storage, v).ok_or_else(internal)?;
        Ok(Flow::Continue)
    }
}

impl Slow<GcNew> for kind::ArrayNew {
    fn run(exec: &mut Executor<'_>, o: GcNew) -> Result<Flow> {
        let ty = exec.defined(o.ty)?;
        let element = ty.as_array().ok_or_else(internal)?.element.storage;
        let len = exec.get::<u32>(o.args + element.unpacked().cells() as Slot);
        exec.charge(|costs| costs.elements(len.into()))?;
        let (cell, element) = exec.new_array(o.ty, len)?;
        exec.fill_elements(cell, element, 0, len as usize, o.args)?;
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<GcNew> for kind::ArrayNewDefault {
    fn run(exec: &mut Executor<'_>, o: GcNew) -> Result<Flow> {
        let len = exec.get::<u32>(o.args);
        exec.charge(|costs| costs.elements(len.into()))?;
        let (cell, _) = exec.new_array(o.ty, len)?;
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayNewFixed> for kind::ArrayNewFixed {
    fn run(exec: &mut Executor<'_>, o: ArrayNewFixed) -> Result<Flow> {
        exec.charge(|costs| costs.elements(o.len.into()))?;
        let (cell, element) = exec.new_array(o.ty, o.len)?;
        let width = element.unpacked().cells() as Slot;
        for i in 0..o.len as usize {
            exec.fill_elements(cell, element, i, 1, o.args + i as Slot * width)?;
        }
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayNewData> for kind::ArrayNewData {
    fn run(exec: &mut Executor<'_>, o: ArrayNewData) -> Result<Flow> {
        let (offset, len) = (exec.get::<u32>(o.args) as usize, exec.get::<u32>(o.args + 1));
        let ty = exec.defined(o.ty)?;
        let size = ty.layout.size as usize;
        let bytes = (len as usize).checked_mul(size).ok_or(TrapCode::MemoryOutOfBounds)?;
        let segment = exec.store.inner.instances[exec.instance as usize].data(o.data);
        let from = in_bounds(offset, bytes, segment.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        exec.charge(|costs| costs.elements(len.into()))?;
        let (cell, _) = exec.new_array(o.ty, len)?;
        let inner = &mut exec.store.inner;
        let segment = inner.instances[exec.instance as usize].data(o.data);
        inner.gc.get_mut(cell).ok_or_else(internal)?.data.copy_from_slice(&segment[from]);
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayNewElem> for kind::ArrayNewElem {
    fn run(exec: &mut Executor<'_>, o: ArrayNewElem) -> Result<Flow> {
        let (offset, len) = (exec.get::<u32>(o.args) as usize, exec.get::<u32>(o.args + 1));
        let items = &exec.store.inner.instances[exec.instance as usize].elems[o.elem as usize];
        let from = in_bounds(offset, len as usize, items.len()).ok_or(TrapCode::TableOutOfBounds)?;
        exec.charge(|costs| costs.elements(len.into()))?;
        let (cell, _) = exec.new_array(o.ty, len)?;
        exec.write_items(cell, 0, o.elem, from)?;
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Executor<'_> {
    /// The array in `array` (a trap if null), its element type, and the range of `len`
    /// elements from `index` (a trap past its end).
    fn element_range(&self, array: Slot, index: usize, len: usize) -> Result<(StorageType, core::ops::Range<usize>)> {
        let object = self.object(array, TrapCode::NullArrayReference)?;
        let element = object.ty.as_array().ok_or_else(internal)?.element.storage;
        let range = in_bounds(index, len, object.array_len()).ok_or(TrapCode::ArrayOutOfBounds)?;
        Ok((element, range))
    }
}

impl Slow<ArrayGet128> for kind::ArrayGet128 {
    fn run(exec: &mut Executor<'_>, o: ArrayGet128) -> Result<Flow> {
        let (_, range) = exec.element_range(o.array, exec.get::<u32>(o.index) as usize, 1)?;
        let object = exec.object(o.array, TrapCode::NullArrayReference)?;
        let v = object.read_value(range.start * 16, V128).ok_or_else(internal)?;
        exec.set128(o.dst, v);
        Ok(Flow::Continue)
    }
}

impl Slow<ArraySet128> for kind::ArraySet128 {
    fn run(exec: &mut Executor<'_>, o: ArraySet128) -> Result<Flow> {
        let (_, range) = exec.element_range(o.array, exec.get::<u32>(o.index) as usize, 1)?;
        let v = exec.value(o.value, V128);
        let object = exec.object_mut(o.array, TrapCode::NullArrayReference)?;
        object.write_value(range.start * 16, V128, v).ok_or_else(internal)?;
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayFill> for kind::ArrayFill {
    fn run(exec: &mut Executor<'_>, o: ArrayFill) -> Result<Flow> {
        // The value takes one slot or two: the element type says where the length is.
        let (element, _) = exec.element_range(o.args, 0, 0)?;
        let width = element.unpacked().cells() as Slot;
        let (index, len) = (exec.get::<u32>(o.args + 1) as usize, exec.get::<u32>(o.args + 2 + width) as usize);
        let (_, range) = exec.element_range(o.args, index, len)?;
        exec.charge(|costs| costs.elements(len as u64))?;
        exec.fill_elements(exec.get::<Cell>(o.args), element, range.start, range.len(), o.args + 2)?;
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayCopy> for kind::ArrayCopy {
    fn run(exec: &mut Executor<'_>, o: ArrayCopy) -> Result<Flow> {
        let a = o.args;
        let (dst_i, src_i, len) = (exec.get::<u32>(a + 1) as usize, exec.get::<u32>(a + 3) as usize, exec.get::<u32>(a + 4) as usize);
        let (element, to) = exec.element_range(a, dst_i, len)?;
        let (_, from) = exec.element_range(a + 2, src_i, len)?;
        exec.charge(|costs| costs.elements(len as u64))?;
        let size = element.size();
        let (to, from) = (to.start * size..to.end * size, from.start * size..from.end * size);
        let (dst, src) = (exec.get::<Cell>(a), exec.get::<Cell>(a + 2));
        let heap = &mut exec.store.inner.gc;
        if dst == src {
            let object = heap.get_mut(dst).ok_or_else(internal)?;
            object.data.copy_within(from, to.start);
        } else {
            let (d, s) = heap.get_two_mut(dst, src).ok_or_else(internal)?;
            d.data[to].copy_from_slice(&s.data[from]);
        }
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayInitData> for kind::ArrayInitData {
    fn run(exec: &mut Executor<'_>, o: ArrayInitData) -> Result<Flow> {
        let a = o.args;
        let (index, offset, len) = (exec.get::<u32>(a + 1) as usize, exec.get::<u32>(a + 2) as usize, exec.get::<u32>(a + 3) as usize);
        let (element, range) = exec.element_range(a, index, len)?;
        exec.charge(|costs| costs.elements(len as u64))?;
        let size = element.size();
        let cell = exec.get::<Cell>(a);
        let inner = &mut exec.store.inner;
        let segment = inner.instances[exec.instance as usize].data(o.data);
        let from = in_bounds(offset, len * size, segment.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        let object = inner.gc.get_mut(cell).ok_or_else(internal)?;
        object.data[range.start * size..range.end * size].copy_from_slice(&segment[from]);
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayInitElem> for kind::ArrayInitElem {
    fn run(exec: &mut Executor<'_>, o: ArrayInitElem) -> Result<Flow> {
        let a = o.args;
        let (index, offset, len) = (exec.get::<u32>(a + 1) as usize, exec.get::<u32>(a + 2) as usize, exec.get::<u32>(a + 3) as usize);
        let (_, range) = exec.element_range(a, index, len)?;
        exec.charge(|costs| costs.elements(len as u64))?;
        let items = &exec.store.inner.instances[exec.instance as usize].elems[o.elem as usize];
        let from = in_bounds(offset, len, items.len()).ok_or(TrapCode::TableOutOfBounds)?;
        exec.write_items(exec.get::<Cell>(a), range.start, o.elem, from)?;
        Ok(Flow::Continue)
    }
}

impl Slow<RefTest> for kind::RefTest {
    fn run(exec: &mut Executor<'_>, o: RefTest) -> Result<Flow> {
        let cell = exec.get::<Cell>(o.src);
        let pass = exec.has_heap_type(cell, o.heap, o.nullable & TEST_NULLABLE != 0)?;
        exec.set(o.dst, u32::from(pass != (o.nullable & TEST_NEGATE != 0)));
        Ok(Flow::Continue)
    }
}

impl Slow<RefTest> for kind::RefCast {
    fn run(exec: &mut Executor<'_>, o: RefTest) -> Result<Flow> {
        let cell = exec.get::<Cell>(o.src);
        if !exec.has_heap_type(cell, o.heap, o.nullable & TEST_NULLABLE != 0)? {
            return Err(TrapCode::CastFailure.into());
        }
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}
