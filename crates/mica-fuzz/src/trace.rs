//! The trace both engines produce, and what a mismatch between two traces is.

use crate::program::EntryCall;

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
pub fn call_line(call: &EntryCall, outcome: Result<Vec<u64>, String>) -> String {
    let args: Vec<String> = call.args.iter().map(|a| format!("{a:#x}")).collect();
    let head = format!(
        "call m{}.f{}({}) fuel {}",
        call.module,
        call.func,
        args.join(", "),
        call.fuel
    );
    match outcome {
        Ok(results) => format!("{head} = {results:x?}"),
        Err(error) => format!("{head} -> {error}"),
    }
}

/// The trace lines of the state left at the end: memory, globals, fuel.
pub fn final_state(memory: &[u8], globals: &[u64], fuel: u64) -> Vec<String> {
    let hash = memory.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let nonzero = memory.iter().filter(|b| **b != 0).count();
    vec![
        format!("memory: hash {hash:#018x}, {nonzero} nonzero bytes"),
        format!("globals: {globals:x?}"),
        format!("fuel left: {fuel}"),
    ]
}

/// Where two traces first differ.
pub fn first_difference(a: &[String], b: &[String]) -> Option<usize> {
    let common = a.len().min(b.len());
    (0..common)
        .find(|i| a[*i] != b[*i])
        .or((a.len() != b.len()).then_some(common))
}
