//! Control frames of the function being translated, and how a branch reaches its label.
//!
//! A label's values live in the home slots starting at the frame's height: for a block or
//! `if` these are its results, for a loop its parameters. A branch copies its values there
//! and jumps; forward jumps are patched when the frame ends.

use alloc::vec::Vec;

#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum FrameKind {
    /// The function body itself: branching to it returns.
    Function,
    Block,
    /// A loop whose header is at this instruction index.
    Loop { start: usize },
    /// An `if` whose false branch jumps from `else_jump` (patched at `else` or `end`).
    If { else_jump: usize },
    Else,
}

/// A frame's type: where its parameter and result types are.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum FrameType {
    Empty,
    /// No parameters, one result.
    Single(crate::types::ValType),
    /// A type of the module.
    Index(u32),
    /// The function's own type.
    Function,
}

#[derive(Debug)]
pub(super) struct ControlFrame {
    pub kind: FrameKind,
    pub ty: FrameType,
    /// The operand-stack height below the frame's parameters.
    pub height: usize,
    pub num_params: usize,
    pub num_results: usize,
    /// Whether the frame's start was reachable. Frames opened in dead code are tracked only
    /// to match their `end`.
    pub live: bool,
    /// Forward branches to patch to the frame's end.
    pub fixups: Vec<usize>,
}

impl ControlFrame {
    /// How many values a branch to this frame carries.
    pub(super) fn branch_arity(&self) -> usize {
        match self.kind {
            FrameKind::Loop { .. } => self.num_params,
            _ => self.num_results,
        }
    }
}
