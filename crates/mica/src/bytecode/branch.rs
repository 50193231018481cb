//! What the translator and the verifier ask of branch instructions: their offsets, and jump
//! threading. (A branch's negation and a comparison's fused branch come from the table's
//! `not` and `fuses` flags, in `mod.rs`.)

use super::{Instr, Span, Visit};

impl Instr {
    /// The branch offset of a jump.
    pub(crate) fn branch_offset(&self) -> Option<i32> {
        let mut copy = *self;
        copy.branch_offset_mut().copied()
    }

    /// The branch offset of a jump (its `target` operand), for patching.
    #[inline]
    pub(crate) fn branch_offset_mut(&mut self) -> Option<&mut i32> {
        struct Target<'a>(Option<&'a mut i32>);
        impl<'a> Visit<'a> for Target<'a> {
            #[inline(always)]
            fn target(&mut self, offset: &'a mut i32) {
                self.0 = Some(offset);
            }
        }
        let mut target = Target(None);
        self.visit(&mut target);
        target.0
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
            Instr::BrTable(t) => t.len,
            _ => entries_left.saturating_sub(1),
        };
        let Some(offset) = code[at].branch_offset() else { continue };
        let mut target = (at as i64 + i64::from(offset)) as usize;
        for _ in 0..MAX_HOPS {
            match code.get(target) {
                Some(Instr::Br(next)) if target != at => {
                    target = (target as i64 + i64::from(next.offset)) as usize;
                }
                _ => break,
            }
        }
        match (code[at], code.get(target)) {
            (Instr::Br(_), Some(&Instr::Return(span))) if !is_entry => {
                code[at] = Instr::Return(Span { ..span });
            }
            _ => {
                if let (Some(o), Ok(new)) = (code[at].branch_offset_mut(), i32::try_from(target as i64 - at as i64)) {
                    *o = new;
                }
            }
        }
    }
}
