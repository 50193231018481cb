//! `v128` values: moves, constants, `select` and globals of `v128`, and the SIMD operations.
//! The handlers move values between frame slots (two per `v128`) and memory; what each
//! operation computes is `crate::simd`.

use super::prelude::*;
use crate::simd::{self, V, float, int, lanes, relaxed};

steps! {
    (ip, r, mem, ctx);
    Copy128(o) => { r.set128(o.dst, r.get128(o.src)); }
    V128Const(o) => {
        // SAFETY: both constant-pool indices are verified (role `constant128`), and `ctx`
        // points at the running function's pool.
        let (lo, hi) = unsafe { (*ctx.consts().add(o.index as usize), *ctx.consts().add(o.index as usize + 1)) };
        r.set128(o.dst, (lo as u128 | (hi as u128) << 64).to_le_bytes());
    }
    Select128(o) => {
        let pick = if r.get::<u32>(o.cond) != 0 { o.a } else { o.b };
        r.set128(o.dst, r.get128(pick));
    }
    GlobalGet128(o) => {
        // SAFETY: as for `GlobalGet` (`variable.rs`); every global has both cells.
        let g = unsafe { &*ctx.globals.add(*ctx.instance_globals.add(o.global as usize) as usize) };
        r.set128(o.dst, g.get().to_le_bytes());
    }
    GlobalSet128(o) => {
        // SAFETY: as for `GlobalGet128`.
        let g = unsafe { &mut *ctx.globals.add(*ctx.instance_globals.add(o.global as usize) as usize) };
        let v = u128::from_le_bytes(r.get128(o.src));
        (g.value, g.high) = (v as Cell, (v >> 64) as Cell);
    }
}

// Loads: each reads its bytes (bounds-checked) and builds the vector.
steps! {
    (ip, r, mem, ctx);
    V128Load(o) => {
        // The displacement (memory 0 of 32 bits only) wraps as the `i32.add` it replaced.
        let addr = if F & (acc::NAMED | acc::MEM64) == 0 { r.get::<u32>(o.addr).wrapping_add(o.disp.into()) as u64 } else { r.addr(o.addr) };
        fail!(mem.read128_at::<F>(ctx, o.memory, addr, o.offset).map(|b| r.set128(o.dst, b)));
    }
    V128Load8x8S(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, simd::from_i16x8(b.map(|x| x as i8 as i16))))); }
    V128Load8x8U(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, simd::from_u16x8(b.map(u16::from))))); }
    V128Load16x4S(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, simd::from_i32x4(core::array::from_fn(|i| i16::from_le_bytes([b[2 * i], b[2 * i + 1]]) as i32))))); }
    V128Load16x4U(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, simd::from_u32x4(core::array::from_fn(|i| u16::from_le_bytes([b[2 * i], b[2 * i + 1]]) as u32))))); }
    V128Load32x2S(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, simd::from_i64x2(core::array::from_fn(|i| i32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]) as i64))))); }
    V128Load32x2U(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, simd::from_u64x2(core::array::from_fn(|i| u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]) as u64))))); }
    V128Load8Splat(o) => { fail!(mem.read_at::<1, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, lanes::i8x16_splat(b[0] as u32)))); }
    V128Load16Splat(o) => { fail!(mem.read_at::<2, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, lanes::i16x8_splat(u16::from_le_bytes(b) as u32)))); }
    V128Load32Splat(o) => { fail!(mem.read_at::<4, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, lanes::i32x4_splat(u32::from_le_bytes(b))))); }
    V128Load64Splat(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, lanes::i64x2_splat(u64::from_le_bytes(b))))); }
    V128Load32Zero(o) => { fail!(mem.read_at::<4, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, (u32::from_le_bytes(b) as u128).to_le_bytes()))); }
    V128Load64Zero(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, (u64::from_le_bytes(b) as u128).to_le_bytes()))); }
    V128Store(o) => { fail!(mem.write128_at::<F>(ctx, o.memory, r.addr(o.addr), o.offset, r.get128(o.value))); }
    V128Load8Lane(o) => { fail!(mem.read_at::<1, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, lanes::i8x16_replace_lane(r.get128(o.src), o.lane, b[0] as u32)))); }
    V128Load16Lane(o) => { fail!(mem.read_at::<2, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, lanes::i16x8_replace_lane(r.get128(o.src), o.lane, u16::from_le_bytes(b) as u32)))); }
    V128Load32Lane(o) => { fail!(mem.read_at::<4, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, lanes::i32x4_replace_lane(r.get128(o.src), o.lane, u32::from_le_bytes(b))))); }
    V128Load64Lane(o) => { fail!(mem.read_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset).map(|b| r.set128(o.dst, lanes::i64x2_replace_lane(r.get128(o.src), o.lane, u64::from_le_bytes(b))))); }
    V128Store8Lane(o) => { fail!(mem.write_at::<1, F>(ctx, o.memory, r.addr(o.addr), o.offset, [lanes::i8x16_extract_lane_u(r.get128(o.src), o.lane) as u8])); }
    V128Store16Lane(o) => { fail!(mem.write_at::<2, F>(ctx, o.memory, r.addr(o.addr), o.offset, (lanes::i16x8_extract_lane_u(r.get128(o.src), o.lane) as u16).to_le_bytes())); }
    V128Store32Lane(o) => { fail!(mem.write_at::<4, F>(ctx, o.memory, r.addr(o.addr), o.offset, lanes::i32x4_extract_lane(r.get128(o.src), o.lane).to_le_bytes())); }
    V128Store64Lane(o) => { fail!(mem.write_at::<8, F>(ctx, o.memory, r.addr(o.addr), o.offset, lanes::i64x2_extract_lane(r.get128(o.src), o.lane).to_le_bytes())); }
}

// Operations with an operand in memory (`bytecode::VBinMem`): `a op memory` into a slot, or
// back into memory with one bounds check.
macro_rules! with_memory_operand {
    ($( $mem:ident $to:ident: $f:path; )*) => {
        steps! {
            (ip, r, mem, ctx);
            $(
                $mem(o) => { fail!(mem.read128(r.get::<u32>(o.addr).wrapping_add(o.disp.into()), o.offset).map(|m| r.set128(o.dst, $f(r.get128(o.a), m)))); }
                $to(o) => { fail!(mem.update128(r.get(o.addr), o.offset, |m| $f(r.get128(o.a), m))); }
            )*
        }
    };
}

with_memory_operand! {
    I8x16AddMem I8x16AddMemTo: int::i8x16_add;
    I16x8AddMem I16x8AddMemTo: int::i16x8_add;
    I32x4AddMem I32x4AddMemTo: int::i32x4_add;
    I64x2AddMem I64x2AddMemTo: int::i64x2_add;
    I8x16SubMem I8x16SubMemTo: int::i8x16_sub;
    I16x8SubMem I16x8SubMemTo: int::i16x8_sub;
    I32x4SubMem I32x4SubMemTo: int::i32x4_sub;
    I64x2SubMem I64x2SubMemTo: int::i64x2_sub;
    I16x8MulMem I16x8MulMemTo: int::i16x8_mul;
    I32x4MulMem I32x4MulMemTo: int::i32x4_mul;
    V128AndMem V128AndMemTo: int::v128_and;
    V128OrMem V128OrMemTo: int::v128_or;
    V128XorMem V128XorMemTo: int::v128_xor;
    F32x4AddMem F32x4AddMemTo: float::f32x4_add;
    F32x4SubMem F32x4SubMemTo: float::f32x4_sub;
    F32x4MulMem F32x4MulMemTo: float::f32x4_mul;
    F64x2AddMem F64x2AddMemTo: float::f64x2_add;
    F64x2SubMem F64x2SubMemTo: float::f64x2_sub;
    F64x2MulMem F64x2MulMemTo: float::f64x2_mul;
}

/// The handler of a product accumulated into memory, `c[j] += a * b[j]` vectorized: an
/// `F64x2MulMem` (or `F32x4MulMem`) and the `F64x2AddMemTo` (`F32x4AddMemTo`) after it that
/// adds its product, run as a pair with the product kept in a register (a generic pair would
/// store it to its slot and load it back, a store-to-load round trip on the loop's critical
/// path). The product is still written to its slot, as the multiplication says. Each half
/// traps as itself: a trap in the addition is reported at the second instruction.
pub(crate) fn product_into_memory(a: &Instr, b: &Instr) -> Option<super::super::threaded::Handler> {
    match (a, b) {
        (Instr::F64x2MulMem(m), Instr::F64x2AddMemTo(t)) if t.a == m.dst => Some(product_into_memory_handler::<true>),
        (Instr::F32x4MulMem(m), Instr::F32x4AddMemTo(t)) if t.a == m.dst => Some(product_into_memory_handler::<false>),
        _ => None,
    }
}

/// See [`product_into_memory`]: `F64` picks `f64x2` over `f32x4`.
unsafe fn product_into_memory_handler<const F64: bool>(
    ip: *const Op,
    regs: Regs,
    mem: Mem,
    ctx: &mut FastCtx,
    acc: Cell,
    facc: f64,
) -> Exit {
    // SAFETY: `fuse_pairs` gives this handler to a multiplication followed by the addition
    // (`product_into_memory`), so both instructions are in the code.
    let (first, second) = unsafe { (&(*ip).instr, &(*ip.add(1)).instr) };
    let (Instr::F64x2MulMem(m) | Instr::F32x4MulMem(m), Instr::F64x2AddMemTo(t) | Instr::F32x4AddMemTo(t)) = (first, second)
    else {
        // SAFETY: as above.
        unsafe { core::hint::unreachable_unchecked() }
    };
    let r = Locs::<0> { regs, acc, facc };
    type Lanes = fn(V, V) -> V;
    let (mul, add): (Lanes, Lanes) =
        if F64 { (float::f64x2_mul, float::f64x2_add) } else { (float::f32x4_mul, float::f32x4_add) };
    let product = match mem.read128(r.get::<u32>(m.addr).wrapping_add(m.disp.into()), m.offset) {
        Ok(b) => mul(r.get128(m.a), b),
        Err(code) => {
            (ctx.stop, ctx.trap_at) = (Stop::Trap(code), ip);
            return Exit(core::ptr::null());
        }
    };
    r.set128(m.dst, product);
    // SAFETY: the second instruction of the pair.
    let second = unsafe { ip.add(1) };
    if let Err(code) = mem.update128(r.get(t.addr), t.offset, |c| add(product, c)) {
        (ctx.stop, ctx.trap_at) = (Stop::Trap(code), second);
        return Exit(core::ptr::null());
    }
    // SAFETY: the addition falls through, so an instruction follows it.
    next!(unsafe { second.add(1) }, r, mem, ctx);
}

/// `I8x16ShuffleKnown` with its lanes a constant: one step type per pattern of
/// `simd::lanes::KNOWN_SHUFFLES`, which the compiler turns into the target's shuffle
/// instructions. (`kind::I8x16ShuffleKnown` reads the pattern's index at run time; pairs
/// use it.)
pub(crate) struct KnownShuffle<const P: u8>;

impl<const P: u8> fuse::Step for KnownShuffle<P> {
    #[inline(always)]
    unsafe fn step<const F: u8>(ip: *const Op, r: &mut Locs<F>, _: Mem, _: &mut FastCtx) -> fuse::Flow {
        // SAFETY: `ip` points at an instruction of the running function.
        let Instr::I8x16ShuffleKnown(o) = &(unsafe { &*ip }).instr else {
            // SAFETY: `known_shuffle_handler` gives this step to such instructions only.
            unsafe { core::hint::unreachable_unchecked() }
        };
        debug_assert_eq!(o.imm, P);
        r.set128(o.dst, lanes::i8x16_shuffle(r.get128(o.a), r.get128(o.b), lanes::KNOWN_SHUFFLES[P as usize]));
        fuse::Flow::Next
    }
}

/// The handler of an `I8x16ShuffleKnown` with pattern `index` (encoded in form 0, the only
/// form it has).
pub(crate) fn known_shuffle_handler(index: u8) -> super::super::threaded::Handler {
    const _: () = assert!(lanes::KNOWN_SHUFFLES.len() == 19, "one handler per known shuffle");
    macro_rules! by_index {
        ($($p:literal)*) => {
            match index {
                $( $p => fuse::single_plain::<KnownShuffle<$p>>(0), )*
                _ => fuse::single_plain::<kind::I8x16ShuffleKnown>(0),
            }
        };
    }
    by_index!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18)
}

// Lanes and operations: the lane arithmetic is `crate::simd`'s.
steps! {
    (ip, r, mem, ctx);
    I8x16Shuffle(o) => {
        // SAFETY: both constant-pool indices are verified (role `constant128`).
        let (lo, hi) = unsafe { (*ctx.consts().add(o.lanes as usize), *ctx.consts().add(o.lanes as usize + 1)) };
        let lanes = (lo as u128 | (hi as u128) << 64).to_le_bytes();
        r.set128(o.dst, lanes::i8x16_shuffle(r.get128(o.a), r.get128(o.b), lanes));
    }
    I16x8Shuffle(o) => { r.set128(o.dst, lanes::i16x8_shuffle(r.get128(o.a), r.get128(o.b), o.lanes)); }
    I32x4Shuffle(o) => { r.set128(o.dst, lanes::i32x4_shuffle(r.get128(o.a), r.get128(o.b), o.lanes)); }
    I8x16ShuffleKnown(o) => { r.set128(o.dst, lanes::i8x16_shuffle_known(r.get128(o.a), r.get128(o.b), o.imm)); }
    I8x16ShuffleWindow(o) => { r.set128(o.dst, lanes::i8x16_shuffle_window(r.get128(o.a), r.get128(o.b), o.imm)); }
    I8x16ExtractLaneS(o) => { r.set(o.dst, lanes::i8x16_extract_lane_s(r.get128(o.src), o.lane)); }
    I8x16ExtractLaneU(o) => { r.set(o.dst, lanes::i8x16_extract_lane_u(r.get128(o.src), o.lane)); }
    I8x16ReplaceLane(o) => { r.set128(o.dst, lanes::i8x16_replace_lane(r.get128(o.a), o.lane, r.get::<u32>(o.x))); }
    I16x8ExtractLaneS(o) => { r.set(o.dst, lanes::i16x8_extract_lane_s(r.get128(o.src), o.lane)); }
    I16x8ExtractLaneU(o) => { r.set(o.dst, lanes::i16x8_extract_lane_u(r.get128(o.src), o.lane)); }
    I16x8ReplaceLane(o) => { r.set128(o.dst, lanes::i16x8_replace_lane(r.get128(o.a), o.lane, r.get::<u32>(o.x))); }
    I32x4ExtractLane(o) => { r.set(o.dst, lanes::i32x4_extract_lane(r.get128(o.src), o.lane)); }
    I32x4ReplaceLane(o) => { r.set128(o.dst, lanes::i32x4_replace_lane(r.get128(o.a), o.lane, r.get::<u32>(o.x))); }
    I64x2ExtractLane(o) => { r.set(o.dst, lanes::i64x2_extract_lane(r.get128(o.src), o.lane)); }
    I64x2ReplaceLane(o) => { r.set128(o.dst, lanes::i64x2_replace_lane(r.get128(o.a), o.lane, r.get::<u64>(o.x))); }
    F32x4ExtractLane(o) => { r.set(o.dst, lanes::f32x4_extract_lane(r.get128(o.src), o.lane)); }
    F32x4ReplaceLane(o) => { r.set128(o.dst, lanes::f32x4_replace_lane(r.get128(o.a), o.lane, r.get::<u32>(o.x))); }
    F64x2ExtractLane(o) => { r.set(o.dst, lanes::f64x2_extract_lane(r.get128(o.src), o.lane)); }
    F64x2ReplaceLane(o) => { r.set128(o.dst, lanes::f64x2_replace_lane(r.get128(o.a), o.lane, r.get::<u64>(o.x))); }
    I8x16Swizzle(o) => { r.set128(o.dst, lanes::i8x16_swizzle(r.get128(o.a), r.get128(o.b))); }
    I8x16Splat(o) => { r.set128(o.dst, lanes::i8x16_splat(r.get::<u32>(o.src))); }
    I16x8Splat(o) => { r.set128(o.dst, lanes::i16x8_splat(r.get::<u32>(o.src))); }
    I32x4Splat(o) => { r.set128(o.dst, lanes::i32x4_splat(r.get::<u32>(o.src))); }
    I64x2Splat(o) => { r.set128(o.dst, lanes::i64x2_splat(r.get::<u64>(o.src))); }
    F32x4Splat(o) => { r.set128(o.dst, lanes::f32x4_splat(r.get::<u32>(o.src))); }
    F64x2Splat(o) => { r.set128(o.dst, lanes::f64x2_splat(r.get::<u64>(o.src))); }
    I8x16Eq(o) => { r.set128(o.dst, int::i8x16_eq(r.get128(o.a), r.get128(o.b))); }
    I8x16Ne(o) => { r.set128(o.dst, int::i8x16_ne(r.get128(o.a), r.get128(o.b))); }
    I8x16LtS(o) => { r.set128(o.dst, int::i8x16_lt_s(r.get128(o.a), r.get128(o.b))); }
    I8x16LtU(o) => { r.set128(o.dst, int::i8x16_lt_u(r.get128(o.a), r.get128(o.b))); }
    I8x16GtS(o) => { r.set128(o.dst, int::i8x16_gt_s(r.get128(o.a), r.get128(o.b))); }
    I8x16GtU(o) => { r.set128(o.dst, int::i8x16_gt_u(r.get128(o.a), r.get128(o.b))); }
    I8x16LeS(o) => { r.set128(o.dst, int::i8x16_le_s(r.get128(o.a), r.get128(o.b))); }
    I8x16LeU(o) => { r.set128(o.dst, int::i8x16_le_u(r.get128(o.a), r.get128(o.b))); }
    I8x16GeS(o) => { r.set128(o.dst, int::i8x16_ge_s(r.get128(o.a), r.get128(o.b))); }
    I8x16GeU(o) => { r.set128(o.dst, int::i8x16_ge_u(r.get128(o.a), r.get128(o.b))); }
    I16x8Eq(o) => { r.set128(o.dst, int::i16x8_eq(r.get128(o.a), r.get128(o.b))); }
    I16x8Ne(o) => { r.set128(o.dst, int::i16x8_ne(r.get128(o.a), r.get128(o.b))); }
    I16x8LtS(o) => { r.set128(o.dst, int::i16x8_lt_s(r.get128(o.a), r.get128(o.b))); }
    I16x8LtU(o) => { r.set128(o.dst, int::i16x8_lt_u(r.get128(o.a), r.get128(o.b))); }
    I16x8GtS(o) => { r.set128(o.dst, int::i16x8_gt_s(r.get128(o.a), r.get128(o.b))); }
    I16x8GtU(o) => { r.set128(o.dst, int::i16x8_gt_u(r.get128(o.a), r.get128(o.b))); }
    I16x8LeS(o) => { r.set128(o.dst, int::i16x8_le_s(r.get128(o.a), r.get128(o.b))); }
    I16x8LeU(o) => { r.set128(o.dst, int::i16x8_le_u(r.get128(o.a), r.get128(o.b))); }
    I16x8GeS(o) => { r.set128(o.dst, int::i16x8_ge_s(r.get128(o.a), r.get128(o.b))); }
    I16x8GeU(o) => { r.set128(o.dst, int::i16x8_ge_u(r.get128(o.a), r.get128(o.b))); }
    I32x4Eq(o) => { r.set128(o.dst, int::i32x4_eq(r.get128(o.a), r.get128(o.b))); }
    I32x4Ne(o) => { r.set128(o.dst, int::i32x4_ne(r.get128(o.a), r.get128(o.b))); }
    I32x4LtS(o) => { r.set128(o.dst, int::i32x4_lt_s(r.get128(o.a), r.get128(o.b))); }
    I32x4LtU(o) => { r.set128(o.dst, int::i32x4_lt_u(r.get128(o.a), r.get128(o.b))); }
    I32x4GtS(o) => { r.set128(o.dst, int::i32x4_gt_s(r.get128(o.a), r.get128(o.b))); }
    I32x4GtU(o) => { r.set128(o.dst, int::i32x4_gt_u(r.get128(o.a), r.get128(o.b))); }
    I32x4LeS(o) => { r.set128(o.dst, int::i32x4_le_s(r.get128(o.a), r.get128(o.b))); }
    I32x4LeU(o) => { r.set128(o.dst, int::i32x4_le_u(r.get128(o.a), r.get128(o.b))); }
    I32x4GeS(o) => { r.set128(o.dst, int::i32x4_ge_s(r.get128(o.a), r.get128(o.b))); }
    I32x4GeU(o) => { r.set128(o.dst, int::i32x4_ge_u(r.get128(o.a), r.get128(o.b))); }
    I64x2Eq(o) => { r.set128(o.dst, int::i64x2_eq(r.get128(o.a), r.get128(o.b))); }
    I64x2Ne(o) => { r.set128(o.dst, int::i64x2_ne(r.get128(o.a), r.get128(o.b))); }
    I64x2LtS(o) => { r.set128(o.dst, int::i64x2_lt_s(r.get128(o.a), r.get128(o.b))); }
    I64x2GtS(o) => { r.set128(o.dst, int::i64x2_gt_s(r.get128(o.a), r.get128(o.b))); }
    I64x2LeS(o) => { r.set128(o.dst, int::i64x2_le_s(r.get128(o.a), r.get128(o.b))); }
    I64x2GeS(o) => { r.set128(o.dst, int::i64x2_ge_s(r.get128(o.a), r.get128(o.b))); }
    F32x4Eq(o) => { r.set128(o.dst, float::f32x4_eq(r.get128(o.a), r.get128(o.b))); }
    F32x4Ne(o) => { r.set128(o.dst, float::f32x4_ne(r.get128(o.a), r.get128(o.b))); }
    F32x4Lt(o) => { r.set128(o.dst, float::f32x4_lt(r.get128(o.a), r.get128(o.b))); }
    F32x4Gt(o) => { r.set128(o.dst, float::f32x4_gt(r.get128(o.a), r.get128(o.b))); }
    F32x4Le(o) => { r.set128(o.dst, float::f32x4_le(r.get128(o.a), r.get128(o.b))); }
    F32x4Ge(o) => { r.set128(o.dst, float::f32x4_ge(r.get128(o.a), r.get128(o.b))); }
    F64x2Eq(o) => { r.set128(o.dst, float::f64x2_eq(r.get128(o.a), r.get128(o.b))); }
    F64x2Ne(o) => { r.set128(o.dst, float::f64x2_ne(r.get128(o.a), r.get128(o.b))); }
    F64x2Lt(o) => { r.set128(o.dst, float::f64x2_lt(r.get128(o.a), r.get128(o.b))); }
    F64x2Gt(o) => { r.set128(o.dst, float::f64x2_gt(r.get128(o.a), r.get128(o.b))); }
    F64x2Le(o) => { r.set128(o.dst, float::f64x2_le(r.get128(o.a), r.get128(o.b))); }
    F64x2Ge(o) => { r.set128(o.dst, float::f64x2_ge(r.get128(o.a), r.get128(o.b))); }
    V128Not(o) => { r.set128(o.dst, int::v128_not(r.get128(o.src))); }
    V128And(o) => { r.set128(o.dst, int::v128_and(r.get128(o.a), r.get128(o.b))); }
    V128AndNot(o) => { r.set128(o.dst, int::v128_andnot(r.get128(o.a), r.get128(o.b))); }
    V128Or(o) => { r.set128(o.dst, int::v128_or(r.get128(o.a), r.get128(o.b))); }
    V128Xor(o) => { r.set128(o.dst, int::v128_xor(r.get128(o.a), r.get128(o.b))); }
    V128Bitselect(o) => { r.set128(o.dst, int::v128_bitselect(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    V128AnyTrue(o) => { r.set(o.dst, u32::from(int::v128_any_true(r.get128(o.src)))); }
    I8x16Abs(o) => { r.set128(o.dst, int::i8x16_abs(r.get128(o.src))); }
    I8x16Neg(o) => { r.set128(o.dst, int::i8x16_neg(r.get128(o.src))); }
    I8x16Popcnt(o) => { r.set128(o.dst, int::i8x16_popcnt(r.get128(o.src))); }
    I8x16AllTrue(o) => { r.set(o.dst, u32::from(int::i8x16_all_true(r.get128(o.src)))); }
    I8x16Bitmask(o) => { r.set(o.dst, int::i8x16_bitmask(r.get128(o.src))); }
    I8x16NarrowI16x8S(o) => { r.set128(o.dst, int::i8x16_narrow_i16x8_s(r.get128(o.a), r.get128(o.b))); }
    I8x16NarrowI16x8U(o) => { r.set128(o.dst, int::i8x16_narrow_i16x8_u(r.get128(o.a), r.get128(o.b))); }
    I8x16Shl(o) => { r.set128(o.dst, int::i8x16_shl(r.get128(o.a), r.get::<u32>(o.count))); }
    I8x16ShrS(o) => { r.set128(o.dst, int::i8x16_shr_s(r.get128(o.a), r.get::<u32>(o.count))); }
    I8x16ShrU(o) => { r.set128(o.dst, int::i8x16_shr_u(r.get128(o.a), r.get::<u32>(o.count))); }
    I8x16Add(o) => { r.set128(o.dst, int::i8x16_add(r.get128(o.a), r.get128(o.b))); }
    I8x16AddSatS(o) => { r.set128(o.dst, int::i8x16_add_sat_s(r.get128(o.a), r.get128(o.b))); }
    I8x16AddSatU(o) => { r.set128(o.dst, int::i8x16_add_sat_u(r.get128(o.a), r.get128(o.b))); }
    I8x16Sub(o) => { r.set128(o.dst, int::i8x16_sub(r.get128(o.a), r.get128(o.b))); }
    I8x16SubSatS(o) => { r.set128(o.dst, int::i8x16_sub_sat_s(r.get128(o.a), r.get128(o.b))); }
    I8x16SubSatU(o) => { r.set128(o.dst, int::i8x16_sub_sat_u(r.get128(o.a), r.get128(o.b))); }
    I8x16MinS(o) => { r.set128(o.dst, int::i8x16_min_s(r.get128(o.a), r.get128(o.b))); }
    I8x16MinU(o) => { r.set128(o.dst, int::i8x16_min_u(r.get128(o.a), r.get128(o.b))); }
    I8x16MaxS(o) => { r.set128(o.dst, int::i8x16_max_s(r.get128(o.a), r.get128(o.b))); }
    I8x16MaxU(o) => { r.set128(o.dst, int::i8x16_max_u(r.get128(o.a), r.get128(o.b))); }
    I8x16AvgrU(o) => { r.set128(o.dst, int::i8x16_avgr_u(r.get128(o.a), r.get128(o.b))); }
    I16x8ExtAddPairwiseI8x16S(o) => { r.set128(o.dst, int::i16x8_extadd_pairwise_i8x16_s(r.get128(o.src))); }
    I16x8ExtAddPairwiseI8x16U(o) => { r.set128(o.dst, int::i16x8_extadd_pairwise_i8x16_u(r.get128(o.src))); }
    I16x8Abs(o) => { r.set128(o.dst, int::i16x8_abs(r.get128(o.src))); }
    I16x8Neg(o) => { r.set128(o.dst, int::i16x8_neg(r.get128(o.src))); }
    I16x8Q15MulrSatS(o) => { r.set128(o.dst, int::i16x8_q15mulr_sat_s(r.get128(o.a), r.get128(o.b))); }
    I16x8AllTrue(o) => { r.set(o.dst, u32::from(int::i16x8_all_true(r.get128(o.src)))); }
    I16x8Bitmask(o) => { r.set(o.dst, int::i16x8_bitmask(r.get128(o.src))); }
    I16x8NarrowI32x4S(o) => { r.set128(o.dst, int::i16x8_narrow_i32x4_s(r.get128(o.a), r.get128(o.b))); }
    I16x8NarrowI32x4U(o) => { r.set128(o.dst, int::i16x8_narrow_i32x4_u(r.get128(o.a), r.get128(o.b))); }
    I16x8ExtendLowI8x16S(o) => { r.set128(o.dst, int::i16x8_extend_low_i8x16_s(r.get128(o.src))); }
    I16x8ExtendHighI8x16S(o) => { r.set128(o.dst, int::i16x8_extend_high_i8x16_s(r.get128(o.src))); }
    I16x8ExtendLowI8x16U(o) => { r.set128(o.dst, int::i16x8_extend_low_i8x16_u(r.get128(o.src))); }
    I16x8ExtendHighI8x16U(o) => { r.set128(o.dst, int::i16x8_extend_high_i8x16_u(r.get128(o.src))); }
    I16x8Shl(o) => { r.set128(o.dst, int::i16x8_shl(r.get128(o.a), r.get::<u32>(o.count))); }
    I16x8ShrS(o) => { r.set128(o.dst, int::i16x8_shr_s(r.get128(o.a), r.get::<u32>(o.count))); }
    I16x8ShrU(o) => { r.set128(o.dst, int::i16x8_shr_u(r.get128(o.a), r.get::<u32>(o.count))); }
    I16x8Add(o) => { r.set128(o.dst, int::i16x8_add(r.get128(o.a), r.get128(o.b))); }
    I16x8AddSatS(o) => { r.set128(o.dst, int::i16x8_add_sat_s(r.get128(o.a), r.get128(o.b))); }
    I16x8AddSatU(o) => { r.set128(o.dst, int::i16x8_add_sat_u(r.get128(o.a), r.get128(o.b))); }
    I16x8Sub(o) => { r.set128(o.dst, int::i16x8_sub(r.get128(o.a), r.get128(o.b))); }
    I16x8SubSatS(o) => { r.set128(o.dst, int::i16x8_sub_sat_s(r.get128(o.a), r.get128(o.b))); }
    I16x8SubSatU(o) => { r.set128(o.dst, int::i16x8_sub_sat_u(r.get128(o.a), r.get128(o.b))); }
    I16x8Mul(o) => { r.set128(o.dst, int::i16x8_mul(r.get128(o.a), r.get128(o.b))); }
    I16x8MinS(o) => { r.set128(o.dst, int::i16x8_min_s(r.get128(o.a), r.get128(o.b))); }
    I16x8MinU(o) => { r.set128(o.dst, int::i16x8_min_u(r.get128(o.a), r.get128(o.b))); }
    I16x8MaxS(o) => { r.set128(o.dst, int::i16x8_max_s(r.get128(o.a), r.get128(o.b))); }
    I16x8MaxU(o) => { r.set128(o.dst, int::i16x8_max_u(r.get128(o.a), r.get128(o.b))); }
    I16x8AvgrU(o) => { r.set128(o.dst, int::i16x8_avgr_u(r.get128(o.a), r.get128(o.b))); }
    I16x8ExtMulLowI8x16S(o) => { r.set128(o.dst, int::i16x8_extmul_low_i8x16_s(r.get128(o.a), r.get128(o.b))); }
    I16x8ExtMulHighI8x16S(o) => { r.set128(o.dst, int::i16x8_extmul_high_i8x16_s(r.get128(o.a), r.get128(o.b))); }
    I16x8ExtMulLowI8x16U(o) => { r.set128(o.dst, int::i16x8_extmul_low_i8x16_u(r.get128(o.a), r.get128(o.b))); }
    I16x8ExtMulHighI8x16U(o) => { r.set128(o.dst, int::i16x8_extmul_high_i8x16_u(r.get128(o.a), r.get128(o.b))); }
    I32x4ExtAddPairwiseI16x8S(o) => { r.set128(o.dst, int::i32x4_extadd_pairwise_i16x8_s(r.get128(o.src))); }
    I32x4ExtAddPairwiseI16x8U(o) => { r.set128(o.dst, int::i32x4_extadd_pairwise_i16x8_u(r.get128(o.src))); }
    I32x4Abs(o) => { r.set128(o.dst, int::i32x4_abs(r.get128(o.src))); }
    I32x4Neg(o) => { r.set128(o.dst, int::i32x4_neg(r.get128(o.src))); }
    I32x4AllTrue(o) => { r.set(o.dst, u32::from(int::i32x4_all_true(r.get128(o.src)))); }
    I32x4Bitmask(o) => { r.set(o.dst, int::i32x4_bitmask(r.get128(o.src))); }
    I32x4ExtendLowI16x8S(o) => { r.set128(o.dst, int::i32x4_extend_low_i16x8_s(r.get128(o.src))); }
    I32x4ExtendHighI16x8S(o) => { r.set128(o.dst, int::i32x4_extend_high_i16x8_s(r.get128(o.src))); }
    I32x4ExtendLowI16x8U(o) => { r.set128(o.dst, int::i32x4_extend_low_i16x8_u(r.get128(o.src))); }
    I32x4ExtendHighI16x8U(o) => { r.set128(o.dst, int::i32x4_extend_high_i16x8_u(r.get128(o.src))); }
    I32x4Shl(o) => { r.set128(o.dst, int::i32x4_shl(r.get128(o.a), r.get::<u32>(o.count))); }
    I32x4ShrS(o) => { r.set128(o.dst, int::i32x4_shr_s(r.get128(o.a), r.get::<u32>(o.count))); }
    I32x4ShrU(o) => { r.set128(o.dst, int::i32x4_shr_u(r.get128(o.a), r.get::<u32>(o.count))); }
    I32x4Add(o) => { r.set128(o.dst, int::i32x4_add(r.get128(o.a), r.get128(o.b))); }
    I32x4Sub(o) => { r.set128(o.dst, int::i32x4_sub(r.get128(o.a), r.get128(o.b))); }
    I32x4Mul(o) => { r.set128(o.dst, int::i32x4_mul(r.get128(o.a), r.get128(o.b))); }
    I32x4MinS(o) => { r.set128(o.dst, int::i32x4_min_s(r.get128(o.a), r.get128(o.b))); }
    I32x4MinU(o) => { r.set128(o.dst, int::i32x4_min_u(r.get128(o.a), r.get128(o.b))); }
    I32x4MaxS(o) => { r.set128(o.dst, int::i32x4_max_s(r.get128(o.a), r.get128(o.b))); }
    I32x4MaxU(o) => { r.set128(o.dst, int::i32x4_max_u(r.get128(o.a), r.get128(o.b))); }
    I32x4DotI16x8S(o) => { r.set128(o.dst, int::i32x4_dot_i16x8_s(r.get128(o.a), r.get128(o.b))); }
    I32x4ExtMulLowI16x8S(o) => { r.set128(o.dst, int::i32x4_extmul_low_i16x8_s(r.get128(o.a), r.get128(o.b))); }
    I32x4ExtMulHighI16x8S(o) => { r.set128(o.dst, int::i32x4_extmul_high_i16x8_s(r.get128(o.a), r.get128(o.b))); }
    I32x4ExtMulLowI16x8U(o) => { r.set128(o.dst, int::i32x4_extmul_low_i16x8_u(r.get128(o.a), r.get128(o.b))); }
    I32x4ExtMulHighI16x8U(o) => { r.set128(o.dst, int::i32x4_extmul_high_i16x8_u(r.get128(o.a), r.get128(o.b))); }
    I64x2Abs(o) => { r.set128(o.dst, int::i64x2_abs(r.get128(o.src))); }
    I64x2Neg(o) => { r.set128(o.dst, int::i64x2_neg(r.get128(o.src))); }
    I64x2AllTrue(o) => { r.set(o.dst, u32::from(int::i64x2_all_true(r.get128(o.src)))); }
    I64x2Bitmask(o) => { r.set(o.dst, int::i64x2_bitmask(r.get128(o.src))); }
    I64x2ExtendLowI32x4S(o) => { r.set128(o.dst, int::i64x2_extend_low_i32x4_s(r.get128(o.src))); }
    I64x2ExtendHighI32x4S(o) => { r.set128(o.dst, int::i64x2_extend_high_i32x4_s(r.get128(o.src))); }
    I64x2ExtendLowI32x4U(o) => { r.set128(o.dst, int::i64x2_extend_low_i32x4_u(r.get128(o.src))); }
    I64x2ExtendHighI32x4U(o) => { r.set128(o.dst, int::i64x2_extend_high_i32x4_u(r.get128(o.src))); }
    I64x2Shl(o) => { r.set128(o.dst, int::i64x2_shl(r.get128(o.a), r.get::<u32>(o.count))); }
    I64x2ShrS(o) => { r.set128(o.dst, int::i64x2_shr_s(r.get128(o.a), r.get::<u32>(o.count))); }
    I64x2ShrU(o) => { r.set128(o.dst, int::i64x2_shr_u(r.get128(o.a), r.get::<u32>(o.count))); }
    I64x2Add(o) => { r.set128(o.dst, int::i64x2_add(r.get128(o.a), r.get128(o.b))); }
    I64x2Sub(o) => { r.set128(o.dst, int::i64x2_sub(r.get128(o.a), r.get128(o.b))); }
    I64x2Mul(o) => { r.set128(o.dst, int::i64x2_mul(r.get128(o.a), r.get128(o.b))); }
    I64x2ExtMulLowI32x4S(o) => { r.set128(o.dst, int::i64x2_extmul_low_i32x4_s(r.get128(o.a), r.get128(o.b))); }
    I64x2ExtMulHighI32x4S(o) => { r.set128(o.dst, int::i64x2_extmul_high_i32x4_s(r.get128(o.a), r.get128(o.b))); }
    I64x2ExtMulLowI32x4U(o) => { r.set128(o.dst, int::i64x2_extmul_low_i32x4_u(r.get128(o.a), r.get128(o.b))); }
    I64x2ExtMulHighI32x4U(o) => { r.set128(o.dst, int::i64x2_extmul_high_i32x4_u(r.get128(o.a), r.get128(o.b))); }
    F32x4Ceil(o) => { r.set128(o.dst, float::f32x4_ceil(r.get128(o.src))); }
    F32x4Floor(o) => { r.set128(o.dst, float::f32x4_floor(r.get128(o.src))); }
    F32x4Trunc(o) => { r.set128(o.dst, float::f32x4_trunc(r.get128(o.src))); }
    F32x4Nearest(o) => { r.set128(o.dst, float::f32x4_nearest(r.get128(o.src))); }
    F32x4Abs(o) => { r.set128(o.dst, float::f32x4_abs(r.get128(o.src))); }
    F32x4Neg(o) => { r.set128(o.dst, float::f32x4_neg(r.get128(o.src))); }
    F32x4Sqrt(o) => { r.set128(o.dst, float::f32x4_sqrt(r.get128(o.src))); }
    F32x4Add(o) => { r.set128(o.dst, float::f32x4_add(r.get128(o.a), r.get128(o.b))); }
    F32x4Sub(o) => { r.set128(o.dst, float::f32x4_sub(r.get128(o.a), r.get128(o.b))); }
    F32x4Mul(o) => { r.set128(o.dst, float::f32x4_mul(r.get128(o.a), r.get128(o.b))); }
    F32x4Div(o) => { r.set128(o.dst, float::f32x4_div(r.get128(o.a), r.get128(o.b))); }
    F32x4Min(o) => { r.set128(o.dst, float::f32x4_min(r.get128(o.a), r.get128(o.b))); }
    F32x4Max(o) => { r.set128(o.dst, float::f32x4_max(r.get128(o.a), r.get128(o.b))); }
    F32x4PMin(o) => { r.set128(o.dst, float::f32x4_pmin(r.get128(o.a), r.get128(o.b))); }
    F32x4PMax(o) => { r.set128(o.dst, float::f32x4_pmax(r.get128(o.a), r.get128(o.b))); }
    F64x2Ceil(o) => { r.set128(o.dst, float::f64x2_ceil(r.get128(o.src))); }
    F64x2Floor(o) => { r.set128(o.dst, float::f64x2_floor(r.get128(o.src))); }
    F64x2Trunc(o) => { r.set128(o.dst, float::f64x2_trunc(r.get128(o.src))); }
    F64x2Nearest(o) => { r.set128(o.dst, float::f64x2_nearest(r.get128(o.src))); }
    F64x2Abs(o) => { r.set128(o.dst, float::f64x2_abs(r.get128(o.src))); }
    F64x2Neg(o) => { r.set128(o.dst, float::f64x2_neg(r.get128(o.src))); }
    F64x2Sqrt(o) => { r.set128(o.dst, float::f64x2_sqrt(r.get128(o.src))); }
    F64x2Add(o) => { r.set128(o.dst, float::f64x2_add(r.get128(o.a), r.get128(o.b))); }
    F64x2Sub(o) => { r.set128(o.dst, float::f64x2_sub(r.get128(o.a), r.get128(o.b))); }
    F64x2Mul(o) => { r.set128(o.dst, float::f64x2_mul(r.get128(o.a), r.get128(o.b))); }
    F64x2Div(o) => { r.set128(o.dst, float::f64x2_div(r.get128(o.a), r.get128(o.b))); }
    F64x2Min(o) => { r.set128(o.dst, float::f64x2_min(r.get128(o.a), r.get128(o.b))); }
    F64x2Max(o) => { r.set128(o.dst, float::f64x2_max(r.get128(o.a), r.get128(o.b))); }
    F64x2PMin(o) => { r.set128(o.dst, float::f64x2_pmin(r.get128(o.a), r.get128(o.b))); }
    F64x2PMax(o) => { r.set128(o.dst, float::f64x2_pmax(r.get128(o.a), r.get128(o.b))); }
    I32x4TruncSatF32x4S(o) => { r.set128(o.dst, float::i32x4_trunc_sat_f32x4_s(r.get128(o.src))); }
    I32x4TruncSatF32x4U(o) => { r.set128(o.dst, float::i32x4_trunc_sat_f32x4_u(r.get128(o.src))); }
    F32x4ConvertI32x4S(o) => { r.set128(o.dst, float::f32x4_convert_i32x4_s(r.get128(o.src))); }
    F32x4ConvertI32x4U(o) => { r.set128(o.dst, float::f32x4_convert_i32x4_u(r.get128(o.src))); }
    I32x4TruncSatF64x2SZero(o) => { r.set128(o.dst, float::i32x4_trunc_sat_f64x2_s_zero(r.get128(o.src))); }
    I32x4TruncSatF64x2UZero(o) => { r.set128(o.dst, float::i32x4_trunc_sat_f64x2_u_zero(r.get128(o.src))); }
    F64x2ConvertLowI32x4S(o) => { r.set128(o.dst, float::f64x2_convert_low_i32x4_s(r.get128(o.src))); }
    F64x2ConvertLowI32x4U(o) => { r.set128(o.dst, float::f64x2_convert_low_i32x4_u(r.get128(o.src))); }
    F32x4DemoteF64x2Zero(o) => { r.set128(o.dst, float::f32x4_demote_f64x2_zero(r.get128(o.src))); }
    F64x2PromoteLowF32x4(o) => { r.set128(o.dst, float::f64x2_promote_low_f32x4(r.get128(o.src))); }
    I8x16RelaxedSwizzle(o) => { r.set128(o.dst, relaxed::i8x16_relaxed_swizzle(r.get128(o.a), r.get128(o.b))); }
    I32x4RelaxedTruncF32x4S(o) => { r.set128(o.dst, relaxed::i32x4_relaxed_trunc_f32x4_s(r.get128(o.src))); }
    I32x4RelaxedTruncF32x4U(o) => { r.set128(o.dst, relaxed::i32x4_relaxed_trunc_f32x4_u(r.get128(o.src))); }
    I32x4RelaxedTruncF64x2SZero(o) => { r.set128(o.dst, relaxed::i32x4_relaxed_trunc_f64x2_s_zero(r.get128(o.src))); }
    I32x4RelaxedTruncF64x2UZero(o) => { r.set128(o.dst, relaxed::i32x4_relaxed_trunc_f64x2_u_zero(r.get128(o.src))); }
    F32x4RelaxedMadd(o) => { r.set128(o.dst, relaxed::f32x4_relaxed_madd(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    F32x4RelaxedNmadd(o) => { r.set128(o.dst, relaxed::f32x4_relaxed_nmadd(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    F64x2RelaxedMadd(o) => { r.set128(o.dst, relaxed::f64x2_relaxed_madd(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    F64x2RelaxedNmadd(o) => { r.set128(o.dst, relaxed::f64x2_relaxed_nmadd(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    I8x16RelaxedLaneselect(o) => { r.set128(o.dst, relaxed::i8x16_relaxed_laneselect(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    I16x8RelaxedLaneselect(o) => { r.set128(o.dst, relaxed::i16x8_relaxed_laneselect(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    I32x4RelaxedLaneselect(o) => { r.set128(o.dst, relaxed::i32x4_relaxed_laneselect(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    I64x2RelaxedLaneselect(o) => { r.set128(o.dst, relaxed::i64x2_relaxed_laneselect(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
    F32x4RelaxedMin(o) => { r.set128(o.dst, relaxed::f32x4_relaxed_min(r.get128(o.a), r.get128(o.b))); }
    F32x4RelaxedMax(o) => { r.set128(o.dst, relaxed::f32x4_relaxed_max(r.get128(o.a), r.get128(o.b))); }
    F64x2RelaxedMin(o) => { r.set128(o.dst, relaxed::f64x2_relaxed_min(r.get128(o.a), r.get128(o.b))); }
    F64x2RelaxedMax(o) => { r.set128(o.dst, relaxed::f64x2_relaxed_max(r.get128(o.a), r.get128(o.b))); }
    I16x8RelaxedQ15mulrS(o) => { r.set128(o.dst, relaxed::i16x8_relaxed_q15mulr_s(r.get128(o.a), r.get128(o.b))); }
    I16x8RelaxedDotI8x16I7x16S(o) => { r.set128(o.dst, relaxed::i16x8_relaxed_dot_i8x16_i7x16_s(r.get128(o.a), r.get128(o.b))); }
    I32x4RelaxedDotI8x16I7x16AddS(o) => { r.set128(o.dst, relaxed::i32x4_relaxed_dot_i8x16_i7x16_add_s(r.get128(o.a), r.get128(o.b), r.get128(o.c))); }
}
