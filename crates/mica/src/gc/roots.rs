//! The host's roots: how a GC reference the host holds keeps its object alive.
//!
//! Two kinds, as wasmtime has them:
//!
//! - **Scoped** ([`crate::AnyRef`], [`crate::ExternRef`] holding an object): every object
//!   reference handed to the host (arguments of a host function, results of a call, values
//!   read from globals, tables, fields) is pushed on the store's LIFO root list, and the
//!   reference names its entry. The entries made during a host function call are released
//!   when it returns; those made outside any (by the embedder's own calls) when the
//!   embedder's [`crate::Store::root_scope`] ends, or with the store. A reference used after
//!   its entry was released is an error ("used after its root scope ended"), never another
//!   object: each entry has a serial number the reference must match.
//! - **Owned** ([`crate::OwnedRef`]): a reference-counted root that keeps its object alive
//!   while any clone of it exists, and makes it collectable when the last is dropped.
//!
//! References that need no root (`i31`s, host objects) are held as their cells.

use crate::cell::Cell;
use crate::error::{Error, Result};
use crate::gc::AnyCell;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;

/// How a reference the host holds names its value.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub(crate) enum RefRepr {
    /// A reference that needs no root: an `i31`, a host object.
    Cell(Cell),
    /// An object, through entry `index` of the store's scoped roots, valid while that entry
    /// has `serial`.
    Rooted { index: u32, serial: u64 },
}

/// An owned root's object: the cell never changes (the collector does not move objects).
#[derive(Debug)]
pub(crate) struct OwnedRoot {
    pub cell: Cell,
}

/// A store's host roots.
#[derive(Default)]
pub(crate) struct Roots {
    scoped: Vec<(Cell, u64)>,
    next_serial: u64,
    owned: Vec<Weak<OwnedRoot>>,
    /// Owned roots alive at the last pruning: the list is pruned when it doubles.
    owned_live: usize,
}

impl Roots {
    /// A reference to `cell` for the host: rooted in the current scope if it is an object.
    pub(crate) fn root(&mut self, cell: Cell) -> RefRepr {
        match AnyCell::decode(cell) {
            AnyCell::Object(_) => {
                let serial = self.next_serial;
                self.next_serial += 1;
                self.scoped.push((cell, serial));
                RefRepr::Rooted { index: (self.scoped.len() - 1) as u32, serial }
            }
            _ => RefRepr::Cell(cell),
        }
    }

    /// The cell a host reference names.
    pub(crate) fn cell(&self, r: RefRepr) -> Result<Cell> {
        match r {
            RefRepr::Cell(cell) => Ok(cell),
            RefRepr::Rooted { index, serial } => match self.scoped.get(index as usize) {
                Some(&(cell, s)) if s == serial => Ok(cell),
                _ => Err(Error::usage(
                    "a GC reference used after the scope that rooted it ended (keep it with `OwnedRef`)",
                )),
            },
        }
    }

    /// Where the current scope begins: [`Roots::end_scope`] releases what was rooted since.
    pub(crate) fn scope(&self) -> usize {
        self.scoped.len()
    }

    pub(crate) fn end_scope(&mut self, at: usize) {
        self.scoped.truncate(at);
    }

    /// An owned root of `cell`.
    pub(crate) fn own(&mut self, cell: Cell) -> Arc<OwnedRoot> {
        if self.owned.len() >= 2 * self.owned_live + 16 {
            self.owned.retain(|w| w.strong_count() > 0);
            self.owned_live = self.owned.len();
        }
        let root = Arc::new(OwnedRoot { cell });
        self.owned.push(Arc::downgrade(&root));
        root
    }

    /// Every cell the host holds, for the collector.
    pub(crate) fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        let owned = self.owned.iter().filter_map(|w| w.upgrade().map(|r| r.cell));
        self.scoped.iter().map(|&(cell, _)| cell).chain(owned)
    }

    /// How many scoped roots the store holds (for tests and statistics).
    pub(crate) fn scoped_len(&self) -> usize {
        self.scoped.len()
    }
}
