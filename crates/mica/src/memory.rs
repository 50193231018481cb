//! The bytes behind a linear memory: [`MemoryBacking`], which the store's memories keep and
//! every accessor goes through (`as_slice`, `as_mut_slice`, `len`, `grow`).
//!
//! Two implementations:
//!
//! - **Reserved** (`std` on unix, not under Miri): the address space for the memory's
//!   maximum is reserved up front with an anonymous `PROT_NONE` mapping, and growth makes
//!   the next pages readable and writable (`mprotect`). Nothing is copied or zeroed: the OS
//!   supplies a zero page the first time one is touched, so the resident set follows the pages
//!   the guest (or the host) actually writes, and the base never moves on growth. A module
//!   that declares `(memory 65536)` costs 4 GiB of address space, not 4 GiB of memory.
//! - **Heap** (everywhere else, and the fallback when the reservation fails, e.g. under an
//!   address-space limit or for a maximum that does not fit a 32-bit host): a zeroed heap
//!   allocation that grows by reallocation (its capacity at least doubling, so growth in
//!   small steps copies each byte a bounded number of times). Allocation failure is
//!   reported, never an abort.
//!
//! A memory of at most [`HEAP_MAX`] bytes starts on the heap even where it could be
//! reserved, and moves into a reservation (one copy) when it grows past that. A reservation
//! is a fresh mapping: each page the guest touches first costs a page fault, in every new
//! instance. A small heap block is most often one the allocator had just freed, zeroed at
//! creation and already mapped, so a program that is instantiated, run and dropped again and
//! again pays no faults while it runs (measured: an empty C program's run took 63–68 ns in
//! every process that way; with a reservation, 63–68 ns in some processes and 113–151 ns in
//! the others).
//!
//! Why `PROT_NONE` and `mprotect` rather than one read/write `MAP_NORESERVE` mapping: pages
//! past the memory's current length stay inaccessible, so a wrong bounds check would fault
//! instead of silently reading or writing zeroes; and the kernel charges commit only for the
//! pages made accessible, at `mprotect` time, so under strict overcommit (`vm.overcommit_memory
//! = 2`, where `MAP_NORESERVE` is ignored and a read/write reservation would be charged in
//! full up front) creating a memory with a large maximum still works and it is growth past
//! what the system can back that fails — cleanly, as `memory.grow` returning -1 — rather
//! than the process being killed on a later page fault.

use alloc::vec::Vec;

/// The bytes of one linear memory: `len()` zero-initialised bytes, growable up to the
/// maximum given at creation.
pub(crate) struct MemoryBacking {
    imp: Imp,
    /// The maximum given at creation: a heap backing growing past [`HEAP_MAX`] reserves it.
    #[cfg_attr(not(all(feature = "std", unix, not(miri))), allow(dead_code))]
    maximum: u64,
}

/// The largest memory kept on the heap where a reservation is possible (see the module
/// documentation).
#[cfg_attr(not(all(feature = "std", unix, not(miri))), allow(dead_code))]
const HEAP_MAX: usize = 1 << 20;

enum Imp {
    Heap(Vec<u8>),
    #[cfg(all(feature = "std", unix, not(miri)))]
    Reserved(reserved::Reservation),
}

impl MemoryBacking {
    /// A backing of `initial` zero bytes that may grow to `maximum` bytes (which the caller
    /// guarantees is at least `initial`). `None` if the memory cannot be allocated.
    pub(crate) fn new(initial: usize, maximum: u64) -> Option<MemoryBacking> {
        debug_assert!(initial as u64 <= maximum);
        #[cfg(all(feature = "std", unix, not(miri)))]
        if initial > HEAP_MAX
            && let Some(reservation) = reserved::Reservation::new(initial, maximum)
        {
            return Some(MemoryBacking { imp: Imp::Reserved(reservation), maximum });
        }
        Some(MemoryBacking { imp: Imp::Heap(zeroed(initial)?), maximum })
    }

    /// The current size in bytes.
    pub(crate) fn len(&self) -> usize {
        match &self.imp {
            Imp::Heap(heap) => heap.len(),
            #[cfg(all(feature = "std", unix, not(miri)))]
            Imp::Reserved(reservation) => reservation.len(),
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        match &self.imp {
            Imp::Heap(heap) => heap,
            #[cfg(all(feature = "std", unix, not(miri)))]
            Imp::Reserved(reservation) => reservation.as_slice(),
        }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        match &mut self.imp {
            Imp::Heap(heap) => heap,
            #[cfg(all(feature = "std", unix, not(miri)))]
            Imp::Reserved(reservation) => reservation.as_mut_slice(),
        }
    }

    /// Grows to `new_len` bytes (at least the current length, at most the maximum given at
    /// creation), the new bytes zero. `false`, with nothing changed, if the memory cannot grow.
    pub(crate) fn grow(&mut self, new_len: usize) -> bool {
        match &mut self.imp {
            Imp::Heap(heap) => {
                let Some(additional) = new_len.checked_sub(heap.len()) else { return false };
                // Past `HEAP_MAX`, into a reservation of the maximum (the heap stays the
                // fallback if the address space cannot be reserved).
                #[cfg(all(feature = "std", unix, not(miri)))]
                if new_len > HEAP_MAX
                    && let Some(mut reservation) = reserved::Reservation::new(new_len, self.maximum)
                {
                    reservation.as_mut_slice()[..heap.len()].copy_from_slice(heap);
                    self.imp = Imp::Reserved(reservation);
                    return true;
                }
                // Amortised, or exactly if doubling asks for more than the system has (a
                // large memory where nothing could be reserved).
                if heap.try_reserve(additional).is_err() && heap.try_reserve_exact(additional).is_err() {
                    return false;
                }
                heap.resize(new_len, 0);
                true
            }
            #[cfg(all(feature = "std", unix, not(miri)))]
            Imp::Reserved(reservation) => reservation.grow(new_len),
        }
    }
}

/// `len` zero bytes on the heap, or `None` if they cannot be allocated. Zeroed by the
/// allocator (`calloc`), which skips the writes for fresh pages from the OS: a memory's
/// untouched pages then cost no resident memory, as a reservation's do not.
fn zeroed(len: usize) -> Option<Vec<u8>> {
    if len == 0 {
        return Some(Vec::new());
    }
    let layout = core::alloc::Layout::array::<u8>(len).ok()?;
    // SAFETY: `layout` has a non-zero size (`len > 0`).
    let ptr = unsafe { alloc::alloc::alloc_zeroed(layout) };
    if ptr.is_null() {
        return None;
    }
    // SAFETY: `ptr` comes from the global allocator with `layout`: `len` bytes of `u8`
    // (alignment 1), all initialised (zero); so `len` is both the length and the capacity.
    Some(unsafe { Vec::from_raw_parts(ptr, len, len) })
}

#[cfg(all(feature = "std", unix, not(miri)))]
mod reserved {
    use core::ffi::c_void;
    use core::ptr::NonNull;
    use rustix::mm::{MapFlags, MprotectFlags, ProtFlags};

    /// An anonymous mapping of `reserved` bytes, inaccessible but for its first `accessible`
    /// bytes (read/write), of which the memory is the first `len`.
    ///
    /// Invariants: `base..base + reserved` is a mapping this value created and alone owns
    /// (unmapped on drop, never handed to anything else); `len <= accessible <= reserved`;
    /// `accessible` is a multiple of the host page size; `base..base + accessible` is
    /// mapped read/write. Only `&self`/`&mut self` methods give access to the bytes, so
    /// Rust's borrow rules govern them as for a `Vec`.
    pub(super) struct Reservation {
        base: NonNull<u8>,
        len: usize,
        accessible: usize,
        reserved: usize,
    }

    // SAFETY: a `Reservation` owns its mapping exclusively, as a `Vec<u8>` owns its buffer;
    // the raw pointer is never shared, so moving it to another thread is sound.
    unsafe impl Send for Reservation {}
    // SAFETY: shared access (`&Reservation`) only reads the bytes (`as_slice`, `len`), as for
    // a `Vec<u8>`.
    unsafe impl Sync for Reservation {}

    /// `n` rounded up to a multiple of `page` (a power of two), if that fits.
    fn round_up(n: usize, page: usize) -> Option<usize> {
        Some(n.checked_add(page - 1)? & !(page - 1))
    }

    impl Reservation {
        /// Reserves `maximum` bytes and makes the first `initial` accessible. `None` if the
        /// address space cannot be reserved (or `maximum` does not fit this host's address
        /// space), or the initial pages cannot be made accessible.
        pub(super) fn new(initial: usize, maximum: u64) -> Option<Reservation> {
            let page = rustix::param::page_size();
            let reserved = round_up(usize::try_from(maximum).ok()?, page)?;
            // A size that does not fit an `isize` cannot be a Rust slice.
            isize::try_from(reserved).ok()?;
            // SAFETY: a fresh anonymous mapping at an address of the kernel's choosing (the
            // null hint): it cannot overlap anything Rust owns.
            let base = unsafe {
                rustix::mm::mmap_anonymous(
                    core::ptr::null_mut(),
                    reserved,
                    ProtFlags::empty(),
                    MapFlags::PRIVATE,
                )
            }
            .ok()?;
            // Transparent huge pages where the system offers them on request
            // (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise` or `always`): a
            // memory that grows to megabytes is backed by 2 MiB pages, so filling it costs one
            // page fault per 2 MiB instead of one per 4 KiB (page faults are most of the time
            // of a fresh program's bulk copies), and later accesses miss the TLB less. Only
            // aligned 2 MiB blocks wholly inside the accessible part qualify, so a small
            // memory stays in 4 KiB pages and costs no more resident memory. Advice the kernel
            // does not take is not an error.
            #[cfg(any(target_os = "linux", target_os = "android"))]
            // SAFETY: the range is the mapping just created, which nothing else knows of; the
            // advice changes how the kernel backs it, not its contents.
            let _ = unsafe { rustix::mm::madvise(base, reserved, rustix::mm::Advice::LinuxHugepage) };
            let mut reservation = Reservation {
                base: NonNull::new(base.cast::<u8>())?,
                len: 0,
                accessible: 0,
                reserved,
            };
            // On failure `reservation` is dropped, which unmaps it.
            reservation.grow(initial).then_some(reservation)
        }

        pub(super) fn len(&self) -> usize {
            self.len
        }

        pub(super) fn as_slice(&self) -> &[u8] {
            // SAFETY: `base..base + len` is mapped read/write and owned by `self` (the type's
            // invariants); anonymous pages read as zero until written, so every byte is
            // initialised; `len <= reserved <= isize::MAX` (checked in `new`); the borrow of
            // `self` keeps the mapping alive and unchanged for the slice's lifetime.
            unsafe { core::slice::from_raw_parts(self.base.as_ptr(), self.len) }
        }

        pub(super) fn as_mut_slice(&mut self) -> &mut [u8] {
            // SAFETY: as in `as_slice`; the exclusive borrow of `self` makes the slice the
            // only way to the bytes while it lives.
            unsafe { core::slice::from_raw_parts_mut(self.base.as_ptr(), self.len) }
        }

        /// Grows to `new_len` bytes, making pages accessible as needed. `false`, with nothing
        /// changed, if `new_len` is smaller than the length or past the reservation, or the
        /// system refuses the pages (commit limits).
        pub(super) fn grow(&mut self, new_len: usize) -> bool {
            if new_len < self.len || new_len > self.reserved {
                return false;
            }
            if new_len > self.accessible {
                let page = rustix::param::page_size();
                // Cannot overflow: `new_len <= reserved`, which is a multiple of `page`.
                let Some(end) = round_up(new_len, page) else { return false };
                // SAFETY: `accessible <= end <= reserved`, so the range lies inside the
                // mapping `self` owns (its invariants), and starts at a page boundary
                // (`accessible` is a multiple of the page size). The pages were
                // inaccessible: no Rust reference points at them.
                let result = unsafe {
                    rustix::mm::mprotect(
                        self.base.as_ptr().add(self.accessible).cast::<c_void>(),
                        end - self.accessible,
                        MprotectFlags::READ | MprotectFlags::WRITE,
                    )
                };
                if result.is_err() {
                    return false;
                }
                self.accessible = end;
            }
            self.len = new_len;
            true
        }
    }

    impl Drop for Reservation {
        fn drop(&mut self) {
            // SAFETY: `base..base + reserved` is the mapping `self` created and owns; the
            // exclusive borrow means no slice of it is alive. A failure (which would only
            // leak address space) cannot be reported from `drop`.
            let _ = unsafe { rustix::mm::munmap(self.base.as_ptr().cast::<c_void>(), self.reserved) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small memory grows on the heap, then past `HEAP_MAX` (into a reservation where
    /// there can be one) keeping its bytes, the new ones zero, and grows on from there.
    #[test]
    fn a_small_memory_keeps_its_bytes_as_it_grows_past_the_heap_limit() {
        let page = 64 * 1024;
        let mut memory = MemoryBacking::new(2 * page, 1 << 32).expect("allocates");
        assert!(matches!(memory.imp, Imp::Heap(_)));
        memory.as_mut_slice()[..4].copy_from_slice(&[1, 2, 3, 4]);
        let last = 2 * page - 1;
        memory.as_mut_slice()[last] = 5;
        for pages in [3, 16, 17, 40] {
            assert!(memory.grow(pages * page), "grows to {pages} pages");
            let bytes = memory.as_slice();
            assert_eq!(bytes.len(), pages * page);
            assert_eq!((&bytes[..4], bytes[last]), (&[1, 2, 3, 4][..], 5), "kept at {pages} pages");
            // (Spot checks, not every byte: this runs under Miri too.)
            let (after, end) = (&bytes[last + 1..last + 4097], &bytes[bytes.len() - 4096..]);
            assert!(after.iter().chain(end).all(|&b| b == 0), "zero past the old end at {pages} pages");
        }
        #[cfg(all(feature = "std", unix, not(miri)))]
        assert!(matches!(memory.imp, Imp::Reserved(_)), "reserved past HEAP_MAX");
        assert!(!memory.grow(page), "never shrinks");
    }
}
