//! GC's instructions: `ref.i31` and `i31.get_*` (steps), and the slow paths of structs and
//! arrays (`crate::gc` holds the heap), `ref.test` and `ref.cast`. Every object access checks
//! what it reads: a null reference traps, and a reference that is not an object of the type
//! the instruction names is an internal error, never another object's bytes.

use super::prelude::*;
use crate::gc::{AnyCell, Heap, Object};
use crate::types::{DefinedType, HeapType, StorageType, TypeKind, ValType};
use alloc::sync::Arc;
use alloc::vec::Vec;

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

fn read128(data: &[u8], at: usize) -> Result<[Cell; 2]> {
    let b = data.get(at..at + 16).ok_or_else(internal)?;
    let half = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
    Ok([half(0), half(8)])
}

fn write128(data: &mut [u8], at: usize, v: [Cell; 2]) -> Result<()> {
    let b = data.get_mut(at..at + 16).ok_or_else(internal)?;
    b[..8].copy_from_slice(&v[0].to_le_bytes());
    b[8..].copy_from_slice(&v[1].to_le_bytes());
    Ok(())
}

#[cold]
fn internal() -> Error {
    Error::usage("internal error: a GC access outside its object")
}

impl<T> Executor<'_, T> {
    /// The running instance's type `ty`.
    fn defined(&self, ty: u32) -> Result<Arc<DefinedType>> {
        self.store.inner.instances[self.instance as usize].module.defined.get(ty as usize).cloned().ok_or_else(internal)
    }

    /// The object the reference in `slot` refers to: a trap if it is null.
    fn object(&self, slot: Slot) -> Result<&Object> {
        let cell = self.get::<Cell>(slot);
        if cell == NULL_REF {
            return Err(TrapCode::NullStructReference.into());
        }
        self.store.inner.gc.get(cell).ok_or_else(internal)
    }

    fn object_mut(&mut self, slot: Slot) -> Result<&mut Object> {
        let cell = self.get::<Cell>(slot);
        if cell == NULL_REF {
            return Err(TrapCode::NullStructReference.into());
        }
        self.store.inner.gc.get_mut(cell).ok_or_else(internal)
    }

    /// The array the reference in `slot` refers to (a trap if null).
    fn array(&self, slot: Slot) -> Result<&Object> {
        match self.get::<Cell>(slot) {
            NULL_REF => Err(TrapCode::NullArrayReference.into()),
            cell => self.store.inner.gc.get(cell).filter(|o| o.ty.as_array().is_some()).ok_or_else(internal),
        }
    }

    fn array_mut(&mut self, slot: Slot) -> Result<&mut Object> {
        match self.get::<Cell>(slot) {
            NULL_REF => Err(TrapCode::NullArrayReference.into()),
            cell => self.store.inner.gc.get_mut(cell).filter(|o| o.ty.as_array().is_some()).ok_or_else(internal),
        }
    }

    /// Allocates a zeroed object of type `ty` of `len` bytes, collecting first when the heap
    /// asks for it, or when the allocation does not fit the limit otherwise.
    pub(in crate::exec) fn allocate(&mut self, ty: &Arc<DefinedType>, len: usize) -> Result<Cell> {
        let config = self.store.inner.engine.config();
        let (limit, stress) = (config.max_gc_heap, config.gc_stress);
        if self.store.inner.gc.wants_collection(Heap::cost(len), stress) {
            self.collect_garbage();
        }
        match self.store.inner.gc.alloc(ty, len, limit) {
            Ok(cell) => Ok(cell),
            Err(_) => {
                self.collect_garbage();
                Ok(self.store.inner.gc.alloc(ty, len, limit)?)
            }
        }
    }

    /// A collection, from inside the running activation: the running frame is at the
    /// allocating instruction (`ip` is past it), the others are suspended
    /// (`StoreInner::collect_garbage`).
    pub(in crate::exec) fn collect_garbage(&mut self) {
        self.store.inner.collect_garbage(Some((self.code, self.ip, self.base)));
    }

    /// An array of type `ty` and `len` elements, zeroed; its cell and type.
    fn new_array(&mut self, ty: u32, len: u32) -> Result<(Cell, Arc<DefinedType>)> {
        let ty = self.defined(ty)?;
        let size = ty.layout.size as usize;
        let bytes = (len as usize).checked_mul(size).ok_or(TrapCode::OutOfMemory)?;
        Ok((self.allocate(&ty, bytes)?, ty))
    }

    /// Writes `value` (one or two cells at `slot`) to element `i` of the array `cell`.
    fn fill_elements(&mut self, cell: Cell, from: usize, len: usize, value: Slot) -> Result<()> {
        let object = self.store.inner.gc.get(cell).ok_or_else(internal)?;
        let element = object.ty.as_array().ok_or_else(internal)?.element.storage;
        let wide = element == StorageType::Val(ValType::V128);
        let v = [self.get::<Cell>(value), if wide { self.get::<Cell>(value + 1) } else { 0 }];
        let size = element.size();
        let object = self.store.inner.gc.get_mut(cell).ok_or_else(internal)?;
        for i in from..from + len {
            if wide {
                write128(&mut object.data, i * size, v)?;
            } else {
                crate::gc::write_cell(&mut object.data, i * size, element, v[0]).ok_or_else(internal)?;
            }
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
        let target = match HeapCode::decode(heap) {
            HeapCode::Abstract(h) => h,
            HeapCode::Type(t) => HeapType::Concrete(self.defined(t)?.id),
        };
        // Which hierarchy the reference is of follows from the target's (validation made
        // them the same).
        Ok(match target.top() {
            HeapType::Func => {
                let f = crate::cell::ref_index(cell).and_then(|i| inner.funcs.get(i as usize)).ok_or_else(internal)?;
                match HeapCode::decode(heap) {
                    HeapCode::Abstract(h) => h == HeapType::Func,
                    HeapCode::Type(t) => {
                        let expected = &inner.instances[self.instance as usize].module.types[t as usize];
                        f.ty().is_subtype_of(expected)
                    }
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
                    match target {
                        HeapType::Any | HeapType::Eq => true,
                        HeapType::Struct => ty.id.kind() == TypeKind::Struct,
                        HeapType::Array => ty.id.kind() == TypeKind::Array,
                        HeapType::Concrete(_) => {
                            let HeapCode::Type(t) = HeapCode::decode(heap) else { return Ok(false) };
                            let want = self.defined(t)?;
                            ty.is_subtype_of_id(want.id, want.depth())
                        }
                        _ => false,
                    }
                }
            },
        })
    }
}

impl Slow<GcNew> for kind::StructNew {
    fn run<T>(exec: &mut Executor<'_, T>, o: GcNew) -> Result<Flow> {
        let ty = exec.defined(o.ty)?;
        let cell = exec.allocate(&ty, ty.layout.size as usize)?;
        let fields = ty.as_struct().ok_or_else(internal)?;
        let mut slot = o.args;
        let mut values = Vec::with_capacity(fields.fields().len());
        for f in fields.fields() {
            let wide = f.storage == StorageType::Val(ValType::V128);
            values.push([exec.get::<Cell>(slot), if wide { exec.get::<Cell>(slot + 1) } else { 0 }]);
            slot += if wide { 2 } else { 1 };
        }
        let object = exec.store.inner.gc.get_mut(cell).ok_or_else(internal)?;
        for ((f, &at), v) in fields.fields().iter().zip(&ty.layout.offsets).zip(values) {
            match f.storage == StorageType::Val(ValType::V128) {
                true => write128(&mut object.data, at as usize, v)?,
                false => crate::gc::write_cell(&mut object.data, at as usize, f.storage, v[0]).ok_or_else(internal)?,
            }
        }
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<GcNewDefault> for kind::StructNewDefault {
    fn run<T>(exec: &mut Executor<'_, T>, o: GcNewDefault) -> Result<Flow> {
        let ty = exec.defined(o.ty)?;
        let cell = exec.allocate(&ty, ty.layout.size as usize)?;
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<StructGet128> for kind::StructGet128 {
    fn run<T>(exec: &mut Executor<'_, T>, o: StructGet128) -> Result<Flow> {
        let object = exec.object(o.obj)?;
        let at = *object.ty.layout.offsets.get(o.field as usize).ok_or_else(internal)? as usize;
        let [lo, hi] = read128(&object.data, at)?;
        exec.set(o.dst, lo);
        exec.set(o.dst + 1, hi);
        Ok(Flow::Continue)
    }
}

impl Slow<StructSet128> for kind::StructSet128 {
    fn run<T>(exec: &mut Executor<'_, T>, o: StructSet128) -> Result<Flow> {
        let value = [exec.get::<Cell>(o.value), exec.get::<Cell>(o.value + 1)];
        let object = exec.object_mut(o.obj)?;
        let at = *object.ty.layout.offsets.get(o.field as usize).ok_or_else(internal)? as usize;
        write128(&mut object.data, at, value)?;
        Ok(Flow::Continue)
    }
}

impl Slow<GcNew> for kind::ArrayNew {
    fn run<T>(exec: &mut Executor<'_, T>, o: GcNew) -> Result<Flow> {
        let ty = exec.defined(o.ty)?;
        let wide = ty.as_array().is_some_and(|a| a.element.storage == StorageType::Val(ValType::V128));
        let len = exec.get::<u32>(o.args + if wide { 2 } else { 1 });
        let (cell, _) = exec.new_array(o.ty, len)?;
        exec.fill_elements(cell, 0, len as usize, o.args)?;
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<GcNew> for kind::ArrayNewDefault {
    fn run<T>(exec: &mut Executor<'_, T>, o: GcNew) -> Result<Flow> {
        let len = exec.get::<u32>(o.args);
        let (cell, _) = exec.new_array(o.ty, len)?;
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayNewFixed> for kind::ArrayNewFixed {
    fn run<T>(exec: &mut Executor<'_, T>, o: ArrayNewFixed) -> Result<Flow> {
        let (cell, ty) = exec.new_array(o.ty, o.len)?;
        let element = ty.as_array().ok_or_else(internal)?.element.storage;
        let width: Slot = if element == StorageType::Val(ValType::V128) { 2 } else { 1 };
        for i in 0..o.len as usize {
            exec.fill_elements(cell, i, 1, o.args + i as Slot * width)?;
        }
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayNewData> for kind::ArrayNewData {
    fn run<T>(exec: &mut Executor<'_, T>, o: ArrayNewData) -> Result<Flow> {
        let (offset, len) = (exec.get::<u32>(o.args) as usize, exec.get::<u32>(o.args + 1));
        let ty = exec.defined(o.ty)?;
        let size = ty.layout.size as usize;
        let bytes = (len as usize).checked_mul(size).ok_or(TrapCode::MemoryOutOfBounds)?;
        let segment = exec.store.inner.instances[exec.instance as usize].data(o.data);
        in_bounds(offset, bytes, segment.len()).ok_or(TrapCode::MemoryOutOfBounds)?;
        let (cell, _) = exec.new_array(o.ty, len)?;
        let inner = &mut exec.store.inner;
        let segment = inner.instances[exec.instance as usize].data(o.data);
        let object = inner.gc.get_mut(cell).ok_or_else(internal)?;
        object.data.copy_from_slice(&segment[offset..offset + bytes]);
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayNewElem> for kind::ArrayNewElem {
    fn run<T>(exec: &mut Executor<'_, T>, o: ArrayNewElem) -> Result<Flow> {
        let (offset, len) = (exec.get::<u32>(o.args) as usize, exec.get::<u32>(o.args + 1));
        let items = &exec.store.inner.instances[exec.instance as usize].elems[o.elem as usize];
        in_bounds(offset, len as usize, items.len()).ok_or(TrapCode::TableOutOfBounds)?;
        let (cell, _) = exec.new_array(o.ty, len)?;
        let inner = &mut exec.store.inner;
        let items = &inner.instances[exec.instance as usize].elems[o.elem as usize];
        let object = inner.gc.get_mut(cell).ok_or_else(internal)?;
        for (i, item) in items[offset..offset + len as usize].iter().enumerate() {
            object.data[i * 8..i * 8 + 8].copy_from_slice(&item.to_le_bytes());
        }
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl<T> Executor<'_, T> {
    /// The array in `array` and the element index in `index`, checked: the object, the
    /// element's storage type and byte offset.
    fn element_at(&self, array: Slot, index: Slot) -> Result<(StorageType, usize)> {
        let object = self.array(array)?;
        let element = object.ty.as_array().ok_or_else(internal)?.element.storage;
        let i = self.get::<u32>(index) as usize;
        if i >= object.array_len() {
            return Err(TrapCode::ArrayOutOfBounds.into());
        }
        Ok((element, i * element.size()))
    }

    /// The array at `args` and the range of `len` elements from the index at `args + 1`.
    fn element_range(&self, array: Slot, index: usize, len: usize) -> Result<(StorageType, core::ops::Range<usize>)> {
        let object = self.array(array)?;
        let element = object.ty.as_array().ok_or_else(internal)?.element.storage;
        let range = in_bounds(index, len, object.array_len()).ok_or(TrapCode::ArrayOutOfBounds)?;
        Ok((element, range))
    }
}

impl Slow<ArrayGet128> for kind::ArrayGet128 {
    fn run<T>(exec: &mut Executor<'_, T>, o: ArrayGet128) -> Result<Flow> {
        let (_, at) = exec.element_at(o.array, o.index)?;
        let [lo, hi] = read128(&exec.array(o.array)?.data, at)?;
        exec.set(o.dst, lo);
        exec.set(o.dst + 1, hi);
        Ok(Flow::Continue)
    }
}

impl Slow<ArraySet128> for kind::ArraySet128 {
    fn run<T>(exec: &mut Executor<'_, T>, o: ArraySet128) -> Result<Flow> {
        let (_, at) = exec.element_at(o.array, o.index)?;
        let value = [exec.get::<Cell>(o.value), exec.get::<Cell>(o.value + 1)];
        write128(&mut exec.array_mut(o.array)?.data, at, value)?;
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayFill> for kind::ArrayFill {
    fn run<T>(exec: &mut Executor<'_, T>, o: ArrayFill) -> Result<Flow> {
        let cell = exec.get::<Cell>(o.args);
        let (element, _) = match cell {
            NULL_REF => return Err(TrapCode::NullArrayReference.into()),
            _ => exec.element_range(o.args, 0, 0)?,
        };
        let width: Slot = if element == StorageType::Val(ValType::V128) { 2 } else { 1 };
        let (index, len) = (exec.get::<u32>(o.args + 1) as usize, exec.get::<u32>(o.args + 2 + width) as usize);
        let (_, range) = exec.element_range(o.args, index, len)?;
        exec.fill_elements(cell, range.start, range.len(), o.args + 2)?;
        Ok(Flow::Continue)
    }
}

impl Slow<ArrayCopy> for kind::ArrayCopy {
    fn run<T>(exec: &mut Executor<'_, T>, o: ArrayCopy) -> Result<Flow> {
        let a = o.args;
        let (dst_i, src_i, len) = (exec.get::<u32>(a + 1) as usize, exec.get::<u32>(a + 3) as usize, exec.get::<u32>(a + 4) as usize);
        let (element, to) = exec.element_range(a, dst_i, len)?;
        let (_, from) = exec.element_range(a + 2, src_i, len)?;
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
    fn run<T>(exec: &mut Executor<'_, T>, o: ArrayInitData) -> Result<Flow> {
        let a = o.args;
        let (index, offset, len) = (exec.get::<u32>(a + 1) as usize, exec.get::<u32>(a + 2) as usize, exec.get::<u32>(a + 3) as usize);
        let (element, range) = exec.element_range(a, index, len)?;
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
    fn run<T>(exec: &mut Executor<'_, T>, o: ArrayInitElem) -> Result<Flow> {
        let a = o.args;
        let (index, offset, len) = (exec.get::<u32>(a + 1) as usize, exec.get::<u32>(a + 2) as usize, exec.get::<u32>(a + 3) as usize);
        let (_, range) = exec.element_range(a, index, len)?;
        let cell = exec.get::<Cell>(a);
        let inner = &mut exec.store.inner;
        let items = &inner.instances[exec.instance as usize].elems[o.elem as usize];
        let from = in_bounds(offset, len, items.len()).ok_or(TrapCode::TableOutOfBounds)?;
        let object = inner.gc.get_mut(cell).ok_or_else(internal)?;
        for (i, item) in range.zip(&items[from]) {
            object.data[i * 8..i * 8 + 8].copy_from_slice(&item.to_le_bytes());
        }
        Ok(Flow::Continue)
    }
}

impl Slow<RefTest> for kind::RefTest {
    fn run<T>(exec: &mut Executor<'_, T>, o: RefTest) -> Result<Flow> {
        let cell = exec.get::<Cell>(o.src);
        let pass = exec.has_heap_type(cell, o.heap, o.nullable & TEST_NULLABLE != 0)?;
        exec.set(o.dst, u32::from(pass != (o.nullable & TEST_NEGATE != 0)));
        Ok(Flow::Continue)
    }
}

impl Slow<RefTest> for kind::RefCast {
    fn run<T>(exec: &mut Executor<'_, T>, o: RefTest) -> Result<Flow> {
        let cell = exec.get::<Cell>(o.src);
        if !exec.has_heap_type(cell, o.heap, o.nullable & TEST_NULLABLE != 0)? {
            return Err(TrapCode::CastFailure.into());
        }
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}
