//! Links the `mica` binary with packed relative relocations (RELR: `-z pack-relative-relocs`)
//! where the C library can load them, glibc 2.36 and later.
//!
//! A position-independent executable holds an address, for the loader to relocate, for
//! every function pointer in its tables; Mica's handler tables have thousands. As classic
//! RELA entries (24 bytes each) they are about 400 KB that the loader reads at every start,
//! which `mica run` of an empty module paid in resident memory; packed, they are 3 KB
//! (BENCHMARKS.md, "Size"). A binary linked so needs glibc 2.36 to start, and says so (its
//! `GLIBC_ABI_DT_RELR` version need): the flag is given only for a native build on a system
//! that has it. `MICA_NO_RELR=1` leaves it out.

use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=MICA_NO_RELR");
    let (Ok(target), Ok(host)) = (env::var("TARGET"), env::var("HOST")) else {
        return;
    };
    if target != host || !target.ends_with("-linux-gnu") || env::var_os("MICA_NO_RELR").is_some() {
        return;
    }
    if glibc_version().is_some_and(|version| version >= (2, 36)) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// The system's glibc version, from `getconf GNU_LIBC_VERSION` ("glibc 2.36").
fn glibc_version() -> Option<(u32, u32)> {
    let out = Command::new("getconf").arg("GNU_LIBC_VERSION").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let version = text.trim().strip_prefix("glibc ")?;
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.trim_end_matches(|c: char| !c.is_ascii_digit()).parse().ok()?;
    Some((major, minor))
}
