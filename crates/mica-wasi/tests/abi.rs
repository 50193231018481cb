//! What each preview1 function writes to guest memory and does on the host, checked with raw
//! calls: string tables, preopen names, directory cookies, polling, timestamps, links,
//! renumbering, descriptor flags and positions.

mod common;

use common::TempDir;
use common::shim::Shim;
use std::fs::File;
use std::time::{Duration, Instant};

const OUT: u32 = 8192;

fn shim_with_dir(dir: &TempDir) -> Shim {
    Shim::new(|b| {
        b.args(["prog", "arg"]).env("K", "V=1").preopened_dir(dir.path(), "/dir").unwrap();
    })
}

#[test]
fn argument_and_environment_tables() {
    let dir = TempDir::new("args");
    let mut shim = shim_with_dir(&dir);
    assert_eq!(shim.call("args_sizes_get", &[OUT as i64, OUT as i64 + 4]), 0);
    assert_eq!((shim.read_u32(OUT), shim.read_u32(OUT + 4)), (2, 9));
    assert_eq!(shim.call("args_get", &[1000, 2000]), 0);
    assert_eq!((shim.read_u32(1000), shim.read_u32(1004)), (2000, 2005));
    assert_eq!(shim.read(2000, 9), b"prog\0arg\0");
    assert_eq!(shim.call("environ_sizes_get", &[OUT as i64, OUT as i64 + 4]), 0);
    assert_eq!((shim.read_u32(OUT), shim.read_u32(OUT + 4)), (1, 6));
    assert_eq!(shim.call("environ_get", &[1000, 3000]), 0);
    assert_eq!(shim.read_u32(1000), 3000);
    assert_eq!(shim.read(3000, 6), b"K=V=1\0");
}

#[test]
fn preopen_names() {
    let dir = TempDir::new("prestat");
    let mut shim = shim_with_dir(&dir);
    assert_eq!(shim.call("fd_prestat_get", &[3, OUT as i64]), 0);
    assert_eq!((shim.read_u32(OUT), shim.read_u32(OUT + 4)), (0, 4));
    assert_eq!(shim.call("fd_prestat_dir_name", &[3, 1000, 4]), 0);
    assert_eq!(shim.read(1000, 4), b"/dir");
    assert_eq!(shim.call("fd_prestat_get", &[4, OUT as i64]), 8, "no more preopens");
}

/// Reads a directory through `fd_readdir` with a buffer of `size` bytes, following cookies.
fn list_with_buffer(shim: &mut Shim, fd: i64, size: u32) -> Vec<String> {
    let mut names = Vec::new();
    let mut cookie = 0u64;
    loop {
        assert_eq!(shim.call("fd_readdir", &[fd, 1000, size as i64, cookie as i64, OUT as i64]), 0);
        let used = shim.read_u32(OUT);
        let buf = shim.read(1000, used as usize);
        let mut at = 0;
        let mut progressed = false;
        while at + 24 <= buf.len() {
            let next = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
            let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
            if at + 24 + namlen > buf.len() {
                break; // cut short: ask again from `cookie`
            }
            names.push(String::from_utf8(buf[at + 24..at + 24 + namlen].to_vec()).unwrap());
            cookie = next;
            progressed = true;
            at += 24 + namlen;
        }
        if used < size {
            return names;
        }
        assert!(progressed, "a buffer of {size} bytes must hold one entry");
    }
}

#[test]
fn readdir_pages_through_cookies() {
    let dir = TempDir::new("readdir");
    let mut expected = vec![".".to_string(), "..".to_string()];
    for i in 0..40 {
        let name = format!("entry-number-{i:03}");
        std::fs::write(dir.path().join(&name), "").unwrap();
        expected.push(name);
    }
    std::fs::create_dir(dir.path().join("a-directory")).unwrap();
    expected.push("a-directory".into());
    expected.sort();
    let mut shim = shim_with_dir(&dir);
    for size in [64, 100, 4096] {
        let mut names = list_with_buffer(&mut shim, 3, size);
        names.sort();
        assert_eq!(names, expected, "buffer of {size}");
    }
    // A buffer too small for any entry is filled, and says so by being full.
    assert_eq!(shim.call("fd_readdir", &[3, 1000, 10, 0, OUT as i64]), 0);
    assert_eq!(shim.read_u32(OUT), 10);
    // A cookie past the end gives nothing.
    assert_eq!(shim.call("fd_readdir", &[3, 1000, 100, 1000, OUT as i64]), 0);
    assert_eq!(shim.read_u32(OUT), 0);
}

fn write_subscription(shim: &mut Shim, at: u32, userdata: u64, tag: u8, body: &[u8]) {
    let mut bytes = [0u8; 48];
    bytes[0..8].copy_from_slice(&userdata.to_le_bytes());
    bytes[8] = tag;
    bytes[16..16 + body.len()].copy_from_slice(body);
    shim.write(at, &bytes);
}

fn clock_body(id: u32, timeout: u64, absolute: bool) -> Vec<u8> {
    let mut body = vec![0u8; 26];
    body[0..4].copy_from_slice(&id.to_le_bytes());
    body[8..16].copy_from_slice(&timeout.to_le_bytes());
    body[24] = u8::from(absolute);
    body
}

/// Polls the `count` subscriptions at 2000; returns (userdata, error, type, nbytes) per event.
fn poll(shim: &mut Shim, count: i64) -> Vec<(u64, u16, u8, u64)> {
    assert_eq!(shim.call("poll_oneoff", &[2000, 4000, count, OUT as i64]), 0);
    (0..shim.read_u32(OUT))
        .map(|i| {
            let e = shim.read(4000 + i * 32, 32);
            (
                u64::from_le_bytes(e[0..8].try_into().unwrap()),
                u16::from_le_bytes([e[8], e[9]]),
                e[10],
                u64::from_le_bytes(e[16..24].try_into().unwrap()),
            )
        })
        .collect()
}

#[test]
fn poll_clocks_and_descriptors() {
    let dir = TempDir::new("poll");
    std::fs::write(dir.path().join("f"), "0123456789").unwrap();
    let mut shim = shim_with_dir(&dir);
    // A relative clock sleeps.
    write_subscription(&mut shim, 2000, 7, 0, &clock_body(1, 15_000_000, false));
    let start = Instant::now();
    assert_eq!(poll(&mut shim, 1), [(7, 0, 0, 0)]);
    assert!(start.elapsed() >= Duration::from_millis(15));
    // An absolute realtime deadline in the past fires at once.
    write_subscription(&mut shim, 2000, 8, 0, &clock_body(0, 1, true));
    assert_eq!(poll(&mut shim, 1), [(8, 0, 0, 0)]);
    // Ready descriptors come back without waiting for a long clock.
    let file = shim.open(3, "f", 0, true).unwrap();
    write_subscription(&mut shim, 2000, 1, 0, &clock_body(1, 60_000_000_000, false));
    write_subscription(&mut shim, 2048, 2, 2, &1u32.to_le_bytes());
    write_subscription(&mut shim, 2096, 3, 1, &(file as u32).to_le_bytes());
    write_subscription(&mut shim, 2144, 4, 1, &99u32.to_le_bytes());
    let start = Instant::now();
    let events = poll(&mut shim, 4);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(events, [(2, 0, 2, 0), (3, 0, 1, 10), (4, 8, 1, 0)]);
}

#[test]
fn descriptor_types_and_flags() {
    let dir = TempDir::new("fdstat");
    std::fs::write(dir.path().join("f"), "abc").unwrap();
    let mut shim = shim_with_dir(&dir);
    let file = shim.open(3, "f", 0, true).unwrap();
    // Stdout is an in-memory pipe: a stream of no known type (see standard_streams_are_what_
    // they_are).
    for (fd, filetype) in [(1, 0u8), (3, 3), (file, 4)] {
        assert_eq!(shim.call("fd_fdstat_get", &[fd, OUT as i64]), 0);
        assert_eq!(shim.read(OUT, 1)[0], filetype, "fd {fd}");
    }
    // Append mode, switched on after opening.
    assert_eq!(shim.call("fd_fdstat_set_flags", &[file, 1]), 0);
    assert_eq!(shim.call("fd_fdstat_get", &[file, OUT as i64]), 0);
    assert_eq!(u16::from_le_bytes(shim.read(OUT + 2, 2).try_into().unwrap()) & 1, 1);
    shim.write(1000, b"XY");
    shim.write_iovecs(500, &[(1000, 1), (1001, 1)]);
    assert_eq!(shim.call("fd_write", &[file, 500, 2, OUT as i64]), 0);
    assert_eq!(shim.read_u32(OUT), 2);
    assert_eq!(std::fs::read_to_string(dir.path().join("f")).unwrap(), "abcXY");
    assert_eq!(shim.call("fd_fdstat_set_flags", &[file, 16]), 58, "sync flags are fixed at open");
}

#[test]
fn positions_sizes_and_syncing() {
    let dir = TempDir::new("positions");
    let mut shim = shim_with_dir(&dir);
    let file = shim.open(3, "new", 1, true).unwrap(); // O_CREAT
    shim.write(1000, b"hello world");
    shim.write_iovecs(500, &[(1000, 11)]);
    assert_eq!(shim.call("fd_write", &[file, 500, 1, OUT as i64]), 0);
    assert_eq!(shim.call("fd_tell", &[file, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT), 11);
    // pread and pwrite leave the position alone.
    shim.write_iovecs(500, &[(1100, 5)]);
    assert_eq!(shim.call("fd_pread", &[file, 500, 1, 6, OUT as i64]), 0);
    assert_eq!(shim.read(1100, 5), b"world");
    shim.write(1000, b"W");
    shim.write_iovecs(500, &[(1000, 1)]);
    assert_eq!(shim.call("fd_pwrite", &[file, 500, 1, 6, OUT as i64]), 0);
    assert_eq!(shim.call("fd_seek", &[file, -5, 1, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT), 6);
    assert_eq!(shim.call("fd_seek", &[file, -1, 2, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT), 10);
    assert_eq!(std::fs::read_to_string(dir.path().join("new")).unwrap(), "hello World");
    assert_eq!(shim.call("fd_allocate", &[file, 100, 28]), 0);
    assert_eq!(std::fs::metadata(dir.path().join("new")).unwrap().len(), 128);
    assert_eq!(shim.call("fd_filestat_set_size", &[file, 5]), 0);
    assert_eq!(shim.call("fd_filestat_get", &[file, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT + 32), 5);
    assert_eq!(shim.read(OUT + 16, 1)[0], 4);
    assert_eq!(shim.call("fd_advise", &[file, 0, 5, 1]), 0);
    assert_eq!(shim.call("fd_sync", &[file]), 0);
    assert_eq!(shim.call("fd_datasync", &[file]), 0);
    // A preopen has no right to sync itself (as wasmtime reports its rights); a directory
    // opened through it does.
    assert_eq!(shim.call("fd_sync", &[3]), 76);
    let sub = shim.open(3, ".", 2, true).unwrap();
    assert_eq!(shim.call("fd_sync", &[sub]), 0);
    // Truncating when opening.
    let again = shim.open(3, "new", 8, true).unwrap();
    assert_eq!(shim.call("fd_filestat_get", &[again, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT + 32), 0);
}

#[test]
fn timestamps() {
    let dir = TempDir::new("times");
    std::fs::write(dir.path().join("f"), "x").unwrap();
    let mut shim = shim_with_dir(&dir);
    let file = shim.open(3, "f", 0, true).unwrap();
    let t = 1_000_000_000_123_456_789i64;
    // fd: set mtime only (flag 4), then both.
    assert_eq!(shim.call("fd_filestat_set_times", &[file, 0, t, 4]), 0);
    assert_eq!(shim.call("fd_filestat_get", &[file, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT + 48), t as u64);
    assert_eq!(shim.call("fd_filestat_set_times", &[file, t - 1, t + 1, 1 | 4]), 0);
    assert_eq!(shim.call("fd_filestat_get", &[file, OUT as i64]), 0);
    assert_eq!(
        (shim.read_u64(OUT + 40), shim.read_u64(OUT + 48)),
        ((t - 1) as u64, (t + 1) as u64)
    );
    // path: "now" for mtime.
    let (p, len) = shim.path(600, "f");
    assert_eq!(shim.call("path_filestat_set_times", &[3, 1, p, len, 0, 0, 8]), 0);
    assert_eq!(shim.call("path_filestat_get", &[3, 1, p, len, OUT as i64]), 0);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    let mtim = Duration::from_nanos(shim.read_u64(OUT + 48));
    assert!(now.saturating_sub(mtim) < Duration::from_secs(60));
    assert_eq!(shim.read_u64(OUT + 40), (t - 1) as u64, "atime kept");
    // The directory itself.
    assert_eq!(shim.call("fd_filestat_set_times", &[3, 0, t, 4]), 0);
    assert_eq!(shim.call("fd_filestat_get", &[3, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT + 48), t as u64);
}

#[test]
fn links_renames_and_directories() {
    let dir = TempDir::new("links");
    std::fs::write(dir.path().join("f"), "data").unwrap();
    let mut shim = shim_with_dir(&dir);
    let (f, f_len) = shim.path(600, "f");
    let (l, l_len) = shim.path(700, "link");
    assert_eq!(shim.call("path_symlink", &[f, f_len, 3, l, l_len]), 0);
    assert_eq!(shim.call("path_readlink", &[3, l, l_len, 1000, 64, OUT as i64]), 0);
    assert_eq!((shim.read_u32(OUT), shim.read(1000, 1)), (1, b"f".to_vec()));
    assert_eq!(shim.call("path_readlink", &[3, l, l_len, 1000, 0, OUT as i64]), 0);
    assert_eq!(shim.read_u32(OUT), 0, "truncated to the buffer");
    assert_eq!(shim.call("path_readlink", &[3, f, f_len, 1000, 64, OUT as i64]), 28, "not a link");
    let (h, h_len) = shim.path(800, "hard");
    assert_eq!(shim.call("path_link", &[3, 0, f, f_len, 3, h, h_len]), 0);
    assert_eq!(shim.call("path_filestat_get", &[3, 0, h, h_len, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT + 24), 2, "two links");
    let (d, d_len) = shim.path(900, "d");
    assert_eq!(shim.call("path_create_directory", &[3, d, d_len]), 0);
    let sub = shim.open(3, "d", 2, true).unwrap();
    let (n, n_len) = shim.path(950, "moved");
    assert_eq!(shim.call("path_rename", &[3, h, h_len, sub, n, n_len]), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("d/moved")).unwrap(), "data");
    assert_eq!(shim.call("path_remove_directory", &[3, d, d_len]), 55, "not empty");
    assert_eq!(shim.call("path_unlink_file", &[sub, n, n_len]), 0);
    assert_eq!(shim.call("path_remove_directory", &[3, d, d_len]), 0);
    assert_eq!(shim.call("path_unlink_file", &[3, l, l_len]), 0);
    assert!(dir.path().join("f").exists(), "unlinking a symlink keeps its target");
}

#[test]
fn renumber_replaces_a_descriptor() {
    let dir = TempDir::new("renumber");
    let mut shim = shim_with_dir(&dir);
    let file = shim.open(3, "out", 1, true).unwrap();
    assert_eq!(shim.call("fd_renumber", &[file, 1]), 0);
    assert_eq!(shim.call("fd_close", &[file]), 8, "the old number is free");
    shim.write(1000, b"redirected");
    shim.write_iovecs(500, &[(1000, 10)]);
    assert_eq!(shim.call("fd_write", &[1, 500, 1, OUT as i64]), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("out")).unwrap(), "redirected");
    assert!(shim.stdout.contents().is_empty());
}

#[test]
fn clocks_and_random() {
    let mut shim = Shim::new(|_| {});
    for id in 0..4 {
        assert_eq!(shim.call("clock_res_get", &[id, OUT as i64]), 0);
        assert!(shim.read_u64(OUT) > 0);
        assert_eq!(shim.call("clock_time_get", &[id, 1, OUT as i64]), 0);
    }
    assert_eq!(shim.call("clock_time_get", &[1, 0, OUT as i64]), 0);
    let a = shim.read_u64(OUT);
    assert_eq!(shim.call("clock_time_get", &[1, 0, OUT as i64]), 0);
    assert!(shim.read_u64(OUT) >= a);
    assert_eq!(shim.call("random_get", &[1000, 64]), 0);
    assert_ne!(shim.read(1000, 64), vec![0; 64]);
    assert_eq!(shim.call("random_get", &[1000, 0]), 0);
}

/// The rights wasmtime reports for a preopened directory: the path operations, listing, and
/// its own attributes...
const PREOPEN_BASE: u64 = 0x07b7_fe00;
/// ...and, passed on to what is opened through it, those and a regular file's.
const PREOPEN_INHERITING: u64 = 0x0ff7_ffff;
const ALL_RIGHTS: i64 = (1 << 30) - 1;

/// (filetype, flags, base, inheriting) of `fd`.
fn fdstat(shim: &mut Shim, fd: i64) -> (u8, u16, u64, u64) {
    assert_eq!(shim.call("fd_fdstat_get", &[fd, OUT as i64]), 0, "fdstat of {fd}");
    let flags = u16::from_le_bytes(shim.read(OUT + 2, 2).try_into().unwrap());
    (shim.read(OUT, 1)[0], flags, shim.read_u64(OUT + 8), shim.read_u64(OUT + 16))
}

#[test]
fn preopen_rights_and_opening_with_them() {
    let dir = TempDir::new("preopen-rights");
    std::fs::write(dir.path().join("f"), "data").unwrap();
    let mut shim = shim_with_dir(&dir);
    assert_eq!(fdstat(&mut shim, 3), (3, 0, PREOPEN_BASE, PREOPEN_INHERITING));
    // Opening the directory again with exactly the rights it holds.
    let (dot, dot_len) = shim.path(600, ".");
    let (base, inh) = (PREOPEN_BASE as i64, PREOPEN_INHERITING as i64);
    assert_eq!(shim.call("path_open", &[3, 0, dot, dot_len, 2, base, inh, 0, OUT as i64]), 0);
    let again = shim.read_u32(OUT) as i64;
    assert_eq!(fdstat(&mut shim, again), (3, 0, PREOPEN_BASE, PREOPEN_INHERITING));
    // A file opened with the inheriting rights as its base, as wasi-libc's open() asks.
    let (f, f_len) = shim.path(700, "f");
    assert_eq!(shim.call("path_open", &[3, 0, f, f_len, 0, inh, inh, 0, OUT as i64]), 0);
    let file = shim.read_u32(OUT) as i64;
    assert_eq!(fdstat(&mut shim, file), (4, 0, PREOPEN_INHERITING, PREOPEN_INHERITING));
    // Asking for more than the directory passes on gives what it passes on (as Go's and
    // other runtimes' opens ask for every right).
    let all = ALL_RIGHTS;
    assert_eq!(shim.call("path_open", &[3, 0, f, f_len, 0, all, all, 0, OUT as i64]), 0);
    let file = shim.read_u32(OUT) as i64;
    assert_eq!(fdstat(&mut shim, file), (4, 0, PREOPEN_INHERITING, PREOPEN_INHERITING));
    // Creating and truncating need nothing the preopen does not hold.
    let (n, n_len) = shim.path(800, "new");
    assert_eq!(shim.call("path_open", &[3, 0, n, n_len, 1 | 8, inh, inh, 0, OUT as i64]), 0);
    assert_eq!(shim.call("path_open", &[3, 0, f, f_len, 8, inh, inh, 0, OUT as i64]), 0);
    assert_eq!(std::fs::metadata(dir.path().join("f")).unwrap().len(), 0, "truncated");
    // What the preopen does not hold, it cannot do; a directory opened through it with the
    // rights it passes on can.
    assert_eq!(shim.call("fd_sync", &[3]), 76);
    assert_eq!(shim.call("path_open", &[3, 0, dot, dot_len, 2, inh, inh, 0, OUT as i64]), 0);
    let full = shim.read_u32(OUT) as i64;
    assert_eq!(fdstat(&mut shim, full), (3, 0, PREOPEN_INHERITING, PREOPEN_INHERITING));
    assert_eq!(shim.call("fd_sync", &[full]), 0);
    // A directory that passes on no right to change sizes cannot truncate.
    let no_size = inh & !(1 << 22);
    assert_eq!(shim.call("fd_fdstat_set_rights", &[again, base, no_size]), 0);
    assert_eq!(shim.call("path_open", &[again, 0, f, f_len, 8, 0, 0, 0, OUT as i64]), 76);
    assert_eq!(shim.call("path_open", &[again, 0, f, f_len, 0, 0, 0, 0, OUT as i64]), 0);
}

#[test]
fn standard_streams_are_what_they_are() {
    let dir = TempDir::new("stream-types");
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let (out_file, err_file) = (File::create(&out).unwrap(), File::create(&err).unwrap());
    let mut shim = Shim::new(|b| {
        b.stdin(mica_wasi::MemoryInputPipe::new("")).stdout(out_file).stderr(err_file);
    });
    // An in-memory pipe has no known type; files are regular files. None is a terminal to
    // wasi-libc's isatty (a character device without the rights to seek or tell).
    const STREAM: u64 = (1 << 1) | (1 << 6) | (1 << 3) | (1 << 21) | (1 << 27);
    for (fd, filetype) in [(0, 0), (1, 4), (2, 4)] {
        assert_eq!(fdstat(&mut shim, fd), (filetype, 0, STREAM, 0), "fd {fd}");
        assert_eq!(shim.call("fd_filestat_get", &[fd, OUT as i64]), 0);
        assert_eq!(shim.read(OUT + 16, 1)[0], filetype, "filestat of fd {fd}");
    }
    shim.write(1000, b"to the file");
    shim.write_iovecs(500, &[(1000, 11)]);
    assert_eq!(shim.call("fd_write", &[1, 500, 1, OUT as i64]), 0);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "to the file");
    // The default streams (nothing to read, output discarded) are of no known type either.
    let mut shim = Shim::new(|_| {});
    for fd in 0..3 {
        assert_eq!(fdstat(&mut shim, fd).0, 0, "fd {fd}");
    }
}

#[test]
fn pwrite_in_append_mode_appends() {
    let dir = TempDir::new("append-pwrite");
    std::fs::write(dir.path().join("log"), "hello").unwrap();
    let mut shim = shim_with_dir(&dir);
    let (p, len) = shim.path(600, "log");
    shim.write(1000, b"XY");
    shim.write_iovecs(500, &[(1000, 2)]);
    // With only the rights to read and write (no fd_seek): the offset is not used.
    const READ_WRITE: i64 = (1 << 1) | (1 << 6);
    assert_eq!(shim.call("path_open", &[3, 0, p, len, 0, READ_WRITE, 0, 1, OUT as i64]), 0);
    let fd = shim.read_u32(OUT) as i64;
    assert_eq!(shim.call("fd_pwrite", &[fd, 500, 1, 50, OUT as i64]), 0);
    assert_eq!(shim.read_u32(OUT), 2);
    assert_eq!(shim.call("fd_pwrite", &[fd, 500, 1, 0, OUT as i64]), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("log")).unwrap(), "helloXYXY");
    // With every right: appended too, and the position stays where it was.
    let all = ALL_RIGHTS;
    assert_eq!(shim.call("path_open", &[3, 0, p, len, 0, all, all, 1, OUT as i64]), 0);
    let fd = shim.read_u32(OUT) as i64;
    shim.write_iovecs(500, &[(1000, 1)]);
    assert_eq!(shim.call("fd_pwrite", &[fd, 500, 1, 1, OUT as i64]), 0);
    assert_eq!(shim.call("fd_tell", &[fd, OUT as i64]), 0);
    assert_eq!(shim.read_u64(OUT), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("log")).unwrap(), "helloXYXYX");
    // Append mode switched on after opening counts the same.
    assert_eq!(shim.call("path_open", &[3, 0, p, len, 0, READ_WRITE, 0, 0, OUT as i64]), 0);
    let fd = shim.read_u32(OUT) as i64;
    assert_eq!(shim.call("fd_pwrite", &[fd, 500, 1, 1, OUT as i64]), 76, "a positioned write");
    assert_eq!(shim.call("fd_fdstat_set_flags", &[fd, 1]), 76, "no right to set flags");
    let (fd, rights) = (shim.open(3, "log", 0, true).unwrap(), (1 << 6) | (1 << 3));
    assert_eq!(shim.call("fd_fdstat_set_rights", &[fd, rights, 0]), 0);
    assert_eq!(shim.call("fd_fdstat_set_flags", &[fd, 1]), 0);
    assert_eq!(shim.call("fd_pwrite", &[fd, 500, 1, 0, OUT as i64]), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("log")).unwrap(), "helloXYXYXX");
}

/// The context remembers the last calling instance's memory (`abi::memory_of`): instances
/// that take turns calling through one context each get their own memory, and one without a
/// memory gets `fault`, whichever called before.
#[test]
fn instances_taking_turns_each_get_their_own_memory() {
    let mut shim = Shim::new(|b| {
        b.args(["prog", "arg"]);
    });
    let engine = shim.store.engine().clone();
    let mut linker = mica::Linker::new(&engine);
    mica_wasi::add_to_linker(&mut linker, |ctx| ctx).unwrap();
    let other = mica::Module::new(&engine, common::shim::shim_wat(true)).unwrap();
    let other = linker.instantiate(&mut shim.store, &other).unwrap();
    let bare = mica::Module::new(&engine, common::shim::shim_wat(false)).unwrap();
    let bare = linker.instantiate(&mut shim.store, &bare).unwrap();
    let sizes = |shim: &mut Shim, instance: mica::Instance, at: i32| {
        let func = instance.get_typed_func::<(i32, i32), i32>(&shim.store, "args_sizes_get").unwrap();
        func.call(&mut shim.store, (at, at + 4)).unwrap()
    };
    let read_u32 = |shim: &Shim, instance: mica::Instance, at: usize| {
        let memory = instance.get_memory(&shim.store, "memory").unwrap();
        let mut bytes = [0; 4];
        memory.read(&shim.store, at, &mut bytes).unwrap();
        u32::from_le_bytes(bytes)
    };
    let (mine, theirs) = (shim.instance, other);
    for round in 0..3 {
        let at = 100 + 16 * round;
        assert_eq!(sizes(&mut shim, mine, at), 0);
        assert_eq!(sizes(&mut shim, bare, at), mica_wasi::types::Errno::Fault as i32, "no memory");
        assert_eq!(sizes(&mut shim, theirs, at + 8), 0);
        assert_eq!(read_u32(&shim, mine, at as usize), 2, "round {round}");
        assert_eq!(read_u32(&shim, mine, at as usize + 8), 0, "round {round}: the other's write");
        assert_eq!(read_u32(&shim, theirs, at as usize + 8), 2, "round {round}");
        assert_eq!(read_u32(&shim, theirs, at as usize), 0, "round {round}: this one's write");
    }
}
