//! References: `ref.is_null` and `ref.as_non_null` (handlers; `ref.null` is a constant,
//! `br_on_null`/`br_on_non_null` are compare-and-branch instructions on the cell) and
//! `ref.func` (a slow path: it reads the instance's function index space).

use super::prelude::*;

steps! {
    (ip, r, mem, ctx);
    RefIsNull(o) => { r.un(o, |x: Cell| x == NULL_REF); }
    RefAsNonNull(o) => {
        fail!(r.try_un(o, |x: Cell| if x == NULL_REF { Err(TrapCode::NullReference) } else { Ok(x) }));
    }
}

impl Slow<RefFunc> for kind::RefFunc {
    fn run(exec: &mut Executor<'_>, o: RefFunc) -> Result<Flow> {
        let cell = ref_cell(exec.func_index(o.func));
        exec.set(o.dst, cell);
        Ok(Flow::Continue)
    }
}
