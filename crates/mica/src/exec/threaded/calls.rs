//! Calls and returns as the handlers make them (`exec/ops/call.rs` uses these): finding a
//! callee that may be entered without a slow path, pushing and popping caller frames on the
//! frame stack as `FastCtx` holds it, and switching the running function.

use super::FastCtx;
use crate::exec::{Callee, CodeRef, ExecStack, Frame};
use crate::store::FuncEntity;

impl FastCtx {
    /// The running function's translation, if `callee` (a store function) may be entered
    /// without a slow path: a wasm function of the running instance, already translated.
    #[inline(always)]
    pub(in crate::exec) fn fast_callee(&self, callee: u32) -> Option<Callee> {
        // SAFETY: `inner` is the store of the running activation (module documentation).
        let inner = unsafe { &*self.inner };
        match inner.funcs.get(callee as usize)? {
            // A function of the running instance is one of its module's bodies.
            FuncEntity::Wasm { instance, def_index, .. } if *instance == self.instance => {
                self.body_entry(*def_index)
            }
            _ => None,
        }
    }

    /// Pushes a suspended caller's frame, if the frame stack has room for it without growing
    /// (and below the call-depth limit); `false` if not, and the call takes the slow path.
    #[inline(always)]
    pub(in crate::exec) fn push_frame(&mut self, frame: Frame) -> bool {
        if self.frame_len >= self.frame_room {
            return false;
        }
        // SAFETY: `frame_len < frame_room <= capacity` of the frame stack's buffer, which
        // `frames` points at (derived with them by `Executor::refresh_storage`); the slot is
        // written before the length covers it.
        unsafe { self.frames.add(self.frame_len).write(frame) };
        self.frame_len += 1;
        true
    }

    /// Whether the running function's caller (the frame a return goes to) is a suspended
    /// frame of this activation, of the running instance: a return the handlers make
    /// themselves (`pop_caller`).
    #[inline(always)]
    pub(in crate::exec) fn caller_is_local(&self) -> bool {
        self.frame_len > self.entry_depth
            // SAFETY: the frames below `frame_len` are initialised (the vector's own, or
            // pushed by `push_frame`), in the buffer `frames` points at.
            && unsafe { (*self.frames.add(self.frame_len - 1)).instance } == self.instance
    }

    /// Pops the running function's caller, read only now (a return reads it after moving its
    /// results, so that none of its fields is held across that).
    ///
    /// # Safety
    ///
    /// The caller is local (`caller_is_local` said so).
    #[inline(always)]
    pub(in crate::exec) unsafe fn pop_caller(&mut self) -> Frame {
        debug_assert!(self.frame_len > self.entry_depth);
        self.frame_len -= 1;
        // SAFETY: the caller's contract: the frame at the old `frame_len - 1` is initialised
        // (see `caller_is_local`).
        unsafe { *self.frames.add(self.frame_len) }
    }

    /// Gives the frame stack its length back: before the executor takes over from the
    /// handlers (a slow path, a host call, a trap).
    ///
    /// # Safety
    ///
    /// `exec` is the frame stack `frames` was derived from, unchanged since (the handlers
    /// have been running).
    #[inline(always)]
    pub(in crate::exec) unsafe fn sync_frames(&self, exec: &mut ExecStack) {
        debug_assert!(self.frame_len <= exec.frames.capacity());
        // SAFETY: the caller's contract: `frame_len <= frame_room <= capacity`, and every
        // frame below it is initialised (see `caller_is_local`).
        unsafe { exec.frames.set_len(self.frame_len) };
    }

    /// Ends the activation: its first frame returned, its results in place. Stops the
    /// handlers with `Stop::Done`, the frame stack given its length back, as the slow path
    /// leaves it when that frame's `return` runs there.
    ///
    /// # Safety
    ///
    /// As for `sync_frames`, with `inner` the store whose frame stack `frames` was derived
    /// from.
    pub(in crate::exec) unsafe fn finish(&mut self) -> super::Exit {
        // `inner` is the store of the running activation (module documentation), not
        // borrowed elsewhere while the handlers run.
        let inner = self.inner;
        // SAFETY: as above.
        unsafe { self.sync_frames(&mut (*inner).exec) };
        self.stop = super::Stop::Done;
        super::Exit(core::ptr::null())
    }

    /// The code of function `func` (an index of the running instance's function space), if
    /// it is one of the module's own, already translated (by this instance or another of
    /// the module: the code is the module's): the callee of a direct `call` that the
    /// handler may enter. Such a function is of the running instance by construction, so
    /// unlike `fast_callee` nothing of the store's function entity is read.
    #[inline(always)]
    pub(in crate::exec) fn direct_callee(&self, func: u32) -> Option<Callee> {
        self.body_entry(func.wrapping_sub(self.imported_funcs))
    }

    /// The published translation of the running module's defined function `def`, if any.
    #[inline(always)]
    fn body_entry(&self, def: u32) -> Option<Callee> {
        if def >= self.num_bodies {
            return None;
        }
        // SAFETY: `bodies` has `num_bodies` entries (set together by `Executor::refresh` from
        // the running instance's module, which the store keeps alive while its code runs).
        let body = unsafe { &*self.bodies.add(def as usize) };
        body.entry()
    }

    /// The host-function index of `callee` (a store function), if it is a host function.
    #[inline(always)]
    pub(in crate::exec) fn host_callee(&self, callee: u32) -> Option<u32> {
        // SAFETY: `inner` is the store of the running activation (module documentation).
        let inner = unsafe { &*self.inner };
        match inner.funcs.get(callee as usize)? {
            FuncEntity::Host { host, .. } => Some(*host),
            _ => None,
        }
    }

    /// The function `table[index]` of the running instance, if it exists and has type `ty`;
    /// `None` sends the call to the slow path, which reports the trap.
    #[inline(always)]
    pub(in crate::exec) fn indirect_target(&self, index: u32, table: u16, ty: u32) -> Option<u32> {
        // SAFETY: `inner` is the store of the running activation (module documentation).
        let inner = unsafe { &*self.inner };
        if u32::from(table) >= self.num_tables || ty >= self.num_types {
            return None;
        }
        // SAFETY: `instance_tables` has `num_tables` entries and `types` `num_types` (set
        // together by `Executor::refresh` from the running instance and its module, which the
        // store keeps alive and unchanged while its code runs); both were just checked.
        let (table, expected) = unsafe { (*self.instance_tables.add(table as usize), &*self.types.add(ty as usize)) };
        let cell = *inner.tables.get(table as usize)?.elems.get(index as usize)?;
        let callee = crate::cell::ref_index(cell)?;
        (inner.funcs.get(callee as usize)?.ty() == expected).then_some(callee)
    }

    /// Makes `code` (store function `func`) the running function, with its frame at `base`.
    ///
    /// # Safety
    ///
    /// `code` is the code of a function of the running store.
    #[inline(always)]
    pub(in crate::exec) unsafe fn switch_to(&mut self, code: CodeRef, func: u32, base: usize) {
        self.code = code;
        self.func = func as usize;
        self.base = base;
    }
}
