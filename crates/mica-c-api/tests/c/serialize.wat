(module
  (import "host" "hello" (func $hello (param i32)))
  (func (export "run") (param i32) (call $hello (i32.mul (local.get 0) (i32.const 3)))))
