;; The training engine's matrix products in WebAssembly with 128-bit SIMD (f32x4: four float32 at once).
;; engine.js keeps the same products in plain JavaScript (section 2 there): read those first, they are the
;; reference; these do the same sums, four columns per instruction. kernels.js loads this module, places the
;; network's buffers in its memory and calls it. Rebuilt by scripts/build_wasm.py (wat2wasm from the npm
;; package wabt, pinned in package.json); tests/test_wasm_kernels.py fails when kernels.wasm is stale.
;;
;; Layout: every matrix is float32, row by row, and every pointer is a byte address in the imported memory
;; (kernels.js keeps address 0 unused, so a bias pointer of 0 means "no bias"). Sums are float32 (f32x4
;; multiply, then add), each in a fixed order: the same inputs give the same bits, every run.
;;
;;   product        C (M×L) = bias + X (M×J) · Y (J×L)     the forward product (Y = the filters transposed)
;;                                                        and the inputs' gradient (X = D, Y = the filters)
;;   gradientOfRows G (N×K) += Dᵀ (N×M) · A (M×K)          the weights' gradient, added to G
;;   transpose      T (K×N) = W (N×K)ᵀ                    the filters as the forward product reads them
;;   sigmoid        v ← 1 / (1 + e^−v), in place            the lecture's activation (e^x: a polynomial)
;;   windowsToRows  im2col of one image                     each window of the input as one row
;;
;; Both products want L ≥ 4 (resp. K ≥ 4): a row's last, partial group of four columns is computed as the
;; four columns that end the row (overlapping the group before it; those columns get the same values again).
;; kernels.js sends narrower products to the JavaScript ones.
(module
  (import "env" "memory" (memory 1))

  ;; ---------------------------------------------------------------------------------------------------
  ;; T[k][n] = W[n][k]   (W: N×K at $w, T: K×N at $t)
  (func (export "transpose") (param $N i32) (param $K i32) (param $w i32) (param $t i32)
    (local $n i32) (local $k i32) (local $from i32)
    (loop $filters
      (local.set $k (i32.const 0))
      (local.set $from (i32.add (local.get $w) (i32.shl (i32.mul (local.get $n) (local.get $K)) (i32.const 2))))
      (loop $weights
        ;; T[k][n] ← W[n][k]
        (f32.store
          (i32.add (local.get $t) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $N)) (local.get $n)) (i32.const 2)))
          (f32.load (i32.add (local.get $from) (i32.shl (local.get $k) (i32.const 2)))))
        (br_if $weights (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $K))))
      (br_if $filters (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (local.get $N)))))

  ;; ---------------------------------------------------------------------------------------------------
  ;; Four rows × four columns of C = bias + X · Y: 4 running sums of 4 lanes, each value of Y loaded is
  ;; used for 4 rows, each value of X is "splat" (copied to the 4 lanes) and used for 4 columns.
  ;;   $x0..$x3  the 4 rows of X (J values each)      $c0..$c3  where the 4 rows' 4 sums go
  ;;   $y        Y's 4 columns in its first row        $step     the bytes from one row of Y to the next (4L)
  ;;   $b        the 4 biases, or 0 for none
  (func $columns4 (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32)
                  (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
                  (param $y i32) (param $step i32) (param $J i32) (param $b i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $w v128) (local $j i32) (local $end i32)
    (if (local.get $b) (then (local.set $s0 (v128.load (local.get $b)))))
    (local.set $s1 (local.get $s0))
    (local.set $s2 (local.get $s0))
    (local.set $s3 (local.get $s0))
    (local.set $end (i32.shl (local.get $J) (i32.const 2)))
    (loop $sum                                      ;; j = 0, 4, 8, … bytes: X[·][j] and Y[j][·]
      (local.set $w (v128.load (local.get $y)))     ;; Y[j][l .. l+3]
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load32_splat (i32.add (local.get $x0) (local.get $j))) (local.get $w))))
      (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load32_splat (i32.add (local.get $x1) (local.get $j))) (local.get $w))))
      (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load32_splat (i32.add (local.get $x2) (local.get $j))) (local.get $w))))
      (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load32_splat (i32.add (local.get $x3) (local.get $j))) (local.get $w))))
      (local.set $y (i32.add (local.get $y) (local.get $step)))
      (br_if $sum (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $end))))
    (v128.store (local.get $c0) (local.get $s0))
    (v128.store (local.get $c1) (local.get $s1))
    (v128.store (local.get $c2) (local.get $s2))
    (v128.store (local.get $c3) (local.get $s3)))

  ;; The same for four rows × eight columns (two groups of four): 8 running sums, each splat used twice.
  (func $columns8 (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32)
                  (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
                  (param $y i32) (param $step i32) (param $J i32) (param $b i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)  ;; columns l .. l+3
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)  ;; columns l+4 .. l+7
    (local $v v128) (local $w v128) (local $a v128) (local $j i32) (local $end i32)
    (if (local.get $b) (then
      (local.set $s0 (v128.load (local.get $b)))
      (local.set $t0 (v128.load offset=16 (local.get $b)))))
    (local.set $s1 (local.get $s0)) (local.set $s2 (local.get $s0)) (local.set $s3 (local.get $s0))
    (local.set $t1 (local.get $t0)) (local.set $t2 (local.get $t0)) (local.set $t3 (local.get $t0))
    (local.set $end (i32.shl (local.get $J) (i32.const 2)))
    (loop $sum
      (local.set $v (v128.load (local.get $y)))            ;; Y[j][l .. l+3]
      (local.set $w (v128.load offset=16 (local.get $y)))  ;; Y[j][l+4 .. l+7]
      (local.set $a (v128.load32_splat (i32.add (local.get $x0) (local.get $j))))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $a) (local.get $v))))
      (local.set $t0 (f32x4.add (local.get $t0) (f32x4.mul (local.get $a) (local.get $w))))
      (local.set $a (v128.load32_splat (i32.add (local.get $x1) (local.get $j))))
      (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $a) (local.get $v))))
      (local.set $t1 (f32x4.add (local.get $t1) (f32x4.mul (local.get $a) (local.get $w))))
      (local.set $a (v128.load32_splat (i32.add (local.get $x2) (local.get $j))))
      (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $a) (local.get $v))))
      (local.set $t2 (f32x4.add (local.get $t2) (f32x4.mul (local.get $a) (local.get $w))))
      (local.set $a (v128.load32_splat (i32.add (local.get $x3) (local.get $j))))
      (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $a) (local.get $v))))
      (local.set $t3 (f32x4.add (local.get $t3) (f32x4.mul (local.get $a) (local.get $w))))
      (local.set $y (i32.add (local.get $y) (local.get $step)))
      (br_if $sum (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $end))))
    (v128.store (local.get $c0) (local.get $s0)) (v128.store offset=16 (local.get $c0) (local.get $t0))
    (v128.store (local.get $c1) (local.get $s1)) (v128.store offset=16 (local.get $c1) (local.get $t1))
    (v128.store (local.get $c2) (local.get $s2)) (v128.store offset=16 (local.get $c2) (local.get $t2))
    (v128.store (local.get $c3) (local.get $s3)) (v128.store offset=16 (local.get $c3) (local.get $t3)))

  ;; ---------------------------------------------------------------------------------------------------
  ;; C[m][l] = bias[l] + Σ_j X[m][j] · Y[j][l]   (X: M×J at $X, Y: J×L at $Y, C: M×L at $C; $bias or 0)
  ;; Rows go four at a time; when fewer than four are left, the missing ones repeat the last block's first
  ;; row (the same sums written twice). Columns go eight, then four at a time; the last group of four is the
  ;; row's last four columns. Needs J ≥ 1 and L ≥ 4.
  (func (export "product") (param $M i32) (param $J i32) (param $L i32)
                           (param $X i32) (param $Y i32) (param $bias i32) (param $C i32)
    (local $m i32) (local $l i32) (local $at i32) (local $rowX i32) (local $rowC i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local.set $rowX (i32.shl (local.get $J) (i32.const 2)))
    (local.set $rowC (i32.shl (local.get $L) (i32.const 2)))
    (loop $rows
      ;; rows m .. m+3 of X and C (row m again where m+i ≥ M)
      (local.set $x0 (i32.add (local.get $X) (i32.mul (local.get $m) (local.get $rowX))))
      (local.set $c0 (i32.add (local.get $C) (i32.mul (local.get $m) (local.get $rowC))))
      (local.set $x1 (select (i32.add (local.get $x0) (local.get $rowX)) (local.get $x0)
                             (i32.lt_u (i32.add (local.get $m) (i32.const 1)) (local.get $M))))
      (local.set $c1 (select (i32.add (local.get $c0) (local.get $rowC)) (local.get $c0)
                             (i32.lt_u (i32.add (local.get $m) (i32.const 1)) (local.get $M))))
      (local.set $x2 (select (i32.add (local.get $x0) (i32.shl (local.get $rowX) (i32.const 1))) (local.get $x0)
                             (i32.lt_u (i32.add (local.get $m) (i32.const 2)) (local.get $M))))
      (local.set $c2 (select (i32.add (local.get $c0) (i32.shl (local.get $rowC) (i32.const 1))) (local.get $c0)
                             (i32.lt_u (i32.add (local.get $m) (i32.const 2)) (local.get $M))))
      (local.set $x3 (select (i32.add (local.get $x0) (i32.mul (local.get $rowX) (i32.const 3))) (local.get $x0)
                             (i32.lt_u (i32.add (local.get $m) (i32.const 3)) (local.get $M))))
      (local.set $c3 (select (i32.add (local.get $c0) (i32.mul (local.get $rowC) (i32.const 3))) (local.get $c0)
                             (i32.lt_u (i32.add (local.get $m) (i32.const 3)) (local.get $M))))
      ;; columns l .. l+7 while eight are left
      (local.set $l (i32.const 0))
      (block $eightDone
        (loop $eight
          (br_if $eightDone (i32.gt_u (i32.add (local.get $l) (i32.const 8)) (local.get $L)))
          (local.set $at (i32.shl (local.get $l) (i32.const 2)))
          (call $columns8 (local.get $x0) (local.get $x1) (local.get $x2) (local.get $x3)
            (i32.add (local.get $c0) (local.get $at)) (i32.add (local.get $c1) (local.get $at))
            (i32.add (local.get $c2) (local.get $at)) (i32.add (local.get $c3) (local.get $at))
            (i32.add (local.get $Y) (local.get $at)) (local.get $rowC) (local.get $J)
            (select (i32.add (local.get $bias) (local.get $at)) (i32.const 0) (local.get $bias)))
          (local.set $l (i32.add (local.get $l) (i32.const 8)))
          (br $eight)))
      ;; then groups of four; the last one ends at column L−1
      (block $fourDone
        (loop $four
          (br_if $fourDone (i32.ge_u (local.get $l) (local.get $L)))
          (local.set $at (i32.shl (select (local.get $l) (i32.sub (local.get $L) (i32.const 4))
                                          (i32.le_u (i32.add (local.get $l) (i32.const 4)) (local.get $L)))
                                  (i32.const 2)))
          (call $columns4 (local.get $x0) (local.get $x1) (local.get $x2) (local.get $x3)
            (i32.add (local.get $c0) (local.get $at)) (i32.add (local.get $c1) (local.get $at))
            (i32.add (local.get $c2) (local.get $at)) (i32.add (local.get $c3) (local.get $at))
            (i32.add (local.get $Y) (local.get $at)) (local.get $rowC) (local.get $J)
            (select (i32.add (local.get $bias) (local.get $at)) (i32.const 0) (local.get $bias)))
          (local.set $l (i32.add (local.get $l) (i32.const 4)))
          (br $four)))
      (br_if $rows (i32.lt_u (local.tee $m (i32.add (local.get $m) (i32.const 4))) (local.get $M)))))

  ;; ---------------------------------------------------------------------------------------------------
  ;; G[n][k] += Σ_m D[m][n] · A[m][k]   (D: M×N at $D, A: M×K at $A, G: N×K at $G)
  ;; Four rows of D and A at a time: for each filter n, the 4 gradients D[m..m+3][n] are splat, and each
  ;; group of four weights' gradients gets Σ_i D[m+i][n] · A[m+i][k .. k+3] added. A row past M counts 0.
  ;; The last, partial group (K not a multiple of 4) is the row's last four columns with the columns the
  ;; group before already had masked to 0, so each weight's gradient gets each row exactly once. Needs K ≥ 4.
  (func (export "gradientOfRows") (param $M i32) (param $N i32) (param $K i32)
                                  (param $D i32) (param $A i32) (param $G i32)
    (local $m i32) (local $n i32) (local $k i32) (local $g i32) (local $full i32) (local $last i32)
    (local $rowD i32) (local $rowA i32)
    (local $d0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $keep1 v128) (local $keep2 v128) (local $keep3 v128) (local $tail v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $p3 v128) (local $s v128)
    (local.set $rowD (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rowA (i32.shl (local.get $K) (i32.const 2)))
    (local.set $full (i32.shl (i32.and (local.get $K) (i32.const -4)) (i32.const 2)))  ;; bytes of whole groups
    (local.set $last (i32.shl (i32.sub (local.get $K) (i32.const 4)) (i32.const 2)))   ;; the last four columns
    ;; lane i of the last group is a new column when i ≥ 4 − K mod 4
    (local.set $tail (i32x4.ge_s (v128.const i32x4 0 1 2 3)
                                 (i32x4.splat (i32.sub (i32.const 4) (i32.and (local.get $K) (i32.const 3))))))
    (loop $rows
      (local.set $d0 (i32.add (local.get $D) (i32.mul (local.get $m) (local.get $rowD))))
      (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $m) (local.get $rowA))))
      ;; rows past M: read row m again, multiply by 0 ($keep is all ones for a real row, zeros past M)
      (local.set $keep1 (i32x4.splat (i32.sub (i32.const 0) (i32.lt_u (i32.add (local.get $m) (i32.const 1)) (local.get $M)))))
      (local.set $keep2 (i32x4.splat (i32.sub (i32.const 0) (i32.lt_u (i32.add (local.get $m) (i32.const 2)) (local.get $M)))))
      (local.set $keep3 (i32x4.splat (i32.sub (i32.const 0) (i32.lt_u (i32.add (local.get $m) (i32.const 3)) (local.get $M)))))
      (local.set $d1 (select (i32.add (local.get $d0) (local.get $rowD)) (local.get $d0) (v128.any_true (local.get $keep1))))
      (local.set $a1 (select (i32.add (local.get $a0) (local.get $rowA)) (local.get $a0) (v128.any_true (local.get $keep1))))
      (local.set $d2 (select (i32.add (local.get $d1) (local.get $rowD)) (local.get $d0) (v128.any_true (local.get $keep2))))
      (local.set $a2 (select (i32.add (local.get $a1) (local.get $rowA)) (local.get $a0) (v128.any_true (local.get $keep2))))
      (local.set $d3 (select (i32.add (local.get $d2) (local.get $rowD)) (local.get $d0) (v128.any_true (local.get $keep3))))
      (local.set $a3 (select (i32.add (local.get $a2) (local.get $rowA)) (local.get $a0) (v128.any_true (local.get $keep3))))
      (local.set $n (i32.const 0))
      (local.set $g (local.get $G))
      (loop $filters
        ;; the 4 rows' gradients of filter n, each in all 4 lanes
        (local.set $p0 (v128.load32_splat (local.get $d0)))
        (local.set $p1 (v128.and (v128.load32_splat (local.get $d1)) (local.get $keep1)))
        (local.set $p2 (v128.and (v128.load32_splat (local.get $d2)) (local.get $keep2)))
        (local.set $p3 (v128.and (v128.load32_splat (local.get $d3)) (local.get $keep3)))
        ;; ReLU zeroes many gradients: skip a filter whose 4 are all 0 (its sums would add nothing)
        (if (v128.any_true (v128.or (v128.or (local.get $p0) (local.get $p1)) (v128.or (local.get $p2) (local.get $p3))))
          (then
            (local.set $k (i32.const 0))
            (block $groupsDone
              (loop $groups                          ;; k = 0, 16, 32, … bytes: weights k/4 .. k/4+3
                (br_if $groupsDone (i32.ge_u (local.get $k) (local.get $full)))
                (v128.store (i32.add (local.get $g) (local.get $k))
                  (f32x4.add (v128.load (i32.add (local.get $g) (local.get $k)))
                    (f32x4.add
                      (f32x4.add (f32x4.mul (local.get $p0) (v128.load (i32.add (local.get $a0) (local.get $k))))
                                 (f32x4.mul (local.get $p1) (v128.load (i32.add (local.get $a1) (local.get $k)))))
                      (f32x4.add (f32x4.mul (local.get $p2) (v128.load (i32.add (local.get $a2) (local.get $k))))
                                 (f32x4.mul (local.get $p3) (v128.load (i32.add (local.get $a3) (local.get $k))))))))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $groups)))
            (if (i32.lt_u (local.get $full) (local.get $rowA))  ;; the last, partial group
              (then
                (local.set $k (local.get $last))
                (local.set $s
                  (f32x4.add
                    (f32x4.add (f32x4.mul (local.get $p0) (v128.load (i32.add (local.get $a0) (local.get $k))))
                               (f32x4.mul (local.get $p1) (v128.load (i32.add (local.get $a1) (local.get $k)))))
                    (f32x4.add (f32x4.mul (local.get $p2) (v128.load (i32.add (local.get $a2) (local.get $k))))
                               (f32x4.mul (local.get $p3) (v128.load (i32.add (local.get $a3) (local.get $k)))))))
                (v128.store (i32.add (local.get $g) (local.get $k))
                  (f32x4.add (v128.load (i32.add (local.get $g) (local.get $k)))
                             (v128.and (local.get $s) (local.get $tail))))))))
        ;; next filter: one float further in each row of D, one row (K floats) further in G
        (local.set $d0 (i32.add (local.get $d0) (i32.const 4)))
        (local.set $d1 (i32.add (local.get $d1) (i32.const 4)))
        (local.set $d2 (i32.add (local.get $d2) (i32.const 4)))
        (local.set $d3 (i32.add (local.get $d3) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (local.get $rowA)))
        (br_if $filters (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (local.get $N))))
      (br_if $rows (i32.lt_u (local.tee $m (i32.add (local.get $m) (i32.const 4))) (local.get $M)))))

  ;; ---------------------------------------------------------------------------------------------------
  ;; e^x for four lanes, as float32 libraries compute it: x = n·ln 2 + r with n a whole number and
  ;; |r| ≤ ln 2 / 2, then e^x = 2^n · e^r, e^r from its Taylor polynomial to r⁶ (the next term is below
  ;; float32's rounding: |r|⁷/7! < 1.2e-7) and 2^n written straight into the float's exponent bits.
  ;; x is first kept within [−87, 88], where 2^n is a normal float32.
  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87 -87 -87 -87))
                             (v128.const f32x4 88 88 88 88)))
    ;; n = round(x / ln 2)
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    ;; r = x − n·ln 2, with ln 2 in two parts (0.693145751953125 has few bits, so n·it is exact)
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (v128.const f32x4 1.428606765330187e-06 1.428606765330187e-06 1.428606765330187e-06 1.428606765330187e-06))))
    ;; e^r = 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r/720)))))   (Horner's rule)
    (local.set $p (v128.const f32x4 1.3888889e-3 1.3888889e-3 1.3888889e-3 1.3888889e-3))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3333333e-3 8.3333333e-3 8.3333333e-3 8.3333333e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1666667e-2 4.1666667e-2 4.1666667e-2 4.1666667e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.16666667 0.16666667 0.16666667 0.16666667)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    ;; × 2^n: the float with exponent bits n + 127 and no mantissa
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  ;; σ(v) = 1 / (1 + e^−v) for four lanes
  (func $sigmoid4 (param $v v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.neg (local.get $v))))))

  ;; v[i] ← σ(v[i]) for the $count floats at $v, four at a time. When $count is not a multiple of 4, the
  ;; last four floats are computed first, from their values before any change, and stored last (the ones
  ;; the groups before also computed get the same values again). Needs $count ≥ 4.
  (func (export "sigmoid") (param $v i32) (param $count i32)
    (local $at i32) (local $end i32) (local $last v128)
    (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (local.set $last (call $sigmoid4 (v128.load (i32.sub (i32.add (local.get $v) (i32.shl (local.get $count) (i32.const 2))) (i32.const 16)))))
    (local.set $at (local.get $v))
    (loop $groups
      (v128.store (local.get $at) (call $sigmoid4 (v128.load (local.get $at))))
      (br_if $groups (i32.lt_u (local.tee $at (i32.add (local.get $at) (i32.const 16))) (local.get $end))))
    (v128.store (i32.sub (i32.add (local.get $v) (i32.shl (local.get $count) (i32.const 2))) (i32.const 16)) (local.get $last)))

  ;; ---------------------------------------------------------------------------------------------------
  ;; im2col for one image (engine.js's windowsToRows, after its copy into a zero frame for padding):
  ;; the window of output position (oy, ox) becomes one row at $dst, its kh kernel rows one after the other,
  ;; each a copy of kw·C contiguous input floats (channels last), copied four at a time (the last four of a
  ;; kernel row overlap the group before: the same floats copied again). Needs kw·C ≥ 4.
  ;;   $src  the image: rows of $width pixels of $C channels      $dst  outH·outW rows of kh·kw·C floats
  (func (export "windowsToRows") (param $src i32) (param $width i32) (param $C i32) (param $outH i32)
                                 (param $outW i32) (param $kh i32) (param $kw i32) (param $sy i32) (param $sx i32)
                                 (param $dst i32)
    (local $oy i32) (local $ox i32) (local $ky i32) (local $k i32) (local $from i32)
    (local $line i32) (local $part i32) (local $last i32)
    (local.set $line (i32.shl (i32.mul (local.get $width) (local.get $C)) (i32.const 2)))  ;; bytes per input row
    (local.set $part (i32.shl (i32.mul (local.get $kw) (local.get $C)) (i32.const 2)))     ;; bytes per kernel row
    (local.set $last (i32.sub (local.get $part) (i32.const 16)))
    (loop $positionsY
      (local.set $ox (i32.const 0))
      (loop $positionsX
        (local.set $ky (i32.const 0))
        (loop $kernelRows
          ;; input row oy·sy + ky, from column ox·sx
          (local.set $from (i32.add (local.get $src)
            (i32.add (i32.mul (i32.add (i32.mul (local.get $oy) (local.get $sy)) (local.get $ky)) (local.get $line))
                     (i32.shl (i32.mul (i32.mul (local.get $ox) (local.get $sx)) (local.get $C)) (i32.const 2)))))
          (local.set $k (i32.const 0))
          (block $copied
            (loop $groups
              (br_if $copied (i32.ge_u (local.get $k) (local.get $last)))
              (v128.store (i32.add (local.get $dst) (local.get $k)) (v128.load (i32.add (local.get $from) (local.get $k))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br $groups)))
          (v128.store (i32.add (local.get $dst) (local.get $last)) (v128.load (i32.add (local.get $from) (local.get $last))))
          (local.set $dst (i32.add (local.get $dst) (local.get $part)))
          (br_if $kernelRows (i32.lt_u (local.tee $ky (i32.add (local.get $ky) (i32.const 1))) (local.get $kh))))
        (br_if $positionsX (i32.lt_u (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $outW))))
      (br_if $positionsY (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH)))))
)
