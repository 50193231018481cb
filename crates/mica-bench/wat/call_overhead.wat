;; call_overhead: the smallest exports, called many times from the host to measure the
;; host -> wasm call path alone.
(module
  (func (export "nop"))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
