;; try_none: run(n) makes n calls, each inside a `block` (the baseline of `try_table`).
(module
  (tag $e (param i32))
  (func $mix (param i32 i32) (result i32)
    (if (i32.eq (local.get 1) (i32.const -1)) (then (throw $e (local.get 0))))
    (i32.add (i32.mul (local.get 0) (i32.const 31)) (local.get 1)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $sum i64)
    (loop $again
      (block $caught (result i32)
        (block
          (local.set $x (call $mix (local.get $x) (local.get $i))))
        (local.get $x))
      (local.set $x)
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $x))))
      (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $sum)))
