import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateParams, lerpVector } from '../../src/temporal/interpolate-params.js';
import type { PersonParams } from '../../src/types.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const deg = (d: number) => (d * Math.PI) / 180;
const pose = (n: number, f: (j: number) => number[]) => f64(Array.from({ length: n }, (_, j) => f(j)).flat());

function person(k: number): PersonParams {
  return {
    personId: 3,
    rootPose: f64([Math.PI - 0.1 + 0.05 * k, 0.01 * k, 0]),
    bodyPose: pose(21, (j) => [0.01 * j + 0.2 * k, -0.1 * k, 0.03]),
    lhandPose: pose(15, (j) => [0, 0, -0.1 * j * (1 + k)]),
    rhandPose: pose(15, (j) => [0.02 * k, 0, 0.1 * j]),
    jawPose: f64([0.1 + 0.1 * k, 0, 0]),
    betas: f64([0.3, -0.2 + k]),
    expr: f64([0.1 * k]),
    camTrans: f64([0.1 * k, 0.3, 6 + k]),
    focal: [5000 + k, 5000 + k],
    princpt: [640, 360 + 10 * k],
  };
}

test('at the gap ends the interpolated parameters are the neighbours, exactly', () => {
  const a = person(0), b = person(1);
  assert.deepEqual(interpolateParams(a, b, 0), a);
  assert.deepEqual(interpolateParams(a, b, 1), { ...b, personId: a.personId });
});

test('rotations about one axis interpolate their angle; vectors linearly', () => {
  const a = person(0), b = person(1);
  a.jawPose = f64([0.2, 0, 0]); b.jawPose = f64([0.6, 0, 0]);
  const m = interpolateParams(a, b, 0.25);
  assert.ok(Math.abs(m.jawPose[0] - 0.3) < 1e-12 && Math.abs(m.jawPose[1]) < 1e-15);
  assert.deepEqual([...m.camTrans], [0.025, 0.3, 6.25]);
  assert.deepEqual(m.focal, [5000.25, 5000.25]);
  assert.deepEqual(m.princpt, [640, 362.5]);
});

test('the root near a half turn: 170° and 190° about x meet at 180°, not at 0°', () => {
  const a = person(0), b = person(0);
  a.rootPose = f64([deg(170), 0, 0]);
  b.rootPose = f64([-deg(170), 0, 0]); // 190°
  const m = interpolateParams(a, b, 0.5);
  assert.ok(Math.abs(Math.abs(m.rootPose[0]) - Math.PI) < 1e-9, `${m.rootPose}`);
});

test('vectors of different length count as zero-padded', () => {
  assert.deepEqual([...lerpVector([1, 2], [3], 0.5)], [2, 1]);
});

test('intrinsics present on one side only are kept as they are', () => {
  const a = person(0), b = person(1);
  delete b.focal;
  assert.deepEqual(interpolateParams(a, b, 0.5).focal, a.focal);
});
