(module
  (import "host" "greet" (func $greet))
  (func (export "run")
    (call $greet)
    (call $greet)))
