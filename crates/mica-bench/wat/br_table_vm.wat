;; br_table_vm: a bytecode interpreter written in wasm, dispatching every opcode with
;; br_table, as an interpreter-in-an-interpreter loop does. The program, at address 0:
;;   0: MIXA        acc = acc * 33 + r
;;   1: XSH         acc ^= acc >> 7
;;   2: ADDK 42     acc += 42
;;   4: ROT         acc = rotl(acc, 5)
;;   5: NOP
;;   6: DEC         r -= 1
;;   7: JNZ 0       if r != 0 goto 0
;;   9: HALT
;; run(n) -> acc, with r = n and acc = 7 at the start (7 dispatches per round).
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\2a\04\07\05\06\00\00")
  (func (export "run") (param $n i32) (result i64)
    (local $pc i32) (local $op i32) (local $acc i64) (local $r i32)
    (local.set $r (local.get $n))
    (local.set $acc (i64.const 7))
    (block $halt
      (loop $next
        (block $nop
          (block $jnz
            (block $dec
              (block $rot
                (block $addk
                  (block $xsh
                    (block $mixa
                      (local.set $op (i32.load8_u (local.get $pc)))
                      (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
                      (br_table $halt $mixa $xsh $addk $rot $dec $jnz $nop $halt (local.get $op)))
                    ;; MIXA
                    (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 33))
                                             (i64.extend_i32_u (local.get $r))))
                    (br $next))
                  ;; XSH
                  (local.set $acc (i64.xor (local.get $acc) (i64.shr_u (local.get $acc) (i64.const 7))))
                  (br $next))
                ;; ADDK imm8
                (local.set $acc (i64.add (local.get $acc) (i64.load8_u (local.get $pc))))
                (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
                (br $next))
              ;; ROT
              (local.set $acc (i64.rotl (local.get $acc) (i64.const 5)))
              (br $next))
            ;; DEC
            (local.set $r (i32.sub (local.get $r) (i32.const 1)))
            (br $next))
          ;; JNZ imm8
          (if (local.get $r)
            (then (local.set $pc (i32.load8_u (local.get $pc))))
            (else (local.set $pc (i32.add (local.get $pc) (i32.const 1)))))
          (br $next))
        ;; NOP
        (br $next)))
    (local.get $acc)))
