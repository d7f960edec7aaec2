import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmRowKernel } from '../../src/body-model/pose-blend-wasm.js';
import { accumulateRows } from '../../src/body-model/accumulate-rows.js';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { randomParams, rng } from './fixtures.js';

/** out + Σ_k<count coeffs[k] · rows[k], the plain product, one term at a time in float64. */
function plainProduct(start: Float64Array, rows: Float32Array, n: number, coeffs: ArrayLike<number>, count: number): Float64Array {
  const out = Float64Array.from(start);
  for (let k = 0; k < count; k++) for (let i = 0; i < n; i++) out[i] += coeffs[k] * rows[k * n + i];
  return out;
}

test('WebAssembly kernel equals the plain product: exactly on small integers, to rounding on random values', () => {
  // Integers: every sum is exact in float64, so any grouping must give the same answer.
  for (const [rows, n] of [[13, 9], [8, 4], [4, 8], [1, 5], [20, 2]]) {
    const k = createWasmRowKernel(rows, n);
    assert.ok(k, 'WebAssembly SIMD is available in Node 20');
    for (let i = 0; i < rows * n; i++) k.rows[i] = ((i * 7) % 11) - 5;
    const coeffs = Float64Array.from({ length: rows }, (_, j) => (j % 3 === 1 ? 0 : ((j * 5) % 9) - 4));
    const start = Float64Array.from({ length: n }, (_, i) => i - 3);
    k.out.set(start);
    k.accumulate(coeffs, rows, new Int32Array(rows));
    assert.deepEqual(Array.from(k.out), Array.from(plainProduct(start, k.rows, n, coeffs, rows)), `rows ${rows}, n ${n}`);
  }
  // Hand-computed: rows [1,2,3,4,5], [10,20,30,40,50], coefficients 2 and -1, start 0.5 → 2·r0 − r1 + 0.5.
  const k = createWasmRowKernel(2, 5)!;
  k.rows.set([1, 2, 3, 4, 5, 10, 20, 30, 40, 50]);
  k.out.fill(0.5);
  k.accumulate([2, -1], 2, new Int32Array(2));
  assert.deepEqual(Array.from(k.out), [-7.5, -15.5, -23.5, -31.5, -39.5]);
  // Random values: equal to the plain product up to float64 rounding of the different grouping.
  const r = rng(9);
  for (const [rows, n, count] of [[486, 999, 486], [30, 17, 29], [9, 6, 3]]) {
    const k2 = createWasmRowKernel(rows, n)!;
    for (let i = 0; i < rows * n; i++) k2.rows[i] = (r() - 0.5) * 0.02;
    const coeffs = Float64Array.from({ length: rows }, () => (r() < 0.2 ? 0 : (r() - 0.5) * 3));
    const start = Float64Array.from({ length: n }, () => r() - 0.5);
    k2.out.set(start);
    k2.accumulate(coeffs, count, new Int32Array(rows));
    const want = plainProduct(start, k2.rows, n, coeffs, count);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(k2.out[i] - want[i]) < 1e-12, `rows ${rows}, n ${n}, [${i}]: ${k2.out[i]} vs ${want[i]}`);
  }
});

test('WebAssembly SIMD kernel is bit-identical to the JS kernel (any n, zero coefficients, any count)', () => {
  const r = rng(5);
  for (const [rows, n] of [[486, 31425], [486, 12], [20, 7], [9, 3], [3, 1]]) {
    const k = createWasmRowKernel(rows, n);
    assert.ok(k, 'WebAssembly SIMD is available in Node 20');
    for (let i = 0; i < rows * n; i++) k.rows[i] = (r() - 0.5) * 0.02;
    for (const count of [rows, Math.max(1, rows - 5), 1]) {
      const coeffs = Float64Array.from({ length: rows }, () => (r() < 0.2 ? 0 : (r() - 0.5) * 3));
      const start = Float64Array.from({ length: n }, () => r() - 0.5);
      const js = Float64Array.from(start);
      accumulateRows(js, k.rows, n, coeffs, 0, count, new Int32Array(rows));
      k.out.set(start);
      k.accumulate(coeffs, count, new Int32Array(rows));
      assert.deepEqual(Array.from(k.out), Array.from(js), `rows ${rows}, n ${n}, count ${count}`);
    }
  }
});

test('forwardBody gives the same vertices with and without the SIMD kernel', () => {
  const model = loadBodyModel(demoBodyPath());
  assert.ok(model.poseKernel && model.poseKernel.rows === model.poseDirs);
  const jsOnly = { ...model, poseKernel: null };
  for (const seed of [1, 2, 3]) {
    const p = randomParams(seed);
    const a = forwardBody(model, p, { flatHandMean: false });
    const b = forwardBody(jsOnly, p, { flatHandMean: false });
    assert.deepEqual(Array.from(a.vertices), Array.from(b.vertices));
    assert.deepEqual(Array.from(a.joints), Array.from(b.joints));
  }
});
