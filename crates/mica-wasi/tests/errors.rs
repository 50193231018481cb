//! The error paths of every WASI function, called straight from wasm (no libc in between):
//! bad descriptors, bad pointers, undefined flag bits, missing rights, wrong descriptor kinds.
//! Each must come back as its errno, never as a trap.

mod common;

use common::TempDir;
use common::shim::{SIGNATURES, Shim};
use mica_wasi::I32Exit;
use mica_wasi::types::Errno;

const BADF: i32 = Errno::Badf as i32;
const FAULT: i32 = Errno::Fault as i32;
const INVAL: i32 = Errno::Inval as i32;
const NOTCAPABLE: i32 = Errno::Notcapable as i32;
/// An address past the shim's one page of memory.
const OOB: i64 = 70_000;
/// A scratch area of the shim's memory for results.
const OUT: i64 = 8192;

fn shim_with_dir(dir: &TempDir) -> Shim {
    Shim::new(|b| {
        b.args(["prog", "arg"]).env("K", "V").preopened_dir(dir.path(), "/dir").unwrap();
    })
}

#[test]
fn every_preview1_function_is_defined() {
    assert_eq!(SIGNATURES.len(), 46);
    let mut shim = Shim::new(|_| {});
    assert_eq!(shim.call("sched_yield", &[]), 0);
}

#[test]
fn bad_descriptor_is_badf_everywhere() {
    let dir = TempDir::new("badf");
    let mut shim = shim_with_dir(&dir);
    shim.write_iovecs(512, &[(1024, 4)]);
    shim.write(600, b"name");
    for (name, sig) in SIGNATURES {
        if !name.starts_with("fd_") && !name.starts_with("path_") && !name.starts_with("sock_") {
            continue;
        }
        // fd 99 in the descriptor position, harmless valid values elsewhere.
        let fd_position = if *name == "path_symlink" { 2 } else { 0 };
        let mut args: Vec<i64> = sig.chars().map(|_| 0).collect();
        args[fd_position] = 99;
        match *name {
            "fd_read" | "fd_write" | "fd_pread" | "fd_pwrite" => {
                args[1] = 512;
                args[2] = 1;
                args[sig.len() - 1] = OUT;
            }
            "path_link" | "path_rename" => {
                args[2] = 600;
                args[3] = 4;
                args[sig.len() - 3] = 99;
                args[sig.len() - 2] = 600;
                args[sig.len() - 1] = 4;
            }
            "path_symlink" => args.copy_from_slice(&[600, 4, 99, 600, 4]),
            "path_open" => args.copy_from_slice(&[99, 0, 600, 4, 0, 0, 0, 0, OUT]),
            "path_filestat_get" | "path_filestat_set_times" | "path_readlink" => {
                args[2] = 600;
                args[3] = 4;
                if *name == "path_readlink" {
                    args[4] = OUT;
                    args[5] = OUT + 64;
                }
            }
            n if n.starts_with("path_") => {
                args[1] = 600;
                args[2] = 4;
            }
            "fd_readdir" => {
                args[1] = OUT;
                args[2] = 64;
                args[4] = OUT + 128;
            }
            "fd_prestat_dir_name" => {
                args[1] = OUT;
                args[2] = 64;
            }
            _ => {
                for a in args.iter_mut().skip(1) {
                    *a = OUT;
                }
                if ["fd_filestat_set_times", "fd_advise", "fd_fdstat_set_flags"].contains(name) {
                    *args.last_mut().unwrap() = 0;
                }
                if ["sock_accept", "sock_shutdown"].contains(name) {
                    args[1] = 0; // no undefined flag bits
                }
                if *name == "fd_seek" {
                    args[1] = 0;
                    args[2] = 0;
                }
            }
        }
        assert_eq!(shim.call(name, &args), BADF, "{name}{args:?}");
    }
}

#[test]
fn bad_pointers_are_fault() {
    let dir = TempDir::new("fault");
    std::fs::write(dir.path().join("f"), b"data").unwrap();
    let mut shim = shim_with_dir(&dir);
    let file = shim.open(3, "f", 0, true).unwrap();
    shim.write_iovecs(512, &[(65530, 100)]); // runs off the end of memory
    shim.write_iovecs(520, &[(1024, 4)]);
    shim.write(1024, b"text");
    let (p, len) = shim.path(600, "f");
    let cases: &[(&str, Vec<i64>)] = &[
        ("args_sizes_get", vec![OOB, OUT]),
        ("args_sizes_get", vec![OUT, OOB]),
        ("args_get", vec![OOB, OUT]),
        ("args_get", vec![OUT, 65535]),
        ("environ_sizes_get", vec![OUT, OOB]),
        ("environ_get", vec![OUT, OOB]),
        ("clock_res_get", vec![0, OOB]),
        ("clock_time_get", vec![1, 0, 65532]),
        ("random_get", vec![65000, 1000]),
        ("random_get", vec![-1, 2]),
        ("fd_write", vec![1, OOB, 1, OUT]),
        ("fd_write", vec![1, 512, 1, OUT]),
        ("fd_write", vec![1, 520, 1, OOB]),
        ("fd_write", vec![1, 520, 0x2000_0000, OUT]),
        ("fd_read", vec![file, 512, 1, OUT]),
        ("fd_pread", vec![file, 520, 1, 0, OOB]),
        ("fd_pwrite", vec![file, OOB, 1, 0, OUT]),
        ("fd_seek", vec![file, 0, 0, OOB]),
        ("fd_tell", vec![file, OOB]),
        ("fd_fdstat_get", vec![1, 65530]),
        ("fd_filestat_get", vec![file, OOB]),
        ("fd_prestat_get", vec![3, OOB]),
        ("fd_prestat_dir_name", vec![3, 65534, 10]),
        ("fd_readdir", vec![3, 65500, 100, 0, OUT]),
        ("fd_readdir", vec![3, OUT, 100, 0, OOB]),
        ("path_open", vec![3, 0, OOB, 1, 0, 0, 0, 0, OUT]),
        ("path_open", vec![3, 0, p, 0xFFFF_FFFF, 0, 0, 0, 0, OUT]),
        ("path_open", vec![3, 0, p, len, 0, 0, 0, 0, OOB]),
        ("path_filestat_get", vec![3, 0, p, len, OOB]),
        ("path_create_directory", vec![3, OOB, 3]),
        ("path_readlink", vec![3, p, len, OOB, 10, OUT]),
        ("path_symlink", vec![OOB, 2, 3, p, len]),
        ("path_rename", vec![3, p, len, 3, OOB, 1]),
        ("poll_oneoff", vec![OOB, OUT, 1, OUT + 1024]),
        ("poll_oneoff", vec![OUT, 65500, 2, OUT + 1024]),
    ];
    for (name, args) in cases {
        assert_eq!(shim.call(name, args), FAULT, "{name}{args:?}");
    }
    // A call whose result pointer is bad does nothing: no bytes reached stdout.
    assert!(shim.stdout.contents().is_empty());
    // Nor was a descriptor allocated by the path_open with a bad result pointer.
    assert_eq!(shim.call("fd_close", &[file + 1]), BADF);
}

#[test]
fn a_module_without_memory_gets_fault() {
    let mut shim = Shim::with_memory(false, |_| {});
    assert_eq!(shim.call("fd_write", &[1, 0, 0, 0]), FAULT);
    assert_eq!(shim.call("args_sizes_get", &[0, 4]), FAULT);
    assert_eq!(shim.call("fd_close", &[1]), 0);
}

#[test]
fn undefined_flags_and_values_are_inval() {
    let dir = TempDir::new("inval");
    std::fs::write(dir.path().join("f"), b"data").unwrap();
    let mut shim = shim_with_dir(&dir);
    let file = shim.open(3, "f", 0, true).unwrap();
    let (p, len) = shim.path(600, "f");
    let all = (1i64 << 30) - 1;
    shim.write(2048, &[0u8; 48]);
    let mut bad_tag = [0u8; 48];
    bad_tag[8] = 3;
    shim.write(2100, &bad_tag);
    let mut bad_clock = [0u8; 48];
    bad_clock[16] = 9;
    shim.write(2200, &bad_clock);
    let cases: &[(&str, Vec<i64>)] = &[
        ("path_open", vec![3, 0, p, len, 0x10, all, all, 0, OUT]),
        ("path_open", vec![3, 0, p, len, 0, all, all, 0x20, OUT]),
        ("path_open", vec![3, 2, p, len, 0, all, all, 0, OUT]),
        ("path_open", vec![3, 0, p, len, 0, 1 << 40, 0, 0, OUT]),
        ("path_open", vec![3, 0, p, len, 0, 0, 1 << 40, 0, OUT]),
        ("path_open", vec![3, 0, p, len, 2 | 1, all, all, 0, OUT]), // directory + create
        ("path_filestat_get", vec![3, 4, p, len, OUT]),
        ("path_filestat_set_times", vec![3, 0, p, len, 0, 0, 1 | 2]),
        ("path_filestat_set_times", vec![3, 0, p, len, 0, 0, 0x10]),
        ("path_link", vec![3, 1, p, len, 3, 700, 0]),
        ("fd_fdstat_set_flags", vec![file, 0x20]),
        ("fd_fdstat_set_rights", vec![file, 1 << 31, 0]),
        ("fd_filestat_set_times", vec![file, 0, 0, 4 | 8]),
        ("fd_filestat_set_times", vec![file, 0, 0, 0x100]),
        ("fd_seek", vec![file, 0, 3, OUT]),
        ("fd_seek", vec![file, -1, 0, OUT]),
        ("fd_advise", vec![file, 0, 0, 6]),
        ("clock_time_get", vec![4, 0, OUT]),
        ("clock_res_get", vec![-1, OUT]),
        ("poll_oneoff", vec![2048, OUT, 0, OUT + 1024]),
        ("poll_oneoff", vec![2100, OUT, 1, OUT + 1024]),
        ("poll_oneoff", vec![2200, OUT, 1, OUT + 1024]),
        ("proc_raise", vec![99]),
    ];
    for (name, args) in cases {
        assert_eq!(shim.call(name, args), INVAL, "{name}{args:?}");
    }
    assert_eq!(shim.call("proc_raise", &[9]), Errno::Notsup as i32);
}

#[test]
fn rights_are_enforced() {
    let dir = TempDir::new("rights");
    std::fs::write(dir.path().join("f"), b"data").unwrap();
    let mut shim = shim_with_dir(&dir);
    let (p, len) = shim.path(600, "f");
    const FD_READ: i64 = 1 << 1;
    const FD_WRITE: i64 = 1 << 6;
    // Opened with only the right to read.
    assert_eq!(shim.call("path_open", &[3, 0, p, len, 0, FD_READ, 0, 0, OUT]), 0);
    let fd = shim.read_u32(OUT as u32) as i64;
    shim.write_iovecs(512, &[(1024, 4)]);
    assert_eq!(shim.call("fd_write", &[fd, 512, 1, OUT]), NOTCAPABLE);
    assert_eq!(shim.call("fd_seek", &[fd, 0, 0, OUT]), NOTCAPABLE);
    assert_eq!(shim.call("fd_read", &[fd, 512, 1, OUT]), 0);
    assert_eq!(shim.read(1024, 4), b"data");
    // Rights can be dropped, never gained.
    assert_eq!(shim.call("fd_fdstat_set_rights", &[fd, FD_READ | FD_WRITE, 0]), NOTCAPABLE);
    assert_eq!(shim.call("fd_fdstat_set_rights", &[fd, 0, 0]), 0);
    assert_eq!(shim.call("fd_read", &[fd, 512, 1, OUT]), NOTCAPABLE);
    assert_eq!(shim.call("fd_fdstat_get", &[fd, OUT]), 0);
    assert_eq!(shim.read_u64(OUT as u32 + 8), 0);
    // A directory passes on only its inheriting rights: asking for others is no error, but
    // they are not given.
    assert_eq!(shim.call("fd_fdstat_get", &[3, OUT]), 0);
    let base = shim.read_u64(OUT as u32 + 8) as i64;
    assert_eq!(shim.call("fd_fdstat_set_rights", &[3, base, FD_READ]), 0);
    assert_eq!(shim.call("path_open", &[3, 0, p, len, 0, FD_READ | FD_WRITE, 0, 0, OUT]), 0);
    let fd = shim.read_u32(OUT as u32) as i64;
    assert_eq!(shim.call("fd_fdstat_get", &[fd, OUT]), 0);
    assert_eq!(shim.read_u64(OUT as u32 + 8), FD_READ as u64);
    assert_eq!(shim.call("fd_write", &[fd, 512, 1, OUT]), NOTCAPABLE);
    assert_eq!(shim.call("fd_read", &[fd, 512, 1, OUT]), 0);
    // And a directory without PATH_OPEN opens nothing.
    assert_eq!(shim.call("fd_fdstat_set_rights", &[3, 0, 0]), 0);
    assert_eq!(shim.call("path_open", &[3, 0, p, len, 0, 0, 0, 0, OUT]), NOTCAPABLE);
    // Stdin without FD_READ.
    assert_eq!(shim.call("fd_fdstat_set_rights", &[0, 0, 0]), 0);
    assert_eq!(shim.call("fd_read", &[0, 512, 1, OUT]), NOTCAPABLE);
}

#[test]
fn wrong_kinds_of_descriptor() {
    let dir = TempDir::new("kinds");
    std::fs::write(dir.path().join("f"), b"data").unwrap();
    let mut shim = shim_with_dir(&dir);
    let file = shim.open(3, "f", 0, true).unwrap();
    // A directory opened through the preopen, with every right it passes on (the preopen
    // itself has no right to read or write bytes).
    let sub = shim.open(3, ".", 2, true).unwrap();
    shim.write_iovecs(512, &[(1024, 4)]);
    let cases: &[(&str, Vec<i64>, Errno)] = &[
        ("fd_seek", vec![1, 0, 0, OUT], Errno::Spipe),
        ("fd_tell", vec![0, OUT], Errno::Spipe),
        ("fd_pread", vec![0, 512, 1, 0, OUT], Errno::Spipe),
        ("fd_read", vec![sub, 512, 1, OUT], Errno::Isdir),
        ("fd_write", vec![sub, 512, 1, OUT], Errno::Isdir),
        ("fd_pwrite", vec![sub, 512, 1, 0, OUT], Errno::Isdir),
        ("fd_read", vec![3, 512, 1, OUT], Errno::Notcapable),
        ("fd_write", vec![3, 512, 1, OUT], Errno::Notcapable),
        ("fd_readdir", vec![file, OUT, 64, 0, OUT + 100], Errno::Notdir),
        ("fd_prestat_get", vec![0, OUT], Errno::Badf),
        ("fd_prestat_get", vec![file, OUT], Errno::Badf),
        ("fd_prestat_dir_name", vec![3, OUT, 1], Errno::Nametoolong),
        ("fd_filestat_set_size", vec![sub, 0], Errno::Isdir),
        ("fd_allocate", vec![1, 0, 10], Errno::Notcapable),
        ("fd_filestat_set_times", vec![1, 0, 0, 2], Errno::Notcapable),
        ("fd_read", vec![1, 512, 1, OUT], Errno::Badf),
        ("fd_write", vec![0, 512, 1, OUT], Errno::Badf),
        ("path_create_directory", vec![file, 600, 1], Errno::Notdir),
        ("fd_renumber", vec![3, 99], Errno::Badf),
        ("sock_accept", vec![1, 0, OUT], Errno::Notsock),
        ("sock_recv", vec![1, 512, 1, 0, OUT, OUT + 8], Errno::Notsock),
        ("sock_send", vec![1, 512, 1, 0, OUT], Errno::Notsock),
        ("sock_shutdown", vec![1, 3], Errno::Notsock),
    ];
    for (name, args, errno) in cases {
        assert_eq!(shim.call(name, args), *errno as i32, "{name}{args:?}");
    }
    assert_eq!(shim.open(3, "f", 2, true), Err(Errno::Notdir as i32)); // O_DIRECTORY on a file
    assert_eq!(shim.open(3, "missing", 0, true), Err(Errno::Noent as i32));
    assert_eq!(shim.open(3, "f", 1 | 4, true), Err(Errno::Exist as i32)); // O_CREAT|O_EXCL
    assert_eq!(shim.call("fd_close", &[file]), 0);
    assert_eq!(shim.call("fd_close", &[file]), BADF);
}

#[test]
fn non_utf8_paths_are_ilseq() {
    let dir = TempDir::new("ilseq");
    let mut shim = shim_with_dir(&dir);
    shim.write(600, &[0xff, 0xfe]);
    assert_eq!(shim.call("path_create_directory", &[3, 600, 2]), Errno::Ilseq as i32);
    assert_eq!(shim.call("path_open", &[3, 0, 600, 2, 0, 0, 0, 0, OUT]), Errno::Ilseq as i32);
}

#[test]
fn proc_exit_unwinds_with_its_status() {
    let mut shim = Shim::new(|_| {});
    let error = shim.try_call("proc_exit", &[17]).unwrap_err();
    assert_eq!(error.downcast_ref::<I32Exit>(), Some(&I32Exit(17)));
}

#[test]
fn socket_calls_on_descriptors_that_are_not_sockets() {
    let dir = TempDir::new("notsock");
    std::fs::write(dir.path().join("f"), b"data").unwrap();
    let mut shim = shim_with_dir(&dir);
    let file = shim.open(3, "f", 0, true).unwrap();
    let sub = shim.open(3, ".", 2, true).unwrap();
    shim.write_iovecs(512, &[(1024, 4)]);
    const NOTSOCK: i32 = Errno::Notsock as i32;
    for fd in [0, 1, 2, 3, file, sub] {
        for how in [1, 2, 3] {
            assert_eq!(shim.call("sock_shutdown", &[fd, how]), NOTSOCK, "shutdown {fd} {how}");
        }
        assert_eq!(shim.call("sock_accept", &[fd, 0, OUT]), NOTSOCK, "accept {fd}");
        assert_eq!(shim.call("sock_recv", &[fd, 512, 1, 0, OUT, OUT + 8]), NOTSOCK, "recv {fd}");
        assert_eq!(shim.call("sock_send", &[fd, 512, 1, 0, OUT]), NOTSOCK, "send {fd}");
    }
    // A closed descriptor is still `badf`; undefined `how` bits are `inval`.
    assert_eq!(shim.call("sock_shutdown", &[99, 3]), BADF);
    assert_eq!(shim.call("sock_shutdown", &[1, 4]), INVAL);
    assert_eq!(shim.call("sock_shutdown", &[99, 4]), INVAL);
    assert_eq!(shim.call("sock_accept", &[1, 0x20, OUT]), INVAL);
    // Nothing was written or read on the way.
    assert!(shim.stdout.contents().is_empty());
}
