;; Imports nobody can provide through wasm_export.h: for wamr_misuse.c.
(module
  (import "env" "absent" (func (param i32)))
  (func (export "f")))
