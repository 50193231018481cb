//! Exception handling's runtime objects: tags ([`Tag`]) and exceptions ([`ExnRef`]), both
//! owned by the store.
//!
//! An exception is a tag and the values it carries. `throw` makes one in the store; `catch`
//! takes its values out, `catch_ref` also hands the guest a reference to it (`exnref`), and
//! `throw_ref` throws it again. One that no handler catches reaches the embedder as an
//! [`Error`] holding the exception ([`Error::as_exception`]); a host function throws one by
//! returning `Err(exn.into())`. How a throw finds its handler is in `exec/ops/exception.rs`.
//!
//! Exceptions are reclaimed without a collector where that is certain to be safe: one that
//! was thrown by `throw` and caught by a `catch` or `catch_all` (no reference to it was ever
//! handed out) is reused by the next `throw`. Those that were handed out (`catch_ref`, the
//! embedder) stay until the store is dropped, up to `Config::max_exceptions` of them at a
//! time; past that, making another one traps.

use crate::cell::Cell;
use crate::error::{Error, ErrorKind, Result, TrapCode};
use crate::store::{AsContext, AsContextMut, StoreId, StoreInner};
use crate::types::TagType;
use crate::value::Val;
use alloc::vec::Vec;

/// An exception tag: what a `throw` names and a `catch` matches (by identity: two tags are
/// the same only if they are the same definition or import of one).
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

pub(crate) struct TagEntity {
    pub ty: TagType,
}

impl Tag {
    /// A new tag of type `ty`, distinct from every other tag.
    pub fn new(mut store: impl AsContextMut, ty: TagType) -> Tag {
        let inner = &mut store.as_context_mut().0.inner;
        inner.tags.push(TagEntity { ty });
        Tag { store: inner.id, index: (inner.tags.len() - 1) as u32 }
    }

    /// The tag's type. Fails for a handle of another store.
    pub fn ty(&self, store: impl AsContext) -> Result<TagType> {
        let inner = &store.as_context().0.inner;
        inner.check_owner(self.store)?;
        Ok(inner.tags[self.index as usize].ty.clone())
    }
}

/// A reference to an exception: what `catch_ref` hands the guest, what an uncaught
/// exception carries to the embedder, and what a host function returns to throw one.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct ExnRef {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

pub(crate) struct ExnEntity {
    /// The store index of the tag.
    pub tag: u32,
    /// The values, in cells (a `v128` takes two).
    pub payload: Vec<Cell>,
    /// Whether a reference to it was handed out (to the guest or the host): then it is
    /// never reused.
    pub held: bool,
}

impl ExnRef {
    /// A new exception of `tag` carrying `payload`, for a host function to throw
    /// (`Err(exn.into())`). Fails if the values do not match the tag's type, or the store
    /// holds as many exceptions as the engine allows.
    pub fn new(mut store: impl AsContextMut, tag: Tag, payload: &[Val]) -> Result<ExnRef> {
        let inner = &mut store.as_context_mut().0.inner;
        inner.check_owner(tag.store)?;
        let ty = inner.tags[tag.index as usize].ty.clone();
        let params = ty.func_type().params();
        if payload.len() != params.len()
            || payload.iter().zip(params).any(|(v, t)| !v.belongs_to(inner.id) || !v.has_type(inner, *t))
        {
            return Err(Error::usage(alloc::format!("exception values do not match the tag's type {ty}")));
        }
        let mut cells = alloc::vec![0; ty.func_type().param_cells()];
        let mut at = 0;
        for (v, t) in payload.iter().zip(params) {
            v.write_cells(&mut cells[at..], inner)?;
            at += t.cells();
        }
        let index = inner.new_exception(tag.index, cells).map_err(Error::from)?;
        inner.exns[index as usize].held = true;
        Ok(ExnRef { store: inner.id, index })
    }

    /// The exception's tag. Fails for a handle of another store.
    pub fn tag(&self, store: impl AsContext) -> Result<Tag> {
        let inner = &store.as_context().0.inner;
        inner.check_owner(self.store)?;
        Ok(Tag { store: self.store, index: inner.exns[self.index as usize].tag })
    }

    /// The values the exception carries, as its tag's type says. Fails for a handle of
    /// another store.
    pub fn payload(&self, store: impl AsContext) -> Result<Vec<Val>> {
        let inner = &store.as_context().0.inner;
        inner.check_owner(self.store)?;
        let exn = &inner.exns[self.index as usize];
        let ty = &inner.tags[exn.tag as usize].ty;
        let mut at = 0;
        Ok(ty
            .func_type()
            .params()
            .iter()
            .map(|t| {
                let v = Val::read_cells(&exn.payload[at..], *t, inner);
                at += t.cells();
                v
            })
            .collect())
    }
}

impl From<ExnRef> for Error {
    /// The error that throws `exn`: returned by a host function, the exception propagates
    /// into the calling wasm code as if it had been thrown there.
    fn from(exn: ExnRef) -> Error {
        Error::from_kind(ErrorKind::Exception(exn))
    }
}

impl StoreInner {
    /// Makes an exception of store tag `tag`, reusing one that nothing refers to any more.
    pub(crate) fn new_exception(&mut self, tag: u32, payload: Vec<Cell>) -> Result<u32, TrapCode> {
        if let Some(index) = self.exn_free.pop() {
            self.exns[index as usize] = ExnEntity { tag, payload, held: false };
            return Ok(index);
        }
        if self.exns.len() >= self.engine.config().max_exceptions {
            return Err(TrapCode::OutOfMemory);
        }
        self.exns.push(ExnEntity { tag, payload, held: false });
        Ok((self.exns.len() - 1) as u32)
    }
}
