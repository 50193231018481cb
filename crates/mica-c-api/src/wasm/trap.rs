//! Traps and frames: `wasm_trap_t` (a message and the wasm frames live when it happened)
//! and `wasm_frame_t`; and [`CallbackTrap`], the host error a trap returned by a C host
//! function travels as through Mica.

use super::guard;
use super::refs::{Entity, ObjKind, Object, borrow, declare_ref, is_trap, wasm_trap_t};
use super::store::{Finalizer, HostInfo, StoreState, state_of, wasm_store_t};
use super::vec::{self, Owned, WasmVec, declare_vec, wasm_byte_vec_t};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::RefCell;
use core::ffi::c_void;
use core::fmt;
use core::ptr;
use mica_core::{Error, FrameInfo};

/// A trap's contents.
pub struct TrapData {
    /// The message, without a terminating NUL.
    pub message: Vec<u8>,
    /// The wasm frames, innermost first.
    pub frames: Vec<FrameInfo>,
    /// The store the frames' instances belong to.
    pub state: Option<Rc<StoreState>>,
    pub info: RefCell<HostInfo>,
}

/// What a trap returned by a C host function becomes inside Mica: a host error carrying
/// the trap's message and the frames it already had (from a call back into wasm that
/// trapped), which unwinds through the wasm frames that called the host function.
#[derive(Debug)]
pub struct CallbackTrap {
    pub message: Vec<u8>,
    pub frames: Vec<FrameInfo>,
}

impl fmt::Display for CallbackTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message))
    }
}

impl TrapData {
    pub fn new(state: Option<Rc<StoreState>>, message: &[u8], frames: Vec<FrameInfo>) -> TrapData {
        let message = message.strip_suffix(b"\0").unwrap_or(message).to_vec();
        TrapData {
            message,
            frames,
            state,
            info: RefCell::new(HostInfo::NONE),
        }
    }

    /// The trap an error of a call into `state`'s store becomes: a host function's trap
    /// keeps its message (and frames, inside those of the error); anything else is
    /// described by its message.
    pub fn of_error(state: &Rc<StoreState>, error: &Error) -> TrapData {
        let outer = error.as_trap().map_or(&[][..], |t| t.backtrace());
        match error.downcast_ref::<CallbackTrap>() {
            Some(inner) => {
                let frames = inner.frames.iter().chain(outer).cloned().collect();
                TrapData::new(Some(state.clone()), &inner.message, frames)
            }
            None => TrapData::new(
                Some(state.clone()),
                error.to_string().as_bytes(),
                outer.to_vec(),
            ),
        }
    }

    /// A trap reporting a misuse of the API.
    pub fn usage(message: &str) -> TrapData {
        TrapData::new(None, message.as_bytes(), Vec::new())
    }

    pub fn into_raw(self) -> *mut wasm_trap_t {
        Object {
            kind: ObjKind::Trap(Rc::new(self)),
        }
        .into_raw()
    }

    fn frame(&self, info: &FrameInfo) -> wasm_frame_t {
        let instance = match (&self.state, info.instance) {
            (Some(state), Some(instance)) => {
                Some(Box::new(Object::entity(state, Entity::Instance(instance))))
            }
            _ => None,
        };
        wasm_frame_t {
            func_index: info.func_index,
            func_offset: info.func_offset.unwrap_or(0),
            module_offset: info.module_offset.unwrap_or(0),
            instance,
        }
    }
}

/// A trap's handle as the `CallbackTrap` a host function's failure carries.
pub fn to_callback_trap(trap: &TrapData) -> CallbackTrap {
    CallbackTrap {
        message: trap.message.clone(),
        frames: trap.frames.clone(),
    }
}

/// `wasm_frame_t`. The instance handle is the frame's own (borrowed by C).
pub struct wasm_frame_t {
    pub func_index: u32,
    pub func_offset: usize,
    pub module_offset: usize,
    pub instance: Option<Box<Object>>,
}

impl Owned for wasm_frame_t {
    fn copy_owned(&self) -> Self {
        wasm_frame_t {
            func_index: self.func_index,
            func_offset: self.func_offset,
            module_offset: self.module_offset,
            instance: self.instance.clone(),
        }
    }
}

pub type wasm_frame_vec_t = WasmVec<*mut wasm_frame_t>;

super::types::declare_owned!(wasm_frame_t, wasm_frame_delete, wasm_frame_copy);

declare_vec!(
    *mut wasm_frame_t,
    wasm_frame_vec_new_empty,
    wasm_frame_vec_new_uninitialized,
    wasm_frame_vec_new,
    wasm_frame_vec_copy,
    wasm_frame_vec_delete
);

/// The frame a C caller lends.
///
/// # Safety
/// A non-null `frame` is a live frame.
unsafe fn frame<'a>(frame: *const wasm_frame_t) -> Option<&'a wasm_frame_t> {
    // SAFETY: forwarded.
    unsafe { frame.as_ref() }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_frame_instance(f: *const wasm_frame_t) -> *mut Object {
    guard(ptr::null_mut(), || {
        // SAFETY: header contract; the instance handle lives as long as the frame.
        match unsafe { frame(f) }.and_then(|f| f.instance.as_deref()) {
            Some(instance) => instance as *const Object as *mut Object,
            None => ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_frame_func_index(f: *const wasm_frame_t) -> u32 {
    // SAFETY: header contract.
    guard(0, || unsafe { frame(f) }.map_or(0, |f| f.func_index))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_frame_func_offset(f: *const wasm_frame_t) -> usize {
    // SAFETY: header contract.
    guard(0, || unsafe { frame(f) }.map_or(0, |f| f.func_offset))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_frame_module_offset(f: *const wasm_frame_t) -> usize {
    // SAFETY: header contract.
    guard(0, || unsafe { frame(f) }.map_or(0, |f| f.module_offset))
}

declare_ref!(
    is_trap,
    wasm_trap_delete,
    wasm_trap_copy,
    wasm_trap_same,
    wasm_trap_get_host_info,
    wasm_trap_set_host_info,
    wasm_trap_set_host_info_with_finalizer,
    wasm_trap_as_ref,
    wasm_trap_as_ref_const,
    wasm_ref_as_trap,
    wasm_ref_as_trap_const
);

/// The contents of a trap handle the caller lends.
///
/// # Safety
/// A non-null `trap` is a live handle.
pub unsafe fn trap_data<'a>(trap: *const wasm_trap_t) -> Option<&'a TrapData> {
    // SAFETY: forwarded.
    match unsafe { borrow(trap, is_trap) }.map(|o| &o.kind) {
        Some(ObjKind::Trap(data)) => Some(data),
        _ => None,
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_trap_new(
    store: *mut wasm_store_t,
    message: *const wasm_byte_vec_t,
) -> *mut wasm_trap_t {
    guard(ptr::null_mut(), || {
        // SAFETY: a non-null `store` is a live store; `message` a valid vector (header
        // contract).
        let (Some(state), Some(message)) = (unsafe { state_of(store) }, unsafe {
            vec::elements(message)
        }) else {
            return ptr::null_mut();
        };
        TrapData::new(Some(state), message, Vec::new()).into_raw()
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_trap_message(trap: *const wasm_trap_t, out: *mut wasm_byte_vec_t) {
    guard((), || {
        // SAFETY: a non-null `trap` is a live handle (header contract).
        let message = match unsafe { trap_data(trap) } {
            Some(data) => {
                let mut bytes = data.message.clone();
                bytes.push(0);
                vec::from_vec(bytes)
            }
            None => WasmVec::EMPTY,
        };
        // SAFETY: `out` is an out parameter (header contract).
        unsafe { vec::write_vec(out, message) }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_trap_origin(trap: *const wasm_trap_t) -> *mut wasm_frame_t {
    // SAFETY: a non-null `trap` is a live handle (header contract).
    guard(ptr::null_mut(), || match unsafe { trap_data(trap) } {
        Some(data) => data
            .frames
            .first()
            .map_or(ptr::null_mut(), |f| Box::into_raw(Box::new(data.frame(f)))),
        None => ptr::null_mut(),
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_trap_trace(trap: *const wasm_trap_t, out: *mut wasm_frame_vec_t) {
    guard((), || {
        // SAFETY: a non-null `trap` is a live handle (header contract).
        let frames = match unsafe { trap_data(trap) } {
            Some(data) => vec::from_vec(
                data.frames
                    .iter()
                    .map(|f| Box::into_raw(Box::new(data.frame(f))))
                    .collect(),
            ),
            None => WasmVec::EMPTY,
        };
        // SAFETY: `out` is an out parameter (header contract).
        unsafe { vec::write_vec(out, frames) }
    })
}
