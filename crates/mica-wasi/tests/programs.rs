//! Real programs (sources and committed .wasm fixtures in `tests/programs`): C built against
//! wasi-libc, and Rust built with std for wasm32-wasip1. They run through the library API with
//! in-memory stdio (or redirected stdio, for the tests of what stdio is) and are compared with
//! their expected output.

mod common;

use common::{TempDir, program, run_program};
use std::fs::File;
use std::process::{Command, Stdio};

#[test]
fn stdio_and_printf() {
    let out = run_program("stdio.wasm", "first line\nsecond line\n", |_| {});
    assert_eq!(out.status, Some(0), "{:?}", out.error);
    assert_eq!(
        out.stdout,
        "int 42 -7 4000000000 -1234567890\n\
         i64 -9223372036854775808 18446744073709551615 1099511627776\n\
         hex ff 0000BEEF 10\n\
         pad [   42] [42   ] [003.1]\n\
         float 3.141590 -2.500 1.234568e+04 0.0001 1e+300\n\
         round-trip 0.10000000000000001 0.100000001 0x1.999999999999ap-4\n\
         special inf -inf -0\n\
         float32 0.333333343 16777216\n\
         stdin: first line\n\
         stdin: second line\n\
         lines 2\n"
    );
    assert_eq!(out.stderr, "to stderr\n");
}

#[test]
fn args_and_environment_verbatim() {
    let out = run_program("args_env.wasm", "", |b| {
        b.args(["args_env.wasm", "--dir", "two words", "", "a=b"])
            .env("EMPTY", "")
            .env("EQUALS", "x=y=z")
            .env("HOME", "/home/guest");
    });
    assert_eq!(out.status, Some(0));
    assert_eq!(
        out.stdout,
        "argc=5\nargv[1]=[--dir]\nargv[2]=[two words]\nargv[3]=[]\nargv[4]=[a=b]\n\
         env [EMPTY=]\nenv [EQUALS=x=y=z]\nenv [HOME=/home/guest]\nHOME=/home/guest\n"
    );
}

#[test]
fn no_arguments_and_empty_environment() {
    let out = run_program("args_env.wasm", "", |_| {});
    assert_eq!(out.stdout, "argc=0\nHOME=(unset)\n");
}

#[test]
fn exit_codes() {
    for (args, status, stdout) in [
        (&["p", "0"][..], 0, "returning 0\n"),
        (&["p", "3"][..], 3, "returning 3\n"),
        (&["p", "42", "deep"][..], 42, "leaving with 42"),
    ] {
        let out = run_program("exit_code.wasm", "", |b| {
            b.args(args);
        });
        assert_eq!(out.status, Some(status), "{args:?}: {:?}", out.error);
        assert_eq!(out.stdout, stdout);
    }
}

#[test]
fn output_before_a_trap_survives() {
    let out = run_program("trap.wasm", "", |b| {
        b.arg("trap");
    });
    assert_eq!(out.status, None);
    assert_eq!(out.error.unwrap().trap_code(), Some(mica::TrapCode::IntegerDivisionByZero));
    assert_eq!(out.stdout, "before the trap\n");
}

#[test]
fn clocks_sleep_and_random() {
    let out = run_program("clocks_random.wasm", "", |_| {});
    assert_eq!(out.status, Some(0), "{:?}", out.error);
    assert_eq!(
        out.stdout,
        "realtime after 2020: yes\ntime() agrees: yes\nmonotonic resolution positive: yes\n\
         slept at least 20ms: yes\nnanosleep: 0\nprocess cpu time advances: yes\n\
         thread cpu time: 0\ngetentropy: 0 0\nrandom differs: yes\ndone\n"
    );
}

#[test]
fn files_in_a_preopened_directory() {
    let dir = TempDir::new("files");
    let out = run_program("files.wasm", "", |b| {
        b.args(["files", "/data"]).preopened_dir(dir.path(), "/data").unwrap();
    });
    assert_eq!(out.status, Some(0), "{:?}", out.error);
    let expected = std::fs::read_to_string(program("files.expected")).unwrap();
    assert_eq!(out.stdout, expected);
    // The program removes everything it made.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn files_under_a_relative_guest_name() {
    let dir = TempDir::new("files-dot");
    let out = run_program("files.wasm", "", |b| {
        b.args(["files", "."]).preopened_dir(dir.path(), ".").unwrap();
    });
    assert_eq!(out.status, Some(0), "{:?}", out.error);
    assert_eq!(out.stdout, std::fs::read_to_string(program("files.expected")).unwrap());
}

#[test]
fn list_and_copy() {
    let dir = TempDir::new("listcopy");
    let input: String = (1..=3000).map(|i| format!("{i}\n")).collect();
    std::fs::write(dir.path().join("input.txt"), &input).unwrap();
    std::fs::create_dir(dir.path().join("alpha")).unwrap();
    let out = run_program("listcopy.wasm", "", |b| {
        b.args(["listcopy", "/work"]).preopened_dir(dir.path(), "/work").unwrap();
    });
    assert_eq!(out.status, Some(0), "{:?}", out.error);
    assert!(out.stdout.starts_with(&format!(
        "copied {} bytes, identical: yes\nentry alpha\nentry copy.txt\nentry input.txt\n",
        input.len()
    )));
    assert_eq!(std::fs::read_to_string(dir.path().join("copy.txt")).unwrap(), input);
}

/// The descriptors program, built twice: C with wasi-libc, Rust with std. Both print the same.
const DESCRIPTORS_C: &str = "descriptors.wasm";
const DESCRIPTORS_RUST: &str = "descriptors_rust.wasm";

/// Runs the descriptors program in `mode` with a fresh directory preopened as `/dir`.
fn descriptors(program: &str, mode: &str) -> String {
    let dir = TempDir::new(mode);
    let out = run_program(program, "", |b| {
        b.args([program, mode, "/dir"]).preopened_dir(dir.path(), "/dir").unwrap();
    });
    assert_eq!(out.status, Some(0), "{program} {mode}: {:?} {}", out.error, out.stderr);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{program} cleans up");
    out.stdout
}

/// A preopened directory has the rights wasmtime reports for one (the path operations, listing
/// and its own attributes; it passes those on with a regular file's), and opening through it
/// with the rights it holds, or asking for more, works.
const PREOPEN_RIGHTS: &str = "\
fdstat OK: directory, base 0x7b7fe00, inheriting 0xff7ffff
base within inheriting: yes
reopen with the same rights: OK
reopened: directory, same rights: yes
create with the inheriting rights: OK
created: regular file, base 0xff7ffff
open asking for every right: OK
given: base 0xff7ffff, inheriting 0xff7ffff
fopen w: OK
fopen a: OK
contents [first|second|]
mkdir: OK
nested create: OK
listing: 2 entries
cleanup: OK OK OK
";

#[test]
fn preopen_rights_c() {
    assert_eq!(descriptors(DESCRIPTORS_C, "rights"), PREOPEN_RIGHTS);
}

#[test]
fn preopen_rights_rust() {
    assert_eq!(descriptors(DESCRIPTORS_RUST, "rights"), PREOPEN_RIGHTS);
}

/// `pwrite` on a file opened with O_APPEND appends whatever the offset (Linux's `pwrite`, and
/// wasmtime's everywhere), leaves the position alone, and needs no `fd_seek` right.
const APPEND_PWRITE: &str = "\
write 5 OK
open append 0 OK
pwrite at 0 2 OK
pwrite at 100 1 OK
position 0 OK
write 1 OK
position 9 OK
raw open OK
raw pwrite at 3: OK 1
contents [helloXYZ!+]
size 10
unlink 0 OK
";

#[test]
fn pwrite_on_an_append_file_c() {
    assert_eq!(descriptors(DESCRIPTORS_C, "append"), APPEND_PWRITE);
}

#[test]
fn pwrite_on_an_append_file_rust() {
    assert_eq!(descriptors(DESCRIPTORS_RUST, "append"), APPEND_PWRITE);
}

/// No descriptor is a socket: `shutdown` (and the other socket calls) say so.
const NOT_SOCKETS: &str = "\
shutdown stdin: ENOTSOCK
shutdown stdout: ENOTSOCK
shutdown stderr: ENOTSOCK
shutdown preopen: ENOTSOCK
shutdown file: ENOTSOCK
shutdown closed: EBADF
raw shutdown, undefined how: EINVAL
raw recv: ENOTSOCK
raw send: ENOTSOCK
raw accept: ENOTSOCK
";

#[test]
fn socket_calls_on_non_sockets_c() {
    assert_eq!(descriptors(DESCRIPTORS_C, "sockets"), NOT_SOCKETS);
}

#[test]
fn socket_calls_on_non_sockets_rust() {
    assert_eq!(descriptors(DESCRIPTORS_RUST, "sockets"), NOT_SOCKETS);
}

/// The `fd N:` lines of the stdio report in `text` (which may hold other output too).
fn stdio_report(text: &str) -> String {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| line.starts_with("fd "))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Redirected to files through the builder, stdout and stderr are regular files, not
/// terminals; an in-memory stdin is of no known type.
fn stdio_redirected_to_files(program: &str) {
    let dir = TempDir::new("stdio-files");
    let (stdout, stderr) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let out = run_program(program, "", |b| {
        b.args([program, "stdio"])
            .stdout(File::create(&stdout).unwrap())
            .stderr(File::create(&stderr).unwrap());
    });
    assert_eq!(out.status, Some(0), "{program}: {:?}", out.error);
    assert_eq!(out.stdout, "", "the in-memory pipe was replaced");
    assert_eq!(
        std::fs::read_to_string(&stdout).unwrap(),
        "fd 0: unknown, fstat unknown, tty no\n\
         fd 1: regular file, fstat regular file, tty no\n\
         fd 2: regular file, fstat regular file, tty no\n"
    );
}

#[test]
fn stdio_redirected_to_files_c() {
    stdio_redirected_to_files(DESCRIPTORS_C);
}

#[test]
fn stdio_redirected_to_files_rust() {
    stdio_redirected_to_files(DESCRIPTORS_RUST);
}

/// The environment variable that makes [`inherited_stdio_child`] run a program.
const CHILD_PROGRAM: &str = "MICA_WASI_STDIO_CHILD";

/// Not a test of its own: the child process of the inherited-stdio tests, which run this test
/// binary again with its stdio redirected. With `MICA_WASI_STDIO_CHILD` naming a fixture, it runs
/// that program's stdio report with the process's own stdio (`inherit_stdio`); without, nothing.
#[test]
fn inherited_stdio_child() {
    let Ok(name) = std::env::var(CHILD_PROGRAM) else { return };
    let out = run_program(&name, "", |b| {
        b.inherit_stdio().args([name.as_str(), "stdio"]);
    });
    assert_eq!(out.status, Some(0), "{name}: {:?}", out.error);
}

/// Runs `program`'s stdio report in a child process with the given stdio, inherited by the
/// guest; returns the child's captured stdout and stderr (empty where not piped).
fn inherited_stdio(program: &str, stdin: Stdio, stdout: Stdio, stderr: Stdio) -> (String, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["inherited_stdio_child", "--exact", "--quiet", "--test-threads", "1"])
        .env(CHILD_PROGRAM, program)
        .stdin(stdin)
        .stdout(stdout)
        .stderr(stderr)
        .output()
        .expect("the test binary runs again");
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    let (stdout, stderr) = (text(out.stdout), text(out.stderr));
    assert!(out.status.success(), "{program}: {}\n{stdout}\n{stderr}", out.status);
    (stdout, stderr)
}

/// `mica run prog > file` and `mica run prog | cat`: inherited stdio that is a file or a pipe
/// (or /dev/null, a character device but no terminal) is reported as what it is, never as a
/// terminal.
#[test]
fn inherited_stdio_redirected_to_a_file_or_a_pipe() {
    for program in [DESCRIPTORS_C, DESCRIPTORS_RUST] {
        let dir = TempDir::new("inherited");
        let path = dir.path().join("stdout");
        let file = File::create(&path).unwrap();
        inherited_stdio(program, Stdio::null(), file.into(), Stdio::piped());
        assert_eq!(
            stdio_report(&std::fs::read_to_string(&path).unwrap()),
            "fd 0: unknown, fstat unknown, tty no\n\
             fd 1: regular file, fstat regular file, tty no\n\
             fd 2: unknown, fstat unknown, tty no\n",
            "{program}: stdin /dev/null, stdout a file, stderr a pipe"
        );
        let (stdout, _) = inherited_stdio(program, Stdio::piped(), Stdio::piped(), Stdio::null());
        assert_eq!(
            stdio_report(&stdout),
            "fd 0: unknown, fstat unknown, tty no\n\
             fd 1: unknown, fstat unknown, tty no\n\
             fd 2: unknown, fstat unknown, tty no\n",
            "{program}: stdin and stdout pipes, stderr /dev/null"
        );
    }
}

/// A pseudo-terminal's two ends: the master to read from, the slave to give the child.
fn pseudo_terminal() -> Option<(File, File)> {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use std::os::unix::fs::OpenOptionsExt;
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).ok()?;
    grantpt(&master).ok()?;
    unlockpt(&master).ok()?;
    let name = ptsname(&master, Vec::new()).ok()?;
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(rustix::fs::OFlags::NOCTTY.bits() as i32)
        .open(name.to_str().ok()?)
        .ok()?;
    Some((File::from(master), slave))
}

/// Inherited stdio on a terminal is a character device, and a terminal to the guest's libc.
#[test]
fn inherited_stdio_on_a_terminal() {
    use std::io::Read;
    for program in [DESCRIPTORS_C, DESCRIPTORS_RUST] {
        let Some((mut master, slave)) = pseudo_terminal() else {
            eprintln!("no pseudo-terminal on this machine: terminal case not checked");
            return;
        };
        // Read the terminal while the child writes, so it never waits for room; the read ends
        // (with EIO) once the child, the last holder of the slave end, exits.
        let reader = std::thread::spawn(move || {
            let mut text = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = master.read(&mut buf) {
                text.extend_from_slice(&buf[..n]);
            }
            String::from_utf8_lossy(&text).into_owned()
        });
        let stdio = |f: &File| Stdio::from(f.try_clone().unwrap());
        inherited_stdio(program, stdio(&slave), stdio(&slave), stdio(&slave));
        drop(slave);
        assert_eq!(
            stdio_report(&reader.join().unwrap()),
            "fd 0: character device, fstat character device, tty yes\n\
             fd 1: character device, fstat character device, tty yes\n\
             fd 2: character device, fstat character device, tty yes\n",
            "{program}: stdin, stdout and stderr a terminal"
        );
    }
}
