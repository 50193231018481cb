//! What the translator and the verifier ask of branch instructions: their offsets, and the
//! branch with the opposite condition or fused with a comparison.

use super::{BrBin, BrImm, Bin, BinImm, Instr};

impl Instr {
    /// The branch offset of a jump.
    pub(crate) fn branch_offset(&self) -> Option<i32> {
        let mut copy = *self;
        copy.branch_offset_mut().copied()
    }

    /// The branch offset of a jump, for patching.
    pub(crate) fn branch_offset_mut(&mut self) -> Option<&mut i32> {
        use Instr::*;
        match self {
            Br(offset) | BrIfNez { offset, .. } | BrIfEqz { offset, .. } => Some(offset),
            BrI32Eq(BrBin { offset, .. }) | BrI32Ne(BrBin { offset, .. }) | BrI32LtS(BrBin { offset, .. }) | BrI32LtU(BrBin { offset, .. }) | BrI32GtS(BrBin { offset, .. }) | BrI32GtU(BrBin { offset, .. }) | BrI32LeS(BrBin { offset, .. }) | BrI32LeU(BrBin { offset, .. }) | BrI32GeS(BrBin { offset, .. }) | BrI32GeU(BrBin { offset, .. }) | BrI64Eq(BrBin { offset, .. }) | BrI64Ne(BrBin { offset, .. }) | BrI64LtS(BrBin { offset, .. }) | BrI64LtU(BrBin { offset, .. }) | BrI64GtS(BrBin { offset, .. }) | BrI64GtU(BrBin { offset, .. }) | BrI64LeS(BrBin { offset, .. }) | BrI64LeU(BrBin { offset, .. }) | BrI64GeS(BrBin { offset, .. }) | BrI64GeU(BrBin { offset, .. }) => Some(offset),
            BrI32EqImm(BrImm { offset, .. }) | BrI32NeImm(BrImm { offset, .. }) | BrI32LtSImm(BrImm { offset, .. }) | BrI32LtUImm(BrImm { offset, .. }) | BrI32GtSImm(BrImm { offset, .. }) | BrI32GtUImm(BrImm { offset, .. }) | BrI32LeSImm(BrImm { offset, .. }) | BrI32LeUImm(BrImm { offset, .. }) | BrI32GeSImm(BrImm { offset, .. }) | BrI32GeUImm(BrImm { offset, .. }) | BrI64EqImm(BrImm { offset, .. }) | BrI64NeImm(BrImm { offset, .. }) | BrI64LtSImm(BrImm { offset, .. }) | BrI64LtUImm(BrImm { offset, .. }) | BrI64GtSImm(BrImm { offset, .. }) | BrI64GtUImm(BrImm { offset, .. }) | BrI64LeSImm(BrImm { offset, .. }) | BrI64LeUImm(BrImm { offset, .. }) | BrI64GeSImm(BrImm { offset, .. }) | BrI64GeUImm(BrImm { offset, .. }) => Some(offset),
            _ => None,
        }
    }

    /// The conditional branch with the opposite condition and the same operands and offset,
    /// for a conditional branch; `None` for anything else.
    pub(crate) fn negated_branch(self) -> Option<Instr> {
        use Instr::*;
        Some(match self {
            BrIfNez { cond, offset } => BrIfEqz { cond, offset },
            BrIfEqz { cond, offset } => BrIfNez { cond, offset },
            BrI32Eq(o) => BrI32Ne(o),
            BrI32Ne(o) => BrI32Eq(o),
            BrI32LtS(o) => BrI32GeS(o),
            BrI32GeS(o) => BrI32LtS(o),
            BrI32LtU(o) => BrI32GeU(o),
            BrI32GeU(o) => BrI32LtU(o),
            BrI32GtS(o) => BrI32LeS(o),
            BrI32LeS(o) => BrI32GtS(o),
            BrI32GtU(o) => BrI32LeU(o),
            BrI32LeU(o) => BrI32GtU(o),
            BrI32EqImm(o) => BrI32NeImm(o),
            BrI32NeImm(o) => BrI32EqImm(o),
            BrI32LtSImm(o) => BrI32GeSImm(o),
            BrI32GeSImm(o) => BrI32LtSImm(o),
            BrI32LtUImm(o) => BrI32GeUImm(o),
            BrI32GeUImm(o) => BrI32LtUImm(o),
            BrI32GtSImm(o) => BrI32LeSImm(o),
            BrI32LeSImm(o) => BrI32GtSImm(o),
            BrI32GtUImm(o) => BrI32LeUImm(o),
            BrI32LeUImm(o) => BrI32GtUImm(o),
            BrI64Eq(o) => BrI64Ne(o),
            BrI64Ne(o) => BrI64Eq(o),
            BrI64LtS(o) => BrI64GeS(o),
            BrI64GeS(o) => BrI64LtS(o),
            BrI64LtU(o) => BrI64GeU(o),
            BrI64GeU(o) => BrI64LtU(o),
            BrI64GtS(o) => BrI64LeS(o),
            BrI64LeS(o) => BrI64GtS(o),
            BrI64GtU(o) => BrI64LeU(o),
            BrI64LeU(o) => BrI64GtU(o),
            BrI64EqImm(o) => BrI64NeImm(o),
            BrI64NeImm(o) => BrI64EqImm(o),
            BrI64LtSImm(o) => BrI64GeSImm(o),
            BrI64GeSImm(o) => BrI64LtSImm(o),
            BrI64LtUImm(o) => BrI64GeUImm(o),
            BrI64GeUImm(o) => BrI64LtUImm(o),
            BrI64GtSImm(o) => BrI64LeSImm(o),
            BrI64LeSImm(o) => BrI64GtSImm(o),
            BrI64GtUImm(o) => BrI64LeUImm(o),
            BrI64LeUImm(o) => BrI64GtUImm(o),
            _ => return None,
        })
    }

    /// The branch "jump by `offset` if this comparison holds" (or, with `negate`, if it does
    /// not), for an `i32`/`i64` comparison or `i32.eqz`; `None` for anything else.
    pub(crate) fn fuse_branch(self, negate: bool, offset: i32) -> Option<Instr> {
        use Instr::*;
        let br = |b: Bin| BrBin { a: b.a, b: b.b, offset };
        let imm = |b: BinImm| BrImm { a: b.a, imm: b.imm, offset };
        Some(match (self, negate) {
            (I32Eqz(u), false) => BrIfEqz { cond: u.src, offset },
            (I32Eqz(u), true) => BrIfNez { cond: u.src, offset },
            (I32Eq(b), false) => BrI32Eq(br(b)),
            (I32Eq(b), true) => BrI32Ne(br(b)),
            (I32EqImm(b), false) => BrI32EqImm(imm(b)),
            (I32EqImm(b), true) => BrI32NeImm(imm(b)),
            (I32Ne(b), false) => BrI32Ne(br(b)),
            (I32Ne(b), true) => BrI32Eq(br(b)),
            (I32NeImm(b), false) => BrI32NeImm(imm(b)),
            (I32NeImm(b), true) => BrI32EqImm(imm(b)),
            (I32LtS(b), false) => BrI32LtS(br(b)),
            (I32LtS(b), true) => BrI32GeS(br(b)),
            (I32LtSImm(b), false) => BrI32LtSImm(imm(b)),
            (I32LtSImm(b), true) => BrI32GeSImm(imm(b)),
            (I32LtU(b), false) => BrI32LtU(br(b)),
            (I32LtU(b), true) => BrI32GeU(br(b)),
            (I32LtUImm(b), false) => BrI32LtUImm(imm(b)),
            (I32LtUImm(b), true) => BrI32GeUImm(imm(b)),
            (I32GtS(b), false) => BrI32GtS(br(b)),
            (I32GtS(b), true) => BrI32LeS(br(b)),
            (I32GtSImm(b), false) => BrI32GtSImm(imm(b)),
            (I32GtSImm(b), true) => BrI32LeSImm(imm(b)),
            (I32GtU(b), false) => BrI32GtU(br(b)),
            (I32GtU(b), true) => BrI32LeU(br(b)),
            (I32GtUImm(b), false) => BrI32GtUImm(imm(b)),
            (I32GtUImm(b), true) => BrI32LeUImm(imm(b)),
            (I32LeS(b), false) => BrI32LeS(br(b)),
            (I32LeS(b), true) => BrI32GtS(br(b)),
            (I32LeSImm(b), false) => BrI32LeSImm(imm(b)),
            (I32LeSImm(b), true) => BrI32GtSImm(imm(b)),
            (I32LeU(b), false) => BrI32LeU(br(b)),
            (I32LeU(b), true) => BrI32GtU(br(b)),
            (I32LeUImm(b), false) => BrI32LeUImm(imm(b)),
            (I32LeUImm(b), true) => BrI32GtUImm(imm(b)),
            (I32GeS(b), false) => BrI32GeS(br(b)),
            (I32GeS(b), true) => BrI32LtS(br(b)),
            (I32GeSImm(b), false) => BrI32GeSImm(imm(b)),
            (I32GeSImm(b), true) => BrI32LtSImm(imm(b)),
            (I32GeU(b), false) => BrI32GeU(br(b)),
            (I32GeU(b), true) => BrI32LtU(br(b)),
            (I32GeUImm(b), false) => BrI32GeUImm(imm(b)),
            (I32GeUImm(b), true) => BrI32LtUImm(imm(b)),
            (I64Eq(b), false) => BrI64Eq(br(b)),
            (I64Eq(b), true) => BrI64Ne(br(b)),
            (I64EqImm(b), false) => BrI64EqImm(imm(b)),
            (I64EqImm(b), true) => BrI64NeImm(imm(b)),
            (I64Ne(b), false) => BrI64Ne(br(b)),
            (I64Ne(b), true) => BrI64Eq(br(b)),
            (I64NeImm(b), false) => BrI64NeImm(imm(b)),
            (I64NeImm(b), true) => BrI64EqImm(imm(b)),
            (I64LtS(b), false) => BrI64LtS(br(b)),
            (I64LtS(b), true) => BrI64GeS(br(b)),
            (I64LtSImm(b), false) => BrI64LtSImm(imm(b)),
            (I64LtSImm(b), true) => BrI64GeSImm(imm(b)),
            (I64LtU(b), false) => BrI64LtU(br(b)),
            (I64LtU(b), true) => BrI64GeU(br(b)),
            (I64LtUImm(b), false) => BrI64LtUImm(imm(b)),
            (I64LtUImm(b), true) => BrI64GeUImm(imm(b)),
            (I64GtS(b), false) => BrI64GtS(br(b)),
            (I64GtS(b), true) => BrI64LeS(br(b)),
            (I64GtSImm(b), false) => BrI64GtSImm(imm(b)),
            (I64GtSImm(b), true) => BrI64LeSImm(imm(b)),
            (I64GtU(b), false) => BrI64GtU(br(b)),
            (I64GtU(b), true) => BrI64LeU(br(b)),
            (I64GtUImm(b), false) => BrI64GtUImm(imm(b)),
            (I64GtUImm(b), true) => BrI64LeUImm(imm(b)),
            (I64LeS(b), false) => BrI64LeS(br(b)),
            (I64LeS(b), true) => BrI64GtS(br(b)),
            (I64LeSImm(b), false) => BrI64LeSImm(imm(b)),
            (I64LeSImm(b), true) => BrI64GtSImm(imm(b)),
            (I64LeU(b), false) => BrI64LeU(br(b)),
            (I64LeU(b), true) => BrI64GtU(br(b)),
            (I64LeUImm(b), false) => BrI64LeUImm(imm(b)),
            (I64LeUImm(b), true) => BrI64GtUImm(imm(b)),
            (I64GeS(b), false) => BrI64GeS(br(b)),
            (I64GeS(b), true) => BrI64LtS(br(b)),
            (I64GeSImm(b), false) => BrI64GeSImm(imm(b)),
            (I64GeSImm(b), true) => BrI64LtSImm(imm(b)),
            (I64GeU(b), false) => BrI64GeU(br(b)),
            (I64GeU(b), true) => BrI64LtU(br(b)),
            (I64GeUImm(b), false) => BrI64GeUImm(imm(b)),
            (I64GeUImm(b), true) => BrI64LtUImm(imm(b)),
            _ => return None,
        })
    }
}

/// Shortens jumps: a branch to an unconditional `Br` goes straight to where that one goes,
/// and a `Br` to a `Return` becomes that `Return` (common at the end of a function whose
/// paths join to return). `br_table` entries stay `Br`s, as its handler needs. No position
/// becomes a branch target that was not one before.
pub(crate) fn thread_jumps(code: &mut [Instr]) {
    // How many `Br`s a chain may pass through (a `Br` to itself is a loop with no way out).
    const MAX_HOPS: usize = 8;
    // How many of the instructions from here on are entries of the last `br_table` seen.
    let mut entries_left = 0u32;
    for at in 0..code.len() {
        let is_entry = entries_left > 0;
        entries_left = match code[at] {
            Instr::BrTable { len, .. } => len,
            _ => entries_left.saturating_sub(1),
        };
        let Some(offset) = code[at].branch_offset() else { continue };
        let mut target = (at as i64 + i64::from(offset)) as usize;
        for _ in 0..MAX_HOPS {
            match code.get(target) {
                Some(Instr::Br(next)) if target != at => {
                    target = (target as i64 + i64::from(*next)) as usize;
                }
                _ => break,
            }
        }
        match (code[at], code.get(target)) {
            (Instr::Br(_), Some(&Instr::Return(span))) if !is_entry => {
                code[at] = Instr::Return(span);
            }
            _ => {
                if let (Some(o), Ok(new)) = (code[at].branch_offset_mut(), i32::try_from(target as i64 - at as i64)) {
                    *o = new;
                }
            }
        }
    }
}
