//! Integer arithmetic, bit operations and comparisons, `i32` and `i64`: the steps of their
//! handlers (`threaded/fuse.rs` runs them alone or fused with a neighbour).

use super::prelude::*;

steps! {
    (ip, r, mem, ctx);
    I32Eqz(o) => { r.un(o, |x: u32| x == 0); }
    I32Clz(o) => { r.un(o, |x: u32| x.leading_zeros()); }
    I32Ctz(o) => { r.un(o, |x: u32| x.trailing_zeros()); }
    I32Popcnt(o) => { r.un(o, |x: u32| x.count_ones()); }
    I32Extend8S(o) => { r.un(o, |x: i32| x as i8 as i32); }
    I32Extend16S(o) => { r.un(o, |x: i32| x as i16 as i32); }
    I32Add(o) => { r.bin(o, i32::wrapping_add); }
    I32Sub(o) => { r.bin(o, i32::wrapping_sub); }
    I32Mul(o) => { r.bin(o, i32::wrapping_mul); }
    I32DivS(o) => { fail!(r.try_bin(o, values::i32_div_s)); }
    I32DivU(o) => { fail!(r.try_bin(o, values::i32_div_u)); }
    I32RemS(o) => { fail!(r.try_bin(o, values::i32_rem_s)); }
    I32RemU(o) => { fail!(r.try_bin(o, values::i32_rem_u)); }
    I32And(o) => { r.bin(o, |a: u32, b| a & b); }
    I32Or(o) => { r.bin(o, |a: u32, b| a | b); }
    I32Xor(o) => { r.bin(o, |a: u32, b| a ^ b); }
    I32Shl(o) => { r.bin(o, |a: u32, b| a.wrapping_shl(b)); }
    I32ShrS(o) => { r.bin(o, |a: i32, b| a.wrapping_shr(b as u32)); }
    I32ShrU(o) => { r.bin(o, |a: u32, b| a.wrapping_shr(b)); }
    I32Rotl(o) => { r.bin(o, |a: u32, b| a.rotate_left(b)); }
    I32Rotr(o) => { r.bin(o, |a: u32, b| a.rotate_right(b)); }
    I32Eq(o) => { r.bin(o, |a: u32, b| a == b); }
    I32Ne(o) => { r.bin(o, |a: u32, b| a != b); }
    I32LtS(o) => { r.bin(o, |a: i32, b| a < b); }
    I32LtU(o) => { r.bin(o, |a: u32, b| a < b); }
    I32GtS(o) => { r.bin(o, |a: i32, b| a > b); }
    I32GtU(o) => { r.bin(o, |a: u32, b| a > b); }
    I32LeS(o) => { r.bin(o, |a: i32, b| a <= b); }
    I32LeU(o) => { r.bin(o, |a: u32, b| a <= b); }
    I32GeS(o) => { r.bin(o, |a: i32, b| a >= b); }
    I32GeU(o) => { r.bin(o, |a: u32, b| a >= b); }
    I32AddImm(o) => { r.bin_imm(o, i32::wrapping_add); }
    I32SubImm(o) => { r.bin_imm(o, i32::wrapping_sub); }
    I32MulImm(o) => { r.bin_imm(o, i32::wrapping_mul); }
    I32AndImm(o) => { r.bin_imm(o, |a: u32, b| a & b); }
    I32OrImm(o) => { r.bin_imm(o, |a: u32, b| a | b); }
    I32XorImm(o) => { r.bin_imm(o, |a: u32, b| a ^ b); }
    I32ShlImm(o) => { r.bin_imm(o, |a: u32, b| a.wrapping_shl(b)); }
    I32ShrSImm(o) => { r.bin_imm(o, |a: i32, b| a.wrapping_shr(b as u32)); }
    I32ShrUImm(o) => { r.bin_imm(o, |a: u32, b| a.wrapping_shr(b)); }
    I32RotlImm(o) => { r.bin_imm(o, |a: u32, b| a.rotate_left(b)); }
    I32RotrImm(o) => { r.bin_imm(o, |a: u32, b| a.rotate_right(b)); }
    I32EqImm(o) => { r.bin_imm(o, |a: u32, b| a == b); }
    I32NeImm(o) => { r.bin_imm(o, |a: u32, b| a != b); }
    I32LtSImm(o) => { r.bin_imm(o, |a: i32, b| a < b); }
    I32LtUImm(o) => { r.bin_imm(o, |a: u32, b| a < b); }
    I32GtSImm(o) => { r.bin_imm(o, |a: i32, b| a > b); }
    I32GtUImm(o) => { r.bin_imm(o, |a: u32, b| a > b); }
    I32LeSImm(o) => { r.bin_imm(o, |a: i32, b| a <= b); }
    I32LeUImm(o) => { r.bin_imm(o, |a: u32, b| a <= b); }
    I32GeSImm(o) => { r.bin_imm(o, |a: i32, b| a >= b); }
    I32GeUImm(o) => { r.bin_imm(o, |a: u32, b| a >= b); }
    I64Eqz(o) => { r.un(o, |x: u64| x == 0); }
    I64Clz(o) => { r.un(o, |x: u64| x.leading_zeros() as u64); }
    I64Ctz(o) => { r.un(o, |x: u64| x.trailing_zeros() as u64); }
    I64Popcnt(o) => { r.un(o, |x: u64| x.count_ones() as u64); }
    I64Extend8S(o) => { r.un(o, |x: i64| x as i8 as i64); }
    I64Add128(o) => { let (a, b) = wide_operands(r, o.args); wide_result(r, o.args, a.wrapping_add(b)); }
    I64Sub128(o) => { let (a, b) = wide_operands(r, o.args); wide_result(r, o.args, a.wrapping_sub(b)); }
    I64MulWideS(o) => { let (a, b) = (r.get::<i64>(o.args), r.get::<i64>(o.args + 1)); wide_result(r, o.args, (a as i128 * b as i128) as u128); }
    I64MulWideU(o) => { let (a, b) = (r.get::<u64>(o.args), r.get::<u64>(o.args + 1)); wide_result(r, o.args, a as u128 * b as u128); }
    I64Extend16S(o) => { r.un(o, |x: i64| x as i16 as i64); }
    I64Extend32S(o) => { r.un(o, |x: i64| x as i32 as i64); }
    I64Add(o) => { r.bin(o, i64::wrapping_add); }
    I64Sub(o) => { r.bin(o, i64::wrapping_sub); }
    I64Mul(o) => { r.bin(o, i64::wrapping_mul); }
    I64DivS(o) => { fail!(r.try_bin(o, values::i64_div_s)); }
    I64DivU(o) => { fail!(r.try_bin(o, values::i64_div_u)); }
    I64RemS(o) => { fail!(r.try_bin(o, values::i64_rem_s)); }
    I64RemU(o) => { fail!(r.try_bin(o, values::i64_rem_u)); }
    I64And(o) => { r.bin(o, |a: u64, b| a & b); }
    I64Or(o) => { r.bin(o, |a: u64, b| a | b); }
    I64Xor(o) => { r.bin(o, |a: u64, b| a ^ b); }
    I64Shl(o) => { r.bin(o, |a: u64, b| a.wrapping_shl(b as u32)); }
    I64ShrS(o) => { r.bin(o, |a: i64, b| a.wrapping_shr(b as u32)); }
    I64ShrU(o) => { r.bin(o, |a: u64, b| a.wrapping_shr(b as u32)); }
    I64Rotl(o) => { r.bin(o, |a: u64, b| a.rotate_left(b as u32)); }
    I64Rotr(o) => { r.bin(o, |a: u64, b| a.rotate_right(b as u32)); }
    I64Eq(o) => { r.bin(o, |a: u64, b| a == b); }
    I64Ne(o) => { r.bin(o, |a: u64, b| a != b); }
    I64LtS(o) => { r.bin(o, |a: i64, b| a < b); }
    I64LtU(o) => { r.bin(o, |a: u64, b| a < b); }
    I64GtS(o) => { r.bin(o, |a: i64, b| a > b); }
    I64GtU(o) => { r.bin(o, |a: u64, b| a > b); }
    I64LeS(o) => { r.bin(o, |a: i64, b| a <= b); }
    I64LeU(o) => { r.bin(o, |a: u64, b| a <= b); }
    I64GeS(o) => { r.bin(o, |a: i64, b| a >= b); }
    I64GeU(o) => { r.bin(o, |a: u64, b| a >= b); }
    I64AddImm(o) => { r.bin_imm(o, i64::wrapping_add); }
    I64SubImm(o) => { r.bin_imm(o, i64::wrapping_sub); }
    I64MulImm(o) => { r.bin_imm(o, i64::wrapping_mul); }
    I64AndImm(o) => { r.bin_imm(o, |a: u64, b| a & b); }
    I64OrImm(o) => { r.bin_imm(o, |a: u64, b| a | b); }
    I64XorImm(o) => { r.bin_imm(o, |a: u64, b| a ^ b); }
    I64ShlImm(o) => { r.bin_imm(o, |a: u64, b| a.wrapping_shl(b as u32)); }
    I64ShrSImm(o) => { r.bin_imm(o, |a: i64, b| a.wrapping_shr(b as u32)); }
    I64ShrUImm(o) => { r.bin_imm(o, |a: u64, b| a.wrapping_shr(b as u32)); }
    I64RotlImm(o) => { r.bin_imm(o, |a: u64, b| a.rotate_left(b as u32)); }
    I64RotrImm(o) => { r.bin_imm(o, |a: u64, b| a.rotate_right(b as u32)); }
    I64EqImm(o) => { r.bin_imm(o, |a: u64, b| a == b); }
    I64NeImm(o) => { r.bin_imm(o, |a: u64, b| a != b); }
    I64LtSImm(o) => { r.bin_imm(o, |a: i64, b| a < b); }
    I64LtUImm(o) => { r.bin_imm(o, |a: u64, b| a < b); }
    I64GtSImm(o) => { r.bin_imm(o, |a: i64, b| a > b); }
    I64GtUImm(o) => { r.bin_imm(o, |a: u64, b| a > b); }
    I64LeSImm(o) => { r.bin_imm(o, |a: i64, b| a <= b); }
    I64LeUImm(o) => { r.bin_imm(o, |a: u64, b| a <= b); }
    I64GeSImm(o) => { r.bin_imm(o, |a: i64, b| a >= b); }
    I64GeUImm(o) => { r.bin_imm(o, |a: u64, b| a >= b); }
}

/// The two 128-bit operands of `i64.add128`/`i64.sub128`, from four slots (low halves first).
#[inline(always)]
fn wide_operands<const F: u8>(r: &Locs<F>, args: Slot) -> (u128, u128) {
    let cell = |i: Slot| r.get::<u64>(args + i) as u128;
    (cell(0) | cell(1) << 64, cell(2) | cell(3) << 64)
}

/// Writes a 128-bit result to two slots, low half first.
#[inline(always)]
fn wide_result<const F: u8>(r: &Locs<F>, args: Slot, value: u128) {
    r.set(args, value as u64);
    r.set(args + 1, (value >> 64) as u64);
}
