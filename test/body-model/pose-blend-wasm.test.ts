import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmRowKernel } from '../../src/body-model/pose-blend-wasm.js';
import { accumulateRows } from '../../src/body-model/accumulate-rows.js';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { randomParams, rng } from './fixtures.js';

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
