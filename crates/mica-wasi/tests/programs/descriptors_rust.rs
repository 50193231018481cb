//! The Rust twin of descriptors.c, built for wasm32-wasip1 with std: the same modes, the same
//! lines. What std offers is used through std (files, directories, `IsTerminal`, `TcpStream`'s
//! shutdown); the rest (fdstat, preopen names, raw rights and flags) through the preview1
//! imports directly.
//!
//!   descriptors_rust rights DIR | stdio | append DIR | sockets DIR

use std::fs::{self, File, OpenOptions};
use std::io::{IsTerminal, Seek, SeekFrom, Write};
use std::mem::ManuallyDrop;
use std::net::{Shutdown, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd};

mod wasi {
    #[repr(C)]
    pub struct Ciovec {
        pub buf: *const u8,
        pub len: usize,
    }

    #[repr(C)]
    pub struct Iovec {
        pub buf: *mut u8,
        pub len: usize,
    }

    #[repr(C)]
    #[derive(Default)]
    pub struct Fdstat {
        pub filetype: u8,
        pub flags: u16,
        pub base: u64,
        pub inheriting: u64,
    }

    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    unsafe extern "C" {
        pub fn fd_fdstat_get(fd: u32, out: *mut Fdstat) -> u16;
        pub fn fd_filestat_get(fd: u32, out: *mut [u64; 8]) -> u16;
        pub fn fd_prestat_get(fd: u32, out: *mut [u32; 2]) -> u16;
        pub fn fd_prestat_dir_name(fd: u32, buf: *mut u8, len: usize) -> u16;
        pub fn fd_close(fd: u32) -> u16;
        pub fn fd_pwrite(
            fd: u32,
            iovs: *const Ciovec,
            n: usize,
            offset: u64,
            out: *mut usize,
        ) -> u16;
        pub fn path_open(
            fd: u32,
            dirflags: u32,
            path: *const u8,
            path_len: usize,
            oflags: u32,
            base: u64,
            inheriting: u64,
            fdflags: u32,
            out: *mut u32,
        ) -> u16;
        pub fn sock_shutdown(fd: u32, how: u32) -> u16;
        pub fn sock_recv(
            fd: u32,
            iovs: *const Iovec,
            n: usize,
            flags: u32,
            out: *mut usize,
            oflags: *mut u16,
        ) -> u16;
        pub fn sock_send(
            fd: u32,
            iovs: *const Ciovec,
            n: usize,
            flags: u32,
            out: *mut usize,
        ) -> u16;
        pub fn sock_accept(fd: u32, flags: u32, out: *mut u32) -> u16;
    }

    pub const OFLAGS_CREAT: u32 = 1;
    pub const OFLAGS_DIRECTORY: u32 = 2;
    pub const OFLAGS_TRUNC: u32 = 8;
    pub const FDFLAGS_APPEND: u32 = 1;
    pub const RIGHTS_FD_READ: u64 = 1 << 1;
    pub const RIGHTS_FD_WRITE: u64 = 1 << 6;

    pub fn fdstat(fd: u32) -> Result<Fdstat, u16> {
        let mut st = Fdstat::default();
        match unsafe { fd_fdstat_get(fd, &mut st) } {
            0 => Ok(st),
            e => Err(e),
        }
    }

    /// The filetype byte of `fd_filestat_get` (what `fstat` reads).
    pub fn filestat_type(fd: u32) -> Result<u8, u16> {
        let mut st = [0u64; 8];
        match unsafe { fd_filestat_get(fd, &mut st) } {
            0 => Ok(st[2] as u8),
            e => Err(e),
        }
    }

    pub fn open(
        dir: u32,
        path: &str,
        oflags: u32,
        base: u64,
        inh: u64,
        fdflags: u32,
    ) -> Result<u32, u16> {
        let mut fd = 0;
        let p = path.as_ptr();
        match unsafe { path_open(dir, 0, p, path.len(), oflags, base, inh, fdflags, &mut fd) } {
            0 => Ok(fd),
            e => Err(e),
        }
    }

    pub fn pwrite(fd: u32, data: &[u8], offset: u64) -> Result<usize, u16> {
        let iov = Ciovec { buf: data.as_ptr(), len: data.len() };
        let mut n = 0;
        match unsafe { fd_pwrite(fd, &iov, 1, offset, &mut n) } {
            0 => Ok(n),
            e => Err(e),
        }
    }

    pub fn close(fd: u32) {
        unsafe { fd_close(fd) };
    }

    /// The descriptor of the preopened directory named `name`.
    pub fn preopen(name: &str) -> Option<u32> {
        for fd in 3.. {
            let mut prestat = [0u32; 2];
            if unsafe { fd_prestat_get(fd, &mut prestat) } != 0 {
                return None;
            }
            let mut buf = vec![0u8; prestat[1] as usize];
            if unsafe { fd_prestat_dir_name(fd, buf.as_mut_ptr(), buf.len()) } == 0
                && buf == name.as_bytes()
            {
                return Some(fd);
            }
        }
        None
    }
}

/// Errno names as errname.h prints them.
fn errname(errno: u16) -> &'static str {
    match errno {
        0 => "OK",
        2 => "EACCES",
        8 => "EBADF",
        20 => "EEXIST",
        28 => "EINVAL",
        31 => "EISDIR",
        44 => "ENOENT",
        54 => "ENOTDIR",
        55 => "ENOTEMPTY",
        57 => "ENOTSOCK",
        58 => "ENOTSUP",
        63 => "EPERM",
        76 => "ENOTCAPABLE",
        _ => "other",
    }
}

fn io_errname(error: &std::io::Error) -> &'static str {
    error.raw_os_error().map_or("other", |e| errname(e as u16))
}

fn outcome<T, E: std::borrow::Borrow<std::io::Error>>(result: Result<T, E>) -> &'static str {
    match result {
        Ok(_) => "OK",
        Err(e) => io_errname(e.borrow()),
    }
}

/// A call's result as descriptors.c's `report` prints it.
fn report(what: &str, result: std::io::Result<u64>) {
    match result {
        Ok(n) => println!("{what} {n} OK"),
        Err(e) => println!("{what} -1 {}", io_errname(&e)),
    }
}

fn code<T>(result: Result<T, u16>) -> &'static str {
    match result {
        Ok(_) => "OK",
        Err(e) => errname(e),
    }
}

fn type_name(filetype: u8) -> &'static str {
    match filetype {
        0 => "unknown",
        1 => "block device",
        2 => "character device",
        3 => "directory",
        4 => "regular file",
        5 => "datagram socket",
        6 => "stream socket",
        7 => "symbolic link",
        _ => "?",
    }
}

fn print_file(path: &str) {
    let text = fs::read_to_string(path).unwrap_or_default();
    println!("contents [{}]", text.replace('\n', "|"));
}

fn rights(dir: &str) {
    let fd = wasi::preopen(dir).expect("the directory is preopened");
    let st = wasi::fdstat(fd).expect("fdstat of the preopen");
    println!(
        "fdstat OK: {}, base {:#x}, inheriting {:#x}",
        type_name(st.filetype),
        st.base,
        st.inheriting
    );
    let within = if st.base & !st.inheriting == 0 { "yes" } else { "no" };
    println!("base within inheriting: {within}");

    // The directory again, with exactly the rights the preopen holds.
    let again = wasi::open(fd, ".", wasi::OFLAGS_DIRECTORY, st.base, st.inheriting, 0);
    println!("reopen with the same rights: {}", code(again));
    if let Ok(again) = again {
        let st2 = wasi::fdstat(again).unwrap();
        let same = st2.base == st.base && st2.inheriting == st.inheriting;
        println!(
            "reopened: {}, same rights: {}",
            type_name(st2.filetype),
            if same { "yes" } else { "no" }
        );

        // A file through the reopened directory, asking for everything it passes on.
        let oflags = wasi::OFLAGS_CREAT | wasi::OFLAGS_TRUNC;
        let file = wasi::open(again, "made.txt", oflags, st.inheriting, 0, 0);
        println!("create with the inheriting rights: {}", code(file));
        if let Ok(file) = file {
            let st3 = wasi::fdstat(file).unwrap();
            println!("created: {}, base {:#x}", type_name(st3.filetype), st3.base);
            wasi::close(file);
        }
    }

    // Asking for more than the preopen passes on gives what it passes on.
    let all = (1u64 << 30) - 1;
    let file = wasi::open(fd, "made.txt", 0, all, all, 0);
    println!("open asking for every right: {}", code(file));
    if let Ok(file) = file {
        let st3 = wasi::fdstat(file).unwrap();
        println!("given: base {:#x}, inheriting {:#x}", st3.base, st3.inheriting);
        wasi::close(file);
    }

    // What std does with those rights: create truncates, append appends, a directory is listed.
    let made = format!("{dir}/made.txt");
    let created = File::create(&made).and_then(|mut f| f.write_all(b"first\n"));
    println!("fopen w: {}", outcome(created));
    let appended =
        OpenOptions::new().append(true).open(&made).and_then(|mut f| f.write_all(b"second\n"));
    println!("fopen a: {}", outcome(appended));
    print_file(&made);
    println!("mkdir: {}", outcome(fs::create_dir(format!("{dir}/sub"))));
    println!("nested create: {}", outcome(File::create(format!("{dir}/sub/nested.txt"))));
    let entries = fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    println!("listing: {entries} entries");
    println!(
        "cleanup: {} {} {}",
        outcome(fs::remove_file(format!("{dir}/sub/nested.txt"))),
        outcome(fs::remove_dir(format!("{dir}/sub"))),
        outcome(fs::remove_file(&made))
    );
}

fn stdio() {
    let ttys = [
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
        std::io::stderr().is_terminal(),
    ];
    for (fd, tty) in (0u32..).zip(ttys) {
        let fdstat = match wasi::fdstat(fd) {
            Ok(st) => type_name(st.filetype),
            Err(e) => errname(e),
        };
        let fstat = match wasi::filestat_type(fd) {
            // As C's S_IS* macros name what fstat found.
            Ok(6 | 5) => "socket",
            Ok(t) => type_name(t),
            Err(e) => errname(e),
        };
        println!("fd {fd}: {fdstat}, fstat {fstat}, tty {}", if tty { "yes" } else { "no" });
    }
}

fn append(dir: &str) {
    let path = format!("{dir}/log");
    report("write", fs::write(&path, "hello").map(|()| 5));
    let file = OpenOptions::new().append(true).open(&path);
    report("open append", file.as_ref().map(|_| 0).map_err(|e| std::io::Error::from(e.kind())));
    let mut file = file.expect("opened for appending");
    let fd = file.as_raw_fd() as u32;
    for (what, data, offset) in [("pwrite at 0", &b"XY"[..], 0), ("pwrite at 100", b"Z", 100)] {
        match wasi::pwrite(fd, data, offset) {
            Ok(n) => println!("{what} {n} OK"),
            Err(e) => println!("{what} -1 {}", errname(e)),
        }
    }
    report("position", file.stream_position());
    report("write", file.write_all(b"!").map(|()| 1));
    report("position", file.seek(SeekFrom::Current(0)));
    drop(file);

    // Opened with only the rights to read and write (no fd_seek), in append mode.
    let rw = wasi::RIGHTS_FD_READ | wasi::RIGHTS_FD_WRITE;
    let raw = wasi::open(wasi::preopen(dir).unwrap(), "log", 0, rw, 0, wasi::FDFLAGS_APPEND);
    println!("raw open {}", code(raw));
    let raw = raw.unwrap_or(u32::MAX);
    match wasi::pwrite(raw, b"+", 3) {
        Ok(n) => println!("raw pwrite at 3: OK {n}"),
        Err(e) => println!("raw pwrite at 3: {} 0", errname(e)),
    }
    wasi::close(raw);

    print_file(&path);
    println!("size {}", fs::metadata(&path).map_or(0, |m| m.len()));
    report("unlink", fs::remove_file(&path).map(|()| 0));
}

/// `shutdown` through std's `TcpStream` on a descriptor that is not one.
fn shutdown(fd: u32) -> &'static str {
    // SAFETY: the stream only borrows `fd`: it is never dropped, so never closes it.
    let stream = ManuallyDrop::new(unsafe { TcpStream::from_raw_fd(fd as i32) });
    outcome(stream.shutdown(Shutdown::Both))
}

fn sockets(dir: &str) {
    let plain = format!("{dir}/plain");
    let file = File::options().read(true).write(true).create(true).truncate(true).open(&plain);
    let file = file.expect("a plain file");
    let file_fd = file.as_raw_fd() as u32;
    let targets = [0, 1, 2, wasi::preopen(dir).unwrap(), file_fd];
    let names = ["stdin", "stdout", "stderr", "preopen", "file"];
    for (fd, name) in targets.into_iter().zip(names) {
        println!("shutdown {name}: {}", shutdown(fd));
    }
    println!("shutdown closed: {}", shutdown(99));
    println!("raw shutdown, undefined how: {}", errname(unsafe { wasi::sock_shutdown(1, 4) }));
    let mut byte = 0u8;
    let iov = wasi::Iovec { buf: &mut byte, len: 1 };
    let ciov = wasi::Ciovec { buf: b"x".as_ptr(), len: 1 };
    let (mut n, mut roflags, mut accepted) = (0usize, 0u16, 0u32);
    let recv = unsafe { wasi::sock_recv(file_fd, &iov, 1, 0, &mut n, &mut roflags) };
    println!("raw recv: {}", errname(recv));
    println!("raw send: {}", errname(unsafe { wasi::sock_send(1, &ciov, 1, 0, &mut n) }));
    println!("raw accept: {}", errname(unsafe { wasi::sock_accept(file_fd, 0, &mut accepted) }));
    drop(file);
    let _ = fs::remove_file(&plain);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("", String::as_str);
    let dir = args.get(2).map_or("/dir", String::as_str);
    match mode {
        "rights" => rights(dir),
        "stdio" => stdio(),
        "append" => append(dir),
        "sockets" => sockets(dir),
        _ => {
            eprintln!("usage: descriptors_rust rights|stdio|append|sockets [DIR]");
            std::process::exit(2);
        }
    }
}
