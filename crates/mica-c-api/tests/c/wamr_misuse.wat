;; The module of wamr_misuse.c: one native import, a few exports.
(module
  (import "env" "need" (func $need (param i32 i32) (result i32)))
  (import "env" "self_destruct" (func $self_destruct (result i32)))
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "need") (param i32 i32) (result i32) (call $need (local.get 0) (local.get 1)))
  (func (export "self_destruct") (result i32) (call $self_destruct))
  (func (export "get_ref") (result funcref) (ref.null func))
)
