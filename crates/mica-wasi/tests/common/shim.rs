//! A module that imports every `wasi_snapshot_preview1` function and exports a wrapper for
//! each under the same name, so tests can call any function with any raw arguments (bad
//! descriptors, bad pointers, undefined flag bits) and read its errno.

use mica::{Engine, Instance, Linker, Module, Store, Val};
use mica_wasi::{MemoryOutputPipe, WasiCtx, WasiCtxBuilder};

/// Every preview1 function and its parameters: `i` for i32, `I` for i64. All return an i32
/// errno except `proc_exit`.
pub const SIGNATURES: &[(&str, &str)] = &[
    ("args_get", "ii"),
    ("args_sizes_get", "ii"),
    ("environ_get", "ii"),
    ("environ_sizes_get", "ii"),
    ("clock_res_get", "ii"),
    ("clock_time_get", "iIi"),
    ("fd_advise", "iIIi"),
    ("fd_allocate", "iII"),
    ("fd_close", "i"),
    ("fd_datasync", "i"),
    ("fd_fdstat_get", "ii"),
    ("fd_fdstat_set_flags", "ii"),
    ("fd_fdstat_set_rights", "iII"),
    ("fd_filestat_get", "ii"),
    ("fd_filestat_set_size", "iI"),
    ("fd_filestat_set_times", "iIIi"),
    ("fd_pread", "iiiIi"),
    ("fd_prestat_get", "ii"),
    ("fd_prestat_dir_name", "iii"),
    ("fd_pwrite", "iiiIi"),
    ("fd_read", "iiii"),
    ("fd_readdir", "iiiIi"),
    ("fd_renumber", "ii"),
    ("fd_seek", "iIii"),
    ("fd_sync", "i"),
    ("fd_tell", "ii"),
    ("fd_write", "iiii"),
    ("path_create_directory", "iii"),
    ("path_filestat_get", "iiiii"),
    ("path_filestat_set_times", "iiiiIIi"),
    ("path_link", "iiiiiii"),
    ("path_open", "iiiiiIIii"),
    ("path_readlink", "iiiiii"),
    ("path_remove_directory", "iii"),
    ("path_rename", "iiiiii"),
    ("path_symlink", "iiiii"),
    ("path_unlink_file", "iii"),
    ("poll_oneoff", "iiii"),
    ("proc_exit", "i"),
    ("proc_raise", "i"),
    ("random_get", "ii"),
    ("sched_yield", ""),
    ("sock_accept", "iii"),
    ("sock_recv", "iiiiii"),
    ("sock_send", "iiiii"),
    ("sock_shutdown", "ii"),
];

fn params(sig: &str) -> String {
    sig.chars().map(|c| if c == 'I' { " i64" } else { " i32" }).collect()
}

/// The shim module's text; `memory` says whether it exports a memory.
pub fn shim_wat(memory: bool) -> String {
    let mut wat = String::from("(module\n");
    for (name, sig) in SIGNATURES {
        let result = if *name == "proc_exit" { "" } else { " (result i32)" };
        wat += &format!(
            "  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param{}){result}))\n",
            params(sig)
        );
    }
    if memory {
        wat += "  (memory (export \"memory\") 1)\n";
    }
    for (name, sig) in SIGNATURES {
        let result = if *name == "proc_exit" { "" } else { " (result i32)" };
        let gets: String = (0..sig.len()).map(|i| format!(" (local.get {i})")).collect();
        wat += &format!(
            "  (func (export \"{name}\") (param{}){result} (call ${name}{gets}))\n",
            params(sig)
        );
    }
    wat + ")\n"
}

/// An instance of the shim with its store; stdout and stderr go to pipes.
pub struct Shim {
    pub store: Store<WasiCtx>,
    pub instance: Instance,
    pub stdout: MemoryOutputPipe,
}

impl Shim {
    pub fn new(setup: impl FnOnce(&mut WasiCtxBuilder)) -> Shim {
        Shim::with_memory(true, setup)
    }

    pub fn with_memory(memory: bool, setup: impl FnOnce(&mut WasiCtxBuilder)) -> Shim {
        let engine = Engine::default();
        let module = Module::new(&engine, shim_wat(memory)).unwrap();
        let mut linker = Linker::<WasiCtx>::new(&engine);
        mica_wasi::add_to_linker(&mut linker, |ctx| ctx).unwrap();
        let stdout = MemoryOutputPipe::new();
        let mut builder = WasiCtxBuilder::new();
        builder.stdout(stdout.clone());
        setup(&mut builder);
        let mut store = Store::new(&engine, builder.build());
        let instance = linker.instantiate(&mut store, &module).unwrap();
        Shim { store, instance, stdout }
    }

    /// Calls `name` with `args` (converted to its parameter types); returns the errno.
    pub fn call(&mut self, name: &str, args: &[i64]) -> i32 {
        self.try_call(name, args).unwrap_or_else(|e| panic!("{name} failed: {e}"))
    }

    pub fn try_call(&mut self, name: &str, args: &[i64]) -> mica::Result<i32> {
        let (_, sig) = SIGNATURES.iter().find(|(n, _)| *n == name).expect("known function");
        assert_eq!(sig.len(), args.len(), "{name} takes {} arguments", sig.len());
        let params: Vec<Val> = sig
            .chars()
            .zip(args)
            .map(|(c, &a)| if c == 'I' { Val::I64(a) } else { Val::I32(a as i32) })
            .collect();
        let func = self.instance.get_func(&self.store, name).unwrap();
        let mut results = vec![Val::I32(0); usize::from(name != "proc_exit")];
        func.call(&mut self.store, &params, &mut results)?;
        Ok(results.first().map_or(0, |v| match v {
            Val::I32(x) => *x,
            _ => unreachable!(),
        }))
    }

    pub fn write(&mut self, at: u32, bytes: &[u8]) {
        let memory = self.instance.get_memory(&self.store, "memory").unwrap();
        memory.write(&mut self.store, at as usize, bytes).unwrap();
    }

    pub fn read(&self, at: u32, len: usize) -> Vec<u8> {
        let memory = self.instance.get_memory(&self.store, "memory").unwrap();
        let mut buf = vec![0; len];
        memory.read(&self.store, at as usize, &mut buf).unwrap();
        buf
    }

    pub fn read_u32(&self, at: u32) -> u32 {
        u32::from_le_bytes(self.read(at, 4).try_into().unwrap())
    }

    pub fn read_u64(&self, at: u32) -> u64 {
        u64::from_le_bytes(self.read(at, 8).try_into().unwrap())
    }

    /// Writes an iovec list `[(buf, len)]` at `at`.
    pub fn write_iovecs(&mut self, at: u32, iovecs: &[(u32, u32)]) {
        let bytes: Vec<u8> = iovecs
            .iter()
            .flat_map(|(b, l)| b.to_le_bytes().into_iter().chain(l.to_le_bytes()))
            .collect();
        self.write(at, &bytes);
    }

    /// Writes `path` at `at` and returns `(at, len)` as call arguments.
    pub fn path(&mut self, at: u32, path: &str) -> (i64, i64) {
        self.write(at, path.as_bytes());
        (at as i64, path.len() as i64)
    }

    /// Opens `path` under the directory `dir` with `oflags` and all rights; the new fd or
    /// the errno as `Err`.
    pub fn open(&mut self, dir: i64, path: &str, oflags: i64, follow: bool) -> Result<i64, i32> {
        let (p, len) = self.path(4096, path);
        let all = (1i64 << 30) - 1;
        match self.call("path_open", &[dir, i64::from(follow), p, len, oflags, all, all, 0, 8000]) {
            0 => Ok(self.read_u32(8000) as i64),
            errno => Err(errno),
        }
    }
}
