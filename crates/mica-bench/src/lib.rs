//! Mica's benchmark harness: runs each workload on Mica and on wasmi 2.0.0, interleaved in
//! the same process, and reports medians, spreads and Mica/wasmi ratios per phase
//! (translate, instantiate, execute, call overhead, start-up, hostile shapes, a big
//! real program's start-up and peak memory). See `BENCHMARKS.md`.
//!
//! Run it with `cargo run --profile harness -p mica-bench -- [--quick] [--filter NAME]`: the
//! `harness` profile is the release profile with fat LTO and one codegen unit, wasmi's
//! recommended settings (`--release` works too, with thin LTO).

pub mod big;
pub mod cli;
pub mod engines;
pub mod gc;
pub mod harness;
pub mod heap;
pub mod hostile;
pub mod python;
pub mod report;
pub mod stats;
pub mod wasi;
pub mod workloads;
