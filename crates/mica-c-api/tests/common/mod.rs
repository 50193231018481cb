//! What the C tests (`c_programs.rs`) and the standard's examples (`standard_examples.rs`)
//! share: building `libmica.a`, the C compiler, and its sanitizers.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `libmica.a` with this test's profile and returns the directory holding it.
pub fn build_library() -> PathBuf {
    let release = !cfg!(debug_assertions);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "-p", "mica-c-api", "--lib"]).current_dir(crate_dir());
    if release {
        cmd.arg("--release");
    }
    let status = cmd.status().expect("run cargo build");
    assert!(status.success(), "building libmica.a failed");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => crate_dir().join("../../target"),
    };
    target.join(if release { "release" } else { "debug" })
}

/// The C compiler: `$CC`, or `cc`.
pub fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".into())
}

/// AddressSanitizer and UBSan, every report fatal.
pub const SANITIZERS: &[&str] = &["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"];

/// Whether the C compiler can build and run a sanitized program (in `dir`).
pub fn sanitizers_work(dir: &Path) -> bool {
    let src = dir.join("probe.c");
    std::fs::write(&src, "#include <stdlib.h>\nint main(void) { free(malloc(1)); return 0; }\n").unwrap();
    let exe = dir.join("probe");
    let built = Command::new(cc()).args(SANITIZERS).arg(&src).arg("-o").arg(&exe).status();
    matches!(built, Ok(s) if s.success()) && matches!(Command::new(&exe).status(), Ok(s) if s.success())
}
