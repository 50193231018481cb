//! WAMR's signature strings: `(` one letter per parameter `)` then at most one result letter.
//!
//! | letter | wasm type | what the native receives                                        |
//! |--------|-----------|-----------------------------------------------------------------|
//! | `i`    | `i32`     | `int32_t` / `uint32_t`                                          |
//! | `I`    | `i64`     | `int64_t` / `uint64_t`                                          |
//! | `f`    | `f32`     | `float`                                                         |
//! | `F`    | `f64`     | `double`                                                        |
//! | `*`    | `i32`     | a pointer into memory 0, checked for the length that follows (`~`), or for 1 byte |
//! | `~`    | `i32`     | the byte length of the preceding `*` buffer (only right after `*`) |
//! | `$`    | `i32`     | a pointer to a NUL-terminated string inside memory 0             |
//!
//! Results are `i`, `I`, `f` or `F`. WAMR's `r` (externref) is not supported.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use mica_core::{FuncType, ValType};

#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum Param {
    I32,
    I64,
    F32,
    F64,
    /// `*`: converted to a native pointer after a bounds check.
    Ptr,
    /// `~`: the length of the `*` before it.
    Len,
    /// `$`: a NUL-terminated string, converted to a native pointer.
    Str,
}

impl Param {
    fn val_type(self) -> ValType {
        match self {
            Param::I32 | Param::Ptr | Param::Len | Param::Str => ValType::I32,
            Param::I64 => ValType::I64,
            Param::F32 => ValType::F32,
            Param::F64 => ValType::F64,
        }
    }

    /// Whether the C calling convention passes it in a floating-point register.
    pub(super) fn is_float(self) -> bool {
        matches!(self, Param::F32 | Param::F64)
    }
}

#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub(super) enum Ret {
    I32,
    I64,
    F32,
    F64,
}

impl Ret {
    fn val_type(self) -> ValType {
        match self {
            Ret::I32 => ValType::I32,
            Ret::I64 => ValType::I64,
            Ret::F32 => ValType::F32,
            Ret::F64 => ValType::F64,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Signature {
    pub params: Vec<Param>,
    pub result: Option<Ret>,
}

impl Signature {
    /// Parses a signature string; the error says what is wrong with it.
    pub(super) fn parse(text: &str) -> Result<Signature, String> {
        let inner = text
            .strip_prefix('(')
            .ok_or_else(|| format!("signature \"{text}\" does not start with '('"))?;
        let close = inner.find(')').ok_or_else(|| format!("signature \"{text}\" has no ')'"))?;
        let mut params = Vec::new();
        for c in inner[..close].chars() {
            params.push(match c {
                'i' => Param::I32,
                'I' => Param::I64,
                'f' => Param::F32,
                'F' => Param::F64,
                '*' => Param::Ptr,
                '$' => Param::Str,
                '~' if params.last() == Some(&Param::Ptr) => Param::Len,
                '~' => return Err(format!("signature \"{text}\": '~' must follow '*'")),
                'r' => return Err(format!("signature \"{text}\": externref ('r') is not supported")),
                c => return Err(format!("signature \"{text}\": unknown parameter type '{c}'")),
            });
        }
        let result = match &inner[close + 1..] {
            "" => None,
            "i" => Some(Ret::I32),
            "I" => Some(Ret::I64),
            "f" => Some(Ret::F32),
            "F" => Some(Ret::F64),
            "r" => return Err(format!("signature \"{text}\": externref ('r') is not supported")),
            other => return Err(format!("signature \"{text}\": bad result \"{other}\"")),
        };
        Ok(Signature { params, result })
    }

    /// The signature of a native registered without one (WAMR allows a null signature): the
    /// import's own types, passed as they are (no pointer conversion).
    pub(super) fn from_type(ty: &FuncType) -> Result<Signature, String> {
        let params = ty
            .params()
            .iter()
            .map(|t| match t {
                ValType::I32 => Ok(Param::I32),
                ValType::I64 => Ok(Param::I64),
                ValType::F32 => Ok(Param::F32),
                ValType::F64 => Ok(Param::F64),
                other => Err(format!("parameter type {other} cannot be passed to a native")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let result = match ty.results() {
            [] => None,
            [ValType::I32] => Some(Ret::I32),
            [ValType::I64] => Some(Ret::I64),
            [ValType::F32] => Some(Ret::F32),
            [ValType::F64] => Some(Ret::F64),
            _ => return Err(format!("a native cannot return {ty}'s results")),
        };
        Ok(Signature { params, result })
    }

    /// Whether a native of this signature can stand for a function of type `ty`.
    pub(super) fn matches(&self, ty: &FuncType) -> bool {
        ty.params().len() == self.params.len()
            && ty.params().iter().zip(&self.params).all(|(t, p)| *t == p.val_type())
            && ty.results().len() == usize::from(self.result.is_some())
            && self.result.is_none_or(|r| ty.results()[0] == r.val_type())
    }

    /// Checks that the parameters fit the registers [`super::invoke::call`] passes them in.
    pub(super) fn check_registers(&self, text: &str) -> Result<(), String> {
        let floats = self.params.iter().filter(|p| p.is_float()).count();
        let ints = self.params.len() - floats;
        if !super::invoke::SUPPORTED {
            return Err(String::from(
                "natives with C parameters are not supported on this target: register them with \
                 wasm_runtime_register_natives_raw",
            ));
        }
        if ints > super::invoke::INT_ARGS || floats > super::invoke::FLOAT_ARGS {
            return Err(format!(
                "signature \"{text}\" has {ints} integer and {floats} floating-point parameters: at most {} and {} \
                 (passed in registers) are supported; use wasm_runtime_register_natives_raw",
                super::invoke::INT_ARGS,
                super::invoke::FLOAT_ARGS
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wamr_signatures() {
        let s = Signature::parse("($*~)i").unwrap();
        assert_eq!(s.params, [Param::Str, Param::Ptr, Param::Len]);
        assert_eq!(s.result, Some(Ret::I32));
        assert_eq!(Signature::parse("()").unwrap(), Signature { params: Vec::new(), result: None });
        assert!(Signature::parse("(fF)F").unwrap().matches(&FuncType::new([ValType::F32, ValType::F64], [ValType::F64])));
        for bad in ["", "ii)i", "(ii", "(~)", "(i~)", "(x)", "(i)ii", "(r)", "(i)r", "(i) "] {
            assert!(Signature::parse(bad).is_err(), "{bad}");
        }
    }
}
