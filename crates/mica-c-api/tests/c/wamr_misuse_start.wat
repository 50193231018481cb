;; A start function that calls natives (one converts a string pointer, one lets C choose the
;; outcome: 0 go on, 1 set an exception, 2 trap). For wamr_misuse.c.
(module
  (import "env" "start_log" (func $log (param i32)))
  (import "env" "start_check" (func $check (result i32)))
  (memory 1)
  (data (i32.const 8) "start runs\00")
  (func $start
    (call $log (i32.const 8))
    (if (i32.eq (call $check) (i32.const 2)) (then unreachable)))
  (start $start)
  (func (export "ok") (result i32) (i32.const 7)))
