//! Moving a [`V`] between memory (frame slots, linear memory) and registers in one 16-byte
//! access, so that the lane arithmetic receives a value already in a vector register.
//!
//! The lane functions vectorize only if their operands arrive in a vector register: a
//! `[u8; 16]` read with `read_unaligned` is copied byte-wise or through two integer
//! registers, after which the compiler does integer lanes in general-purpose registers
//! (measured: `i32x4.add` as eight scalar instructions, and a V128 load written back in
//! three overlapping pieces whose 16-byte reload could not be forwarded from them, which
//! made `matmul_simd` four times slower). On x86-64 (SSE2 is part of the architecture) and
//! AArch64 (NEON is) the access is the architecture's own unaligned vector load or store;
//! elsewhere it is [`portable`]'s two 8-byte halves, which the unit tests below compare with
//! the vector path on every target CI runs.

use crate::simd::V;

/// Reads the 16 bytes at `p`.
///
/// # Safety
///
/// `p` is valid for a 16-byte read (no alignment needed).
#[inline(always)]
pub(crate) unsafe fn load(p: *const u8) -> V {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{__m128i, _mm_loadu_si128};
        // SAFETY: the caller's contract (`_mm_loadu_si128` has no alignment requirement);
        // SSE2 is part of x86-64. `__m128i` and `V` have the same size and every bit
        // pattern is valid for both.
        unsafe { core::mem::transmute::<__m128i, V>(_mm_loadu_si128(p.cast())) }
    }
    #[cfg(target_arch = "aarch64")]
    {
        use core::arch::aarch64::{uint8x16_t, vld1q_u8};
        // SAFETY: as above (`vld1q_u8` needs byte alignment only; NEON is part of AArch64).
        unsafe { core::mem::transmute::<uint8x16_t, V>(vld1q_u8(p)) }
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        // SAFETY: the caller's contract.
        unsafe { portable::load(p) }
    }
}

/// Writes `v` to the 16 bytes at `p`.
///
/// # Safety
///
/// `p` is valid for a 16-byte write (no alignment needed).
#[inline(always)]
pub(crate) unsafe fn store(p: *mut u8, v: V) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{__m128i, _mm_storeu_si128};
        // SAFETY: as in `load`.
        unsafe { _mm_storeu_si128(p.cast(), core::mem::transmute::<V, __m128i>(v)) }
    }
    #[cfg(target_arch = "aarch64")]
    {
        use core::arch::aarch64::{uint8x16_t, vst1q_u8};
        // SAFETY: as in `load`.
        unsafe { vst1q_u8(p, core::mem::transmute::<V, uint8x16_t>(v)) }
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        // SAFETY: the caller's contract.
        unsafe { portable::store(p, v) }
    }
}

/// The accesses without `core::arch`: two unaligned 8-byte halves, low half first.
#[cfg_attr(any(target_arch = "x86_64", target_arch = "aarch64"), allow(dead_code))]
mod portable {
    use crate::simd::V;

    /// As [`super::load`].
    ///
    /// # Safety
    ///
    /// `p` is valid for a 16-byte read.
    #[inline(always)]
    pub(super) unsafe fn load(p: *const u8) -> V {
        // SAFETY: the caller's contract covers both halves.
        let (lo, hi) = unsafe { (p.cast::<u64>().read_unaligned(), p.add(8).cast::<u64>().read_unaligned()) };
        let (lo, hi) = (lo.to_ne_bytes(), hi.to_ne_bytes());
        core::array::from_fn(|i| if i < 8 { lo[i] } else { hi[i - 8] })
    }

    /// As [`super::store`].
    ///
    /// # Safety
    ///
    /// `p` is valid for a 16-byte write.
    #[inline(always)]
    pub(super) unsafe fn store(p: *mut u8, v: V) {
        let lo = u64::from_ne_bytes(core::array::from_fn(|i| v[i]));
        let hi = u64::from_ne_bytes(core::array::from_fn(|i| v[8 + i]));
        // SAFETY: the caller's contract covers both halves.
        unsafe {
            p.cast::<u64>().write_unaligned(lo);
            p.add(8).cast::<u64>().write_unaligned(hi);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_and_portable_accesses_agree_at_every_alignment() {
        let bytes: [u8; 40] = core::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0x5a);
        for at in 0..24 {
            let p = bytes[at..].as_ptr();
            // SAFETY: `at + 16 <= 40`.
            let (fast, slow) = unsafe { (load(p), portable::load(p)) };
            assert_eq!(fast, slow);
            assert_eq!(&fast[..], &bytes[at..at + 16]);

            let v: V = core::array::from_fn(|i| 200 - i as u8 * 3 + at as u8);
            let (mut a, mut b) = ([0u8; 40], [0u8; 40]);
            // SAFETY: as above.
            unsafe {
                store(a[at..].as_mut_ptr(), v);
                portable::store(b[at..].as_mut_ptr(), v);
            }
            assert_eq!(a, b);
            assert_eq!(&a[at..at + 16], &v[..]);
        }
    }
}
