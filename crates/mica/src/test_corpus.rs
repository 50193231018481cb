//! Function bodies for the decoder's and the validator's tests: compiled C programs (their
//! sources and build script are in `crates/mica-wasi/tests/programs`) and a module that uses
//! every opcode the decoder reads itself, and corrupted copies of their bodies.

use alloc::vec::Vec;
use wasmparser::{FuncToValidate, Parser, ValidPayload, Validator, ValidatorResources, WasmFeatures};

/// Compiled C programs (sources and build script beside them) and a module that uses every
/// opcode the decoder reads itself, with short and long immediates.
pub(crate) fn corpus() -> Vec<Vec<u8>> {
    let every_form = wat::parse_str(EVERY_FORM).expect("the test module parses");
    alloc::vec![
        include_bytes!("../../mica-wasi/tests/programs/listcopy.wasm").to_vec(),
        include_bytes!("../../mica-wasi/tests/programs/files.wasm").to_vec(),
        every_form,
    ]
}

/// A function body with what is needed to validate it again.
pub(crate) struct Body {
    pub func: FuncToValidate<ValidatorResources>,
    pub bytes: Vec<u8>,
    pub offset: usize,
}

pub(crate) fn bodies(module: &[u8], features: WasmFeatures) -> Vec<Body> {
    let mut validator = Validator::new_with_features(features);
    let mut out = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.expect("the corpus parses");
        if let ValidPayload::Func(func, body) = validator.payload(&payload).expect("the corpus is valid") {
            let range = body.range();
            let bytes = module[range.start as usize..range.end as usize].to_vec();
            out.push(Body { func, bytes, offset: range.start as usize });
        }
    }
    out
}

/// A small deterministic generator (xorshift).
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A corrupted copy of `bytes`: a byte changed (to a random or a telling value), inserted or
/// removed, or the end cut off.
pub(crate) fn corrupt(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    const TELLING: [u8; 12] = [0x00, 0x0b, 0x40, 0x41, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x28, 0x1c, 0xfc];
    let mut out = bytes.to_vec();
    let at = rng.below(out.len());
    let byte = if rng.below(2) == 0 { rng.next() as u8 } else { TELLING[rng.below(TELLING.len())] };
    match rng.below(4) {
        0 => out[at] = byte,
        1 => out.insert(at, byte),
        2 => {
            out.remove(at);
        }
        _ => out.truncate(at),
    }
    out
}

/// The features to test with: Mica's, and every one (memory64 and multi-memory change how
/// memory immediates are read).
pub(crate) fn feature_sets() -> [WasmFeatures; 2] {
    [crate::engine::Config::default().features, WasmFeatures::all()]
}

/// Every opcode the decoder reads itself, with one-byte and longer immediates, memory
/// immediates with and without an offset, and block types empty, single and indexed.
pub(crate) const EVERY_FORM: &str = r#"
(module
  (type $pair (func (param i32) (result i32 i32)))
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $f (param i32 i64 f32 f64) (result i32)
    (local i32 i64)
    nop
    (block (result i32)
      (loop (result i32)
        (if (result i32) (local.get 0)
          (then (i32.const 63))
          (else (i32.const -64)))
        (i32.const 64) i32.add
        (i32.const -65) i32.add
        (i32.const 2147483647) i32.add
        (br_if 1 (local.get 0))
        (br 0)))
    (block (param i32) (result i32 i32) (i32.const 1))
    drop
    (call $f (local.get 0) (local.get 1) (local.get 2) (local.get 3))
    i32.add
    (local.set 4)
    (local.tee 4 (local.get 4))
    (global.set $g)
    (global.get $g)
    (select (i64.const 63) (i64.const -64) (i32.const 1))
    (i64.add (i64.const 9223372036854775807))
    (i64.add (i64.const -9223372036854775808))
    (local.set 5)
    (i32.load offset=0 (i32.const 0))
    (i64.load offset=127 align=8 (i32.const 0)) (i64.store offset=128 align=1 (i32.const 0) (i64.const 0))
    (f32.load offset=65536 (i32.const 0)) (f32.store (i32.const 0) (f32.const 1.5))
    (f64.load (i32.const 0)) (f64.store (i32.const 0) (f64.const -2.5))
    (i32.load8_s (i32.const 0)) (i32.load8_u (i32.const 0)) (i32.load16_s (i32.const 0))
    (i32.load16_u (i32.const 0)) (i64.load8_s (i32.const 0)) (i64.load8_u (i32.const 0))
    (i64.load16_s (i32.const 0)) (i64.load16_u (i32.const 0)) (i64.load32_s (i32.const 0))
    (i64.load32_u (i32.const 0))
    (i32.store (i32.const 0) (i32.const 0)) (i32.store8 (i32.const 0) (i32.const 0))
    (i32.store16 (i32.const 0) (i32.const 0)) (i64.store8 (i32.const 0) (i64.const 0))
    (i64.store16 (i32.const 0) (i64.const 0)) (i64.store32 (i32.const 0) (i64.const 0))
    drop drop drop drop drop drop drop drop drop drop drop drop drop drop drop
    (drop (memory.size)) (drop (memory.grow (i32.const 0)))
    (drop (i32.eqz (i32.const 0)))
    (drop (i32.eq (i32.const 0) (i32.const 0))) (drop (i32.ne (i32.const 0) (i32.const 0)))
    (drop (i32.lt_s (i32.const 0) (i32.const 0))) (drop (i32.lt_u (i32.const 0) (i32.const 0)))
    (drop (i32.gt_s (i32.const 0) (i32.const 0))) (drop (i32.gt_u (i32.const 0) (i32.const 0)))
    (drop (i32.le_s (i32.const 0) (i32.const 0))) (drop (i32.le_u (i32.const 0) (i32.const 0)))
    (drop (i32.ge_s (i32.const 0) (i32.const 0))) (drop (i32.ge_u (i32.const 0) (i32.const 0)))
    (drop (i64.eqz (i64.const 0)))
    (drop (i64.eq (i64.const 0) (i64.const 0))) (drop (i64.ne (i64.const 0) (i64.const 0)))
    (drop (i64.lt_s (i64.const 0) (i64.const 0))) (drop (i64.lt_u (i64.const 0) (i64.const 0)))
    (drop (i64.gt_s (i64.const 0) (i64.const 0))) (drop (i64.gt_u (i64.const 0) (i64.const 0)))
    (drop (i64.le_s (i64.const 0) (i64.const 0))) (drop (i64.le_u (i64.const 0) (i64.const 0)))
    (drop (i64.ge_s (i64.const 0) (i64.const 0))) (drop (i64.ge_u (i64.const 0) (i64.const 0)))
    (drop (f32.eq (local.get 2) (local.get 2))) (drop (f32.ne (local.get 2) (local.get 2)))
    (drop (f32.lt (local.get 2) (local.get 2))) (drop (f32.gt (local.get 2) (local.get 2)))
    (drop (f32.le (local.get 2) (local.get 2))) (drop (f32.ge (local.get 2) (local.get 2)))
    (drop (f64.eq (local.get 3) (local.get 3))) (drop (f64.ne (local.get 3) (local.get 3)))
    (drop (f64.lt (local.get 3) (local.get 3))) (drop (f64.gt (local.get 3) (local.get 3)))
    (drop (f64.le (local.get 3) (local.get 3))) (drop (f64.ge (local.get 3) (local.get 3)))
    (drop (i32.clz (i32.const 0))) (drop (i32.ctz (i32.const 0))) (drop (i32.popcnt (i32.const 0)))
    (drop (i32.sub (i32.const 0) (i32.const 0))) (drop (i32.mul (i32.const 0) (i32.const 0)))
    (drop (i32.div_s (i32.const 0) (i32.const 0))) (drop (i32.div_u (i32.const 0) (i32.const 0)))
    (drop (i32.rem_s (i32.const 0) (i32.const 0))) (drop (i32.rem_u (i32.const 0) (i32.const 0)))
    (drop (i32.and (i32.const 0) (i32.const 0))) (drop (i32.or (i32.const 0) (i32.const 0)))
    (drop (i32.xor (i32.const 0) (i32.const 0))) (drop (i32.shl (i32.const 0) (i32.const 0)))
    (drop (i32.shr_s (i32.const 0) (i32.const 0))) (drop (i32.shr_u (i32.const 0) (i32.const 0)))
    (drop (i32.rotl (i32.const 0) (i32.const 0))) (drop (i32.rotr (i32.const 0) (i32.const 0)))
    (drop (i64.clz (i64.const 0))) (drop (i64.ctz (i64.const 0))) (drop (i64.popcnt (i64.const 0)))
    (drop (i64.sub (i64.const 0) (i64.const 0))) (drop (i64.mul (i64.const 0) (i64.const 0)))
    (drop (i64.div_s (i64.const 0) (i64.const 0))) (drop (i64.div_u (i64.const 0) (i64.const 0)))
    (drop (i64.rem_s (i64.const 0) (i64.const 0))) (drop (i64.rem_u (i64.const 0) (i64.const 0)))
    (drop (i64.and (i64.const 0) (i64.const 0))) (drop (i64.or (i64.const 0) (i64.const 0)))
    (drop (i64.xor (i64.const 0) (i64.const 0))) (drop (i64.shl (i64.const 0) (i64.const 0)))
    (drop (i64.shr_s (i64.const 0) (i64.const 0))) (drop (i64.shr_u (i64.const 0) (i64.const 0)))
    (drop (i64.rotl (i64.const 0) (i64.const 0))) (drop (i64.rotr (i64.const 0) (i64.const 0)))
    (drop (f32.abs (local.get 2))) (drop (f32.neg (local.get 2))) (drop (f32.ceil (local.get 2)))
    (drop (f32.floor (local.get 2))) (drop (f32.trunc (local.get 2))) (drop (f32.nearest (local.get 2)))
    (drop (f32.sqrt (local.get 2))) (drop (f32.add (local.get 2) (local.get 2)))
    (drop (f32.sub (local.get 2) (local.get 2))) (drop (f32.mul (local.get 2) (local.get 2)))
    (drop (f32.div (local.get 2) (local.get 2))) (drop (f32.min (local.get 2) (local.get 2)))
    (drop (f32.max (local.get 2) (local.get 2))) (drop (f32.copysign (local.get 2) (local.get 2)))
    (drop (f64.abs (local.get 3))) (drop (f64.neg (local.get 3))) (drop (f64.ceil (local.get 3)))
    (drop (f64.floor (local.get 3))) (drop (f64.trunc (local.get 3))) (drop (f64.nearest (local.get 3)))
    (drop (f64.sqrt (local.get 3))) (drop (f64.add (local.get 3) (local.get 3)))
    (drop (f64.sub (local.get 3) (local.get 3))) (drop (f64.mul (local.get 3) (local.get 3)))
    (drop (f64.div (local.get 3) (local.get 3))) (drop (f64.min (local.get 3) (local.get 3)))
    (drop (f64.max (local.get 3) (local.get 3))) (drop (f64.copysign (local.get 3) (local.get 3)))
    (drop (i32.wrap_i64 (local.get 1))) (drop (i32.trunc_f32_s (local.get 2)))
    (drop (i32.trunc_f32_u (local.get 2))) (drop (i32.trunc_f64_s (local.get 3)))
    (drop (i32.trunc_f64_u (local.get 3))) (drop (i64.extend_i32_s (local.get 0)))
    (drop (i64.extend_i32_u (local.get 0))) (drop (i64.trunc_f32_s (local.get 2)))
    (drop (i64.trunc_f32_u (local.get 2))) (drop (i64.trunc_f64_s (local.get 3)))
    (drop (i64.trunc_f64_u (local.get 3))) (drop (f32.convert_i32_s (local.get 0)))
    (drop (f32.convert_i32_u (local.get 0))) (drop (f32.convert_i64_s (local.get 1)))
    (drop (f32.convert_i64_u (local.get 1))) (drop (f32.demote_f64 (local.get 3)))
    (drop (f64.convert_i32_s (local.get 0))) (drop (f64.convert_i32_u (local.get 0)))
    (drop (f64.convert_i64_s (local.get 1))) (drop (f64.convert_i64_u (local.get 1)))
    (drop (f64.promote_f32 (local.get 2))) (drop (i32.reinterpret_f32 (local.get 2)))
    (drop (i64.reinterpret_f64 (local.get 3))) (drop (f32.reinterpret_i32 (local.get 0)))
    (drop (f64.reinterpret_i64 (local.get 1)))
    (drop (i32.extend8_s (local.get 0))) (drop (i32.extend16_s (local.get 0)))
    (drop (i64.extend8_s (local.get 1))) (drop (i64.extend16_s (local.get 1)))
    (drop (i64.extend32_s (local.get 1)))
    (if (local.get 0) (then unreachable))
    (return (local.get 0)))
  (func (param i32) (result i32)
    (return_call $f (local.get 0) (i64.const 0) (f32.const 0) (f64.const 0))))
"#;

