//! The trace both engines produce, and what a mismatch between two traces is.

use crate::program::{EntryCall, Value, values_text};

/// An execution failure, engine-independently.
pub enum Trap {
    /// A wasm trap, by its spec wording.
    Code(&'static str),
    /// A host function's error, by its message.
    Host(String),
    /// Anything else (a link error, say): engines word these differently, so any such
    /// line is likely to show up as a mismatch, which is what it should be.
    Other(String),
}

pub fn describe(trap: Trap) -> String {
    match trap {
        Trap::Code(code) => format!("trap: {code}"),
        Trap::Host(message) => format!("host error: {message}"),
        Trap::Other(message) => format!("error: {message}"),
    }
}

/// The trace line of an embedder call.
pub fn call_line(call: &EntryCall, outcome: Result<Vec<Value>, String>) -> String {
    let args: Vec<String> = call.args.iter().map(Value::to_string).collect();
    let head = format!(
        "call m{}.f{}({}) fuel {}",
        call.module,
        call.func,
        args.join(", "),
        call.fuel
    );
    match outcome {
        Ok(results) => format!("{head} = {}", values_text(&results)),
        Err(error) => format!("{head} -> {error}"),
    }
}

/// The trace lines of the state left at the end: memory, globals, fuel.
pub fn final_state(memory: &[u8], globals: &[Value], fuel: Value) -> Vec<String> {
    let hash = memory.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let nonzero = memory.iter().filter(|b| **b != 0).count();
    vec![
        format!("memory: hash {hash:#018x}, {nonzero} nonzero bytes"),
        format!("globals: {}", values_text(globals)),
        format!("fuel left: {fuel}"),
    ]
}

/// Where two traces first differ (lines that differ only in NaN lanes of vectors agree: see
/// [`lines_agree`]).
pub fn first_difference(a: &[String], b: &[String]) -> Option<usize> {
    let common = a.len().min(b.len());
    (0..common)
        .find(|i| !lines_agree(&a[*i], &b[*i]))
        .or((a.len() != b.len()).then_some(common))
}

/// Whether two trace lines agree: they are equal, or equal but for `v128` values (results,
/// arguments of host calls, globals: `v128:0x` and 32 hex digits, see
/// [`Value`]'s `Display`) that agree by [`v128_agree`]. Numbers (`f32`, `f64` included)
/// must be bit-identical: the generator never computes a scalar float (see
/// [`crate::program`]), so no engine has a NaN payload to choose.
pub fn lines_agree(a: &str, b: &str) -> bool {
    const MARK: &str = "v128:0x";
    if a == b {
        return true;
    }
    let (mut a_parts, mut b_parts) = (a.split(MARK), b.split(MARK));
    // The text before the first vector.
    if a_parts.next() != b_parts.next() {
        return false;
    }
    loop {
        match (a_parts.next(), b_parts.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) => match (parse_v128(x), parse_v128(y)) {
                (Some((v, x_rest)), Some((w, y_rest))) => {
                    if !v128_agree(v, w) || x_rest != y_rest {
                        return false;
                    }
                }
                _ => return false,
            },
            _ => return false,
        }
    }
}

/// The 32 hex digits a piece of a trace line begins with, and the rest.
fn parse_v128(s: &str) -> Option<(u128, &str)> {
    const DIGITS: usize = 32;
    let digits = s.get(..DIGITS)?;
    let value = u128::from_str_radix(digits, 16).ok()?;
    Some((value, &s[DIGITS..]))
}

/// Whether two `v128` values agree although the lane shape that produced them is not known:
/// they are bit-identical, or every 32-bit lane is equal or a NaN (as an `f32`) in both, or
/// every 64-bit lane is equal or a NaN (as an `f64`) in both. The specification lets an engine
/// give any (arithmetic) NaN where a float operation's result is NaN, so two correct engines
/// may differ exactly so in an `f32x4` or `f64x2` result; any other difference is a bug.
///
/// The generator canonicalises every NaN its vector float arithmetic computes (`body.rs`),
/// so that payloads never reach memory or host calls, where this rule cannot see them: with
/// it, vectors in a trace are bit-identical in correct engines, and this rule is the second
/// line, for values that reach the boundary straight from an operation.
pub fn v128_agree(a: u128, b: u128) -> bool {
    fn lanes_agree(a: u128, b: u128, width: u32, is_nan: fn(u128) -> bool) -> bool {
        let mask = u128::MAX >> (128 - width);
        (0..128 / width).all(|i| {
            let (x, y) = ((a >> (i * width)) & mask, (b >> (i * width)) & mask);
            x == y || (is_nan(x) && is_nan(y))
        })
    }
    fn f32_nan(x: u128) -> bool {
        f32::from_bits(x as u32).is_nan()
    }
    fn f64_nan(x: u128) -> bool {
        f64::from_bits(x as u64).is_nan()
    }
    a == b || lanes_agree(a, b, 32, f32_nan) || lanes_agree(a, b, 64, f64_nan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_agree_bitwise_or_by_nan_lanes_of_one_shape() {
        let f32_nans = 0x7fc0_0000_u128 | 0xffc0_0000 << 32 | 0x7fa0_0001 << 64;
        let f32_other_nans = 0xffc0_0000_u128 | 0x7fc0_0000 << 32 | 0x7fc0_0000 << 64;
        assert!(v128_agree(5, 5));
        assert!(v128_agree(f32_nans | 7 << 96, f32_other_nans | 7 << 96));
        // A NaN lane against a number, or a number lane that differs.
        assert!(!v128_agree(0x7fc0_0000, 0x3f80_0000));
        assert!(!v128_agree(f32_nans | 7 << 96, f32_other_nans | 8 << 96));
        // f64 lanes: the payloads differ in the low half, which as f32 lanes is no NaN.
        let f64_nan = 0x7ff8_0000_0000_0000_u128;
        let f64_other_nan = 0xfff8_0000_0000_0001_u128;
        assert!(v128_agree(f64_nan | 3 << 64, f64_other_nan | 3 << 64));
        assert!(!v128_agree(f64_nan | 3 << 64, f64_other_nan | 4 << 64));
        // Half the lanes NaN as f32, the other half as f64: no single shape explains it.
        let mixed_a = 0x7fc0_0000_u128 | 0x7ff8_0000_0000_0000 << 64;
        let mixed_b = 0x7fc0_0001_u128 | 0x7ff8_0000_0000_0002 << 64;
        assert!(!v128_agree(mixed_a, mixed_b));
    }

    #[test]
    fn lines_compare_vectors_lane_wise_and_the_rest_exactly() {
        let nan = |bits: u128| {
            Value {
                ty: crate::program::Ty::V128,
                bits,
            }
            .to_string()
        };
        let a = format!("call m0.f1(0x1) fuel 9 = [{}, 0x2]", nan(0x7fc0_0000));
        let b = format!("call m0.f1(0x1) fuel 9 = [{}, 0x2]", nan(0xffc0_0000));
        let c = format!("call m0.f1(0x1) fuel 9 = [{}, 0x3]", nan(0xffc0_0000));
        assert!(lines_agree(&a, &b));
        assert!(!lines_agree(&a, &c));
        assert!(!lines_agree(
            &a,
            "call m0.f1(0x1) fuel 9 = [0x7fc00000, 0x2]"
        ));
        assert!(first_difference(&[a.clone(), b.clone()], &[b, c]) == Some(1));
    }
}
