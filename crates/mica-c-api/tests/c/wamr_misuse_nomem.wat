;; No imports, no memory: for wamr_misuse.c's address checks.
(module
  (func (export "one") (result i32) (i32.const 1)))
