/**
 * out += Σ_k coeffs[k] · rows[rowStart + k], the dense product behind blend
 * shapes and pose correctives (smplx: einsum / matmul with posedirs).
 *
 * Rows are feature-major (each row one contiguous n-vector), so one pass over
 * `out` folds in 8 rows at a time: `out` is read and written once per 8 rows,
 * and V8 keeps the 8 coefficients in registers. Exactly-zero coefficients
 * (eyes, unposed hands) are skipped, which changes no result.
 *
 * The grouping (8s, then 4s, then 1s over the nonzero coefficients) and the
 * order of additions are part of the contract: the WebAssembly kernel
 * follows them, so both give bit-identical results.
 */

/**
 * @param out      (n) accumulator, updated in place
 * @param rows     (numRows × n) row-major, float32
 * @param n        row length (3V)
 * @param coeffs   coefficients for rows rowStart .. rowStart+count-1
 * @param rowStart first row of `rows` used
 * @param count    number of coefficients/rows used
 * @param scratch  (≥ count) index scratch, so no allocation per call
 */
export function accumulateRows(
  out: Float64Array,
  rows: Float32Array,
  n: number,
  coeffs: ArrayLike<number>,
  rowStart: number,
  count: number,
  scratch: Int32Array,
): void {
  const m = packNonzero(coeffs, count, scratch);
  accumulatePacked(out, rows, n, coeffs, rowStart, scratch, m, 0);
}

/** Indices of the nonzero coefficients into idx; returns how many. */
export function packNonzero(coeffs: ArrayLike<number>, count: number, idx: Int32Array): number {
  let m = 0;
  for (let k = 0; k < count; k++) {
    if (coeffs[k] !== 0) idx[m++] = k;
  }
  return m;
}

/** out[from..n) += Σ coeffs[idx[g]] · rows[rowStart + idx[g]], g < m. */
export function accumulatePacked(
  out: Float64Array,
  rows: Float32Array,
  n: number,
  coeffs: ArrayLike<number>,
  rowStart: number,
  idx: Int32Array,
  m: number,
  from: number,
): void {
  let g = 0;
  for (; g + 8 <= m; g += 8) {
    const k0 = idx[g], k1 = idx[g + 1], k2 = idx[g + 2], k3 = idx[g + 3];
    const k4 = idx[g + 4], k5 = idx[g + 5], k6 = idx[g + 6], k7 = idx[g + 7];
    const c0 = coeffs[k0], c1 = coeffs[k1], c2 = coeffs[k2], c3 = coeffs[k3];
    const c4 = coeffs[k4], c5 = coeffs[k5], c6 = coeffs[k6], c7 = coeffs[k7];
    const o0 = (rowStart + k0) * n, o1 = (rowStart + k1) * n, o2 = (rowStart + k2) * n, o3 = (rowStart + k3) * n;
    const o4 = (rowStart + k4) * n, o5 = (rowStart + k5) * n, o6 = (rowStart + k6) * n, o7 = (rowStart + k7) * n;
    for (let i = from; i < n; i++) {
      out[i] += c0 * rows[o0 + i] + c1 * rows[o1 + i] + c2 * rows[o2 + i] + c3 * rows[o3 + i]
        + c4 * rows[o4 + i] + c5 * rows[o5 + i] + c6 * rows[o6 + i] + c7 * rows[o7 + i];
    }
  }
  for (; g + 4 <= m; g += 4) {
    const k0 = idx[g], k1 = idx[g + 1], k2 = idx[g + 2], k3 = idx[g + 3];
    const c0 = coeffs[k0], c1 = coeffs[k1], c2 = coeffs[k2], c3 = coeffs[k3];
    const o0 = (rowStart + k0) * n, o1 = (rowStart + k1) * n, o2 = (rowStart + k2) * n, o3 = (rowStart + k3) * n;
    for (let i = from; i < n; i++) {
      out[i] += c0 * rows[o0 + i] + c1 * rows[o1 + i] + c2 * rows[o2 + i] + c3 * rows[o3 + i];
    }
  }
  for (; g < m; g++) {
    const k = idx[g];
    const c = coeffs[k];
    const o = (rowStart + k) * n;
    for (let i = from; i < n; i++) out[i] += c * rows[o + i];
  }
}
