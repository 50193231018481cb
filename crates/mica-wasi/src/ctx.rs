//! The WASI context a store's host data holds, and the builder that makes it: arguments,
//! environment, standard streams, and preopened directories.

use crate::host::dir::OpenDir;
use crate::host::stream::{Stream, filetype_of};
use crate::host::table::{Descriptor, Entry, FdTable};
use crate::types::Rights;
use cap_std::ambient_authority;
use cap_std::fs::Dir;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::path::Path;

/// Everything a guest sees of the outside world through `wasi_snapshot_preview1`.
///
/// Made by [`WasiCtxBuilder`]; kept in the store's data and found by the accessor given to
/// [`add_to_linker`](crate::add_to_linker).
pub struct WasiCtx {
    pub(crate) args: Vec<Vec<u8>>,
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) table: FdTable,
    /// The last instance that called in, and the memory it exports as `memory`: an instance's
    /// exports never change, so each call need not look it up by name again.
    pub(crate) memory: Option<(mica::Instance, GuestMemoryExport)>,
}

/// What an instance exports as `memory`, as a WASI call uses it.
#[derive(Copy, Clone)]
pub(crate) enum GuestMemoryExport {
    /// A 32-bit memory: the one preview1 addresses.
    Memory32(mica::Memory),
    /// A 64-bit memory, which preview1 cannot address.
    Memory64,
    /// No memory (or something else) under that name.
    None,
}

/// Builds a [`WasiCtx`]. By default the guest has no arguments, no environment, an empty
/// stdin, stdout and stderr that discard what is written, and no directories.
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    stdin: Option<Stream>,
    stdout: Option<Stream>,
    stderr: Option<Stream>,
    preopens: Vec<(Dir, String)>,
}

impl Default for WasiCtxBuilder {
    fn default() -> Self {
        WasiCtxBuilder::new()
    }
}

impl WasiCtxBuilder {
    pub fn new() -> WasiCtxBuilder {
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            stdout: None,
            stderr: None,
            preopens: Vec::new(),
        }
    }

    /// Appends one argument (the first is, by convention, the program's name).
    pub fn arg(&mut self, arg: impl AsRef<str>) -> &mut Self {
        self.args.push(arg.as_ref().as_bytes().to_vec());
        self
    }

    /// Appends arguments.
    pub fn args<S: AsRef<str>>(&mut self, args: impl IntoIterator<Item = S>) -> &mut Self {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    /// Adds the environment variable `key=value` (the value may be empty or contain `=`).
    pub fn env(&mut self, key: impl AsRef<str>, value: impl AsRef<str>) -> &mut Self {
        self.env.push(format!("{}={}", key.as_ref(), value.as_ref()).into_bytes());
        self
    }

    /// Adds environment variables.
    pub fn envs<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        for (key, value) in vars {
            self.env(key, value);
        }
        self
    }

    /// The guest's stdin, stdout and stderr are the host process's own. The guest is told
    /// what each is: a terminal (a character device), a regular file, or, for a pipe, a socket
    /// or a device that is no terminal, a stream of unknown type (as wasmtime tells it).
    pub fn inherit_stdio(&mut self) -> &mut Self {
        // A duplicate of descriptor 0, read without std's buffer: what `poll_oneoff` sees
        // ready on the host descriptor is then exactly what `fd_read` gets.
        self.stdin = Some(match rustix::io::dup(io::stdin()) {
            Ok(fd) => Stream::Input {
                filetype: filetype_of(fd.as_fd()),
                reader: Box::new(std::fs::File::from(fd)),
                host_stdin: true,
            },
            Err(_) => Stream::input(io::empty()),
        });
        self.stdout = Some(Stream::output(io::stdout()));
        self.stderr = Some(Stream::output(io::stderr()));
        self
    }

    /// The guest reads its stdin from `reader` (a [`MemoryInputPipe`](crate::MemoryInputPipe),
    /// for example). A reader that is one of std's types standing for a host descriptor (a
    /// [`File`](std::fs::File), a pipe end, a socket, a child's stdout) is reported to the guest
    /// as what that descriptor is (see [`inherit_stdio`](Self::inherit_stdio)); any other, as
    /// a stream of unknown type, never a terminal.
    pub fn stdin(&mut self, reader: impl Read + Send + 'static) -> &mut Self {
        self.stdin = Some(Stream::input(reader));
        self
    }

    /// The guest's stdout goes to `writer` (a [`MemoryOutputPipe`](crate::MemoryOutputPipe), or
    /// a [`File`](std::fs::File), for example). It is reported to the guest as [`stdin`]
    /// describes.
    ///
    /// [`stdin`]: Self::stdin
    pub fn stdout(&mut self, writer: impl Write + Send + 'static) -> &mut Self {
        self.stdout = Some(Stream::output(writer));
        self
    }

    /// The guest's stderr goes to `writer`, reported to the guest as [`stdin`] describes.
    ///
    /// [`stdin`]: Self::stdin
    pub fn stderr(&mut self, writer: impl Write + Send + 'static) -> &mut Self {
        self.stderr = Some(Stream::output(writer));
        self
    }

    /// Gives the guest the host directory `host_path` under the name `guest_path`. The guest
    /// reaches nothing outside it (nor outside any other preopened directory).
    pub fn preopened_dir(
        &mut self,
        host_path: impl AsRef<Path>,
        guest_path: impl AsRef<str>,
    ) -> mica::Result<&mut Self> {
        let host_path = host_path.as_ref();
        let dir = Dir::open_ambient_dir(host_path, ambient_authority()).map_err(|e| {
            mica::Error::new(format!("cannot open directory {}: {e}", host_path.display()))
        })?;
        self.preopens.push((dir, guest_path.as_ref().to_string()));
        Ok(self)
    }

    /// The context. Streams and directories move into it; the builder is left empty.
    pub fn build(&mut self) -> WasiCtx {
        let mut table = FdTable::default();
        let stream = |s: Option<Stream>, input: bool| {
            s.unwrap_or_else(|| {
                if input { Stream::input(io::empty()) } else { Stream::output(io::sink()) }
            })
        };
        let streams = [
            stream(self.stdin.take(), true),
            stream(self.stdout.take(), false),
            stream(self.stderr.take(), false),
        ];
        for (fd, s) in (0u32..).zip(streams) {
            let entry =
                Entry { desc: Descriptor::Stream(s), base: Rights::STREAM, inheriting: Rights(0) };
            table.insert_at(fd, entry);
        }
        // A preopen holds the rights wasmtime reports for one, so what a guest reads from
        // `fd_fdstat_get` is what it may do, and may ask for when opening through it.
        for (fd, (dir, name)) in (3u32..).zip(self.preopens.drain(..)) {
            let entry = Entry {
                desc: Descriptor::Dir(OpenDir::new(dir, Some(name))),
                base: Rights::PREOPEN,
                inheriting: Rights::PREOPEN_INHERITING,
            };
            table.insert_at(fd, entry);
        }
        WasiCtx {
            args: std::mem::take(&mut self.args),
            env: std::mem::take(&mut self.env),
            table,
            memory: None,
        }
    }
}
