//! See the module documentation of `crate::simd`.
