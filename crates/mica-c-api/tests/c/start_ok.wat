(module
  (global $ran (export "ran") (mut i32) (i32.const 0))
  (func $init (global.set $ran (i32.const 1)))
  (start $init))
