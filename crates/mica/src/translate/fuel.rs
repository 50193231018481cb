//! Fuel and epoch checks in translated code (`Config::consume_fuel`,
//! `Config::epoch_interruption`).
//!
//! The code is cut into *segments*: straight-line runs that control enters only at the top.
//! A segment begins at the function's entry, at every label (a loop header; the end of a
//! block, `if` or `try` that something branches to; an `else`; a legacy `catch`) and after
//! every conditional branch (`br_if`, `br_on_*`, the arm of an `if`). Each operator's cost
//! (`fuel::FuelCosts`) is added to one `Fuel` instruction per segment, emitted where the
//! segment's first costing operator is translated, so that entering a segment pays for
//! every operator in it, and an operator runs only once its segment has paid. Segments
//! without cost get no instruction. (Epoch checks are not instructions: see `exec::encode`.)

use super::Translator;
use crate::bytecode::{Fuel, Instr};
use crate::fuel::FuelCosts;
use wasmparser::Operator as O;

impl Translator<'_> {
    /// Charges `op`, about to be translated, to the current segment. Inlined into each
    /// operator's translation, where the cost folds to a constant.
    #[inline(always)]
    pub(super) fn charge(&mut self, op: &O<'_>) {
        let Some(costs) = &self.env.metering.fuel else { return };
        let cost = cost(op, costs);
        if cost != 0 {
            self.charge_cost(cost);
        }
    }

    fn charge_cost(&mut self, cost: u32) {
        if !self.fuel_open
            && let Some(Instr::Fuel(f)) = self.out.code.get_mut(self.fuel_at)
            && let Some(sum) = f.amount.checked_add(cost)
        {
            f.amount = sum;
            return;
        }
        // The segment's first operator that costs anything (or one that would take its sum
        // past 32 bits: a new segment, in the middle of straight-line code, is as exact).
        self.fuel_at = self.out.len();
        self.fuel_open = false;
        self.out.emit(Instr::Fuel(Fuel { amount: cost }));
    }

    /// A segment begins here: control may enter other than from the operator before.
    pub(super) fn fuel_boundary(&mut self) {
        if self.reachable && self.env.metering.fuel.is_some() {
            self.fuel_open = true;
        }
    }
}

/// What `op` costs (see `FuelCosts` for the classes).
#[inline(always)]
fn cost(op: &O<'_>, costs: &FuelCosts) -> u32 {
    match op {
        O::Nop
        | O::Block { .. }
        | O::Loop { .. }
        | O::Else
        | O::End
        | O::TryTable { .. }
        | O::Try { .. }
        | O::Catch { .. }
        | O::CatchAll
        | O::Delegate { .. } => 0,
        O::Call { .. }
        | O::CallIndirect { .. }
        | O::CallRef { .. }
        | O::ReturnCall { .. }
        | O::ReturnCallIndirect { .. }
        | O::ReturnCallRef { .. } => costs.call,
        O::I32Load { .. }
        | O::I64Load { .. }
        | O::F32Load { .. }
        | O::F64Load { .. }
        | O::I32Load8S { .. }
        | O::I32Load8U { .. }
        | O::I32Load16S { .. }
        | O::I32Load16U { .. }
        | O::I64Load8S { .. }
        | O::I64Load8U { .. }
        | O::I64Load16S { .. }
        | O::I64Load16U { .. }
        | O::I64Load32S { .. }
        | O::I64Load32U { .. }
        | O::I32Store { .. }
        | O::I64Store { .. }
        | O::F32Store { .. }
        | O::F64Store { .. }
        | O::I32Store8 { .. }
        | O::I32Store16 { .. }
        | O::I64Store8 { .. }
        | O::I64Store16 { .. }
        | O::I64Store32 { .. } => costs.memory,
        #[cfg(feature = "simd")]
        O::V128Load { .. }
        | O::V128Load8x8S { .. }
        | O::V128Load8x8U { .. }
        | O::V128Load16x4S { .. }
        | O::V128Load16x4U { .. }
        | O::V128Load32x2S { .. }
        | O::V128Load32x2U { .. }
        | O::V128Load8Splat { .. }
        | O::V128Load16Splat { .. }
        | O::V128Load32Splat { .. }
        | O::V128Load64Splat { .. }
        | O::V128Load32Zero { .. }
        | O::V128Load64Zero { .. }
        | O::V128Store { .. }
        | O::V128Load8Lane { .. }
        | O::V128Load16Lane { .. }
        | O::V128Load32Lane { .. }
        | O::V128Load64Lane { .. }
        | O::V128Store8Lane { .. }
        | O::V128Store16Lane { .. }
        | O::V128Store32Lane { .. }
        | O::V128Store64Lane { .. } => costs.memory,
        _ => costs.base,
    }
}
