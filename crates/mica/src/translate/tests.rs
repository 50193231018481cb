//! Translation of bodies built to be expensive: the work must stay linear in the body's size,
//! and code that would expand without bound is refused by the budget.

use super::*;
use crate::bytecode::ModuleCounts;
use alloc::string::String;
use core::fmt::Write;

/// Translates the one function of `wat` (type `[] -> []`), returning the result and the
/// operand positions the stack visited, and the body's size.
fn translate(wat: &str) -> (Result<usize>, usize, usize) {
    let binary = wat::parse_str(wat).expect("valid text");
    let mut scratch = Scratch::default();
    let (result, len) = translate_one(&binary, &mut scratch);
    let result = result.map(|bytecode| bytecode.code.len());
    (result, scratch.work, len)
}

/// Translates the one function of `binary` (type `[] -> []`) into `scratch`; returns the
/// result and the body's size. A build without `fast` translates only as it validates.
fn translate_one<'s>(binary: &[u8], scratch: &'s mut Scratch) -> (Result<Bytecode<'s>>, usize) {
    let mut body = None;
    let mut validator = wasmparser::Validator::new();
    for payload in wasmparser::Parser::new(0).parse_all(binary) {
        let payload = payload.expect("well-formed");
        if let wasmparser::ValidPayload::Func(func, b) = validator.payload(&payload).expect("valid") {
            body = Some((b.range(), func.into_validator(Default::default())));
        }
    }
    let (range, mut func) = body.expect("one function");
    let range = range.start as usize..range.end as usize;
    let types = [FuncType::new([], [])];
    let counts = ModuleCounts { funcs: 1, types: 1, ..ModuleCounts::default() };
    let env = ModuleEnv { types: &types, defined: &[], stack_maps: false, funcs: &[0], tags: &[], globals: &[], memories: &[], tables: &[], counts, metering: Default::default() };
    let func = if cfg!(feature = "fast") { None } else { Some(&mut func) };
    (translate_func(env, 0, &binary[range.clone()], range.start, func, scratch), range.len())
}

/// `n` copies of `piece`, inside a function whose locals are `(local i32 i32)`.
fn func(prefix: &str, piece: &str, n: usize, suffix: &str) -> String {
    let mut body = String::from("(module (func (local i32 i32)\n");
    body.push_str(prefix);
    for _ in 0..n {
        body.push_str(piece);
    }
    body.push_str(suffix);
    body.push_str("))");
    body
}

fn deep_stack(n: usize) -> (String, String) {
    let mut push = String::new();
    let mut drop = String::new();
    for _ in 0..n {
        push.push_str("local.get 0\n");
        drop.push_str("drop\n");
    }
    (push, drop)
}

/// Each `block`, `loop`, `if`, `local.set` and `local.tee` used to cost time proportional to
/// the operand stack's height: quadratic in the body's size.
#[test]
fn operations_over_a_deep_stack_are_linear() {
    for piece in [
        "i32.const 0 local.set 1\n",
        "i32.const 0 local.tee 1 drop\n",
        "block end\n",
        "loop end\n",
        "i32.const 0 if end\n",
        "local.get 1 i32.const 0 local.set 1 drop\n",
    ] {
        for (height, n) in [(2_000, 10_000), (4_000, 20_000)] {
            let (push, drop) = deep_stack(height);
            let (result, work, len) = translate(&func(&push, piece, n, &drop));
            result.expect("translates");
            assert!(work <= 4 * len, "{piece:?} over {height} operands: {work} visits for {len} bytes");
        }
    }
}

/// Locals read into the stack and then written one by one: each write materialises only the
/// operands naming its local.
#[test]
fn local_sets_materialise_only_their_locals() {
    let mut body = String::new();
    for i in 0..3_000 {
        let _ = writeln!(body, "local.get {}", i % 2);
    }
    let (result, work, len) = translate(&func(&body, "i32.const 7 local.set 0\ni32.const 8 local.set 1\n", 3_000, &"drop\n".repeat(3_000)));
    result.expect("translates");
    assert!(work <= 4 * len, "{work} visits for {len} bytes");
}

/// A `br_table` whose entries all need their values moved shares one landing pad per target.
#[test]
fn br_table_pads_are_shared_by_target() {
    let mut targets = String::new();
    for i in 0..5_000 {
        let _ = write!(targets, "{} ", i % 3);
    }
    let wat = alloc::format!(
        "(module (func (result i32 i32) (local i32)
           (block (result i32 i32) (block (result i32 i32) (block (result i32 i32)
             local.get 0 local.get 0 local.get 0 br_table {targets} 0) drop drop i32.const 0 i32.const 0) drop drop i32.const 0 i32.const 0)))"
    );
    let binary = wat::parse_str(&wat).expect("valid");
    let engine = crate::Engine::default();
    let module = crate::Module::from_binary(&engine, &binary).expect("loads");
    let listing = module.disassemble(0).expect("defined").expect("translates");
    assert!(listing.lines().count() < 5_000 + 100, "{} instructions", listing.lines().count());
}

/// Bodies built to expand (two-byte branches each copying many values) are refused with an
/// error, not translated into gigabytes.
#[test]
fn expansion_past_the_budget_is_an_error() {
    let n = 200;
    let results = "i32 ".repeat(n);
    let values = "local.get 0\n".repeat(n);
    let branches = "i32.const 1 br_if 0\n".repeat(20_000);
    let wat = alloc::format!(
        "(module (func (param i32) (result {results}) {values} {branches}))"
    );
    let binary = wat::parse_str(&wat).expect("valid");
    let engine = crate::Engine::default();
    let error = crate::Module::from_binary(&engine, &binary).expect_err("over the budget");
    assert!(alloc::format!("{error}").contains("instructions per byte"), "{error}");
}

/// A branch back to a loop that starts with its exit test becomes a copy of the inverted
/// test (`Translator::thread_loop_test`) however deep the loop is nested: the test's target
/// frame is recorded when the test is emitted. (It used to be searched for among the
/// enclosing frames at each such branch: 40,000 branches under 40,000 blocks, a 400 KB
/// body, took 4 s to translate.)
#[test]
fn loop_tests_are_threaded_under_deep_nesting() {
    let (n, m) = (3000, 500);
    let mut text = String::from("(module (func (local i32 i32)\n");
    for _ in 0..n {
        text.push_str("block\n");
    }
    text.push_str("block $out loop $l local.get 0 br_if $out\n");
    for _ in 0..m {
        text.push_str("local.get 1 if br 1 end\n");
    }
    text.push_str("end end\n");
    for _ in 0..n {
        text.push_str("end\n");
    }
    text.push_str("))");
    let binary = wat::parse_str(&text).expect("valid text");
    let mut scratch = Scratch::default();
    let code = translate_one(&binary, &mut scratch)
        .0
        .expect("translates")
        .code
        .to_vec();
    // Each `br 1` back to the loop is the test inverted (`local.get 0` is slot 0) and a jump.
    let inverted = code.iter().filter(|i| matches!(i, Instr::BrIfEqz(BrIf { cond: 0, .. }))).count();
    assert_eq!(inverted, m);
}

/// The engine keeps translation's buffers from one module to the next (`BufferPool`),
/// trimmed: what it keeps does not grow with what it translated, a module that fails
/// half-way leaves them usable, and a body over 16 KiB does not leave its validator's stacks.
#[test]
fn the_engine_keeps_bounded_buffers_between_modules() {
    use crate::{Engine, Instance, Module, Store};
    let engine = Engine::default();
    // About 5,000 instructions: more than the pool keeps of any list.
    let big = alloc::format!(
        "(module (global $g (mut i32) (i32.const 0)) (func (export \"f\") (result i32) {} global.get $g))",
        "global.get $g i32.const 1 i32.add global.set $g ".repeat(3000)
    );
    let big = wat::parse_str(&big).expect("valid text");
    assert!(big.len() > BufferPool::LONGEST_POOLED_BODY);
    Module::from_binary(&engine, &big).expect("valid");
    let kept = engine.buffers().take();
    assert!(kept.scratch.code.capacity() <= 1024, "{} instructions kept", kept.scratch.code.capacity());
    assert_eq!(kept.longest_body, 0);
    engine.buffers().give_back(kept);
    // A module whose second function does not validate, then one that runs.
    let bad = wat::parse_str("(module (func (result i32) i32.const 1) (func (result i32) i64.const 1))").unwrap();
    assert!(Module::from_binary(&engine, &bad).is_err());
    let module = Module::from_binary(&engine, &big).expect("valid");
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).expect("no imports");
    let f = instance.get_typed_func::<(), i32>(&store, "f").expect("exported");
    assert_eq!(f.call(&mut store, ()).expect("runs"), 3000);
}
