//! The WebAssembly C API's own example programs, compiled unchanged (but for one upstream
//! bug, below) against Mica's `wasm.h` and `libmica.a`, run, and their output compared with
//! `tests/standard/<name>.expected`.
//!
//! The examples are fetched from the standard's repository at a pinned commit
//! ([`COMMIT`]) with `curl`, and each file's SHA-256 must be the one recorded in
//! `tests/standard/SHA256SUMS`, so that a moved or altered upstream fails loudly. The `.wat`
//! modules are converted with the `wat` crate; the programs are compiled with `cc` (with
//! AddressSanitizer and UBSan where available) but without `-Werror`: they are the
//! standard's code, not ours.
//!
//! The test needs the network, so it runs only when asked:
//!
//! - `MICA_STANDARD_EXAMPLES=1`: download, check, build, run, compare (`standard_examples.sh`).
//! - `MICA_STANDARD_EXAMPLES=record`: the same, but write `SHA256SUMS` and the `.expected`
//!   files for those that have none (review them before committing).
//! - `MICA_STANDARD_EXAMPLES_DIR=<dir>`: take the files from `<dir>` instead of the network.
//!
//! One example has a bug at [`COMMIT`] that the standard fixed later: the compiled copy of
//! `multi.c` has that fix ([`UPSTREAM_FIXES`]); the file is hashed as fetched.
//!
//! Lines printed with `%p` (an instance's address in `trap` and `start`) are normalized
//! before the comparison: the address becomes `<ptr>`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The standard's commit the examples are taken from.
const COMMIT: &str = "8f8835f438c7ae2b9f092af04e0d09409bc86edd";

/// The examples: each is `example/<name>.c` and `example/<name>.wat`.
const EXAMPLES: &[&str] = &[
    "hello",
    "callback",
    "global",
    "memory",
    "table",
    "trap",
    "reflect",
    "multi",
    "finalize",
    "hostref",
    "start",
    "serialize",
];

mod common;
use common::{SANITIZERS, build_library, cc, crate_dir, sanitizers_work};

/// SHA-256 of `data`, in hex (FIPS 180-4).
fn sha256(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes(word.try_into().unwrap());
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            (hh, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

#[test]
fn sha256_known_answers() {
    assert_eq!(
        sha256(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        sha256(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_eq!(
        sha256(long),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}

/// The pinned hashes: `SHA256SUMS` lines of `<hex>  <file>`.
fn pinned_hashes(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let (hash, file) = l.split_once("  ")?;
            Some((file.trim().to_string(), hash.trim().to_string()))
        })
        .collect()
}

/// The bytes of an example file, from `MICA_STANDARD_EXAMPLES_DIR` or the network.
fn fetch(file: &str, into: &Path) -> Vec<u8> {
    if let Some(dir) = std::env::var_os("MICA_STANDARD_EXAMPLES_DIR") {
        let path = Path::new(&dir).join(file);
        return std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let url =
        format!("https://raw.githubusercontent.com/WebAssembly/wasm-c-api/{COMMIT}/example/{file}");
    let out = into.join(file);
    let status = Command::new("curl")
        .args(["-fsSL", "--retry", "3", "-o"])
        .arg(&out)
        .arg(&url)
        .status()
        .expect("run curl");
    assert!(status.success(), "downloading {url} failed");
    std::fs::read(&out).unwrap()
}

/// Bugs of the examples at [`COMMIT`] that the standard fixed afterwards, applied to the
/// copy that is compiled (never to the file that is hashed): `(file, text at COMMIT, fixed
/// text)`. The text must occur exactly once, so that a different upstream fails loudly.
///
/// - `multi.c` calls `g`, of type `(i32 i64 i64 i32) -> (i32 i64 i64 i32)`, with four
///   `WASM_I32_VAL`s. Arguments must be of their parameters' kinds (the standard's own
///   implementation asserts it), so Mica's `wasm_func_call` returns a trap and the example
///   stops at "> Error calling function!". The standard fixed the typo in
///   WebAssembly/wasm-c-api#163 (merged January 2021, after [`COMMIT`]).
const UPSTREAM_FIXES: &[(&str, &str, &str)] = &[(
    "multi.c",
    "WASM_I32_VAL(1), WASM_I32_VAL(2), WASM_I32_VAL(3), WASM_I32_VAL(4)",
    "WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)",
)];

/// `bytes` of `file` with its [`UPSTREAM_FIXES`] applied, or why they do not apply.
fn apply_upstream_fixes(file: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut fixed = bytes.to_vec();
    for (_, old, new) in UPSTREAM_FIXES.iter().filter(|(f, _, _)| *f == file) {
        let text = std::str::from_utf8(&fixed).map_err(|e| format!("{file}: not UTF-8: {e}"))?;
        if text.matches(old).count() != 1 {
            return Err(format!("{file}: the fix of `{old}` does not apply"));
        }
        fixed = text.replacen(old, new, 1).into_bytes();
    }
    Ok(fixed)
}

#[test]
fn upstream_fixes_apply_once() {
    let multi = b"wasm_val_t vals[4] = {\n    WASM_I32_VAL(1), WASM_I32_VAL(2), WASM_I32_VAL(3), WASM_I32_VAL(4)\n  };";
    assert_eq!(
        apply_upstream_fixes("multi.c", multi).unwrap(),
        b"wasm_val_t vals[4] = {\n    WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)\n  };"
    );
    assert!(apply_upstream_fixes("multi.c", b"fixed already").is_err());
    assert_eq!(apply_upstream_fixes("hello.c", b"as is").unwrap(), b"as is");
}

/// The standard's `.wat` files are older than the final text format: they spell
/// instructions and types as the drafts did (`get_local`, `f64.reinterpret/i64`, `anyfunc`),
/// and `hostref.wat` uses the reference-types draft's `anyref` (host references: the C API's
/// `WASM_ANYREF`, today's `externref`) and its untyped `(ref.null)`. This renames those
/// tokens to their final names (outside string literals and comments) so that the `wat`
/// crate reads them; the files themselves stay as they are and are hashed as they are.
fn modernize_wat(text: &str) -> String {
    const RENAMED: &[(&str, &str)] = &[
        ("get_local", "local.get"),
        ("set_local", "local.set"),
        ("tee_local", "local.tee"),
        ("get_global", "global.get"),
        ("set_global", "global.set"),
        ("current_memory", "memory.size"),
        ("grow_memory", "memory.grow"),
        ("anyfunc", "funcref"),
        ("anyref", "externref"),
        ("f64.reinterpret/i64", "f64.reinterpret_i64"),
        ("i64.reinterpret/f64", "i64.reinterpret_f64"),
        ("f32.reinterpret/i32", "f32.reinterpret_i32"),
        ("i32.reinterpret/f32", "i32.reinterpret_f32"),
    ];
    let is_token_char =
        |c: char| !c.is_whitespace() && c != '(' && c != ')' && c != ';' && c != '"';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            // A string literal, kept as it is (a `\"` inside does not end it).
            let mut end = 1;
            let bytes = rest.as_bytes();
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with(";;") {
            let end = rest.find('\n').unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if is_token_char(c) {
            let end = rest.find(|c: char| !is_token_char(c)).unwrap_or(rest.len());
            let token = &rest[..end];
            match RENAMED.iter().find(|(old, _)| *old == token) {
                Some((_, new)) => out.push_str(new),
                None => out.push_str(token),
            }
            // The draft's `(ref.null)` had no type; in `hostref.wat` it is a host reference.
            if token == "ref.null" && rest[end..].starts_with(')') {
                out.push_str(" extern");
            }
            rest = &rest[end..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

#[test]
fn modernize_wat_renames_tokens_only() {
    assert_eq!(
        modernize_wat(
            "(func (param anyref) (get_local 0) (ref.null)) ;; get_local\n(data \"anyfunc\")"
        ),
        "(func (param externref) (local.get 0) (ref.null extern)) ;; get_local\n(data \"anyfunc\")"
    );
    assert_eq!(
        modernize_wat("(f64.reinterpret/i64 (get_global $x)) (table 2 anyfunc)"),
        "(f64.reinterpret_i64 (global.get $x)) (table 2 funcref)"
    );
}

/// `%p` output differs from run to run: `> 0x55d0c1a2b3c0 @ 0x1a = ...` (a frame's instance)
/// becomes `> <ptr> @ 0x1a = ...`.
fn normalize(output: &str) -> String {
    output
        .lines()
        .map(|line| {
            match line
                .strip_prefix("> ")
                .and_then(|rest| rest.split_once(" @ "))
            {
                Some((_, tail)) => format!("> <ptr> @ {tail}\n"),
                None => format!("{line}\n"),
            }
        })
        .collect()
}

#[test]
fn standard_examples() {
    let mode = std::env::var("MICA_STANDARD_EXAMPLES").unwrap_or_default();
    if mode != "1" && mode != "record" {
        eprintln!(
            "note: set MICA_STANDARD_EXAMPLES=1 to fetch and run the standard's examples (needs the network)"
        );
        return;
    }
    let record = mode == "record";
    let lib_dir = build_library();
    let work = std::env::temp_dir().join(format!("mica-standard-examples-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let standard = crate_dir().join("tests/standard");
    let sums_path = standard.join("SHA256SUMS");
    let pinned = pinned_hashes(&sums_path);
    let mut sums = String::new();
    let mut failures = Vec::new();

    // Fetch and check every file first: a moved upstream fails before anything runs.
    for name in EXAMPLES {
        for ext in ["c", "wat"] {
            let file = format!("{name}.{ext}");
            let bytes = fetch(&file, &work);
            let hash = sha256(&bytes);
            sums.push_str(&format!("{hash}  {file}\n"));
            match pinned.get(&file) {
                Some(want) if *want == hash => {}
                Some(want) if !record => {
                    failures.push(format!("{file}: SHA-256 {hash}, pinned {want}"))
                }
                None if !record => failures.push(format!(
                    "{file}: no pinned SHA-256 (run once with MICA_STANDARD_EXAMPLES=record)"
                )),
                _ => {}
            }
            match apply_upstream_fixes(&file, &bytes) {
                Ok(compiled) => std::fs::write(work.join(&file), compiled).unwrap(),
                Err(e) => failures.push(e),
            }
            if ext == "wat" {
                let text = match std::str::from_utf8(&bytes) {
                    Ok(text) => modernize_wat(text),
                    Err(e) => {
                        failures.push(format!("{file}: not UTF-8: {e}"));
                        continue;
                    }
                };
                match wat::parse_str(&text) {
                    Ok(binary) => {
                        std::fs::write(work.join(format!("{name}.wasm")), binary).unwrap()
                    }
                    Err(e) => failures.push(format!("{file}: {e}")),
                }
            }
        }
    }
    if record {
        std::fs::write(&sums_path, &sums).unwrap();
    }
    assert!(
        failures.is_empty(),
        "the standard's files are not the pinned ones:\n{}",
        failures.join("\n")
    );

    let cc = cc();
    let sanitize = sanitizers_work(&work);
    for name in EXAMPLES {
        let exe = work.join(name);
        let mut build = Command::new(&cc);
        build
            .args(["-std=c11", "-g", "-w"])
            .arg("-I")
            .arg(crate_dir().join("include"));
        if sanitize {
            build.args(SANITIZERS);
        }
        build
            .arg(work.join(format!("{name}.c")))
            .arg(lib_dir.join("libmica.a"));
        build.args(["-lpthread", "-ldl", "-lm", "-o"]).arg(&exe);
        let out = build.output().expect("run the C compiler");
        if !out.status.success() {
            failures.push(format!(
                "{name}: does not compile:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let run = Command::new(&exe)
            .current_dir(&work)
            .output()
            .expect("run the example");
        let stdout = normalize(&String::from_utf8_lossy(&run.stdout));
        if !run.status.success() {
            failures.push(format!(
                "{name}: exited with {}\n--- stdout\n{stdout}--- stderr\n{}",
                run.status,
                String::from_utf8_lossy(&run.stderr)
            ));
            continue;
        }
        let expected = standard.join(format!("{name}.expected"));
        match std::fs::read_to_string(&expected) {
            Ok(want) if want == stdout => eprintln!("ok: {name}"),
            Ok(want) => failures.push(format!(
                "{name}: output differs\n--- got\n{stdout}--- want\n{want}"
            )),
            Err(_) if record => {
                std::fs::write(&expected, &stdout).unwrap();
                eprintln!("recorded: {name} (review {})", expected.display());
            }
            Err(_) => failures.push(format!("{name}: no {}", expected.display())),
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        failures.is_empty(),
        "{} standard examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
