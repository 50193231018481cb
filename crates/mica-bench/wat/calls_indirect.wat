;; calls_indirect: run(n) makes n calls through a table (`call_indirect` that hits) of a small
;; function and returns the sum of their results. The baseline of `calls_ref`.
(module
  (type $t (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) func $mix $mix)
  (func $mix (type $t) (i32.add (i32.mul (local.get 0) (i32.const 31)) (local.get 1)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $sum i64)
    (loop $again
      (local.set $x (call_indirect (type $t) (local.get $x) (local.get $i) (i32.and (local.get $i) (i32.const 1))))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $x))))
      (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $sum)))
