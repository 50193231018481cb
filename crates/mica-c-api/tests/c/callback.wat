(module
  (import "host" "print" (func $print (param i32) (result i32)))
  (import "host" "closure" (func $closure (result i32)))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (func (export "run") (param $x i32) (param $y i32) (result i32)
    (i32.add
      (call $print (i32.add (local.get $x) (local.get $y)))
      (call $closure)))
  (func $double (export "double") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  ;; wasm -> host -> wasm ("double") -> back
  (func (export "nested") (param i32) (result i32)
    (i32.add (call $reenter (local.get 0)) (i32.const 1))))
