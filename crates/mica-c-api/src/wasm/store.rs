//! Configurations, engines and stores, and the state every object of a store shares
//! ([`StoreState`]): the Mica store, the caller of the host function running now (for
//! calls back into the store), and the host info attached to the store's objects.

use super::guard;
use super::refs::Entity;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::rc::{Rc, Weak};
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use core::ffi::c_void;
use core::hash::{Hash, Hasher};
use core::ptr;
use mica_core::{Caller, Config, Engine, Store, StoreContextMut};

/// A finalizer of host info or of a host function's environment.
pub type Finalizer = Option<unsafe extern "C" fn(*mut c_void)>;

/// Host info: the embedder's pointer and the finalizer that runs once, when the info's
/// owner is freed.
pub struct HostInfo {
    pub info: *mut c_void,
    pub finalizer: Finalizer,
}

impl HostInfo {
    pub const NONE: HostInfo = HostInfo {
        info: ptr::null_mut(),
        finalizer: None,
    };
}

impl Drop for HostInfo {
    fn drop(&mut self) {
        if let Some(finalizer) = self.finalizer.take() {
            // SAFETY: the embedder gave this finalizer for this info (header contract); it
            // runs once (it is taken).
            unsafe { finalizer(self.info) }
        }
    }
}

/// `wasm_config_t`.
pub struct wasm_config_t {
    pub config: Config,
}

/// The most instances a store of the C API may hold. A store never frees an instance before
/// the store goes, and C programs (the standard's `finalize` example among them) make
/// hundreds of thousands in one store: Mica's default of 10,000 is raised for them.
pub const MAX_INSTANCES: usize = 1 << 20;

/// The configuration `wasm_engine_new` and `wasm_config_new` start from.
fn default_config() -> Config {
    let mut config = Config::default();
    config.max_instances(MAX_INSTANCES);
    config
}

/// `wasm_engine_t`.
pub struct wasm_engine_t {
    pub engine: Engine,
}

/// What a Mica store of the C API keeps as its host data.
pub struct HostData {
    /// The state holding the store (for host functions, which make handles of it).
    pub state: Weak<StoreState>,
}

/// The shared state of a store: every handle to an object of the store holds it, so it
/// (and the Mica store in it) lives as long as the `wasm_store_t` or any such handle.
pub struct StoreState {
    pub engine: Engine,
    store: RefCell<Store<HostData>>,
    /// While a host function of this store runs: its `Caller`, through which calls back
    /// into the store reach it (the store itself is borrowed by the call running the host
    /// function). Null otherwise, and while a call back is using it.
    active: Cell<*mut Caller<'static, HostData>>,
    /// Host info of the store's objects, by object ([`Entity`]).
    infos: RefCell<HostInfos>,
}

/// Why a store could not be used.
#[derive(Debug)]
pub struct Busy;

impl StoreState {
    fn new(engine: &Engine) -> Rc<StoreState> {
        Rc::new_cyclic(|weak| StoreState {
            engine: engine.clone(),
            store: RefCell::new(Store::new(
                engine,
                HostData {
                    state: weak.clone(),
                },
            )),
            active: Cell::new(ptr::null_mut()),
            infos: RefCell::new(HostInfos::default()),
        })
    }

    /// Runs `f` with the store: the caller of the running host function if one of this
    /// store's host functions is running (a call back into the store), else the store.
    /// `Err(Busy)` if the store is in use otherwise (a finalizer running during a call, or
    /// a call back from a call back that is already using the caller).
    pub fn with<R>(&self, f: impl FnOnce(StoreContextMut<'_, HostData>) -> R) -> Result<R, Busy> {
        let active = self.active.replace(ptr::null_mut());
        if !active.is_null() {
            // SAFETY: `active` is set only by `call_host` to the `Caller` of the host
            // function running now, for exactly the duration of the C callback, during which
            // that `Caller` is alive and not otherwise used (Mica is blocked in the host
            // call). Taking it out of `active` (it is null until restored below) makes this
            // the only use of it; a nested call back sees null or the caller of a nested
            // host function.
            let caller = unsafe { &mut *active };
            let result = f(StoreContextMut::from(caller));
            self.active.set(active);
            return Ok(result);
        }
        let mut store = self.store.try_borrow_mut().map_err(|_| Busy)?;
        Ok(f(StoreContextMut::from(&mut *store)))
    }

    /// Runs `callback` (a C host function) with `caller` made the store's active caller, so
    /// that the callback may call back into the store.
    pub fn call_host<R>(
        &self,
        caller: &mut Caller<'_, HostData>,
        callback: impl FnOnce() -> R,
    ) -> R {
        // The lifetime is erased: `with` uses the pointer only while `callback` runs.
        let pointer: *mut Caller<'static, HostData> = (caller as *mut Caller<'_, HostData>).cast();
        let previous = self.active.replace(pointer);
        let result = callback();
        self.active.set(previous);
        result
    }

    /// The host info of `entity` (null if none).
    pub fn host_info(&self, entity: Entity) -> *mut c_void {
        self.infos
            .borrow()
            .get(entity)
            .map_or(ptr::null_mut(), |i| i.info)
    }

    /// Attaches host info to `entity`, replacing (without finalizing) what was there.
    pub fn set_host_info(&self, entity: Entity, info: HostInfo) {
        let previous = self.infos.borrow_mut().set(entity, info);
        if let Some(mut previous) = previous {
            previous.finalizer = None;
        }
    }
}

impl Drop for StoreState {
    fn drop(&mut self) {
        // Host info first, in the order it was attached, then the store (whose host
        // functions' environments are finalized as their closures drop).
        let infos = core::mem::take(&mut *self.infos.borrow_mut());
        drop(infos.into_ordered());
    }
}

/// Host info by object: a map from the object's hash to the objects with that hash, each
/// with a sequence number so that finalizers run in a stable order.
#[derive(Default)]
struct HostInfos {
    map: BTreeMap<u64, Vec<(Entity, u64, HostInfo)>>,
    next: u64,
}

/// FNV-1a, to key [`HostInfos`] without a `std` hash map.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn hash_of(entity: Entity) -> u64 {
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    entity.hash(&mut hasher);
    hasher.finish()
}

impl HostInfos {
    fn get(&self, entity: Entity) -> Option<&HostInfo> {
        self.map
            .get(&hash_of(entity))?
            .iter()
            .find(|(e, _, _)| *e == entity)
            .map(|(_, _, i)| i)
    }

    fn set(&mut self, entity: Entity, info: HostInfo) -> Option<HostInfo> {
        let bucket = self.map.entry(hash_of(entity)).or_default();
        if let Some(slot) = bucket.iter_mut().find(|(e, _, _)| *e == entity) {
            return Some(core::mem::replace(&mut slot.2, info));
        }
        bucket.push((entity, self.next, info));
        self.next += 1;
        None
    }

    fn into_ordered(self) -> Vec<HostInfo> {
        let mut all: Vec<(u64, HostInfo)> = self
            .map
            .into_values()
            .flatten()
            .map(|(_, seq, info)| (seq, info))
            .collect();
        all.sort_by_key(|(seq, _)| *seq);
        all.into_iter().map(|(_, info)| info).collect()
    }
}

/// `wasm_store_t`.
pub struct wasm_store_t {
    pub state: Rc<StoreState>,
}

// --- exported functions -------------------------------------------------------------------

#[unsafe(no_mangle)]
pub extern "C" fn wasm_config_new() -> *mut wasm_config_t {
    guard(ptr::null_mut(), || {
        Box::into_raw(Box::new(wasm_config_t {
            config: default_config(),
        }))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_config_delete(config: *mut wasm_config_t) {
    if !config.is_null() {
        // SAFETY: a non-null `config` is a live box the caller gives up (header contract).
        guard((), || drop(unsafe { Box::from_raw(config) }))
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn wasm_engine_new() -> *mut wasm_engine_t {
    guard(ptr::null_mut(), || {
        Box::into_raw(Box::new(wasm_engine_t {
            engine: Engine::new(&default_config()),
        }))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_engine_new_with_config(
    config: *mut wasm_config_t,
) -> *mut wasm_engine_t {
    guard(ptr::null_mut(), || {
        if config.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: a non-null `config` is a live box handed over (header contract).
        let config = unsafe { Box::from_raw(config) };
        Box::into_raw(Box::new(wasm_engine_t {
            engine: Engine::new(&config.config),
        }))
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_engine_delete(engine: *mut wasm_engine_t) {
    if !engine.is_null() {
        // SAFETY: a non-null `engine` is a live box the caller gives up (header contract).
        guard((), || drop(unsafe { Box::from_raw(engine) }))
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_store_new(engine: *mut wasm_engine_t) -> *mut wasm_store_t {
    // SAFETY: a non-null `engine` is a live engine (header contract).
    guard(ptr::null_mut(), || match unsafe { engine.as_ref() } {
        Some(engine) => Box::into_raw(Box::new(wasm_store_t {
            state: StoreState::new(&engine.engine),
        })),
        None => ptr::null_mut(),
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_store_delete(store: *mut wasm_store_t) {
    if !store.is_null() {
        // SAFETY: a non-null `store` is a live box the caller gives up (header contract).
        guard((), || drop(unsafe { Box::from_raw(store) }))
    }
}

/// The state of a store the caller lends (`None` for null).
///
/// # Safety
/// A non-null `store` is a live store.
pub unsafe fn state_of(store: *const wasm_store_t) -> Option<Rc<StoreState>> {
    // SAFETY: forwarded.
    unsafe { store.as_ref() }.map(|s| s.state.clone())
}
