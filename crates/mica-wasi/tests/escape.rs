//! The sandbox: a guest reaches only its preopened directories. Each escape is tried twice:
//! through wasi-libc (the `escape.c` program) and with raw preview1 calls that no libc
//! checks first. Afterwards nothing outside the preopened directory has changed.

mod common;

use common::shim::Shim;
use common::{TempDir, run_program};
use mica_wasi::types::Errno;
use std::path::Path;

/// `root/box` is preopened; `root/outside.txt` and `root/outdir/outside.txt` are outside,
/// and `box/host_link` and `box/host_dir_link` are host symlinks pointing at them.
struct Tree {
    root: TempDir,
}

impl Tree {
    fn new(tag: &str) -> Tree {
        let root = TempDir::new(tag);
        let r = root.path();
        std::fs::create_dir(r.join("box")).unwrap();
        std::fs::create_dir(r.join("outdir")).unwrap();
        std::fs::write(r.join("outside.txt"), "secret").unwrap();
        std::fs::write(r.join("outdir/outside.txt"), "secret too").unwrap();
        std::os::unix::fs::symlink(r.join("outside.txt"), r.join("box/host_link")).unwrap();
        std::os::unix::fs::symlink(r.join("outdir"), r.join("box/host_dir_link")).unwrap();
        Tree { root }
    }

    fn sandbox(&self) -> std::path::PathBuf {
        self.root.path().join("box")
    }

    /// Nothing outside `box` was created, changed or removed.
    fn assert_outside_untouched(&self) {
        let r = self.root.path();
        let mut names: Vec<String> = std::fs::read_dir(r)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["box", "outdir", "outside.txt"]);
        assert_eq!(std::fs::read_to_string(r.join("outside.txt")).unwrap(), "secret");
        assert_eq!(std::fs::read_to_string(r.join("outdir/outside.txt")).unwrap(), "secret too");
        assert_eq!(std::fs::read_dir(r.join("outdir")).unwrap().count(), 1);
    }
}

#[test]
fn escapes_through_wasi_libc_are_blocked() {
    let tree = Tree::new("escape-libc");
    let out = run_program("escape.wasm", "", |b| {
        b.args(["escape", "/sandbox"]).preopened_dir(tree.sandbox(), "/sandbox").unwrap();
    });
    assert_eq!(out.status, Some(0), "{:?}", out.error);
    assert!(!out.stdout.contains("ESCAPED"), "{}", out.stdout);
    let blocked = out.stdout.lines().filter(|l| l.starts_with("blocked: ")).count();
    assert_eq!(blocked, 18, "{}", out.stdout);
    assert!(out.stdout.contains("guest symlink /etc/passwd: refused"));
    assert!(out.stdout.ends_with("readlink guest_link: ../outside.txt\n"));
    tree.assert_outside_untouched();
    assert!(!tree.sandbox().join("stolen.txt").exists());
    assert!(!tree.sandbox().join("hard.txt").exists());
}

/// A shim with `box` preopened as fd 3.
fn shim(tree: &Tree) -> Shim {
    Shim::new(|b| {
        b.preopened_dir(tree.sandbox(), "/box").unwrap();
    })
}

const ESCAPING_PATHS: &[&str] = &[
    "..",
    "../outside.txt",
    "../box/../outside.txt",
    "sub/../../outside.txt",
    "/",
    "/etc/passwd",
    "host_link",
    "host_dir_link",
    "host_dir_link/outside.txt",
    "guest_up",
    "guest_up/outside.txt",
    "guest_chain/outside.txt",
];

/// Guest-made symlinks: one straight up, one that leaves through another symlink.
fn make_guest_links(shim: &mut Shim) {
    let (t, tl) = shim.path(100, "..");
    let (l, ll) = shim.path(200, "guest_up");
    assert_eq!(shim.call("path_symlink", &[t, tl, 3, l, ll]), 0);
    let (t, tl) = shim.path(100, "sub/../host_dir_link");
    let (l, ll) = shim.path(200, "guest_chain");
    assert_eq!(shim.call("path_symlink", &[t, tl, 3, l, ll]), 0);
    let (t, tl) = shim.path(100, "/etc");
    let (l, ll) = shim.path(200, "guest_abs");
    assert_ne!(shim.call("path_symlink", &[t, tl, 3, l, ll]), 0, "absolute targets are refused");
}

#[test]
fn raw_path_open_cannot_leave_the_sandbox() {
    let tree = Tree::new("escape-open");
    std::fs::create_dir(tree.sandbox().join("sub")).unwrap();
    let mut shim = shim(&tree);
    make_guest_links(&mut shim);
    for path in ESCAPING_PATHS {
        for follow in [true, false] {
            for oflags in [0, 2 /* directory */, 1 /* create */, 8 /* truncate */] {
                let result = shim.open(3, path, oflags, follow);
                assert!(result.is_err(), "opened {path:?} (follow {follow}, oflags {oflags})");
            }
        }
    }
    tree.assert_outside_untouched();
}

#[test]
fn raw_path_calls_cannot_leave_the_sandbox() {
    let tree = Tree::new("escape-path");
    std::fs::create_dir(tree.sandbox().join("sub")).unwrap();
    std::fs::write(tree.sandbox().join("inside.txt"), "in").unwrap();
    let mut shim = shim(&tree);
    make_guest_links(&mut shim);
    let (inside, inside_len) = shim.path(300, "inside.txt");
    for path in ESCAPING_PATHS {
        let (p, len) = shim.path(600, path);
        let calls: Vec<(&str, Vec<i64>)> = vec![
            ("path_create_directory", vec![3, p, len]),
            ("path_remove_directory", vec![3, p, len]),
            ("path_unlink_file", vec![3, p, len]),
            ("path_filestat_get", vec![3, 1, p, len, 8000]),
            ("path_filestat_set_times", vec![3, 1, p, len, 0, 0, 2 | 8]),
            ("path_rename", vec![3, p, len, 3, inside, inside_len]),
            ("path_rename", vec![3, inside, inside_len, 3, p, len]),
            ("path_link", vec![3, 0, p, len, 3, 700, 4]),
            ("path_link", vec![3, 0, inside, inside_len, 3, p, len]),
        ];
        for (name, args) in calls {
            // Removing the guest's own links (or renaming onto them) happens inside the box.
            let own_link = path.starts_with("guest_") && !path.contains('/');
            let host_link = path.starts_with("host_") && !path.contains('/');
            if (own_link || host_link)
                && matches!(name, "path_unlink_file" | "path_rename" | "path_link")
            {
                continue;
            }
            let errno = shim.call(name, &args);
            assert_ne!(errno, 0, "{name} on {path:?} succeeded");
        }
    }
    // Following is refused, but the links themselves are ordinary entries of the box.
    let (p, len) = shim.path(600, "host_link");
    assert_eq!(shim.call("path_filestat_get", &[3, 1, p, len, 8000]), Errno::Perm as i32);
    assert_eq!(shim.call("path_filestat_get", &[3, 0, p, len, 8000]), 0);
    assert_eq!(shim.read(8000 + 16, 1)[0], 7, "a symlink");
    tree.assert_outside_untouched();
    assert_eq!(std::fs::read_to_string(tree.sandbox().join("inside.txt")).unwrap(), "in");
}

#[test]
fn a_preopen_of_a_subdirectory_does_not_reach_its_parent() {
    let tree = Tree::new("escape-sub");
    std::fs::create_dir(tree.sandbox().join("inner")).unwrap();
    let mut shim = Shim::new(|b| {
        b.preopened_dir(tree.sandbox().join("inner"), "/inner").unwrap();
    });
    for path in ["..", "../host_link", "../../outside.txt"] {
        assert!(shim.open(3, path, 0, true).is_err(), "{path}");
    }
    // A directory opened through the preopen is confined the same way.
    std::fs::create_dir(tree.sandbox().join("inner/deeper")).unwrap();
    let deeper = shim.open(3, "deeper", 2, true).unwrap();
    assert!(shim.open(deeper, "..", 0, true).is_err());
    assert!(shim.open(deeper, "../..", 0, true).is_err());
    assert!(Path::new(&tree.sandbox().join("inner/deeper")).is_dir());
    tree.assert_outside_untouched();
}
