;; Pose-corrective product kernel (WebAssembly SIMD), the bulk of a forward
;; pass: out += Σ_k c_k · row_k over the 486 pose features, 3V values each.
;;
;; accG(out, n4, p0..p(G-1), c0..c(G-1)) folds G rows into the accumulator:
;;   for each 4-value chunk i < n4:
;;     t = c0·row0[i] + c1·row1[i] + … (left to right, float64)
;;     out[i] += t
;; Rows are float32 at byte addresses p_k, out is float64 at byte address out
;; (16-byte aligned). Grouping (8, 4, 1 rows per call, chosen by the caller)
;; and the order of additions are those of accumulate-rows.ts, so results are
;; bit-identical to the JavaScript kernel; each instruction here converts and
;; multiplies two values at once, which is where the speed comes from.
;; The last n mod 4 values are left to the caller.
;;
;; Source of dist/src/body-model/pose-blend.wasm, assembled by
;; scripts/build-wasm.mjs (wabt) at build time.
(module
  ;; The caller's memory: out, then the rows (posedirs are loaded straight into it).
  (import "env" "mem" (memory 1))

  ;; acc8: 8 rows per pass.
  (func $acc8 (export "acc8")
    (param $out i32) (param $n4 i32)
    (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32) (param $p4 i32) (param $p5 i32) (param $p6 i32) (param $p7 i32)
    (param $c0 f64) (param $c1 f64) (param $c2 f64) (param $c3 f64) (param $c4 f64) (param $c5 f64) (param $c6 f64) (param $c7 f64)
    (local $i i32) (local $end i32) (local $o i32) (local $row i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local $lo v128) (local $hi v128)
    ;; each coefficient in both f64 lanes
    (local.set $s0 (f64x2.splat (local.get $c0)))
    (local.set $s1 (f64x2.splat (local.get $c1)))
    (local.set $s2 (f64x2.splat (local.get $c2)))
    (local.set $s3 (f64x2.splat (local.get $c3)))
    (local.set $s4 (f64x2.splat (local.get $c4)))
    (local.set $s5 (f64x2.splat (local.get $c5)))
    (local.set $s6 (f64x2.splat (local.get $c6)))
    (local.set $s7 (f64x2.splat (local.get $c7)))
    (local.set $end (i32.shl (local.get $n4) (i32.const 4))) ;; n4 chunks of 4 float32 = 16 bytes
    (local.set $i (i32.const 0))     ;; byte offset into every row
    (local.set $o (local.get $out))  ;; address of out[4i], 32 bytes per chunk
    (block $done
      (loop $chunk
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; row 0: lo = c0·row0[0..1], hi = c0·row0[2..3]
        (local.set $row (i32.add (local.get $p0) (local.get $i)))
        (local.set $lo (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s0)))
        (local.set $hi (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s0)))
        ;; row 1: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p1) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s1))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s1))))
        ;; row 2: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p2) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s2))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s2))))
        ;; row 3: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p3) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s3))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s3))))
        ;; row 4: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p4) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s4))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s4))))
        ;; row 5: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p5) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s5))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s5))))
        ;; row 6: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p6) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s6))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s6))))
        ;; row 7: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p7) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s7))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s7))))
        ;; out[4i..4i+1] += lo, out[4i+2..4i+3] += hi
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $lo)))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (local.get $hi)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $chunk)))
  )

  ;; acc4: 4 rows per pass.
  (func $acc4 (export "acc4")
    (param $out i32) (param $n4 i32)
    (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32)
    (param $c0 f64) (param $c1 f64) (param $c2 f64) (param $c3 f64)
    (local $i i32) (local $end i32) (local $o i32) (local $row i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $lo v128) (local $hi v128)
    ;; each coefficient in both f64 lanes
    (local.set $s0 (f64x2.splat (local.get $c0)))
    (local.set $s1 (f64x2.splat (local.get $c1)))
    (local.set $s2 (f64x2.splat (local.get $c2)))
    (local.set $s3 (f64x2.splat (local.get $c3)))
    (local.set $end (i32.shl (local.get $n4) (i32.const 4))) ;; n4 chunks of 4 float32 = 16 bytes
    (local.set $i (i32.const 0))     ;; byte offset into every row
    (local.set $o (local.get $out))  ;; address of out[4i], 32 bytes per chunk
    (block $done
      (loop $chunk
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; row 0: lo = c0·row0[0..1], hi = c0·row0[2..3]
        (local.set $row (i32.add (local.get $p0) (local.get $i)))
        (local.set $lo (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s0)))
        (local.set $hi (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s0)))
        ;; row 1: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p1) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s1))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s1))))
        ;; row 2: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p2) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s2))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s2))))
        ;; row 3: lo += c·row[0..1], hi += c·row[2..3]
        (local.set $row (i32.add (local.get $p3) (local.get $i)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s3))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s3))))
        ;; out[4i..4i+1] += lo, out[4i+2..4i+3] += hi
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $lo)))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (local.get $hi)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $chunk)))
  )

  ;; acc1: 1 row per pass.
  (func $acc1 (export "acc1")
    (param $out i32) (param $n4 i32)
    (param $p0 i32)
    (param $c0 f64)
    (local $i i32) (local $end i32) (local $o i32) (local $row i32)
    (local $s0 v128)
    (local $lo v128) (local $hi v128)
    ;; each coefficient in both f64 lanes
    (local.set $s0 (f64x2.splat (local.get $c0)))
    (local.set $end (i32.shl (local.get $n4) (i32.const 4))) ;; n4 chunks of 4 float32 = 16 bytes
    (local.set $i (i32.const 0))     ;; byte offset into every row
    (local.set $o (local.get $out))  ;; address of out[4i], 32 bytes per chunk
    (block $done
      (loop $chunk
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; row 0: lo = c0·row0[0..1], hi = c0·row0[2..3]
        (local.set $row (i32.add (local.get $p0) (local.get $i)))
        (local.set $lo (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero align=1 (local.get $row))) (local.get $s0)))
        (local.set $hi (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 align=1 (local.get $row))) (local.get $s0)))
        ;; out[4i..4i+1] += lo, out[4i+2..4i+3] += hi
        (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (local.get $lo)))
        (v128.store offset=16 (local.get $o) (f64x2.add (v128.load offset=16 (local.get $o)) (local.get $hi)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $chunk)))
  )
)
