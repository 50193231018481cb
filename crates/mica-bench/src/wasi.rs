//! The one minimal WASI shim both engines run the benchmark programs under.
//!
//! Only what the programs in `shared/bench` import is provided, with the same behaviour on
//! both engines: the arguments come from the harness, `fd_write` to stdout/stderr is captured
//! in memory (the checksum line is read from it), `clock_time_get` returns a counter that
//! goes up by one per call (cheap, deterministic, non-decreasing), `proc_exit` stops the
//! program with an [`Exit`] host error. Files and seeking are not supported.
//!
//! The logic is written once here, against [`Guest`]; each engine module only adapts its
//! `Caller` to [`Guest`] and registers the functions with [`define_host_functions!`].

use std::fmt;

/// The module name the WASI functions are imported from.
pub const WASI: &str = "wasi_snapshot_preview1";
/// The module name of the harness's own host functions (used by the micro-benchmarks).
pub const BENCH: &str = "bench";

/// WASI error numbers the shim returns.
pub mod errno {
    pub const SUCCESS: i32 = 0;
    pub const BADF: i32 = 8;
    pub const FAULT: i32 = 21;
    pub const INVAL: i32 = 28;
    pub const NOSYS: i32 = 52;
    pub const SPIPE: i32 = 70;
}

/// `proc_exit`'s status, carried out of the engine as a host error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit(pub i32);

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "proc_exit({})", self.0)
    }
}

impl std::error::Error for Exit {}
impl wasmi::errors::HostError for Exit {}

/// The host state of one program run: WASI's, plus the engine's handle to the guest memory
/// (looked up once after instantiation, so host calls do not search the exports).
#[derive(Debug, Default)]
pub struct Host<M> {
    pub wasi: WasiState,
    pub memory: Option<M>,
}

impl<M> Host<M> {
    pub fn new(args: &[String]) -> Host<M> {
        Host { wasi: WasiState::new(args), memory: None }
    }
}

/// What the shim keeps between calls.
#[derive(Debug, Default)]
pub struct WasiState {
    /// `argv`, the program name first.
    pub args: Vec<String>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The next value `clock_time_get` returns.
    pub clock: u64,
    /// How often the `bench` host functions were called.
    pub ticks: u64,
}

impl WasiState {
    pub fn new(args: &[String]) -> WasiState {
        let mut all = vec!["bench.wasm".to_string()];
        all.extend(args.iter().cloned());
        WasiState { args: all, ..WasiState::default() }
    }
}

/// What the shim needs of a host function's caller: the guest memory and the state.
pub trait Guest {
    /// Copies guest memory at `addr` into `buf`; `false` if out of bounds.
    fn read(&mut self, addr: u32, buf: &mut [u8]) -> bool;
    /// Copies `bytes` into guest memory at `addr`; `false` if out of bounds.
    fn write(&mut self, addr: u32, bytes: &[u8]) -> bool;
    fn state(&mut self) -> &mut WasiState;
}

fn read_u32(g: &mut impl Guest, addr: u32) -> Option<u32> {
    let mut b = [0; 4];
    g.read(addr, &mut b).then(|| u32::from_le_bytes(b))
}

fn write_u32(g: &mut impl Guest, addr: u32, v: u32) -> bool {
    g.write(addr, &v.to_le_bytes())
}

fn status(ok: bool) -> i32 {
    if ok { errno::SUCCESS } else { errno::FAULT }
}

/// `args_sizes_get(argc_out, argv_buf_size_out) -> errno`
pub fn args_sizes_get(g: &mut impl Guest, argc_out: u32, size_out: u32) -> i32 {
    let args = &g.state().args;
    let argc = args.len() as u32;
    let size = args.iter().map(|a| a.len() as u32 + 1).sum();
    status(write_u32(g, argc_out, argc) && write_u32(g, size_out, size))
}

/// `args_get(argv, argv_buf) -> errno`: pointers at `argv`, NUL-terminated strings at `argv_buf`.
pub fn args_get(g: &mut impl Guest, argv: u32, argv_buf: u32) -> i32 {
    let args = g.state().args.clone();
    let mut at = argv_buf;
    for (i, arg) in args.iter().enumerate() {
        let mut bytes = arg.as_bytes().to_vec();
        bytes.push(0);
        if !write_u32(g, argv + 4 * i as u32, at) || !g.write(at, &bytes) {
            return errno::FAULT;
        }
        at += bytes.len() as u32;
    }
    errno::SUCCESS
}

/// `fd_write(fd, iovs, iovs_len, nwritten_out) -> errno`: stdout and stderr are captured.
pub fn fd_write(g: &mut impl Guest, fd: i32, iovs: u32, iovs_len: u32, nwritten_out: u32) -> i32 {
    if fd != 1 && fd != 2 {
        return errno::BADF;
    }
    let mut data = Vec::new();
    for i in 0..iovs_len {
        let (Some(ptr), Some(len)) = (read_u32(g, iovs + 8 * i), read_u32(g, iovs + 8 * i + 4))
        else {
            return errno::FAULT;
        };
        let start = data.len();
        data.resize(start + len as usize, 0);
        if !g.read(ptr, &mut data[start..]) {
            return errno::FAULT;
        }
    }
    let n = data.len() as u32;
    let state = g.state();
    if fd == 1 { &mut state.stdout } else { &mut state.stderr }.extend_from_slice(&data);
    status(write_u32(g, nwritten_out, n))
}

/// `fd_fdstat_get(fd, out) -> errno`: stdio is a character device with no rights (so
/// wasi-libc treats stdout as a terminal and flushes it by line).
pub fn fd_fdstat_get(g: &mut impl Guest, fd: i32, out: u32) -> i32 {
    if !(0..=2).contains(&fd) {
        return errno::BADF;
    }
    let mut stat = [0u8; 24];
    stat[0] = 2; // filetype: character device
    status(g.write(out, &stat))
}

/// `fd_filestat_get(fd, out) -> errno`: stdio is a character device; nothing else is open.
pub fn fd_filestat_get(g: &mut impl Guest, fd: i32, out: u32) -> i32 {
    if !(0..=2).contains(&fd) {
        return errno::BADF;
    }
    let mut stat = [0u8; 64];
    stat[16] = 2; // filetype: character device
    status(g.write(out, &stat))
}

/// `fd_seek(fd, offset, whence, out) -> errno`: nothing is seekable.
pub fn fd_seek(_: &mut impl Guest, fd: i32, _offset: i64, _whence: i32, _out: u32) -> i32 {
    if (0..=2).contains(&fd) { errno::SPIPE } else { errno::BADF }
}

/// `fd_close(fd) -> errno`
pub fn fd_close(_: &mut impl Guest, fd: i32) -> i32 {
    if (0..=2).contains(&fd) { errno::SUCCESS } else { errno::BADF }
}

/// `clock_time_get(id, precision, out) -> errno`: a counter, one tick per call.
pub fn clock_time_get(g: &mut impl Guest, id: i32, _precision: i64, out: u32) -> i32 {
    if !(0..=3).contains(&id) {
        return errno::INVAL;
    }
    let state = g.state();
    let now = state.clock;
    state.clock += 1;
    status(g.write(out, &now.to_le_bytes()))
}

/// `environ_sizes_get(count_out, size_out) -> errno`: the environment is empty.
pub fn environ_sizes_get(g: &mut impl Guest, count_out: u32, size_out: u32) -> i32 {
    status(write_u32(g, count_out, 0) && write_u32(g, size_out, 0))
}

/// `random_get(buf, len) -> errno`: a fixed byte sequence (runs stay reproducible).
pub fn random_get(g: &mut impl Guest, buf: u32, len: u32) -> i32 {
    let bytes: Vec<u8> = (0..len).map(|i| (i.wrapping_mul(0x9e37_79b9) >> 24) as u8).collect();
    status(g.write(buf, &bytes))
}

/// `bench.tick(x) -> x * 3 + 1`: the cheap host function of the host-call micro-benchmarks
/// (it touches the host state, as a real host function would).
pub fn tick(g: &mut impl Guest, x: i32) -> i32 {
    g.state().ticks += 1;
    x.wrapping_mul(3).wrapping_add(1)
}

/// Registers the shim's functions in a linker of either engine.
///
/// `$linker` is a `Linker<Host<$memory>>`, `$caller` the engine's `Caller` type constructor,
/// `$memory` its memory handle type, `$guest` a function turning `&mut Caller` into a [`Guest`], `$error` the engine's
/// `Error::host`. Both engines' `func_wrap` take the same closures, so this is written once.
#[macro_export]
macro_rules! define_host_functions {
    ($linker:expr, $caller:ident, $memory:ty, $guest:path, $error:path) => {{
        use $crate::wasi::{self, BENCH, WASI};
        type C<'a> = $caller<'a, $crate::wasi::Host<$memory>>;
        let l = $linker;
        l.func_wrap(WASI, "args_sizes_get", |mut c: C<'_>, a: i32, b: i32| {
            wasi::args_sizes_get(&mut $guest(&mut c), a as u32, b as u32)
        })?;
        l.func_wrap(WASI, "args_get", |mut c: C<'_>, a: i32, b: i32| {
            wasi::args_get(&mut $guest(&mut c), a as u32, b as u32)
        })?;
        l.func_wrap(WASI, "fd_write", |mut c: C<'_>, fd: i32, iovs: i32, n: i32, out: i32| {
            wasi::fd_write(&mut $guest(&mut c), fd, iovs as u32, n as u32, out as u32)
        })?;
        l.func_wrap(WASI, "fd_fdstat_get", |mut c: C<'_>, fd: i32, out: i32| {
            wasi::fd_fdstat_get(&mut $guest(&mut c), fd, out as u32)
        })?;
        l.func_wrap(WASI, "fd_seek", |mut c: C<'_>, fd: i32, off: i64, whence: i32, out: i32| {
            wasi::fd_seek(&mut $guest(&mut c), fd, off, whence, out as u32)
        })?;
        l.func_wrap(WASI, "fd_close", |mut c: C<'_>, fd: i32| {
            wasi::fd_close(&mut $guest(&mut c), fd)
        })?;
        l.func_wrap(WASI, "clock_time_get", |mut c: C<'_>, id: i32, precision: i64, out: i32| {
            wasi::clock_time_get(&mut $guest(&mut c), id, precision, out as u32)
        })?;
        l.func_wrap(WASI, "proc_exit", |_: C<'_>, code: i32| -> Result<(), _> {
            Err($error(wasi::Exit(code)))
        })?;
        // What a large C++ program (the big-program phase's clang) imports besides: an empty
        // environment, no preopened directories, and no file system.
        l.func_wrap(WASI, "environ_sizes_get", |mut c: C<'_>, a: i32, b: i32| {
            wasi::environ_sizes_get(&mut $guest(&mut c), a as u32, b as u32)
        })?;
        l.func_wrap(WASI, "environ_get", |_: C<'_>, _: i32, _: i32| wasi::errno::SUCCESS)?;
        l.func_wrap(WASI, "random_get", |mut c: C<'_>, buf: i32, len: i32| {
            wasi::random_get(&mut $guest(&mut c), buf as u32, len as u32)
        })?;
        l.func_wrap(WASI, "fd_prestat_get", |_: C<'_>, _: i32, _: i32| wasi::errno::BADF)?;
        l.func_wrap(WASI, "fd_prestat_dir_name", |_: C<'_>, _: i32, _: i32, _: i32| {
            wasi::errno::BADF
        })?;
        l.func_wrap(WASI, "fd_filestat_get", |mut c: C<'_>, fd: i32, out: i32| {
            wasi::fd_filestat_get(&mut $guest(&mut c), fd, out as u32)
        })?;
        $crate::wasi_unsupported!(l, C, {
            fd_filestat_set_size(i32, i64),
            fd_filestat_set_times(i32, i64, i64, i32),
            fd_pread(i32, i32, i32, i64, i32),
            fd_read(i32, i32, i32, i32),
            fd_readdir(i32, i32, i32, i64, i32),
            path_create_directory(i32, i32, i32),
            path_filestat_get(i32, i32, i32, i32, i32),
            path_link(i32, i32, i32, i32, i32, i32, i32),
            path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32),
            path_readlink(i32, i32, i32, i32, i32, i32),
            path_remove_directory(i32, i32, i32),
            path_rename(i32, i32, i32, i32, i32, i32),
            path_symlink(i32, i32, i32, i32, i32),
            path_unlink_file(i32, i32, i32),
            poll_oneoff(i32, i32, i32, i32),
        });
        l.func_wrap(BENCH, "tick", |mut c: C<'_>, x: i32| wasi::tick(&mut $guest(&mut c), x))?;
    }};
}

/// Registers WASI functions that only answer `ENOSYS`, each with its parameter types.
#[macro_export]
macro_rules! wasi_unsupported {
    ($l:expr, $c:ident, { $($name:ident($($ty:ty),*)),* $(,)? }) => {
        $(
            $l.func_wrap($crate::wasi::WASI, stringify!($name), |_: $c<'_>, $(_: $ty),*| {
                $crate::wasi::errno::NOSYS
            })?;
        )*
    };
}
