import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openNpz, MODEL_ENTRY_LIMIT } from '../../src/npz/read-npz.js';
import { generateDemoBody } from '../../src/body-model/demo-body/generate-demo-body.js';
import { encodeDemoBody, writeDemoBody } from '../../src/body-model/demo-body/write-demo-body.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { demoJoints } from '../../src/body-model/demo-body/demo-skeleton.js';
import { SMPLX_JOINT_NAMES, SMPLX_PARENTS } from '../../src/body-model/body-model.js';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import { tmp, zeroParams } from './fixtures.js';

const body = generateDemoBody();
const V = body.numVertices;

test('demo body file has the SMPLX_NEUTRAL.npz keys and shapes, 55 joints, the SMPL-X tree', () => {
  const path = join(tmp(), 'SMPLX_NEUTRAL.npz');
  writeDemoBody(path);
  const npz = openNpz(path, MODEL_ENTRY_LIMIT);
  const shape = (k: string) => npz.get(k).shape;
  assert.deepEqual(shape('v_template'), [V, 3]);
  assert.deepEqual(shape('f'), [body.numFaces, 3]);
  assert.deepEqual(shape('shapedirs'), [V, 3, 400]);
  assert.deepEqual(shape('posedirs'), [V, 3, 486]);
  assert.deepEqual(shape('J_regressor'), [55, V]);
  assert.deepEqual(shape('weights'), [V, 55]);
  assert.deepEqual(shape('kintree_table'), [2, 55]);
  assert.deepEqual(shape('hands_meanl'), [45]);
  assert.deepEqual(shape('hands_meanr'), [45]);
  assert.ok(!npz.has('hands_componentsl'));
  const kt = Array.from(npz.get('kintree_table').data as Float64Array);
  assert.equal(kt[0], 4294967295, 'root parent stored like the real files');
  assert.deepEqual(kt.slice(1, 55), SMPLX_PARENTS.slice(1));
  assert.deepEqual(kt.slice(55), SMPLX_PARENTS.map((_, j) => j));
  assert.equal(SMPLX_JOINT_NAMES.length, 55);
  assert.equal(SMPLX_JOINT_NAMES[SMPLX_PARENTS[SMPLX_JOINT_NAMES.indexOf('left_thumb1')]], 'left_wrist');
  assert.equal(SMPLX_JOINT_NAMES[SMPLX_PARENTS[SMPLX_JOINT_NAMES.indexOf('jaw')]], 'head');
  const m = loadBodyModel(path);
  assert.equal(m.numShapeDirs, 300);
  assert.equal(m.numExprDirs, 100);
});

test('default size is a few thousand vertices; the SMPL-X size is reachable', () => {
  assert.ok(V > 2000 && V < 6000, `V = ${V}`);
  const big = generateDemoBody({ targetVertices: 10475 });
  assert.ok(Math.abs(big.numVertices - 10475) < 200, `V = ${big.numVertices}`);
  assert.ok(Math.abs(big.numFaces - 20908) < 600, `F = ${big.numFaces}`);
});

test('deterministic: the same options give the same bytes', () => {
  assert.ok(encodeDemoBody(generateDemoBody()).equals(encodeDemoBody(body)));
});

test('weights and J_regressor rows sum to 1; J_regressor regresses the skeleton', () => {
  for (let v = 0; v < V; v++) {
    let s = 0;
    for (let j = 0; j < 55; j++) { const w = body.weights[v * 55 + j]; assert.ok(w >= 0); s += w; }
    assert.ok(Math.abs(s - 1) < 1e-12, `weights row ${v} sums to ${s}`);
  }
  const joints = demoJoints();
  for (let j = 0; j < 55; j++) {
    let s = 0;
    const p = [0, 0, 0];
    for (let v = 0; v < V; v++) {
      const w = body.jRegressor[j * V + v];
      s += w;
      for (let c = 0; c < 3; c++) p[c] += w * body.vTemplate[v * 3 + c];
    }
    assert.ok(Math.abs(s - 1) < 1e-12, `J_regressor row ${j} sums to ${s}`);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(p[c] - joints[j][c]) < 1e-9, `${SMPLX_JOINT_NAMES[j]} regresses to ${p}`);
  }
});

test('human proportions: ~1.7 m tall, T-pose, face towards +z, left on +x', () => {
  const vt = body.vTemplate;
  const ys = [], xs = [];
  for (let v = 0; v < V; v++) { xs.push(vt[v * 3]); ys.push(vt[v * 3 + 1]); }
  const height = Math.max(...ys) - Math.min(...ys);
  assert.ok(height > 1.6 && height < 1.8, `height ${height}`);
  const span = Math.max(...xs) - Math.min(...xs);
  assert.ok(span > 1.5 && span < 1.9, `arm span ${span}`); // T-pose: span ≈ height
  const J = demoJoints();
  const j = (n: string) => J[SMPLX_JOINT_NAMES.indexOf(n)];
  assert.ok(Math.abs(j('pelvis')[1]) < 0.5, 'origin near the pelvis');
  assert.ok(j('left_wrist')[0] > 0.5 && j('right_wrist')[0] < -0.5);
  assert.ok(j('left_eye_smplhf')[2] > 0.05, 'eyes on the +z side');
  assert.ok(j('head')[1] > j('neck')[1] && j('neck')[1] > j('pelvis')[1] && j('pelvis')[1] > j('left_knee')[1]);
  // Five fingers per hand, three joints each, the thumb out of the fingers' plane.
  for (const side of ['left', 'right']) {
    for (const f of ['index', 'middle', 'ring', 'pinky', 'thumb']) {
      const a = j(`${side}_${f}1`), b = j(`${side}_${f}2`), c = j(`${side}_${f}3`);
      const sign = side === 'left' ? 1 : -1;
      assert.ok(sign * (b[0] - a[0]) > 0 && sign * (c[0] - b[0]) > 0, `${side} ${f} points outward`);
    }
    assert.ok(j(`${side}_thumb2`)[2] - j(`${side}_index1`)[2] > 0.01, 'thumb ahead of the fingers');
  }
});

test('every part is a closed, outward-facing surface (positive volume, ~0.06 m³ in all)', () => {
  const vt = body.vTemplate;
  const f = body.faces;
  let vol = 0;
  const edges = new Map<string, number>();
  for (let t = 0; t < body.numFaces; t++) {
    const [a, b, c] = [f[t * 3], f[t * 3 + 1], f[t * 3 + 2]];
    const p = (i: number) => [vt[i * 3], vt[i * 3 + 1], vt[i * 3 + 2]];
    const [A, B, C] = [p(a), p(b), p(c)];
    vol += (A[0] * (B[1] * C[2] - B[2] * C[1]) - A[1] * (B[0] * C[2] - B[2] * C[0]) + A[2] * (B[0] * C[1] - B[1] * C[0])) / 6;
    for (const [u, w] of [[a, b], [b, c], [c, a]]) edges.set(`${u},${w}`, (edges.get(`${u},${w}`) ?? 0) + 1);
  }
  // Closed and consistently oriented: every directed edge appears once, its reverse once.
  for (const [k, n] of edges) {
    assert.equal(n, 1, `edge ${k} repeated`);
    const [u, w] = k.split(',');
    assert.ok(edges.has(`${w},${u}`), `edge ${k} has no twin`);
  }
  assert.ok(vol > 0.04 && vol < 0.12, `volume ${vol} m³`);
});

test('shape and expression directions are meaningful; pose correctives dense and small', () => {
  const K = 400;
  const comp = (k: number) => Float64Array.from({ length: V * 3 }, (_, i) => body.shapedirs[i * K + k]);
  const maxY = (d: Float64Array) => { let m = -Infinity, at = 0; for (let v = 0; v < V; v++) if (body.vTemplate[v * 3 + 1] > m) { m = body.vTemplate[v * 3 + 1]; at = v; } return d[at * 3 + 1]; };
  assert.ok(maxY(comp(0)) > 0.005, 'beta 0 makes the body taller');
  // Expression 0 moves only the face, and moves it visibly.
  const e0 = comp(300);
  let faceMove = 0, elsewhere = 0;
  for (let v = 0; v < V; v++) {
    const d = Math.hypot(e0[v * 3], e0[v * 3 + 1], e0[v * 3 + 2]);
    if (body.vTemplate[v * 3 + 1] > 0.15) faceMove = Math.max(faceMove, d); else elsewhere = Math.max(elsewhere, d);
  }
  assert.ok(faceMove > 0.005 && elsewhere === 0, `face ${faceMove}, elsewhere ${elsewhere}`);
  let zeros = 0, maxAbs = 0;
  for (const x of body.posedirs) { if (x === 0) zeros++; maxAbs = Math.max(maxAbs, Math.abs(x)); }
  assert.equal(zeros, 0, 'posedirs dense');
  assert.ok(maxAbs > 5e-4 && maxAbs <= 1.001e-3, `posedirs magnitude ${maxAbs}`);
});

test('the jaw opens the mouth and the demo body poses through the common loader', () => {
  const m = loadBodyModel(demoBodyPath());
  const p = zeroParams();
  p.jawPose[0] = 0.4;
  const a = forwardBody(m, zeroParams(), { flatHandMean: true }).vertices;
  const b = forwardBody(m, p, { flatHandMean: true }).vertices;
  let chin = 0;
  for (let v = 0; v < m.numVertices; v++) chin = Math.max(chin, a[v * 3 + 1] - b[v * 3 + 1]);
  assert.ok(chin > 0.01, `chin drops ${chin} m`);
});

test('demoBodyPath caches one file per option set in the given folder', () => {
  const dir = tmp();
  const p1 = demoBodyPath({}, dir);
  const t1 = statSync(p1).mtimeMs;
  assert.equal(demoBodyPath({}, dir), p1);
  assert.equal(statSync(p1).mtimeMs, t1, 'not rewritten');
  const p2 = demoBodyPath({ targetVertices: 1500 }, dir);
  assert.notEqual(p1, p2);
  assert.ok(existsSync(p2));
  assert.ok(readFileSync(p1).length > 1000);
});
