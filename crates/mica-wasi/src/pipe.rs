//! In-memory pipes for a guest's standard streams: what tests and embedders redirect stdin,
//! stdout and stderr to.

use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};

/// Bytes a guest reads as its stdin.
pub struct MemoryInputPipe {
    data: io::Cursor<Vec<u8>>,
}

impl MemoryInputPipe {
    pub fn new(data: impl Into<Vec<u8>>) -> MemoryInputPipe {
        MemoryInputPipe { data: io::Cursor::new(data.into()) }
    }
}

impl Read for MemoryInputPipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.data.read(buf)
    }
}

/// Collects what a guest writes. Clones share the buffer: give one to the builder and keep
/// one to read [`contents`](MemoryOutputPipe::contents) afterwards.
#[derive(Clone, Default)]
pub struct MemoryOutputPipe {
    data: Arc<Mutex<Vec<u8>>>,
}

impl MemoryOutputPipe {
    pub fn new() -> MemoryOutputPipe {
        MemoryOutputPipe::default()
    }

    /// Everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.data.lock().map(|d| d.clone()).unwrap_or_default()
    }
}

impl Write for MemoryOutputPipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut data = self.data.lock().map_err(|_| io::Error::other("pipe poisoned"))?;
        data.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
