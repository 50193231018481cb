//! The program model: host functions, modules (as WAT text plus what the runners need to
//! know about them) and the embedder's calls; and the generator that makes one from entropy.
//!
//! Programs are built to be deterministic in any correct engine:
//! - no scalar float arithmetic (scalar floats only move, or are reinterpreted from integers);
//!   vector float arithmetic (`f32x4.add`, `f64x2.sqrt`, ...) has every NaN lane of its
//!   result replaced by the canonical NaN on the spot (see `body.rs`, `canonical`), so NaN
//!   payloads, which engines may legitimately choose differently, never reach anything
//!   observable;
//! - SIMD (`v128` values, parameters, results, globals, and the fixed-width SIMD instructions)
//!   throughout; relaxed SIMD only in programs marked [`Program::relaxed_simd`], which are
//!   not compared with wasmi (relaxed results may differ between engines by design) but
//!   between Mica's translation modes;
//! - no loops, and every wasm function spends one unit of the imported `fuel` global on
//!   entry and returns zeros at once when it is spent, so every run ends, well before any
//!   engine's stack limit (fuel per call stays far below the depth limits of both engines);
//! - host functions are pure functions of their arguments and of the number of host calls
//!   made so far ([`crate::host`]), and re-enter wasm at most [`crate::host::MAX_DEPTH`] deep.

use crate::body::BodyGen;
use crate::entropy::Entropy;
use std::fmt::Write;

/// A value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    I32,
    I64,
    F32,
    F64,
    V128,
}

impl Ty {
    pub const ALL: [Ty; 5] = [Ty::I32, Ty::I64, Ty::F32, Ty::F64, Ty::V128];
    /// The number types, without `v128`.
    pub const SCALARS: [Ty; 4] = [Ty::I32, Ty::I64, Ty::F32, Ty::F64];

    pub fn name(self) -> &'static str {
        match self {
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::F32 => "f32",
            Ty::F64 => "f64",
            Ty::V128 => "v128",
        }
    }

    /// Keeps only the bits a value of this type has.
    pub fn truncate(self, bits: u128) -> u128 {
        match self {
            Ty::I32 | Ty::F32 => bits & 0xffff_ffff,
            Ty::I64 | Ty::F64 => bits & u128::from(u64::MAX),
            Ty::V128 => bits,
        }
    }

    /// The value of this type with `bits` (truncated to the type's width).
    pub fn value(self, bits: u128) -> Value {
        Value {
            ty: self,
            bits: self.truncate(bits),
        }
    }
}

/// A value as both engines' runners see it: its type and its bits (a `v128`'s lane 0 in the
/// low bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Value {
    pub ty: Ty,
    pub bits: u128,
}

impl std::fmt::Display for Value {
    /// A number's bits in hex (`0x2a`); a vector's as `v128:` and 32 hex digits, which is how
    /// [`crate::trace`] finds the vectors in a trace line to compare them lane-wise.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.ty {
            Ty::V128 => write!(f, "v128:{:#034x}", self.bits),
            _ => write!(f, "{:#x}", self.bits),
        }
    }
}

/// `[v, ...]` with each value as [`Value`] shows it.
pub fn values_text(values: &[Value]) -> String {
    let texts: Vec<String> = values.iter().map(Value::to_string).collect();
    format!("[{}]", texts.join(", "))
}

/// A function signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sig {
    pub params: Vec<Ty>,
    pub results: Vec<Ty>,
}

/// Signature-pool indices that every program has, for which host functions may be typed
/// Rust closures (`func_wrap`) rather than untyped ones (`func_new`).
pub const SIG_UNIT: usize = 0; // () -> ()
pub const SIG_I32_TO_I32: usize = 1; // (i32) -> i32
pub const SIG_I32X2_TO_I32: usize = 2; // (i32 i32) -> i32

/// What a host function does besides logging its call.
#[derive(Clone, Debug)]
pub enum HostKind {
    /// Returns results mixed from its arguments and the host-call count.
    Pure,
    /// As `Pure`, but returns an error when the mix is a multiple of `modulus`.
    TrapWhen { modulus: u64 },
    /// As `Pure`, and first writes 8 bytes of the mix to the caller's memory at `addr`.
    WriteMemory { addr: u32 },
    /// Calls export `f{export}` of the calling instance (if it has one) with arguments
    /// mixed from its own; mixes the results in. If that call fails, the error is either
    /// swallowed (`catch`) or returned.
    Callback { export: usize, catch: bool },
}

#[derive(Clone, Debug)]
pub struct HostSpec {
    pub sig: usize,
    /// Defined with `func_wrap` (a typed closure) rather than `func_new`.
    pub typed: bool,
    pub kind: HostKind,
    pub salt: u64,
}

/// One module of the program.
#[derive(Clone, Debug)]
pub struct ModuleSpec {
    pub wat: String,
    /// The signature (pool index) of each function, in index space order (imports first).
    pub funcs: Vec<usize>,
    /// The types of the module's own globals, exported as `g0`, `g1`, ...
    pub globals: Vec<Ty>,
    /// The size of the module's own table (exported as `table`).
    pub table_size: usize,
    /// The element segment's entries (function indices) for the own table.
    pub elems: Vec<Option<usize>>,
}

/// A call the embedder makes: export `f{func}` of module `module`.
#[derive(Clone, Debug)]
pub struct EntryCall {
    pub module: usize,
    pub func: usize,
    pub args: Vec<Value>,
    /// The `fuel` global is set to this before the call.
    pub fuel: u32,
}

#[derive(Clone, Debug)]
pub struct Program {
    /// Whether the modules may use relaxed SIMD: then the program runs on Mica only, and its
    /// translation modes are compared with each other (see [`crate::check_program`]).
    pub relaxed_simd: bool,
    pub sigs: Vec<Sig>,
    pub hosts: Vec<HostSpec>,
    pub modules: Vec<ModuleSpec>,
    pub calls: Vec<EntryCall>,
}

/// The fuel each instantiation (and so each start function) gets.
pub const START_FUEL: u32 = 64;
/// Memory is one page, always.
pub const MEMORY_BYTES: usize = 65536;

impl Program {
    pub fn generate(e: &mut Entropy) -> Program {
        let relaxed_simd = e.chance(1, 6);
        let sigs = gen_sigs(e);
        let hosts = (0..e.range(1, 5)).map(|_| gen_host(e, &sigs)).collect();
        let mut program = Program {
            relaxed_simd,
            sigs,
            hosts,
            modules: Vec::new(),
            calls: Vec::new(),
        };
        for k in 0..e.range(1, 3) {
            let module = ModuleGen::new(e, &program, k).generate(e);
            program.modules.push(module);
        }
        for _ in 0..e.range(1, 8) {
            let module = e.below(program.modules.len());
            let func = e.below(program.modules[module].funcs.len());
            let sig = &program.sigs[program.modules[module].funcs[func]];
            let args = sig
                .params
                .iter()
                .map(|t| t.value(gen_value(e, *t)))
                .collect();
            let fuel = if e.chance(1, 16) {
                e.range(0, 4)
            } else {
                e.range(8, 400)
            } as u32;
            program.calls.push(EntryCall {
                module,
                func,
                args,
                fuel,
            });
        }
        program
    }

    /// The whole program as one text: the modules, then the hosts and calls as comments.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        if self.relaxed_simd {
            out.push_str(";; relaxed SIMD: Mica's translation modes compared, not wasmi\n");
        }
        for (k, module) in self.modules.iter().enumerate() {
            let _ = writeln!(out, ";; ---- module m{k}\n{}", module.wat);
        }
        for (h, host) in self.hosts.iter().enumerate() {
            let _ = writeln!(out, ";; host h{h}: {host:?} : {:?}", self.sigs[host.sig]);
        }
        for call in &self.calls {
            let args: Vec<String> = call.args.iter().map(Value::to_string).collect();
            let _ = writeln!(
                out,
                ";; call m{}.f{}({}) fuel {}",
                call.module,
                call.func,
                args.join(", "),
                call.fuel
            );
        }
        out
    }
}

pub(crate) fn gen_ty(e: &mut Entropy) -> Ty {
    // Integers are more interesting than floats, which only move; vectors compute.
    *e.pick(&[
        Ty::I32,
        Ty::I32,
        Ty::I32,
        Ty::I64,
        Ty::I64,
        Ty::F32,
        Ty::F64,
        Ty::V128,
        Ty::V128,
    ])
}

fn gen_sigs(e: &mut Entropy) -> Vec<Sig> {
    let mut sigs = vec![
        Sig {
            params: vec![],
            results: vec![],
        },
        Sig {
            params: vec![Ty::I32],
            results: vec![Ty::I32],
        },
        Sig {
            params: vec![Ty::I32, Ty::I32],
            results: vec![Ty::I32],
        },
    ];
    for _ in 0..e.range(0, 4) {
        let params = (0..e.range(0, 4)).map(|_| gen_ty(e)).collect();
        let results = (0..e.range(0, 3)).map(|_| gen_ty(e)).collect();
        sigs.push(Sig { params, results });
    }
    sigs
}

fn gen_host(e: &mut Entropy, sigs: &[Sig]) -> HostSpec {
    let sig = e.below(sigs.len());
    let typed = sig <= SIG_I32X2_TO_I32 && e.chance(1, 2);
    let kind = match e.below(8) {
        0..=2 => HostKind::Pure,
        3 => HostKind::TrapWhen {
            modulus: e.range(1, 4) as u64,
        },
        4 => HostKind::WriteMemory {
            addr: (e.u32() % (MEMORY_BYTES as u32 - 8)) & !7,
        },
        _ => HostKind::Callback {
            export: e.below(10),
            catch: e.chance(1, 2),
        },
    };
    HostSpec {
        sig,
        typed,
        kind,
        salt: e.u64(),
    }
}

/// Random bits, biased towards small and boundary values.
pub fn gen_bits(e: &mut Entropy) -> u64 {
    match e.below(8) {
        0 => 0,
        1 => 1,
        2 => u64::MAX,
        3 => e.below(16) as u64,
        4 => 0x8000_0000,
        5 => 0x7fc0_0000, // an f32 NaN
        _ => e.u64(),
    }
}

/// Lane patterns that make float lanes interesting: signed zeros, one and a half, the
/// smallest subnormal, the largest finite value, infinities, the canonical NaN and a
/// signalling NaN with a payload.
const F32_LANES: [u32; 9] = [
    0,
    0x8000_0000,
    0x3fc0_0000,
    1,
    0x7f7f_ffff,
    0x7f80_0000,
    0xff80_0000,
    0x7fc0_0000,
    0x7fa0_0001,
];
const F64_LANES: [u64; 8] = [
    0,
    0x8000_0000_0000_0000,
    0x3ff8_0000_0000_0000,
    1,
    0x7ff0_0000_0000_0000,
    0xfff0_0000_0000_0000,
    0x7ff8_0000_0000_0000,
    0x7ff4_0000_0000_0001,
];

/// Random bits for a value of type `ty`: for a number, [`gen_bits`]; for a vector, lanes of
/// one shape made alike (a splat), mixed from boundary values, or random.
pub fn gen_value(e: &mut Entropy, ty: Ty) -> u128 {
    if ty != Ty::V128 {
        return ty.truncate(u128::from(gen_bits(e)));
    }
    let lanes = |e: &mut Entropy, width: u32, lane: &mut dyn FnMut(&mut Entropy) -> u128| {
        (0..128 / width).fold(0u128, |v, i| v | (lane(e) << (i * width)))
    };
    match e.below(8) {
        0 => 0,
        1 => u128::MAX,
        2 => {
            // A splat of one lane of 8, 16, 32 or 64 bits.
            let width = *e.pick(&[8, 16, 32, 64]);
            let x = u128::from(gen_bits(e)) & ((1u128 << width) - 1);
            lanes(e, width, &mut |_| x)
        }
        3 => lanes(e, 32, &mut |e| u128::from(*e.pick(&F32_LANES))),
        4 => lanes(e, 64, &mut |e| u128::from(*e.pick(&F64_LANES))),
        5 => lanes(e, 8, &mut |e| {
            u128::from(*e.pick(&[0u8, 1, 0x7f, 0x80, 0xff]))
        }),
        6 => lanes(e, 64, &mut |e| u128::from(gen_bits(e))),
        _ => (u128::from(e.u64()) << 64) | u128::from(e.u64()),
    }
}

/// How a function of the module came to be.
enum FuncOrigin {
    Host(usize),
    Import { module: usize, func: usize },
    Local,
}

pub(crate) struct ModuleGen<'p> {
    pub(crate) program: &'p Program,
    pub(crate) index: usize,
    origins: Vec<FuncOrigin>,
    pub(crate) funcs: Vec<usize>,
    pub(crate) globals: Vec<Ty>,
    pub(crate) table_size: usize,
    pub(crate) elems: Vec<Option<usize>>,
    /// The previous module's table, imported as `$prev`, if it is.
    pub(crate) prev_table: Option<usize>,
}

impl<'p> ModuleGen<'p> {
    fn new(e: &mut Entropy, program: &'p Program, index: usize) -> ModuleGen<'p> {
        let mut origins = Vec::new();
        let mut funcs = Vec::new();
        for (h, host) in program.hosts.iter().enumerate() {
            if e.chance(2, 3) {
                origins.push(FuncOrigin::Host(h));
                funcs.push(host.sig);
            }
        }
        if index > 0 {
            for _ in 0..e.range(0, 3) {
                let module = e.below(index);
                let func = e.below(program.modules[module].funcs.len());
                origins.push(FuncOrigin::Import { module, func });
                funcs.push(program.modules[module].funcs[func]);
            }
        }
        for _ in 0..e.range(1, 8) {
            origins.push(FuncOrigin::Local);
            funcs.push(e.below(program.sigs.len()));
        }
        let globals = (0..e.range(0, 3)).map(|_| gen_ty(e)).collect();
        let table_size = e.range(1, 8);
        let filled = if e.chance(3, 4) {
            table_size
        } else {
            e.range(0, table_size)
        };
        let elems = (0..filled)
            .map(|_| {
                if e.chance(7, 8) {
                    Some(e.below(funcs.len()))
                } else {
                    None
                }
            })
            .collect();
        let prev_table =
            (index > 0 && e.chance(1, 2)).then(|| program.modules[index - 1].table_size);
        ModuleGen {
            program,
            index,
            origins,
            funcs,
            globals,
            table_size,
            elems,
            prev_table,
        }
    }

    fn generate(self, e: &mut Entropy) -> ModuleSpec {
        let mut w = String::from("(module\n");
        for (i, sig) in self.program.sigs.iter().enumerate() {
            let _ = writeln!(w, "  (type $t{i} (func{}))", sig_text(sig));
        }
        w.push_str("  (import \"env\" \"memory\" (memory 1 1))\n");
        w.push_str("  (import \"env\" \"fuel\" (global $fuel (mut i32)))\n");
        for (i, origin) in self.origins.iter().enumerate() {
            let ty = self.funcs[i];
            match origin {
                FuncOrigin::Host(h) => {
                    let _ = writeln!(w, "  (import \"host\" \"h{h}\" (func $f{i} (type $t{ty})))");
                }
                FuncOrigin::Import { module, func } => {
                    let _ = writeln!(
                        w,
                        "  (import \"m{module}\" \"f{func}\" (func $f{i} (type $t{ty})))"
                    );
                }
                FuncOrigin::Local => {}
            }
        }
        if self.prev_table.is_some() {
            let _ = writeln!(
                w,
                "  (import \"m{}\" \"table\" (table $prev 1 funcref))",
                self.index - 1
            );
        }
        let _ = writeln!(
            w,
            "  (table $tab (export \"table\") {} funcref)",
            self.table_size
        );
        for (g, ty) in self.globals.iter().enumerate() {
            let init = init_text(*ty, gen_value(e, *ty));
            let _ = writeln!(
                w,
                "  (global $g{g} (export \"g{g}\") (mut {}) {init})",
                ty.name()
            );
        }
        w.push_str("  (export \"memory\" (memory 0))\n");
        // The module's own second memory and 64-bit memory (multi-memory, memory64).
        w.push_str("  (memory $m1 1 1)\n  (memory $m64 i64 1 1)\n");
        w.push_str("  (elem (table $tab) (i32.const 0) funcref");
        for elem in &self.elems {
            match elem {
                Some(f) => {
                    let _ = write!(w, " (ref.func $f{f})");
                }
                None => w.push_str(" (ref.null func)"),
            }
        }
        w.push_str(")\n  (elem declare func");
        for i in 0..self.funcs.len() {
            let _ = write!(w, " $f{i}");
        }
        w.push_str(")\n");
        for (i, origin) in self.origins.iter().enumerate() {
            match origin {
                FuncOrigin::Local => {
                    let body = BodyGen::new(&self, self.funcs[i]).generate(e);
                    let _ = writeln!(
                        w,
                        "  (func $f{i} (export \"f{i}\") (type $t{}){body})",
                        self.funcs[i]
                    );
                }
                _ => {
                    let _ = writeln!(w, "  (export \"f{i}\" (func $f{i}))");
                }
            }
        }
        let starts: Vec<usize> = (0..self.funcs.len())
            .filter(|i| matches!(self.origins[*i], FuncOrigin::Local) && self.funcs[*i] == SIG_UNIT)
            .collect();
        if !starts.is_empty() && e.chance(1, 3) {
            let _ = writeln!(w, "  (start $f{})", e.pick(&starts));
        }
        w.push(')');
        ModuleSpec {
            wat: w,
            funcs: self.funcs,
            globals: self.globals,
            table_size: self.table_size,
            elems: self.elems,
        }
    }
}

fn sig_text(sig: &Sig) -> String {
    let mut s = String::new();
    if !sig.params.is_empty() {
        s.push_str(" (param");
        for t in &sig.params {
            s.push(' ');
            s.push_str(t.name());
        }
        s.push(')');
    }
    if !sig.results.is_empty() {
        s.push_str(" (result");
        for t in &sig.results {
            s.push(' ');
            s.push_str(t.name());
        }
        s.push(')');
    }
    s
}

pub(crate) fn const_text(ty: Ty, bits: u128) -> String {
    match ty {
        Ty::I32 => format!("(i32.const {})", bits as u32 as i32),
        Ty::I64 => format!("(i64.const {})", bits as u64 as i64),
        Ty::F32 => format!("(f32.reinterpret_i32 (i32.const {}))", bits as u32 as i32),
        Ty::F64 => format!("(f64.reinterpret_i64 (i64.const {}))", bits as u64 as i64),
        Ty::V128 => v128_const(bits),
    }
}

/// A `v128.const` with exactly these bits, written in one of the integer lane shapes.
pub(crate) fn v128_const(bits: u128) -> String {
    let width = match (bits as u32).count_ones() % 4 {
        0 => 8,
        1 => 16,
        2 => 32,
        _ => 64,
    };
    let lanes: Vec<String> = (0..128 / width)
        .map(|i| {
            let lane = (bits >> (i * width)) & ((1u128 << width) - 1);
            format!("{lane:#x}")
        })
        .collect();
    let shape = match width {
        8 => "i8x16",
        16 => "i16x8",
        32 => "i32x4",
        _ => "i64x2",
    };
    format!("(v128.const {shape} {})", lanes.join(" "))
}

/// A constant expression (so, for floats, a literal that keeps the exact bits).
fn init_text(ty: Ty, bits: u128) -> String {
    fn float(sign: bool, nan: Option<u64>, value: String) -> String {
        let sign = if sign { "-" } else { "" };
        match nan {
            Some(payload) => format!("{sign}nan:{payload:#x}"),
            None => value,
        }
    }
    match ty {
        Ty::I32 | Ty::I64 | Ty::V128 => const_text(ty, bits),
        Ty::F32 => {
            let x = f32::from_bits(bits as u32);
            let nan = x.is_nan().then_some(bits as u64 & 0x7f_ffff);
            format!(
                "(f32.const {})",
                float(x.is_sign_negative(), nan, format!("{x:?}"))
            )
        }
        Ty::F64 => {
            let x = f64::from_bits(bits as u64);
            let nan = x.is_nan().then_some(bits as u64 & 0xf_ffff_ffff_ffff);
            format!(
                "(f64.const {})",
                float(x.is_sign_negative(), nan, format!("{x:?}"))
            )
        }
    }
}
