import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import { rodrigues } from '../../src/body-model/lbs.js';
import { SMPLX_PARENTS, type BodyModel } from '../../src/body-model/body-model.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { writeNpz } from '../../src/npz/write-npz.js';
import { maxAbsDiff, randomParams, tinyModelArrays, tmp, zeroParams } from './fixtures.js';

const model = loadBodyModel(demoBodyPath());
const flat = { flatHandMean: true };

/** The model with its pose correctives zeroed: rigid skinning only. */
const withoutCorrectives = (m: BodyModel): BodyModel => ({ ...m, poseDirs: new Float32Array(m.poseDirs.length) });

test('zero pose and shape give v_template + camTrans, joints = J_regressor · v_template + camTrans', () => {
  const p = zeroParams([0.1, -0.2, 3]);
  const { vertices, joints } = forwardBody(model, p, flat);
  assert.equal(vertices.length, model.numVertices * 3);
  let m = 0;
  for (let i = 0; i < vertices.length; i++) m = Math.max(m, Math.abs(vertices[i] - (model.vTemplate[i] + p.camTrans[i % 3])));
  assert.ok(m < 1e-6, `max diff ${m}`);
  const { rowPtr, colIdx, values } = model.jRegressor;
  for (let j = 0; j < 55; j++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let e = rowPtr[j]; e < rowPtr[j + 1]; e++) s += values[e] * model.vTemplate[colIdx[e] * 3 + c];
      assert.ok(Math.abs(joints[j * 3 + c] - s - p.camTrans[c]) < 1e-9);
    }
  }
});

test('betas and expression add their blend shapes (checked against a direct sum)', () => {
  const p = zeroParams();
  p.betas = Float64Array.of(1.5, -0.7, 0.3, 0, 2);
  p.expr = Float64Array.of(0.8, 0, -1.2);
  const { vertices } = forwardBody(model, p, flat);
  const n = model.numVertices * 3;
  let m = 0;
  for (let i = 0; i < n; i++) {
    let v = model.vTemplate[i];
    p.betas.forEach((b, k) => { v += b * model.shapeDirs[k * n + i]; });
    p.expr.forEach((e, k) => { v += e * model.exprDirs[k * n + i]; });
    m = Math.max(m, Math.abs(vertices[i] - v));
  }
  assert.ok(m < 1e-6, `max diff ${m}`);
  // The blend shapes really move the body.
  assert.ok(maxAbsDiff(vertices, forwardBody(model, zeroParams(), flat).vertices) > 0.01);
});

test('more betas or expression coefficients than the model holds are ignored, no crash', () => {
  const p = zeroParams();
  p.betas = new Float64Array(500).fill(0.01);
  p.expr = new Float64Array(300).fill(0.01);
  const { vertices } = forwardBody(model, p, flat);
  assert.ok(vertices.every(Number.isFinite));
  const q = zeroParams();
  q.betas = new Float64Array(model.numShapeDirs).fill(0.01);
  q.expr = new Float64Array(model.numExprDirs).fill(0.01);
  assert.ok(maxAbsDiff(vertices, forwardBody(model, q, flat).vertices) < 1e-7);
});

test('rotating the left elbow moves only vertices skinned to its chain', () => {
  const elbow = 18;
  const chain = new Set([elbow]);
  for (let j = 0; j < 55; j++) if (chain.has(SMPLX_PARENTS[j])) chain.add(j);
  const onChain = (v: number) => {
    for (let e = model.weights.rowPtr[v]; e < model.weights.rowPtr[v + 1]; e++) if (chain.has(model.weights.colIdx[e])) return true;
    return false;
  };
  const p = zeroParams([0, 0, 2]);
  p.bodyPose[(elbow - 1) * 3 + 1] = -1.2; // bend about y
  for (const m of [withoutCorrectives(model), model]) {
    const rest = forwardBody(m, zeroParams([0, 0, 2]), flat).vertices;
    const posed = forwardBody(m, p, flat).vertices;
    let maxOff = 0, maxOn = 0;
    for (let v = 0; v < m.numVertices; v++) {
      const d = Math.hypot(posed[v * 3] - rest[v * 3], posed[v * 3 + 1] - rest[v * 3 + 1], posed[v * 3 + 2] - rest[v * 3 + 2]);
      if (onChain(v)) maxOn = Math.max(maxOn, d); else maxOff = Math.max(maxOff, d);
    }
    assert.ok(maxOn > 0.15, `hand should swing, moved ${maxOn}`);
    // Without correctives the rest stays exactly put; with them, within the ~mm correctives.
    assert.ok(maxOff < (m === model ? 3e-3 : 1e-6), `off-chain vertex moved ${maxOff}`);
  }
});

test('hands mean is added when flatHandMean is false, not when true', () => {
  const p = zeroParams();
  const flatOut = forwardBody(model, p, { flatHandMean: true }).vertices;
  const meanOut = forwardBody(model, p, { flatHandMean: false }).vertices;
  assert.ok(maxAbsDiff(flatOut, meanOut) > 0.005, 'relaxed hands differ from flat ones');
  // Passing hands_mean as the pose with flat hands is the same as the default.
  const q = zeroParams();
  q.lhandPose = Float64Array.from(model.handsMeanLeft);
  q.rhandPose = Float64Array.from(model.handsMeanRight);
  assert.ok(maxAbsDiff(forwardBody(model, q, { flatHandMean: true }).vertices, meanOut) < 1e-6);
});

test('finger joints visibly move the fingers', () => {
  const p = zeroParams();
  p.lhandPose[1 * 3 + 2] = -1.0; // left index2 curls
  const a = forwardBody(model, zeroParams(), flat).vertices;
  const b = forwardBody(model, p, flat).vertices;
  assert.ok(maxAbsDiff(a, b) > 0.01);
});

test('the out buffer is reused and results do not depend on earlier calls', () => {
  const out = new Float32Array(model.numVertices * 3);
  const p = randomParams(7);
  const first = Float32Array.from(forwardBody(model, p, flat).vertices);
  forwardBody(model, randomParams(8), flat, out);
  const r = forwardBody(model, p, flat, out);
  assert.equal(r.vertices, out);
  assert.ok(maxAbsDiff(first, out) === 0);
  assert.throws(() => forwardBody(model, p, flat, new Float32Array(3)), RangeError);
});

test('wrong pose lengths are refused', () => {
  const p = zeroParams();
  p.bodyPose = new Float64Array(60);
  assert.throws(() => forwardBody(model, p, flat), /bodyPose/);
});

test('rodrigues: exact at 0, stable near 0, orthonormal, matches a quarter turn', () => {
  const R = new Float64Array(9);
  rodrigues([0, 0, 0], 0, R, 0);
  assert.deepEqual(Array.from(R), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  rodrigues([0, 0, Math.PI / 2], 0, R, 0);
  const q = [0, -1, 0, 1, 0, 0, 0, 0, 1];
  assert.ok(maxAbsDiff(R, q) < 1e-15);
  for (const aa of [[1e-9, -2e-9, 3e-9], [1e-5, 2e-5, -1e-5], [0.3, -1.1, 2.0]]) {
    rodrigues(aa, 0, R, 0);
    // RᵀR = I
    for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let r = 0; r < 3; r++) s += R[r * 3 + i] * R[r * 3 + k];
      assert.ok(Math.abs(s - (i === k ? 1 : 0)) < 1e-14);
    }
    // Small angles: R ≈ I + [aa]×, up to θ²
    const t = Math.hypot(...aa);
    if (t < 1e-4) assert.ok(Math.abs(R[7] - aa[0]) <= t * t && Math.abs(R[2] - aa[1]) <= t * t && Math.abs(R[3] - aa[2]) <= t * t);
  }
});

test('nothing assumes a vertex count: two demo sizes and a tiny model all pose', () => {
  const tiny = join(tmp(), 'SMPLX_TINY.npz');
  writeNpz(tiny, tinyModelArrays(37, 20));
  const models = [model, loadBodyModel(demoBodyPath({ targetVertices: 1500 })), loadBodyModel(tiny)];
  const sizes = new Set(models.map((m) => m.numVertices));
  assert.equal(sizes.size, 3);
  for (const m of models) {
    const { vertices, joints } = forwardBody(m, randomParams(3), { flatHandMean: false });
    assert.equal(vertices.length, m.numVertices * 3);
    assert.equal(joints.length, 55 * 3);
    assert.ok(vertices.every(Number.isFinite));
  }
});
