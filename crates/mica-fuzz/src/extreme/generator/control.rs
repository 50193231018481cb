//! The generator's control flow: block types, frames, labels, branches and `br_table`s.

use super::{FuncGen, Frame, Kind, gen_ty, slots};
use super::enc;
use crate::program::Ty;

impl FuncGen<'_, '_> {
    // --- control ----------------------------------------------------------------------------

    pub(super) fn blocktype(&mut self, params: &[Ty], results: &[Ty]) {
        match (params, results) {
            ([], []) => self.byte(enc::EMPTY_BLOCK),
            ([], [t]) => self.byte(enc::valtype(*t)),
            _ => {
                let index = self.types.index(params, results);
                enc::leb_i64(&mut self.code, i64::from(index));
            }
        }
    }

    /// Opens a frame, with its parameters the values on top of the stack if they fit (else new
    /// ones: after a branch, say) and, for an `if`, a condition.
    pub(super) fn enter(&mut self, kind: Kind, params: Vec<Ty>, results: Vec<Ty>) {
        let k = params.len();
        if self.avail() < k || self.stack[self.stack.len() - k..] != params[..] {
            self.push_all(&params, false);
        }
        if kind == Kind::If {
            self.condition();
        }
        self.open(kind, params, results);
    }

    /// Opens a frame whose parameters (and, for an `if`, the condition above them) are on the
    /// stack.
    pub(super) fn open(&mut self, kind: Kind, params: Vec<Ty>, results: Vec<Ty>) {
        if kind == Kind::If {
            let c = self.pop();
            debug_assert_eq!(c, Ty::I32);
        }
        self.byte(match kind {
            Kind::Block => enc::BLOCK,
            Kind::Loop => enc::LOOP,
            Kind::If => enc::IF,
            Kind::Func => unreachable!("the function's frame is not opened"),
        });
        self.blocktype(&params, &results);
        let height = self.stack.len() - params.len();
        debug_assert_eq!(self.stack[height..], params[..]);
        self.ctrl.push(Frame {
            kind,
            params,
            results,
            height,
            in_else: false,
        });
    }

    /// Closes the innermost frame (an `if` whose parameters and results differ gets an
    /// `else`, and others sometimes do).
    pub(super) fn close(&mut self) {
        let f = self.frame();
        let must_else = f.params != f.results;
        let is_then = f.kind == Kind::If && !f.in_else;
        if is_then && (must_else || self.e.chance(1, 4)) {
            let results = self.frame().results.clone();
            self.settle(&results);
            self.byte(enc::ELSE);
            let f = self.ctrl.last_mut().expect("the if");
            f.in_else = true;
            let (height, params) = (f.height, f.params.clone());
            self.stack.truncate(height);
            self.stack.extend(params);
            if self.e.chance(1, 2) {
                self.simple();
            }
        }
        let results = self.frame().results.clone();
        self.settle(&results);
        self.byte(enc::END);
        let f = self.ctrl.pop().expect("a frame");
        self.stack.truncate(f.height);
        self.stack.extend(f.results);
    }

    /// After an unconditional branch: the frame's values are gone.
    pub(super) fn unreachable(&mut self) {
        let height = self.frame().height;
        self.stack.truncate(height);
    }

    /// The types a branch to the frame `depth` levels out carries.
    pub(super) fn label(&self, depth: usize) -> (&[Ty], Kind) {
        let f = &self.ctrl[self.ctrl.len() - 1 - depth];
        match f.kind {
            Kind::Loop => (&f.params, f.kind),
            _ => (&f.results, f.kind),
        }
    }

    /// The depths of non-loop labels carrying `tys`: among the innermost 256 and the
    /// function's (looking at all of thousands at every branch would make generation
    /// quadratic).
    pub(super) fn labels_carrying(&self, tys: &[Ty]) -> Vec<u32> {
        let n = self.ctrl.len();
        (0..n.min(256))
            .chain(n.checked_sub(1).filter(|d| *d >= 256))
            .filter(|d| {
                let (t, kind) = self.label(*d);
                kind != Kind::Loop && t == tys
            })
            .map(|d| d as u32)
            .collect()
    }

    /// A `br_table` over `labels` (non-loop, all carrying the `arity` values on top of the
    /// stack) of `n` entries, after an index; the frame becomes unreachable.
    pub(super) fn br_table(&mut self, labels: &[u32], arity: usize, n: usize) {
        // Two values or more, counting a `v128` as two (as wasmi's cells do).
        let carried: usize = self.stack[self.stack.len() - arity..]
            .iter()
            .map(|t| slots(*t))
            .sum();
        if labels.len() > 1 && carried >= 2 && self.stack.len() > arity {
            self.wasmi_miscompiles = true;
        }
        self.value(Ty::I32, 1);
        self.pop();
        self.byte(enc::BR_TABLE);
        enc::leb_u32(&mut self.code, n as u32);
        let cyclic = self.e.chance(1, 3);
        for i in 0..=n {
            let depth = if cyclic {
                labels[i % labels.len()]
            } else {
                *self.e.pick(labels)
            };
            enc::leb_u32(&mut self.code, depth);
        }
        self.unreachable();
    }

    /// A branch to a random enclosing label, with the values it carries; a branch back to a
    /// loop is a `br_if` on the fuel counter.
    pub(super) fn branch(&mut self) {
        let n = self.ctrl.len();
        let depth = if self.e.chance(1, 2) {
            self.e.below(n.min(4))
        } else {
            self.e.below(n)
        };
        let (tys, kind) = self.label(depth);
        let tys = tys.to_vec();
        if !self.can_push(tys.len() + 1) {
            return;
        }
        let base = self.stack.len();
        self.push_all(&tys, depth == n - 1);
        if kind == Kind::Loop {
            self.fuel_guard();
            self.pop();
            self.byte(enc::BR_IF);
            enc::leb_u32(&mut self.code, depth as u32);
        } else {
            match self.e.below(3) {
                0 => {
                    self.byte(enc::BR);
                    enc::leb_u32(&mut self.code, depth as u32);
                    self.unreachable();
                }
                1 => {
                    self.condition();
                    self.pop();
                    self.byte(enc::BR_IF);
                    enc::leb_u32(&mut self.code, depth as u32);
                }
                _ => {
                    // The target itself, if it is deeper than the labels looked at.
                    let mut labels = self.labels_carrying(&tys);
                    if !labels.contains(&(depth as u32)) {
                        labels.push(depth as u32);
                    }
                    let entries = self.e.range(0, 8);
                    self.br_table(&labels, tys.len(), entries);
                }
            }
        }
        while self.stack.len() > base {
            self.consume();
        }
    }

    // --- statements ---------------------------------------------------------------------------

    /// A short stack-neutral statement.
    pub(super) fn simple(&mut self) {
        match self.e.below(20) {
            0..=5 => {
                let ty = gen_ty(self.e, self.vectors);
                self.value(ty, 0);
                self.consume();
            }
            6..=7 => {
                let ty = gen_ty(self.e, self.vectors);
                self.value(ty, 0);
                self.fold();
            }
            8..=11 => self.branch(),
            12..=13 => {
                self.open(Kind::Block, Vec::new(), Vec::new());
                self.simple();
                self.close();
            }
            14..=15 => {
                let results = if self.e.chance(1, 2) {
                    vec![gen_ty(self.e, self.vectors)]
                } else {
                    Vec::new()
                };
                let has_result = !results.is_empty();
                self.enter(Kind::If, Vec::new(), results);
                self.simple();
                self.close();
                if has_result {
                    self.consume();
                }
            }
            16 => {
                self.open(Kind::Loop, Vec::new(), Vec::new());
                self.simple();
                self.close();
            }
            17 if self.e.chance(1, 8) => {
                let results = self.ctrl[0].results.clone();
                if self.can_push(results.len()) {
                    self.push_all(&results, true);
                    self.byte(enc::RETURN);
                    self.unreachable();
                }
            }
            _ => {
                let ty = gen_ty(self.e, self.vectors);
                if let Some(l) = self.pick_local(ty) {
                    self.value(ty, 1);
                    self.local(enc::LOCAL_SET, l);
                    self.pop();
                }
            }
        }
    }
}
