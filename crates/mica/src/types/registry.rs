//! The engine's defined types: every function, struct and array type its modules define,
//! each with its engine-wide identity ([`ConcreteType`]) and supertype chain, so that types
//! from different modules are compared in constant time (`call_indirect`, `call_ref`,
//! imports, casts).
//!
//! Types are registered a recursion group at a time (most groups are one type), by contents:
//! within a group, a reference to a member of the same group is written relative to the group
//! ([`ConcreteType::relative`]), and a reference to an earlier group is that type's identity
//! already. A member's key is its finality, its declared supertype (relative or not) and its
//! contents. Two groups are the same exactly when those keys are equal (the spec's
//! iso-recursive equality), and the registry hands every module with that group the same
//! shared [`DefinedType`]s (so `call_indirect`'s check across modules is a pointer comparison
//! too). Registering costs a map lookup per group, linear in its size. Types are kept for the
//! engine's lifetime.

use super::{CompositeType, ConcreteType, DefinedType, FieldType, FuncType, Layout, SubInfo, ValType};
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// A member's key: whether it is final, its supertype, and its contents.
type MemberKey = (bool, Option<ConcreteType>, CompositeKey);

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum CompositeKey {
    Func(usize, Arc<[ValType]>),
    Struct(Arc<[FieldType]>),
    Array(FieldType),
}

impl CompositeKey {
    fn of(c: &CompositeType) -> CompositeKey {
        match c {
            CompositeType::Func(f) => CompositeKey::Func(f.len_params, f.types.clone()),
            CompositeType::Struct(s) => CompositeKey::Struct(s.fields().into()),
            CompositeType::Array(a) => CompositeKey::Array(a.element),
        }
    }
}

/// A member of a recursion group, as a module declares it.
pub(crate) struct Member {
    pub is_final: bool,
    pub supertype: Option<ConcreteType>,
    pub composite: CompositeType,
}

#[derive(Default)]
pub(crate) struct TypeRegistry {
    inner: spin::Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The identity index of each group's first member, by key.
    groups: BTreeMap<Vec<MemberKey>, u32>,
    /// Types by identity index.
    types: Vec<Arc<DefinedType>>,
}

impl core::fmt::Debug for TypeRegistry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TypeRegistry").finish_non_exhaustive()
    }
}

impl TypeRegistry {
    /// Registers the recursion group `members`, in which member `i` is referred to as
    /// `ConcreteType::relative(i, _)`: returns each member, shared, with identities in its
    /// references. `None` if the engine would hold more than `ConcreteType::MAX_TYPES` types.
    pub(crate) fn register_group(&self, members: Vec<Member>) -> Option<Vec<Arc<DefinedType>>> {
        let mut inner = self.inner.lock();
        let key: Vec<MemberKey> =
            members.iter().map(|m| (m.is_final, m.supertype, CompositeKey::of(&m.composite))).collect();
        let first = match inner.groups.get(&key) {
            Some(&first) => first,
            None => {
                let first = inner.types.len() as u32;
                if first.checked_add(members.len() as u32)? >= ConcreteType::MAX_TYPES {
                    return None;
                }
                let several = members.len() > 1;
                for (i, member) in members.iter().enumerate() {
                    let absolute = |c: ConcreteType| match c.relative_index() {
                        Some(j) => ConcreteType::new(first + j, c.kind()),
                        None => c,
                    };
                    let id = ConcreteType::new(first + i as u32, member.composite.kind());
                    // The supertype's chain, then this type (validation put the supertype
                    // before it: an earlier group, or an earlier member of this one).
                    let mut supers: Vec<ConcreteType> = match member.supertype.map(absolute) {
                        Some(s) => inner.types.get(s.index() as usize).map_or_else(Vec::new, |t| t.supers.to_vec()),
                        None => Vec::new(),
                    };
                    supers.push(id);
                    let supers: Arc<[ConcreteType]> = supers.into();
                    let mut composite = member.composite.map_concrete(&absolute);
                    if let CompositeType::Func(f) = &mut composite {
                        // Only a type that is final, has no supertype and is alone in its
                        // group is its contents; any other is distinct from a type of the
                        // same contents.
                        if several || !member.is_final || member.supertype.is_some() {
                            f.sub = Some(Arc::new(SubInfo { id, supers: supers.clone(), is_final: member.is_final }));
                        }
                    }
                    let layout = Layout::of(&composite);
                    inner.types.push(Arc::new(DefinedType { id, supers, composite, layout }));
                }
                inner.groups.insert(key, first);
                first
            }
        };
        Some((first..first + members.len() as u32).map(|i| inner.types[i as usize].clone()).collect())
    }

    /// The type with identity `id`.
    pub(crate) fn get(&self, id: ConcreteType) -> Option<Arc<DefinedType>> {
        self.inner.lock().types.get(id.index() as usize).cloned()
    }

    /// The function type with identity `id`.
    pub(crate) fn func_type(&self, id: ConcreteType) -> Option<FuncType> {
        match &self.get(id)?.composite {
            CompositeType::Func(f) => Some(f.clone()),
            _ => None,
        }
    }

    /// Whether defined type `a` is `b` or declared (transitively) below it.
    pub(crate) fn is_subtype(&self, a: ConcreteType, b: ConcreteType) -> bool {
        let inner = self.inner.lock();
        match (inner.types.get(a.index() as usize), inner.types.get(b.index() as usize)) {
            (Some(a), Some(b)) => a.is_subtype_of_id(b.id, b.depth()),
            _ => a == b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{HeapType, RefType, StorageType, StructType, TypeKind};

    fn to(c: ConcreteType) -> ValType {
        ValType::Ref(RefType::new(false, HeapType::Concrete(c)))
    }

    fn func(params: impl IntoIterator<Item = ValType>, results: impl IntoIterator<Item = ValType>) -> Member {
        Member { is_final: true, supertype: None, composite: CompositeType::Func(FuncType::new(params, results)) }
    }

    fn one(registry: &TypeRegistry, m: Member) -> Arc<DefinedType> {
        registry.register_group(alloc::vec![m]).unwrap().pop().unwrap()
    }

    fn func_of(t: &DefinedType) -> FuncType {
        match &t.composite {
            CompositeType::Func(f) => f.clone(),
            _ => panic!("not a function type"),
        }
    }

    #[test]
    fn equal_contents_are_one_type_and_share_their_lists() {
        let registry = TypeRegistry::default();
        let a = one(&registry, func([ValType::I32], [ValType::I64]));
        let b = one(&registry, func([ValType::I32], [ValType::I64]));
        let c = one(&registry, func([ValType::I32, ValType::I64], []));
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
        assert!(Arc::ptr_eq(&func_of(&a).types, &func_of(&b).types));
        let d = one(&registry, func([to(a.id)], []));
        let e = one(&registry, func([to(a.id)], []));
        assert_eq!(d.id, e.id);
        assert_eq!(registry.func_type(c.id).unwrap().params().len(), 2);
    }

    #[test]
    fn groups_are_equal_only_as_wholes() {
        let registry = TypeRegistry::default();
        let plain = one(&registry, func([], []));
        // (rec (func) (func)): two members with the contents of `plain`, each its own type.
        let pair = || alloc::vec![func([], []), func([], [])];
        let first = registry.register_group(pair()).unwrap();
        let again = registry.register_group(pair()).unwrap();
        assert_eq!(first[0].id, again[0].id);
        assert_eq!(first[1].id, again[1].id);
        assert_ne!(first[0].id, first[1].id);
        assert_ne!(first[0].id, plain.id);
        assert_ne!(func_of(&first[0]), func_of(&first[1]));
        assert_ne!(func_of(&first[0]), func_of(&plain));
        assert_eq!(func_of(&first[1]), func_of(&again[1]));
        // A member referring to the other, relatively: its stored type names the identity.
        let rel = ConcreteType::relative(1, TypeKind::Func);
        let group = || alloc::vec![func([to(rel)], []), func([], [])];
        let registered = registry.register_group(group()).unwrap();
        assert_eq!(func_of(&registered[0]).params()[0], to(registered[1].id));
        assert_eq!(registry.register_group(group()).unwrap()[0].id, registered[0].id);
        // A group of one that refers to itself.
        let own = || alloc::vec![func([to(ConcreteType::relative(0, TypeKind::Func))], [])];
        let t = registry.register_group(own()).unwrap().pop().unwrap();
        assert_eq!(func_of(&t).params()[0], to(t.id));
        assert_eq!(registry.register_group(own()).unwrap()[0].id, t.id);
    }

    #[test]
    fn subtypes_know_their_chain_and_finality_is_part_of_identity() {
        let registry = TypeRegistry::default();
        let field = |t| FieldType::new(StorageType::Val(t), false);
        let open = |fields: Vec<FieldType>, supertype| Member {
            is_final: false,
            supertype,
            composite: CompositeType::Struct(StructType::new(fields)),
        };
        let base = one(&registry, open(alloc::vec![field(ValType::I32)], None));
        let mid = one(&registry, open(alloc::vec![field(ValType::I32), field(ValType::I64)], Some(base.id)));
        let leaf = one(&registry, open(alloc::vec![field(ValType::I32), field(ValType::I64)], Some(mid.id)));
        assert_eq!(base.id.kind(), TypeKind::Struct);
        assert!(leaf.is_subtype_of_id(base.id, base.depth()));
        assert!(leaf.is_subtype_of_id(mid.id, mid.depth()));
        assert!(!base.is_subtype_of_id(mid.id, mid.depth()));
        assert!(registry.is_subtype(leaf.id, base.id));
        assert!(!registry.is_subtype(base.id, leaf.id));
        // The same contents declared final are another type.
        let closed = one(&registry, Member { is_final: true, ..open(alloc::vec![field(ValType::I32)], None) });
        assert_ne!(closed.id, base.id);
        // A non-final function type is not equal to the final one with its contents.
        let f = one(&registry, func([], []));
        let g = one(&registry, Member { is_final: false, ..func([], []) });
        assert_ne!(func_of(&f), func_of(&g));
        assert!(func_of(&g).is_subtype_of(&func_of(&g)));
        assert!(!func_of(&f).is_subtype_of(&func_of(&g)));
        // The struct's layout: i32 at 0, i64 at 4, no references.
        assert_eq!(mid.layout.offsets, [0, 4]);
        assert_eq!(mid.layout.size, 12);
        assert!(mid.layout.refs.is_empty());
    }
}
