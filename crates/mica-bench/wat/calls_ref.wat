;; calls_ref: `calls_indirect` with `call_ref` instead: the same calls of the same function,
;; through a typed function reference taken from the table (so the reference is a value the
;; loop reads, as compiled code holds one).
(module
  (type $t (func (param i32 i32) (result i32)))
  (table 2 (ref null $t))
  (elem (table 0) (i32.const 0) (ref null $t) (ref.func $mix) (ref.func $mix))
  (func $mix (type $t) (i32.add (i32.mul (local.get 0) (i32.const 31)) (local.get 1)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $sum i64) (local $f (ref null $t))
    (local.set $f (table.get 0 (i32.const 0)))
    (loop $again
      (local.set $x (call_ref $t (local.get $x) (local.get $i) (local.get $f)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (local.get $x))))
      (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $sum)))
