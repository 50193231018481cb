//! What a `no_std` library needs from its host: an allocator (the C library's) and a panic
//! handler (abort). Built only without the `std` feature, with `panic = "abort"`.

use core::alloc::{GlobalAlloc, Layout};

#[cfg(panic = "unwind")]
compile_error!("mica-c-api without `std` must be built with panic = \"abort\" (the `size` profile)");

unsafe extern "C" {
    fn aligned_alloc(align: usize, size: usize) -> *mut core::ffi::c_void;
    fn malloc(size: usize) -> *mut core::ffi::c_void;
    fn calloc(count: usize, size: usize) -> *mut core::ffi::c_void;
    fn realloc(ptr: *mut core::ffi::c_void, size: usize) -> *mut core::ffi::c_void;
    fn free(ptr: *mut core::ffi::c_void);
    fn abort() -> !;
}

/// `malloc`'s alignment on every platform Mica supports (`max_align_t`).
const MALLOC_ALIGN: usize = 16;

struct CAllocator;

// SAFETY: each method forwards to the C library's allocator, which returns memory of at least
// the requested size and alignment or null: `malloc`/`calloc`/`realloc` align to
// `MALLOC_ALIGN`, so larger alignments go through `aligned_alloc` (whose size must be a
// multiple of the alignment: rounded up here). `realloc` is used only for layouts `malloc`
// could have served, so a block keeps an alignment it was allocated with.
unsafe impl GlobalAlloc for CAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain C allocation calls; see the impl's comment.
        unsafe {
            if layout.align() <= MALLOC_ALIGN {
                malloc(layout.size()) as *mut u8
            } else {
                let size = layout.size().next_multiple_of(layout.align());
                aligned_alloc(layout.align(), size) as *mut u8
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            // SAFETY: as `alloc`.
            unsafe { calloc(1, layout.size()) as *mut u8 }
        } else {
            // SAFETY: `alloc` returns a block of `layout.size()` bytes or null.
            unsafe {
                let p = self.alloc(layout);
                if !p.is_null() {
                    core::ptr::write_bytes(p, 0, layout.size());
                }
                p
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the `GlobalAlloc` contract).
        unsafe { free(ptr as *mut core::ffi::c_void) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MALLOC_ALIGN {
            // SAFETY: `ptr` came from `malloc`/`calloc` (alignment at most `MALLOC_ALIGN`).
            unsafe { realloc(ptr as *mut core::ffi::c_void, new_size) as *mut u8 }
        } else {
            // SAFETY: allocate, copy the smaller size, free: the `GlobalAlloc` default.
            unsafe {
                let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
                if !new.is_null() {
                    core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

#[global_allocator]
static ALLOCATOR: CAllocator = CAllocator;

/// The unwinder's personality routine, which the standard library's precompiled `core` and
/// `alloc` name (they are built to unwind) although nothing unwinds here: with
/// `panic = "abort"` no landing pad is ever entered, so it is never called.
#[unsafe(no_mangle)]
extern "C" fn rust_eh_personality() {}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    // SAFETY: `abort` has no preconditions.
    unsafe { abort() }
}
