;; sieve_mem1: `sieve_mem0` over memory 1 of two (memory 0 is a page the loop never touches):
;; the accesses take the named form, which finds the memory among the instance's. run(reps) as
;; in `sieve_mem0`.
(module
  (memory $unused 1)
  (memory $sieve 65)
  (func (export "run") (param $reps i32) (result i64)
    (local $r i32) (local $limit i32) (local $i i32) (local $j i32) (local $count i32)
    (local $sum i64)
    (loop $rep
      (local.set $limit (i32.sub (i32.const 4194304) (local.get $r)))
      (memory.fill $sieve (i32.const 0) (i32.const 0) (i32.add (local.get $limit) (i32.const 1)))
      (local.set $count (i32.const 0))
      (local.set $i (i32.const 2))
      (loop $outer
        (if (i32.eqz (i32.load8_u $sieve (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (if (i32.le_u (local.get $i) (i32.const 2048))
              (then
                (local.set $j (i32.mul (local.get $i) (local.get $i)))
                (loop $inner
                  (i32.store8 $sieve (local.get $j) (i32.const 1))
                  (local.set $j (i32.add (local.get $j) (local.get $i)))
                  (br_if $inner (i32.le_u (local.get $j) (local.get $limit))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.le_u (local.get $i) (local.get $limit))))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $count))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rep (i32.lt_u (local.get $r) (local.get $reps))))
    (local.get $sum)))
