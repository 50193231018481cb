//! The generator's values: constants, and expressions of each type (scalar and `v128`).

use super::{FuncGen, I32_CONSTS, I64_CONSTS, F32_CONSTS, F64_CONSTS};
use super::enc;
use crate::program::Ty;

impl FuncGen<'_, '_> {
    // --- values ---------------------------------------------------------------------------

    pub(super) fn constant(&mut self, ty: Ty) {
        match ty {
            Ty::I32 => {
                let v = if self.e.chance(1, 4) {
                    self.e.u32() as i32
                } else {
                    *self.e.pick(&I32_CONSTS)
                };
                self.byte(enc::I32_CONST);
                enc::leb_i64(&mut self.code, i64::from(v));
            }
            Ty::I64 => {
                let v = if self.e.chance(1, 4) {
                    self.e.u64() as i64
                } else {
                    *self.e.pick(&I64_CONSTS)
                };
                self.byte(enc::I64_CONST);
                enc::leb_i64(&mut self.code, v);
            }
            Ty::F32 => {
                let v = *self.e.pick(&F32_CONSTS);
                self.byte(enc::F32_CONST);
                self.code.extend_from_slice(&v.to_le_bytes());
            }
            Ty::F64 => {
                let v = *self.e.pick(&F64_CONSTS);
                self.byte(enc::F64_CONST);
                self.code.extend_from_slice(&v.to_le_bytes());
            }
            Ty::V128 => {
                let v: u128 = match self.e.below(4) {
                    0 => 0,
                    1 => u128::MAX,
                    2 => u128::from(*self.e.pick(&I64_CONSTS) as u64) * (1 | 1 << 64),
                    _ => u128::from(self.e.u64()) << 64 | u128::from(self.e.u64()),
                };
                enc::simd(&mut self.code, enc::V128_CONST);
                self.code.extend_from_slice(&v.to_le_bytes());
            }
        }
        self.stack.push(ty);
    }

    pub(super) fn get(&mut self, ty: Ty) -> bool {
        match self.pick_local(ty) {
            Some(l) => {
                self.local(enc::LOCAL_GET, l);
                self.stack.push(ty);
                true
            }
            None => false,
        }
    }

    /// Pushes a value of type `ty`: a local, a constant, or an expression of depth at most
    /// `3 - depth`.
    pub(super) fn value(&mut self, ty: Ty, depth: usize) {
        let r = self.e.below(100);
        if depth >= 3 || r < 40 {
            if !self.get(ty) {
                self.constant(ty);
            }
            return;
        }
        if r < 65 {
            self.constant(ty);
            return;
        }
        let d = depth + 1;
        match (ty, self.e.below(5)) {
            (_, 0) => {
                self.value(ty, d);
                self.value(ty, d);
                self.value(Ty::I32, d);
                self.byte(enc::SELECT);
                self.pop();
                self.pop();
            }
            (_, 1) => {
                self.value(ty, d);
                if let Some(l) = self.pick_local(ty) {
                    self.local(enc::LOCAL_TEE, l);
                }
            }
            (Ty::I32, 2) => {
                self.value(Ty::I32, d);
                self.value(Ty::I32, d);
                let op = *self.e.pick(&enc::I32_BINOPS);
                self.byte(op);
                self.pop();
            }
            (Ty::I32, 3) => {
                let (t, ops) = if self.e.chance(1, 2) {
                    (Ty::I32, &enc::I32_COMPARES)
                } else {
                    (Ty::I64, &enc::I64_COMPARES)
                };
                self.value(t, d);
                self.value(t, d);
                let op = *self.e.pick(ops);
                self.byte(op);
                self.pop();
                self.pop();
                self.stack.push(Ty::I32);
            }
            (Ty::I32, _) => {
                let (from, op) = if self.e.chance(1, 2) {
                    (Ty::I64, enc::I32_WRAP_I64)
                } else {
                    (Ty::F32, enc::I32_REINTERPRET_F32)
                };
                self.value(from, d);
                self.byte(op);
                self.pop();
                self.stack.push(Ty::I32);
            }
            (Ty::I64, 2 | 3) => {
                self.value(Ty::I64, d);
                self.value(Ty::I64, d);
                let op = *self.e.pick(&enc::I64_BINOPS);
                self.byte(op);
                self.pop();
            }
            (Ty::I64, _) if self.vectors && self.e.chance(1, 4) => {
                self.value(Ty::V128, d);
                enc::simd(&mut self.code, enc::I64X2_EXTRACT_LANE);
                let lane = self.e.below(2) as u8;
                self.byte(lane);
                self.pop();
                self.stack.push(Ty::I64);
            }
            (Ty::I64, _) => {
                let (from, op) = match self.e.below(3) {
                    0 => (Ty::I32, enc::I64_EXTEND_I32_S),
                    1 => (Ty::I32, enc::I64_EXTEND_I32_U),
                    _ => (Ty::F64, enc::I64_REINTERPRET_F64),
                };
                self.value(from, d);
                self.byte(op);
                self.pop();
                self.stack.push(Ty::I64);
            }
            (Ty::F32, _) => {
                self.value(Ty::I32, d);
                self.byte(enc::F32_REINTERPRET_I32);
                self.pop();
                self.stack.push(Ty::F32);
            }
            (Ty::F64, _) => {
                self.value(Ty::I64, d);
                self.byte(enc::F64_REINTERPRET_I64);
                self.pop();
                self.stack.push(Ty::F64);
            }
            (Ty::V128, 2) => {
                self.value(Ty::V128, d);
                self.value(Ty::V128, d);
                if self.e.chance(1, 4) {
                    enc::simd(&mut self.code, enc::I8X16_SHUFFLE);
                    for _ in 0..16 {
                        let lane = self.e.below(32) as u8;
                        self.byte(lane);
                    }
                } else {
                    let op = *self.e.pick(&enc::V128_BINOPS);
                    enc::simd(&mut self.code, op);
                }
                self.pop();
            }
            (Ty::V128, 3) => {
                self.value(Ty::V128, d);
                self.value(Ty::I64, d);
                enc::simd(&mut self.code, enc::I64X2_REPLACE_LANE);
                let lane = self.e.below(2) as u8;
                self.byte(lane);
                self.pop();
            }
            (Ty::V128, _) => {
                let (from, op) = *self.e.pick(&[
                    (Ty::I32, enc::I8X16_SPLAT),
                    (Ty::I32, enc::I32X4_SPLAT),
                    (Ty::I64, enc::I64X2_SPLAT),
                ]);
                self.value(from, d);
                enc::simd(&mut self.code, op);
                self.pop();
                self.stack.push(Ty::V128);
            }
        }
    }
}
