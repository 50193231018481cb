//! Functions: the [`Func`] handle, host functions and their [`Caller`], and typed calls.

use crate::error::{Error, Result};
use crate::instance::Extern;
use crate::store::{AsContext, AsContextMut, FuncEntity, Store, StoreId};
use crate::types::{FuncType, ValType};
use crate::cell::Cell;
use crate::value::Val;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::marker::PhantomData;

/// A host function as the store keeps it: it reads its parameters from the store's value
/// stack at the cell index it is given, and writes its results back over them there. The
/// caller has made room for the longer of the two lists at that index and put the stack's
/// top above it, so a call back into wasm starts past them. (Passing the place rather than a
/// copy saves every host call two copies of its values.)
///
/// The function is shared (a linker's definition, by every store it is placed in) and made
/// for the closure's type and `T` (`exec::Typed`), which is how the interpreter calls it
/// with `T` erased (`exec/host.rs`). (Public only as the type `IntoFunc` returns.)
#[doc(hidden)]
pub struct HostFunc<T> {
    call: Arc<dyn crate::exec::HostCall>,
    store: PhantomData<fn(&mut T)>,
}

impl<T: 'static> HostFunc<T> {
    pub(crate) fn new<C>(closure: C) -> HostFunc<T>
    where
        C: Fn(Caller<'_, T>, usize) -> Result<()> + Send + Sync + 'static,
    {
        HostFunc { call: Arc::new(crate::exec::Typed::<T, C>::new(closure)), store: PhantomData }
    }
}

impl<T> Clone for HostFunc<T> {
    fn clone(&self) -> Self {
        HostFunc { call: Arc::clone(&self.call), store: PhantomData }
    }
}

/// A function of a store: a wasm function of some instance, or a host function.
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash)]
pub struct Func {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl Func {
    /// A host function from a closure over untyped values: `params` holds the arguments,
    /// `results` must be filled with values of the result types.
    pub fn new<T: 'static>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Func {
        let host = untyped_host(ty.clone(), func);
        store.as_context_mut().0.push_host(ty, host)
    }

    /// A host function from a typed Rust closure. The closure's first parameter may be a
    /// [`Caller`]; its result may be `()`, a value, a tuple, or a `Result` of those.
    pub fn wrap<T: 'static, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, host) = func.into_func();
        store.as_context_mut().0.push_host(ty, host)
    }

    /// The function's type.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let store = store.as_context().0;
        store.inner.funcs[self.index as usize].ty().clone()
    }

    /// Calls the function with `params`, writing its results to `results`.
    pub fn call<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let store = store.as_context_mut().0;
        store.check_owner(self.store)?;
        crate::exec::call_from_host(store, self.index, params, results)
    }

    /// A typed view of the function; fails if the types do not match.
    pub fn typed<P: WasmParams, R: WasmResults>(&self, store: impl AsContext) -> Result<TypedFunc<P, R>> {
        let ty = self.ty(store);
        if !P::matches(ty.params()) || !R::matches(ty.results()) {
            return Err(Error::usage(alloc::format!(
                "function has type {ty}, not the requested typed signature"
            )));
        }
        Ok(TypedFunc { func: *self, _marker: PhantomData })
    }
}

impl<T> Store<T> {
    pub(crate) fn push_host(&mut self, ty: FuncType, host: HostFunc<T>) -> Func {
        self.inner.hosts.push(host.call);
        let host = (self.inner.hosts.len() - 1) as u32;
        self.inner.funcs.push(FuncEntity::Host { ty, host });
        Func { store: self.inner.id, index: (self.inner.funcs.len() - 1) as u32 }
    }

    pub(crate) fn check_owner(&self, id: StoreId) -> Result<()> {
        self.inner.check_owner(id)
    }
}

pub(crate) fn untyped_host<T: 'static>(
    ty: FuncType,
    func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
) -> HostFunc<T> {
    HostFunc::new(move |caller: Caller<'_, T>, at: usize| {
        let inner = &caller.store.inner;
        let id = inner.id;
        let mut next = at;
        let params: Vec<Val> = ty
            .params()
            .iter()
            .map(|t| {
                let v = Val::read_cells(&inner.exec.cells[next..], *t, inner);
                next += t.cells();
                v
            })
            .collect();
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        let Caller { store, instance } = caller;
        func(Caller { store: &mut *store, instance }, &params, &mut results)?;
        let mut cells = alloc::vec![0 as Cell; ty.result_cells()];
        let mut next = 0;
        for (result, ty) in results.iter().zip(ty.results()) {
            if !result.belongs_to(id) || !result.has_type(&store.inner, *ty) {
                return Err(Error::usage(alloc::format!(
                    "host function returned {:?} where {ty} was expected",
                    result
                )));
            }
            result.write_cells(&mut cells[next..], &store.inner)?;
            next += ty.cells();
        }
        store.inner.exec.cells[at..at + cells.len()].copy_from_slice(&cells);
        Ok(())
    })
}

/// What a host function sees of its caller: the store (with the host data) and the calling
/// instance's exports.
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    /// The calling instance's store index, or `NO_INSTANCE` for a call from the embedder.
    /// (A plain `u32`, not an `Option`: a pointer and an integer travel in two registers,
    /// where a pointer and an `Option` go through memory on every host call.)
    pub(crate) instance: u32,
}

/// `Caller::instance` of a host function the embedder called.
pub(crate) const NO_INSTANCE: u32 = u32::MAX;

impl<T> Caller<'_, T> {
    pub fn data(&self) -> &T {
        self.store.data()
    }

    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// An export of the calling instance (its memory, typically).
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        if self.instance == NO_INSTANCE {
            return None;
        }
        crate::instance::export_of(&self.store.inner, self.instance, name)
    }

    /// The calling instance; `None` for a host function the embedder called directly.
    pub fn instance(&self) -> Option<crate::Instance> {
        (self.instance != NO_INSTANCE)
            .then_some(crate::Instance { store: self.store.inner.id, index: self.instance })
    }

    pub fn engine(&self) -> &crate::Engine {
        self.store.engine()
    }

    /// Statistics of the store's GC heap ([`Store::gc_stats`]).
    pub fn gc_stats(&self) -> crate::GcStats {
        self.store.gc_stats()
    }

    /// Collects the store's GC heap now ([`Store::gc`]): the calling wasm frames are roots.
    pub fn gc(&mut self) {
        self.store.gc()
    }

    /// The fuel the store has left ([`Store::get_fuel`]).
    pub fn get_fuel(&self) -> Result<u64> {
        self.store.get_fuel()
    }

    /// Sets the fuel the store has left ([`Store::set_fuel`]).
    pub fn set_fuel(&mut self, fuel: u64) -> Result<()> {
        self.store.set_fuel(fuel)
    }

    /// Charges the host function's work to the store's fuel ([`Store::consume_fuel`]):
    /// returning the error traps the guest with `TrapCode::OutOfFuel`.
    pub fn consume_fuel(&mut self, fuel: u64) -> Result<()> {
        self.store.consume_fuel(fuel)
    }
}

impl<T> AsContextMut for Caller<'_, T> {
    type Data = T;
    fn as_context_mut(&mut self) -> crate::store::StoreContextMut<'_, T> {
        crate::store::StoreContextMut(self.store)
    }
}

/// A function with a statically known signature: calls skip the dynamic type checks.
pub struct TypedFunc<Params, Results> {
    func: Func,
    _marker: PhantomData<fn(Params) -> Results>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, R> Copy for TypedFunc<P, R> {}

impl<P: WasmParams, R: WasmResults> TypedFunc<P, R> {
    pub fn func(&self) -> Func {
        self.func
    }

    pub fn call<T>(&self, mut store: impl AsContextMut<Data = T>, params: P) -> Result<R> {
        let store = store.as_context_mut().0;
        store.check_owner(self.func.store)?;
        let mut cells = [0 as Cell; 16];
        let mut heap;
        let len = P::CELLS.max(R::CELLS);
        let cells: &mut [Cell] = if len <= cells.len() {
            &mut cells[..len]
        } else {
            heap = alloc::vec![0 as Cell; len];
            &mut heap
        };
        params.store(cells, StoreCx(&store.inner))?;
        crate::exec::call_cells(store, self.func.index, cells)?;
        Ok(R::load(cells, StoreCx(&store.inner)))
    }
}

/// A Rust type that is a WebAssembly value type.
pub trait WasmTy: Sized + Send + 'static {
    #[doc(hidden)]
    fn val_type() -> ValType;
    /// The frame cells a value takes (2 for `v128`).
    #[doc(hidden)]
    const CELLS: usize = 1;
    #[doc(hidden)]
    fn into_cell(self, store: StoreCx<'_>) -> Result<Cell>;
    #[doc(hidden)]
    fn from_cell(cell: Cell, store: StoreCx<'_>) -> Self;
    /// Writes the value's [`WasmTy::CELLS`] cells.
    #[doc(hidden)]
    #[inline(always)]
    fn into_cells(self, cells: &mut [Cell], store: StoreCx<'_>) -> Result<()> {
        cells[0] = self.into_cell(store)?;
        Ok(())
    }
    #[doc(hidden)]
    #[inline(always)]
    fn from_cells(cells: &[Cell], store: StoreCx<'_>) -> Self {
        Self::from_cell(cells[0], store)
    }
}

impl WasmTy for crate::value::V128 {
    fn val_type() -> ValType {
        ValType::V128
    }
    const CELLS: usize = 2;
    fn into_cell(self, _: StoreCx<'_>) -> Result<Cell> {
        Ok(self.as_u128() as Cell)
    }
    fn from_cell(cell: Cell, _: StoreCx<'_>) -> Self {
        crate::value::V128::from(cell as u128)
    }
    #[inline(always)]
    fn into_cells(self, cells: &mut [Cell], _: StoreCx<'_>) -> Result<()> {
        let v = self.as_u128();
        cells[0] = v as Cell;
        cells[1] = (v >> 64) as Cell;
        Ok(())
    }
    #[inline(always)]
    fn from_cells(cells: &[Cell], _: StoreCx<'_>) -> Self {
        crate::value::V128::from(cells[0] as u128 | (cells[1] as u128) << 64)
    }
}

macro_rules! wasm_ty_number {
    ($($ty:ty => $val:ident, |$x:ident| $to:expr, |$c:ident| $from:expr;)*) => {$(
        impl WasmTy for $ty {
            fn val_type() -> ValType { ValType::$val }
            fn into_cell(self, _: StoreCx<'_>) -> Result<Cell> { let $x = self; Ok($to) }
            fn from_cell($c: Cell, _: StoreCx<'_>) -> Self { $from }
        }
    )*};
}

wasm_ty_number! {
    i32 => I32, |x| x as u32 as Cell, |c| c as u32 as i32;
    u32 => I32, |x| x as Cell, |c| c as u32;
    i64 => I64, |x| x as Cell, |c| c as i64;
    u64 => I64, |x| x, |c| c;
    f32 => F32, |x| x.to_bits() as Cell, |c| f32::from_bits(c as u32);
    f64 => F64, |x| x.to_bits(), |c| f64::from_bits(c);
}

impl WasmTy for Option<Func> {
    fn val_type() -> ValType {
        ValType::FUNCREF
    }
    fn into_cell(self, store: StoreCx<'_>) -> Result<Cell> {
        let val = Val::FuncRef(self);
        if !val.belongs_to(store.0.id) {
            return Err(Error::usage("function reference from another store"));
        }
        val.to_cell(store.0)
    }
    fn from_cell(cell: Cell, store: StoreCx<'_>) -> Self {
        crate::cell::ref_index(cell).map(|index| Func { store: store.0.id, index })
    }
}

impl WasmTy for Option<crate::store::ExternRef> {
    fn val_type() -> ValType {
        ValType::EXTERNREF
    }
    fn into_cell(self, store: StoreCx<'_>) -> Result<Cell> {
        let val = Val::ExternRef(self);
        if !val.belongs_to(store.0.id) {
            return Err(Error::usage("extern reference from another store"));
        }
        val.to_cell(store.0)
    }
    fn from_cell(cell: Cell, store: StoreCx<'_>) -> Self {
        (cell != 0).then(|| crate::AnyRef::from_cell(cell, store.0).to_extern())
    }
}

/// The store a typed value crosses into or out of (for [`WasmTy`]'s conversions).
#[doc(hidden)]
#[derive(Copy, Clone)]
pub struct StoreCx<'a>(pub(crate) &'a crate::store::StoreInner);

/// A list of parameters: `()`, a single [`WasmTy`], or a tuple of them.
pub trait WasmParams: Sized + Send {
    #[doc(hidden)]
    const LEN: usize;
    /// The frame cells the values take.
    #[doc(hidden)]
    const CELLS: usize;
    #[doc(hidden)]
    fn matches(types: &[ValType]) -> bool;
    #[doc(hidden)]
    fn types() -> Vec<ValType>;
    #[doc(hidden)]
    fn store(self, cells: &mut [Cell], store: StoreCx<'_>) -> Result<()>;
    #[doc(hidden)]
    fn load(cells: &[Cell], store: StoreCx<'_>) -> Self;
}

/// A list of results; the same types as [`WasmParams`].
pub trait WasmResults: WasmParams {}
impl<T: WasmParams> WasmResults for T {}

impl<A: WasmTy> WasmParams for A {
    const LEN: usize = 1;
    const CELLS: usize = A::CELLS;
    fn matches(types: &[ValType]) -> bool {
        types == [A::val_type()]
    }
    fn types() -> Vec<ValType> {
        alloc::vec![A::val_type()]
    }
    fn store(self, cells: &mut [Cell], store: StoreCx<'_>) -> Result<()> {
        self.into_cells(cells, store)
    }
    fn load(cells: &[Cell], store: StoreCx<'_>) -> Self {
        A::from_cells(cells, store)
    }
}

macro_rules! wasm_params_tuple {
    ($(($($t:ident $i:tt),*))*) => {$(
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            const LEN: usize = 0 $(+ { let _ = $i; 1 })*;
            const CELLS: usize = 0 $(+ $t::CELLS)*;
            fn matches(types: &[ValType]) -> bool {
                types == [$($t::val_type()),*]
            }
            fn types() -> Vec<ValType> {
                alloc::vec![$($t::val_type()),*]
            }
            #[allow(unused_variables, unused_mut)]
            fn store(self, cells: &mut [Cell], store: StoreCx<'_>) -> Result<()> {
                let mut at = 0;
                $(
                    self.$i.into_cells(&mut cells[at..], store)?;
                    at += $t::CELLS;
                )*
                let _ = at;
                Ok(())
            }
            #[allow(unused_variables, unused_assignments, unused_mut, clippy::unused_unit)]
            fn load(cells: &[Cell], store: StoreCx<'_>) -> Self {
                let mut at = 0;
                ($({
                    let v = $t::from_cells(&cells[at..], store);
                    at += $t::CELLS;
                    v
                },)*)
            }
        }
    )*};
}

wasm_params_tuple! {
    ()
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
}

/// What a host closure may return: results directly, or a `Result` of them.
pub trait HostResult {
    #[doc(hidden)]
    type Results: WasmResults;
    #[doc(hidden)]
    fn into_result(self) -> Result<Self::Results>;
}

impl<R: WasmResults> HostResult for R {
    type Results = R;
    fn into_result(self) -> Result<R> {
        Ok(self)
    }
}

impl<R: WasmResults> HostResult for Result<R> {
    type Results = R;
    fn into_result(self) -> Result<R> {
        self
    }
}

/// A Rust closure that can become a host function.
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, HostFunc<T>);
}

/// Marker for closures whose first parameter is a [`Caller`].
#[doc(hidden)]
pub struct WithCaller<P>(PhantomData<P>);

/// Writes a typed host function's results to the value stack at cell `at` (see [`HostFunc`]).
/// They are converted into a buffer first: a reference's conversion reads the store, whose
/// value stack they go to.
#[cfg_attr(feature = "fast", inline(always))]
fn store_results<R: WasmResults>(results: R, inner: &mut crate::store::StoreInner, at: usize) -> Result<()> {
    const SMALL: usize = 4;
    if R::CELLS <= SMALL {
        let mut cells = [0 as Cell; SMALL];
        results.store(&mut cells[..R::CELLS], StoreCx(inner))?;
        inner.exec.cells[at..at + R::CELLS].copy_from_slice(&cells[..R::CELLS]);
    } else {
        let mut cells = alloc::vec![0 as Cell; R::CELLS];
        results.store(&mut cells, StoreCx(inner))?;
        inner.exec.cells[at..at + R::CELLS].copy_from_slice(&cells);
    }
    Ok(())
}

macro_rules! into_func {
    ($(($($t:ident $i:tt),*))*) => {$(
        impl<T: 'static, F, R, $($t: WasmTy),*> IntoFunc<T, ($($t,)*), R> for F
        where
            F: Fn($($t),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            #[allow(non_snake_case)]
            fn into_func(self) -> (FuncType, HostFunc<T>) {
                let ty = FuncType::new(<($($t,)*)>::types(), R::Results::types());
                let host = HostFunc::new(move |caller: Caller<'_, T>, at: usize| {
                    let inner = &caller.store.inner;
                    let cells = &inner.exec.cells[at..at + <($($t,)*)>::CELLS];
                    let ($($t,)*) = <($($t,)*)>::load(cells, StoreCx(inner));
                    let results = (self)($($t),*).into_result()?;
                    store_results(results, &mut caller.store.inner, at)
                });
                (ty, host)
            }
        }

        impl<T: 'static, F, R, $($t: WasmTy),*> IntoFunc<T, WithCaller<($($t,)*)>, R> for F
        where
            F: Fn(Caller<'_, T>, $($t),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            #[allow(non_snake_case)]
            fn into_func(self) -> (FuncType, HostFunc<T>) {
                let ty = FuncType::new(<($($t,)*)>::types(), R::Results::types());
                let host = HostFunc::new(move |caller: Caller<'_, T>, at: usize| {
                    let Caller { store, instance } = caller;
                    let inner = &store.inner;
                    let cells = &inner.exec.cells[at..at + <($($t,)*)>::CELLS];
                    let ($($t,)*) = <($($t,)*)>::load(cells, StoreCx(inner));
                    let results = (self)(Caller { store: &mut *store, instance }, $($t),*).into_result()?;
                    store_results(results, &mut store.inner, at)
                });
                (ty, host)
            }
        }
    )*};
}

into_func! {
    ()
    (A1 0)
    (A1 0, A2 1)
    (A1 0, A2 1, A3 2)
    (A1 0, A2 1, A3 2, A4 3)
    (A1 0, A2 1, A3 2, A4 3, A5 4)
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5)
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6)
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7)
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7, A9 8)
    (A1 0, A2 1, A3 2, A4 3, A5 4, A6 5, A7 6, A8 7, A9 8, A10 9)
}
