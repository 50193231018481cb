;; A string builder on a WasmGC `array i8`: `n` times, a fresh builder (capacity 16, doubled
;; with `array.copy` when full) gets the decimal digits of i * j and a comma for j < 100;
;; then a hash of its bytes (h = h * 31 + byte, wrapping) is added to the result.
(module
  (type $bytes (array (mut i8)))
  (type $builder (struct (field $buf (mut (ref $bytes))) (field $len (mut i32))))

  (func $push (param $b (ref $builder)) (param $byte i32)
    (local $buf (ref $bytes)) (local $len i32) (local $bigger (ref $bytes))
    (local.set $buf (struct.get $builder $buf (local.get $b)))
    (local.set $len (struct.get $builder $len (local.get $b)))
    (if (i32.eq (local.get $len) (array.len (local.get $buf)))
      (then
        (local.set $bigger (array.new_default $bytes (i32.shl (local.get $len) (i32.const 1))))
        (array.copy $bytes $bytes (local.get $bigger) (i32.const 0) (local.get $buf) (i32.const 0) (local.get $len))
        (struct.set $builder $buf (local.get $b) (local.get $bigger))
        (local.set $buf (local.get $bigger))))
    (array.set $bytes (local.get $buf) (local.get $len) (local.get $byte))
    (struct.set $builder $len (local.get $b) (i32.add (local.get $len) (i32.const 1))))

  ;; The decimal digits of `v` (unsigned), most significant first.
  (func $push_int (param $b (ref $builder)) (param $v i32)
    (local $div i32)
    (local.set $div (i32.const 1))
    (block $found
      (loop $up
        (br_if $found (i32.lt_u (i32.div_u (local.get $v) (local.get $div)) (i32.const 10)))
        (local.set $div (i32.mul (local.get $div) (i32.const 10)))
        (br $up)))
    (loop $digits
      (call $push (local.get $b) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $v) (local.get $div)) (i32.const 10))))
      (local.set $div (i32.div_u (local.get $div) (i32.const 10)))
      (br_if $digits (local.get $div))))

  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $k i32) (local $b (ref null $builder)) (local $h i64) (local $sum i64)
    (local $buf (ref $bytes))
    (loop $strings
      (local.set $b (struct.new $builder (array.new_default $bytes (i32.const 16)) (i32.const 0)))
      (local.set $j (i32.const 0))
      (loop $numbers
        (call $push_int (ref.as_non_null (local.get $b)) (i32.mul (local.get $i) (local.get $j)))
        (call $push (ref.as_non_null (local.get $b)) (i32.const 44))
        (br_if $numbers (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 100))))
      (local.set $buf (struct.get $builder $buf (local.get $b)))
      (local.set $h (i64.const 0))
      (local.set $k (i32.const 0))
      (loop $hash
        (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31))
          (i64.extend_i32_u (array.get_u $bytes (local.get $buf) (local.get $k)))))
        (br_if $hash (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1)))
                               (struct.get $builder $len (local.get $b)))))
      (local.set $sum (i64.add (local.get $sum) (local.get $h)))
      (br_if $strings (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $sum)))
