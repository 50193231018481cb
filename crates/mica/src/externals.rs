//! Handles to memories, tables and globals, and what the embedder can do with them.

use crate::error::{Error, Result};
use crate::store::{
    AsContext, AsContextMut, GlobalEntity, MemoryEntity, StoreContext, StoreContextMut, StoreId,
    StoreInner, TableEntity,
};
use crate::types::{GlobalType, MemoryType, Mutability, TableType};
use crate::value::Val;

/// A linear memory.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Memory {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Memory {
    /// A new memory of `ty.limits.min` zeroed pages. Fails if the store holds as many
    /// memories as the engine allows (`Config::max_memories`), if the minimum is past the
    /// engine's memory limit (`Config::max_memory_bytes`) or the type's maximum, or if the
    /// memory cannot be allocated.
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory> {
        let inner = &mut store.as_context_mut().0.inner;
        inner.check_room(0, 0, 1).map_err(Error::usage)?;
        let index = inner.new_memory(ty).map_err(Error::usage)?;
        Ok(Memory { store: inner.id, index })
    }

    fn entity<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> Result<&'a MemoryEntity> {
        let inner = &store.into().0.inner;
        inner.check_owner(self.store)?;
        Ok(&inner.memories[self.index as usize])
    }

    fn entity_mut<'a>(&self, store: &'a mut StoreInner) -> Result<&'a mut MemoryEntity> {
        store.check_owner(self.store)?;
        Ok(&mut store.memories[self.index as usize])
    }

    /// The memory's type. Fails for a handle of another store.
    pub fn ty(&self, store: impl AsContext) -> Result<MemoryType> {
        Ok(self.entity(store.as_context())?.ty)
    }

    /// The memory's contents. Fails for a handle of another store.
    pub fn data<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> Result<&'a [u8]> {
        Ok(self.entity(store)?.data.as_slice())
    }

    /// The memory's contents, writable. `store` may be a `&mut Store` or a `&mut Caller`.
    /// Fails for a handle of another store.
    pub fn data_mut<'a, T: 'a>(
        &self,
        store: impl Into<StoreContextMut<'a, T>>,
    ) -> Result<&'a mut [u8]> {
        Ok(self.entity_mut(&mut store.into().0.inner)?.data.as_mut_slice())
    }

    /// The memory's contents and the store's host data, borrowed together: what a host function
    /// needs to move bytes between guest memory and its own state without copying them.
    /// Fails for a handle of another store.
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        store: impl Into<StoreContextMut<'a, T>>,
    ) -> Result<(&'a mut [u8], &'a mut T)> {
        let (inner, data) = store.into().0.inner_and_data_mut();
        Ok((self.entity_mut(inner)?.data.as_mut_slice(), data))
    }

    /// The size in pages of the memory's page size (64 KiB, or one byte: see
    /// [`MemoryType::page_size`]). Fails for a handle of another store.
    pub fn size(&self, store: impl AsContext) -> Result<u64> {
        Ok(self.entity(store.as_context())?.pages())
    }

    /// Copies `buffer.len()` bytes at `offset` into `buffer`. Fails for a handle of another
    /// store, or if the bytes are not all in the memory. Offsets are `usize` for every kind of
    /// memory: a 64-bit memory's bytes live in this host's address space, so an address past
    /// `usize::MAX` is out of bounds anyway (as on wasmtime).
    pub fn read(&self, store: impl AsContext, offset: usize, buffer: &mut [u8]) -> Result<()> {
        let data = self.data(store.as_context())?;
        let src = offset
            .checked_add(buffer.len())
            .and_then(|end| data.get(offset..end))
            .ok_or_else(|| Error::usage("memory read out of bounds"))?;
        buffer.copy_from_slice(src);
        Ok(())
    }

    /// Copies `bytes` into the memory at `offset`. Fails for a handle of another store.
    pub fn write(&self, mut store: impl AsContextMut, offset: usize, bytes: &[u8]) -> Result<()> {
        let data = self.entity_mut(&mut store.as_context_mut().0.inner)?.data.as_mut_slice();
        let dst = offset
            .checked_add(bytes.len())
            .and_then(|end| data.get_mut(offset..end))
            .ok_or_else(|| Error::usage("memory write out of bounds"))?;
        dst.copy_from_slice(bytes);
        Ok(())
    }

    /// Grows by `delta` pages; returns the previous size in pages. Fails, leaving the memory
    /// as it was, if that would pass the memory's maximum or the engine's memory limit
    /// (`Config::max_memory_bytes`, per memory and for the store's memories together), or
    /// the system cannot supply the pages; and for a handle of another store.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64> {
        let inner = &mut store.as_context_mut().0.inner;
        inner.check_owner(self.store)?;
        inner.grow_memory(self.index, delta).ok_or_else(|| Error::usage("memory cannot grow by that much"))
    }
}

/// A table of references.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Table {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Table {
    /// A new table of `ty.limits.min` elements, each `init`. Fails if the store holds as
    /// many tables as the engine allows (`Config::max_tables`), if the minimum is past the
    /// engine's element limit (`Config::max_table_elements`) or the type's maximum, or if the
    /// table cannot be allocated.
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table> {
        let inner = &mut store.as_context_mut().0.inner;
        if !init.belongs_to(inner.id) || !init.has_type(inner, ty.element.val_type()) {
            return Err(Error::usage("table initial value of the wrong type"));
        }
        inner.check_room(0, 1, 0).map_err(Error::usage)?;
        let limit = inner.engine.config().max_table_elements;
        let table = TableEntity::new(ty, init.to_cell(inner)?, limit).map_err(Error::usage)?;
        inner.tables.push(table);
        Ok(Table { store: inner.id, index: (inner.tables.len() - 1) as u32 })
    }

    fn entity<'a, T: 'a>(
        &self,
        store: impl Into<StoreContext<'a, T>>,
    ) -> Result<(&'a TableEntity, StoreId)> {
        let inner = &store.into().0.inner;
        inner.check_owner(self.store)?;
        Ok((&inner.tables[self.index as usize], inner.id))
    }

    /// The table's type. Fails for a handle of another store.
    pub fn ty(&self, store: impl AsContext) -> Result<TableType> {
        Ok(self.entity(store.as_context())?.0.ty)
    }

    /// The number of elements. Fails for a handle of another store.
    pub fn size(&self, store: impl AsContext) -> Result<u64> {
        Ok(self.entity(store.as_context())?.0.elems.len() as u64)
    }

    /// The element at `index`, or `Ok(None)` past the end. Fails for a handle of another store.
    pub fn get(&self, store: impl AsContext, index: u64) -> Result<Option<Val>> {
        let store = store.as_context();
        let (table, _) = self.entity(store.0)?;
        let cell = usize::try_from(index).ok().and_then(|i| table.elems.get(i));
        Ok(cell.map(|cell| Val::from_cell(*cell, table.ty.element.val_type(), &store.0.inner)))
    }

    /// Sets the element at `index` to `value`. Fails for a handle of another store.
    pub fn set(&self, mut store: impl AsContextMut, index: u64, value: Val) -> Result<()> {
        let inner = &mut store.as_context_mut().0.inner;
        inner.check_owner(self.store)?;
        let element = inner.tables[self.index as usize].ty.element.val_type();
        if !value.belongs_to(inner.id) || !value.has_type(inner, element) {
            return Err(Error::usage("table element of the wrong type"));
        }
        let cell = value.to_cell(inner)?;
        let table = &mut inner.tables[self.index as usize];
        let slot = usize::try_from(index)
            .ok()
            .and_then(|i| table.elems.get_mut(i))
            .ok_or_else(|| Error::usage("table index out of bounds"))?;
        *slot = cell;
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the previous size. Fails, leaving the
    /// table as it was, if that would pass the table's maximum or the engine's element limit
    /// (`Config::max_table_elements`), or the elements cannot be allocated; and for a handle
    /// of another store.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64, init: Val) -> Result<u64> {
        let inner = &mut store.as_context_mut().0.inner;
        inner.check_owner(self.store)?;
        let element = inner.tables[self.index as usize].ty.element.val_type();
        if !init.belongs_to(inner.id) || !init.has_type(inner, element) {
            return Err(Error::usage("table element of the wrong type"));
        }
        let cell = init.to_cell(inner)?;
        let table = &mut inner.tables[self.index as usize];
        table.grow(delta, cell).ok_or_else(|| Error::usage("table cannot grow by that much"))
    }
}

/// A global variable.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Global {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Global {
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, value: Val) -> Result<Global> {
        let inner = &mut store.as_context_mut().0.inner;
        if !value.belongs_to(inner.id) || !value.has_type(inner, ty.content) {
            return Err(Error::usage("global value of the wrong type"));
        }
        let mut cells = [0; 2];
        value.write_cells(&mut cells, inner)?;
        inner.globals.push(GlobalEntity { ty, value: cells[0], high: cells[1] });
        Ok(Global { store: inner.id, index: (inner.globals.len() - 1) as u32 })
    }

    fn entity<'a, T: 'a>(&self, store: impl Into<StoreContext<'a, T>>) -> Result<&'a GlobalEntity> {
        let inner = &store.into().0.inner;
        inner.check_owner(self.store)?;
        Ok(&inner.globals[self.index as usize])
    }

    /// The global's type. Fails for a handle of another store.
    pub fn ty(&self, store: impl AsContext) -> Result<GlobalType> {
        Ok(self.entity(store.as_context())?.ty)
    }

    /// The global's current value. Fails for a handle of another store.
    pub fn get(&self, store: impl AsContext) -> Result<Val> {
        let store = store.as_context();
        let global = self.entity(store.0)?;
        Ok(Val::read_cells(&[global.value, global.high], global.ty.content, &store.0.inner))
    }

    /// Sets the global's value; fails if it is immutable, if `value` has the wrong type, or for a
    /// handle of another store.
    pub fn set(&self, mut store: impl AsContextMut, value: Val) -> Result<()> {
        let inner = &mut store.as_context_mut().0.inner;
        inner.check_owner(self.store)?;
        let ty = inner.globals[self.index as usize].ty;
        if ty.mutability != Mutability::Var {
            return Err(Error::usage("global is immutable"));
        }
        if !value.belongs_to(inner.id) || !value.has_type(inner, ty.content) {
            return Err(Error::usage("global value of the wrong type"));
        }
        let mut cells = [0; 2];
        value.write_cells(&mut cells, inner)?;
        let global = &mut inner.globals[self.index as usize];
        (global.value, global.high) = (cells[0], cells[1]);
        Ok(())
    }
}
