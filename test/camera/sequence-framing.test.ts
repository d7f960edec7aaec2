import { test } from 'node:test';
import assert from 'node:assert/strict';
import { robustUnion } from '../../src/camera/robust-union.js';
import type { PlaneExtent } from '../../src/camera/sequence-camera.js';

const box = (cx: number, cy: number, h: number): PlaneExtent => ({ minX: cx - h, maxX: cx + h, minY: cy - h, maxY: cy + h });

test('one wild frame is left out of the framing and named; the others frame as before', () => {
  const frames = new Map<number, PlaneExtent>();
  for (let f = 1; f <= 20; f++) frames.set(f, box(0.01 * f, 0, 0.2)); // a body drifting a little
  frames.set(21, box(3e6, 0, 0.2)); // cam_trans x = 1e6 m at z = 3 m, say
  const { union, outliers } = robustUnion(frames);
  assert.deepEqual(outliers, [21]);
  // By hand: x from 0.01 - 0.2 to 0.20 + 0.2, y ±0.2.
  assert.ok(Math.abs(union.minX - -0.19) < 1e-12 && Math.abs(union.maxX - 0.4) < 1e-12);
  assert.deepEqual([union.minY, union.maxY], [-0.2, 0.2]);
});

test('a body a few widths aside stays in the framing; empty frames are ignored', () => {
  const frames = new Map<number, PlaneExtent>([[1, box(0, 0, 0.2)], [2, box(0, 0, 0.2)], [3, box(1.2, 0, 0.2)],
    [4, { minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity }]]);
  const { union, outliers } = robustUnion(frames);
  assert.deepEqual(outliers, []);
  assert.equal(union.maxX, 1.4);
  assert.deepEqual(robustUnion(new Map()).outliers, []);
});
