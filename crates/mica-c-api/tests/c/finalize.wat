(module
  (func (export "f"))
  (global (export "g") (mut i32) (i32.const 0))
  (table (export "t") 1 funcref))
