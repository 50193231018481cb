//! C programs built against wasi-libc (sources and committed .wasm fixtures in
//! `tests/programs`), run through the library API with in-memory stdio and compared with
//! their expected output.

mod common;

use common::{TempDir, program, run_program};

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
