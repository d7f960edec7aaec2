/**
 * The view rotations of --views against hand-worked cases (OpenCV axes: x
 * right, y down, z forward; the view camera at the origin looking along +z).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPose, parseViewList, poseVertices, viewPose, viewRotation } from '../../src/camera/view-rotation.js';

const PIVOT: [number, number, number] = [0.2, -0.1, 3];
const close = (a: number[], b: number[], msg: string, tol = 1e-12) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < tol, `${msg}: got [${a}], expected [${b}]`));

test('front: nothing moves (not even the pivot onto the axis)', () => {
  const p = viewPose('front', PIVOT, 3);
  close(applyPose(p, 1, 2, 5), [1, 2, 5], 'front');
  close(applyPose(p, ...PIVOT), PIVOT, 'front pivot');
});

test('side: a point right of the pivot comes in front of it; nearer the source camera goes left; up stays up', () => {
  const p = viewPose('side', PIVOT, 3);
  // The pivot lands on the view axis at the camera distance.
  close(applyPose(p, ...PIVOT), [0, 0, 3], 'pivot');
  // 0.5 m to the right of the pivot (+x): 0.5 m nearer the view camera, still on its axis.
  close(applyPose(p, 0.7, -0.1, 3), [0, 0, 2.5], 'right of pivot');
  // 0.5 m nearer the source camera (−z): to the left in the side image (x' = −0.5), same depth.
  close(applyPose(p, 0.2, -0.1, 2.5), [-0.5, 0, 3], 'towards the source camera');
  // 0.4 m above (−y): still 0.4 m above.
  close(applyPose(p, 0.2, -0.5, 3), [0, -0.4, 3], 'above');
});

test('top: the head comes towards the camera; the source camera side is at the bottom; right stays right', () => {
  const p = viewPose('top', PIVOT, 3);
  close(applyPose(p, ...PIVOT), [0, 0, 3], 'pivot');
  // 0.8 m above the pivot (the head): 0.8 m nearer the camera looking down on it.
  close(applyPose(p, 0.2, -0.9, 3), [0, 0, 2.2], 'above');
  // 0.5 m nearer the source camera: lower in the image (y' = +0.5).
  close(applyPose(p, 0.2, -0.1, 2.5), [0, 0.5, 3], 'towards the source camera');
  close(applyPose(p, 0.5, -0.1, 3), [0.3, 0, 3], 'right');
});

test('the rotations are proper (det +1, orthonormal): the mesh is turned, not mirrored', () => {
  for (const name of ['front', 'side', 'top'] as const) {
    const R = viewRotation(name);
    const det = R[0] * (R[4] * R[8] - R[5] * R[7]) - R[1] * (R[3] * R[8] - R[5] * R[6]) + R[2] * (R[3] * R[7] - R[4] * R[6]);
    assert.equal(det, 1, name);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const dot = R[i * 3] * R[j * 3] + R[i * 3 + 1] * R[j * 3 + 1] + R[i * 3 + 2] * R[j * 3 + 2];
      assert.equal(dot, i === j ? 1 : 0, `${name} rows ${i},${j}`);
    }
  }
});

test('poseVertices moves float32 triples as applyPose does', () => {
  const p = viewPose('side', PIVOT, 4);
  const v = Float32Array.from([0.7, -0.1, 3, 0.2, -0.1, 2.5]);
  const out = poseVertices(p, v, new Float32Array(6));
  // float32 storage: exact to about 1e-7 m.
  close(Array.from(out.subarray(0, 3)), [0, 0, 3.5], 'first', 1e-6);
  close(Array.from(out.subarray(3)), [-0.5, 0, 4], 'second', 1e-6);
});

test('--views lists: order kept; unknown, empty or repeated names are refused with the reason', () => {
  assert.deepEqual(parseViewList('side,front'), { views: ['side', 'front'] });
  assert.deepEqual(parseViewList(' front , top '), { views: ['front', 'top'] });
  assert.deepEqual(parseViewList('front,front'), { problem: 'view "front" given twice' });
  assert.deepEqual(parseViewList('back'), { problem: 'unknown view "back"' });
  assert.deepEqual(parseViewList('front,'), { problem: 'an empty view name' });
});
