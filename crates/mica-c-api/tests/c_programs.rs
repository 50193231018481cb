//! The C tests: every `tests/c/*.c` program (and every example in `examples/`) is compiled against `include/` and the static
//! library (`libmica.a`, built here with the test's own profile), with AddressSanitizer and
//! UndefinedBehaviorSanitizer where the C compiler has them, and run in a directory holding
//! the binary form of every `tests/c/*.wat` module. A program passes when it exits with
//! status 0, the sanitizers report nothing (they make the program fail), and its standard
//! output is `tests/c/<name>.expected` where that file exists.
//!
//! Where `valgrind` is installed each program is also built without sanitizers and run under
//! it (memory errors and definite leaks fail the test), with `tests/valgrind.supp` (reports
//! known to be false, each explained there).
//!
//! `CC` picks the compiler (default `cc`). With `MICA_REQUIRE_SANITIZERS=1` (CI) a compiler
//! without the sanitizers, or a machine without valgrind, is a failure rather than a note.

use std::path::Path;
use std::process::Command;

mod common;
use common::{SANITIZERS, build_library, cc, crate_dir, sanitizers_work};

#[test]
fn c_programs() {
    let lib_dir = build_library();
    let work = std::env::temp_dir().join(format!("mica-c-tests-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let c_dir = crate_dir().join("tests/c");
    let mut programs = Vec::new();
    let entries = std::fs::read_dir(&c_dir).unwrap().chain(std::fs::read_dir(crate_dir().join("examples")).unwrap());
    for entry in entries {
        let path = entry.unwrap().path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("wat") => {
                let binary = wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                std::fs::write(work.join(path.with_extension("wasm").file_name().unwrap()), binary).unwrap();
            }
            Some("wasm") => {
                std::fs::copy(&path, work.join(path.file_name().unwrap())).unwrap();
            }
            Some("c") => programs.push(path),
            _ => {}
        }
    }
    programs.sort();
    assert!(!programs.is_empty(), "no C programs in {}", c_dir.display());

    let sanitize = sanitizers_work(&work);
    if !sanitize {
        assert!(
            std::env::var_os("MICA_REQUIRE_SANITIZERS").is_none(),
            "MICA_REQUIRE_SANITIZERS is set but `{} -fsanitize=address,undefined` cannot build a program",
            cc()
        );
        eprintln!("note: {} has no AddressSanitizer/UBSan here: the C tests run without them", cc());
    }

    let valgrind = Command::new("valgrind").arg("--version").output().is_ok_and(|o| o.status.success());
    if !valgrind {
        assert!(
            std::env::var_os("MICA_REQUIRE_SANITIZERS").is_none(),
            "MICA_REQUIRE_SANITIZERS is set but valgrind is not installed"
        );
        eprintln!("note: no valgrind here: the C tests run under the sanitizers only");
    }

    let mut failures = Vec::new();
    for src in &programs {
        let name = src.file_stem().unwrap().to_str().unwrap().to_string();
        let exe = work.join(&name);
        let build = |exe: &Path, sanitized: bool| {
            let mut build = Command::new(cc());
            build.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g"]).arg("-I").arg(crate_dir().join("include"));
            if sanitized {
                build.args(SANITIZERS);
            }
            build.arg(src).arg(lib_dir.join("libmica.a")).args(["-lpthread", "-ldl", "-lm", "-o"]).arg(exe);
            build.output().expect("run the C compiler")
        };
        let out = build(&exe, sanitize);
        if !out.status.success() {
            failures.push(format!("{name}: does not compile:\n{}", String::from_utf8_lossy(&out.stderr)));
            continue;
        }
        let run = Command::new(&exe)
            .current_dir(&work)
            .env("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
            .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
            .output()
            .expect("run the C program");
        let stdout = String::from_utf8_lossy(&run.stdout);
        if !run.status.success() {
            failures.push(format!(
                "{name}: exited with {}\n--- stdout\n{stdout}--- stderr\n{}",
                run.status,
                String::from_utf8_lossy(&run.stderr)
            ));
            continue;
        }
        let expected = src.with_extension("expected");
        if let Ok(want) = std::fs::read_to_string(&expected)
            && want != stdout
        {
            failures.push(format!("{name}: output differs from {}\n--- got\n{stdout}--- want\n{want}", expected.display()));
        }
        if valgrind {
            let plain = work.join(format!("{name}.plain"));
            let out = build(&plain, false);
            assert!(out.status.success(), "{name}: builds with sanitizers but not without");
            let run = Command::new("valgrind")
                .args(["-q", "--error-exitcode=99", "--leak-check=full", "--errors-for-leak-kinds=definite"])
                .arg(format!("--suppressions={}", crate_dir().join("tests/valgrind.supp").display()))
                .arg(&plain)
                .current_dir(&work)
                .output()
                .expect("run valgrind");
            if !run.status.success() {
                failures.push(format!(
                    "{name}: under valgrind, exited with {}\n--- stderr\n{}",
                    run.status,
                    String::from_utf8_lossy(&run.stderr)
                ));
                continue;
            }
        }
        eprintln!(
            "ok: {name}{}{}",
            if sanitize { " (ASan + UBSan)" } else { "" },
            if valgrind { " (valgrind)" } else { "" }
        );
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(failures.is_empty(), "{} of {} C programs failed:\n{}", failures.len(), programs.len(), failures.join("\n"));
}
