/**
 * The glTF rig's pure parts against hand-computed values: top-4 weights
 * renormalised, inverse bind matrices, rest offsets, quaternion order; and
 * the frame policy (held, hidden, per person id).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsr } from '../../src/body-model/load-body-model.js';
import type { BodyModel } from '../../src/body-model/body-model.js';
import { inverseBindMatrices, jointQuaternions, localOffsets, meanBetas, topWeights } from '../../src/glb/glb-rig.js';
import { sequenceTracks, type GlbFrame } from '../../src/glb/glb-tracks.js';
import type { PersonParams } from '../../src/types.js';

test('topWeights keeps the 4 largest weights of each vertex and renormalises them', () => {
  // Vertex 0: six influences; vertex 1: two.
  const dense = [
    0.05, 0.3, 0.1, 0.25, 0.2, 0.1,
    0, 0, 0.75, 0, 0, 0.25,
  ];
  const model = { numVertices: 2, numJoints: 6, weights: toCsr(dense, 2, 6) } as unknown as BodyModel;
  const { joints, weights } = topWeights(model);
  assert.ok(joints instanceof Uint8Array);
  // 0.3 + 0.25 + 0.2 + 0.1 (joint 2 wins the tie with joint 5 by index) = 0.85
  assert.deepEqual([...joints.slice(0, 4)], [1, 3, 4, 2]);
  [0.3, 0.25, 0.2, 0.1].forEach((w, k) => assert.ok(Math.abs(weights[k] - w / 0.85) < 1e-7));
  assert.deepEqual([...joints.slice(4)], [2, 5, 0, 0]);
  assert.deepEqual([...weights.slice(4)], [0.75, 0.25, 0, 0]);
});

test('inverse bind matrices translate by −J (column-major); rest offsets are relative to the parent', () => {
  const J = Float64Array.from([1, 2, 3, 1.5, 2, 2.5]);
  const ibm = inverseBindMatrices(J);
  assert.deepEqual([...ibm.slice(16)], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -1.5, -2, -2.5, 1]);
  assert.deepEqual([...localOffsets(J, Int32Array.from([-1, 0]))], [1, 2, 3, 0.5, 0, -0.5]);
});

test('jointQuaternions writes glTF (x, y, z, w): 90° about z is (0, 0, sin 45°, cos 45°)', () => {
  const zeros = (n: number) => new Float64Array(n);
  const params: PersonParams = {
    personId: 0, rootPose: Float64Array.from([0, 0, Math.PI / 2]), bodyPose: zeros(63), lhandPose: zeros(45), rhandPose: zeros(45),
    jawPose: zeros(3), betas: zeros(10), expr: zeros(10), camTrans: zeros(3),
  };
  const model = { numJoints: 55, handsMeanLeft: zeros(45), handsMeanRight: zeros(45) } as unknown as BodyModel;
  const out = new Float64Array(55 * 4);
  jointQuaternions(model, params, false, out, 0, new Float64Array(55 * 3), new Float64Array(4));
  const s = Math.SQRT1_2;
  [0, 0, s, s].forEach((v, i) => assert.ok(Math.abs(out[i] - v) < 1e-12));
  assert.deepEqual([...out.slice(4, 8)], [0, 0, 0, 1]);
});

test('meanBetas zero-pads shorter vectors', () => {
  assert.deepEqual(meanBetas([[1, 2], [3]]), [2, 1]);
});

test('sequenceTracks: held fallbacks, hidden frames, one track per person id', () => {
  const person = (personId: number, x: number): PersonParams => ({ personId, camTrans: Float64Array.from([x, 0, 0]), betas: Float64Array.from([x]) } as PersonParams);
  const files: Record<number, PersonParams[]> = { 1: [person(0, 1)], 2: [person(0, 2), person(3, 20)], 5: [person(3, 50)] };
  const frames: GlbFrame[] = [
    { frame: 1, status: 'rendered', source_frame: null },
    { frame: 2, status: 'rendered', source_frame: null },
    { frame: 3, status: 'fallback', source_frame: 2 },
    { frame: 4, status: 'skipped', source_frame: null },
    { frame: 5, status: 'interpolated', source_frame: null },
    { frame: 6, status: 'placeholder', source_frame: null },
  ];
  const seq = sequenceTracks(frames, (f) => files[f]);
  assert.deepEqual(seq.frames, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(seq.held, [{ frame: 3, source_frame: 2 }]);
  assert.deepEqual(seq.tracks.map((t) => t.personId), [0, 3]);
  const [p0, p3] = seq.tracks;
  assert.deepEqual(p0.params.map((p) => p?.camTrans[0] ?? null), [1, 2, 2, null, null, null]);
  assert.deepEqual(p0.hidden, [4, 5, 6]);
  assert.deepEqual(p3.params.map((p) => p?.camTrans[0] ?? null), [null, 20, 20, null, 50, null]);
  assert.deepEqual(p3.hidden, [1, 4, 6]);
  // The fallback frame's pose is not counted twice in the mean shape.
  assert.deepEqual(p0.ownBetas.map((b) => b[0]), [1, 2]);
});
