(module
  (func (export "func") (param i32 f64) (result i64 f32)
    (i64.const 0) (f32.const 0))
  (global (export "global") (mut f64) (f64.const 1))
  (table (export "table") 2 20 funcref)
  (table (export "refs") 1 externref)
  (memory (export "memory") 1 8))
