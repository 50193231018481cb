;; A memory import: wasm_export.h links functions only. For wamr_misuse.c.
(module
  (import "env" "memory" (memory 1)))
