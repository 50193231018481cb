//! `poll_oneoff` on the host: which subscriptions are ready now, and waiting for the first
//! one otherwise. Files and output streams are always ready; the host's own stdin is waited
//! on with `poll(2)`; clocks by sleeping until the nearest deadline.

use super::clock;
use super::stream::Stream;
use super::table::Descriptor;
use crate::WasiCtx;
use crate::types::{ClockId, Errno, Rights, WasiResult};
use rustix::event::{PollFd, PollFlags};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

/// What one subscription waits for.
#[derive(Debug, Copy, Clone)]
pub enum Awaited {
    /// `timeout` nanoseconds from now on clock `id`, or the moment `timeout` if `absolute`.
    Clock {
        id: ClockId,
        timeout: u64,
        absolute: bool,
    },
    FdRead(u32),
    FdWrite(u32),
}

#[derive(Debug, Copy, Clone)]
pub struct Subscription {
    pub userdata: u64,
    pub awaited: Awaited,
}

/// The event type numbers of `eventtype`.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum EventKind {
    Clock = 0,
    FdRead = 1,
    FdWrite = 2,
}

#[derive(Debug, Copy, Clone)]
pub struct Event {
    pub userdata: u64,
    pub error: Option<Errno>,
    pub kind: EventKind,
    /// For fd events: bytes available to read (0 when unknown).
    pub nbytes: u64,
    pub hangup: bool,
}

enum Readiness {
    Ready(u64),
    /// The host's stdin, which may have nothing to read yet.
    HostStdin,
}

impl WasiCtx {
    pub(crate) fn poll_oneoff(&mut self, subs: &[Subscription]) -> WasiResult<Vec<Event>> {
        let start = Instant::now();
        let mut events = Vec::new();
        let mut waiting_on_stdin = Vec::new();
        let mut deadlines = Vec::new();
        for sub in subs {
            let (fd, kind) = match sub.awaited {
                Awaited::Clock { id, timeout, absolute } => {
                    let wait =
                        if absolute { timeout.saturating_sub(clock::now(id)) } else { timeout };
                    deadlines.push((sub.userdata, Duration::from_nanos(wait)));
                    continue;
                }
                Awaited::FdRead(fd) => (fd, EventKind::FdRead),
                Awaited::FdWrite(fd) => (fd, EventKind::FdWrite),
            };
            let event = |error, nbytes| Event {
                userdata: sub.userdata,
                error,
                kind,
                nbytes,
                hangup: false,
            };
            match self.readiness(fd, kind) {
                Ok(Readiness::Ready(nbytes)) => events.push(event(None, nbytes)),
                Ok(Readiness::HostStdin) => waiting_on_stdin.push(sub.userdata),
                Err(e) => events.push(event(Some(e), 0)),
            }
        }
        let nearest = deadlines.iter().map(|(_, d)| *d).min();
        if events.is_empty() {
            if !waiting_on_stdin.is_empty() {
                let (readable, hangup) = wait_for_stdin(nearest)?;
                if readable || hangup {
                    for userdata in waiting_on_stdin {
                        events.push(Event {
                            userdata,
                            error: None,
                            kind: EventKind::FdRead,
                            nbytes: 0,
                            hangup,
                        });
                    }
                }
            } else if let Some(wait) = nearest {
                std::thread::sleep(wait);
            }
        }
        let elapsed = start.elapsed();
        for (userdata, wait) in deadlines {
            if wait <= elapsed {
                events.push(Event {
                    userdata,
                    error: None,
                    kind: EventKind::Clock,
                    nbytes: 0,
                    hangup: false,
                });
            }
        }
        Ok(events)
    }

    fn readiness(&mut self, fd: u32, kind: EventKind) -> WasiResult<Readiness> {
        match &mut self.table.get(fd, Rights::POLL_FD_READWRITE)?.desc {
            Descriptor::File(f) if kind == EventKind::FdRead => {
                let size = f.filestat()?.size;
                Ok(Readiness::Ready(size.saturating_sub(f.tell()?)))
            }
            Descriptor::File(_) => Ok(Readiness::Ready(0)),
            Descriptor::Stream(Stream::Input { host_stdin, .. }) if kind == EventKind::FdRead => {
                Ok(if *host_stdin { Readiness::HostStdin } else { Readiness::Ready(0) })
            }
            Descriptor::Stream(Stream::Output { .. }) if kind == EventKind::FdWrite => {
                Ok(Readiness::Ready(0))
            }
            _ => Err(Errno::Badf),
        }
    }
}

/// Waits until the host's stdin is readable or hung up, or `timeout` passes.
fn wait_for_stdin(timeout: Option<Duration>) -> WasiResult<(bool, bool)> {
    let stdin = std::io::stdin();
    let fd = stdin.as_fd();
    let mut fds = [PollFd::new(&fd, PollFlags::IN)];
    let timeout = timeout.map(|d| rustix::time::Timespec {
        tv_sec: d.as_secs().min(i64::MAX as u64) as i64,
        tv_nsec: d.subsec_nanos() as _,
    });
    match rustix::event::poll(&mut fds, timeout.as_ref()) {
        Ok(_) => {
            let revents = fds[0].revents();
            Ok((
                revents.contains(PollFlags::IN),
                revents.intersects(PollFlags::HUP | PollFlags::ERR),
            ))
        }
        Err(rustix::io::Errno::INTR) => Ok((false, false)),
        Err(e) => Err(e.into()),
    }
}
