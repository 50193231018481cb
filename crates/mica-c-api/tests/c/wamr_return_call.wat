;; The seed of the project: a `return_call` to an imported native crashed WAMR 1.3.2 (the
;; tail call released the caller's frame, the native call then built a frame over it, and
;; after the native returned the interpreter jumped to NULL). Every export here reaches a
;; native through a tail call, in a different setting; wamr_return_call.c checks each result
;; and that the instance keeps working afterwards.
(module
  (type $bin (func (param i32 i32) (result i32)))
  (import "env" "host_add" (func $host_add (type $bin)))
  (import "env" "host_count" (func $host_count (param i32) (result i32)))
  (import "env" "host_reenter" (func $host_reenter (param i32) (result i32)))
  (import "env" "host_fail" (func $host_fail (param i32) (result i32)))
  (import "env" "host_void" (func $host_void))
  (import "env" "host_wide" (func $host_wide (param i64 f64 i32 f32) (result f64)))
  (import "raw" "host_raw" (func $host_raw (param i64) (result i64)))

  (table 1 funcref)
  (elem (i32.const 0) $host_add)
  (elem declare func $host_add)

  ;; Directly: the tail call replaces this frame with the native's.
  (func $direct (export "direct") (param i32 i32) (result i32)
    (return_call $host_add (local.get 0) (local.get 1)))

  ;; From a nested call, whose caller then uses the result.
  (func (export "nested") (param i32) (result i32)
    (i32.add (call $direct (local.get 0) (i32.const 100)) (i32.const 1)))

  ;; At the bottom of a recursion: each level adds 1 after the call returns.
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (return_call $host_count (i32.const 1000)))
      (else (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))

  ;; A tail-recursive loop: wasm-to-wasm tail calls, a native called on each turn, and a
  ;; tail call to the native at the end.
  (func $loop (export "loop") (param $n i32) (param $acc i32) (result i32)
    (if (i32.eqz (local.get $n))
      (then (return_call $host_add (local.get $acc) (i32.const 0))))
    (return_call $loop
      (i32.sub (local.get $n) (i32.const 1))
      (call $host_add (local.get $acc) (i32.const 1))))

  ;; Many times in a loop: each turn calls `direct`, which tail-calls the native.
  (func (export "many") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $direct (local.get $acc) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; Through a table and through a reference.
  (func (export "indirect") (param i32 i32) (result i32)
    (return_call_indirect (type $bin) (local.get 0) (local.get 1) (i32.const 0)))
  (func (export "by_ref") (param i32 i32) (result i32)
    (return_call_ref $bin (local.get 0) (local.get 1) (ref.func $host_add)))

  ;; Parameters of both register classes, and a raw native.
  (func (export "wide") (param i64 f64 i32 f32) (result f64)
    (return_call $host_wide (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "raw") (param i64) (result i64)
    (return_call $host_raw (local.get 0)))

  ;; A native with no parameters or results, then work in the caller.
  (func $void_tail (return_call $host_void))
  (func (export "after_void") (param i32) (result i32)
    (call $void_tail)
    (call $void_tail)
    (i32.mul (local.get 0) (i32.const 3)))

  ;; Re-entrancy: the native calls back into `inner` (or `reenter`, or `trap`) on its exec
  ;; env; `inner` itself reaches a native by a tail call.
  (func (export "reenter") (param i32) (result i32)
    (return_call $host_reenter (local.get 0)))
  (func (export "inner") (param i32) (result i32)
    (i32.mul (call $direct (local.get 0) (local.get 0)) (i32.const 10)))
  (func (export "trap") (param i32) (result i32)
    unreachable)

  ;; A native that sets an exception, reached by a tail call, directly and nested.
  (func $fail (export "fail") (param i32) (result i32)
    (return_call $host_fail (local.get 0)))
  (func (export "fail_nested") (param i32) (result i32)
    (i32.add (call $fail (local.get 0)) (i32.const 1)))
)
