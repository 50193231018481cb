//! The engine's defined types: every function type its modules define, each with its
//! engine-wide identity ([`ConcreteType`]), so that types from different modules are compared
//! in constant time (`call_indirect`, `call_ref`, imports, casts of references).
//!
//! Types are registered a recursion group at a time (most groups are one type), by contents:
//! within a group, a reference to a member of the same group is written relative to the group
//! (`ConcreteType(REC_BASE + i)` for member `i`), and a reference to an earlier group is that
//! type's identity already. Two groups are the same exactly when those keys are equal (the
//! spec's iso-recursive equality), and the registry hands every module with that group the
//! same shared [`FuncType`]s (so `call_indirect`'s check across modules is a pointer
//! comparison too). Registering costs a map lookup per group, linear in its size. Types are
//! kept for the engine's lifetime.

use super::{ConcreteType, FuncType, ValType};
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Where the relative references of a group's key start: no identity reaches it.
pub(crate) const REC_BASE: u32 = 1 << 31;

/// A group's key: each member's parameter count and types (relative references inside).
type GroupKey = Vec<(usize, Arc<[ValType]>)>;

#[derive(Default)]
pub(crate) struct TypeRegistry {
    inner: spin::Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The identity of each group's first member, by key.
    groups: BTreeMap<GroupKey, u32>,
    /// Types by identity.
    types: Vec<FuncType>,
}

impl core::fmt::Debug for TypeRegistry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TypeRegistry").finish_non_exhaustive()
    }
}

impl TypeRegistry {
    /// The identity of `ty` (a group of one with no reference to itself), and the shared copy
    /// of it that every module with this type uses.
    #[cfg(test)]
    pub(crate) fn register(&self, ty: FuncType) -> Option<(ConcreteType, FuncType)> {
        self.register_group(alloc::vec![ty])?.pop()
    }

    /// Registers the recursion group `members`, in which member `i` is referred to as
    /// `ConcreteType(REC_BASE + i)`: returns each member's identity and shared type, whose
    /// references are identities. `None` if the engine holds 2^31 types.
    pub(crate) fn register_group(&self, members: Vec<FuncType>) -> Option<Vec<(ConcreteType, FuncType)>> {
        let mut inner = self.inner.lock();
        let key: GroupKey = members.iter().map(|t| (t.params().len(), t.types.clone())).collect();
        let first = match inner.groups.get(&key) {
            Some(&first) => first,
            None => {
                let first = inner.types.len() as u32;
                if first.checked_add(members.len() as u32)? >= REC_BASE {
                    return None;
                }
                let several = members.len() > 1;
                for (i, member) in members.iter().enumerate() {
                    let mut ty = member.map_concrete(|c| match c.0.checked_sub(REC_BASE) {
                        Some(j) => ConcreteType(first + j),
                        None => c,
                    });
                    // Only a member of a group of several is distinct from a type of the same
                    // contents; a group of one is its contents.
                    ty.rec = several.then_some(first + i as u32);
                    inner.types.push(ty);
                }
                inner.groups.insert(key, first);
                first
            }
        };
        Some(
            (0..members.len() as u32)
                .map(|i| (ConcreteType(first + i), inner.types[(first + i) as usize].clone()))
                .collect(),
        )
    }

    /// The function type with identity `id`.
    pub(crate) fn func_type(&self, id: ConcreteType) -> Option<FuncType> {
        self.inner.lock().types.get(id.0 as usize).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{HeapType, RefType};

    fn to(c: ConcreteType) -> ValType {
        ValType::Ref(RefType::new(false, HeapType::Concrete(c)))
    }

    #[test]
    fn equal_contents_are_one_type_and_share_their_lists() {
        let registry = TypeRegistry::default();
        let (a, ta) = registry.register(FuncType::new([ValType::I32], [ValType::I64])).unwrap();
        let (b, tb) = registry.register(FuncType::new([ValType::I32], [ValType::I64])).unwrap();
        let (c, _) = registry.register(FuncType::new([ValType::I32, ValType::I64], [])).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(Arc::ptr_eq(&ta.types, &tb.types));
        let (d, _) = registry.register(FuncType::new([to(a)], [])).unwrap();
        let (e, _) = registry.register(FuncType::new([to(a)], [])).unwrap();
        assert_eq!(d, e);
        assert_eq!(registry.func_type(c).unwrap().params().len(), 2);
    }

    #[test]
    fn groups_are_equal_only_as_wholes() {
        let registry = TypeRegistry::default();
        let (plain, plain_ty) = registry.register(FuncType::new([], [])).unwrap();
        // (rec (func) (func)): two members with the contents of `plain`, each its own type.
        let pair = || alloc::vec![FuncType::new([], []), FuncType::new([], [])];
        let first = registry.register_group(pair()).unwrap();
        let again = registry.register_group(pair()).unwrap();
        assert_eq!(first[0].0, again[0].0);
        assert_eq!(first[1].0, again[1].0);
        assert_ne!(first[0].0, first[1].0);
        assert_ne!(first[0].0, plain);
        assert_ne!(first[0].1, first[1].1);
        assert_ne!(first[0].1, plain_ty);
        assert_eq!(first[1].1, again[1].1);
        // A member referring to the other, relatively: its stored type names the identity.
        let rel = ConcreteType(REC_BASE + 1);
        let group = alloc::vec![FuncType::new([to(rel)], []), FuncType::new([], [])];
        let registered = registry.register_group(group.clone()).unwrap();
        assert_eq!(registered[0].1.params()[0], to(registered[1].0));
        assert_eq!(registry.register_group(group).unwrap()[0].0, registered[0].0);
        // A group of one that refers to itself.
        let own = alloc::vec![FuncType::new([to(ConcreteType(REC_BASE))], [])];
        let (id, ty) = registry.register_group(own.clone()).unwrap().pop().unwrap();
        assert_eq!(ty.params()[0], to(id));
        assert_eq!(registry.register_group(own).unwrap()[0].0, id);
    }
}
