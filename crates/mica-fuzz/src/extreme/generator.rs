//! The generator of extreme-shape modules: valid by construction (a type-tracking emitter,
//! like a validator run forwards), deterministic and terminating when run.
//!
//! Each function has a *shape*, what most of its body is made of; every shape also uses the
//! others' statements here and there:
//! - `DeepStack`: thousands of operands pushed (mostly `local.get` of a few locals), then
//!   writes to those locals, empty blocks, loops and ifs, branches and nested segments over
//!   them, then the operands consumed;
//! - `Nesting`: thousands of nested `block`/`loop`/`if`, empty, threading the same values
//!   through every level (multi-value parameters), or of mixed types, with long branches
//!   from the innermost level;
//! - `BrTable`: a `br_table` of up to hundreds of thousands of entries over up to 64 blocks,
//!   with up to 64 values each;
//! - `ManyLocals`: up to 50,000 locals (the validator's limit), declared in one entry, one by
//!   one, or in runs, and read and written all over;
//! - `MultiValue`: a block or loop of up to 1000 results (or parameters) branched to
//!   thousands of times (`br_if`, `br` from an `if`, `br_table`): the expansion Mica's budget
//!   refuses past 8 instructions per byte.
//!
//! A third of the functions use `v128` too ([`GenFunc::vectors`]): as parameters, results,
//! locals, operands, block and branch values, with integer and bitwise SIMD operations, splats,
//! lane extraction and replacement, and shuffles. A `v128` takes two of Mica's frame slots, so
//! such a function gets half the operand stack height.
//!
//! Runs end: no operator traps (integer arithmetic without division, floats only moved or
//! reinterpreted, so no NaN is ever computed, in vectors neither), branches back to a loop are
//! guarded by a per-call fuel local that each attempt decrements, and `br`/`br_table` never
//! target a loop. Every value flows into an `i64` accumulator local that is the function's
//! first result.

use super::encode::{self as enc, FuncCode, FuncType};
use crate::entropy::Entropy;
use crate::program::Ty;
use std::collections::HashMap;

/// What a function is mostly made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shape {
    DeepStack,
    Nesting,
    BrTable,
    ManyLocals,
    MultiValue,
    /// A bit of everything.
    Mixed,
}

impl Shape {
    pub const ALL: [Shape; 6] = [
        Shape::DeepStack,
        Shape::Nesting,
        Shape::BrTable,
        Shape::ManyLocals,
        Shape::MultiValue,
        Shape::Mixed,
    ];
}

/// How large the generated modules may get.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The body size a function aims at, at most (bytes; a body may end up a few times
    /// larger, as every open construct must be closed).
    pub max_body: usize,
    /// Functions per module, at most.
    pub max_funcs: usize,
    /// Branches back to loops each call may take.
    pub fuel: u32,
    /// Whether the checks run the functions (on Mica in both modes and on wasmi).
    pub execute: bool,
}

/// A generated function, as the checks need it.
#[derive(Clone, Debug)]
pub struct GenFunc {
    pub shape: Shape,
    pub ty: FuncType,
    /// Parameters and declared locals.
    pub num_locals: usize,
    /// The size of its body in the code section (local declarations included).
    pub body_bytes: usize,
    /// The arguments a run calls it with (bits).
    pub args: Vec<u128>,
    /// Whether it uses `v128` (in its type, locals or code).
    pub vectors: bool,
    /// Whether it has a `br_table` that wasmi 2.0 may run wrongly (several targets, two
    /// values or more, or one `v128`, other values below them on the stack:
    /// `tests/reference_bugs.rs`), so that only Mica's modes are compared on it.
    pub wasmi_miscompiles: bool,
}

/// A generated module.
#[derive(Clone, Debug)]
pub struct Generated {
    pub wasm: Vec<u8>,
    pub funcs: Vec<GenFunc>,
}

impl Generated {
    /// One line per function, for reports.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{} bytes, {} functions\n",
            self.wasm.len(),
            self.funcs.len()
        );
        for (i, f) in self.funcs.iter().enumerate() {
            s.push_str(&format!(
                "  f{i}: {:?}{}, {} params, {} results, {} locals, body {} bytes\n",
                f.shape,
                if f.vectors { " with vectors" } else { "" },
                f.ty.params.len(),
                f.ty.results.len(),
                f.num_locals,
                f.body_bytes
            ));
        }
        s
    }
}

/// Generates a module from `e` within `limits`.
pub fn generate(e: &mut Entropy, limits: &Limits) -> Generated {
    let mut types = Types::default();
    let n = e.range(1, limits.max_funcs.max(1));
    let mut codes = Vec::new();
    let mut funcs = Vec::new();
    for _ in 0..n {
        let (code, func) = FuncGen::function(e, &mut types, limits);
        codes.push(code);
        funcs.push(func);
    }
    let bodies: Vec<Vec<u8>> = codes.iter().map(enc::body).collect();
    for (f, b) in funcs.iter_mut().zip(&bodies) {
        f.body_bytes = b.len();
    }
    let tys: Vec<u32> = codes.iter().map(|c| c.ty).collect();
    Generated {
        wasm: enc::module(&types.list, &tys, &bodies),
        funcs,
    }
}

/// The module's function types, each once.
#[derive(Default)]
struct Types {
    list: Vec<FuncType>,
    index: HashMap<(Vec<u8>, Vec<u8>), u32>,
}

impl Types {
    fn index(&mut self, params: &[Ty], results: &[Ty]) -> u32 {
        let key = (
            params.iter().map(|t| enc::valtype(*t)).collect(),
            results.iter().map(|t| enc::valtype(*t)).collect(),
        );
        *self.index.entry(key).or_insert_with(|| {
            self.list.push(FuncType {
                params: params.to_vec(),
                results: results.to_vec(),
            });
            self.list.len() as u32 - 1
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Func,
    Block,
    Loop,
    If,
}

struct Frame {
    kind: Kind,
    params: Vec<Ty>,
    results: Vec<Ty>,
    /// The operand stack's height below the parameters.
    height: usize,
    /// In an `if`: whether `else` was emitted.
    in_else: bool,
}

/// The highest operand stack (plus locals) a function may reach: Mica's frames hold at most
/// 61440 slots when constants get slots of their own, and the generator's constants and
/// expressions need a few.
const MAX_FRAME: usize = 58_000;
/// wasmparser's limit on a function's locals, parameters included.
const MAX_LOCALS: usize = 50_000;
/// Block and function results, at most (wasmparser's limit on a function type's).
const MAX_RESULTS: usize = 1000;
/// How deep segments nest inside each other in the generator (not in the code: nesting
/// depth in the code is a loop, not recursion).
const MAX_SEGMENT_DEPTH: usize = 2;

const I32_CONSTS: [i32; 8] = [0, 1, -1, 2, 7, 100, i32::MAX, i32::MIN];
const I64_CONSTS: [i64; 6] = [0, 1, -1, 3, i64::MAX, i64::MIN];
/// Not NaN: no engine may canonicalise them.
const F32_CONSTS: [u32; 6] = [0, 0x8000_0000, 0x3fc0_0000, 0xc010_0000, 0x7f80_0000, 1];
const F64_CONSTS: [u64; 5] = [
    0,
    0x8000_0000_0000_0000,
    0x3ff8_0000_0000_0000,
    0xfff0_0000_0000_0000,
    1,
];

fn ti(ty: Ty) -> usize {
    match ty {
        Ty::I32 => 0,
        Ty::I64 => 1,
        Ty::F32 => 2,
        Ty::F64 => 3,
        Ty::V128 => 4,
    }
}

/// A value type: `v128` too if `vectors`.
fn gen_ty(e: &mut Entropy, vectors: bool) -> Ty {
    if vectors {
        *e.pick(&Ty::ALL)
    } else {
        *e.pick(&Ty::SCALARS)
    }
}

/// Frame slots a value of type `ty` takes in Mica (and cells in wasmi).
fn slots(ty: Ty) -> usize {
    match ty {
        Ty::V128 => 2,
        _ => 1,
    }
}

/// A count in `1..=max`, spread over orders of magnitude, often `max` itself.
fn count(e: &mut Entropy, max: usize) -> usize {
    let max = max.max(1);
    if e.chance(1, 6) {
        return max;
    }
    let bits = usize::BITS - max.leading_zeros();
    let b = e.range(0, bits as usize) as u32;
    let hi = if b >= usize::BITS {
        usize::MAX
    } else {
        (1usize << b).min(max)
    };
    e.range(hi / 2 + 1, hi.max(1)).min(max)
}

struct FuncGen<'g, 'd> {
    e: &'g mut Entropy<'d>,
    types: &'g mut Types,
    code: Vec<u8>,
    stack: Vec<Ty>,
    ctrl: Vec<Frame>,
    /// Locals code may read and write, by type (the fuel counter is not among them).
    by_type: [Vec<u32>; 5],
    acc: u32,
    fuel: u32,
    /// Whether values may be `v128`; then `scratch`, a `v128` local code does not otherwise
    /// use, helps fold vectors into the accumulator.
    vectors: bool,
    scratch: u32,
    /// The most operands the stack may hold.
    height_cap: usize,
    /// The code size to reach.
    target: usize,
    /// Segments open in the generator.
    depth: usize,
    /// See [`GenFunc::wasmi_miscompiles`].
    wasmi_miscompiles: bool,
}

impl<'g, 'd> FuncGen<'g, 'd> {
    fn function(
        e: &'g mut Entropy<'d>,
        types: &'g mut Types,
        limits: &Limits,
    ) -> (FuncCode, GenFunc) {
        let shape = *e.pick(&Shape::ALL);
        let vectors = e.chance(1, 3);
        let num_params = if e.chance(1, 8) {
            count(e, 64)
        } else {
            e.range(0, 4)
        };
        let params: Vec<Ty> = (0..num_params).map(|_| gen_ty(e, vectors)).collect();
        let mut results = vec![Ty::I64];
        let extra = match shape {
            Shape::MultiValue if e.chance(1, 2) => count(e, MAX_RESULTS - 1),
            _ => e.range(0, 2),
        };
        results.extend((0..extra).map(|_| gen_ty(e, vectors)));
        // The accumulator, the fuel counter and the vector scratch, then the others (as many
        // as fit in a frame, vectors taking two slots, with room for operands).
        let extra_locals = match shape {
            Shape::ManyLocals if vectors => count(e, (MAX_FRAME - 4 * num_params - 8_000) / 2),
            Shape::ManyLocals => count(e, MAX_LOCALS - num_params - 2),
            _ => e.range(0, 8),
        };
        let types_here: &[Ty] = if vectors { &Ty::ALL } else { &Ty::SCALARS };
        let local_types: Vec<Ty> = match e.below(3) {
            0 => vec![gen_ty(e, vectors); extra_locals],
            1 => (0..extra_locals)
                .map(|i| types_here[i % types_here.len()])
                .collect(),
            _ => (0..extra_locals).map(|_| gen_ty(e, vectors)).collect(),
        };
        let mut declared = vec![Ty::I64, Ty::I32];
        if vectors {
            declared.push(Ty::V128);
        }
        declared.extend(local_types);
        let locals = declare(e, &declared);
        let acc = num_params as u32;
        let fuel = acc + 1;
        let scratch = acc + 2;
        let mut by_type: [Vec<u32>; 5] = Default::default();
        for (i, ty) in params.iter().chain(&declared).enumerate() {
            if i as u32 != fuel && !(vectors && i as u32 == scratch) {
                by_type[ti(*ty)].push(i as u32);
            }
        }
        let num_locals = num_params + declared.len();
        let local_slots: usize = params.iter().chain(&declared).map(|t| slots(*t)).sum();
        let ty = types.index(&params, &results);
        let target = count(e, limits.max_body).max(16);
        let args = params
            .iter()
            .map(|t| match t {
                Ty::V128 => u128::from(e.u64()) << 64 | u128::from(e.u64()),
                _ => u128::from(e.u64()),
            })
            .collect();
        // Every operand may be a vector: half the height, in values, of a scalar function.
        let height_cap = match vectors {
            true => (MAX_FRAME - local_slots) / 2,
            false => MAX_FRAME - num_locals,
        };
        let mut g = FuncGen {
            e,
            types,
            code: Vec::with_capacity(target + target / 4),
            stack: Vec::new(),
            ctrl: vec![Frame {
                kind: Kind::Func,
                params: Vec::new(),
                results: results.clone(),
                height: 0,
                in_else: false,
            }],
            by_type,
            acc,
            fuel,
            vectors,
            scratch,
            height_cap: height_cap.min(40_000),
            target,
            depth: 0,
            wasmi_miscompiles: false,
        };
        g.byte(enc::I32_CONST);
        enc::leb_i64(&mut g.code, i64::from(limits.fuel));
        g.local(enc::LOCAL_SET, fuel);
        while g.room() > 0 {
            g.segment(shape);
        }
        g.settle(&results);
        g.byte(enc::END);
        debug_assert_eq!(g.ctrl.len(), 1);
        let wasmi_miscompiles = g.wasmi_miscompiles;
        let code = FuncCode {
            ty,
            locals,
            code: g.code,
        };
        let func = GenFunc {
            shape,
            ty: FuncType { params, results },
            num_locals,
            body_bytes: 0,
            args,
            vectors,
            wasmi_miscompiles,
        };
        (code, func)
    }

    // --- emitting ---------------------------------------------------------------------------

    fn room(&self) -> usize {
        self.target.saturating_sub(self.code.len())
    }

    fn byte(&mut self, b: u8) {
        self.code.push(b);
    }

    fn local(&mut self, op: u8, index: u32) {
        self.code.push(op);
        enc::leb_u32(&mut self.code, index);
    }

    fn pop(&mut self) -> Ty {
        debug_assert!(
            self.stack.len() > self.frame().height,
            "pop below the frame"
        );
        self.stack.pop().expect("a value")
    }

    fn frame(&self) -> &Frame {
        self.ctrl.last().expect("the function's frame")
    }

    /// Values the innermost frame can pop.
    fn avail(&self) -> usize {
        self.stack.len() - self.frame().height
    }

    fn can_push(&self, n: usize) -> bool {
        self.stack.len() + n + 64 <= self.height_cap
    }

    /// A local of type `ty` that code may write.
    fn pick_local(&mut self, ty: Ty) -> Option<u32> {
        let list = &self.by_type[ti(ty)];
        if list.is_empty() {
            return None;
        }
        let i = self.e.below(list.len());
        Some(self.by_type[ti(ty)][i])
    }

    // --- values ---------------------------------------------------------------------------

    fn constant(&mut self, ty: Ty) {
        match ty {
            Ty::I32 => {
                let v = if self.e.chance(1, 4) {
                    self.e.u32() as i32
                } else {
                    *self.e.pick(&I32_CONSTS)
                };
                self.byte(enc::I32_CONST);
                enc::leb_i64(&mut self.code, i64::from(v));
            }
            Ty::I64 => {
                let v = if self.e.chance(1, 4) {
                    self.e.u64() as i64
                } else {
                    *self.e.pick(&I64_CONSTS)
                };
                self.byte(enc::I64_CONST);
                enc::leb_i64(&mut self.code, v);
            }
            Ty::F32 => {
                let v = *self.e.pick(&F32_CONSTS);
                self.byte(enc::F32_CONST);
                self.code.extend_from_slice(&v.to_le_bytes());
            }
            Ty::F64 => {
                let v = *self.e.pick(&F64_CONSTS);
                self.byte(enc::F64_CONST);
                self.code.extend_from_slice(&v.to_le_bytes());
            }
            Ty::V128 => {
                let v: u128 = match self.e.below(4) {
                    0 => 0,
                    1 => u128::MAX,
                    2 => u128::from(*self.e.pick(&I64_CONSTS) as u64) * (1 | 1 << 64),
                    _ => u128::from(self.e.u64()) << 64 | u128::from(self.e.u64()),
                };
                enc::simd(&mut self.code, enc::V128_CONST);
                self.code.extend_from_slice(&v.to_le_bytes());
            }
        }
        self.stack.push(ty);
    }

    fn get(&mut self, ty: Ty) -> bool {
        match self.pick_local(ty) {
            Some(l) => {
                self.local(enc::LOCAL_GET, l);
                self.stack.push(ty);
                true
            }
            None => false,
        }
    }

    /// Pushes a value of type `ty`: a local, a constant, or an expression of depth at most
    /// `3 - depth`.
    fn value(&mut self, ty: Ty, depth: usize) {
        let r = self.e.below(100);
        if depth >= 3 || r < 40 {
            if !self.get(ty) {
                self.constant(ty);
            }
            return;
        }
        if r < 65 {
            self.constant(ty);
            return;
        }
        let d = depth + 1;
        match (ty, self.e.below(5)) {
            (_, 0) => {
                self.value(ty, d);
                self.value(ty, d);
                self.value(Ty::I32, d);
                self.byte(enc::SELECT);
                self.pop();
                self.pop();
            }
            (_, 1) => {
                self.value(ty, d);
                if let Some(l) = self.pick_local(ty) {
                    self.local(enc::LOCAL_TEE, l);
                }
            }
            (Ty::I32, 2) => {
                self.value(Ty::I32, d);
                self.value(Ty::I32, d);
                let op = *self.e.pick(&enc::I32_BINOPS);
                self.byte(op);
                self.pop();
            }
            (Ty::I32, 3) => {
                let (t, ops) = if self.e.chance(1, 2) {
                    (Ty::I32, &enc::I32_COMPARES)
                } else {
                    (Ty::I64, &enc::I64_COMPARES)
                };
                self.value(t, d);
                self.value(t, d);
                let op = *self.e.pick(ops);
                self.byte(op);
                self.pop();
                self.pop();
                self.stack.push(Ty::I32);
            }
            (Ty::I32, _) => {
                let (from, op) = if self.e.chance(1, 2) {
                    (Ty::I64, enc::I32_WRAP_I64)
                } else {
                    (Ty::F32, enc::I32_REINTERPRET_F32)
                };
                self.value(from, d);
                self.byte(op);
                self.pop();
                self.stack.push(Ty::I32);
            }
            (Ty::I64, 2 | 3) => {
                self.value(Ty::I64, d);
                self.value(Ty::I64, d);
                let op = *self.e.pick(&enc::I64_BINOPS);
                self.byte(op);
                self.pop();
            }
            (Ty::I64, _) if self.vectors && self.e.chance(1, 4) => {
                self.value(Ty::V128, d);
                enc::simd(&mut self.code, enc::I64X2_EXTRACT_LANE);
                let lane = self.e.below(2) as u8;
                self.byte(lane);
                self.pop();
                self.stack.push(Ty::I64);
            }
            (Ty::I64, _) => {
                let (from, op) = match self.e.below(3) {
                    0 => (Ty::I32, enc::I64_EXTEND_I32_S),
                    1 => (Ty::I32, enc::I64_EXTEND_I32_U),
                    _ => (Ty::F64, enc::I64_REINTERPRET_F64),
                };
                self.value(from, d);
                self.byte(op);
                self.pop();
                self.stack.push(Ty::I64);
            }
            (Ty::F32, _) => {
                self.value(Ty::I32, d);
                self.byte(enc::F32_REINTERPRET_I32);
                self.pop();
                self.stack.push(Ty::F32);
            }
            (Ty::F64, _) => {
                self.value(Ty::I64, d);
                self.byte(enc::F64_REINTERPRET_I64);
                self.pop();
                self.stack.push(Ty::F64);
            }
            (Ty::V128, 2) => {
                self.value(Ty::V128, d);
                self.value(Ty::V128, d);
                if self.e.chance(1, 4) {
                    enc::simd(&mut self.code, enc::I8X16_SHUFFLE);
                    for _ in 0..16 {
                        let lane = self.e.below(32) as u8;
                        self.byte(lane);
                    }
                } else {
                    let op = *self.e.pick(&enc::V128_BINOPS);
                    enc::simd(&mut self.code, op);
                }
                self.pop();
            }
            (Ty::V128, 3) => {
                self.value(Ty::V128, d);
                self.value(Ty::I64, d);
                enc::simd(&mut self.code, enc::I64X2_REPLACE_LANE);
                let lane = self.e.below(2) as u8;
                self.byte(lane);
                self.pop();
            }
            (Ty::V128, _) => {
                let (from, op) = *self.e.pick(&[
                    (Ty::I32, enc::I8X16_SPLAT),
                    (Ty::I32, enc::I32X4_SPLAT),
                    (Ty::I64, enc::I64X2_SPLAT),
                ]);
                self.value(from, d);
                enc::simd(&mut self.code, op);
                self.pop();
                self.stack.push(Ty::V128);
            }
        }
    }

    /// An `i32` that differs between runs: mostly a local (the parameters are the call's
    /// arguments).
    fn condition(&mut self) {
        if self.e.chance(3, 4) && self.get(Ty::I32) {
            return;
        }
        self.value(Ty::I32, 1);
    }

    /// Decrements the fuel counter and pushes whether there was fuel left: the condition of
    /// every branch back to a loop.
    fn fuel_guard(&mut self) {
        self.local(enc::LOCAL_GET, self.fuel);
        self.byte(enc::I32_CONST);
        self.byte(1);
        self.byte(enc::I32_SUB);
        self.local(enc::LOCAL_TEE, self.fuel);
        self.byte(enc::I32_CONST);
        self.byte(0);
        self.byte(enc::I32_GT_S);
        self.stack.push(Ty::I32);
    }

    /// Folds the top value into the accumulator.
    fn fold(&mut self) {
        match self.pop() {
            Ty::I32 => self.byte(enc::I64_EXTEND_I32_U),
            Ty::I64 => {}
            Ty::F32 => {
                self.byte(enc::I32_REINTERPRET_F32);
                self.byte(enc::I64_EXTEND_I32_U);
            }
            Ty::F64 => self.byte(enc::I64_REINTERPRET_F64),
            Ty::V128 => {
                // Both halves: lane 0 xor lane 1, through the scratch local.
                self.local(enc::LOCAL_TEE, self.scratch);
                enc::simd(&mut self.code, enc::I64X2_EXTRACT_LANE);
                self.byte(0);
                self.local(enc::LOCAL_GET, self.scratch);
                enc::simd(&mut self.code, enc::I64X2_EXTRACT_LANE);
                self.byte(1);
                self.byte(enc::I64_XOR);
            }
        }
        self.local(enc::LOCAL_GET, self.acc);
        self.byte(enc::I64_XOR);
        self.byte(enc::I64_CONST);
        self.byte(5);
        self.byte(enc::I64_ROTL);
        self.local(enc::LOCAL_SET, self.acc);
    }

    /// Consumes the top value (if the frame has one): drops it, stores it, folds it into the
    /// accumulator, or combines it with the value below.
    fn consume(&mut self) {
        if self.avail() == 0 {
            return;
        }
        let ty = *self.stack.last().expect("a value");
        let n = self.stack.len();
        if self.avail() >= 2 && self.stack[n - 2] == ty && self.e.chance(1, 4) {
            match ty {
                Ty::I32 => {
                    let op = *self.e.pick(&enc::I32_BINOPS);
                    self.byte(op);
                    self.pop();
                    return;
                }
                Ty::I64 => {
                    let op = *self.e.pick(&enc::I64_BINOPS);
                    self.byte(op);
                    self.pop();
                    return;
                }
                Ty::V128 => {
                    let op = *self.e.pick(&enc::V128_BINOPS);
                    enc::simd(&mut self.code, op);
                    self.pop();
                    return;
                }
                Ty::F32 | Ty::F64 => {}
            }
        }
        match self.e.below(10) {
            0..=3 => {
                self.byte(enc::DROP);
                self.pop();
            }
            4..=6 => match self.pick_local(ty) {
                Some(l) => {
                    self.local(enc::LOCAL_SET, l);
                    self.pop();
                }
                None => self.fold(),
            },
            _ => self.fold(),
        }
    }

    /// Pushes values of types `tys` that a translator keeps symbolic: locals and constants
    /// (which every branch that carries them must copy).
    fn push_plain(&mut self, tys: &[Ty]) {
        for ty in tys {
            if self.e.chance(1, 4) || !self.get(*ty) {
                self.constant(*ty);
            }
        }
    }

    /// Pushes values of types `tys` for a branch to (or the end of) a frame; the function's
    /// first result is the accumulator.
    fn push_all(&mut self, tys: &[Ty], func: bool) {
        for (i, ty) in tys.iter().enumerate() {
            if func && i == 0 {
                self.local(enc::LOCAL_GET, self.acc);
                self.stack.push(Ty::I64);
            } else {
                self.value(*ty, 1);
            }
        }
    }

    /// Makes the innermost frame's values exactly `tys`.
    fn settle(&mut self, tys: &[Ty]) {
        let height = self.frame().height;
        if self.stack[height..] == *tys {
            return;
        }
        while self.stack.len() > height {
            self.consume();
        }
        let func = self.ctrl.len() == 1;
        self.push_all(tys, func);
    }

    // --- control ----------------------------------------------------------------------------

    fn blocktype(&mut self, params: &[Ty], results: &[Ty]) {
        match (params, results) {
            ([], []) => self.byte(enc::EMPTY_BLOCK),
            ([], [t]) => self.byte(enc::valtype(*t)),
            _ => {
                let index = self.types.index(params, results);
                enc::leb_i64(&mut self.code, i64::from(index));
            }
        }
    }

    /// Opens a frame, with its parameters the values on top of the stack if they fit (else new
    /// ones: after a branch, say) and, for an `if`, a condition.
    fn enter(&mut self, kind: Kind, params: Vec<Ty>, results: Vec<Ty>) {
        let k = params.len();
        if self.avail() < k || self.stack[self.stack.len() - k..] != params[..] {
            self.push_all(&params, false);
        }
        if kind == Kind::If {
            self.condition();
        }
        self.open(kind, params, results);
    }

    /// Opens a frame whose parameters (and, for an `if`, the condition above them) are on the
    /// stack.
    fn open(&mut self, kind: Kind, params: Vec<Ty>, results: Vec<Ty>) {
        if kind == Kind::If {
            let c = self.pop();
            debug_assert_eq!(c, Ty::I32);
        }
        self.byte(match kind {
            Kind::Block => enc::BLOCK,
            Kind::Loop => enc::LOOP,
            Kind::If => enc::IF,
            Kind::Func => unreachable!("the function's frame is not opened"),
        });
        self.blocktype(&params, &results);
        let height = self.stack.len() - params.len();
        debug_assert_eq!(self.stack[height..], params[..]);
        self.ctrl.push(Frame {
            kind,
            params,
            results,
            height,
            in_else: false,
        });
    }

    /// Closes the innermost frame (an `if` whose parameters and results differ gets an
    /// `else`, and others sometimes do).
    fn close(&mut self) {
        let f = self.frame();
        let must_else = f.params != f.results;
        let is_then = f.kind == Kind::If && !f.in_else;
        if is_then && (must_else || self.e.chance(1, 4)) {
            let results = self.frame().results.clone();
            self.settle(&results);
            self.byte(enc::ELSE);
            let f = self.ctrl.last_mut().expect("the if");
            f.in_else = true;
            let (height, params) = (f.height, f.params.clone());
            self.stack.truncate(height);
            self.stack.extend(params);
            if self.e.chance(1, 2) {
                self.simple();
            }
        }
        let results = self.frame().results.clone();
        self.settle(&results);
        self.byte(enc::END);
        let f = self.ctrl.pop().expect("a frame");
        self.stack.truncate(f.height);
        self.stack.extend(f.results);
    }

    /// After an unconditional branch: the frame's values are gone.
    fn unreachable(&mut self) {
        let height = self.frame().height;
        self.stack.truncate(height);
    }

    /// The types a branch to the frame `depth` levels out carries.
    fn label(&self, depth: usize) -> (&[Ty], Kind) {
        let f = &self.ctrl[self.ctrl.len() - 1 - depth];
        match f.kind {
            Kind::Loop => (&f.params, f.kind),
            _ => (&f.results, f.kind),
        }
    }

    /// The depths of non-loop labels carrying `tys`: among the innermost 256 and the
    /// function's (looking at all of thousands at every branch would make generation
    /// quadratic).
    fn labels_carrying(&self, tys: &[Ty]) -> Vec<u32> {
        let n = self.ctrl.len();
        (0..n.min(256))
            .chain(n.checked_sub(1).filter(|d| *d >= 256))
            .filter(|d| {
                let (t, kind) = self.label(*d);
                kind != Kind::Loop && t == tys
            })
            .map(|d| d as u32)
            .collect()
    }

    /// A `br_table` over `labels` (non-loop, all carrying the `arity` values on top of the
    /// stack) of `n` entries, after an index; the frame becomes unreachable.
    fn br_table(&mut self, labels: &[u32], arity: usize, n: usize) {
        // Two values or more, counting a `v128` as two (as wasmi's cells do).
        let carried: usize = self.stack[self.stack.len() - arity..]
            .iter()
            .map(|t| slots(*t))
            .sum();
        if labels.len() > 1 && carried >= 2 && self.stack.len() > arity {
            self.wasmi_miscompiles = true;
        }
        self.value(Ty::I32, 1);
        self.pop();
        self.byte(enc::BR_TABLE);
        enc::leb_u32(&mut self.code, n as u32);
        let cyclic = self.e.chance(1, 3);
        for i in 0..=n {
            let depth = if cyclic {
                labels[i % labels.len()]
            } else {
                *self.e.pick(labels)
            };
            enc::leb_u32(&mut self.code, depth);
        }
        self.unreachable();
    }

    /// A branch to a random enclosing label, with the values it carries; a branch back to a
    /// loop is a `br_if` on the fuel counter.
    fn branch(&mut self) {
        let n = self.ctrl.len();
        let depth = if self.e.chance(1, 2) {
            self.e.below(n.min(4))
        } else {
            self.e.below(n)
        };
        let (tys, kind) = self.label(depth);
        let tys = tys.to_vec();
        if !self.can_push(tys.len() + 1) {
            return;
        }
        let base = self.stack.len();
        self.push_all(&tys, depth == n - 1);
        if kind == Kind::Loop {
            self.fuel_guard();
            self.pop();
            self.byte(enc::BR_IF);
            enc::leb_u32(&mut self.code, depth as u32);
        } else {
            match self.e.below(3) {
                0 => {
                    self.byte(enc::BR);
                    enc::leb_u32(&mut self.code, depth as u32);
                    self.unreachable();
                }
                1 => {
                    self.condition();
                    self.pop();
                    self.byte(enc::BR_IF);
                    enc::leb_u32(&mut self.code, depth as u32);
                }
                _ => {
                    // The target itself, if it is deeper than the labels looked at.
                    let mut labels = self.labels_carrying(&tys);
                    if !labels.contains(&(depth as u32)) {
                        labels.push(depth as u32);
                    }
                    let entries = self.e.range(0, 8);
                    self.br_table(&labels, tys.len(), entries);
                }
            }
        }
        while self.stack.len() > base {
            self.consume();
        }
    }

    // --- statements ---------------------------------------------------------------------------

    /// A short stack-neutral statement.
    fn simple(&mut self) {
        match self.e.below(20) {
            0..=5 => {
                let ty = gen_ty(self.e, self.vectors);
                self.value(ty, 0);
                self.consume();
            }
            6..=7 => {
                let ty = gen_ty(self.e, self.vectors);
                self.value(ty, 0);
                self.fold();
            }
            8..=11 => self.branch(),
            12..=13 => {
                self.open(Kind::Block, Vec::new(), Vec::new());
                self.simple();
                self.close();
            }
            14..=15 => {
                let results = if self.e.chance(1, 2) {
                    vec![gen_ty(self.e, self.vectors)]
                } else {
                    Vec::new()
                };
                let has_result = !results.is_empty();
                self.enter(Kind::If, Vec::new(), results);
                self.simple();
                self.close();
                if has_result {
                    self.consume();
                }
            }
            16 => {
                self.open(Kind::Loop, Vec::new(), Vec::new());
                self.simple();
                self.close();
            }
            17 if self.e.chance(1, 8) => {
                let results = self.ctrl[0].results.clone();
                if self.can_push(results.len()) {
                    self.push_all(&results, true);
                    self.byte(enc::RETURN);
                    self.unreachable();
                }
            }
            _ => {
                let ty = gen_ty(self.e, self.vectors);
                if let Some(l) = self.pick_local(ty) {
                    self.value(ty, 1);
                    self.local(enc::LOCAL_SET, l);
                    self.pop();
                }
            }
        }
    }

    /// A stack-neutral segment, most often of the function's shape.
    fn segment(&mut self, shape: Shape) {
        let shape = if shape == Shape::Mixed || self.e.chance(1, 8) {
            *self.e.pick(&Shape::ALL)
        } else {
            shape
        };
        if self.depth >= MAX_SEGMENT_DEPTH {
            self.simple();
            return;
        }
        self.depth += 1;
        let before = self.stack.len();
        match shape {
            Shape::DeepStack => self.deep_stack(),
            Shape::Nesting => self.nesting(),
            Shape::BrTable => self.br_table_segment(),
            Shape::MultiValue => self.multi_value(),
            Shape::ManyLocals | Shape::Mixed => {
                for _ in 0..self.e.range(1, 16) {
                    self.simple();
                }
            }
        }
        // Segments are neutral, or end in dead code with less.
        debug_assert!(self.stack.len() <= before);
        self.depth -= 1;
    }

    /// Thousands of operands, operations over them, then their consumption.
    fn deep_stack(&mut self) {
        let base = self.stack.len();
        let space = self.height_cap.saturating_sub(base + 128);
        if space == 0 {
            return self.simple();
        }
        let height = count(self.e, space.min(self.room() / 2 + 1));
        // The locals the operands read: a few, so that writes to them meet their reads.
        let hot: Vec<(Ty, u32)> = (0..self.e.range(1, 4))
            .filter_map(|_| {
                let ty = gen_ty(self.e, self.vectors);
                self.pick_local(ty).map(|l| (ty, l))
            })
            .collect();
        for _ in 0..height {
            match self.e.below(10) {
                0..=6 if !hot.is_empty() => {
                    let (ty, l) = *self.e.pick(&hot);
                    self.local(enc::LOCAL_GET, l);
                    self.stack.push(ty);
                }
                0..=8 => {
                    let ty = gen_ty(self.e, self.vectors);
                    self.constant(ty);
                }
                _ => {
                    let ty = gen_ty(self.e, self.vectors);
                    self.value(ty, 2);
                }
            }
        }
        let ops = count(self.e, self.room() / 4 + 1);
        for _ in 0..ops {
            if self.room() == 0 || self.stack.len() < base {
                break;
            }
            match self.e.below(14) {
                0..=3 if !hot.is_empty() => {
                    let (ty, l) = *self.e.pick(&hot);
                    self.value(ty, 2);
                    self.local(enc::LOCAL_SET, l);
                    self.pop();
                }
                4 if !hot.is_empty() => {
                    let (ty, l) = *self.e.pick(&hot);
                    self.value(ty, 2);
                    self.local(enc::LOCAL_TEE, l);
                    self.consume();
                }
                5 => {
                    self.open(Kind::Block, Vec::new(), Vec::new());
                    self.close();
                }
                6 => {
                    self.open(Kind::Loop, Vec::new(), Vec::new());
                    self.close();
                }
                7 => {
                    self.enter(Kind::If, Vec::new(), Vec::new());
                    self.close();
                }
                8 => {
                    self.open(Kind::Block, Vec::new(), Vec::new());
                    self.branch();
                    self.close();
                }
                9 => {
                    // The top operand goes into a block as its parameter and comes back.
                    if self.avail() > 0 {
                        let ty = *self.stack.last().expect("a value");
                        self.enter(Kind::Block, vec![ty], vec![ty]);
                        self.simple();
                        self.close();
                    }
                }
                10 => self.segment(Shape::Mixed),
                11 => {
                    if self.stack.len() > base && self.avail() > 0 {
                        let ty = *self.stack.last().expect("a value");
                        self.consume();
                        if self.stack.len() < base + height {
                            self.value(ty, 1);
                        }
                    }
                }
                _ => self.simple(),
            }
        }
        while self.stack.len() > base {
            self.consume();
        }
    }

    /// Thousands of nested blocks, loops and ifs.
    fn nesting(&mut self) {
        #[derive(PartialEq)]
        enum Style {
            Empty,
            Threaded,
            Mixed,
        }
        let style = match self.e.below(3) {
            0 => Style::Empty,
            1 => Style::Threaded,
            _ => Style::Mixed,
        };
        let threaded: Vec<Ty> = if style == Style::Threaded {
            let n = if self.e.chance(1, 4) {
                count(self.e, 32)
            } else {
                self.e.range(1, 3)
            };
            (0..n).map(|_| gen_ty(self.e, self.vectors)).collect()
        } else {
            Vec::new()
        };
        if !self.can_push(threaded.len() + 8) {
            return self.simple();
        }
        let base = self.stack.len();
        let base_ctrl = self.ctrl.len();
        self.push_all(&threaded, false);
        let levels = count(self.e, self.room() / 3 + 1);
        for _ in 0..levels {
            let kind = match self.e.below(20) {
                0..=13 => Kind::Block,
                14..=16 => Kind::Loop,
                _ => Kind::If,
            };
            let (params, results) = match style {
                Style::Empty => (Vec::new(), Vec::new()),
                Style::Threaded => (threaded.clone(), threaded.clone()),
                Style::Mixed => {
                    let k = self.e.below(3).min(self.avail());
                    let params = self.stack[self.stack.len() - k..].to_vec();
                    let results = (0..self.e.below(3))
                        .map(|_| gen_ty(self.e, self.vectors))
                        .collect();
                    (params, results)
                }
            };
            if !self.can_push(results.len() + 8) {
                break;
            }
            self.enter(kind, params, results);
            if self.e.chance(1, 32) {
                self.simple();
            }
        }
        // The innermost level: branches out, far and near.
        for _ in 0..self.e.range(1, 4) {
            if self.e.chance(1, 4) {
                self.segment(Shape::Mixed);
            } else {
                self.branch();
            }
        }
        while self.ctrl.len() > base_ctrl {
            self.close();
            if self.e.chance(1, 64) {
                self.simple();
            }
        }
        while self.stack.len() > base {
            self.consume();
        }
    }

    /// A huge `br_table` over up to 64 blocks carrying the same values.
    fn br_table_segment(&mut self) {
        let arity = if self.e.chance(1, 5) {
            count(self.e, 64)
        } else {
            self.e.below(3)
        };
        let tys: Vec<Ty> = (0..arity).map(|_| gen_ty(self.e, self.vectors)).collect();
        if !self.can_push(arity + 8) {
            return self.simple();
        }
        let base = self.stack.len();
        let blocks = count(self.e, 64);
        for _ in 0..blocks {
            self.open(Kind::Block, Vec::new(), tys.clone());
        }
        self.push_all(&tys, false);
        let labels = self.labels_carrying(&tys);
        let entries = count(self.e, self.room() + 1);
        self.br_table(&labels, arity, entries);
        for _ in 0..blocks {
            self.close();
            if self.e.chance(1, 8) {
                self.simple();
            }
        }
        while self.stack.len() > base {
            self.consume();
        }
    }

    /// A block (or loop) of many values, branched to again and again.
    fn multi_value(&mut self) {
        let space = self.height_cap.saturating_sub(self.stack.len() + 128);
        let arity = count(self.e, MAX_RESULTS.min(space).min(self.room() / 2 + 1));
        if arity == 0 || !self.can_push(arity + 8) {
            return self.simple();
        }
        let tys: Vec<Ty> = if self.e.chance(1, 2) {
            vec![gen_ty(self.e, self.vectors); arity]
        } else {
            (0..arity).map(|_| gen_ty(self.e, self.vectors)).collect()
        };
        let base = self.stack.len();
        let is_loop = self.e.chance(1, 4);
        // Values below the branched ones: then the values a branch carries are not where the
        // label's results go, and every branch copies them.
        let padding: Vec<Ty> = match self.e.below(2) {
            0 => Vec::new(),
            _ => (0..count(self.e, 16))
                .map(|_| gen_ty(self.e, self.vectors))
                .collect(),
        };
        if !self.can_push(2 * arity + padding.len() + 8) {
            return self.simple();
        }
        if is_loop {
            self.push_plain(&tys);
            self.enter(Kind::Loop, tys.clone(), tys.clone());
            if !padding.is_empty() {
                self.push_plain(&padding);
                self.push_plain(&tys);
            }
        } else {
            self.open(Kind::Block, Vec::new(), tys.clone());
            self.push_plain(&padding);
            self.push_plain(&tys);
        }
        let branches = count(self.e, self.room() / 3 + 1);
        // Only `br_if`s: values that stay symbolic (locals, constants) are copied by each
        // one, the expansion the budget exists for (an `if`, or writing a local they read,
        // puts them in their slots for good; then only padding makes branches copy).
        let only_branches = self.e.chance(1, 2);
        for _ in 0..branches {
            if self.room() == 0 {
                break;
            }
            match if only_branches {
                self.e.below(6)
            } else {
                self.e.below(10)
            } {
                0..=5 => {
                    if is_loop {
                        self.fuel_guard();
                    } else {
                        self.condition();
                    }
                    self.pop();
                    self.byte(enc::BR_IF);
                    self.byte(0);
                }
                6 if !is_loop => {
                    self.enter(Kind::If, Vec::new(), Vec::new());
                    self.push_plain(&tys);
                    self.byte(enc::BR);
                    self.byte(1);
                    self.unreachable();
                    self.close();
                }
                7 if !is_loop => {
                    let labels = self.labels_carrying(&tys);
                    let entries = self.e.range(0, 16);
                    self.br_table(&labels, arity, entries);
                    self.push_plain(&tys);
                }
                _ => {
                    if let Some(&ty) = self.stack.last() {
                        let len = self.stack.len();
                        self.consume();
                        if self.stack.len() < len {
                            self.value(ty, 1);
                        }
                    }
                }
            }
        }
        self.close();
        while self.stack.len() > base {
            self.consume();
        }
    }
}

/// Local declarations for `tys`: one entry per run of a type, one per local, or runs cut at
/// random.
fn declare(e: &mut Entropy, tys: &[Ty]) -> Vec<(u32, Ty)> {
    let style = e.below(3);
    let mut out: Vec<(u32, Ty)> = Vec::new();
    for &ty in tys {
        let merge = match style {
            0 => true,
            1 => false,
            _ => e.chance(3, 4),
        };
        match out.last_mut() {
            Some((n, t)) if merge && *t == ty => *n += 1,
            _ => out.push((1, ty)),
        }
    }
    out
}
