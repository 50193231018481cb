;; A small example for `mica run --invoke`: recursive Fibonacci, and the same sum computed
;; by a tail-recursive loop.
(module
  (func $fib (export "fib") (param $n i32) (result i64)
    (if (result i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.extend_i32_u (local.get $n)))
      (else
        (i64.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func $fib_iter (param $n i32) (param $a i64) (param $b i64) (result i64)
    (if (result i64) (i32.eqz (local.get $n))
      (then (local.get $a))
      (else
        (return_call $fib_iter
          (i32.sub (local.get $n) (i32.const 1))
          (local.get $b)
          (i64.add (local.get $a) (local.get $b))))))

  (func (export "fib_tail") (param $n i32) (result i64)
    (return_call $fib_iter (local.get $n) (i64.const 0) (i64.const 1))))
