//! Character streams: the descriptors 0, 1 and 2. Each is inherited from the host process or
//! redirected by the embedder (to an in-memory pipe, typically), and knows what it really is,
//! which is what `fd_fdstat_get` and `fd_filestat_get` report.

use crate::types::{Errno, Filetype, WasiResult};
use std::any::Any;
use std::io::{self, IsTerminal, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};

/// A readable or writable stream behind a descriptor.
pub enum Stream {
    /// Bytes in. `host_stdin` marks the process's own standard input, which `poll_oneoff`
    /// can wait on; any other reader counts as always ready.
    Input { reader: Box<dyn Read + Send>, host_stdin: bool, filetype: Filetype },
    /// Bytes out. Every write is flushed at once, so output survives a trap or `proc_exit`
    /// and interleaves with the host's own output in order.
    Output { writer: Box<dyn Write + Send>, filetype: Filetype },
}

impl Stream {
    /// A stream reading from `reader` (see [`filetype_of_any`] for its type).
    pub fn input(reader: impl Read + Send + 'static) -> Stream {
        let filetype = filetype_of_any(&reader);
        Stream::Input { reader: Box::new(reader), host_stdin: false, filetype }
    }

    /// A stream writing to `writer` (see [`filetype_of_any`] for its type).
    pub fn output(writer: impl Write + Send + 'static) -> Stream {
        let filetype = filetype_of_any(&writer);
        Stream::Output { writer: Box::new(writer), filetype }
    }

    /// What the stream is, as a guest is told.
    pub fn filetype(&self) -> Filetype {
        match self {
            Stream::Input { filetype, .. } | Stream::Output { filetype, .. } => *filetype,
        }
    }

    pub fn read(&mut self, buf: &mut [u8]) -> WasiResult<usize> {
        match self {
            Stream::Input { reader, .. } => retry(|| reader.read(buf)),
            Stream::Output { .. } => Err(Errno::Badf),
        }
    }

    pub fn write(&mut self, data: &[u8]) -> WasiResult<usize> {
        match self {
            Stream::Output { writer, .. } => {
                // Short writes are fine for the guest, but a character stream takes all.
                retry(|| writer.write_all(data))?;
                retry(|| writer.flush())?;
                Ok(data.len())
            }
            Stream::Input { .. } => Err(Errno::Badf),
        }
    }
}

/// What the host descriptor behind a stream is: a terminal is a character device, a regular
/// file is one, and anything else (a pipe, a socket, a character device that is no terminal
/// such as /dev/null) is `unknown`, as wasmtime reports them: preview1 has no type for a pipe,
/// and to wasi-libc's `isatty` any character device without the rights to seek is a terminal.
/// (Wasmtime says `unknown` for a regular file too; naming it is as true and no terminal either.)
pub fn filetype_of(fd: BorrowedFd<'_>) -> Filetype {
    if fd.is_terminal() {
        return Filetype::CharacterDevice;
    }
    match rustix::fs::fstat(fd) {
        Ok(stat)
            if rustix::fs::FileType::from_raw_mode(stat.st_mode)
                == rustix::fs::FileType::RegularFile =>
        {
            Filetype::RegularFile
        }
        _ => Filetype::Unknown,
    }
}

/// What a reader or writer an embedder gave is: for std's types that stand for a host
/// descriptor (a file, a pipe end, a socket, a child's stream, the process's own streams),
/// what that descriptor is; for anything else (an in-memory pipe), `unknown`.
pub fn filetype_of_any(stream: &dyn Any) -> Filetype {
    macro_rules! by_descriptor {
        ($($ty:ty),* $(,)?) => {
            $(if let Some(s) = stream.downcast_ref::<$ty>() {
                return filetype_of(s.as_fd());
            })*
        };
    }
    by_descriptor!(
        std::fs::File,
        io::Stdin,
        io::Stdout,
        io::Stderr,
        io::PipeReader,
        io::PipeWriter,
        std::os::unix::net::UnixStream,
        std::net::TcpStream,
        std::process::ChildStdin,
        std::process::ChildStdout,
        std::process::ChildStderr,
    );
    Filetype::Unknown
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
