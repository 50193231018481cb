//! Function-body validation: `wasmparser`'s operator validator, fed by [`Decoder`].
//!
//! Validation is most of what a lazy load costs, and with `FuncValidator::validate` the part
//! spent decoding was as large as the part spent checking types. The validator decides
//! validity either way: the decoder only chooses which entry point delivers an operator and
//! reads immediates as `wasmparser` does, so verdicts, messages and offsets are the ones
//! `FuncValidator::validate` gives (the tests compare the two on corrupted bodies).

use crate::decode::Decoder;
use wasmparser::{FuncValidator, FunctionBody, Result, ValidatorResources};

/// Validates one function body: its locals, then its operators.
pub(crate) fn validate_body(func: &mut FuncValidator<ValidatorResources>, body: &FunctionBody<'_>) -> Result<()> {
    let mut reader = body.get_binary_reader();
    func.read_locals(&mut reader)?;
    reader.set_features(*func.features());
    let mut d = Decoder::after_locals(body, &reader);
    while !d.done() {
        d.operator(&mut func.visitor(d.offset()))??;
    }
    d.reader().finish_expression(&func.visitor(d.offset()))
}

#[cfg(all(test, feature = "wat"))]
mod tests;
