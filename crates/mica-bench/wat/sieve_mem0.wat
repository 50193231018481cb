;; sieve_mem0: the Sieve of Eratosthenes over a byte array in memory 0 (a 32-bit memory), as
;; `shared/bench/programs/sieve.c` does it: run(reps) sieves up to 4 MiB - r for each
;; repetition r and returns the sum of the prime counts. The reference for `sieve_mem1` (the
;; same loop over memory 1) and `sieve_mem64` (over a 64-bit memory).
(module
  (memory 65)
  (func (export "run") (param $reps i32) (result i64)
    (local $r i32) (local $limit i32) (local $i i32) (local $j i32) (local $count i32)
    (local $sum i64)
    (loop $rep
      (local.set $limit (i32.sub (i32.const 4194304) (local.get $r)))
      (memory.fill (i32.const 0) (i32.const 0) (i32.add (local.get $limit) (i32.const 1)))
      (local.set $count (i32.const 0))
      (local.set $i (i32.const 2))
      (loop $outer
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (if (i32.le_u (local.get $i) (i32.const 2048))
              (then
                (local.set $j (i32.mul (local.get $i) (local.get $i)))
                (loop $inner
                  (i32.store8 (local.get $j) (i32.const 1))
                  (local.set $j (i32.add (local.get $j) (local.get $i)))
                  (br_if $inner (i32.le_u (local.get $j) (local.get $limit))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.le_u (local.get $i) (local.get $limit))))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $count))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rep (i32.lt_u (local.get $r) (local.get $reps))))
    (local.get $sum)))
