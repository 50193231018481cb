//! The handler of every instruction that has one, by instruction: an arm's body runs the
//! instruction (see `handlers!` in the parent module for what an arm may do). Arms under
//! `plain` and `simple` never take an operand from the accumulator; arms under `acc` get a
//! handler per accumulator form. `simple` and `acc` arms can be fused with the instruction
//! that follows them (`fuse.rs`).

use super::*;

handlers! {
    (ip, r, mem, ctx);
    plain {
        Trap(code) => {
            ctx.stop = Stop::Trap(code);
            return Exit(core::ptr::null());
        }
        BrTable { index, len } => {
            // The `len` entries follow, verified to be inside the code and to be `Br`s: this
            // jumps straight to the chosen entry's target.
            let i = r.get::<u32>(index).min(len - 1);
            // SAFETY: as the comment above says.
            let entry = unsafe { ip.add(1 + i as usize) };
            // SAFETY: as the comment above says.
            let Instr::Br(offset) = (unsafe { &*entry }).instr else {
                // SAFETY: as the comment above says.
                unsafe { core::hint::unreachable_unchecked() }
            };
            // SAFETY: a verified branch target inside the code, in bytes (`encode`).
            next!(unsafe { entry.byte_offset(offset as isize) }, r, mem, ctx);
        }
        // Calls and returns: `calls.rs`, shared with the fused handlers that end in them.
        Call { .. } => {
            // SAFETY: `ip` is this instruction, and `r`, `mem` and `ctx` are current.
            return unsafe { calls::call(ip, r, mem, ctx) };
        }
        CallIndirect { .. } => {
            // SAFETY: as for `Call`.
            return unsafe { calls::call_indirect(ip, r, mem, ctx) };
        }
        ReturnCall { .. } => {
            // SAFETY: as for `Call`.
            return unsafe { calls::return_call(ip, r, mem, ctx) };
        }
        ReturnCallIndirect { .. } => {
            // SAFETY: as for `Call`.
            return unsafe { calls::return_call_indirect(ip, r, mem, ctx) };
        }
        Return(_) => {
            // SAFETY: as for `Call`.
            return unsafe { calls::ret(ip, r, mem, ctx) };
        }
    }
    simple {
        Br(offset) => { jump!(offset); }
        Copy(o) => { r.un(&o, |x: Cell| x); }
        Const32 { dst, value } => { r.set(dst, value); }
        // SAFETY: the constant index is verified against the pool, which `ctx` points at.
        Const64 { dst, index } => { r.set(dst, unsafe { *ctx.consts.add(index as usize) }); }
        Select { dst, cond, a, b } => {
            let pick = if r.get::<u32>(cond) != 0 { a } else { b };
            r.set(dst, r.get::<Cell>(pick));
        }
        GlobalGet { dst, global } => {
            // SAFETY: `global` is a valid global index of the running instance (validation),
            // whose entries are valid store indices; `ctx` is current (module docs).
            let value = unsafe { (*ctx.globals.add(*ctx.instance_globals.add(global as usize) as usize)).value };
            r.set(dst, value);
        }
        GlobalSet { src, global } => {
            // SAFETY: as for `GlobalGet`.
            unsafe { (*ctx.globals.add(*ctx.instance_globals.add(global as usize) as usize)).value = r.get::<Cell>(src) };
        }
        RefIsNull(o) => { r.un(&o, |x: Cell| x == NULL_REF); }
        MemorySize { dst } => { r.set(dst, (mem.len / PAGE_SIZE) as u32); }
    }
    acc {
        BrIfNez { cond, offset } => { if r.x::<u32>(*cond) != 0 { jump!(*offset); } }
        BrIfEqz { cond, offset } => { if r.x::<u32>(*cond) == 0 { jump!(*offset); } }
        BrI32Eq(o) => { if r.x::<u32>(o.a) == r.y::<u32>(o.b) { jump!(o.offset); } }
        BrI32EqImm(o) => { if r.x::<u32>(o.a) == o.imm as i64 as u32 { jump!(o.offset); } }
        BrI32Ne(o) => { if r.x::<u32>(o.a) != r.y::<u32>(o.b) { jump!(o.offset); } }
        BrI32NeImm(o) => { if r.x::<u32>(o.a) != o.imm as i64 as u32 { jump!(o.offset); } }
        BrI32LtS(o) => { if r.x::<i32>(o.a) < r.y::<i32>(o.b) { jump!(o.offset); } }
        BrI32LtSImm(o) => { if r.x::<i32>(o.a) < o.imm as i64 as i32 { jump!(o.offset); } }
        BrI32LtU(o) => { if r.x::<u32>(o.a) < r.y::<u32>(o.b) { jump!(o.offset); } }
        BrI32LtUImm(o) => { if r.x::<u32>(o.a) < o.imm as i64 as u32 { jump!(o.offset); } }
        BrI32GtS(o) => { if r.x::<i32>(o.a) > r.y::<i32>(o.b) { jump!(o.offset); } }
        BrI32GtSImm(o) => { if r.x::<i32>(o.a) > o.imm as i64 as i32 { jump!(o.offset); } }
        BrI32GtU(o) => { if r.x::<u32>(o.a) > r.y::<u32>(o.b) { jump!(o.offset); } }
        BrI32GtUImm(o) => { if r.x::<u32>(o.a) > o.imm as i64 as u32 { jump!(o.offset); } }
        BrI32LeS(o) => { if r.x::<i32>(o.a) <= r.y::<i32>(o.b) { jump!(o.offset); } }
        BrI32LeSImm(o) => { if r.x::<i32>(o.a) <= o.imm as i64 as i32 { jump!(o.offset); } }
        BrI32LeU(o) => { if r.x::<u32>(o.a) <= r.y::<u32>(o.b) { jump!(o.offset); } }
        BrI32LeUImm(o) => { if r.x::<u32>(o.a) <= o.imm as i64 as u32 { jump!(o.offset); } }
        BrI32GeS(o) => { if r.x::<i32>(o.a) >= r.y::<i32>(o.b) { jump!(o.offset); } }
        BrI32GeSImm(o) => { if r.x::<i32>(o.a) >= o.imm as i64 as i32 { jump!(o.offset); } }
        BrI32GeU(o) => { if r.x::<u32>(o.a) >= r.y::<u32>(o.b) { jump!(o.offset); } }
        BrI32GeUImm(o) => { if r.x::<u32>(o.a) >= o.imm as i64 as u32 { jump!(o.offset); } }
        BrI64Eq(o) => { if r.x::<u64>(o.a) == r.y::<u64>(o.b) { jump!(o.offset); } }
        BrI64EqImm(o) => { if r.x::<u64>(o.a) == o.imm as i64 as u64 { jump!(o.offset); } }
        BrI64Ne(o) => { if r.x::<u64>(o.a) != r.y::<u64>(o.b) { jump!(o.offset); } }
        BrI64NeImm(o) => { if r.x::<u64>(o.a) != o.imm as i64 as u64 { jump!(o.offset); } }
        BrI64LtS(o) => { if r.x::<i64>(o.a) < r.y::<i64>(o.b) { jump!(o.offset); } }
        BrI64LtSImm(o) => { if r.x::<i64>(o.a) < o.imm as i64 { jump!(o.offset); } }
        BrI64LtU(o) => { if r.x::<u64>(o.a) < r.y::<u64>(o.b) { jump!(o.offset); } }
        BrI64LtUImm(o) => { if r.x::<u64>(o.a) < o.imm as i64 as u64 { jump!(o.offset); } }
        BrI64GtS(o) => { if r.x::<i64>(o.a) > r.y::<i64>(o.b) { jump!(o.offset); } }
        BrI64GtSImm(o) => { if r.x::<i64>(o.a) > o.imm as i64 { jump!(o.offset); } }
        BrI64GtU(o) => { if r.x::<u64>(o.a) > r.y::<u64>(o.b) { jump!(o.offset); } }
        BrI64GtUImm(o) => { if r.x::<u64>(o.a) > o.imm as i64 as u64 { jump!(o.offset); } }
        BrI64LeS(o) => { if r.x::<i64>(o.a) <= r.y::<i64>(o.b) { jump!(o.offset); } }
        BrI64LeSImm(o) => { if r.x::<i64>(o.a) <= o.imm as i64 { jump!(o.offset); } }
        BrI64LeU(o) => { if r.x::<u64>(o.a) <= r.y::<u64>(o.b) { jump!(o.offset); } }
        BrI64LeUImm(o) => { if r.x::<u64>(o.a) <= o.imm as i64 as u64 { jump!(o.offset); } }
        BrI64GeS(o) => { if r.x::<i64>(o.a) >= r.y::<i64>(o.b) { jump!(o.offset); } }
        BrI64GeSImm(o) => { if r.x::<i64>(o.a) >= o.imm as i64 { jump!(o.offset); } }
        BrI64GeU(o) => { if r.x::<u64>(o.a) >= r.y::<u64>(o.b) { jump!(o.offset); } }
        BrI64GeUImm(o) => { if r.x::<u64>(o.a) >= o.imm as i64 as u64 { jump!(o.offset); } }


        I32Load(o) => { fail!(mem.load(r, o, i32::from_le_bytes)); }
        I64Load(o) => { fail!(mem.load(r, o, i64::from_le_bytes)); }
        F32Load(o) => { fail!(mem.load(r, o, u32::from_le_bytes)); }
        F64Load(o) => { fail!(mem.load(r, o, f64::from_le_bytes)); }
        I32Load8S(o) => { fail!(mem.load(r, o, |b: [u8; 1]| b[0] as i8 as i32)); }
        I32Load8U(o) => { fail!(mem.load(r, o, |b: [u8; 1]| b[0] as u32)); }
        I32Load16S(o) => { fail!(mem.load(r, o, |b| i16::from_le_bytes(b) as i32)); }
        I32Load16U(o) => { fail!(mem.load(r, o, |b| u16::from_le_bytes(b) as u32)); }
        I64Load8S(o) => { fail!(mem.load(r, o, |b: [u8; 1]| b[0] as i8 as i64)); }
        I64Load8U(o) => { fail!(mem.load(r, o, |b: [u8; 1]| b[0] as u64)); }
        I64Load16S(o) => { fail!(mem.load(r, o, |b| i16::from_le_bytes(b) as i64)); }
        I64Load16U(o) => { fail!(mem.load(r, o, |b| u16::from_le_bytes(b) as u64)); }
        I64Load32S(o) => { fail!(mem.load(r, o, |b| i32::from_le_bytes(b) as i64)); }
        I64Load32U(o) => { fail!(mem.load(r, o, |b| u32::from_le_bytes(b) as u64)); }
        I32RotlImm(o) => { r.bin_imm(o, |a: u32, b| a.rotate_left(b)); }
        I32RotrImm(o) => { r.bin_imm(o, |a: u32, b| a.rotate_right(b)); }
        I64RotlImm(o) => { r.bin_imm(o, |a: u64, b| a.rotate_left(b as u32)); }
        I64RotrImm(o) => { r.bin_imm(o, |a: u64, b| a.rotate_right(b as u32)); }
        I32StoreImm(o) => { fail!(mem.store_imm(r, o, |x: i32| x.to_le_bytes())); }
        I32Store8Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| [x as u8])); }
        I32Store16Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| (x as u16).to_le_bytes())); }
        I64StoreImm(o) => { fail!(mem.store_imm(r, o, |x: i32| (x as i64).to_le_bytes())); }
        I64Store8Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| [x as u8])); }
        I64Store16Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| (x as u16).to_le_bytes())); }
        I64Store32Imm(o) => { fail!(mem.store_imm(r, o, |x: i32| x.to_le_bytes())); }
        I32Store(o) => { fail!(mem.store(r, o, u32::to_le_bytes)); }
        I64Store(o) => { fail!(mem.store(r, o, u64::to_le_bytes)); }
        F32Store(o) => { fail!(mem.store(r, o, u32::to_le_bytes)); }
        F64Store(o) => { fail!(mem.store(r, o, f64::to_le_bytes)); }
        I32Store8(o) => { fail!(mem.store(r, o, |x: u32| [x as u8])); }
        I32Store16(o) => { fail!(mem.store(r, o, |x: u32| (x as u16).to_le_bytes())); }
        I64Store8(o) => { fail!(mem.store(r, o, |x: u64| [x as u8])); }
        I64Store16(o) => { fail!(mem.store(r, o, |x: u64| (x as u16).to_le_bytes())); }
        I64Store32(o) => { fail!(mem.store(r, o, |x: u64| (x as u32).to_le_bytes())); }
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
        F32Abs(o) => { r.un(o, values::f32_abs); }
        F32Neg(o) => { r.un(o, values::f32_neg); }
        F32Ceil(o) => { r.un(o, rounding::f32_ceil); }
        F32Floor(o) => { r.un(o, rounding::f32_floor); }
        F32Trunc(o) => { r.un(o, rounding::f32_trunc); }
        F32Nearest(o) => { r.un(o, rounding::f32_nearest); }
        F32Sqrt(o) => { r.un(o, rounding::f32_sqrt); }
        F32Add(o) => { r.bin(o, |a: f32, b| a + b); }
        F32Sub(o) => { r.bin(o, |a: f32, b| a - b); }
        F32Mul(o) => { r.bin(o, |a: f32, b| a * b); }
        F32Div(o) => { r.bin(o, |a: f32, b| a / b); }
        F32Min(o) => { r.bin(o, values::f32_min); }
        F32Max(o) => { r.bin(o, values::f32_max); }
        F32Copysign(o) => { r.bin(o, values::f32_copysign); }
        F32Eq(o) => { r.bin(o, |a: f32, b| a == b); }
        F32Ne(o) => { r.bin(o, |a: f32, b| a != b); }
        F32Lt(o) => { r.bin(o, |a: f32, b| a < b); }
        F32Gt(o) => { r.bin(o, |a: f32, b| a > b); }
        F32Le(o) => { r.bin(o, |a: f32, b| a <= b); }
        F32Ge(o) => { r.bin(o, |a: f32, b| a >= b); }
        F64Abs(o) => { r.un(o, values::f64_abs); }
        F64Neg(o) => { r.un(o, values::f64_neg); }
        F64Ceil(o) => { r.un(o, rounding::f64_ceil); }
        F64Floor(o) => { r.un(o, rounding::f64_floor); }
        F64Trunc(o) => { r.un(o, rounding::f64_trunc); }
        F64Nearest(o) => { r.un(o, rounding::f64_nearest); }
        F64Sqrt(o) => { r.un(o, rounding::f64_sqrt); }
        F64Add(o) => { r.bin(o, |a: f64, b| a + b); }
        F64Sub(o) => { r.bin(o, |a: f64, b| a - b); }
        F64Mul(o) => { r.bin(o, |a: f64, b| a * b); }
        F64Div(o) => { r.bin(o, |a: f64, b| a / b); }
        F64Min(o) => { r.bin(o, values::f64_min); }
        F64Max(o) => { r.bin(o, values::f64_max); }
        F64Copysign(o) => { r.bin(o, values::f64_copysign); }
        F64Eq(o) => { r.bin(o, |a: f64, b| a == b); }
        F64Ne(o) => { r.bin(o, |a: f64, b| a != b); }
        F64Lt(o) => { r.bin(o, |a: f64, b| a < b); }
        F64Gt(o) => { r.bin(o, |a: f64, b| a > b); }
        F64Le(o) => { r.bin(o, |a: f64, b| a <= b); }
        F64Ge(o) => { r.bin(o, |a: f64, b| a >= b); }
        I32WrapI64(o) => { r.un(o, |x: u64| x as u32); }
        I32TruncF32S(o) => { fail!(r.try_un(o, values::i32_trunc_f32_s)); }
        I32TruncF32U(o) => { fail!(r.try_un(o, values::i32_trunc_f32_u)); }
        I32TruncF64S(o) => { fail!(r.try_un(o, values::i32_trunc_f64_s)); }
        I32TruncF64U(o) => { fail!(r.try_un(o, values::i32_trunc_f64_u)); }
        I64ExtendI32S(o) => { r.un(o, |x: i32| x as i64); }
        I64ExtendI32U(o) => { r.un(o, |x: u32| x as u64); }
        I64TruncF32S(o) => { fail!(r.try_un(o, values::i64_trunc_f32_s)); }
        I64TruncF32U(o) => { fail!(r.try_un(o, values::i64_trunc_f32_u)); }
        I64TruncF64S(o) => { fail!(r.try_un(o, values::i64_trunc_f64_s)); }
        I64TruncF64U(o) => { fail!(r.try_un(o, values::i64_trunc_f64_u)); }
        F32ConvertI32S(o) => { r.un(o, |x: i32| x as f32); }
        F32ConvertI32U(o) => { r.un(o, |x: u32| x as f32); }
        F32ConvertI64S(o) => { r.un(o, |x: i64| x as f32); }
        F32ConvertI64U(o) => { r.un(o, |x: u64| x as f32); }
        F32DemoteF64(o) => { r.un(o, |x: f64| x as f32); }
        F64ConvertI32S(o) => { r.un(o, |x: i32| x as f64); }
        F64ConvertI32U(o) => { r.un(o, |x: u32| x as f64); }
        F64ConvertI64S(o) => { r.un(o, |x: i64| x as f64); }
        F64ConvertI64U(o) => { r.un(o, |x: u64| x as f64); }
        F64PromoteF32(o) => { r.un(o, |x: f32| x as f64); }
        I32TruncSatF32S(o) => { r.un(o, |x: f32| x as i32); }
        I32TruncSatF32U(o) => { r.un(o, |x: f32| x as u32); }
        I32TruncSatF64S(o) => { r.un(o, |x: f64| x as i32); }
        I32TruncSatF64U(o) => { r.un(o, |x: f64| x as u32); }
        I64TruncSatF32S(o) => { r.un(o, |x: f32| x as i64); }
        I64TruncSatF32U(o) => { r.un(o, |x: f32| x as u64); }
        I64TruncSatF64S(o) => { r.un(o, |x: f64| x as i64); }
        I64TruncSatF64U(o) => { r.un(o, |x: f64| x as u64); }


    }
}
