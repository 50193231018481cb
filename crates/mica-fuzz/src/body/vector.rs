//! The `v128` part of function bodies: vector expressions (every fixed-width SIMD
//! instruction, with NaN results canonicalised where engines may differ), vector stores and
//! the load/combine/store kernels of vectorized loops.

use super::BodyGen;
use crate::entropy::Entropy;
use crate::program::Ty;
use std::fmt::Write;

/// Which NaNs an operation's result may have that engines may choose differently.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nan {
    /// None: integer lanes, comparisons, bitwise float operations (`abs`, `neg`, `pmin`:
    /// they move bits), conversions to integers.
    Exact,
    /// NaN `f32` lanes, canonicalised as `f32x4`.
    F32,
    /// NaN `f64` lanes, canonicalised as `f64x2`.
    F64,
}

/// `v128 -> v128` operations whose results are exact.
const VECTOR_UNARY: &[&str] = &[
    "v128.not",
    "i8x16.abs",
    "i8x16.neg",
    "i8x16.popcnt",
    "i16x8.abs",
    "i16x8.neg",
    "i32x4.abs",
    "i32x4.neg",
    "i64x2.abs",
    "i64x2.neg",
    "f32x4.abs",
    "f32x4.neg",
    "f64x2.abs",
    "f64x2.neg",
    "i16x8.extend_low_i8x16_s",
    "i16x8.extend_high_i8x16_s",
    "i16x8.extend_low_i8x16_u",
    "i16x8.extend_high_i8x16_u",
    "i32x4.extend_low_i16x8_s",
    "i32x4.extend_high_i16x8_s",
    "i32x4.extend_low_i16x8_u",
    "i32x4.extend_high_i16x8_u",
    "i64x2.extend_low_i32x4_s",
    "i64x2.extend_high_i32x4_s",
    "i64x2.extend_low_i32x4_u",
    "i64x2.extend_high_i32x4_u",
    "i16x8.extadd_pairwise_i8x16_s",
    "i16x8.extadd_pairwise_i8x16_u",
    "i32x4.extadd_pairwise_i16x8_s",
    "i32x4.extadd_pairwise_i16x8_u",
    "i32x4.trunc_sat_f32x4_s",
    "i32x4.trunc_sat_f32x4_u",
    "i32x4.trunc_sat_f64x2_s_zero",
    "i32x4.trunc_sat_f64x2_u_zero",
    "f32x4.convert_i32x4_s",
    "f32x4.convert_i32x4_u",
    "f64x2.convert_low_i32x4_s",
    "f64x2.convert_low_i32x4_u",
];

/// `v128 -> v128` float operations that may compute a NaN: the shape of their result, and of
/// their operand.
const VECTOR_UNARY_FLOAT: &[(&str, Nan, Nan)] = &[
    ("f32x4.sqrt", Nan::F32, Nan::F32),
    ("f32x4.ceil", Nan::F32, Nan::F32),
    ("f32x4.floor", Nan::F32, Nan::F32),
    ("f32x4.trunc", Nan::F32, Nan::F32),
    ("f32x4.nearest", Nan::F32, Nan::F32),
    ("f32x4.demote_f64x2_zero", Nan::F32, Nan::F64),
    ("f64x2.sqrt", Nan::F64, Nan::F64),
    ("f64x2.ceil", Nan::F64, Nan::F64),
    ("f64x2.floor", Nan::F64, Nan::F64),
    ("f64x2.trunc", Nan::F64, Nan::F64),
    ("f64x2.nearest", Nan::F64, Nan::F64),
    ("f64x2.promote_low_f32x4", Nan::F64, Nan::F32),
];

/// `v128 v128 -> v128` operations whose results are exact.
const VECTOR_BINARY: &[&str] = &[
    "v128.and",
    "v128.andnot",
    "v128.or",
    "v128.xor",
    "i8x16.add",
    "i8x16.add_sat_s",
    "i8x16.add_sat_u",
    "i8x16.sub",
    "i8x16.sub_sat_s",
    "i8x16.sub_sat_u",
    "i8x16.min_s",
    "i8x16.min_u",
    "i8x16.max_s",
    "i8x16.max_u",
    "i8x16.avgr_u",
    "i8x16.eq",
    "i8x16.ne",
    "i8x16.lt_s",
    "i8x16.lt_u",
    "i8x16.gt_s",
    "i8x16.gt_u",
    "i8x16.le_s",
    "i8x16.le_u",
    "i8x16.ge_s",
    "i8x16.ge_u",
    "i8x16.narrow_i16x8_s",
    "i8x16.narrow_i16x8_u",
    "i8x16.swizzle",
    "i16x8.add",
    "i16x8.add_sat_s",
    "i16x8.add_sat_u",
    "i16x8.sub",
    "i16x8.sub_sat_s",
    "i16x8.sub_sat_u",
    "i16x8.mul",
    "i16x8.min_s",
    "i16x8.min_u",
    "i16x8.max_s",
    "i16x8.max_u",
    "i16x8.avgr_u",
    "i16x8.q15mulr_sat_s",
    "i16x8.eq",
    "i16x8.ne",
    "i16x8.lt_s",
    "i16x8.lt_u",
    "i16x8.gt_s",
    "i16x8.gt_u",
    "i16x8.le_s",
    "i16x8.le_u",
    "i16x8.ge_s",
    "i16x8.ge_u",
    "i16x8.narrow_i32x4_s",
    "i16x8.narrow_i32x4_u",
    "i16x8.extmul_low_i8x16_s",
    "i16x8.extmul_high_i8x16_s",
    "i16x8.extmul_low_i8x16_u",
    "i16x8.extmul_high_i8x16_u",
    "i32x4.add",
    "i32x4.sub",
    "i32x4.mul",
    "i32x4.min_s",
    "i32x4.min_u",
    "i32x4.max_s",
    "i32x4.max_u",
    "i32x4.dot_i16x8_s",
    "i32x4.eq",
    "i32x4.ne",
    "i32x4.lt_s",
    "i32x4.lt_u",
    "i32x4.gt_s",
    "i32x4.gt_u",
    "i32x4.le_s",
    "i32x4.le_u",
    "i32x4.ge_s",
    "i32x4.ge_u",
    "i32x4.extmul_low_i16x8_s",
    "i32x4.extmul_high_i16x8_s",
    "i32x4.extmul_low_i16x8_u",
    "i32x4.extmul_high_i16x8_u",
    "i64x2.add",
    "i64x2.sub",
    "i64x2.mul",
    "i64x2.eq",
    "i64x2.ne",
    "i64x2.lt_s",
    "i64x2.gt_s",
    "i64x2.le_s",
    "i64x2.ge_s",
    "i64x2.extmul_low_i32x4_s",
    "i64x2.extmul_high_i32x4_s",
    "i64x2.extmul_low_i32x4_u",
    "i64x2.extmul_high_i32x4_u",
    "f32x4.eq",
    "f32x4.ne",
    "f32x4.lt",
    "f32x4.gt",
    "f32x4.le",
    "f32x4.ge",
    "f32x4.pmin",
    "f32x4.pmax",
    "f64x2.eq",
    "f64x2.ne",
    "f64x2.lt",
    "f64x2.gt",
    "f64x2.le",
    "f64x2.ge",
    "f64x2.pmin",
    "f64x2.pmax",
];

/// `v128 v128 -> v128` float arithmetic, which may compute a NaN.
const VECTOR_BINARY_FLOAT: &[(&str, Nan)] = &[
    ("f32x4.add", Nan::F32),
    ("f32x4.sub", Nan::F32),
    ("f32x4.mul", Nan::F32),
    ("f32x4.div", Nan::F32),
    ("f32x4.min", Nan::F32),
    ("f32x4.max", Nan::F32),
    ("f64x2.add", Nan::F64),
    ("f64x2.sub", Nan::F64),
    ("f64x2.mul", Nan::F64),
    ("f64x2.div", Nan::F64),
    ("f64x2.min", Nan::F64),
    ("f64x2.max", Nan::F64),
];

/// Shifts `v128 i32 -> v128`.
const VECTOR_SHIFTS: &[&str] = &[
    "i8x16.shl",
    "i8x16.shr_s",
    "i8x16.shr_u",
    "i16x8.shl",
    "i16x8.shr_s",
    "i16x8.shr_u",
    "i32x4.shl",
    "i32x4.shr_s",
    "i32x4.shr_u",
    "i64x2.shl",
    "i64x2.shr_s",
    "i64x2.shr_u",
];

/// The relaxed SIMD operations, by arity, with the NaNs they may compute.
const RELAXED_UNARY: &[(&str, Nan)] = &[
    ("i32x4.relaxed_trunc_f32x4_s", Nan::Exact),
    ("i32x4.relaxed_trunc_f32x4_u", Nan::Exact),
    ("i32x4.relaxed_trunc_f64x2_s_zero", Nan::Exact),
    ("i32x4.relaxed_trunc_f64x2_u_zero", Nan::Exact),
];
const RELAXED_BINARY: &[(&str, Nan)] = &[
    ("i8x16.relaxed_swizzle", Nan::Exact),
    ("f32x4.relaxed_min", Nan::F32),
    ("f32x4.relaxed_max", Nan::F32),
    ("f64x2.relaxed_min", Nan::F64),
    ("f64x2.relaxed_max", Nan::F64),
    ("i16x8.relaxed_q15mulr_s", Nan::Exact),
    ("i16x8.relaxed_dot_i8x16_i7x16_s", Nan::Exact),
];
const RELAXED_TERNARY: &[(&str, Nan)] = &[
    ("f32x4.relaxed_madd", Nan::F32),
    ("f32x4.relaxed_nmadd", Nan::F32),
    ("f64x2.relaxed_madd", Nan::F64),
    ("f64x2.relaxed_nmadd", Nan::F64),
    ("i8x16.relaxed_laneselect", Nan::Exact),
    ("i16x8.relaxed_laneselect", Nan::Exact),
    ("i32x4.relaxed_laneselect", Nan::Exact),
    ("i64x2.relaxed_laneselect", Nan::Exact),
    ("i32x4.relaxed_dot_i8x16_i7x16_add_s", Nan::Exact),
];

/// Loads `i32 -> v128` (besides `v128.load`), with the largest alignment (log2) each allows.
const VECTOR_LOADS: &[(&str, u32)] = &[
    ("v128.load", 4),
    ("v128.load8x8_s", 3),
    ("v128.load8x8_u", 3),
    ("v128.load16x4_s", 3),
    ("v128.load16x4_u", 3),
    ("v128.load32x2_s", 3),
    ("v128.load32x2_u", 3),
    ("v128.load8_splat", 0),
    ("v128.load16_splat", 1),
    ("v128.load32_splat", 2),
    ("v128.load64_splat", 3),
    ("v128.load32_zero", 2),
    ("v128.load64_zero", 3),
];

impl BodyGen<'_, '_> {
    /// A memory argument for an access of natural alignment `2^max_align`: often none, else
    /// a small offset and an alignment of at most the natural one.
    fn memarg(e: &mut Entropy, max_align: u32) -> String {
        let mut out = String::new();
        if e.chance(1, 3) {
            let _ = write!(out, "offset={} ", e.range(0, 24));
        }
        if e.chance(1, 3) {
            let _ = write!(out, "align={} ", 1u32 << e.range(0, max_align as usize));
        }
        out
    }

    /// Replaces every NaN lane of `op`'s result (of lane shape `nan`) by the canonical NaN, so
    /// that engines that choose NaN payloads differently (as they may) still agree bit for
    /// bit: `bitselect(r, nan, r == r)`, `r` kept in a `v128` local (no write can come between
    /// the `local.tee` and the `local.get`s: they are the next operands).
    fn canonical(&self, e: &mut Entropy, nan: Nan, op: String) -> String {
        let (canonical, eq) = match nan {
            Nan::Exact => return op,
            Nan::F32 => (
                "(v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000)",
                "f32x4.eq",
            ),
            Nan::F64 => (
                "(v128.const i64x2 0x7ff8000000000000 0x7ff8000000000000)",
                "f64x2.eq",
            ),
        };
        let l = self.local_of(e, Ty::V128);
        format!(
            "(v128.bitselect (local.tee {l} {op}) {canonical} ({eq} (local.get {l}) (local.get {l})))"
        )
    }

    /// Vector float arithmetic whose result has lane shape `nan`, its NaNs as computed. Its
    /// operands may be such arithmetic too, of the shape the operation reads, left as computed
    /// (NaN payloads cannot change which lanes are NaN in arithmetic of the same shape), so
    /// that chains such as `f32x4.add (f32x4.mul ..)` reach the engines as they are; only
    /// their result needs [`Self::canonical`].
    fn float_arithmetic(&self, e: &mut Entropy, nan: Nan, depth: usize) -> String {
        let d = depth + 1;
        let operand = |e: &mut Entropy, shape: Nan| {
            if d < 3 && e.chance(1, 3) {
                self.float_arithmetic(e, shape, d)
            } else {
                self.expr(e, Ty::V128, d)
            }
        };
        if e.chance(1, 3) {
            let unary: Vec<_> = VECTOR_UNARY_FLOAT.iter().filter(|o| o.1 == nan).collect();
            let (op, _, shape) = **e.pick(&unary);
            format!("({op} {})", operand(e, shape))
        } else {
            let binary: Vec<_> = VECTOR_BINARY_FLOAT.iter().filter(|o| o.1 == nan).collect();
            let (op, _) = **e.pick(&binary);
            format!("({op} {} {})", operand(e, nan), operand(e, nan))
        }
    }

    /// A vector operator: lane arithmetic, comparisons, conversions, shifts, splats, lane
    /// replacement, shuffles and loads; relaxed SIMD too in a program that may have it.
    pub(super) fn vector(&self, e: &mut Entropy, depth: usize) -> String {
        let d = depth + 1;
        let v = |e: &mut Entropy| self.expr(e, Ty::V128, d);
        // In a program with relaxed SIMD, a relaxed operation a fifth of the time.
        let relaxed = self.module.program.relaxed_simd;
        match e.below(if relaxed { 20 } else { 16 }) {
            0 | 1 => {
                let op = *e.pick(VECTOR_UNARY);
                format!("({op} {})", v(e))
            }
            2..=5 => {
                let op = *e.pick(VECTOR_BINARY);
                format!("({op} {} {})", v(e), v(e))
            }
            6..=8 => {
                let nan = *e.pick(&[Nan::F32, Nan::F64]);
                let text = self.float_arithmetic(e, nan, depth);
                self.canonical(e, nan, text)
            }
            9 => format!("(v128.bitselect {} {} {})", v(e), v(e), v(e)),
            10 => {
                let op = *e.pick(VECTOR_SHIFTS);
                // Shift counts are taken modulo the lane width: any count will do.
                format!("({op} {} {})", v(e), self.expr(e, Ty::I32, d))
            }
            11 => {
                let (shape, ty) = *e.pick(&[
                    ("i8x16", Ty::I32),
                    ("i16x8", Ty::I32),
                    ("i32x4", Ty::I32),
                    ("i64x2", Ty::I64),
                    ("f32x4", Ty::F32),
                    ("f64x2", Ty::F64),
                ]);
                format!("({shape}.splat {})", self.expr(e, ty, d))
            }
            12 => {
                let (shape, lanes, ty) = *e.pick(&[
                    ("i8x16", 16, Ty::I32),
                    ("i16x8", 8, Ty::I32),
                    ("i32x4", 4, Ty::I32),
                    ("i64x2", 2, Ty::I64),
                    ("f32x4", 4, Ty::F32),
                    ("f64x2", 2, Ty::F64),
                ]);
                let lane = e.below(lanes);
                format!(
                    "({shape}.replace_lane {lane} {} {})",
                    v(e),
                    self.expr(e, ty, d)
                )
            }
            13 => {
                let lanes: Vec<String> = (0..16).map(|_| e.below(32).to_string()).collect();
                format!("(i8x16.shuffle {} {} {})", lanes.join(" "), v(e), v(e))
            }
            14 => {
                let (op, align) = *e.pick(VECTOR_LOADS);
                let memarg = Self::memarg(e, align);
                format!("({op} {})", self.place(e, d, &memarg))
            }
            15 => {
                let (bits, lanes, align) =
                    *e.pick(&[(8, 16, 0), (16, 8, 1), (32, 4, 2), (64, 2, 3)]);
                let memarg = Self::memarg(e, align);
                let lane = e.below(lanes);
                format!(
                    "(v128.load{bits}_lane {} {})",
                    self.place(e, d, &format!("{memarg}{lane} ")),
                    v(e)
                )
            }
            // 16 and up: only in a program with relaxed SIMD.
            _ => {
                let (op, nan, arity) = match e.below(3) {
                    0 => {
                        let (op, nan) = *e.pick(RELAXED_UNARY);
                        (op, nan, 1)
                    }
                    1 => {
                        let (op, nan) = *e.pick(RELAXED_BINARY);
                        (op, nan, 2)
                    }
                    _ => {
                        let (op, nan) = *e.pick(RELAXED_TERNARY);
                        (op, nan, 3)
                    }
                };
                let operands: Vec<String> = (0..arity).map(|_| v(e)).collect();
                let text = format!("({op} {})", operands.join(" "));
                self.canonical(e, nan, text)
            }
        }
    }

    /// A number of type `ty` taken from a vector: a lane, or a test of all lanes.
    pub(super) fn scalar_of_vector(&self, e: &mut Entropy, ty: Ty, d: usize) -> String {
        let v = self.expr(e, Ty::V128, d);
        match ty {
            Ty::I32 => match e.below(4) {
                0 | 1 => {
                    let (op, lanes) = *e.pick(&[
                        ("i8x16.extract_lane_s", 16),
                        ("i8x16.extract_lane_u", 16),
                        ("i16x8.extract_lane_s", 8),
                        ("i16x8.extract_lane_u", 8),
                        ("i32x4.extract_lane", 4),
                    ]);
                    format!("({op} {} {v})", e.below(lanes))
                }
                2 => {
                    let op = *e.pick(&[
                        "v128.any_true",
                        "i8x16.all_true",
                        "i16x8.all_true",
                        "i32x4.all_true",
                        "i64x2.all_true",
                    ]);
                    format!("({op} {v})")
                }
                _ => {
                    let shape = *e.pick(&["i8x16", "i16x8", "i32x4", "i64x2"]);
                    format!("({shape}.bitmask {v})")
                }
            },
            Ty::I64 => format!("(i64x2.extract_lane {} {v})", e.below(2)),
            Ty::F32 => format!("(f32x4.extract_lane {} {v})", e.below(4)),
            Ty::F64 => format!("(f64x2.extract_lane {} {v})", e.below(2)),
            Ty::V128 => v,
        }
    }

    /// A statement storing a vector, whole or one lane, or a kernel's result, or updating a
    /// vector in memory in place (`c[i] op= x`, which Mica runs as one instruction).
    pub(super) fn vector_store(&self, e: &mut Entropy, depth: usize) -> String {
        if e.chance(1, 4) && self.locals.contains(&Ty::I32) {
            let p = self.local_of(e, Ty::I32);
            let memarg = Self::memarg(e, 4);
            let op = *e.pick(&[
                "i8x16.add", "i16x8.sub", "i32x4.add", "i32x4.mul", "i64x2.sub", "i16x8.mul", "v128.xor",
                "v128.and", "v128.or",
            ]);
            return format!(
                "(v128.store {memarg}(local.tee {p} (i32.and (local.get {p}) (i32.const 0xfff0))) \
                 ({op} {} (v128.load {memarg}(local.get {p}))))",
                self.expr(e, Ty::V128, depth)
            );
        }
        if e.chance(1, 3) {
            let memarg = Self::memarg(e, 4);
            return format!("(v128.store {} {})", self.place(e, depth, &memarg), self.kernel(e, depth));
        }
        if e.chance(1, 2) {
            let (bits, lanes, align) = *e.pick(&[(8, 16, 0), (16, 8, 1), (32, 4, 2), (64, 2, 3)]);
            let memarg = Self::memarg(e, align);
            let lane = e.below(lanes);
            format!(
                "(v128.store{bits}_lane {} {})",
                self.place(e, depth, &format!("{memarg}{lane} ")),
                self.expr(e, Ty::V128, depth)
            )
        } else {
            let memarg = Self::memarg(e, 4);
            format!("(v128.store {} {})", self.place(e, depth, &memarg), self.expr(e, Ty::V128, depth))
        }
    }
}

impl BodyGen<'_, '_> {
    /// What the body of a vectorised loop computes: loaded vectors combined by a few
    /// integer operations, or float products and sums (the chains Mica's dispatch fuses).
    /// Float operands are integers converted (at most 2^31 in magnitude), so that products and
    /// sums are finite and never NaN: the result goes to memory as it is.
    fn kernel(&self, e: &mut Entropy, depth: usize) -> String {
        let d = depth + 1;
        let load = |e: &mut Entropy| {
            if e.chance(1, 4) {
                format!("(local.get {})", self.local_of(e, Ty::V128))
            } else {
                let (op, align) = *e.pick(&[("v128.load", 4), ("v128.load8x8_u", 3)]);
                let memarg = Self::memarg(e, align);
                format!("({op} {})", self.place(e, d, &memarg))
            }
        };
        match e.below(3) {
            0 => self.integer_kernel(e, d, &load),
            shape => {
                let (s, convert) = match shape {
                    1 => ("f32x4", "f32x4.convert_i32x4_s"),
                    _ => ("f64x2", "f64x2.convert_low_i32x4_s"),
                };
                let x = |e: &mut Entropy| format!("({convert} {})", load(e));
                match e.below(3) {
                    0 => format!("({s}.add ({s}.mul {} {}) {})", x(e), x(e), x(e)),
                    1 => format!("({s}.mul {} {})", x(e), x(e)),
                    _ => format!("({s}.add {} {})", x(e), x(e)),
                }
            }
        }
    }

    fn integer_kernel(
        &self,
        e: &mut Entropy,
        depth: usize,
        load: &dyn Fn(&mut Entropy) -> String,
    ) -> String {
        if depth >= 3 || e.chance(1, 4) {
            return load(e);
        }
        let d = depth + 1;
        match e.below(8) {
            0 => format!(
                "(i32x4.shr_u {} (i32.const {}))",
                self.integer_kernel(e, d, load),
                e.below(40)
            ),
            _ => {
                let op = *e.pick(&[
                    "i32x4.add",
                    "i32x4.add",
                    "i16x8.add",
                    "i32x4.mul",
                    "i32x4.sub",
                    "i64x2.add",
                ]);
                format!(
                    "({op} {} {})",
                    self.integer_kernel(e, d, load),
                    self.integer_kernel(e, d, load)
                )
            }
        }
    }
}
