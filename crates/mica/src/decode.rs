//! Decoding function-body operators for a `wasmparser` visitor, the common ones by hand.
//!
//! `BinaryReader::visit_operator` is one large function that is never inlined: every operator
//! pays for a call, a check that a frame is still open and a doubly wrapped result, which
//! together cost about as much as validating the operator. [`Decoder`] reads the
//! single-byte opcodes of the core instruction set itself, with their common immediate
//! encodings (LEB128 indices and constants, a memory immediate without flag bits, an empty
//! or single-type block), and calls the visitor's method directly; everything else —
//! prefixed opcodes, proposals, encodings `wasmparser` rejects — goes to a `BinaryReader`
//! placed at the same position, so its results and errors are `wasmparser`'s own. The
//! validator (`crate::validate`) and the translator (`crate::translate`) are both driven by
//! it; the tests compare it with the reader on real and corrupted bodies.

use wasmparser::{BinaryReader, BlockType, FrameStack, MemArg, MemArgTarget, Result, ValType, VisitOperator, WasmFeatures};

/// A cursor over a function body that reads the common encodings itself and hands anything
/// else to a `BinaryReader` placed at the same position.
pub(crate) struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Where `bytes` starts in the module.
    base: u64,
    features: WasmFeatures,
}

impl<'a> Decoder<'a> {
    /// A decoder of `bytes` (found at `base` in the module) from `at` on.
    pub(crate) fn new(bytes: &'a [u8], at: usize, base: u64, features: WasmFeatures) -> Decoder<'a> {
        Decoder { bytes, at, base, features }
    }

    /// A decoder of a function body's operators: past its locals, which `reader` has read.
    pub(crate) fn after_locals(body: &wasmparser::FunctionBody<'a>, reader: &BinaryReader<'a>) -> Decoder<'a> {
        let at = reader.current_position();
        Decoder::new(body.as_bytes(), at, reader.original_position() - at as u64, reader.features())
    }

    /// Whether the whole body has been read.
    pub(crate) fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// The byte at the cursor: the next operator's opcode.
    #[inline(always)]
    pub(crate) fn opcode(&self) -> Option<u8> {
        self.peek(0)
    }

    /// Where the cursor is in the module.
    pub(crate) fn offset(&self) -> u64 {
        self.base + self.at as u64
    }

    /// A reader at the cursor.
    pub(crate) fn reader(&self) -> BinaryReader<'a> {
        BinaryReader::new_features(&self.bytes[self.at..], self.offset(), self.features)
    }

    /// Reads with `BinaryReader` (for its exact results and errors) and moves past what it read.
    #[inline(never)]
    pub(crate) fn read<T>(&mut self, f: impl FnOnce(&mut BinaryReader<'a>) -> T) -> T {
        let mut reader = self.reader();
        let out = f(&mut reader);
        self.at += reader.current_position();
        out
    }

    /// The byte at the cursor plus `ahead`, if there is one.
    #[inline(always)]
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    /// A LEB128 `u32`. Linkers pad relocated indices to five bytes, so those are read here
    /// too; an encoding `wasmparser` rejects (or a truncated one) goes to the reader, for its
    /// error.
    #[inline(always)]
    fn u32(&mut self) -> Result<u32> {
        let mut value = 0;
        for i in 0..5 {
            let Some(byte) = self.peek(i) else { break };
            if i == 4 && byte >= 0x10 {
                // Bits past the 32nd, or a sixth byte.
                break;
            }
            value |= u32::from(byte & 0x7f) << (7 * i);
            if byte < 0x80 {
                self.at += i + 1;
                return Ok(value);
            }
        }
        self.read(|r| r.read_var_u32())
    }

    /// A LEB128 `s32`, read here in the same cases as [`Decoder::u32`].
    #[inline(always)]
    fn i32(&mut self) -> Result<i32> {
        let mut value = 0i32;
        for i in 0..5 {
            let Some(byte) = self.peek(i) else { break };
            if i == 4 {
                // The last byte: no continuation, and its unused bits copies of the sign.
                if byte & 0x80 != 0 || !matches!(byte & 0x78, 0 | 0x78) {
                    break;
                }
                self.at += 5;
                return Ok(value | (i32::from(byte & 0x7f) << 28));
            }
            value |= i32::from(byte & 0x7f) << (7 * i);
            if byte < 0x80 {
                self.at += i + 1;
                let unused = 32 - 7 * (i as u32 + 1);
                return Ok((value << unused) >> unused);
            }
        }
        self.read(|r| r.read_var_i32())
    }

    /// A LEB128 `s64` of up to nine bytes, read here; longer ones by the reader.
    #[inline(always)]
    fn i64(&mut self) -> Result<i64> {
        let mut value = 0i64;
        for i in 0..9 {
            let Some(byte) = self.peek(i) else { break };
            value |= i64::from(byte & 0x7f) << (7 * i);
            if byte < 0x80 {
                self.at += i + 1;
                let unused = 64 - 7 * (i as u32 + 1);
                return Ok((value << unused) >> unused);
            }
        }
        self.read(|r| r.read_var_i64())
    }

    /// Decodes the operator at the cursor and hands it to `v`. An error here is a decoding
    /// error (the operator is malformed, or follows the body's final `end`, which the
    /// reader reports as `wasmparser` does); `v`'s verdict is the `Ok` value.
    #[inline(always)]
    pub(crate) fn operator<V>(&mut self, v: &mut V) -> Result<V::Output>
    where
        V: VisitOperator<'a> + FrameStack,
    {
        match v.current_frame() {
            Some(_) => self.decode(v),
            None => self.past_end(v),
        }
    }

    /// An operator after the body's final `end`: the reader's error.
    #[cold]
    #[inline(never)]
    fn past_end<V>(&mut self, v: &mut V) -> Result<V::Output>
    where
        V: VisitOperator<'a> + FrameStack,
    {
        self.read(|r| r.visit_operator(v))
    }

    /// [`Decoder::operator`] inside the body.
    #[inline(always)]
    fn decode<V>(&mut self, v: &mut V) -> Result<V::Output>
    where
        V: VisitOperator<'a> + FrameStack,
    {
        let code = self.bytes[self.at];
        // One `match` over the opcode, its arms grouped by immediate.
        macro_rules! decode {
            (
                plain { $($p:literal => $pv:ident,)* }
                index { $($i:literal => $iv:ident,)* }
                memory { $($m:literal => $mv:ident / $align:literal,)* }
                block { $($b:literal => $bv:ident,)* }
            ) => {
                match code {
                    $($p => {
                        self.at += 1;
                        Ok(v.$pv())
                    })*
                    $($i => {
                        self.at += 1;
                        let index = self.u32()?;
                        Ok(v.$iv(index))
                    })*
                    $($m => match self.memarg($align)? {
                        Some(memarg) => Ok(v.$mv(memarg)),
                        None => self.read(|r| r.visit_operator(v)),
                    })*
                    $($b => match self.block_type() {
                        Some(ty) => Ok(v.$bv(ty)),
                        None => self.read(|r| r.visit_operator(v)),
                    })*
                    0x41 => {
                        self.at += 1;
                        let value = self.i32()?;
                        Ok(v.visit_i32_const(value))
                    }
                    0x42 => {
                        self.at += 1;
                        let value = self.i64()?;
                        Ok(v.visit_i64_const(value))
                    }
                    _ => self.read(|r| r.visit_operator(v)),
                }
            };
        }
        decode! {
            plain {
                0x00 => visit_unreachable, 0x01 => visit_nop, 0x0b => visit_end, 0x0f => visit_return,
                0x1a => visit_drop, 0x1b => visit_select,
                0x45 => visit_i32_eqz, 0x46 => visit_i32_eq, 0x47 => visit_i32_ne, 0x48 => visit_i32_lt_s,
                0x49 => visit_i32_lt_u, 0x4a => visit_i32_gt_s, 0x4b => visit_i32_gt_u, 0x4c => visit_i32_le_s,
                0x4d => visit_i32_le_u, 0x4e => visit_i32_ge_s, 0x4f => visit_i32_ge_u,
                0x50 => visit_i64_eqz, 0x51 => visit_i64_eq, 0x52 => visit_i64_ne, 0x53 => visit_i64_lt_s,
                0x54 => visit_i64_lt_u, 0x55 => visit_i64_gt_s, 0x56 => visit_i64_gt_u, 0x57 => visit_i64_le_s,
                0x58 => visit_i64_le_u, 0x59 => visit_i64_ge_s, 0x5a => visit_i64_ge_u,
                0x5b => visit_f32_eq, 0x5c => visit_f32_ne, 0x5d => visit_f32_lt, 0x5e => visit_f32_gt,
                0x5f => visit_f32_le, 0x60 => visit_f32_ge,
                0x61 => visit_f64_eq, 0x62 => visit_f64_ne, 0x63 => visit_f64_lt, 0x64 => visit_f64_gt,
                0x65 => visit_f64_le, 0x66 => visit_f64_ge,
                0x67 => visit_i32_clz, 0x68 => visit_i32_ctz, 0x69 => visit_i32_popcnt, 0x6a => visit_i32_add,
                0x6b => visit_i32_sub, 0x6c => visit_i32_mul, 0x6d => visit_i32_div_s, 0x6e => visit_i32_div_u,
                0x6f => visit_i32_rem_s, 0x70 => visit_i32_rem_u, 0x71 => visit_i32_and, 0x72 => visit_i32_or,
                0x73 => visit_i32_xor, 0x74 => visit_i32_shl, 0x75 => visit_i32_shr_s, 0x76 => visit_i32_shr_u,
                0x77 => visit_i32_rotl, 0x78 => visit_i32_rotr,
                0x79 => visit_i64_clz, 0x7a => visit_i64_ctz, 0x7b => visit_i64_popcnt, 0x7c => visit_i64_add,
                0x7d => visit_i64_sub, 0x7e => visit_i64_mul, 0x7f => visit_i64_div_s, 0x80 => visit_i64_div_u,
                0x81 => visit_i64_rem_s, 0x82 => visit_i64_rem_u, 0x83 => visit_i64_and, 0x84 => visit_i64_or,
                0x85 => visit_i64_xor, 0x86 => visit_i64_shl, 0x87 => visit_i64_shr_s, 0x88 => visit_i64_shr_u,
                0x89 => visit_i64_rotl, 0x8a => visit_i64_rotr,
                0x8b => visit_f32_abs, 0x8c => visit_f32_neg, 0x8d => visit_f32_ceil, 0x8e => visit_f32_floor,
                0x8f => visit_f32_trunc, 0x90 => visit_f32_nearest, 0x91 => visit_f32_sqrt, 0x92 => visit_f32_add,
                0x93 => visit_f32_sub, 0x94 => visit_f32_mul, 0x95 => visit_f32_div, 0x96 => visit_f32_min,
                0x97 => visit_f32_max, 0x98 => visit_f32_copysign,
                0x99 => visit_f64_abs, 0x9a => visit_f64_neg, 0x9b => visit_f64_ceil, 0x9c => visit_f64_floor,
                0x9d => visit_f64_trunc, 0x9e => visit_f64_nearest, 0x9f => visit_f64_sqrt, 0xa0 => visit_f64_add,
                0xa1 => visit_f64_sub, 0xa2 => visit_f64_mul, 0xa3 => visit_f64_div, 0xa4 => visit_f64_min,
                0xa5 => visit_f64_max, 0xa6 => visit_f64_copysign,
                0xa7 => visit_i32_wrap_i64, 0xa8 => visit_i32_trunc_f32_s, 0xa9 => visit_i32_trunc_f32_u,
                0xaa => visit_i32_trunc_f64_s, 0xab => visit_i32_trunc_f64_u, 0xac => visit_i64_extend_i32_s,
                0xad => visit_i64_extend_i32_u, 0xae => visit_i64_trunc_f32_s, 0xaf => visit_i64_trunc_f32_u,
                0xb0 => visit_i64_trunc_f64_s, 0xb1 => visit_i64_trunc_f64_u, 0xb2 => visit_f32_convert_i32_s,
                0xb3 => visit_f32_convert_i32_u, 0xb4 => visit_f32_convert_i64_s, 0xb5 => visit_f32_convert_i64_u,
                0xb6 => visit_f32_demote_f64, 0xb7 => visit_f64_convert_i32_s, 0xb8 => visit_f64_convert_i32_u,
                0xb9 => visit_f64_convert_i64_s, 0xba => visit_f64_convert_i64_u, 0xbb => visit_f64_promote_f32,
                0xbc => visit_i32_reinterpret_f32, 0xbd => visit_i64_reinterpret_f64,
                0xbe => visit_f32_reinterpret_i32, 0xbf => visit_f64_reinterpret_i64,
                0xc0 => visit_i32_extend8_s, 0xc1 => visit_i32_extend16_s, 0xc2 => visit_i64_extend8_s,
                0xc3 => visit_i64_extend16_s, 0xc4 => visit_i64_extend32_s,
            }
            index {
                0x0c => visit_br, 0x0d => visit_br_if, 0x10 => visit_call, 0x12 => visit_return_call,
                0x20 => visit_local_get, 0x21 => visit_local_set, 0x22 => visit_local_tee,
                0x23 => visit_global_get, 0x24 => visit_global_set,
            }
            memory {
                0x28 => visit_i32_load / 2, 0x29 => visit_i64_load / 3, 0x2a => visit_f32_load / 2,
                0x2b => visit_f64_load / 3, 0x2c => visit_i32_load8_s / 0, 0x2d => visit_i32_load8_u / 0,
                0x2e => visit_i32_load16_s / 1, 0x2f => visit_i32_load16_u / 1, 0x30 => visit_i64_load8_s / 0,
                0x31 => visit_i64_load8_u / 0, 0x32 => visit_i64_load16_s / 1, 0x33 => visit_i64_load16_u / 1,
                0x34 => visit_i64_load32_s / 2, 0x35 => visit_i64_load32_u / 2, 0x36 => visit_i32_store / 2,
                0x37 => visit_i64_store / 3, 0x38 => visit_f32_store / 2, 0x39 => visit_f64_store / 3,
                0x3a => visit_i32_store8 / 0, 0x3b => visit_i32_store16 / 1, 0x3c => visit_i64_store8 / 0,
                0x3d => visit_i64_store16 / 1, 0x3e => visit_i64_store32 / 2,
            }
            block { 0x02 => visit_block, 0x03 => visit_loop, 0x04 => visit_if, }
        }
    }

    /// A memory immediate in its common form (a one-byte alignment with no flag bits, memory 0)
    /// read with its opcode; `None`, with nothing read, for any other form.
    #[inline(always)]
    fn memarg(&mut self, max_align: u8) -> Result<Option<MemArg>> {
        let align = match self.peek(1) {
            Some(align) if align < 0x10 => align,
            _ => return Ok(None),
        };
        self.at += 2;
        let offset = match self.peek(0) {
            Some(byte) if byte < 0x80 => {
                self.at += 1;
                u64::from(byte)
            }
            _ if self.features.memory64() => self.read(|r| r.read_var_u64())?,
            _ => u64::from(self.u32()?),
        };
        Ok(Some(MemArg { align, max_align, offset, target: MemArgTarget::Memory(0), ordering: None }))
    }

    /// A block type in its common form (empty or one number type) read with its opcode; `None`,
    /// with nothing read, for any other form.
    #[inline(always)]
    fn block_type(&mut self) -> Option<BlockType> {
        let ty = match self.peek(1)? {
            0x40 => BlockType::Empty,
            0x7f => BlockType::Type(ValType::I32),
            0x7e => BlockType::Type(ValType::I64),
            0x7d => BlockType::Type(ValType::F32),
            0x7c => BlockType::Type(ValType::F64),
            _ => return None,
        };
        self.at += 2;
        Some(ty)
    }
}

#[cfg(all(test, feature = "wat"))]
mod tests;
