;; sieve_mem64: `sieve_mem0` over a 64-bit memory (memory64): addresses, the bounds and the
;; loop counters are `i64`, as a compiler targeting wasm64 makes them. run(reps) as in
;; `sieve_mem0`.
(module
  (memory i64 65)
  (func (export "run") (param $reps i32) (result i64)
    (local $r i32) (local $limit i64) (local $i i64) (local $j i64) (local $count i32)
    (local $sum i64)
    (loop $rep
      (local.set $limit (i64.sub (i64.const 4194304) (i64.extend_i32_u (local.get $r))))
      (memory.fill (i64.const 0) (i32.const 0) (i64.add (local.get $limit) (i64.const 1)))
      (local.set $count (i32.const 0))
      (local.set $i (i64.const 2))
      (loop $outer
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (if (i64.le_u (local.get $i) (i64.const 2048))
              (then
                (local.set $j (i64.mul (local.get $i) (local.get $i)))
                (loop $inner
                  (i32.store8 (local.get $j) (i32.const 1))
                  (local.set $j (i64.add (local.get $j) (local.get $i)))
                  (br_if $inner (i64.le_u (local.get $j) (local.get $limit))))))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br_if $outer (i64.le_u (local.get $i) (local.get $limit))))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $count))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rep (i32.lt_u (local.get $r) (local.get $reps))))
    (local.get $sum)))
