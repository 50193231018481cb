//! Vectors: `wasm_X_vec_t`, a `{size, data}` pair whose `data` is a boxed slice this
//! library allocated (or null when `size` is 0), and the five functions every vector type
//! has (`new_empty`, `new_uninitialized`, `new`, `copy`, `delete`).
//!
//! A vector owns its elements: [`Elem`] says what copying and deleting one means (nothing
//! for bytes, the reference for values, the boxed object for vectors of pointers).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::ptr;

/// The C layout of every `wasm_X_vec_t`.
#[repr(C)]
pub struct WasmVec<T> {
    pub size: usize,
    pub data: *mut T,
}

impl<T> WasmVec<T> {
    pub const EMPTY: WasmVec<T> = WasmVec {
        size: 0,
        data: ptr::null_mut(),
    };
}

/// An element type of a vector.
pub trait Elem: Sized {
    /// What `new_uninitialized` fills a vector with.
    fn zeroed() -> Self;
    /// A copy the new vector owns.
    ///
    /// # Safety
    /// `self` is a valid element (for pointers: null, or a live object of this library).
    unsafe fn copy_elem(&self) -> Self;
    /// Releases what the element owns.
    ///
    /// # Safety
    /// As `copy_elem`; the element is not used afterwards.
    unsafe fn delete_elem(&mut self);
}

impl Elem for u8 {
    fn zeroed() -> u8 {
        0
    }
    unsafe fn copy_elem(&self) -> u8 {
        *self
    }
    unsafe fn delete_elem(&mut self) {}
}

/// A boxed object a vector of pointers holds (and `wasm_X_copy` copies).
pub trait Owned: Sized {
    fn copy_owned(&self) -> Self;
}

impl<T: Owned> Elem for *mut T {
    fn zeroed() -> *mut T {
        ptr::null_mut()
    }
    unsafe fn copy_elem(&self) -> *mut T {
        // SAFETY: the caller guarantees a non-null element is a live `Box<T>` of this library.
        match unsafe { self.as_ref() } {
            Some(obj) => Box::into_raw(Box::new(obj.copy_owned())),
            None => ptr::null_mut(),
        }
    }
    unsafe fn delete_elem(&mut self) {
        if !self.is_null() {
            // SAFETY: a non-null element is a `Box<T>` this vector owns (the caller's
            // guarantee); it is dropped once, and nulled so that it cannot be again.
            drop(unsafe { Box::from_raw(*self) });
            *self = ptr::null_mut();
        }
    }
}

/// A vector owning `items` (`{0, NULL}` when empty).
pub fn from_vec<T>(items: Vec<T>) -> WasmVec<T> {
    if items.is_empty() {
        return WasmVec::EMPTY;
    }
    let size = items.len();
    let data = Box::into_raw(items.into_boxed_slice()) as *mut T;
    WasmVec { size, data }
}

/// A `Vec` of `size` elements, or `None` if that much memory cannot be had.
fn try_vec<T>(size: usize) -> Option<Vec<T>> {
    let mut items = Vec::new();
    items.try_reserve_exact(size).ok()?;
    Some(items)
}

/// The elements of a vector the caller lends: `None` for a null vector pointer or a vector
/// whose size is not 0 but whose data is null.
///
/// # Safety
/// A non-null `vec` points at a vector whose `data` holds `size` initialised elements that
/// stay valid and unaliased by writes for `'a`.
pub unsafe fn elements<'a, T>(vec: *const WasmVec<T>) -> Option<&'a [T]> {
    // SAFETY: the caller guarantees a non-null `vec` is readable.
    let vec = unsafe { vec.as_ref() }?;
    if vec.size == 0 {
        return Some(&[]);
    }
    if vec.data.is_null() {
        return None;
    }
    // SAFETY: `data` holds `size` elements (the caller's guarantee).
    Some(unsafe { core::slice::from_raw_parts(vec.data, vec.size) })
}

/// Writes `value` to `out` if it is not null (dropping `value` otherwise).
///
/// # Safety
/// A non-null `out` is writable; what it held before is not dropped (it is an out
/// parameter).
pub unsafe fn write_out<T>(out: *mut T, value: T) {
    if !out.is_null() {
        // SAFETY: `out` is writable (the caller's guarantee).
        unsafe { out.write(value) }
    }
}

/// Writes a vector to `out`, or deletes it (with its elements) if `out` is null.
///
/// # Safety
/// As [`write_out`]; `vec` is a vector this library allocated, owned by the caller.
pub unsafe fn write_vec<T: Elem>(out: *mut WasmVec<T>, mut vec: WasmVec<T>) {
    if out.is_null() {
        // SAFETY: `vec` is owned here and deleted once.
        unsafe { delete(&mut vec) }
    } else {
        // SAFETY: `out` is writable (the caller's guarantee).
        unsafe { out.write(vec) }
    }
}

/// `wasm_X_vec_new_empty`.
///
/// # Safety
/// As [`write_out`].
pub unsafe fn new_empty<T>(out: *mut WasmVec<T>) {
    // SAFETY: forwarded.
    unsafe { write_out(out, WasmVec::EMPTY) }
}

/// `wasm_X_vec_new_uninitialized`: `size` zeroed elements, or an empty vector if the memory
/// cannot be had.
///
/// # Safety
/// As [`write_out`].
pub unsafe fn new_uninitialized<T: Elem>(out: *mut WasmVec<T>, size: usize) {
    let vec = match try_vec(size) {
        Some(mut items) => {
            items.resize_with(size, T::zeroed);
            from_vec(items)
        }
        None => WasmVec::EMPTY,
    };
    // SAFETY: forwarded.
    unsafe { write_vec(out, vec) }
}

/// `wasm_X_vec_new`: takes the `size` elements of `elems` over (bitwise), copying the array.
/// An empty vector if `elems` is null with a nonzero size or the memory cannot be had (the
/// elements are then left to the caller).
///
/// # Safety
/// As [`write_out`]; a non-null `elems` holds `size` elements the caller gives up.
pub unsafe fn new<T: Elem>(out: *mut WasmVec<T>, size: usize, elems: *const T) {
    let vec = if size == 0 || elems.is_null() {
        WasmVec::EMPTY
    } else if let Some(mut items) = try_vec(size) {
        for i in 0..size {
            // SAFETY: `elems` holds `size` elements, which the caller hands over: each is
            // read once, and the caller no longer owns it.
            items.push(unsafe { elems.add(i).read() });
        }
        from_vec(items)
    } else {
        WasmVec::EMPTY
    };
    // SAFETY: forwarded.
    unsafe { write_vec(out, vec) }
}

/// `wasm_X_vec_copy`: a deep copy (an empty vector for an invalid source).
///
/// # Safety
/// As [`write_out`] and [`elements`].
pub unsafe fn copy<T: Elem>(out: *mut WasmVec<T>, src: *const WasmVec<T>) {
    // SAFETY: forwarded.
    let vec = match unsafe { elements(src) } {
        Some(items) => match try_vec(items.len()) {
            Some(mut copy) => {
                // SAFETY: the source's elements are valid (the caller's guarantee).
                copy.extend(items.iter().map(|e| unsafe { e.copy_elem() }));
                from_vec(copy)
            }
            None => WasmVec::EMPTY,
        },
        None => WasmVec::EMPTY,
    };
    // SAFETY: forwarded.
    unsafe { write_vec(out, vec) }
}

/// `wasm_X_vec_delete`: deletes the elements and the array, and empties the vector.
///
/// # Safety
/// A non-null `vec` is a vector this library allocated (or an empty one), not deleted yet.
pub unsafe fn delete<T: Elem>(vec: *mut WasmVec<T>) {
    // SAFETY: the caller guarantees a non-null `vec` is a live vector.
    let Some(vec) = (unsafe { vec.as_mut() }) else {
        return;
    };
    let WasmVec { size, data } = core::mem::replace(vec, WasmVec::EMPTY);
    if data.is_null() {
        return;
    }
    // SAFETY: `data` and `size` are those of a boxed slice this library leaked (the caller's
    // guarantee); it is rebuilt once, here.
    let mut items = unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(data, size)) };
    for item in items.iter_mut() {
        // SAFETY: the vector owned its elements.
        unsafe { item.delete_elem() };
    }
}

/// Declares the five exported functions of a vector type with element `$elem`.
macro_rules! declare_vec {
    ($elem:ty, $new_empty:ident, $new_uninitialized:ident, $new:ident, $copy:ident, $delete:ident) => {
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new_empty(out: *mut $crate::wasm::vec::WasmVec<$elem>) {
            // SAFETY: `out` is an out parameter (header contract).
            $crate::wasm::guard((), || unsafe { $crate::wasm::vec::new_empty(out) })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new_uninitialized(
            out: *mut $crate::wasm::vec::WasmVec<$elem>,
            size: usize,
        ) {
            // SAFETY: `out` is an out parameter (header contract).
            $crate::wasm::guard((), || unsafe {
                $crate::wasm::vec::new_uninitialized(out, size)
            })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new(
            out: *mut $crate::wasm::vec::WasmVec<$elem>,
            size: usize,
            elems: *const $elem,
        ) {
            // SAFETY: `elems` holds `size` owned elements (header contract).
            $crate::wasm::guard((), || unsafe { $crate::wasm::vec::new(out, size, elems) })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $copy(
            out: *mut $crate::wasm::vec::WasmVec<$elem>,
            src: *const $crate::wasm::vec::WasmVec<$elem>,
        ) {
            // SAFETY: `src` is a valid vector (header contract).
            $crate::wasm::guard((), || unsafe { $crate::wasm::vec::copy(out, src) })
        }

        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $delete(vec: *mut $crate::wasm::vec::WasmVec<$elem>) {
            // SAFETY: `vec` is a vector this library allocated (header contract).
            $crate::wasm::guard((), || unsafe { $crate::wasm::vec::delete(vec) })
        }
    };
}
pub(crate) use declare_vec;

/// `wasm_byte_vec_t` (and `wasm_name_t`, `wasm_message_t`).
pub type wasm_byte_vec_t = WasmVec<u8>;

declare_vec!(
    u8,
    wasm_byte_vec_new_empty,
    wasm_byte_vec_new_uninitialized,
    wasm_byte_vec_new,
    wasm_byte_vec_copy,
    wasm_byte_vec_delete
);

/// A byte vector holding a copy of `bytes`.
pub fn bytes(bytes: &[u8]) -> wasm_byte_vec_t {
    from_vec(bytes.to_vec())
}
