;; mem_loadstore: passes of load/load/store over a 256 KiB array of u32 (a[i] for i < 65536).
;; init: a[i] = i * 0x9E3779B1; each pass p: for i < 65535: a[i] = rotl(a[i] + a[i + 1], 3) ^ p.
;; run(passes) -> the sum of a[i] (as u64, mod 2^64).
(module
  (memory 4)
  (func (export "run") (param $passes i32) (result i64)
    (local $i i32) (local $p i32) (local $addr i32) (local $sum i64)
    (block $done
      (loop $init
        (br_if $done (i32.ge_u (local.get $i) (i32.const 65536)))
        (i32.store (i32.shl (local.get $i) (i32.const 2))
                   (i32.mul (local.get $i) (i32.const 0x9E3779B1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $init)))
    (block $passes_done
      (loop $pass
        (br_if $passes_done (i32.ge_u (local.get $p) (local.get $passes)))
        (local.set $addr (i32.const 0))
        (loop $elems
          (i32.store (local.get $addr)
            (i32.xor
              (i32.rotl (i32.add (i32.load (local.get $addr)) (i32.load offset=4 (local.get $addr)))
                        (i32.const 3))
              (local.get $p)))
          (local.set $addr (i32.add (local.get $addr) (i32.const 4)))
          (br_if $elems (i32.lt_u (local.get $addr) (i32.const 262140))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pass)))
    (local.set $addr (i32.const 0))
    (loop $fold
      (local.set $sum (i64.add (local.get $sum) (i64.load32_u (local.get $addr))))
      (local.set $addr (i32.add (local.get $addr) (i32.const 4)))
      (br_if $fold (i32.lt_u (local.get $addr) (i32.const 262144))))
    (local.get $sum)))
