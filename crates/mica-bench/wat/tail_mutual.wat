;; tail_mutual: two functions calling each other with `return_call`, n steps in all; without
;; proper tail calls this overflows the stack. The callee frames differ in shape ($b has an
;; extra local) and the accumulator catches argument mix-ups.
;; run(n) -> the accumulator after n steps, starting from $a(n, 1).
(module
  ;; a(n, acc): n == 0 -> acc, else b(n - 1, (acc ^ (acc << 1)) + n)
  (func $a (param $n i32) (param $acc i64) (result i64)
    (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call $b
      (i32.sub (local.get $n) (i32.const 1))
      (i64.add (i64.xor (local.get $acc) (i64.shl (local.get $acc) (i64.const 1)))
               (i64.extend_i32_u (local.get $n)))))
  ;; b(n, acc): n == 0 -> acc + 1, else a(n - 1, acc * 7 + 3)
  (func $b (param $n i32) (param $acc i64) (result i64)
    (local $t i64)
    (if (i32.eqz (local.get $n)) (then (return (i64.add (local.get $acc) (i64.const 1)))))
    (local.set $t (i64.add (i64.mul (local.get $acc) (i64.const 7)) (i64.const 3)))
    (return_call $a (i32.sub (local.get $n) (i32.const 1)) (local.get $t)))
  (func (export "run") (param $n i32) (result i64)
    (call $a (local.get $n) (i64.const 1))))
