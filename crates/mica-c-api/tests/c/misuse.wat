(module
  (import "host" "outer" (func $outer (param i32) (result i32)))
  (import "host" "g" (global i32))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  ;; wasm -> host "outer" -> (C calls "inner") -> host "fail" traps
  (func (export "run outer") (param i32) (result i32) (call $outer (local.get 0)))
  (func (export "vec") (param v128) (result i32) (i32.const 0))
  (table (export "table") 1 funcref))
