//! The GC heap: the structs and arrays a store's code allocates, and the mark-and-sweep
//! collector that reclaims those nothing reaches. Safe code: objects are slots of an arena
//! addressed by index, so a wrong index is at worst a missing object (an error), never memory
//! of something else.
//!
//! **References as cells.** A reference of the `any` or `extern` hierarchy is one cell, the
//! same in both (so `any.convert_extern` and `extern.convert_any` are no-ops):
//!
//! | cell                    | reference                                   |
//! |-------------------------|---------------------------------------------|
//! | `0`                     | null                                        |
//! | `v << 1 \| 1`           | `i31` `v` (never allocated)                 |
//! | `(i + 1) << 2`          | object `i` of the heap                      |
//! | `(i + 1) << 2 \| 2`     | host object `i` (`ExternRef::new`)          |
//!
//! **Objects.** An object is its type (the engine's [`DefinedType`], shared) and its bytes: a
//! struct's fields at the offsets of its type's layout, an array's elements one after the
//! other, each little-endian in its storage size (`i8` one byte, `v128` sixteen). A field
//! that holds a reference holds its cell.
//!
//! **Collection** happens only when an allocation asks for it (the heap grew past its next
//! threshold, the limit would be passed, or stress mode), in the executor's slow path or a
//! host call, where every live reference is in a place the collector scans: the frame slots
//! the stack maps name (`exec::stack_roots`), globals, tables, element segments, exceptions,
//! and the host's roots (`roots.rs`). See ARCHITECTURE.md, "The GC heap".

mod refs;
mod roots;

pub use refs::{AnyRef, ArrayRef, EqRef, I31, OwnedRef, StructRef};
pub(crate) use roots::{RefRepr, Roots};

use crate::cell::Cell;
use crate::error::TrapCode;
use crate::module::const_expr::ConstGc;
use crate::types::{DefinedType, StorageType};
use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Bytes an object costs besides its data: its slot and the allocator's bookkeeping.
const OBJECT_OVERHEAD: usize = 48;
/// The heap size below which no collection happens (unless stress mode asks).
const MIN_THRESHOLD: usize = 1 << 20;

/// What a reference cell of the `any`/`extern` hierarchies is.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(crate) enum AnyCell {
    Null,
    I31(u32),
    Object(u32),
    Host(u32),
}

impl AnyCell {
    /// What `cell` is. Total: a cell that no reference has (a corrupted one, say) decodes to
    /// an index no heap has (`u32::MAX`), never a panic.
    #[inline]
    pub(crate) fn decode(cell: Cell) -> AnyCell {
        let index = || u32::try_from((cell >> 2).wrapping_sub(1)).unwrap_or(u32::MAX);
        if cell == 0 {
            AnyCell::Null
        } else if cell & 1 == 1 {
            AnyCell::I31((cell >> 1) as u32 & 0x7fff_ffff)
        } else if cell & 2 == 0 {
            AnyCell::Object(index())
        } else {
            AnyCell::Host(index())
        }
    }

    #[inline]
    pub(crate) fn encode(self) -> Cell {
        match self {
            AnyCell::Null => 0,
            AnyCell::I31(v) => (u64::from(v & 0x7fff_ffff) << 1) | 1,
            AnyCell::Object(i) => (u64::from(i) + 1) << 2,
            AnyCell::Host(i) => ((u64::from(i) + 1) << 2) | 2,
        }
    }
}

/// A struct or array.
pub(crate) struct Object {
    pub ty: Arc<DefinedType>,
    pub data: Box<[u8]>,
}

impl Object {
    /// An array's length (its bytes over its element size).
    pub(crate) fn array_len(&self) -> usize {
        self.data.len() / (self.ty.layout.size.max(1) as usize)
    }

    /// The reference cells this object holds, by its type's layout.
    fn for_each_ref(&self, mut f: impl FnMut(Cell)) {
        let read = |at: usize| self.data.get(at..at + 8).map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or_default()));
        match self.ty.as_array() {
            Some(_) if !self.ty.layout.refs.is_empty() => {
                for at in (0..self.data.len()).step_by(8) {
                    f(read(at));
                }
            }
            Some(_) => {}
            None => {
                for &at in &self.ty.layout.refs {
                    f(read(at as usize));
                }
            }
        }
    }
}

impl Object {
    /// Writes the low bytes of `value` that a field of type `s` keeps at `at` (a `v128`
    /// whole, anything else its cell's low bytes). `None` outside the object.
    pub(crate) fn write_value(&mut self, at: usize, s: StorageType, value: u128) -> Option<()> {
        let n = s.size();
        self.data.get_mut(at..at + n)?.copy_from_slice(&value.to_le_bytes()[..n]);
        Some(())
    }

    /// The field of type `s` at `at`, zero-extended. `None` outside the object.
    pub(crate) fn read_value(&self, at: usize, s: StorageType) -> Option<u128> {
        let mut bytes = [0u8; 16];
        bytes[..s.size()].copy_from_slice(self.data.get(at..at + s.size())?);
        Some(u128::from_le_bytes(bytes))
    }
}

/// Makes the object a constant expression's allocation `op` asks for, of type `ty`, taking
/// its operands from the top of `stack` (no collection: what a constant expression makes
/// is reachable only from its stack until it is stored).
pub(crate) fn alloc_const(
    heap: &mut Heap,
    ty: &Arc<DefinedType>,
    op: ConstGc,
    stack: &mut Vec<u128>,
    limit: usize,
) -> Result<Cell, TrapCode> {
    let size = ty.layout.size as usize;
    let mut pop = |n: usize| stack.split_off(stack.len().saturating_sub(n));
    match op {
        ConstGc::StructNew(_) | ConstGc::StructNewDefault(_) => {
            let fields = ty.as_struct().map_or(0, |s| s.fields().len());
            let values = if matches!(op, ConstGc::StructNew(_)) { pop(fields) } else { Vec::new() };
            let cell = heap.alloc(ty, size, limit)?;
            if let (Some(object), Some(s)) = (heap.get_mut(cell), ty.as_struct()) {
                for ((f, &at), v) in s.fields().iter().zip(&ty.layout.offsets).zip(values) {
                    object.write_value(at as usize, f.storage, v);
                }
            }
            Ok(cell)
        }
        ConstGc::ArrayNew(_) | ConstGc::ArrayNewDefault(_) | ConstGc::ArrayNewFixed(..) => {
            let (values, fill, len) = match op {
                ConstGc::ArrayNew(_) => {
                    let len = pop(1).first().copied().unwrap_or_default() as u32;
                    (Vec::new(), pop(1).first().copied().unwrap_or_default(), len)
                }
                ConstGc::ArrayNewDefault(_) => (Vec::new(), 0, pop(1).first().copied().unwrap_or_default() as u32),
                ConstGc::ArrayNewFixed(_, n) => (pop(n as usize), 0, n),
                _ => (Vec::new(), 0, 0),
            };
            let bytes = (len as usize).checked_mul(size).ok_or(TrapCode::OutOfMemory)?;
            let cell = heap.alloc(ty, bytes, limit)?;
            if let (Some(object), Some(a)) = (heap.get_mut(cell), ty.as_array()) {
                for i in 0..len as usize {
                    object.write_value(i * size, a.element.storage, values.get(i).copied().unwrap_or(fill));
                }
            }
            Ok(cell)
        }
    }
}

/// How a packed field is read: sign-extended (`StructGet::ext`, `ArrayGet::ext`); any other
/// value reads it as stored (zero-extended).
pub(crate) const EXT_SIGNED: u8 = 1;

/// The value of storage type `s` at `at` of `data` as a cell (a packed one extended as `ext`
/// says; a `v128` is not read here). `None` outside the data.
#[inline]
pub(crate) fn read_cell(data: &[u8], at: usize, s: StorageType, ext: u8) -> Option<Cell> {
    Some(match s {
        StorageType::I8 => {
            let b = *data.get(at)?;
            if ext == EXT_SIGNED { b as i8 as i32 as u32 as Cell } else { Cell::from(b) }
        }
        StorageType::I16 => {
            let h = u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?);
            if ext == EXT_SIGNED { h as i16 as i32 as u32 as Cell } else { Cell::from(h) }
        }
        StorageType::Val(crate::types::ValType::I32 | crate::types::ValType::F32) => {
            Cell::from(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
        }
        _ => u64::from_le_bytes(data.get(at..at + 8)?.try_into().ok()?),
    })
}

/// A store's GC heap.
#[derive(Default)]
pub(crate) struct Heap {
    objects: Vec<Option<Object>>,
    free: Vec<u32>,
    /// The bytes the heap's objects take (data and overhead).
    bytes: usize,
    /// The most `bytes` has been.
    peak: usize,
    /// `bytes` past which the next allocation collects first.
    threshold: usize,
    marks: Vec<bool>,
    work: Vec<u32>,
    collections: u64,
    allocations: u64,
}

/// Statistics of a store's GC heap ([`crate::Store::gc_stats`]).
#[derive(Debug, Copy, Clone, Default, PartialEq, Eq)]
pub struct GcStats {
    /// Bytes the live (and not yet collected) objects take, their bookkeeping included.
    pub bytes: usize,
    /// The most `bytes` has been.
    pub peak_bytes: usize,
    /// Objects in the heap now.
    pub objects: usize,
    /// Objects allocated so far.
    pub allocations: u64,
    /// Collections so far.
    pub collections: u64,
}

impl Heap {
    /// The object `cell` refers to, if it is an object reference of this heap.
    #[inline]
    pub(crate) fn get(&self, cell: Cell) -> Option<&Object> {
        match AnyCell::decode(cell) {
            AnyCell::Object(i) => self.objects.get(i as usize)?.as_ref(),
            _ => None,
        }
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, cell: Cell) -> Option<&mut Object> {
        match AnyCell::decode(cell) {
            AnyCell::Object(i) => self.objects.get_mut(i as usize)?.as_mut(),
            _ => None,
        }
    }

    /// Two distinct objects, for a copy between arrays (`None` if either is missing or they
    /// are the same object).
    pub(crate) fn get_two_mut(&mut self, a: Cell, b: Cell) -> Option<(&mut Object, &mut Object)> {
        let (AnyCell::Object(i), AnyCell::Object(j)) = (AnyCell::decode(a), AnyCell::decode(b)) else {
            return None;
        };
        let (i, j) = (i as usize, j as usize);
        if i == j || i >= self.objects.len() || j >= self.objects.len() {
            return None;
        }
        let (lo, hi) = self.objects.split_at_mut(i.max(j));
        let (x, y) = (lo[i.min(j)].as_mut()?, hi[0].as_mut()?);
        Some(if i < j { (x, y) } else { (y, x) })
    }

    /// `struct.get*`: field `field` of the struct `cell` refers to. A null reference traps;
    /// so does one that is not a struct with that field (impossible in validated code: a
    /// type confusion caught, reported as a failed cast).
    #[inline]
    pub(crate) fn struct_get(&self, cell: Cell, field: u16, ext: u8) -> Result<Cell, TrapCode> {
        if cell == 0 {
            return Err(TrapCode::NullStructReference);
        }
        let object = self.get(cell).ok_or(TrapCode::CastFailure)?;
        let (at, storage) = object.ty.field(field).ok_or(TrapCode::CastFailure)?;
        read_cell(&object.data, at, storage, ext).ok_or(TrapCode::CastFailure)
    }

    /// `struct.set`.
    #[inline]
    pub(crate) fn struct_set(&mut self, cell: Cell, field: u16, value: Cell) -> Result<(), TrapCode> {
        if cell == 0 {
            return Err(TrapCode::NullStructReference);
        }
        let object = self.get_mut(cell).ok_or(TrapCode::CastFailure)?;
        let (at, storage) = object.ty.field(field).ok_or(TrapCode::CastFailure)?;
        object.write_value(at, storage, value.into()).ok_or(TrapCode::CastFailure)
    }

    /// The array `cell` refers to and its element type: traps if null (or not an array).
    #[inline]
    fn array(&self, cell: Cell) -> Result<(&Object, StorageType), TrapCode> {
        if cell == 0 {
            return Err(TrapCode::NullArrayReference);
        }
        let object = self.get(cell).ok_or(TrapCode::CastFailure)?;
        let element = object.ty.as_array().ok_or(TrapCode::CastFailure)?.element.storage;
        Ok((object, element))
    }

    /// `array.get*`: element `index` (not of a `v128` array).
    #[inline]
    pub(crate) fn array_get(&self, cell: Cell, index: u32, ext: u8) -> Result<Cell, TrapCode> {
        let (object, element) = self.array(cell)?;
        let at = (index as usize).checked_mul(element.size()).ok_or(TrapCode::ArrayOutOfBounds)?;
        read_cell(&object.data, at, element, ext).ok_or(TrapCode::ArrayOutOfBounds)
    }

    /// `array.set` (not of a `v128` array).
    #[inline]
    pub(crate) fn array_set(&mut self, cell: Cell, index: u32, value: Cell) -> Result<(), TrapCode> {
        let (_, element) = self.array(cell)?;
        let at = (index as usize).checked_mul(element.size()).ok_or(TrapCode::ArrayOutOfBounds)?;
        let object = self.get_mut(cell).ok_or(TrapCode::CastFailure)?;
        object.write_value(at, element, value.into()).ok_or(TrapCode::ArrayOutOfBounds)
    }

    /// `array.len`.
    #[inline]
    pub(crate) fn array_len(&self, cell: Cell) -> Result<u32, TrapCode> {
        Ok(self.array(cell)?.0.array_len() as u32)
    }

    /// Whether allocating `size` more bytes should collect first.
    #[inline]
    pub(crate) fn wants_collection(&self, size: usize, stress: bool) -> bool {
        stress || self.bytes.saturating_add(size) > self.threshold.max(MIN_THRESHOLD)
    }

    /// What an object of `data_len` bytes costs the heap.
    pub(crate) fn cost(data_len: usize) -> usize {
        data_len.saturating_add(OBJECT_OVERHEAD)
    }

    /// Allocates an object of type `ty` with `len` bytes of zeros, within `limit` bytes of
    /// heap; its reference cell. Past the limit, or when the system has no memory for it,
    /// an out-of-memory trap (never an abort).
    pub(crate) fn alloc(&mut self, ty: &Arc<DefinedType>, len: usize, limit: usize) -> Result<Cell, TrapCode> {
        let cost = Self::cost(len);
        let bytes = self.bytes.checked_add(cost).filter(|&b| b <= limit).ok_or(TrapCode::OutOfMemory)?;
        let mut data = Vec::new();
        data.try_reserve_exact(len).map_err(|_| TrapCode::OutOfMemory)?;
        data.resize(len, 0);
        let object = Object { ty: ty.clone(), data: data.into_boxed_slice() };
        let index = match self.free.pop() {
            Some(i) => {
                self.objects[i as usize] = Some(object);
                i
            }
            None => {
                let i = u32::try_from(self.objects.len()).ok().filter(|&i| i < u32::MAX >> 3).ok_or(TrapCode::OutOfMemory)?;
                self.objects.try_reserve(1).map_err(|_| TrapCode::OutOfMemory)?;
                self.objects.push(Some(object));
                i
            }
        };
        self.bytes = bytes;
        self.peak = self.peak.max(bytes);
        self.allocations += 1;
        Ok(AnyCell::Object(index).encode())
    }

    /// Marks everything reachable from `roots` and frees the rest. Cells that are not object
    /// references of this heap (`i31`s, host objects, nulls) are ignored.
    pub(crate) fn collect(&mut self, roots: impl IntoIterator<Item = Cell>) {
        self.marks.clear();
        self.marks.resize(self.objects.len(), false);
        let mut work = core::mem::take(&mut self.work);
        work.clear();
        let mark = |cell: Cell, marks: &mut Vec<bool>, work: &mut Vec<u32>| {
            if let AnyCell::Object(i) = AnyCell::decode(cell)
                && let Some(false) = marks.get(i as usize).copied()
                && self.objects[i as usize].is_some()
            {
                marks[i as usize] = true;
                work.push(i);
            }
        };
        for cell in roots {
            mark(cell, &mut self.marks, &mut work);
        }
        while let Some(i) = work.pop() {
            if let Some(object) = &self.objects[i as usize] {
                object.for_each_ref(|cell| mark(cell, &mut self.marks, &mut work));
            }
        }
        for (i, slot) in self.objects.iter_mut().enumerate() {
            if !self.marks[i]
                && let Some(object) = slot.take()
            {
                self.bytes -= Self::cost(object.data.len());
                self.free.push(i as u32);
            }
        }
        // The arena's tail of free slots goes back too, so that the heap's own size follows
        // its objects.
        while let Some(None) = self.objects.last() {
            self.objects.pop();
        }
        let len = self.objects.len() as u32;
        self.free.retain(|&i| i < len);
        self.threshold = self.bytes.saturating_mul(2);
        self.collections += 1;
        self.work = work;
    }

    pub(crate) fn stats(&self) -> GcStats {
        GcStats {
            bytes: self.bytes,
            peak_bytes: self.peak,
            objects: self.objects.len() - self.free.len(),
            allocations: self.allocations,
            collections: self.collections,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip() {
        for c in [AnyCell::Null, AnyCell::I31(0), AnyCell::I31(0x7fff_ffff), AnyCell::Object(0), AnyCell::Object(7), AnyCell::Host(0), AnyCell::Host(9)] {
            assert_eq!(AnyCell::decode(c.encode()), c);
        }
    }
}
