//! The translator as a `wasmparser` visitor, so that [`crate::decode::Decoder`] can drive it:
//! each visit rebuilds its `Operator` (a plain value, built on the stack) for
//! `Translator::translate`, the one table of what each operator becomes.

use super::Translator;
use super::control::FrameKind;
use crate::error::Result;
use alloc::vec::Vec;
use wasmparser::{FrameStack, Operator};

macro_rules! define_visit {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Result<()> {
                self.translate(&Operator::$op $({ $($arg),* })?)
            }
        )*
    };
}

impl<'a> wasmparser::VisitOperator<'a> for Translator<'_> {
    type Output = Result<()>;
    wasmparser::for_each_visit_operator!(define_visit);
}

/// The frame kinds the reader checks `else` (and the legacy exception instructions) against.
impl FrameStack for Translator<'_> {
    fn current_frame(&self) -> Option<wasmparser::FrameKind> {
        Some(match self.control.last()?.kind {
            FrameKind::Function | FrameKind::Block => wasmparser::FrameKind::Block,
            FrameKind::Loop { .. } => wasmparser::FrameKind::Loop,
            FrameKind::If { .. } => wasmparser::FrameKind::If,
            FrameKind::Else => wasmparser::FrameKind::Else,
        })
    }
}
