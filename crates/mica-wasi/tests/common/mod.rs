//! Helpers shared by the WASI tests: running a module with a context, and temporary
//! directories.
#![allow(dead_code)]

use mica::{Engine, Linker, Module, Store};
use mica_wasi::{I32Exit, MemoryInputPipe, MemoryOutputPipe, WasiCtx, WasiCtxBuilder};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// What a guest run produced.
#[derive(Debug)]
pub struct Outcome {
    /// The exit status, or `None` if the run ended in a trap or another error.
    pub status: Option<i32>,
    pub error: Option<mica::Error>,
    pub stdout: String,
    pub stderr: String,
}

/// The path of a committed fixture in `tests/programs`.
pub fn program(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs").join(name)
}

/// Runs `_start` of `module` (a path or WAT text) with `stdin` and a context `setup` adjusts.
pub fn run(module: &[u8], stdin: &str, setup: impl FnOnce(&mut WasiCtxBuilder)) -> Outcome {
    let engine = Engine::default();
    let module = Module::new(&engine, module).expect("module loads");
    let mut linker = Linker::<WasiCtx>::new(&engine);
    mica_wasi::add_to_linker(&mut linker, |ctx| ctx).unwrap();
    let (stdout, stderr) = (MemoryOutputPipe::new(), MemoryOutputPipe::new());
    let mut builder = WasiCtxBuilder::new();
    builder
        .stdin(MemoryInputPipe::new(stdin.as_bytes().to_vec()))
        .stdout(stdout.clone())
        .stderr(stderr.clone());
    setup(&mut builder);
    let mut store = Store::new(&engine, builder.build());
    let result = linker.instantiate(&mut store, &module).and_then(|instance| {
        let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
        start.call(&mut store, ())
    });
    let (status, error) = match result {
        Ok(()) => (Some(0), None),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => (Some(exit.0), None),
            None => (None, Some(e)),
        },
    };
    let text = |p: &MemoryOutputPipe| String::from_utf8(p.contents()).expect("UTF-8 output");
    Outcome { status, error, stdout: text(&stdout), stderr: text(&stderr) }
}

/// Runs a committed fixture.
pub fn run_program(name: &str, stdin: &str, setup: impl FnOnce(&mut WasiCtxBuilder)) -> Outcome {
    let bytes = std::fs::read(program(name)).expect("fixture exists");
    run(&bytes, stdin, setup)
}

/// A fresh directory under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("mica-wasi-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
pub mod shim;
