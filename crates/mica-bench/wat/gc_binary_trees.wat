;; The binary-trees benchmark on WasmGC structs: for each depth d = 4, 6, ..., max, build
;; 2^(max - d + 4) complete trees of depth d and count their nodes; also a stretch tree of depth
;; max + 1 and a long-lived tree of depth max that stays alive throughout. Returns the sum of
;; all node counts.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))

  (func $make (param $depth i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $depth))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (struct.new $node (call $make (local.get $depth)) (call $make (local.get $depth))))))

  (func $check (param $tree (ref $node)) (result i32)
    (local $left (ref null $node))
    (local.set $left (struct.get $node $left (local.get $tree)))
    (if (result i32) (ref.is_null (local.get $left))
      (then (i32.const 1))
      (else
        (i32.add (i32.const 1)
          (i32.add (call $check (ref.as_non_null (local.get $left)))
                   (call $check (ref.as_non_null (struct.get $node $right (local.get $tree)))))))))

  (func (export "run") (param $max i32) (result i64)
    (local $sum i64) (local $long (ref null $node)) (local $depth i32) (local $i i32)
    (local.set $sum (i64.extend_i32_u (call $check (call $make (i32.add (local.get $max) (i32.const 1))))))
    (local.set $long (call $make (local.get $max)))
    (local.set $depth (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_s (local.get $depth) (local.get $max)))
        ;; 2^(max - depth + 4) trees of this depth.
        (local.set $i (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $max) (local.get $depth)) (i32.const 4))))
        (loop $trees
          (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (call $check (call $make (local.get $depth))))))
          (br_if $trees (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
        (local.set $depth (i32.add (local.get $depth) (i32.const 2)))
        (br $depths)))
    (i64.add (local.get $sum) (i64.extend_i32_u (call $check (ref.as_non_null (local.get $long)))))))
