(module
  (type $i_i (func (param i32) (result i32)))
  (table (export "table") 2 10 funcref)
  (func (export "call_indirect") (param i32 i32) (result i32)
    (call_indirect (type $i_i) (local.get 0) (local.get 1)))
  (func $inc (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (elem (i32.const 1) $inc))
