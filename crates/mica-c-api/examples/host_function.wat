;; The module examples/host_function.c runs: it calls the host's `hello` with a number and returns
;; twice what the host returned.
(module
  (import "host" "hello" (func $hello (param i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    (i32.mul (call $hello (local.get 0)) (i32.const 2))))
