//! Host-function behaviour, written once and run by both engines through [`HostEnv`].
//!
//! Every host call appends a line to the store's log (its name and argument bits), and so
//! do the embedder's calls and their outcomes: the log is the trace the engines must agree
//! on, host-observed side effects included.

use crate::program::{HostKind, HostSpec, Sig, Ty};

/// How deep host functions re-enter wasm (each `Callback` host adds a level).
pub const MAX_DEPTH: u32 = 3;

/// The store data of both engines.
#[derive(Debug, Default)]
pub struct HostData {
    pub log: Vec<String>,
    /// Host calls so far: mixed into results, so that the order of calls matters.
    pub calls: u64,
    /// Current host→wasm re-entry depth.
    pub depth: u32,
}

/// What a host function needs from the engine that runs it.
pub trait HostEnv {
    type Error;
    fn data(&mut self) -> &mut HostData;
    /// Writes to the calling instance's exported memory; false if there is none.
    fn write_memory(&mut self, addr: u32, bytes: &[u8]) -> bool;
    /// Calls function export `name` of the calling instance with arguments mixed from
    /// `seed`; `None` if the instance has no such function export.
    fn call_export(&mut self, name: &str, seed: u64) -> Option<Result<Vec<u64>, Self::Error>>;
    /// How an error reads in the trace (see [`crate::trace`]).
    fn describe(error: &Self::Error) -> String;
    /// A host error with this message.
    fn host_error(message: String) -> Self::Error;
}

/// A 64-bit mix of `salt` and `values`.
pub fn mix(salt: u64, values: &[u64]) -> u64 {
    let mut h = salt ^ 0x9e37_79b9_7f4a_7c15;
    for v in values {
        h = (h ^ v).wrapping_mul(0x100_0000_01b3).rotate_left(29);
        h ^= h >> 31;
    }
    h
}

/// Values of `types` derived from `seed`.
pub fn derive(types: &[Ty], seed: u64) -> Vec<u64> {
    (0..types.len())
        .map(|i| types[i].truncate(mix(seed, &[i as u64])))
        .collect()
}

/// Runs host function `index` (of type `sig`) on `args`, giving its results.
pub fn call<E: HostEnv>(
    env: &mut E,
    index: usize,
    spec: &HostSpec,
    sig: &Sig,
    args: &[u64],
) -> Result<Vec<u64>, E::Error> {
    let data = env.data();
    let args_text: Vec<String> = args.iter().map(|a| format!("{a:#x}")).collect();
    data.log
        .push(format!("host h{index}({})", args_text.join(", ")));
    data.calls += 1;
    let mut seed = mix(spec.salt, args) ^ data.calls;
    match &spec.kind {
        HostKind::Pure => {}
        HostKind::TrapWhen { modulus } => {
            if seed.is_multiple_of(*modulus) {
                return Err(E::host_error(format!("h{index} failed on {seed:#x}")));
            }
        }
        HostKind::WriteMemory { addr } => {
            let written = env.write_memory(*addr, &seed.to_le_bytes());
            env.data()
                .log
                .push(format!("  h{index} wrote memory: {written}"));
        }
        HostKind::Callback { export, catch } => {
            if env.data().depth < MAX_DEPTH {
                env.data().depth += 1;
                let outcome = env.call_export(&format!("f{export}"), seed);
                env.data().depth -= 1;
                match outcome {
                    None => env
                        .data()
                        .log
                        .push(format!("  h{index}: no export f{export}")),
                    Some(Ok(results)) => {
                        env.data()
                            .log
                            .push(format!("  h{index}: f{export} returned {results:x?}"));
                        seed = mix(seed, &results);
                    }
                    Some(Err(error)) => {
                        let text = E::describe(&error);
                        env.data()
                            .log
                            .push(format!("  h{index}: f{export} failed: {text}"));
                        if !catch {
                            return Err(error);
                        }
                    }
                }
            }
        }
    }
    Ok(derive(&sig.results, seed))
}
