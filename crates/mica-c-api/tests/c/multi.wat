(module
  (import "host" "swap" (func $swap (param i32 i64 i64 i32) (result i32 i64 i64 i32)))
  (func (export "run") (param i32 i64 i64 i32) (result i32 i64 i64 i32)
    (call $swap (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "pair") (result f32 f64) (f32.const 1.5) (f64.const -2.25)))
