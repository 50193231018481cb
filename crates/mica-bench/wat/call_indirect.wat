;; call_indirect: dispatch through a table of 8 small functions, the index depending on the
;; data (so the target is hard to predict). run(n) -> acc, where acc starts at 1 and
;; acc = table[(acc ^ i) & 7](acc) for i in 0..n.
(module
  (type $op (func (param i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 0) $f0 $f1 $f2 $f3 $f4 $f5 $f6 $f7)
  (func $f0 (type $op) (i32.add (local.get 0) (i32.const 1)))
  (func $f1 (type $op) (i32.mul (local.get 0) (i32.const 3)))
  (func $f2 (type $op) (i32.xor (local.get 0) (i32.const 0x5555)))
  (func $f3 (type $op) (i32.rotl (local.get 0) (i32.const 7)))
  (func $f4 (type $op) (i32.sub (local.get 0) (i32.const 17)))
  (func $f5 (type $op) (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1)))
  (func $f6 (type $op) (i32.add (i32.shr_u (local.get 0) (i32.const 3)) (local.get 0)))
  (func $f7 (type $op) (i32.xor (local.get 0) (i32.const -1)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i32)
    (local.set $acc (i32.const 1))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc
          (call_indirect (type $op)
            (local.get $acc)
            (i32.and (i32.xor (local.get $acc) (local.get $i)) (i32.const 7))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i64.extend_i32_u (local.get $acc))))
