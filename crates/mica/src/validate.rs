//! Function-body validation: `wasmparser`'s operator validator, fed by [`Decoder`].
//!
//! Validation is most of what a lazy load costs, and with `FuncValidator::validate` the part
//! spent decoding was as large as the part spent checking types. The validator decides
//! validity either way: the decoder only chooses which entry point delivers an operator and
//! reads immediates as `wasmparser` does, so verdicts, messages and offsets are the ones
//! `FuncValidator::validate` gives (the tests compare the two on corrupted bodies).

#[cfg(feature = "fast")]
use crate::decode::Decoder;
use crate::{Error, Result};
use wasmparser::{BinaryReader, BlockType, FrameKind, FuncValidator, FunctionBody, ValidatorResources};
#[cfg(not(feature = "fast"))]
use wasmparser::Operator;

/// Validates `bytes` as `wasmparser` does with `features` enabled, which may include
/// proposals Mica does not run, with the bound Mica's own loading puts on a function body's
/// validation work (at most 64 label-type comparisons per byte of body, for `br_table`s over
/// labels of many values): for tools that tell which proposals a module uses (`mica
/// inspect`), in time linear in the module's size whatever the module. A body past the bound
/// is refused as unsupported, as loading refuses it.
pub fn validate_with_features(bytes: &[u8], features: wasmparser::WasmFeatures) -> Result<()> {
    let mut validator = wasmparser::Validator::new_with_features(features);
    let mut allocations = wasmparser::FuncValidatorAllocations::default();
    let mut parser = wasmparser::Parser::new(0);
    parser.set_features(features);
    for payload in parser.parse_all(bytes) {
        let payload = payload.map_err(|e| Error::from_parser(e, true))?;
        let valid = validator.payload(&payload).map_err(|e| Error::from_parser(e, false))?;
        if let wasmparser::ValidPayload::Func(to_validate, body) = valid {
            let mut func = to_validate.into_validator(core::mem::take(&mut allocations));
            validate_body(&mut func, &body)?;
            allocations = func.into_allocations();
        }
    }
    Ok(())
}

/// Validates one function body: its locals, then its operators.
pub(crate) fn validate_body(func: &mut FuncValidator<ValidatorResources>, body: &FunctionBody<'_>) -> Result<()> {
    check_body(func, body).map_err(|e| Error::from_parser(e, false))?
}

/// [`validate_body`], with `wasmparser`'s error apart from Mica's refusal.
#[cfg(feature = "fast")]
fn check_body(
    func: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
) -> wasmparser::Result<Result<()>> {
    let reader = read_locals(func, body)?;
    let mut d = Decoder::after_locals(body, &reader);
    let mut work = LabelWork::new(body.as_bytes().len());
    while !d.done() {
        if let Err(e) = work.charge(&d, func) {
            return Ok(Err(e));
        }
        d.operator(&mut func.visitor(d.offset()))??;
    }
    d.reader().finish_expression(&func.visitor(d.offset()))?;
    Ok(Ok(()))
}

/// [`validate_body`] without `fast`: [`each_operator`] with nothing after the validator.
#[cfg(not(feature = "fast"))]
fn check_body(
    func: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
) -> wasmparser::Result<Result<()>> {
    let reader = read_locals(func, body)?;
    each_operator(func, body.as_bytes().len(), reader, &mut |_, _, _| Ok(()))
}

/// Has the validator read `body`'s locals; returns a reader placed after them.
fn read_locals<'a>(
    func: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'a>,
) -> wasmparser::Result<BinaryReader<'a>> {
    let mut reader = body.get_binary_reader();
    func.read_locals(&mut reader)?;
    reader.set_features(*func.features());
    Ok(reader)
}

/// The one way a build without `fast` reads function bodies, to validate them and to
/// translate them: `wasmparser`'s reader decodes each operator (from `reader`, placed after
/// the locals) into an [`Operator`], the validator checks it, and `then` gets it (the
/// translator, or nothing). The `fast` build decodes with [`Decoder`] and has a visitor that
/// validates and translates each operator in one method; that is quicker to load, but it
/// is a copy of the validator's and the translator's code for every operator, which a size
/// build cannot afford. Verdicts, messages and offsets are the reader's and the validator's.
#[cfg(not(feature = "fast"))]
pub(crate) fn each_operator(
    func: &mut FuncValidator<ValidatorResources>,
    body_len: usize,
    reader: BinaryReader<'_>,
    then: &mut Then<'_>,
) -> wasmparser::Result<Result<()>> {
    let mut work = LabelWork::new(body_len);
    let mut ops = wasmparser::OperatorsReader::new(reader);
    while !ops.eof() {
        let offset = ops.original_position();
        if let Err(e) = work.charge_at(ops.get_binary_reader(), func) {
            return Ok(Err(e));
        }
        let op = ops.read()?;
        if let Err(e) = check(func, offset, &op)? {
            return Ok(Err(e));
        }
        if let Err(e) = then(func, offset, &op) {
            return Ok(Err(e));
        }
    }
    ops.finish()?;
    Ok(Ok(()))
}

/// Validates `op`, found at `offset`, as `FuncValidator::op` does. That entry point sends a
/// SIMD operator through a dispatch whose message for a visitor without SIMD formats the
/// operator, which links `Operator`'s `Debug` (20 KB of code) into a build that otherwise
/// never formats one; this dispatch calls the same visitor methods without it.
#[cfg(not(feature = "fast"))]
fn check(func: &mut FuncValidator<ValidatorResources>, offset: u64, op: &Operator<'_>) -> wasmparser::Result<Result<()>> {
    use wasmparser::VisitOperator;
    // One dispatch for both of `wasmparser`'s operator lists, calling the methods of the
    // visitor `visitor!()` makes: the scalar one, then (redefined in the block below, which
    // shadows it) the SIMD one.
    macro_rules! dispatch {
        ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {{
            let mut visitor = visitor!();
            match op {
                $( Operator::$op $({ $($arg),* })? => return visitor.$visit($($($arg.clone()),*)?).map(Ok), )*
                _ => {}
            }
        }};
    }
    macro_rules! visitor {
        () => {
            func.visitor(offset)
        };
    }
    wasmparser::for_each_visit_operator!(dispatch);
    #[cfg(feature = "simd")]
    {
        use wasmparser::VisitSimdOperator;
        macro_rules! visitor {
            () => {
                func.simd_visitor(offset)
            };
        }
        wasmparser::for_each_visit_simd_operator!(dispatch);
    }
    // Each operator the reader returns is one of the above.
    Ok(Err(Error::usage("internal error: an operator the validator has no method for")))
}

/// What [`each_operator`] does with an operator the validator has accepted, given the
/// validator and the operator's offset.
#[cfg(not(feature = "fast"))]
pub(crate) type Then<'t> = dyn FnMut(&mut FuncValidator<ValidatorResources>, u64, &Operator<'_>) -> Result<()> + 't;

/// The label types a body's `br_table`s make the validator compare, bounded by the body's size.
///
/// Validating a `br_table` compares each entry's label types with the default's: entries ×
/// arity. Its entries cost a byte each, but its labels' arity does not grow with the body (a
/// block type of up to 1000 results costs one byte to name), so without a bound a valid body
/// of a few megabytes could keep the validator busy for minutes. A body may spend
/// [`LabelWork::PER_BYTE`] comparisons per byte of itself (real code spends less than one:
/// `br_table`s carry no values or one); past that, Mica refuses it as unsupported.
pub(crate) struct LabelWork {
    left: u64,
}

impl LabelWork {
    /// Label-type comparisons allowed per byte of body.
    pub(crate) const PER_BYTE: u64 = 64;

    pub(crate) fn new(body_len: usize) -> LabelWork {
        LabelWork { left: (body_len as u64).saturating_mul(Self::PER_BYTE).saturating_add(1 << 16) }
    }

    /// Charges the operator at `d`'s cursor, if it is a `br_table`, before it is validated.
    #[cfg(feature = "fast")]
    #[inline(always)]
    pub(crate) fn charge(&mut self, d: &Decoder<'_>, func: &FuncValidator<ValidatorResources>) -> Result<()> {
        if d.opcode() != Some(0x0e) {
            return Ok(());
        }
        self.charge_br_table(d.reader(), func)
    }

    /// [`LabelWork::charge`] for the operator `reader` is placed at.
    #[cfg(not(feature = "fast"))]
    pub(crate) fn charge_at(&mut self, reader: BinaryReader<'_>, func: &FuncValidator<ValidatorResources>) -> Result<()> {
        if !matches!(reader.clone().read_u8(), Ok(0x0e)) {
            return Ok(());
        }
        self.charge_br_table(reader, func)
    }

    #[cold]
    #[inline(never)]
    fn charge_br_table(&mut self, mut reader: BinaryReader<'_>, func: &FuncValidator<ValidatorResources>) -> Result<()> {
        // The entry count, the entries, the default; a malformed table is the validator's to report.
        let offset = reader.original_position();
        let mut read = || -> wasmparser::Result<(u32, u32)> {
            reader.read_u8()?;
            let len = reader.read_var_u32()?;
            for _ in 0..len {
                reader.read_var_u32()?;
            }
            Ok((len, reader.read_var_u32()?))
        };
        let Ok((len, default)) = read() else { return Ok(()) };
        let arity = func.get_control_frame(default as usize).map_or(0, |frame| {
            let func_type = |index| {
                let sub = wasmparser::WasmModuleResources::sub_type_at(func.resources(), index)?;
                match &sub.composite_type.inner {
                    wasmparser::CompositeInnerType::Func(ty) => Some(ty),
                    _ => None,
                }
            };
            match (frame.kind, frame.block_type) {
                (_, BlockType::Empty) => 0,
                (FrameKind::Loop, BlockType::Type(_)) => 0,
                (_, BlockType::Type(_)) => 1,
                (FrameKind::Loop, BlockType::FuncType(i)) => func_type(i).map_or(0, |t| t.params().len()),
                (_, BlockType::FuncType(i)) => func_type(i).map_or(0, |t| t.results().len()),
            }
        });
        let work = (u64::from(len) + 1).saturating_mul(arity as u64);
        match self.left.checked_sub(work) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(Error::unsupported(alloc::format!(
                "function {}: br_table at offset {:#x}: {} entries carrying {arity} values each make the \
                 function's br_tables compare more than {} label types per byte of its body (a limit \
                 that keeps validation linear in the module's size)",
                func.index(),
                offset,
                len,
                Self::PER_BYTE
            ))),
        }
    }
}

#[cfg(all(test, feature = "wat"))]
mod tests;
