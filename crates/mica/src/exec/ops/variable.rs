//! Moves, constants, `select` and globals: the steps of their handlers.

use super::prelude::*;

steps! {
    (ip, r, mem, ctx);
    Copy(o) => { r.un(o, |x: Cell| x); }
    Const32(o) => { r.set(o.dst, o.value); }
    // SAFETY: the constant index is verified against the pool, which `ctx` points at.
    Const64(o) => { r.set(o.dst, unsafe { *ctx.consts().add(o.index as usize) }); }
    Select(o) => {
        let pick = if r.x::<u32>(o.cond) != 0 { o.a } else { o.b };
        let value = r.get::<Cell>(pick);
        // The value has no type here, and an `f64` is read from the float accumulator, any
        // other value from the integer one: a result handed over in the accumulator goes to
        // both.
        if F & (acc::DST | acc::ALSO) != 0 {
            r.facc = f64::from_bits(value);
        }
        r.put(o.dst, value);
    }
    GlobalGet(o) => {
        // SAFETY: `global` is verified to be a global index of the module, and the running
        // instance's global index space has an entry for each, a valid store index; `ctx`
        // is current (see `threaded.rs`).
        let value = unsafe { (*ctx.globals.add(*ctx.instance_globals.add(o.global as usize) as usize)).value };
        r.set(o.dst, value);
    }
    GlobalSet(o) => {
        // SAFETY: as for `GlobalGet`.
        unsafe { (*ctx.globals.add(*ctx.instance_globals.add(o.global as usize) as usize)).value = r.get::<Cell>(o.src) };
    }
}
