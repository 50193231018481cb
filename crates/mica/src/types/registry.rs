//! The engine's defined types: every function type its modules define, each with its
//! engine-wide identity ([`ConcreteType`]), so that types from different modules are compared
//! in constant time (`call_indirect`, `call_ref`, imports, casts of references).
//!
//! A type is registered by its contents, whose references to other defined types are
//! already identities: two types are the same exactly when their contents are, and the
//! registry hands both modules the same shared [`FuncType`] (so `call_indirect`'s check
//! across modules is a pointer comparison too). Registering costs a map lookup per type,
//! linear in the type's size. Types are kept for the engine's lifetime.

use super::{ConcreteType, FuncType, ValType};
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

#[derive(Default)]
pub(crate) struct TypeRegistry {
    inner: spin::Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Identities by contents: the number of parameters and the parameter and result types.
    by_contents: BTreeMap<(usize, Arc<[ValType]>), u32>,
    /// Types by identity.
    types: Vec<FuncType>,
}

impl core::fmt::Debug for TypeRegistry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TypeRegistry").finish_non_exhaustive()
    }
}

impl TypeRegistry {
    /// The identity of `ty`, and the shared copy of it that every module with this type uses.
    pub(crate) fn register(&self, ty: FuncType) -> (ConcreteType, FuncType) {
        let mut inner = self.inner.lock();
        let key = (ty.params().len(), ty.types.clone());
        if let Some(&id) = inner.by_contents.get(&key) {
            return (ConcreteType(id), inner.types[id as usize].clone());
        }
        let id = inner.types.len() as u32;
        inner.types.push(ty.clone());
        inner.by_contents.insert(key, id);
        (ConcreteType(id), ty)
    }

    /// The function type with identity `id`.
    pub(crate) fn func_type(&self, id: ConcreteType) -> Option<FuncType> {
        self.inner.lock().types.get(id.0 as usize).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_contents_are_one_type_and_share_their_lists() {
        let registry = TypeRegistry::default();
        let (a, ta) = registry.register(FuncType::new([ValType::I32], [ValType::I64]));
        let (b, tb) = registry.register(FuncType::new([ValType::I32], [ValType::I64]));
        let (c, _) = registry.register(FuncType::new([ValType::I32, ValType::I64], []));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(Arc::ptr_eq(&ta.types, &tb.types));
        let r = ValType::Ref(super::super::RefType::new(false, super::super::HeapType::Concrete(a)));
        let (d, _) = registry.register(FuncType::new([r], []));
        let (e, _) = registry.register(FuncType::new([r], []));
        assert_eq!(d, e);
        assert_eq!(registry.func_type(c).unwrap().params().len(), 2);
    }
}
