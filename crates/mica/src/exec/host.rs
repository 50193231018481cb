//! How the interpreter calls a host function: through the store's [`HostCall`] for it, made
//! for the closure's own type and the store's data type (`Typed<T, C>`), so that the call is
//! one virtual call into code where the closure is inlined. (Before, a call went through a
//! function made for the store's data type, which looked the closure up and made a second,
//! virtual call into it: 19 instructions more per host call.)

use crate::error::Result;
use crate::func::Caller;
use crate::store::{Store, StoreInner};
use core::marker::PhantomData;

/// A host function of a store, as the interpreter calls it, with the store's data type
/// erased (`StoreInner::hosts`).
pub(crate) trait HostCall: Send + Sync {
    /// Calls the function with the store at `whole`, as called from `instance`
    /// (`func::NO_INSTANCE` for the embedder), on the value-stack cells at `at` (see
    /// `func::HostFunc`).
    ///
    /// # Safety
    ///
    /// `whole` points at a live `Store<T>` of the data type `T` the function was made for
    /// (`Typed<T, _>`), which nothing else borrows during the call.
    unsafe fn call(&self, whole: *mut (), instance: u32, at: usize) -> Result<()>;
}

/// A host closure `C` of a `Store<T>`.
pub(crate) struct Typed<T, C> {
    closure: C,
    store: PhantomData<fn(&mut Store<T>)>,
}

impl<T, C> Typed<T, C> {
    pub(crate) fn new(closure: C) -> Typed<T, C> {
        Typed { closure, store: PhantomData }
    }
}

impl<T, C> HostCall for Typed<T, C>
where
    C: Fn(Caller<'_, T>, usize) -> Result<()> + Send + Sync,
{
    unsafe fn call(&self, whole: *mut (), instance: u32, at: usize) -> Result<()> {
        // SAFETY: the method's contract.
        let store = unsafe { &mut *whole.cast::<Store<T>>() };
        (self.closure)(Caller { store, instance }, at)
    }
}

/// Calls host function `host` of the store `whole` (a `Store<T>`, erased), whose engine state
/// is at `inner`, on the value-stack cells at `at` (parameters in, results out: see
/// `func::HostFunc`), as called from `instance` (`func::NO_INSTANCE` for the embedder).
///
/// # Safety
///
/// `whole` points at a live `Store<T>`, and nothing else borrows it during the call; `inner`
/// is `&raw mut (*whole).inner`.
pub(super) unsafe fn call(whole: *mut (), inner: *mut StoreInner, host: u32, instance: u32, at: usize) -> Result<()> {
    // The GC references the host function is handed are rooted for the call's duration only
    // (`gc/roots.rs`).
    let (func, scope) = {
        // SAFETY: the function's contract; this borrow ends before the call.
        let inner = unsafe { &mut *inner };
        let func: *const dyn HostCall = alloc::sync::Arc::as_ptr(&inner.hosts[host as usize]);
        (func, inner.roots.get_mut().scope())
    };
    // SAFETY: the store's host list only ever grows (`Store::push_host`), so the `Arc` stays
    // in the store and keeps the function alive during the call, which uses it by shared
    // reference only (this saves two atomic operations per host call over cloning the
    // `Arc`). `Store<T>::push_host` puts only functions made for its `T` in the list, and the
    // store is not borrowed.
    let outcome = unsafe { (*func).call(whole, instance, at) };
    // SAFETY: the function's contract; the call's borrow of the store has ended.
    unsafe { &mut *inner }.roots.get_mut().end_scope(scope);
    outcome
}
