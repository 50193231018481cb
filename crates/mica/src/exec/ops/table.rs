//! Tables (32- and 64-bit: operands are read by the table's index type): the slow paths of `table.get`, `table.set`, `table.size`, `table.grow`,
//! `table.fill`, `table.copy`, `table.init` and `elem.drop`, run by the executor on the store.

use super::prelude::*;

impl Slow<TableGet> for kind::TableGet {
    fn run(exec: &mut Executor<'_>, o: TableGet) -> Result<Flow> {
        let t = exec.table_index(o.table);
        let i = exec.table_operand(o.index, t);
        let cell = *exec.store.inner.tables[t].elems.get(i).ok_or(TrapCode::TableOutOfBounds)?;
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}

impl Slow<TableSet> for kind::TableSet {
    fn run(exec: &mut Executor<'_>, o: TableSet) -> Result<Flow> {
        let t = exec.table_index(o.table);
        let (i, value) = (exec.table_operand(o.index, t), exec.get::<Cell>(o.value));
        *exec.store.inner.tables[t].elems.get_mut(i).ok_or(TrapCode::TableOutOfBounds)? = value;
        Ok(Flow::Continue)
    }
}

impl Slow<TableSize> for kind::TableSize {
    fn run(exec: &mut Executor<'_>, o: TableSize) -> Result<Flow> {
        // (A table has at most `u32::MAX` elements: the cell of either index type is the same.)
        let len = exec.store.inner.tables[exec.table_index(o.table)].elems.len() as u64;
        exec.set(o.dst, len);
        Ok(Flow::Continue)
    }
}

impl Slow<TableGrow> for kind::TableGrow {
    fn run(exec: &mut Executor<'_>, o: TableGrow) -> Result<Flow> {
        let t = exec.table_index(o.table);
        let is_64 = exec.store.inner.tables[t].ty.is_64;
        let (init, delta) = (exec.get::<Cell>(o.args), exec.operand64(o.args + 1, is_64));
        // Elements that can be added are charged; a request past the maximum fails for free.
        let table = &exec.store.inner.tables[t];
        let room = table.max_elems.saturating_sub(table.elems.len() as u64);
        let elements = if delta <= room { delta } else { 0 };
        exec.charge(|costs| costs.table_grow(elements))?;
        let result = exec.store.inner.tables[t].grow(delta, init);
        // -1 of the table's index type; the old size fits it.
        match (result, is_64) {
            (Some(old), _) => exec.set(o.dst, old),
            (None, true) => exec.set(o.dst, u64::MAX),
            (None, false) => exec.set(o.dst, u32::MAX),
        }
        Ok(Flow::Continue)
    }
}

impl Slow<TableFill> for kind::TableFill {
    fn run(exec: &mut Executor<'_>, o: TableFill) -> Result<Flow> {
        let t = exec.table_index(o.table);
        let (dst, value, len) =
            (exec.table_operand(o.args, t), exec.get::<Cell>(o.args + 1), exec.table_operand(o.args + 2, t));
        in_bounds(dst, len, exec.store.inner.tables[t].elems.len()).ok_or(TrapCode::TableOutOfBounds)?;
        exec.charge(|costs| costs.elements(len as u64))?;
        let elems = &mut exec.store.inner.tables[t].elems;
        let range = in_bounds(dst, len, elems.len()).ok_or(TrapCode::TableOutOfBounds)?;
        elems[range].fill(value);
        Ok(Flow::Continue)
    }
}

impl Slow<TableCopy> for kind::TableCopy {
    fn run(exec: &mut Executor<'_>, o: TableCopy) -> Result<Flow> {
        let (dt, st) = (exec.table_index(o.dst_table.into()), exec.table_index(o.src_table.into()));
        let tables = &exec.store.inner.tables;
        let (dst_64, src_64) = (tables[dt].ty.is_64, tables[st].ty.is_64);
        // The length has the narrower of the two index types.
        let at = |exec: &Executor<'_>, slot, is_64| usize::try_from(exec.operand64(slot, is_64)).unwrap_or(usize::MAX);
        let (dst, src, len) = (at(exec, o.args, dst_64), at(exec, o.args + 1, src_64), at(exec, o.args + 2, dst_64 && src_64));
        let tables = &exec.store.inner.tables;
        let from = in_bounds(src, len, tables[st].elems.len()).ok_or(TrapCode::TableOutOfBounds)?;
        let to = in_bounds(dst, len, tables[dt].elems.len()).ok_or(TrapCode::TableOutOfBounds)?;
        exec.charge(|costs| costs.elements(len as u64))?;
        let tables = &mut exec.store.inner.tables;
        if dt == st {
            tables[dt].elems.copy_within(from, dst);
        } else {
            let (source, target) = if st < dt {
                let (lo, hi) = tables.split_at_mut(dt);
                (&lo[st], &mut hi[0])
            } else {
                let (lo, hi) = tables.split_at_mut(st);
                (&hi[0], &mut lo[dt])
            };
            target.elems[to].copy_from_slice(&source.elems[from]);
        }
        Ok(Flow::Continue)
    }
}

impl Slow<TableInit> for kind::TableInit {
    fn run(exec: &mut Executor<'_>, o: TableInit) -> Result<Flow> {
        let t = exec.table_index(o.table.into());
        // The destination has the table's index type; the segment's offset and length are `i32`.
        let (dst, src, len) =
            (exec.table_operand(o.args, t), exec.get::<u32>(o.args + 1) as usize, exec.get::<u32>(o.args + 2) as usize);
        let items = exec.store.inner.instances[exec.instance as usize].elems[o.elem as usize].len();
        in_bounds(src, len, items).ok_or(TrapCode::TableOutOfBounds)?;
        in_bounds(dst, len, exec.store.inner.tables[t].elems.len()).ok_or(TrapCode::TableOutOfBounds)?;
        exec.charge(|costs| costs.elements(len as u64))?;
        let inner = &mut exec.store.inner;
        let items = &inner.instances[exec.instance as usize].elems[o.elem as usize];
        let elems = &mut inner.tables[t].elems;
        let from = in_bounds(src, len, items.len()).ok_or(TrapCode::TableOutOfBounds)?;
        let to = in_bounds(dst, len, elems.len()).ok_or(TrapCode::TableOutOfBounds)?;
        elems[to].copy_from_slice(&items[from]);
        Ok(Flow::Continue)
    }
}

impl Slow<ElemDrop> for kind::ElemDrop {
    fn run(exec: &mut Executor<'_>, o: ElemDrop) -> Result<Flow> {
        let instance = &mut exec.store.inner.instances[exec.instance as usize];
        instance.elems[o.elem as usize] = alloc::boxed::Box::new([]);
        Ok(Flow::Continue)
    }
}

impl Executor<'_> {
    /// The store index of the running instance's table `table`.
    pub(in crate::exec) fn table_index(&self, table: u32) -> usize {
        self.store.inner.instances[self.instance as usize].tables[table as usize] as usize
    }

    /// An index or length operand of store table `t`, by its index type; one past any
    /// table's bounds if it does not fit a `usize`.
    fn table_operand(&self, slot: Slot, t: usize) -> usize {
        let is_64 = self.store.inner.tables[t].ty.is_64;
        usize::try_from(self.operand64(slot, is_64)).unwrap_or(usize::MAX)
    }
}
