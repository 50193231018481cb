;; mem_bulk_small: struct-sized memory.fill and memory.copy, as clang emits them for memset and
;; memcpy with bulk memory on (the default since LLVM 20).
;; Iteration i: fill [i & 1023, +24) with i & 255; copy [i & 1023, +32) to 4096;
;; acc += the i64 at 4100.
;; run(n) -> acc after n iterations, starting from 0.
(module
  (memory 1)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (memory.fill (i32.and (local.get $i) (i32.const 1023)) (local.get $i) (i32.const 24))
        (memory.copy (i32.const 4096) (i32.and (local.get $i) (i32.const 1023)) (i32.const 32))
        (local.set $acc (i64.add (local.get $acc) (i64.load (i32.const 4100))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc)))
