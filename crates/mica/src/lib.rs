//! Mica: a small, fast WebAssembly interpreter.
//!
//! The embedding API follows wasmtime's vocabulary: an [`Engine`] holds configuration, a
//! [`Module`] is validated and translated code, a [`Store`] owns everything instances create
//! plus the host's data, a [`Linker`] names host functions, and an [`Instance`] exports
//! [`Func`]tions, [`Memory`]s, [`Table`]s and [`Global`]s.
//!
//! ```
//! use mica::{Engine, Linker, Module, Store, Caller};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"
//!     (module
//!       (import "host" "log" (func $log (param i32)))
//!       (func (export "run") (param i32) (result i32)
//!         (call $log (local.get 0))
//!         (i32.mul (local.get 0) (i32.const 2))))
//! "#)?;
//! let mut linker = Linker::<Vec<i32>>::new(&engine);
//! linker.func_wrap("host", "log", |mut caller: Caller<'_, Vec<i32>>, x: i32| {
//!     caller.data_mut().push(x);
//! })?;
//! let mut store = Store::new(&engine, Vec::new());
//! let instance = linker.instantiate(&mut store, &module)?;
//! let run = instance.get_typed_func::<i32, i32>(&store, "run")?;
//! assert_eq!(run.call(&mut store, 21)?, 42);
//! assert_eq!(store.data(), &[21]);
//! # Ok::<(), mica::Error>(())
//! ```
#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod bytecode;
mod cell;
// The fast build's hand decoder of common operators; the size build reads with `wasmparser`.
#[cfg(feature = "fast")]
mod decode;
mod engine;
mod error;
mod exception;
mod exec;
mod externals;
mod fuel;
mod func;
mod gc;
mod instance;
mod linker;
mod memory;
mod module;
mod resumable;
mod simd;
mod store;
mod translate;
mod types;
mod validate;
mod value;

#[cfg(all(test, feature = "wat"))]
mod test_corpus;

pub use engine::{Config, Engine, SpecVersion, TranslationMode};
pub use error::{Error, ErrorKind, FrameInfo, HostError, Result, Trap, TrapCode};
pub use exception::{ExnRef, Tag};
pub use externals::{Global, Memory, Table};
pub use gc::{AnyRef, ArrayRef, EqRef, GcStats, I31, OwnedRef, StructRef};
pub use fuel::FuelCosts;
pub use func::{Caller, Func, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmTy};
pub use instance::{Extern, Instance};
pub use linker::Linker;
pub use module::Module;
pub use validate::validate_with_features;
pub use exec::PauseReason;
#[cfg(feature = "pair-stats")]
#[doc(hidden)]
pub use exec::pair_stats;
pub use resumable::{PausedCall, ResumableCall};
pub use store::{AsContext, AsContextMut, ExternRef, StoreId, Store, StoreContext, StoreContextMut};
pub use types::{
    ArrayType, CompositeType, ConcreteType, ExternType, FieldType, FuncType, GlobalType, HeapType, Limits, MemoryType,
    Mutability, RefType, StorageType, StructType, TableType, TagType, TypeKind, ValType,
};
pub use value::{V128, Val};
