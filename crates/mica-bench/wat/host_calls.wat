;; host_calls: n calls of the cheap host function bench.tick(x) = x * 3 + 1 (which also
;; counts its calls in the host state), directly ("host_call") or through a wasm function
;; that tail-calls the import ("host_return_call").
;; Both exports: run(n) -> acc, where acc = tick(acc ^ i) for i in 0..n, acc starting at 0.
(module
  (import "bench" "tick" (func $tick (param i32) (result i32)))
  (func $via (param $x i32) (result i32)
    (return_call $tick (local.get $x)))
  (func (export "host_call") (param $n i32) (result i64)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (call $tick (i32.xor (local.get $acc) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i64.extend_i32_u (local.get $acc)))
  (func (export "host_return_call") (param $n i32) (result i64)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (call $via (i32.xor (local.get $acc) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i64.extend_i32_u (local.get $acc))))
