//! References: `ref.is_null` (a handler; `ref.null` is a constant) and `ref.func` (a slow
//! path: it reads the instance's function index space).

use super::prelude::*;

steps! {
    (ip, r, mem, ctx);
    RefIsNull(o) => { r.un(o, |x: Cell| x == NULL_REF); }
}

impl Slow<RefFunc> for kind::RefFunc {
    fn run<T>(exec: &mut Executor<'_, T>, o: RefFunc) -> Result<Flow> {
        let cell = ref_cell(exec.func_index(o.func));
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}
