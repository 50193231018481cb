//! The host functions of the matrix. Host targets do what `axes::expect_target` models.

use super::axes::{Behavior, HOST2_NOTE, TRAP_ARG, Target, memories_result, vector_b, vector_results};
use super::wat::{LAST_B_ADDR, MEM1_ADDR, MEM64_ADDR};
use mica::{Caller, Error, ExnRef, Extern, FuncType, Linker, Result, V128, Val};

/// The store's data: what host functions saw, in order.
#[derive(Debug, Default)]
pub struct Data {
    pub log: Vec<String>,
}

pub const TRAP_MESSAGE: &str = "target trapped";

fn memory(caller: &Caller<'_, Data>) -> mica::Memory {
    memory_named(caller, "memory")
}

/// The calling instance's exported memory `name`.
fn memory_named(caller: &Caller<'_, Data>, name: &str) -> mica::Memory {
    caller
        .get_export(name)
        .and_then(Extern::into_memory)
        .unwrap_or_else(|| panic!("the calling instance exports its memory {name}"))
}

/// A `Memories` target's work: `b` into the second memory, `a` into the 64-bit one, both
/// read back.
fn through_memories(caller: &mut Caller<'_, Data>, k: i32, a: i32, b: i32) -> Result<i32> {
    let (second, wide) = (memory_named(caller, "mem1"), memory_named(caller, "mem64"));
    if second.ty(&*caller)?.is_64 || !wide.ty(&*caller)?.is_64 {
        return Err(Error::new("mem1 must be 32-bit and mem64 64-bit"));
    }
    second.write(&mut *caller, MEM1_ADDR as usize, &b.to_le_bytes())?;
    wide.write(&mut *caller, MEM64_ADDR as usize, &(a as i64).to_le_bytes())?;
    let (mut x, mut y) = ([0; 4], [0; 8]);
    second.read(&*caller, MEM1_ADDR as usize, &mut x)?;
    wide.read(&*caller, MEM64_ADDR as usize, &mut y)?;
    let (x, y) = (i32::from_le_bytes(x), i64::from_le_bytes(y) as i32);
    if (x, y) != (b, a) {
        return Err(Error::new(format!("read back ({x}, {y}), wrote ({b}, {a})")));
    }
    Ok(memories_result(k, y, x))
}

/// Appends `value` to the journal in the calling instance's memory.
pub fn note(caller: &mut Caller<'_, Data>, value: i32) {
    let memory = memory(caller);
    let mut count = [0; 4];
    memory
        .read(&*caller, 0, &mut count)
        .expect("journal count in bounds");
    let n = u32::from_le_bytes(count) as usize;
    memory
        .write(&mut *caller, 4 + 4 * n, &value.to_le_bytes())
        .expect("journal entry in bounds");
    memory
        .write(&mut *caller, 0, &(n as u32 + 1).to_le_bytes())
        .expect("journal count in bounds");
}

/// Calls the calling instance's `reenter` export, which tail-calls `host2`.
fn reenter(caller: &mut Caller<'_, Data>, x: i32) -> Result<i32> {
    let func = caller
        .get_export("reenter")
        .and_then(Extern::into_func)
        .expect("the caller exports reenter");
    func.typed::<i32, i32>(&*caller)?.call(&mut *caller, x)
}

/// A host target of any behaviour but `Vector` (see [`vector_target`]).
pub fn host_target(
    caller: &mut Caller<'_, Data>,
    target: Target,
    behavior: Behavior,
    a: i32,
    b: i32,
) -> Result<Vec<Val>> {
    caller
        .data_mut()
        .log
        .push(format!("{}({a},{b})", target.tag()));
    let k = target.k();
    note(caller, k + a);
    let one = a.wrapping_mul(7).wrapping_add(b).wrapping_add(k);
    Ok(match behavior {
        Behavior::One => vec![Val::I32(one)],
        Behavior::Several => vec![
            Val::I32(a + k),
            Val::I64(((b as u32 as i64) << 32) | a as u32 as i64),
            Val::f64(a as f64 * 0.5 + k as f64),
        ],
        Behavior::Nothing => {
            memory(caller).write(&mut *caller, LAST_B_ADDR as usize, &b.to_le_bytes())?;
            vec![]
        }
        Behavior::Traps if a == TRAP_ARG => return Err(Error::new(TRAP_MESSAGE)),
        Behavior::Traps => vec![Val::I32(one)],
        Behavior::Throws if a == TRAP_ARG => {
            let tag = caller.get_export("exn").and_then(Extern::into_tag).expect("the caller exports its tag");
            return Err(ExnRef::new(&mut *caller, tag, &[Val::I32(a + k)])?.into());
        }
        Behavior::Throws => vec![Val::I32(one)],
        Behavior::CallsBack => vec![Val::I32(reenter(caller, a)? + b + k)],
        Behavior::Memories => vec![Val::I32(through_memories(caller, k, a, b)?)],
        Behavior::Vector => unreachable!("a Vector target is `vector_target`"),
    })
}

/// A host target of behaviour `Vector`, called with `(a, v, x)`.
pub fn vector_target(
    caller: &mut Caller<'_, Data>,
    target: Target,
    a: i32,
    v: V128,
    x: i64,
) -> (V128, i32) {
    caller
        .data_mut()
        .log
        .push(format!("{}({a},{})", target.tag(), vector_b(v)));
    let k = target.k();
    note(caller, k + a);
    vector_results(k, a, v, x)
}

/// Defines `name` as the typed (`func_wrap`) host target `target`.
fn define_typed(linker: &mut Linker<Data>, name: &str, target: Target, behavior: Behavior) {
    let defined = match behavior {
        Behavior::One | Behavior::Traps | Behavior::Throws | Behavior::CallsBack | Behavior::Memories => linker.func_wrap(
            "host",
            name,
            move |mut caller: Caller<'_, Data>, a: i32, b: i32| -> Result<i32> {
                let results = host_target(&mut caller, target, behavior, a, b)?;
                Ok(results[0].as_i32().expect("i32 result"))
            },
        ),
        Behavior::Several => linker.func_wrap(
            "host",
            name,
            move |mut caller: Caller<'_, Data>, a: i32, b: i32| -> Result<(i32, i64, f64)> {
                let r = host_target(&mut caller, target, behavior, a, b)?;
                Ok((
                    r[0].as_i32().unwrap(),
                    r[1].as_i64().unwrap(),
                    r[2].as_f64().unwrap(),
                ))
            },
        ),
        Behavior::Nothing => linker.func_wrap(
            "host",
            name,
            move |mut caller: Caller<'_, Data>, a: i32, b: i32| -> Result<()> {
                host_target(&mut caller, target, behavior, a, b).map(|_| ())
            },
        ),
        Behavior::Vector => linker.func_wrap(
            "host",
            name,
            move |mut caller: Caller<'_, Data>, a: i32, v: V128, x: i64| -> (V128, i32) {
                vector_target(&mut caller, target, a, v, x)
            },
        ),
    };
    defined.expect("define a typed host target");
}

fn target_type(behavior: Behavior) -> FuncType {
    FuncType::new(behavior.params(), behavior.results())
}

/// Defines every host function a combination with `behavior` may import.
pub fn define(linker: &mut Linker<Data>, behavior: Behavior) {
    // The host function that re-entered wasm tail-calls.
    linker
        .func_wrap(
            "host",
            "host2",
            |mut caller: Caller<'_, Data>, x: i32| -> i32 {
                caller.data_mut().log.push(format!("host2({x})"));
                note(&mut caller, HOST2_NOTE + x);
                x * 3
            },
        )
        .unwrap();
    // Tail-called by the frame that a tail call replaced (`Position::AfterTailReturn`).
    linker
        .func_wrap(
            "host",
            "scale",
            |mut caller: Caller<'_, Data>, x: i32| -> i32 {
                caller.data_mut().log.push(format!("scale({x})"));
                x * 3 + 1
            },
        )
        .unwrap();
    // How wasm targets call back into wasm.
    linker
        .func_wrap(
            "env",
            "bounce",
            |mut caller: Caller<'_, Data>, x: i32| -> Result<i32> {
                caller.data_mut().log.push(format!("bounce({x})"));
                reenter(&mut caller, x)
            },
        )
        .unwrap();
    define_typed(linker, "target_wrap", Target::HostWrap, behavior);
    define_typed(linker, "table_target", Target::HostViaTable, behavior);
    linker
        .func_new(
            "host",
            "target_untyped",
            target_type(behavior),
            move |mut caller, params, results| {
                if behavior == Behavior::Vector {
                    let a = params[0].as_i32().expect("i32 parameter 0");
                    let v = params[1].as_v128().expect("v128 parameter 1");
                    let x = params[2].as_i64().expect("i64 parameter 2");
                    let (v, r) = vector_target(&mut caller, Target::HostUntyped, a, v, x);
                    results.copy_from_slice(&[Val::V128(v), Val::I32(r)]);
                    return Ok(());
                }
                let (a, b) = (params[0].as_i32().unwrap(), params[1].as_i32().unwrap());
                let values = host_target(&mut caller, Target::HostUntyped, behavior, a, b)?;
                results.copy_from_slice(&values);
                Ok(())
            },
        )
        .unwrap();
}
