//! Clocks and randomness.

use crate::WasiCtx;
use crate::types::{ClockId, Errno, WasiResult};
use rustix::time::{ClockId as Os, Timespec};

fn os_clock(id: ClockId) -> Os {
    match id {
        ClockId::Realtime => Os::Realtime,
        ClockId::Monotonic => Os::Monotonic,
        ClockId::ProcessCputime => Os::ProcessCPUTime,
        ClockId::ThreadCputime => Os::ThreadCPUTime,
    }
}

fn nanos(t: Timespec) -> u64 {
    (t.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(t.tv_nsec as u64)
}

/// The clock's current time in nanoseconds.
pub fn now(id: ClockId) -> u64 {
    nanos(rustix::time::clock_gettime(os_clock(id)))
}

impl WasiCtx {
    pub(crate) fn clock_res_get(&self, id: ClockId) -> WasiResult<u64> {
        Ok(nanos(rustix::time::clock_getres(os_clock(id))).max(1))
    }

    /// `precision` is a hint the host clocks cannot use.
    pub(crate) fn clock_time_get(&self, id: ClockId, _precision: u64) -> WasiResult<u64> {
        Ok(now(id))
    }

    pub(crate) fn random_get(&mut self, buf: &mut [u8]) -> WasiResult<()> {
        getrandom::fill(buf).map_err(|_| Errno::Io)
    }
}
