//! A module's serialized form ([`Module::serialize`], [`Module::deserialize`]): the module's
//! bytes in a versioned envelope, loaded again without validating its function bodies first.
//!
//! ```text
//! magic     8 bytes   "\0micamod"
//! format    u32 LE    FORMAT_VERSION
//! version   u8 + UTF-8  the Mica version that wrote it
//! features  u64 LE    the engine's WebAssembly features (wasmparser's flag bits)
//! length    u64 LE    the module's length
//! module    bytes     the module's binary encoding, as loaded
//! checksum  u64 LE    `checksum` of everything before it
//! ```
//!
//! What it saves is the work of validating every function body at load, most of a lazy load
//! (`TranslationMode::Lazy`; an eager load translates each body with its validator either way).
//! Nothing in it is trusted: the envelope is checked field by field, the sections that
//! declare the module's types, imports and exports are validated as in any load, and each
//! function body is validated as it is translated, on its first call, so bytes altered to
//! keep the checksum right give an error at that call at worst — never a run of unvalidated
//! code. The checksum catches corruption and bytes written for another module early, with a
//! clear error, before anything is parsed.

use super::{Module, parse};
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;

const MAGIC: &[u8; 8] = b"\0micamod";
/// Bumped whenever the layout above changes.
const FORMAT_VERSION: u32 = 1;
const MICA_VERSION: &str = env!("CARGO_PKG_VERSION");

fn error(message: impl Into<alloc::string::String>) -> Error {
    Error::from_kind(ErrorKind::Serialized(message.into()))
}

/// A 64-bit checksum (multiply-rotate over 8-byte words): detects corruption and truncation;
/// it is not a signature (see the module's documentation for why none is needed).
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap());
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    h = (h ^ u64::from_le_bytes(tail)).wrapping_mul(K).rotate_left(29);
    h ^ (h >> 32)
}

impl Module {
    /// The module in Mica's serialized form, for [`Module::deserialize`] in an engine with the
    /// same WebAssembly features and the same version of Mica.
    pub fn serialize(&self) -> Vec<u8> {
        let wasm = &self.inner.bytes;
        let mut out = Vec::with_capacity(wasm.len() + 48);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(MICA_VERSION.len() as u8);
        out.extend_from_slice(MICA_VERSION.as_bytes());
        out.extend_from_slice(&self.inner.engine.config().features.bits().to_le_bytes());
        out.extend_from_slice(&(wasm.len() as u64).to_le_bytes());
        out.extend_from_slice(wasm);
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Loads a module [`serialize`](Module::serialize)d by this version of Mica, without
    /// validating its function bodies before they first run (they are validated as they are
    /// translated: an altered body is an error at its first call). Bytes that are not such a
    /// serialization — another format version, another Mica, other features, truncated or
    /// corrupted — are an [`ErrorKind::Serialized`] error.
    pub fn deserialize(engine: &Engine, bytes: &[u8]) -> Result<Module> {
        let (body, sum) = bytes
            .split_last_chunk::<8>()
            .ok_or_else(|| error("too short to be a serialized module"))?;
        let mut r = Reader { bytes: body };
        if r.take(8)? != MAGIC {
            return Err(error("not a serialized Mica module (no \"\\0micamod\" header)"));
        }
        let format = u32::from_le_bytes(r.array()?);
        if format != FORMAT_VERSION {
            return Err(error(format!("serialized in format {format}; this Mica reads format {FORMAT_VERSION}")));
        }
        let version_len = r.take(1)?[0] as usize;
        let version = r.take(version_len)?;
        if version != MICA_VERSION.as_bytes() {
            return Err(error(format!(
                "serialized by Mica {}; this is Mica {MICA_VERSION}",
                alloc::string::String::from_utf8_lossy(version)
            )));
        }
        if checksum(body) != u64::from_le_bytes(*sum) {
            return Err(error("checksum mismatch: the bytes are corrupted or truncated"));
        }
        let features = u64::from_le_bytes(r.array()?);
        let ours = engine.config().features.bits();
        if features != ours {
            return Err(error(format!(
                "serialized by an engine with other WebAssembly features ({features:#x}; this engine has {ours:#x})"
            )));
        }
        let len = u64::from_le_bytes(r.array()?);
        if len != r.bytes.len() as u64 {
            return Err(error(format!("the module's length says {len} bytes, {} follow", r.bytes.len())));
        }
        let inner = parse::parse(engine, r.bytes, parse::Bodies::Deferred)?;
        Ok(Module { inner: Arc::new(inner) })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(error("truncated serialized module"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        Ok(self.take(N)?.try_into().unwrap())
    }
}

#[cfg(all(test, feature = "wat"))]
mod tests {
    use super::*;
    use crate::{Config, Instance, Store, TranslationMode, Val};
    use alloc::string::ToString;

    const WAT: &str = r#"(module
        (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
        (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
        (memory (export "m") 1) (data (i32.const 8) "mica"))"#;

    fn engine(mode: TranslationMode) -> Engine {
        Engine::new(Config::new().translation(mode))
    }

    fn call(module: &Module, name: &str, args: [i32; 2]) -> Result<i32> {
        let mut store = Store::new(module.engine(), ());
        let instance = Instance::new(&mut store, module, &[])?;
        let func = instance.get_func(&store, name).unwrap();
        let mut out = [Val::I32(0)];
        func.call(&mut store, &[Val::I32(args[0]), Val::I32(args[1])], &mut out)?;
        Ok(out[0].as_i32().unwrap())
    }

    fn kind_is_serialized(e: &Error) -> bool {
        matches!(e.kind(), ErrorKind::Serialized(_))
    }

    /// Rewrites the checksum after `bytes` were altered, as a deliberate tamperer would.
    fn reseal(bytes: &mut [u8]) {
        let at = bytes.len() - 8;
        let sum = checksum(&bytes[..at]);
        bytes[at..].copy_from_slice(&sum.to_le_bytes());
    }

    #[test]
    fn round_trip_in_both_modes() {
        for mode in [TranslationMode::Eager, TranslationMode::Lazy] {
            let engine = engine(mode);
            let module = Module::new(&engine, WAT).unwrap();
            let bytes = module.serialize();
            let again = Module::deserialize(&engine, &bytes).unwrap();
            assert_eq!(call(&again, "add", [2, 3]).unwrap(), 5);
            assert_eq!(call(&again, "mul", [6, 7]).unwrap(), 42);
            assert_eq!(again.serialize(), bytes, "a deserialized module serializes to the same bytes");
            let mut store = Store::new(&engine, ());
            let instance = Instance::new(&mut store, &again, &[]).unwrap();
            let memory = instance.get_memory(&store, "m").unwrap();
            assert_eq!(&memory.data(&store).unwrap()[8..12], b"mica");
        }
    }

    #[test]
    fn foreign_truncated_and_corrupted_bytes_are_errors() {
        let engine = engine(TranslationMode::Lazy);
        let module = Module::new(&engine, WAT).unwrap();
        let bytes = module.serialize();
        // A plain module, nothing, and every truncation.
        let plain = wat::parse_str(WAT).unwrap();
        assert!(kind_is_serialized(&Module::deserialize(&engine, &plain).unwrap_err()));
        for len in 0..bytes.len() {
            let e = Module::deserialize(&engine, &bytes[..len]).unwrap_err();
            assert!(kind_is_serialized(&e), "truncated to {len}: {e}");
        }
        // Every single-bit flip is caught (by a field's check or by the checksum).
        for at in 0..bytes.len() {
            for bit in 0..8 {
                let mut altered = bytes.clone();
                altered[at] ^= 1 << bit;
                let e = Module::deserialize(&engine, &altered).unwrap_err();
                assert!(kind_is_serialized(&e), "bit {bit} of byte {at}: {e}");
            }
        }
        // Another format version, another Mica, other features: each named.
        let mut other = bytes.clone();
        other[8] = 99;
        reseal(&mut other);
        assert!(Module::deserialize(&engine, &other).unwrap_err().to_string().contains("format 99"));
        let mut other = bytes.clone();
        other[13] = b'9';
        reseal(&mut other);
        assert!(Module::deserialize(&engine, &other).unwrap_err().to_string().contains("serialized by Mica 9"));
        let mvp = Engine::new(Config::new().mvp_only().translation(TranslationMode::Lazy));
        assert!(Module::deserialize(&mvp, &bytes).unwrap_err().to_string().contains("other WebAssembly features"));
    }

    #[test]
    fn an_altered_body_is_an_error_at_its_first_call_never_a_run() {
        for mode in [TranslationMode::Eager, TranslationMode::Lazy] {
            let engine = engine(mode);
            let module = Module::new(&engine, WAT).unwrap();
            let mut bytes = module.serialize();
            // `mul`'s body: local.get 0, local.get 1, i32.mul; make the second `local.get` a
            // `local.get 7` (no such local), and keep the checksum right.
            let mul = [0x20, 0x00, 0x20, 0x01, 0x6c];
            let at = bytes.windows(5).rposition(|w| w == mul).unwrap();
            bytes[at + 3] = 7;
            reseal(&mut bytes);
            match mode {
                // Eager translation validates every body as it translates it.
                TranslationMode::Eager => {
                    let e = Module::deserialize(&engine, &bytes).unwrap_err();
                    assert!(matches!(e.kind(), ErrorKind::Invalid { .. }), "{e}");
                }
                TranslationMode::Lazy => {
                    let altered = Module::deserialize(&engine, &bytes).unwrap();
                    assert_eq!(call(&altered, "add", [2, 3]).unwrap(), 5);
                    let e = call(&altered, "mul", [6, 7]).unwrap_err();
                    assert!(matches!(e.kind(), ErrorKind::Invalid { .. }), "{e}");
                    assert!(e.to_string().contains("local"), "{e}");
                }
            }
        }
    }
}
