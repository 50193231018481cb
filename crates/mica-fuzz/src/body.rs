//! Function bodies: statements, expressions and the way out (a return, a tail call or a
//! trap), over the functions, globals and tables of the module being generated.

use crate::entropy::Entropy;
use crate::program::{ModuleGen, Sig, Ty, const_text, gen_ty, gen_value};
use std::fmt::Write;

mod vector;

/// Generates one function body.
pub(crate) struct BodyGen<'m, 'p> {
    module: &'m ModuleGen<'p>,
    sig: &'p Sig,
    locals: Vec<Ty>,
}

impl<'m, 'p> BodyGen<'m, 'p> {
    pub(crate) fn new(module: &'m ModuleGen<'p>, sig: usize) -> BodyGen<'m, 'p> {
        let sig = &module.program.sigs[sig];
        let mut locals = sig.params.clone();
        // One scratch local of each type, so every type has a local to store into.
        locals.extend(Ty::ALL);
        BodyGen {
            module,
            sig,
            locals,
        }
    }

    fn sigs(&self) -> &'p [Sig] {
        &self.module.program.sigs
    }

    pub(crate) fn generate(mut self, e: &mut Entropy) -> String {
        for _ in 0..e.range(0, 2) {
            self.locals.push(gen_ty(e));
        }
        let mut w = String::from("\n    (local");
        for t in &self.locals[self.sig.params.len()..] {
            w.push(' ');
            w.push_str(t.name());
        }
        w.push_str(")\n");
        // Out of fuel: return zeros, so that cycles of calls end without a trap.
        let zeros: Vec<String> = self.sig.results.iter().map(|t| const_text(*t, 0)).collect();
        let _ = writeln!(
            w,
            "    (if (i32.eqz (global.get $fuel)) (then (return {})))",
            zeros.join(" ")
        );
        w.push_str("    (global.set $fuel (i32.sub (global.get $fuel) (i32.const 1)))\n");
        for _ in 0..e.range(0, 6) {
            w.push_str("    ");
            w.push_str(&self.stmt(e, 0));
            w.push('\n');
        }
        w.push_str("    ");
        w.push_str(&self.tail(e));
        w
    }

    fn local_of(&self, e: &mut Entropy, ty: Ty) -> usize {
        let candidates: Vec<usize> = (0..self.locals.len())
            .filter(|i| self.locals[*i] == ty)
            .collect();
        *e.pick(&candidates)
    }

    /// Functions (of this module's index space) whose results are `results`.
    fn funcs_returning(&self, results: &[Ty]) -> Vec<usize> {
        (0..self.module.funcs.len())
            .filter(|f| self.sigs()[self.module.funcs[*f]].results == results)
            .collect()
    }

    fn args(&self, e: &mut Entropy, sig: usize, depth: usize) -> String {
        let params = &self.sigs()[sig].params;
        params
            .iter()
            .map(|t| self.expr(e, *t, depth + 1))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A table, an index into it, and a signature for an indirect call whose results are
    /// `results` (any if `None`); `None` if no signature fits.
    fn indirect(
        &self,
        e: &mut Entropy,
        results: Option<&[Ty]>,
        depth: usize,
    ) -> Option<(String, usize, String)> {
        let fits = |s: usize| results.is_none_or(|r| self.sigs()[s].results == r);
        let (table, size, module_funcs, elems): (&str, usize, &[usize], &[Option<usize>]) =
            match self.module.prev_table {
                Some(size) if e.chance(1, 3) => {
                    let prev = &self.module.program.modules[self.module.index - 1];
                    ("$prev", size, &prev.funcs, &prev.elems)
                }
                _ => (
                    "$tab",
                    self.module.table_size,
                    &self.module.funcs,
                    &self.module.elems,
                ),
            };
        let static_sig = |i: usize| elems.get(i).copied().flatten().map(|f| module_funcs[f]);
        let fitting: Vec<usize> = (0..size)
            .filter(|i| static_sig(*i).is_some_and(fits))
            .collect();
        let (index, sig) = if !fitting.is_empty() && e.chance(5, 6) {
            // An element that (unless a `table.set` changed it) has the right type.
            let index = *e.pick(&fitting);
            (index, static_sig(index).expect("fitting elements are set"))
        } else {
            // Anything: possibly null, of the wrong type, or one past the end.
            let index = if e.chance(1, 8) { size } else { e.below(size) };
            let candidates: Vec<usize> = (0..self.sigs().len()).filter(|s| fits(*s)).collect();
            if candidates.is_empty() {
                return None;
            }
            (index, *e.pick(&candidates))
        };
        let index_text = if e.chance(7, 8) {
            format!("(i32.const {index})")
        } else {
            format!(
                "(i32.and {} (i32.const 7))",
                self.expr(e, Ty::I32, depth + 1)
            )
        };
        Some((table.to_string(), sig, index_text))
    }

    fn stmt(&self, e: &mut Entropy, depth: usize) -> String {
        match e.below(12) {
            0 | 1 => {
                let ty = gen_ty(e);
                let l = self.local_of(e, ty);
                format!("(local.set {l} {})", self.expr(e, ty, depth))
            }
            2 => {
                let ty = gen_ty(e);
                if ty == Ty::V128 {
                    return self.vector_store(e, depth);
                }
                format!(
                    "({}.store {} {})",
                    ty.name(),
                    self.place(e, depth, ""),
                    self.expr(e, ty, depth)
                )
            }
            3 if !self.module.globals.is_empty() => {
                let g = e.below(self.module.globals.len());
                format!(
                    "(global.set $g{g} {})",
                    self.expr(e, self.module.globals[g], depth)
                )
            }
            3..=5 => {
                let f = e.below(self.module.funcs.len());
                let sig = self.module.funcs[f];
                let call = format!("(call $f{f} {})", self.args(e, sig, depth));
                self.keep_results(e, call, sig)
            }
            6 | 7 => match self.indirect(e, None, depth) {
                Some((table, sig, index)) => {
                    let args = self.args(e, sig, depth);
                    let call = format!("(call_indirect {table} (type $t{sig}) {args} {index})");
                    self.keep_results(e, call, sig)
                }
                None => "(nop)".to_string(),
            },
            8 if depth < 2 => {
                let cond = self.expr(e, Ty::I32, depth);
                let then: Vec<String> = (0..e.range(0, 3))
                    .map(|_| self.stmt(e, depth + 1))
                    .collect();
                let other: Vec<String> = (0..e.range(0, 2))
                    .map(|_| self.stmt(e, depth + 1))
                    .collect();
                format!(
                    "(if {cond} (then {}) (else {}))",
                    then.join(" "),
                    other.join(" ")
                )
            }
            9 => {
                // An early exit: a tail call or a return inside a conditional.
                let cond = self.expr(e, Ty::I32, depth);
                format!("(if {cond} (then {}))", self.tail(e))
            }
            10 => {
                let (table, size) = match self.module.prev_table {
                    Some(size) if e.chance(1, 2) => ("$prev", size),
                    _ => ("$tab", self.module.table_size),
                };
                let index = if e.chance(1, 10) { size } else { e.below(size) };
                // Mostly a function of the type the slot had, so that calls through it go on
                // working; sometimes null or another type.
                let old = self
                    .module
                    .elems
                    .get(index)
                    .copied()
                    .flatten()
                    .filter(|_| table == "$tab");
                let same: Vec<usize> = match old {
                    Some(f) => (0..self.module.funcs.len())
                        .filter(|g| self.module.funcs[*g] == self.module.funcs[f])
                        .collect(),
                    None => Vec::new(),
                };
                let value = match e.below(8) {
                    0 => "(ref.null func)".to_string(),
                    1 | 2 => format!("(ref.func $f{})", e.below(self.module.funcs.len())),
                    _ if !same.is_empty() => format!("(ref.func $f{})", e.pick(&same)),
                    _ => format!("(ref.func $f{})", e.below(self.module.funcs.len())),
                };
                format!("(table.set {table} (i32.const {index}) {value})")
            }
            11 if e.chance(1, 2) => self.bulk_memory(e, depth),
            _ => {
                let ty = gen_ty(e);
                format!("(drop {})", self.expr(e, ty, depth))
            }
        }
    }

    /// A bulk operation on one of the module's memories (0, the imported one; 1, `$m1`; 2,
    /// the 64-bit `$m64`): `memory.fill`, `memory.copy` between any two (the length is `i64`
    /// only between two 64-bit memories), `memory.size`, or `memory.grow` by 0 or 1 page (every
    /// memory is declared with a maximum of one page, so growth fails, the same way on both
    /// engines). Addresses mostly fall inside the page; a length may take an access past it.
    fn bulk_memory(&self, e: &mut Entropy, depth: usize) -> String {
        let d = depth + 1;
        let wide = |m: usize| m == 2;
        let operand = |e: &mut Entropy, mask: u32, wide: bool| {
            let x = format!("(i32.and {} (i32.const {mask}))", self.expr(e, Ty::I32, d));
            if wide { format!("(i64.extend_i32_u {x})") } else { x }
        };
        match e.below(4) {
            0 => {
                let m = e.below(3);
                let (at, value, len) =
                    (operand(e, 0xfff0, wide(m)), self.expr(e, Ty::I32, d), operand(e, 0x3f, wide(m)));
                format!("(memory.fill {m} {at} {value} {len})")
            }
            1 => {
                let (to, from) = (e.below(3), e.below(3));
                let (dst, src) = (operand(e, 0xfff0, wide(to)), operand(e, 0xfff0, wide(from)));
                let len = operand(e, 0x3f, wide(to) && wide(from));
                format!("(memory.copy {to} {from} {dst} {src} {len})")
            }
            2 => format!("(drop (memory.size {}))", e.below(3)),
            _ => {
                let m = e.below(3);
                let delta = e.below(2);
                let ty = if wide(m) { "i64" } else { "i32" };
                format!("(drop (memory.grow {m} ({ty}.const {delta})))")
            }
        }
    }

    /// A call's results, each stored to a local or dropped (the last result is on top).
    fn keep_results(&self, e: &mut Entropy, call: String, sig: usize) -> String {
        let mut out = call;
        for t in self.sigs()[sig].results.iter().rev() {
            if e.chance(2, 3) {
                let _ = write!(out, " (local.set {})", self.local_of(e, *t));
            } else {
                out.push_str(" (drop)");
            }
        }
        out
    }

    /// The end of the function: its results, a tail call, or a trap.
    fn tail(&self, e: &mut Entropy) -> String {
        let results = &self.sig.results;
        match e.below(40) {
            0..=16 => {
                let values: Vec<String> = results.iter().map(|t| self.expr(e, *t, 0)).collect();
                format!("(return {})", values.join(" "))
            }
            17..=28 => {
                let candidates = self.funcs_returning(results);
                let f = *e.pick(&candidates);
                format!(
                    "(return_call $f{f} {})",
                    self.args(e, self.module.funcs[f], 0)
                )
            }
            29..=38 => match self.indirect(e, Some(results), 0) {
                Some((table, sig, index)) => {
                    let args = self.args(e, sig, 0);
                    format!("(return_call_indirect {table} (type $t{sig}) {args} {index})")
                }
                None => "(unreachable)".to_string(),
            },
            _ => "(unreachable)".to_string(),
        }
    }

    /// The operands of a memory access after its opcode: the memory (most accesses go to the
    /// imported memory 0, the others to the module's own second memory `$m1` or its 64-bit
    /// memory `$m64`, each of one page), `memarg` (offset and alignment, possibly empty),
    /// and the address, mostly inside the page.
    fn place(&self, e: &mut Entropy, depth: usize, memarg: &str) -> String {
        let addr = self.expr(e, Ty::I32, depth + 1);
        let addr = if e.chance(9, 10) {
            format!("(i32.and {addr} (i32.const 0xfff8))")
        } else {
            addr
        };
        match e.below(8) {
            0 => format!("$m1 {memarg}{addr}"),
            1 => format!("$m64 {memarg}(i64.extend_i32_u {addr})"),
            _ => format!("{memarg}{addr}"),
        }
    }

    fn expr(&self, e: &mut Entropy, ty: Ty, depth: usize) -> String {
        let leaf = depth >= 3;
        let choice = if leaf { e.below(2) } else { e.below(10) };
        match choice {
            0 => const_text(ty, gen_value(e, ty)),
            1 => format!("(local.get {})", self.local_of(e, ty)),
            2 => {
                let globals: Vec<usize> = (0..self.module.globals.len())
                    .filter(|g| self.module.globals[*g] == ty)
                    .collect();
                match (ty, globals.is_empty()) {
                    (_, false) => format!("(global.get $g{})", e.pick(&globals)),
                    (Ty::I32, true) => "(global.get $fuel)".to_string(),
                    _ => const_text(ty, gen_value(e, ty)),
                }
            }
            3 | 4 if depth < 2 => {
                let candidates = self.funcs_returning(&[ty]);
                if candidates.is_empty() {
                    return const_text(ty, gen_value(e, ty));
                }
                let f = *e.pick(&candidates);
                format!("(call $f{f} {})", self.args(e, self.module.funcs[f], depth))
            }
            5 if depth < 2 => match self.indirect(e, Some(&[ty]), depth) {
                Some((table, sig, index)) => {
                    let args = self.args(e, sig, depth);
                    format!("(call_indirect {table} (type $t{sig}) {args} {index})")
                }
                None => const_text(ty, gen_value(e, ty)),
            },
            6 => format!(
                "(select {}{} {} {})",
                // The typed form too, for vectors.
                if ty == Ty::V128 && e.chance(1, 2) {
                    "(result v128) "
                } else {
                    ""
                },
                self.expr(e, ty, depth + 1),
                self.expr(e, ty, depth + 1),
                self.expr(e, Ty::I32, depth + 1)
            ),
            _ => self.operator(e, ty, depth),
        }
    }

    /// An operator producing `ty` (never scalar float arithmetic; vector float arithmetic
    /// with its NaNs canonicalised).
    fn operator(&self, e: &mut Entropy, ty: Ty, depth: usize) -> String {
        let d = depth + 1;
        if ty != Ty::V128 && e.chance(1, 6) {
            return self.scalar_of_vector(e, ty, d);
        }
        match ty {
            Ty::V128 => self.vector(e, depth),
            Ty::I32 | Ty::I64 => {
                let n = ty.name();
                match e.below(9) {
                    0..=3 => {
                        let op = *e.pick(&[
                            "add", "sub", "mul", "xor", "and", "or", "shl", "rotl", "shr_u",
                        ]);
                        format!("({n}.{op} {} {})", self.expr(e, ty, d), self.expr(e, ty, d))
                    }
                    4 => {
                        let op = *e.pick(&["div_u", "div_s", "rem_s"]);
                        let (a, b) = (self.expr(e, ty, d), self.expr(e, ty, d));
                        if e.chance(1, 8) {
                            // May divide by zero or overflow: a deterministic trap.
                            format!("({n}.{op} {a} {b})")
                        } else {
                            format!("({n}.{op} {a} ({n}.or {b} ({n}.const 2)))")
                        }
                    }
                    5 => format!("({n}.load {})", self.place(e, d, "")),
                    6 => {
                        let float = if ty == Ty::I32 { Ty::F32 } else { Ty::F64 };
                        format!(
                            "({n}.reinterpret_{} {})",
                            float.name(),
                            self.expr(e, float, d)
                        )
                    }
                    7 => {
                        let float = *e.pick(&[Ty::F32, Ty::F64]);
                        // Traps on NaN and out-of-range values: a deterministic trap.
                        format!("({n}.trunc_{}_s {})", float.name(), self.expr(e, float, d))
                    }
                    _ if ty == Ty::I32 => {
                        if e.chance(1, 2) {
                            format!("(i32.wrap_i64 {})", self.expr(e, Ty::I64, d))
                        } else {
                            // Not `i32.eqz`: wasmi 2.0.0 evaluates a `select` whose condition
                            // is (or folds to) an `i32.eqz` wrongly, and the generator cannot
                            // see what wasmi folds (see `tests/reference_bugs.rs`). The fuel
                            // check's `if (i32.eqz ...)` is unaffected.
                            format!("(i32.popcnt {})", self.expr(e, Ty::I32, d))
                        }
                    }
                    _ => format!("(i64.extend_i32_s {})", self.expr(e, Ty::I32, d)),
                }
            }
            Ty::F32 | Ty::F64 => {
                let int = if ty == Ty::F32 { Ty::I32 } else { Ty::I64 };
                if e.chance(1, 4) {
                    format!("({}.load {})", ty.name(), self.place(e, d, ""))
                } else {
                    format!(
                        "({}.reinterpret_{} {})",
                        ty.name(),
                        int.name(),
                        self.expr(e, int, d)
                    )
                }
            }
        }
    }
}
