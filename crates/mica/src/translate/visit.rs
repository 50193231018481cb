//! The translator as a `wasmparser` visitor, so that [`crate::decode::Decoder`] can drive it:
//! each visit rebuilds its `Operator` (a plain value, built on the stack) for
//! `Translator::translate`, the one table of what each operator becomes. `translate` is
//! inlined into every visit, where the `match` on a known operator folds away: one dispatch
//! per operator (the decoder's) instead of two. [`Validated`] puts `wasmparser`'s validator in
//! front, so that eager translation reads each body once.

use super::Translator;
use super::control::FrameKind;
use crate::error::{Error, Result};
use alloc::vec::Vec;
use wasmparser::{FrameStack, Operator};

macro_rules! define_visit {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Result<()> {
                self.translate(&Operator::$op $({ $($arg),* })?)
            }
        )*
    };
}

impl<'a> wasmparser::VisitOperator<'a> for Translator<'_> {
    type Output = Result<()>;
    wasmparser::for_each_visit_operator!(define_visit);

    #[cfg(feature = "simd")]
    fn simd_visitor(&mut self) -> Option<&mut dyn wasmparser::VisitSimdOperator<'a, Output = Result<()>>> {
        Some(self)
    }
}

#[cfg(feature = "simd")]
impl<'a> wasmparser::VisitSimdOperator<'a> for Translator<'_> {
    wasmparser::for_each_visit_simd_operator!(define_visit);
}

/// The frame kinds the reader checks `else` (and the legacy exception instructions) against.
impl FrameStack for Translator<'_> {
    fn current_frame(&self) -> Option<wasmparser::FrameKind> {
        Some(match self.control.last()?.kind {
            FrameKind::Function | FrameKind::Block => wasmparser::FrameKind::Block,
            FrameKind::Loop { .. } => wasmparser::FrameKind::Loop,
            FrameKind::If { .. } => wasmparser::FrameKind::If,
            FrameKind::Else => wasmparser::FrameKind::Else,
            FrameKind::TryTable { .. } => wasmparser::FrameKind::TryTable,
            FrameKind::LegacyTry { phase: super::legacy::Phase::Body { .. }, .. } => wasmparser::FrameKind::LegacyTry,
            FrameKind::LegacyTry { phase: super::legacy::Phase::Catch { all: false, .. }, .. } => {
                wasmparser::FrameKind::LegacyCatch
            }
            FrameKind::LegacyTry { phase: super::legacy::Phase::Catch { all: true, .. }, .. } => {
                wasmparser::FrameKind::LegacyCatchAll
            }
        })
    }
}

/// A visitor that has the validator check each operator, then the translator translate it.
pub(super) struct Validated<'t, 'a, V> {
    pub validator: V,
    pub translator: &'t mut Translator<'a>,
}

macro_rules! define_validated_visit {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Result<()> {
                self.validator.$visit($($($arg.clone()),*)?).map_err(|e| Error::from_parser(e, false))?;
                self.translator.$visit($($($arg),*)?)
            }
        )*
    };
}

// The arguments go to both visitors; most are `Copy`, the macro clones them all alike.
#[allow(clippy::clone_on_copy)]
impl<'a, V> wasmparser::VisitOperator<'a> for Validated<'_, '_, V>
where
    V: wasmparser::VisitOperator<'a, Output = wasmparser::Result<()>>,
{
    type Output = Result<()>;
    wasmparser::for_each_visit_operator!(define_validated_visit);

    #[cfg(feature = "simd")]
    fn simd_visitor(&mut self) -> Option<&mut dyn wasmparser::VisitSimdOperator<'a, Output = Result<()>>> {
        Some(self)
    }
}

#[cfg(feature = "simd")]
macro_rules! define_validated_simd_visit {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> Result<()> {
                match self.validator.simd_visitor() {
                    Some(v) => v.$visit($($($arg.clone()),*)?).map_err(|e| Error::from_parser(e, false))?,
                    None => return Err(Error::unsupported("SIMD")),
                }
                self.translator.$visit($($($arg),*)?)
            }
        )*
    };
}

#[cfg(feature = "simd")]
#[allow(clippy::clone_on_copy)]
impl<'a, V> wasmparser::VisitSimdOperator<'a> for Validated<'_, '_, V>
where
    V: wasmparser::VisitOperator<'a, Output = wasmparser::Result<()>>,
{
    wasmparser::for_each_visit_simd_operator!(define_validated_simd_visit);
}

impl<V: FrameStack> FrameStack for Validated<'_, '_, V> {
    fn current_frame(&self) -> Option<wasmparser::FrameKind> {
        self.validator.current_frame()
    }
}
