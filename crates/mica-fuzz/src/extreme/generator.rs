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

mod control;
mod shapes;
mod values;
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
