import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sphereExtent } from '../../src/camera/sequence-camera.js';
import { scaleIntrinsics } from '../../src/camera/projection.js';
import { frameSpheres as frameSequence, project as projectPoint } from '../helpers/cameras.js';
import type { CameraIntrinsics } from '../../src/types.js';

/** Deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Pixel bounds (u, v) of points sampled densely on a sphere's surface. */
function projectedBounds(cam: CameraIntrinsics, c: ArrayLike<number>, r: number) {
  let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
  for (let i = 0; i <= 60; i++) {
    const th = (Math.PI * i) / 60;
    for (let j = 0; j < 120; j++) {
      const ph = (2 * Math.PI * j) / 120;
      const [u, v] = projectPoint(cam, c[0] + r * Math.sin(th) * Math.cos(ph), c[1] + r * Math.sin(th) * Math.sin(ph), c[2] + r * Math.cos(th));
      minU = Math.min(minU, u); maxU = Math.max(maxU, u); minV = Math.min(minV, v); maxV = Math.max(maxV, v);
    }
  }
  return { minU, maxU, minV, maxV };
}

function assertAllInside(cam: CameraIntrinsics, centres: number[][], r: number, margin: number) {
  const lo = -0.5 + margin * cam.width - 1e-6;
  const hi = cam.width - 0.5 - margin * cam.width + 1e-6;
  for (const c of centres) {
    const b = projectedBounds(cam, c, r);
    assert.ok(b.minU >= lo && b.maxU <= hi && b.minV >= lo && b.maxV <= hi, `sphere at ${c} out of frame: ${JSON.stringify(b)}`);
  }
}

test('sphereExtent matches the sampled silhouette', () => {
  const e = sphereExtent(0.4, -0.3, 2.5, 0.6);
  const cam = { fx: 1, fy: 1, cx: 0, cy: 0, width: 1, height: 1 };
  const b = projectedBounds(cam, [0.4, -0.3, 2.5], 0.6);
  // Sampling can only fall inside the exact silhouette, and close to it.
  assert.ok(b.minU >= e.minX - 1e-9 && b.minU - e.minX < 1e-3);
  assert.ok(b.maxU <= e.maxX + 1e-9 && e.maxX - b.maxU < 1e-3);
  assert.ok(b.minV >= e.minY - 1e-9 && b.minV - e.minY < 1e-3);
  assert.ok(b.maxV <= e.maxY + 1e-9 && e.maxY - b.maxV < 1e-3);
});

test('frameSequence keeps every frame inside with the margin, and fills the limiting axis', () => {
  const rand = rng(7);
  for (let trial = 0; trial < 20; trial++) {
    const n = 1 + Math.floor(rand() * 40);
    const centres = Array.from({ length: n }, () => [rand() * 2 - 1, rand() * 1.2 - 0.6, 3 + rand() * 5]);
    const r = 0.3 + rand();
    const size = 256 + Math.floor(rand() * 600);
    const cam = frameSequence(centres, r, size, 0.05);
    assert.equal(cam.fx, cam.fy);
    assert.equal(cam.width, size);
    assert.equal(cam.height, size);
    assertAllInside(cam, centres, r, 0.05);
    // Tight: on at least one axis the union touches both margins (within sampling error).
    const all = centres.map((c) => projectedBounds(cam, c, r));
    const lo = -0.5 + 0.05 * size, hi = size - 0.5 - 0.05 * size;
    const uSpan = Math.max(...all.map((b) => b.maxU)) - Math.min(...all.map((b) => b.minU));
    const vSpan = Math.max(...all.map((b) => b.maxV)) - Math.min(...all.map((b) => b.minV));
    assert.ok(Math.max(uSpan, vSpan) > (hi - lo) * 0.995, `not tight: ${uSpan}, ${vSpan} vs ${hi - lo}`);
  }
});

test('frameSequence is stable: order-independent, unchanged by frames inside the union', () => {
  const centres = [[-0.5, 0.1, 4], [0.6, -0.2, 5], [0, 0, 3.5]];
  const a = frameSequence(centres, 0.9, 512);
  const b = frameSequence([...centres].reverse(), 0.9, 512);
  assert.deepEqual(a, b);
  const c = frameSequence([...centres, [0.05, -0.02, 4.2]], 0.9, 512); // a frame well inside the others
  assert.deepEqual(a, c);
});

test('frameSequence: single, identical and degenerate frames', () => {
  const one = frameSequence([[0, 0, 3]], 1, 400);
  assert.ok(Math.abs(one.cx - 199.5) < 1e-9 && Math.abs(one.cy - 199.5) < 1e-9);
  assertAllInside(one, [[0, 0, 3]], 1, 0.05);
  assert.deepEqual(frameSequence([[0.2, 0.1, 3], [0.2, 0.1, 3]], 1, 400), frameSequence([[0.2, 0.1, 3]], 1, 400));

  // Sphere around/behind the camera: framed with radius shrunk to 0.9·z, still finite.
  const close = frameSequence([[0, 0, 0.5]], 1, 300);
  assert.ok(Number.isFinite(close.fx) && close.fx > 0);
  assertAllInside(close, [[0, 0, 0.5]], 0.45, 0.05);

  // Invalid centres are ignored; none left → default camera.
  assert.deepEqual(frameSequence([[0, 0, -2], [NaN, 0, 3]], 1, 300), { fx: 300, fy: 300, cx: 149.5, cy: 149.5, width: 300, height: 300 });
  assert.deepEqual(frameSequence([], 1, 300).fx, 300);
  assert.deepEqual(frameSequence([[0, 0, -2], [0, 0, 3]], 1, 300), frameSequence([[0, 0, 3]], 1, 300));

  // Radius 0: focal capped, not infinite.
  assert.equal(frameSequence([[0, 0, 3]], 0, 100).fx, 5000);

  assert.throws(() => frameSequence([[0, 0, 3]], -1, 100), RangeError);
  assert.throws(() => frameSequence([[0, 0, 3]], 1, 0), RangeError);
  assert.throws(() => frameSequence([[0, 0, 3]], 1, 100, 0.5), RangeError);
});

test('scaleIntrinsics maps source pixels to output pixels', () => {
  const src = { width: 1920, height: 1080 };
  const out = { width: 640, height: 360 };
  const focal: [number, number] = [1500, 1490];
  const princpt: [number, number] = [955.2, 541.7];
  const scaled = scaleIntrinsics(focal, princpt, src, out);
  const srcCam = { fx: focal[0], fy: focal[1], cx: princpt[0], cy: princpt[1], ...src };
  for (const p of [[0.3, -0.4, 3], [-1, 0.5, 5], [0, 0, 2]]) {
    const [u, v] = projectPoint(srcCam, p[0], p[1], p[2]);
    const [u2, v2] = projectPoint(scaled, p[0], p[1], p[2]);
    // Pixel-centre convention: pixel edges scale, so u + ½ scales.
    assert.ok(Math.abs(u2 - ((u + 0.5) / 3 - 0.5)) < 1e-9);
    assert.ok(Math.abs(v2 - ((v + 0.5) / 3 - 0.5)) < 1e-9);
  }
  assert.equal(scaled.width, 640);
  assert.equal(scaled.height, 360);
});
