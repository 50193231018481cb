;; int_loop: a tight loop of i64 arithmetic in locals (an LCG feeding a shift/xor mix), the
;; exit test at the top. Measures raw instruction dispatch on the simplest code shape.
;; run(n) -> x ^ y after n iterations.
(module
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i64) (local $y i64)
    (local.set $x (i64.const 1))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; x = x * 6364136223846793005 + 1442695040888963407
        (local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005))
                               (i64.const 1442695040888963407)))
        ;; y = (y ^ (x >> 29)); y = y + (y << 3)
        (local.set $y (i64.xor (local.get $y) (i64.shr_u (local.get $x) (i64.const 29))))
        (local.set $y (i64.add (local.get $y) (i64.shl (local.get $y) (i64.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i64.xor (local.get $x) (local.get $y))))
