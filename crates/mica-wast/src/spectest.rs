//! The `spectest` host module that the spec scripts import: print functions, globals, a
//! table and a memory, with the shapes the spec's reference interpreter gives them.

use mica::{
    Global, GlobalType, Linker, Memory, MemoryType, Mutability, RefType, Result, Store, Table,
    TableType, Val, ValType,
};

/// Defines `spectest` in `linker`. Printing functions print nothing: scripts only check
/// that calling them works.
pub fn define<T: 'static>(linker: &mut Linker<T>, store: &mut Store<T>) -> Result<()> {
    linker.func_wrap("spectest", "print", || {})?;
    linker.func_wrap("spectest", "print_i32", |_: i32| {})?;
    linker.func_wrap("spectest", "print_i64", |_: i64| {})?;
    linker.func_wrap("spectest", "print_f32", |_: f32| {})?;
    linker.func_wrap("spectest", "print_f64", |_: f64| {})?;
    linker.func_wrap("spectest", "print_i32_f32", |_: i32, _: f32| {})?;
    linker.func_wrap("spectest", "print_f64_f64", |_: f64, _: f64| {})?;
    let globals = [
        ("global_i32", Val::I32(666), ValType::I32),
        ("global_i64", Val::I64(666), ValType::I64),
        ("global_f32", Val::f32(666.6), ValType::F32),
        ("global_f64", Val::f64(666.6), ValType::F64),
    ];
    for (name, value, ty) in globals {
        let global = Global::new(&mut *store, GlobalType::new(ty, Mutability::Const), value)?;
        linker.define("spectest", name, global)?;
    }
    let table = Table::new(&mut *store, TableType::new(RefType::FUNCREF, 10, Some(20)), Val::FuncRef(None))?;
    linker.define("spectest", "table", table)?;
    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
    linker.define("spectest", "memory", memory)?;
    Ok(())
}
