//! The generator's segments: a stack-neutral piece of each function shape (deep stacks,
//! nesting, wide `br_table`s, multi-value blocks) that bodies are made of.

use super::{FuncGen, Kind, Shape, gen_ty, count, MAX_RESULTS, MAX_SEGMENT_DEPTH};
use super::enc;
use crate::program::Ty;

impl FuncGen<'_, '_> {
    /// A stack-neutral segment, most often of the function's shape.
    pub(super) fn segment(&mut self, shape: Shape) {
        let shape = if shape == Shape::Mixed || self.e.chance(1, 8) {
            *self.e.pick(&Shape::ALL)
        } else {
            shape
        };
        if self.depth >= MAX_SEGMENT_DEPTH {
            self.simple();
            return;
        }
        self.depth += 1;
        let before = self.stack.len();
        match shape {
            Shape::DeepStack => self.deep_stack(),
            Shape::Nesting => self.nesting(),
            Shape::BrTable => self.br_table_segment(),
            Shape::MultiValue => self.multi_value(),
            Shape::ManyLocals | Shape::Mixed => {
                for _ in 0..self.e.range(1, 16) {
                    self.simple();
                }
            }
        }
        // Segments are neutral, or end in dead code with less.
        debug_assert!(self.stack.len() <= before);
        self.depth -= 1;
    }

    /// Thousands of operands, operations over them, then their consumption.
    pub(super) fn deep_stack(&mut self) {
        let base = self.stack.len();
        let space = self.height_cap.saturating_sub(base + 128);
        if space == 0 {
            return self.simple();
        }
        let height = count(self.e, space.min(self.room() / 2 + 1));
        // The locals the operands read: a few, so that writes to them meet their reads.
        let hot: Vec<(Ty, u32)> = (0..self.e.range(1, 4))
            .filter_map(|_| {
                let ty = gen_ty(self.e, self.vectors);
                self.pick_local(ty).map(|l| (ty, l))
            })
            .collect();
        for _ in 0..height {
            match self.e.below(10) {
                0..=6 if !hot.is_empty() => {
                    let (ty, l) = *self.e.pick(&hot);
                    self.local(enc::LOCAL_GET, l);
                    self.stack.push(ty);
                }
                0..=8 => {
                    let ty = gen_ty(self.e, self.vectors);
                    self.constant(ty);
                }
                _ => {
                    let ty = gen_ty(self.e, self.vectors);
                    self.value(ty, 2);
                }
            }
        }
        let ops = count(self.e, self.room() / 4 + 1);
        for _ in 0..ops {
            if self.room() == 0 || self.stack.len() < base {
                break;
            }
            match self.e.below(14) {
                0..=3 if !hot.is_empty() => {
                    let (ty, l) = *self.e.pick(&hot);
                    self.value(ty, 2);
                    self.local(enc::LOCAL_SET, l);
                    self.pop();
                }
                4 if !hot.is_empty() => {
                    let (ty, l) = *self.e.pick(&hot);
                    self.value(ty, 2);
                    self.local(enc::LOCAL_TEE, l);
                    self.consume();
                }
                5 => {
                    self.open(Kind::Block, Vec::new(), Vec::new());
                    self.close();
                }
                6 => {
                    self.open(Kind::Loop, Vec::new(), Vec::new());
                    self.close();
                }
                7 => {
                    self.enter(Kind::If, Vec::new(), Vec::new());
                    self.close();
                }
                8 => {
                    self.open(Kind::Block, Vec::new(), Vec::new());
                    self.branch();
                    self.close();
                }
                9 => {
                    // The top operand goes into a block as its parameter and comes back.
                    if self.avail() > 0 {
                        let ty = *self.stack.last().expect("a value");
                        self.enter(Kind::Block, vec![ty], vec![ty]);
                        self.simple();
                        self.close();
                    }
                }
                10 => self.segment(Shape::Mixed),
                11 => {
                    if self.stack.len() > base && self.avail() > 0 {
                        let ty = *self.stack.last().expect("a value");
                        self.consume();
                        if self.stack.len() < base + height {
                            self.value(ty, 1);
                        }
                    }
                }
                _ => self.simple(),
            }
        }
        while self.stack.len() > base {
            self.consume();
        }
    }

    /// Thousands of nested blocks, loops and ifs.
    pub(super) fn nesting(&mut self) {
        #[derive(PartialEq)]
        enum Style {
            Empty,
            Threaded,
            Mixed,
        }
        let style = match self.e.below(3) {
            0 => Style::Empty,
            1 => Style::Threaded,
            _ => Style::Mixed,
        };
        let threaded: Vec<Ty> = if style == Style::Threaded {
            let n = if self.e.chance(1, 4) {
                count(self.e, 32)
            } else {
                self.e.range(1, 3)
            };
            (0..n).map(|_| gen_ty(self.e, self.vectors)).collect()
        } else {
            Vec::new()
        };
        if !self.can_push(threaded.len() + 8) {
            return self.simple();
        }
        let base = self.stack.len();
        let base_ctrl = self.ctrl.len();
        self.push_all(&threaded, false);
        let levels = count(self.e, self.room() / 3 + 1);
        for _ in 0..levels {
            let kind = match self.e.below(20) {
                0..=13 => Kind::Block,
                14..=16 => Kind::Loop,
                _ => Kind::If,
            };
            let (params, results) = match style {
                Style::Empty => (Vec::new(), Vec::new()),
                Style::Threaded => (threaded.clone(), threaded.clone()),
                Style::Mixed => {
                    let k = self.e.below(3).min(self.avail());
                    let params = self.stack[self.stack.len() - k..].to_vec();
                    let results = (0..self.e.below(3))
                        .map(|_| gen_ty(self.e, self.vectors))
                        .collect();
                    (params, results)
                }
            };
            if !self.can_push(results.len() + 8) {
                break;
            }
            self.enter(kind, params, results);
            if self.e.chance(1, 32) {
                self.simple();
            }
        }
        // The innermost level: branches out, far and near.
        for _ in 0..self.e.range(1, 4) {
            if self.e.chance(1, 4) {
                self.segment(Shape::Mixed);
            } else {
                self.branch();
            }
        }
        while self.ctrl.len() > base_ctrl {
            self.close();
            if self.e.chance(1, 64) {
                self.simple();
            }
        }
        while self.stack.len() > base {
            self.consume();
        }
    }

    /// A huge `br_table` over up to 64 blocks carrying the same values.
    pub(super) fn br_table_segment(&mut self) {
        let arity = if self.e.chance(1, 5) {
            count(self.e, 64)
        } else {
            self.e.below(3)
        };
        let tys: Vec<Ty> = (0..arity).map(|_| gen_ty(self.e, self.vectors)).collect();
        if !self.can_push(arity + 8) {
            return self.simple();
        }
        let base = self.stack.len();
        let blocks = count(self.e, 64);
        for _ in 0..blocks {
            self.open(Kind::Block, Vec::new(), tys.clone());
        }
        self.push_all(&tys, false);
        let labels = self.labels_carrying(&tys);
        let entries = count(self.e, self.room() + 1);
        self.br_table(&labels, arity, entries);
        for _ in 0..blocks {
            self.close();
            if self.e.chance(1, 8) {
                self.simple();
            }
        }
        while self.stack.len() > base {
            self.consume();
        }
    }

    /// A block (or loop) of many values, branched to again and again.
    pub(super) fn multi_value(&mut self) {
        let space = self.height_cap.saturating_sub(self.stack.len() + 128);
        let arity = count(self.e, MAX_RESULTS.min(space).min(self.room() / 2 + 1));
        if arity == 0 || !self.can_push(arity + 8) {
            return self.simple();
        }
        let tys: Vec<Ty> = if self.e.chance(1, 2) {
            vec![gen_ty(self.e, self.vectors); arity]
        } else {
            (0..arity).map(|_| gen_ty(self.e, self.vectors)).collect()
        };
        let base = self.stack.len();
        let is_loop = self.e.chance(1, 4);
        // Values below the branched ones: then the values a branch carries are not where the
        // label's results go, and every branch copies them.
        let padding: Vec<Ty> = match self.e.below(2) {
            0 => Vec::new(),
            _ => (0..count(self.e, 16))
                .map(|_| gen_ty(self.e, self.vectors))
                .collect(),
        };
        if !self.can_push(2 * arity + padding.len() + 8) {
            return self.simple();
        }
        if is_loop {
            self.push_plain(&tys);
            self.enter(Kind::Loop, tys.clone(), tys.clone());
            if !padding.is_empty() {
                self.push_plain(&padding);
                self.push_plain(&tys);
            }
        } else {
            self.open(Kind::Block, Vec::new(), tys.clone());
            self.push_plain(&padding);
            self.push_plain(&tys);
        }
        let branches = count(self.e, self.room() / 3 + 1);
        // Only `br_if`s: values that stay symbolic (locals, constants) are copied by each
        // one, the expansion the budget exists for (an `if`, or writing a local they read,
        // puts them in their slots for good; then only padding makes branches copy).
        let only_branches = self.e.chance(1, 2);
        for _ in 0..branches {
            if self.room() == 0 {
                break;
            }
            match if only_branches {
                self.e.below(6)
            } else {
                self.e.below(10)
            } {
                0..=5 => {
                    if is_loop {
                        self.fuel_guard();
                    } else {
                        self.condition();
                    }
                    self.pop();
                    self.byte(enc::BR_IF);
                    self.byte(0);
                }
                6 if !is_loop => {
                    self.enter(Kind::If, Vec::new(), Vec::new());
                    self.push_plain(&tys);
                    self.byte(enc::BR);
                    self.byte(1);
                    self.unreachable();
                    self.close();
                }
                7 if !is_loop => {
                    let labels = self.labels_carrying(&tys);
                    let entries = self.e.range(0, 16);
                    self.br_table(&labels, arity, entries);
                    self.push_plain(&tys);
                }
                _ => {
                    if let Some(&ty) = self.stack.last() {
                        let len = self.stack.len();
                        self.consume();
                        if self.stack.len() < len {
                            self.value(ty, 1);
                        }
                    }
                }
            }
        }
        self.close();
        while self.stack.len() > base {
            self.consume();
        }
    }
}
