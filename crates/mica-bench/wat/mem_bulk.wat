;; mem_bulk: memory.fill and memory.copy of 1 MiB each per iteration, plus one byte load.
;; Iteration k: fill [(k & 15) * 4096, +1 MiB) with k & 255; copy that range to
;; 2 MiB + (k & 7) * 1024; acc = acc * 31 + byte at 2 MiB + ((k * 977) & 0xFFFFF).
;; run(n) -> acc after n iterations, starting from 0.
(module
  (memory 64)
  (func (export "run") (param $n i32) (result i64)
    (local $k i32) (local $src i32) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $src (i32.shl (i32.and (local.get $k) (i32.const 15)) (i32.const 12)))
        (memory.fill (local.get $src) (i32.and (local.get $k) (i32.const 255)) (i32.const 0x100000))
        (memory.copy
          (i32.add (i32.const 0x200000) (i32.shl (i32.and (local.get $k) (i32.const 7)) (i32.const 10)))
          (local.get $src)
          (i32.const 0x100000))
        (local.set $acc
          (i64.add (i64.mul (local.get $acc) (i64.const 31))
                   (i64.load8_u (i32.add (i32.const 0x200000)
                                         (i32.and (i32.mul (local.get $k) (i32.const 977))
                                                  (i32.const 0xFFFFF))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
    (local.get $acc)))
