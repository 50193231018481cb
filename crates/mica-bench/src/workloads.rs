//! The workloads: the programs of `shared/bench` and the harness's own WAT micro-benchmarks,
//! each with a full and a quick size and the checksum it must produce at each.

use crate::engines::Entry;
use std::path::Path;

/// Where a workload's module comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A prebuilt module of `shared/bench/wasm/`. `quick_patch`, for the fixed-size `.wat`
    /// programs: the quick variant is `shared/bench/programs/<name>.wat` with the loop bound
    /// `from` (which must occur exactly once) replaced by `to`.
    Shared { file: &'static str, quick_patch: Option<(&'static str, &'static str)> },
    /// WAT text committed in this crate (`wat/`).
    Wat(&'static str),
}

/// A size and what the run must produce at it.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// The WASI argument for a `_start` program, or the argument of an `Entry::Run` export.
    pub arg: Option<i64>,
    /// A second WASI argument.
    pub arg2: Option<i64>,
    /// The checksum; `None` for a micro-benchmark whose value the native reference computes.
    pub checksum: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// A program of `shared/bench`.
    Shared,
    /// A micro-benchmark of this crate.
    Micro,
    /// A program of `shared/bench` that measures SIMD: the SIMD builds and their scalar twin
    /// (`blur`), kept out of the scalar geometric mean and compared on their own.
    Simd,
    /// The same sieve over memory 0, memory 1 and a 64-bit memory: the named and 64-bit
    /// access forms against the fastest one, compared on their own (out of the geometric
    /// mean).
    Memories,
    /// What wasmi does not implement (typed function references, exceptions): Mica alone,
    /// each workload against Mica's own baseline for it (`call_ref` against `call_indirect`,
    /// `try_table` against `block`). wasmi is not run.
    Features,
}

#[derive(Debug, Clone, Copy)]
pub struct Workload {
    pub name: &'static str,
    pub group: Group,
    pub what: &'static str,
    pub source: Source,
    /// `None`: a WASI command (`_start`); `Some(export)`: an `(i32) -> i64` export.
    pub export: Option<&'static str>,
    pub full: Size,
    pub quick: Size,
    /// The native reference for micro-benchmarks: the checksum for an argument.
    pub reference: Option<fn(i64) -> String>,
}

impl Workload {
    pub fn size(&self, quick: bool) -> Size {
        if quick { self.quick } else { self.full }
    }

    /// The entry to call and the WASI arguments, at a size.
    pub fn entry(&self, quick: bool) -> (Entry, Vec<String>) {
        let size = self.size(quick);
        match self.export {
            None => (Entry::Start, size.arg.into_iter().chain(size.arg2).map(|a| a.to_string()).collect()),
            Some(export) => {
                let arg = size.arg.expect("micro-benchmarks have an argument") as i32;
                (Entry::Run { export, arg }, Vec::new())
            }
        }
    }

    /// The checksum a run at this size must produce, if known.
    pub fn expected(&self, quick: bool) -> Option<String> {
        let size = self.size(quick);
        match (size.checksum, self.reference, size.arg) {
            (Some(c), _, _) => Some(c.to_string()),
            (None, Some(reference), Some(arg)) => Some(reference(arg)),
            _ => None,
        }
    }

    /// The size argument as the table shows it.
    pub fn size_label(&self, quick: bool) -> String {
        let size = self.size(quick);
        match (size.arg, self.source) {
            (Some(a), _) => size.arg2.map_or(a.to_string(), |b| format!("{a} {b}")),
            (None, Source::Shared { quick_patch: Some((from, to)), .. }) => {
                let bound = if quick { to } else { from };
                bound.trim_start_matches("(i32.const ").trim_end_matches(')').to_string()
            }
            (None, _) => "—".to_string(),
        }
    }

    /// The binary module at a size. `bench_dir` is `shared/bench`.
    pub fn wasm(&self, bench_dir: &Path, quick: bool) -> Result<Vec<u8>, String> {
        match self.source {
            Source::Wat(text) => wat::parse_str(text).map_err(|e| format!("{}: {e}", self.name)),
            Source::Shared { file, quick_patch: Some((from, to)) } if quick => {
                let path = bench_dir.join("programs").join(file.replace(".wasm", ".wat"));
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                if text.matches(from).count() != 1 {
                    return Err(format!(
                        "{}: cannot derive the quick variant: `{from}` does not occur exactly once",
                        path.display()
                    ));
                }
                wat::parse_str(text.replace(from, to))
                    .map_err(|e| format!("{}: {e}", path.display()))
            }
            Source::Shared { file, .. } => {
                let path = bench_dir.join("wasm").join(file);
                std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
            }
        }
    }
}

const fn size(arg: i64, checksum: &'static str) -> Size {
    Size { arg: Some(arg), arg2: None, checksum: Some(checksum) }
}

const fn size2(arg: i64, arg2: i64, checksum: &'static str) -> Size {
    Size { arg: Some(arg), arg2: Some(arg2), checksum: Some(checksum) }
}

const fn fixed(checksum: &'static str) -> Size {
    Size { arg: None, arg2: None, checksum: Some(checksum) }
}

const fn micro(arg: i64) -> Size {
    Size { arg: Some(arg), arg2: None, checksum: None }
}

/// A program of `shared/bench` in the SIMD group.
const fn simd_program(
    name: &'static str,
    what: &'static str,
    file: &'static str,
    full: Size,
    quick: Size,
) -> Workload {
    Workload { group: Group::Simd, ..shared(name, what, file, full, quick) }
}

const fn shared(
    name: &'static str,
    what: &'static str,
    file: &'static str,
    full: Size,
    quick: Size,
) -> Workload {
    Workload {
        name,
        group: Group::Shared,
        what,
        source: Source::Shared { file, quick_patch: None },
        export: None,
        full,
        quick,
        reference: None,
    }
}

const fn shared_wat(
    name: &'static str,
    what: &'static str,
    file: &'static str,
    patch: (&'static str, &'static str),
    full: &'static str,
    quick: &'static str,
) -> Workload {
    Workload {
        name,
        group: Group::Shared,
        what,
        source: Source::Shared { file, quick_patch: Some(patch) },
        export: None,
        full: fixed(full),
        quick: fixed(quick),
        reference: None,
    }
}

const fn own(
    name: &'static str,
    what: &'static str,
    text: &'static str,
    export: &'static str,
    full: i64,
    quick: i64,
    reference: fn(i64) -> String,
) -> Workload {
    Workload {
        name,
        group: Group::Micro,
        what,
        source: Source::Wat(text),
        export: Some(export),
        full: micro(full),
        quick: micro(quick),
        reference: Some(reference),
    }
}

/// A sieve over one kind of memory, in the `Memories` group: 18 repetitions (as
/// `shared/bench`'s `sieve`), 1 in the quick run.
const fn memories(name: &'static str, what: &'static str, text: &'static str) -> Workload {
    Workload { group: Group::Memories, ..own(name, what, text, "run", 18, 1, reference::sieve) }
}

/// A workload of the `Features` group: 50 million iterations (10,000 in the quick run).
const fn feature(name: &'static str, what: &'static str, text: &'static str) -> Workload {
    Workload { group: Group::Features, ..own(name, what, text, "run", 50_000_000, 10_000, reference::mix_calls) }
}

/// `empty` prints nothing: its "checksum" is the empty output.
pub const NO_OUTPUT: &str = "";

/// Every workload, in report order. Full-size checksums are those of `shared/bench/README.md`
/// (a test checks they still agree); quick-size ones were computed with wasmi 2.0.0.
pub const WORKLOADS: &[Workload] = &[
    shared("empty", "start-up: an empty main", "empty.wasm", fixed(NO_OUTPUT), fixed(NO_OUTPUT)),
    shared("fib", "recursive calls", "fib.wasm", size(38, "39088169"), size(27, "196418")),
    shared(
        "sieve",
        "byte loads/stores, loops",
        "sieve.wasm",
        size(18, "5327032"),
        size(1, "295947"),
    ),
    shared(
        "matmul",
        "f64 arithmetic, nested loops",
        "matmul.wasm",
        size(640, "362207.430359 230803787.655060 aa72de15d095fd53"),
        size(96, "7612.191101 755230.261353 2b005378ef6bc8ed"),
    ),
    shared(
        "sha256",
        "i32 bit operations",
        "sha256.wasm",
        size(36, "1ba8f20f287598ded331e4b4dd9d3167d1c95867d4ec666576b41d6a889581fd"),
        size(1, "bb0d396c1d83e12ea6d66bcb3223478b3028c6dc74f12303232c8e0a96b0c6dd"),
    ),
    shared(
        "nbody",
        "f64 arithmetic, sqrt",
        "nbody.wasm",
        size(3000000, "-0.169075164 -0.169019082"),
        size(50000, "-0.169075164 -0.169078071"),
    ),
    shared(
        "qsort",
        "recursion, comparisons, memory",
        "qsort.wasm",
        size(5000000, "2f332d24ad553b65"),
        size(100000, "b3a1a5d51a420134"),
    ),
    shared(
        "memops",
        "byte-loop memset/memcpy/memmove",
        "memops.wasm",
        size(60, "22edcad26ad3d247"),
        size(2, "7b445dbbf78f2f2b"),
    ),
    shared(
        "memops_bulk",
        "memory.copy / memory.fill",
        "memops_bulk.wasm",
        size(60, "22edcad26ad3d247"),
        size(2, "7b445dbbf78f2f2b"),
    ),
    shared(
        "hostcall",
        "WASI clock_time_get calls",
        "hostcall.wasm",
        size(1000000, "1000000"),
        size(100000, "100000"),
    ),
    shared_wat(
        "loop_i32",
        "tight i32 loop",
        "loop_i32.wasm",
        ("(i32.const 300000000)", "(i32.const 3000000)"),
        "531200980",
        "2490992430",
    ),
    shared_wat(
        "calls",
        "small direct calls",
        "calls.wasm",
        ("(i32.const 50000000)", "(i32.const 500000)"),
        "2749210864",
        "3746752005",
    ),
    shared_wat(
        "tailcall",
        "mutual return_call",
        "tailcall.wasm",
        ("(i32.const 10000000)", "(i32.const 100000)"),
        "11103492153096010255",
        "2462296830951038095",
    ),
    shared_wat(
        "tailcall_host",
        "return_call to a WASI import",
        "tailcall_host.wasm",
        ("(i32.const 1000000)", "(i32.const 10000)"),
        "6824922892720882240",
        "12476276899867272976",
    ),
    simd_program(
        "blur",
        "3x3 box blur, bytes and i16 (MVP build)",
        "blur.wasm",
        size2(1024, 40, "44b300b937a36228"),
        size2(128, 4, "0606ff461134a180"),
    ),
    simd_program(
        "blur_simd",
        "the same blur built with -msimd128",
        "blur_simd.wasm",
        size2(1024, 40, "44b300b937a36228"),
        size2(128, 4, "0606ff461134a180"),
    ),
    simd_program(
        "matmul_simd",
        "matmul built with -msimd128 (f64x2)",
        "matmul_simd.wasm",
        size(640, "362207.430359 230803787.655060 aa72de15d095fd53"),
        size(96, "7612.191101 755230.261353 2b005378ef6bc8ed"),
    ),
    own(
        "int_loop",
        "tight i64 loop",
        include_str!("../wat/int_loop.wat"),
        "run",
        100_000_000,
        100_000,
        reference::int_loop,
    ),
    own(
        "fib_rec",
        "fib(30), recursive calls",
        include_str!("../wat/fib_rec.wat"),
        "run",
        30,
        15,
        reference::fib,
    ),
    own(
        "tail_mutual",
        "mutual return_call",
        include_str!("../wat/tail_mutual.wat"),
        "run",
        10_000_000,
        10_000,
        reference::tail_mutual,
    ),
    own(
        "host_call",
        "calls of a cheap host function",
        include_str!("../wat/host_calls.wat"),
        "host_call",
        1_000_000,
        1_000,
        reference::host_calls,
    ),
    own(
        "host_return_call",
        "the same via return_call",
        include_str!("../wat/host_calls.wat"),
        "host_return_call",
        1_000_000,
        1_000,
        reference::host_calls,
    ),
    own(
        "mem_loadstore",
        "i32 load/store passes over 256 KiB",
        include_str!("../wat/mem_loadstore.wat"),
        "run",
        300,
        1,
        reference::mem_loadstore,
    ),
    own(
        "mem_bulk",
        "memory.fill + memory.copy, 1 MiB each",
        include_str!("../wat/mem_bulk.wat"),
        "run",
        3000,
        4,
        reference::mem_bulk,
    ),
    own(
        "mem_bulk_small",
        "memory.fill + memory.copy of 24 and 32 bytes",
        include_str!("../wat/mem_bulk_small.wat"),
        "run",
        10_000_000,
        1_000,
        reference::mem_bulk_small,
    ),
    own(
        "call_indirect",
        "call_indirect through 8 targets",
        include_str!("../wat/call_indirect.wat"),
        "run",
        20_000_000,
        10_000,
        reference::call_indirect,
    ),
    own(
        "br_table_vm",
        "br_table bytecode-interpreter loop",
        include_str!("../wat/br_table_vm.wat"),
        "run",
        4_000_000,
        1_000,
        reference::br_table_vm,
    ),
    memories(
        "sieve_mem0",
        "sieve over a 32-bit memory 0",
        include_str!("../wat/sieve_mem0.wat"),
    ),
    memories(
        "sieve_mem1",
        "the same over memory 1 of two",
        include_str!("../wat/sieve_mem1.wat"),
    ),
    memories(
        "sieve_mem64",
        "the same over a 64-bit memory",
        include_str!("../wat/sieve_mem64.wat"),
    ),
    feature("calls_indirect", "call_indirect that hits", include_str!("../wat/calls_indirect.wat")),
    feature("calls_ref", "the same calls through call_ref", include_str!("../wat/calls_ref.wat")),
    feature("try_none", "calls inside a block", include_str!("../wat/try_none.wat")),
    feature("try_table", "the same inside a try_table", include_str!("../wat/try_table.wat")),
    feature("throw_catch", "a throw caught one frame up", include_str!("../wat/throw_catch.wat")),
];

/// The module of the call-overhead benchmark (`nop` and `add` exports).
pub const CALL_OVERHEAD_WAT: &str = include_str!("../wat/call_overhead.wat");

/// Native Rust versions of the micro-benchmarks, giving the checksum each must produce.
pub mod reference {
    /// `sieve_mem*`: the sum over `reps` repetitions r of the primes up to 4 MiB - r.
    pub fn sieve(reps: i64) -> String {
        const LIMIT: usize = 4 * 1024 * 1024;
        let mut composite = vec![false; LIMIT + 1];
        let mut sum = 0u64;
        for r in 0..reps as usize {
            let limit = LIMIT - r;
            composite[..=limit].fill(false);
            for i in 2..=limit {
                if !composite[i] {
                    sum += 1;
                    let mut j = i * i;
                    while j <= limit {
                        composite[j] = true;
                        j += i;
                    }
                }
            }
        }
        sum.to_string()
    }

    pub fn int_loop(n: i64) -> String {
        let (mut x, mut y) = (1u64, 0u64);
        for _ in 0..n {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            y ^= x >> 29;
            y = y.wrapping_add(y << 3);
        }
        (x ^ y).to_string()
    }

    pub fn fib(n: i64) -> String {
        let (mut a, mut b) = (0u64, 1u64);
        for _ in 0..n {
            (a, b) = (b, a + b);
        }
        a.to_string()
    }

    pub fn tail_mutual(n: i64) -> String {
        let (mut n, mut acc, mut in_a) = (n as u32, 1u64, true);
        loop {
            if n == 0 {
                return if in_a { acc } else { acc.wrapping_add(1) }.to_string();
            }
            acc = if in_a {
                (acc ^ (acc << 1)).wrapping_add(n as u64)
            } else {
                acc.wrapping_mul(7).wrapping_add(3)
            };
            n -= 1;
            in_a = !in_a;
        }
    }

    /// Also what `ticks` must be: one per call.
    pub fn host_calls(n: i64) -> String {
        let mut acc = 0u32;
        for i in 0..n as u32 {
            acc = (acc ^ i).wrapping_mul(3).wrapping_add(1);
        }
        format!("{acc} ticks={n}")
    }

    pub fn mem_loadstore(passes: i64) -> String {
        let mut a: Vec<u32> = (0..65536u32).map(|i| i.wrapping_mul(0x9E3779B1)).collect();
        for p in 0..passes as u32 {
            for i in 0..65535 {
                a[i] = a[i].wrapping_add(a[i + 1]).rotate_left(3) ^ p;
            }
        }
        a.iter().map(|&v| v as u64).fold(0u64, u64::wrapping_add).to_string()
    }

    pub fn mem_bulk(n: i64) -> String {
        const MIB: usize = 1 << 20;
        let mut mem = vec![0u8; 64 * 65536];
        let mut acc = 0u64;
        for k in 0..n as usize {
            let src = (k & 15) << 12;
            mem[src..src + MIB].fill((k & 255) as u8);
            let dst = 0x200000 + ((k & 7) << 10);
            mem.copy_within(src..src + MIB, dst);
            let byte = mem[0x200000 + ((k as u32).wrapping_mul(977) & 0xFFFFF) as usize];
            acc = acc.wrapping_mul(31).wrapping_add(byte as u64);
        }
        acc.to_string()
    }

    pub fn mem_bulk_small(n: i64) -> String {
        let mut mem = vec![0u8; 65536];
        let mut acc = 0u64;
        for i in 0..n as u32 {
            let at = (i & 1023) as usize;
            mem[at..at + 24].fill(i as u8);
            mem.copy_within(at..at + 32, 4096);
            let word: [u8; 8] = mem[4100..4108].try_into().expect("eight bytes");
            acc = acc.wrapping_add(u64::from_le_bytes(word));
        }
        acc.to_string()
    }

    /// The `Features` group: `x = x * 31 + i` (wrapping `u32`) for each `i < n`, summed.
    pub fn mix_calls(n: i64) -> String {
        let (mut x, mut sum) = (0u32, 0u64);
        for i in 0..n as u32 {
            x = x.wrapping_mul(31).wrapping_add(i);
            sum += u64::from(x);
        }
        sum.to_string()
    }

    pub fn call_indirect(n: i64) -> String {
        let mut acc = 1u32;
        for i in 0..n as u32 {
            acc = match (acc ^ i) & 7 {
                0 => acc.wrapping_add(1),
                1 => acc.wrapping_mul(3),
                2 => acc ^ 0x5555,
                3 => acc.rotate_left(7),
                4 => acc.wrapping_sub(17),
                5 => acc.wrapping_mul(acc).wrapping_add(1),
                6 => (acc >> 3).wrapping_add(acc),
                _ => !acc,
            };
        }
        acc.to_string()
    }

    pub fn br_table_vm(n: i64) -> String {
        let (mut acc, mut r) = (7u64, n as u32);
        loop {
            acc = acc.wrapping_mul(33).wrapping_add(r as u64);
            acc ^= acc >> 7;
            acc = acc.wrapping_add(42);
            acc = acc.rotate_left(5);
            r = r.wrapping_sub(1);
            if r == 0 {
                return acc.to_string();
            }
        }
    }
}

/// A large generated module for the start-up benchmark: `funcs` functions of a few dozen
/// instructions each (a loop, a `br_table`, memory accesses, an `if`, a call to the previous
/// function), and an export `run(n)` that calls the last one (`n` levels deep).
pub fn large_module_wat(funcs: u32) -> String {
    use std::fmt::Write;
    let mut w = String::from("(module\n  (memory 1)\n");
    for k in 0..funcs {
        let trips = k % 7 + 1;
        let mul = 0x9E37_79B9_u64.wrapping_mul(k as u64 + 1) | 1;
        let slot = (k % 128) * 8;
        let tail = if k == 0 {
            "(local.get $t)".to_string()
        } else {
            format!("(call $f{} (i32.sub (local.get $a) (i32.const 1)) (local.get $t))", k - 1)
        };
        writeln!(
            w,
            "  (func $f{k} (param $a i32) (param $b i64) (result i64)
    (local $i i32) (local $t i64)
    (local.set $t (i64.add (local.get $b) (i64.extend_i32_u (local.get $a))))
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (local.get $i) (i32.const {trips})))
        (local.set $t (i64.xor (i64.mul (local.get $t) (i64.const {mul}))
                               (i64.load (i32.shl (i32.and (local.get $i) (i32.const 127)) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (block $b2
      (block $b1
        (block $b0
          (br_table $b0 $b1 $b2 (i32.and (local.get $a) (i32.const 3))))
        (local.set $t (i64.add (local.get $t) (i64.const {k}))))
      (local.set $t (i64.rotl (local.get $t) (i64.const 3))))
    (i64.store (i32.const {slot}) (local.get $t))
    (if (result i64) (i32.gt_u (local.get $a) (i32.const 0))
      (then {tail})
      (else (local.get $t))))"
        )
        .unwrap();
    }
    writeln!(w, "  (func (export \"run\") (param $n i32) (result i64)\n    (call $f{} (local.get $n) (i64.const 1))))", funcs - 1)
        .unwrap();
    w
}

/// Extracts the checksum from a WASI program's stdout: the text after `checksum: ` on its
/// line, or the whole output if there is no such line.
pub fn checksum_of(stdout: &[u8]) -> String {
    let text = String::from_utf8_lossy(stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("checksum: "))
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|| text.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_at_small_sizes() {
        assert_eq!(reference::fib(30), "832040");
        assert_eq!(reference::fib(1), "1");
        // acc = tick(0 ^ 0) = 1, then tick(1 ^ 1) = 1
        assert_eq!(reference::host_calls(2), "1 ticks=2");
        assert_eq!(reference::tail_mutual(0), "1");
        // a(1, 1) -> b(0, (1 ^ 2) + 1) -> 4 + 1
        assert_eq!(reference::tail_mutual(1), "5");
    }

    #[test]
    fn every_micro_assembles_and_names_its_export() {
        for w in WORKLOADS.iter().filter(|w| w.group == Group::Micro) {
            let wasm = w.wasm(Path::new("/nonexistent"), true).unwrap();
            assert!(!wasm.is_empty(), "{}", w.name);
        }
        assert!(wat::parse_str(large_module_wat(3)).is_ok());
    }

    #[test]
    fn checksum_lines() {
        assert_eq!(checksum_of(b"hello\nchecksum: 42 x\n"), "42 x");
        assert_eq!(checksum_of(b""), "");
    }
}
