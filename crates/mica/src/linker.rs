//! The linker: names for host functions and other externs, and instantiation by name.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::func::{Caller, HostFunc, IntoFunc};
use crate::instance::{Extern, Instance};
use crate::module::Module;
use crate::store::{AsContextMut, Store};
use crate::types::{ExternType, FuncType};
use crate::value::Val;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A definition the linker holds: a host function not yet placed in any store, or an
/// extern of a particular store.
enum Definition<T> {
    HostFunc(FuncType, HostFunc<T>),
    Extern(Extern),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::HostFunc(ty, f) => Definition::HostFunc(ty.clone(), f.clone()),
            Definition::Extern(e) => Definition::Extern(*e),
        }
    }
}

/// Resolves imports by module and field name.
pub struct Linker<T> {
    engine: Engine,
    definitions: BTreeMap<(String, String), Definition<T>>,
    allow_shadowing: bool,
}

impl<T> Linker<T> {
    pub fn new(engine: &Engine) -> Linker<T> {
        Linker { engine: engine.clone(), definitions: BTreeMap::new(), allow_shadowing: false }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether a later definition may replace an earlier one of the same name.
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition<T>) -> Result<&mut Self> {
        let key = (module.to_string(), name.to_string());
        if !self.allow_shadowing && self.definitions.contains_key(&key) {
            return Err(Error::link(format!("`{module}::{name}` is already defined")));
        }
        self.definitions.insert(key, def);
        Ok(self)
    }

    /// Defines a host function from a typed closure (see [`Func::wrap`](crate::Func::wrap)).
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self>
    where
        T: 'static,
    {
        let (ty, host) = func.into_func();
        self.insert(module, name, Definition::HostFunc(ty, host))
    }

    /// Defines a host function over untyped values (see [`Func::new`](crate::Func::new)).
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Result<&mut Self>
    where
        T: 'static,
    {
        let host = crate::func::untyped_host(ty.clone(), func);
        self.insert(module, name, Definition::HostFunc(ty, host))
    }

    /// Defines an extern of a store under a name.
    pub fn define(&mut self, module: &str, name: &str, item: impl Into<Extern>) -> Result<&mut Self> {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(
        &mut self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self> {
        let store = store.as_context_mut().0;
        let exports: Vec<(String, Extern)> = instance
            .exports(&*store)
            .into_iter()
            .map(|(name, ext)| (name.to_string(), ext))
            .collect();
        for (name, ext) in exports {
            self.define(module, &name, ext)?;
        }
        Ok(self)
    }

    /// The definition of `module::name`, placed in `store` if it is a host function.
    pub fn get(&self, mut store: impl AsContextMut<Data = T>, module: &str, name: &str) -> Option<Extern> {
        let def = self.definitions.get(&(module.to_string(), name.to_string()))?;
        Some(self.materialize(store.as_context_mut().0, def))
    }

    fn materialize(&self, store: &mut Store<T>, def: &Definition<T>) -> Extern {
        match def {
            Definition::Extern(e) => *e,
            Definition::HostFunc(ty, host) => {
                Extern::Func(store.push_host(ty.clone(), host.clone()))
            }
        }
    }

    /// Resolves every import of `module`.
    pub fn resolve_imports(&self, mut store: impl AsContextMut<Data = T>, module: &Module) -> Result<Vec<Extern>> {
        let store = store.as_context_mut().0;
        let mut imports = Vec::with_capacity(module.inner.imports.len());
        for import in &module.inner.imports {
            let key = (import.module.clone(), import.name.clone());
            let def = self.definitions.get(&key).ok_or_else(|| {
                Error::link(format!(
                    "unknown import: `{}::{}` ({}) has not been defined",
                    import.module,
                    import.name,
                    import.ty.kind_name()
                ))
            })?;
            if let (Definition::HostFunc(have, _), ExternType::Func(want)) = (def, &import.ty)
                && have != want
            {
                return Err(Error::link(format!(
                    "incompatible import type for `{}::{}`: expected {want}, found {have}",
                    import.module, import.name
                )));
            }
            imports.push(self.materialize(store, def));
        }
        Ok(imports)
    }

    /// Instantiates `module` with its imports resolved by name, and runs its start function.
    pub fn instantiate(&self, mut store: impl AsContextMut<Data = T>, module: &Module) -> Result<Instance> {
        let store = store.as_context_mut().0;
        let imports = self.resolve_imports(&mut *store, module)?;
        Instance::new(store, module, &imports)
    }
}
