//! Heap accounting: a global allocator that, while switched on, counts the bytes live and
//! the peak, so the harness can tell how much memory an engine's translated code takes.
//!
//! Counting is off while anything is timed (then the allocator costs one relaxed load per
//! allocation); the harness turns it on only for separate, untimed measurement passes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

pub struct Counting;

static ENABLED: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

#[global_allocator]
static GLOBAL: Counting = Counting;

fn add(delta: isize) {
    if ENABLED.load(Relaxed) {
        let now = LIVE.fetch_add(delta, Relaxed) + delta;
        PEAK.fetch_max(now, Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are only statistics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            add(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) };
        add(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            add(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// What [`measure`] saw.
#[derive(Debug, Clone, Copy, Default)]
pub struct HeapUse {
    /// Bytes still allocated when `f` returned, while its result is alive (the retained size
    /// of what it built: for a compiled module, its translated code and metadata).
    pub retained: isize,
    /// The most bytes allocated at once while `f` ran, above the starting point.
    pub peak: isize,
}

/// Runs `f` with counting on; returns its result (still alive) and the heap it used. Counts
/// every thread's allocations, so run it while nothing else allocates.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, HeapUse) {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    ENABLED.store(true, Relaxed);
    let r = f();
    ENABLED.store(false, Relaxed);
    let use_ = HeapUse { retained: LIVE.load(Relaxed), peak: PEAK.load(Relaxed) };
    (r, use_)
}
