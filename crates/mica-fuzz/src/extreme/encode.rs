//! The binary encoding the extreme-shape generator writes directly: bodies of hundreds of
//! kilobytes are cheaper to emit as bytes than as text, and their exact size is what the
//! checks compare the translated code with.

use crate::program::Ty;

pub const EMPTY_BLOCK: u8 = 0x40;

pub const BLOCK: u8 = 0x02;
pub const LOOP: u8 = 0x03;
pub const IF: u8 = 0x04;
pub const ELSE: u8 = 0x05;
pub const END: u8 = 0x0b;
pub const BR: u8 = 0x0c;
pub const BR_IF: u8 = 0x0d;
pub const BR_TABLE: u8 = 0x0e;
pub const RETURN: u8 = 0x0f;
pub const DROP: u8 = 0x1a;
pub const SELECT: u8 = 0x1b;
pub const LOCAL_GET: u8 = 0x20;
pub const LOCAL_SET: u8 = 0x21;
pub const LOCAL_TEE: u8 = 0x22;
pub const I32_CONST: u8 = 0x41;
pub const I64_CONST: u8 = 0x42;
pub const F32_CONST: u8 = 0x43;
pub const F64_CONST: u8 = 0x44;
pub const I32_SUB: u8 = 0x6b;
pub const I32_GT_S: u8 = 0x4a;
pub const I64_XOR: u8 = 0x85;
pub const I64_ROTL: u8 = 0x89;
pub const I32_WRAP_I64: u8 = 0xa7;
pub const I64_EXTEND_I32_S: u8 = 0xac;
pub const I64_EXTEND_I32_U: u8 = 0xad;
pub const I32_REINTERPRET_F32: u8 = 0xbc;
pub const I64_REINTERPRET_F64: u8 = 0xbd;
pub const F32_REINTERPRET_I32: u8 = 0xbe;
pub const F64_REINTERPRET_I64: u8 = 0xbf;

/// Binary operators `[t t] -> [t]` that cannot trap: add, sub, mul, and, or, xor, shl,
/// shr_u, rotl.
pub const I32_BINOPS: [u8; 9] = [0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x76, 0x77];
pub const I64_BINOPS: [u8; 9] = [0x7c, 0x7d, 0x7e, 0x83, 0x84, 0x85, 0x86, 0x88, 0x89];
/// Comparisons `[t t] -> [i32]`: eq, ne, lt_s, lt_u, gt_s, gt_u, le_u, ge_s.
pub const I32_COMPARES: [u8; 8] = [0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4d, 0x4e];
pub const I64_COMPARES: [u8; 8] = [0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x58, 0x59];

/// The SIMD prefix; the operation's number follows as a LEB128 `u32`.
pub const SIMD: u8 = 0xfd;
pub const V128_CONST: u32 = 0x0c;
pub const I8X16_SHUFFLE: u32 = 0x0d;
pub const I8X16_SPLAT: u32 = 0x0f;
pub const I32X4_SPLAT: u32 = 0x11;
pub const I64X2_SPLAT: u32 = 0x12;
pub const I64X2_EXTRACT_LANE: u32 = 0x1d;
pub const I64X2_REPLACE_LANE: u32 = 0x1e;
/// SIMD operations `[v128 v128] -> [v128]` that cannot trap and compute no float: and, or,
/// xor, i8x16.add, i8x16.sub, i16x8.add, i16x8.mul, i32x4.add, i32x4.mul, i64x2.add,
/// i64x2.mul.
pub const V128_BINOPS: [u32; 11] = [
    0x4e, 0x50, 0x51, 0x6e, 0x71, 0x8e, 0x95, 0xae, 0xb5, 0xce, 0xd5,
];

pub fn valtype(ty: Ty) -> u8 {
    match ty {
        Ty::I32 => 0x7f,
        Ty::I64 => 0x7e,
        Ty::F32 => 0x7d,
        Ty::F64 => 0x7c,
        Ty::V128 => 0x7b,
    }
}

/// Appends SIMD operation `op`.
pub fn simd(out: &mut Vec<u8>, op: u32) {
    out.push(SIMD);
    leb_u32(out, op);
}

pub fn leb_u32(out: &mut Vec<u8>, mut v: u32) {
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

pub fn leb_i64(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0);
        if done {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn section(out: &mut Vec<u8>, id: u8, contents: &[u8]) {
    out.push(id);
    leb_u32(out, contents.len() as u32);
    out.extend_from_slice(contents);
}

/// A function type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuncType {
    pub params: Vec<Ty>,
    pub results: Vec<Ty>,
}

/// A function: its type index, local declarations (count, type) and code (ending in `end`).
pub struct FuncCode {
    pub ty: u32,
    pub locals: Vec<(u32, Ty)>,
    pub code: Vec<u8>,
}

/// The encoded body of `f`: local declarations and code.
pub fn body(f: &FuncCode) -> Vec<u8> {
    let mut body = Vec::with_capacity(f.code.len() + 2 * f.locals.len() + 8);
    leb_u32(&mut body, f.locals.len() as u32);
    for &(count, ty) in &f.locals {
        leb_u32(&mut body, count);
        body.push(valtype(ty));
    }
    body.extend_from_slice(&f.code);
    body
}

/// A module of `types` and functions whose bodies are `bodies` (from [`body`]), each
/// exported as `f<index>`.
pub fn module(types: &[FuncType], funcs: &[u32], bodies: &[Vec<u8>]) -> Vec<u8> {
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    let mut s = Vec::new();
    leb_u32(&mut s, types.len() as u32);
    for t in types {
        s.push(0x60);
        leb_u32(&mut s, t.params.len() as u32);
        s.extend(t.params.iter().map(|t| valtype(*t)));
        leb_u32(&mut s, t.results.len() as u32);
        s.extend(t.results.iter().map(|t| valtype(*t)));
    }
    section(&mut wasm, 1, &s);
    s.clear();
    leb_u32(&mut s, funcs.len() as u32);
    for &ty in funcs {
        leb_u32(&mut s, ty);
    }
    section(&mut wasm, 3, &s);
    s.clear();
    leb_u32(&mut s, funcs.len() as u32);
    for i in 0..funcs.len() {
        let name = format!("f{i}");
        leb_u32(&mut s, name.len() as u32);
        s.extend_from_slice(name.as_bytes());
        s.push(0); // a function
        leb_u32(&mut s, i as u32);
    }
    section(&mut wasm, 7, &s);
    s.clear();
    leb_u32(&mut s, bodies.len() as u32);
    for b in bodies {
        leb_u32(&mut s, b.len() as u32);
        s.extend_from_slice(b);
    }
    section(&mut wasm, 10, &s);
    wasm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_leb() {
        let enc = |v| {
            let mut out = Vec::new();
            leb_i64(&mut out, v);
            out
        };
        assert_eq!(enc(0), [0]);
        assert_eq!(enc(-1), [0x7f]);
        assert_eq!(enc(63), [0x3f]);
        assert_eq!(enc(64), [0xc0, 0x00]);
        assert_eq!(enc(-64), [0x40]);
        assert_eq!(enc(-65), [0xbf, 0x7f]);
        assert_eq!(enc(i64::MIN).len(), 10);
    }
}
