//! The decoder against `wasmparser`'s reader: the same operators, immediates included, at the
//! same offsets, and the same error where decoding fails, on real function bodies and on
//! corrupted copies of them. (The translator takes constants, indices and memory offsets from
//! the decoder, so equal verdicts are not enough.)

use super::Decoder;
use crate::test_corpus::{Rng, bodies, corpus, corrupt, feature_sets};
use alloc::string::String;
use alloc::vec::Vec;
use wasmparser::{BinaryReader, FrameKind, FrameStack, Operator, VisitOperator, WasmFeatures};

/// A visitor that records each operator with the offset the driver gives it, keeping the
/// frame kinds the reader asks about.
struct Recorder<'a> {
    at: u64,
    ops: Vec<(u64, Operator<'a>)>,
    frames: Vec<FrameKind>,
}

impl<'a> Recorder<'a> {
    fn new() -> Recorder<'a> {
        Recorder { at: 0, ops: Vec::new(), frames: alloc::vec![FrameKind::Block] }
    }

    fn record(&mut self, op: Operator<'a>) {
        match op {
            Operator::Block { .. } => self.frames.push(FrameKind::Block),
            Operator::Loop { .. } => self.frames.push(FrameKind::Loop),
            Operator::If { .. } => self.frames.push(FrameKind::If),
            Operator::TryTable { .. } => self.frames.push(FrameKind::TryTable),
            Operator::Try { .. } => self.frames.push(FrameKind::LegacyTry),
            Operator::Else => *self.frames.last_mut().expect("the reader checked") = FrameKind::Else,
            Operator::Catch { .. } => *self.frames.last_mut().expect("the reader checked") = FrameKind::LegacyCatch,
            Operator::CatchAll => *self.frames.last_mut().expect("the reader checked") = FrameKind::LegacyCatchAll,
            Operator::End | Operator::Delegate { .. } => {
                self.frames.pop();
            }
            _ => {}
        }
        self.ops.push((self.at, op));
    }
}

macro_rules! define_record {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) {
                self.record(Operator::$op $({ $($arg),* })?)
            }
        )*
    };
}

impl<'a> VisitOperator<'a> for Recorder<'a> {
    type Output = ();
    wasmparser::for_each_visit_operator!(define_record);
}

impl FrameStack for Recorder<'_> {
    fn current_frame(&self) -> Option<FrameKind> {
        self.frames.last().copied()
    }
}

type Decoded<'a> = (Vec<(u64, Operator<'a>)>, Result<(), (String, u64)>);

/// The operators of `ops` (a body past its locals, at `offset`) as the decoder reads them.
fn by_decoder(ops: &[u8], offset: u64, features: WasmFeatures) -> Decoded<'_> {
    let mut recorder = Recorder::new();
    let mut decoder = Decoder::new(ops, 0, offset, features);
    let mut result = Ok(());
    while !decoder.done() {
        recorder.at = decoder.offset();
        if let Err(e) = decoder.operator(&mut recorder) {
            result = Err((String::from(e.message()), e.offset()));
            break;
        }
    }
    (recorder.ops, result)
}

/// The operators of `ops` as `wasmparser`'s reader reads them.
fn by_reader(ops: &[u8], offset: u64, features: WasmFeatures) -> Decoded<'_> {
    let mut recorder = Recorder::new();
    let mut reader = BinaryReader::new_features(ops, offset, features);
    let mut result = Ok(());
    while !reader.eof() {
        recorder.at = reader.original_position();
        if let Err(e) = reader.visit_operator(&mut recorder) {
            result = Err((String::from(e.message()), e.offset()));
            break;
        }
    }
    (recorder.ops, result)
}

/// Panics with the first operator (or final result) where the decoder and the reader differ.
fn assert_same(decoded: &Decoded<'_>, read: &Decoded<'_>, what: &dyn core::fmt::Display) {
    if let Some(i) = (0..decoded.0.len().max(read.0.len())).find(|&i| decoded.0.get(i) != read.0.get(i)) {
        panic!("{what}: operator {i}: decoder {:?}, reader {:?}", decoded.0.get(i), read.0.get(i));
    }
    assert_eq!(decoded.1, read.1, "{what}: the final result");
}

/// Where a body's operators start: past its locals (`None` if they do not decode).
fn operators_start(body: &[u8], offset: usize) -> Option<usize> {
    let mut reader = BinaryReader::new(body, offset as u64);
    for _ in 0..reader.read_var_u32().ok()? {
        reader.read_var_u32().ok()?;
        reader.read::<wasmparser::ValType>().ok()?;
    }
    Some(reader.current_position())
}

#[test]
fn reads_what_wasmparser_reads() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut compared = 0;
    for features in feature_sets() {
        for module in corpus() {
            for body in bodies(&module, features) {
                let start = operators_start(&body.bytes, body.offset).expect("the corpus decodes");
                let (ops, offset) = (&body.bytes[start..], (body.offset + start) as u64);
                let decoded = by_decoder(ops, offset, features);
                assert_same(&decoded, &by_reader(ops, offset, features), &format_args!("body at {}", body.offset));
                assert_eq!(decoded.1, Ok(()));
                for _ in 0..32 {
                    let corrupted = corrupt(ops, &mut rng);
                    let decoded = by_decoder(&corrupted, offset, features);
                    let read = by_reader(&corrupted, offset, features);
                    assert_same(&decoded, &read, &format_args!("body at {} corrupted to {corrupted:02x?}", body.offset));
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 10_000, "{compared} corrupted bodies compared");
}
