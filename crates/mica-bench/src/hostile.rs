//! The hostile shapes: function bodies built so that a translator which does more than
//! constant work per operator over a deep operand stack, a deep control stack, a long
//! `br_table` or many locals shows it. Each shape is generated, as a binary module of one
//! function, at two sizes; the harness times eager compilation of both on both engines (the
//! `hostile` phase) and reports time per byte and how it grows from one size to the other.
//! One shape, `br_table_wide`, measures the validator both engines share (wasmparser), which
//! compares each `br_table` entry's label types: 1000 of them per byte there.
//!
//! The bytes are written directly (not through the `wat` crate) so that the body's size is
//! exactly what the shape's counts make it.

/// A generated module and what it holds.
#[derive(Debug, Clone)]
pub struct Built {
    pub wasm: Vec<u8>,
    /// The size of the function's body in the code section (local declarations included).
    pub body_bytes: usize,
    /// The shape's counts, as the report shows them (`stack 20000, N = 10000`).
    pub counts: String,
}

/// One hostile shape.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub name: &'static str,
    pub what: &'static str,
    build: fn(Size, bool) -> Built,
}

/// Which of a shape's two sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Small,
    Large,
}

impl Size {
    pub const BOTH: [Size; 2] = [Size::Small, Size::Large];

    pub fn label(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Large => "large",
        }
    }

    /// Picks `small` or `large`, divided by ten with `--quick`.
    fn pick(self, [small, large]: [usize; 2], quick: bool) -> usize {
        let n = match self {
            Size::Small => small,
            Size::Large => large,
        };
        if quick { n / 10 } else { n }
    }

    /// The target body size in bytes: 100 KiB and 400 KiB, or 10 and 40 KiB with `--quick`.
    pub fn body_bytes(self, quick: bool) -> usize {
        self.pick([100 * 1024, 400 * 1024], quick)
    }
}

impl Shape {
    /// The module of this shape at `size`.
    pub fn build(&self, size: Size, quick: bool) -> Built {
        (self.build)(size, quick)
    }
}

/// The shapes, in report order.
pub const SHAPES: &[Shape] = &[
    Shape {
        name: "stack_sets",
        what: "20000 × local.get 0, then N × (i32.const 0; local.set 1), then drops",
        build: stack_sets,
    },
    Shape {
        name: "stack_blocks",
        what: "20000 × local.get 0, then N empty blocks, then drops",
        build: stack_blocks,
    },
    Shape {
        name: "nesting",
        what: "N nested blocks, a br_if to the outermost inside",
        build: nesting,
    },
    Shape {
        name: "loop_exits",
        what: "N nested blocks around a loop that starts with its exit test, and N branches back to the loop, each in an `if`",
        build: loop_exits,
    },
    Shape {
        name: "br_table",
        what: "one br_table of N entries (wasmi: at most 131072) over 64 nested (result i32) blocks",
        build: br_table,
    },
    Shape {
        name: "br_table_wide",
        what: "the same br_table over 2 blocks of 1000 results (100 with --quick)",
        build: br_table_wide,
    },
    Shape {
        name: "consts64",
        what: "N distinct i64 constants, each set into a local",
        build: consts64,
    },
    Shape {
        name: "many_locals",
        what: "N locals declared one by one (wasmi: at most 30000), a few used",
        build: many_locals,
    },
];

// --- value types and opcodes --------------------------------------------------------------

const I32: u8 = 0x7f;
const I64: u8 = 0x7e;
const F32: u8 = 0x7d;
const F64: u8 = 0x7c;
const EMPTY: u8 = 0x40;

const BLOCK: u8 = 0x02;
const LOOP: u8 = 0x03;
const IF: u8 = 0x04;
const BR: u8 = 0x0c;
const END: u8 = 0x0b;
const BR_IF: u8 = 0x0d;
const BR_TABLE: u8 = 0x0e;
const DROP: u8 = 0x1a;
const LOCAL_GET: u8 = 0x20;
const LOCAL_SET: u8 = 0x21;
const I32_CONST: u8 = 0x41;
const I64_CONST: u8 = 0x42;
const I32_ADD: u8 = 0x6a;

/// The operand stack height of `stack_sets` and `stack_blocks` (a tenth with `--quick`).
fn stack_height(quick: bool) -> usize {
    if quick { 2_000 } else { 20_000 }
}

fn leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn section(out: &mut Vec<u8>, id: u8, contents: &[u8]) {
    out.push(id);
    leb(out, contents.len() as u32);
    out.extend_from_slice(contents);
}

/// A module of one function of type `params -> []`, with local declarations `locals` (count,
/// type) and code `code` (which must end with `end`).
fn module(params: &[u8], locals: &[(u32, u8)], code: &[u8], counts: String) -> Built {
    module_with_types(&[(params, &[])], locals, code, counts)
}

/// [`module`] with more types (parameters, results) after the function's, type 0, for block
/// types.
fn module_with_types(
    func_types: &[(&[u8], &[u8])],
    locals: &[(u32, u8)],
    code: &[u8],
    counts: String,
) -> Built {
    let mut types = Vec::new();
    leb(&mut types, func_types.len() as u32);
    for (params, results) in func_types {
        types.push(0x60);
        leb(&mut types, params.len() as u32);
        types.extend_from_slice(params);
        leb(&mut types, results.len() as u32);
        types.extend_from_slice(results);
    }
    let mut body = Vec::with_capacity(code.len() + 2 * locals.len() + 8);
    leb(&mut body, locals.len() as u32);
    for &(count, ty) in locals {
        leb(&mut body, count);
        body.push(ty);
    }
    body.extend_from_slice(code);
    let mut code_section = vec![1];
    leb(&mut code_section, body.len() as u32);
    code_section.extend_from_slice(&body);
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    section(&mut wasm, 1, &types);
    section(&mut wasm, 3, &[1, 0]);
    section(&mut wasm, 10, &code_section);
    Built { wasm, body_bytes: body.len(), counts }
}

/// `height` × `local.get 0`, then `piece` as many times as fills the target size, then
/// `height` × `drop`; locals: the `i32` parameter and one `i32`.
fn over_deep_stack(size: Size, quick: bool, piece: &[u8]) -> Built {
    let height = stack_height(quick);
    let n = size.body_bytes(quick).saturating_sub(3 * height) / piece.len();
    let mut code = Vec::with_capacity(3 * height + n * piece.len() + 1);
    for _ in 0..height {
        code.extend_from_slice(&[LOCAL_GET, 0]);
    }
    for _ in 0..n {
        code.extend_from_slice(piece);
    }
    code.extend(std::iter::repeat_n(DROP, height));
    code.push(END);
    module(&[I32], &[(1, I32)], &code, format!("stack {height}, N = {n}"))
}

fn stack_sets(size: Size, quick: bool) -> Built {
    over_deep_stack(size, quick, &[I32_CONST, 0, LOCAL_SET, 1])
}

fn stack_blocks(size: Size, quick: bool) -> Built {
    over_deep_stack(size, quick, &[BLOCK, EMPTY, END])
}

fn nesting(size: Size, quick: bool) -> Built {
    let n = size.body_bytes(quick) / 3;
    let mut code = Vec::with_capacity(3 * n + 8);
    for _ in 0..n {
        code.extend_from_slice(&[BLOCK, EMPTY]);
    }
    code.extend_from_slice(&[LOCAL_GET, 0, BR_IF]);
    leb(&mut code, n as u32 - 1);
    code.extend(std::iter::repeat_n(END, n));
    code.push(END);
    module(&[I32], &[], &code, format!("N = {n}"))
}

/// Each branch back to the loop is translated as a copy of the loop's exit test, whose
/// target frame, pending under the N blocks, used to be searched for at every branch.
fn loop_exits(size: Size, quick: bool) -> Built {
    // 2 bytes a block and its end, 7 a branch back: 10 bytes per N.
    let n = size.body_bytes(quick) / 10;
    let mut code = Vec::with_capacity(10 * n + 16);
    for _ in 0..=n {
        code.extend_from_slice(&[BLOCK, EMPTY]);
    }
    code.extend_from_slice(&[LOOP, EMPTY, LOCAL_GET, 0, BR_IF, 1]);
    for _ in 0..n {
        code.extend_from_slice(&[LOCAL_GET, 0, IF, EMPTY, BR, 1, END]);
    }
    code.push(END);
    code.extend(std::iter::repeat_n(END, n + 1));
    code.push(END);
    module(&[I32], &[], &code, format!("N = {n}"))
}

/// Bodies of 32 and 128 KiB (not 100 and 400): the wasmparser that wasmi 2.0 uses refuses a
/// `br_table` of more than 131072 entries.
fn br_table(size: Size, quick: bool) -> Built {
    const BLOCKS: u32 = 64;
    // 204 bytes besides the entries: the blocks, their ends, the operands, the count.
    let n = size.pick([32 * 1024, 128 * 1024], quick) - 3 * BLOCKS as usize - 12;
    let mut code = Vec::with_capacity(n + 3 * BLOCKS as usize + 16);
    for _ in 0..BLOCKS {
        code.extend_from_slice(&[BLOCK, I32]);
    }
    code.extend_from_slice(&[LOCAL_GET, 0, LOCAL_GET, 0, BR_TABLE]);
    leb(&mut code, n as u32);
    for i in 0..n {
        // Every target below 64 is one byte; consecutive entries name different blocks.
        code.push((i * 7 % BLOCKS as usize) as u8);
    }
    code.push(0);
    // Each block's result is the next one's.
    code.extend(std::iter::repeat_n(END, BLOCKS as usize));
    code.extend_from_slice(&[DROP, END]);
    module(&[I32], &[], &code, format!("N = {n}"))
}

/// 7500 and 30000 locals: wasmi 2.0 refuses a function of more than 30000 (Mica takes the
/// validator's limit, 50000).
/// [`br_table`] with labels of 1000 results (the most a type may have): a validator checks
/// every entry's label types, so each byte of entries costs 1000 type comparisons.
fn br_table_wide(size: Size, quick: bool) -> Built {
    let arity = if quick { 100 } else { 1000 };
    // 3 bytes per value (its `local.get` and its `drop`), 16 besides.
    let n = size.pick([32 * 1024, 128 * 1024], quick) - 3 * arity - 16;
    let mut code = vec![BLOCK, 1, BLOCK, 1];
    for _ in 0..arity {
        code.extend_from_slice(&[LOCAL_GET, 0]);
    }
    code.extend_from_slice(&[LOCAL_GET, 0, BR_TABLE]);
    leb(&mut code, n as u32);
    code.extend((0..n).map(|i| (i % 2) as u8));
    code.extend_from_slice(&[0, END, END]);
    code.extend(std::iter::repeat_n(DROP, arity));
    code.push(END);
    let results = vec![I32; arity];
    let counts = format!("{arity} results, N = {n}");
    module_with_types(&[(&[I32], &[]), (&[], &results)], &[], &code, counts)
}

/// Each constant goes to the function's constant pool, whose lookup for an equal value
/// used to be a search of the pool.
fn consts64(size: Size, quick: bool) -> Built {
    // 9 bytes per constant (opcode, 6-byte LEB, local.set 0).
    let n = size.body_bytes(quick) / 9;
    let mut code = Vec::with_capacity(9 * n + 1);
    for i in 0..n as u64 {
        code.push(I64_CONST);
        let mut v = (1u64 << 40) + i * 7919;
        // A signed LEB128 of a positive value below 2^41: six bytes.
        for _ in 0..5 {
            code.push((v & 0x7f) as u8 | 0x80);
            v >>= 7;
        }
        code.push((v & 0x7f) as u8);
        code.extend_from_slice(&[LOCAL_SET, 0]);
    }
    code.push(END);
    module(&[], &[(1, I64)], &code, format!("N = {n}"))
}

fn many_locals(size: Size, quick: bool) -> Built {
    let n = size.pick([7_500, 30_000], quick) as u32;
    // Local `i` has type `TYPES[i % 4]`; one declaration per local, so bytes grow with the
    // count (a single `(local 50000 i32)` would be five bytes).
    const TYPES: [u8; 4] = [I32, I64, F32, F64];
    let locals: Vec<(u32, u8)> = (0..n).map(|i| (1, TYPES[i as usize % 4])).collect();
    // A few `i32` locals (indices that are multiples of 4), far apart.
    let last = (n - 1) / 4 * 4;
    let middle = n / 8 * 4;
    let mut code = Vec::new();
    for (from, to) in [(0, last), (last, middle), (middle, 0)] {
        code.push(LOCAL_GET);
        leb(&mut code, from);
        code.push(I32_CONST);
        code.push(1);
        code.push(I32_ADD);
        code.push(LOCAL_SET);
        leb(&mut code, to);
    }
    for l in [0, middle, last] {
        code.push(LOCAL_GET);
        leb(&mut code, l);
    }
    code.extend_from_slice(&[I32_ADD, I32_ADD, DROP, END]);
    module(&[], &locals, &code, format!("N = {n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_is_valid_at_quick_sizes_and_near_its_target() {
        for shape in SHAPES {
            for size in Size::BOTH {
                let built = shape.build(size, true);
                // Validation alone: whether Mica translates it is the benchmark's business. A
                // `br_table` over labels of many values may be past Mica's validation budget
                // (a refusal, not an invalid module).
                let mut config = mica::Config::new();
                config.translation(mica::TranslationMode::Lazy);
                let lazy = mica::Engine::new(&config);
                match mica::Module::from_binary(&lazy, &built.wasm) {
                    Ok(_) => {}
                    Err(e) if shape.name == "br_table_wide" && e.to_string().contains("label types per byte") => {}
                    Err(e) => panic!("{} {size:?}: {e}", shape.name),
                }
                if !["many_locals", "br_table", "br_table_wide"].contains(&shape.name) {
                    let target = size.body_bytes(true);
                    assert!(
                        built.body_bytes <= target + 16 && built.body_bytes + 16 >= target,
                        "{} {size:?}: {} bytes for a target of {target}",
                        shape.name,
                        built.body_bytes
                    );
                }
            }
        }
    }
}
