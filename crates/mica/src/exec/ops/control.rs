//! Control: traps, jumps, conditional branches (on a condition slot, or on a comparison fused
//! with the branch) and `br_table`. Calls and returns are in `call.rs`.

use super::prelude::*;

impl Plain for kind::Trap {
    #[inline(always)]
    unsafe fn run(ip: *const Op, _: Locs<0>, _: Mem, ctx: &mut FastCtx) -> Exit {
        operands!(ip, Trap(code));
        ctx.stop = Stop::Trap(code);
        ctx.trap_at = ip;
        Exit(core::ptr::null())
    }
}

impl Plain for kind::BrTable {
    #[inline(always)]
    unsafe fn run(ip: *const Op, r: Locs<0>, mem: Mem, ctx: &mut FastCtx) -> Exit {
        operands!(ip, BrTable(table));
        // SAFETY: `ip` is this `br_table`, `table` its operands.
        next!(unsafe { br_table_target(ip, table, r.get::<u32>(table.index)) }, r, mem, ctx);
    }
}

/// Where the `br_table` at `ip` goes for `index`: the target of the entry it chooses. The
/// `len` entries follow the instruction, verified to be inside the code and to be `Br`s, so
/// this jumps straight to the chosen entry's target.
///
/// # Safety
///
/// `ip` is a `br_table` of the running function, with operands `table`.
#[inline(always)]
unsafe fn br_table_target(ip: *const Op, table: BrTable, index: u32) -> *const Op {
    let i = index.min(table.len - 1);
    // SAFETY: as the comment above says.
    let entry = unsafe { ip.add(1 + i as usize) };
    // SAFETY: as the comment above says.
    let Instr::Br(jump) = (unsafe { &*entry }).instr else {
        // SAFETY: as the comment above says.
        unsafe { core::hint::unreachable_unchecked() }
    };
    // SAFETY: a verified branch target inside the code, in bytes (`encode`).
    unsafe { entry.byte_offset(jump.offset as isize) }
}

steps! {
    (ip, r, mem, ctx);
    // Fuel for the straight-line code that follows: charged whole, or not at all (the
    // instruction stops before it, so a resumed call runs it again).
    Fuel(o) => {
        let amount = u64::from(o.amount);
        if ctx.fuel < amount {
            fail!(Err::<(), _>(TrapCode::OutOfFuel));
        }
        ctx.fuel -= amount;
    }
    Br(o) => { jump!(o.offset); }
    // (As a step only in the triple that loads an opcode and dispatches on it: `triples.rs`.)
    // SAFETY: `ip` is this `br_table`, `o` its operands.
    BrTable(o) => { return fuse::Flow::Jump(unsafe { br_table_target(ip, *o, r.x::<u32>(o.index)) }); }
    BrIfNez(o) => { if r.x::<u32>(o.cond) != 0 { jump!(o.offset); } }
    BrIfEqz(o) => { if r.x::<u32>(o.cond) == 0 { jump!(o.offset); } }
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
}
