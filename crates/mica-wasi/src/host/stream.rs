//! Character streams: the descriptors 0, 1 and 2. Each is inherited from the host process or
//! redirected by the embedder (to an in-memory pipe, typically).

use crate::types::{Errno, WasiResult};
use std::io::{self, Read, Write};

/// A readable or writable stream behind a descriptor.
pub enum Stream {
    /// Bytes in. `host_stdin` marks the process's own standard input, which `poll_oneoff`
    /// can wait on; any other reader counts as always ready.
    Input { reader: Box<dyn Read + Send>, host_stdin: bool },
    /// Bytes out. Every write is flushed at once, so output survives a trap or `proc_exit`
    /// and interleaves with the host's own output in order.
    Output(Box<dyn Write + Send>),
}

impl Stream {
    pub fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize> {
        match self {
            Stream::Input { reader, .. } => retry(|| reader.read(buf)),
            Stream::Output(_) => Err(Errno::Badf),
        }
    }

    pub fn write(&mut self, data: &[u8]) -> WasiResult<usize> {
        match self {
            Stream::Output(writer) => {
                // Short writes are fine for the guest, but a character stream takes all.
                retry(|| writer.write_all(data))?;
                retry(|| writer.flush())?;
                Ok(data.len())
            }
            Stream::Input { .. } => Err(Errno::Badf),
        }
    }
}

/// Runs an I/O operation again while the OS reports an interruption.
fn retry<T>(mut op: impl FnMut() -> io::Result<T>) -> WasiResult<T> {
    loop {
        match op() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other.map_err(Errno::from),
        }
    }
}
