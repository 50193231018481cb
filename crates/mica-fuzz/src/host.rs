//! Host-function behaviour, written once and run by both engines through [`HostEnv`].
//!
//! Every host call appends a line to the store's log (its name and argument bits), and so
//! do the embedder's calls and their outcomes: the log is the trace the engines must agree
//! on, host-observed side effects included.

use crate::program::{HostKind, HostSpec, Sig, Ty, Value, values_text};

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
    fn call_export(&mut self, name: &str, seed: u64) -> Option<Result<Vec<Value>, Self::Error>>;
    /// How an error reads in the trace (see [`crate::trace`]).
    fn describe(error: &Self::Error) -> String;
    /// A host error with this message.
    fn host_error(message: String) -> Self::Error;
}

/// A 64-bit mix of `salt` and `values` (a value wider than 64 bits mixes in both halves).
pub fn mix(salt: u64, values: &[u128]) -> u64 {
    let mut h = salt ^ 0x9e37_79b9_7f4a_7c15;
    let mut step = |x: u64| {
        h = (h ^ x).wrapping_mul(0x100_0000_01b3).rotate_left(29);
        h ^= h >> 31;
    };
    for v in values {
        step(*v as u64);
        if v >> 64 != 0 {
            step((v >> 64) as u64);
        }
    }
    h
}

/// Values of `types` derived from `seed`.
pub fn derive(types: &[Ty], seed: u64) -> Vec<Value> {
    (0..types.len())
        .map(|i| {
            let low = mix(seed, &[i as u128]);
            let bits = match types[i] {
                Ty::V128 => u128::from(mix(low, &[1])) << 64 | u128::from(low),
                _ => u128::from(low),
            };
            types[i].value(bits)
        })
        .collect()
}

/// The bits of `values`.
pub fn bits(values: &[Value]) -> Vec<u128> {
    values.iter().map(|v| v.bits).collect()
}

/// Runs host function `index` (of type `sig`) on `args`, giving its results.
pub fn call<E: HostEnv>(
    env: &mut E,
    index: usize,
    spec: &HostSpec,
    sig: &Sig,
    args: &[Value],
) -> Result<Vec<Value>, E::Error> {
    let data = env.data();
    let args_text: Vec<String> = args.iter().map(Value::to_string).collect();
    data.log
        .push(format!("host h{index}({})", args_text.join(", ")));
    data.calls += 1;
    let mut seed = mix(spec.salt, &bits(args)) ^ data.calls;
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
                        env.data().log.push(format!(
                            "  h{index}: f{export} returned {}",
                            values_text(&results)
                        ));
                        seed = mix(seed, &bits(&results));
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
