;; features: 3.0,legacy-exceptions
;;
;; The legacy exception instructions (`try`, `catch`, `catch_all`, `delegate`, `rethrow`),
;; each opcode alone and together with `try_table`, `throw_ref` and calls, in one module.
;; (Written flat: the text format has no folded form of `try`.)

(module
  (tag $e0)
  (tag $e1 (param i32))
  (tag $e2 (param i32 i64))

  (func $throw1 (param i32) (throw $e1 (local.get 0)))

  ;; try/catch with values, catch_all, several clauses, no clause matching.
  (func (export "catch-value") (param i32) (result i32)
    try (result i32)
      (call $throw1 (local.get 0))
      i32.const -1
    catch $e1
      i32.const 100
      i32.add
    end)
  (func (export "catch-two-values") (result i64)
    (local i64)
    try (result i64)
      (throw $e2 (i32.const 3) (i64.const 4))
    catch $e2
      local.set 0
      i64.extend_i32_u
      local.get 0
      i64.add
    end)
  (func (export "catch-which") (param i32) (result i32)
    try (result i32)
      (if (i32.eq (local.get 0) (i32.const 0)) (then (throw $e0)))
      (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e1 (i32.const 11))))
      (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $e2 (i32.const 22) (i64.const 0))))
      i32.const -1
    catch $e0
      i32.const 0
    catch $e1
    catch_all
      i32.const 99
    end)
  (func (export "no-match") (result i32)
    try (result i32)
      throw $e0
    catch $e1
    end)
  (func (export "no-throw") (result i32)
    try (result i32)
      i32.const 7
    catch_all
      i32.const 8
    end)

  ;; A throw inside a catch body is not caught by the same try, but by one around it.
  (func (export "throw-in-catch") (result i32)
    try (result i32)
      try (result i32)
        throw $e0
      catch $e0
        (throw $e1 (i32.const 5))
      catch $e1
        drop
        i32.const -1
      end
    catch $e1
      i32.const 1000
      i32.add
    end)

  ;; rethrow: the caught exception again, from the catch it names.
  (func (export "rethrow-0") (result i32)
    try (result i32)
      try
        (throw $e1 (i32.const 6))
      catch $e1
        drop
        rethrow 0
      end
      i32.const -1
    catch $e1
    end)
  (func (export "rethrow-outer") (result i32)
    try (result i32)
      try
        (throw $e1 (i32.const 1))
      catch $e1
        drop
        try
          (throw $e1 (i32.const 2))
        catch $e1
          drop
          rethrow 1
        end
      end
      i32.const -1
    catch $e1
    end)
  (func (export "rethrow-catch-all") (result i32)
    try (result i32)
      try
        (throw $e1 (i32.const 9))
      catch_all
        rethrow 0
      end
      i32.const -1
    catch $e1
    end)
  ;; A call and another catch between the catch and the rethrow do not disturb the kept
  ;; exception.
  (func (export "rethrow-after-call") (result i32)
    try (result i32)
      try
        (throw $e1 (i32.const 12))
      catch $e1
        drop
        try
          (call $throw1 (i32.const 13))
        catch $e1
          drop
        end
        rethrow 0
      end
      i32.const -1
    catch $e1
    end)

  ;; delegate: to the try around, past a try, to a block, to the caller.
  (func (export "delegate-to-try") (result i32)
    try $t (result i32)
      try (result i32)
        (throw $e1 (i32.const 21))
      delegate $t
    catch $e1
    end)
  (func (export "delegate-past-try") (result i32)
    try $outer (result i32)
      try $inner (result i32)
        try (result i32)
          (throw $e1 (i32.const 22))
        delegate $outer
      catch $e1
        drop
        i32.const -1
      end
    catch $e1
    end)
  (func (export "delegate-to-block") (result i32)
    try (result i32)
      block $b (result i32)
        try (result i32)
          (throw $e1 (i32.const 23))
        delegate $b
      end
    catch $e1
    end)
  (func $delegate-to-caller (result i32)
    try (result i32)
      try (result i32)
        (throw $e1 (i32.const 24))
      delegate 1
    catch $e1
      drop
      i32.const -1
    end)
  (func (export "delegate-to-caller") (result i32)
    try (result i32)
      call $delegate-to-caller
    catch $e1
    end)
  (func (export "delegate-no-throw") (result i32)
    try $t (result i32)
      try (result i32)
        i32.const 25
      delegate $t
    catch_all
      i32.const -1
    end)

  ;; Branches out of a try body and a catch body, with values.
  (func (export "br-out") (param i32) (result i32)
    block $out (result i32)
      try (result i32)
        (br_if $out (i32.const 31) (local.get 0))
        drop
        throw $e0
      catch $e0
        (br $out (i32.const 32))
      end
    end)

  ;; With try_table: a legacy try inside a try_table, a try_table inside a legacy catch,
  ;; an exception caught by a legacy catch and rethrown to a catch_ref that throws it again,
  ;; a delegate to a block inside a try_table.
  (func (export "legacy-in-try-table") (result i32)
    (block $h (result i32)
      (try_table (catch $e1 $h)
        try
          (throw $e1 (i32.const 41))
        catch $e0
        end)
      (i32.const -1)))
  (func (export "try-table-in-catch") (result i32)
    try (result i32)
      throw $e0
    catch $e0
      (block $h (result i32)
        (try_table (catch $e1 $h) (throw $e1 (i32.const 42)))
        (i32.const -1))
    end)
  (func (export "rethrow-to-catch-ref") (result i32)
    try (result i32)
      (block $h (result i32 exnref)
        (try_table (catch_ref $e1 $h)
          try
            (throw $e1 (i32.const 43))
          catch $e1
            drop
            rethrow 0
          end)
        (unreachable))
      throw_ref
    catch $e1
    end)
  (func (export "delegate-to-try-table") (result i32)
    (block $h (result i32)
      (try_table (catch $e1 $h)
        (block $b
          try
            (throw $e1 (i32.const 44))
          delegate $b))
      (i32.const -1)))

  ;; Many catches in a loop.
  (func (export "loop") (param i32) (result i32)
    (local $sum i32)
    (loop $again
      try (result i32)
        (call $throw1 (local.get 0))
        i32.const 0
      catch $e1
      end
      (local.set $sum (i32.add (local.get $sum)))
      (br_if $again (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get $sum))
)

(assert_return (invoke "catch-value" (i32.const 1)) (i32.const 101))
(assert_return (invoke "catch-two-values") (i64.const 7))
(assert_return (invoke "catch-which" (i32.const 0)) (i32.const 0))
(assert_return (invoke "catch-which" (i32.const 1)) (i32.const 11))
(assert_return (invoke "catch-which" (i32.const 2)) (i32.const 99))
(assert_return (invoke "catch-which" (i32.const 3)) (i32.const -1))
(assert_exception (invoke "no-match"))
(assert_return (invoke "no-throw") (i32.const 7))
(assert_return (invoke "throw-in-catch") (i32.const 1005))
(assert_return (invoke "rethrow-0") (i32.const 6))
(assert_return (invoke "rethrow-outer") (i32.const 1))
(assert_return (invoke "rethrow-catch-all") (i32.const 9))
(assert_return (invoke "rethrow-after-call") (i32.const 12))
(assert_return (invoke "delegate-to-try") (i32.const 21))
(assert_return (invoke "delegate-past-try") (i32.const 22))
(assert_return (invoke "delegate-to-block") (i32.const 23))
(assert_return (invoke "delegate-to-caller") (i32.const 24))
(assert_return (invoke "delegate-no-throw") (i32.const 25))
(assert_return (invoke "br-out" (i32.const 1)) (i32.const 31))
(assert_return (invoke "br-out" (i32.const 0)) (i32.const 32))
(assert_return (invoke "legacy-in-try-table") (i32.const 41))
(assert_return (invoke "try-table-in-catch") (i32.const 42))
(assert_return (invoke "rethrow-to-catch-ref") (i32.const 43))
(assert_return (invoke "delegate-to-try-table") (i32.const 44))
(assert_return (invoke "loop" (i32.const 100000)) (i32.const 705082704))

;; Traps are not exceptions: catch_all does not catch them.
(module
  (func (export "trap") (result i32)
    try (result i32)
      unreachable
    catch_all
      i32.const 1
    end))
(assert_trap (invoke "trap") "unreachable")

;; Invalid uses.
(assert_invalid (module (func rethrow 0)) "invalid rethrow label")
(assert_invalid
  (module (func try catch_all block rethrow 0 end end))
  "invalid rethrow label")
(assert_invalid (module (tag $e (param i32)) (func try catch $e end)) "type mismatch")
