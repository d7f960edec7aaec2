/**
 * The framing bound the sequence camera is built from (framing-skeleton.ts
 * through camera/sequence-framing.ts, as the pipeline uses it), checked
 * against the posed meshes themselves: every skinned vertex of every frame,
 * projected here with u = fx·X/Z + cx, lands inside the camera's usable
 * image area, on the demo body and on a numpy-written model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { createSequenceFraming, FRAME_MARGIN } from '../../src/camera/sequence-framing.js';
import type { CameraIntrinsics, PersonParams } from '../../src/types.js';
import { numpyModel, randomParams } from './fixtures.js';

const SIZE = 256;
const MARGIN = FRAME_MARGIN;

/** A sequence: random plausible poses, some twice as wild, walking sideways and in depth. */
function sequence(): PersonParams[] {
  return Array.from({ length: 24 }, (_, i) => {
    const p = randomParams(500 + i);
    if (i % 3 === 0) p.bodyPose = p.bodyPose.map((x) => 2 * x);
    p.camTrans = Float64Array.of(-0.8 + (1.6 * i) / 23, 0.3 * Math.sin(i), 3.5 + (i % 5) * 0.4);
    return p;
  });
}

/** Pixel span [min, max] in u and v of the vertices under `cam`; fails on a vertex outside [lo, hi]. */
function projectInside(vertices: Float32Array, cam: CameraIntrinsics, lo: number, hi: number, what: string) {
  let uMin = Infinity, uMax = -Infinity, vMin = Infinity, vMax = -Infinity;
  for (let i = 0; i < vertices.length / 3; i++) {
    const [X, Y, Z] = [vertices[i * 3], vertices[i * 3 + 1], vertices[i * 3 + 2]];
    assert.ok(Z > 0, `${what}: vertex ${i} behind the camera`);
    const u = (cam.fx * X) / Z + cam.cx;
    const v = (cam.fy * Y) / Z + cam.cy;
    assert.ok(u >= lo - 1e-6 && u <= hi + 1e-6 && v >= lo - 1e-6 && v <= hi + 1e-6,
      `${what}: vertex ${i} projects to (${u.toFixed(2)}, ${v.toFixed(2)}), outside [${lo}, ${hi}]`);
    uMin = Math.min(uMin, u); uMax = Math.max(uMax, u); vMin = Math.min(vMin, v); vMax = Math.max(vMax, v);
  }
  return Math.max(uMax - uMin, vMax - vMin) / (hi - lo);
}

// The usable area of a SIZE-pixel image with MARGIN·SIZE to spare, in OpenCV pixel coordinates.
const LO = MARGIN * SIZE - 0.5;
const HI = (1 - MARGIN) * SIZE - 0.5;

for (const [what, path] of [['demo body', () => demoBodyPath()], ['numpy-written model', () => numpyModel()]] as const) {
  for (const flatHandMean of [false, true]) {
    test(`every skinned vertex of every frame lies inside the sequence camera's view (${what}, flatHandMean ${flatHandMean})`, () => {
      const modelPath = path();
      const model = loadBodyModel(modelPath);
      const frames = sequence();
      const meshes = frames.map((p) => forwardBody(model, p, { flatHandMean }).vertices);

      // The sequence camera, grown over every frame as the pipeline's scan does.
      const framing = createSequenceFraming(modelPath, flatHandMean);
      for (const p of frames) framing.add(p);
      const cam = framing.camera(SIZE);
      meshes.forEach((v, f) => projectInside(v, cam, LO, HI, `sequence camera, frame ${f}`));

      // One frame at a time the bound is much tighter, so a bound too small shows here; the
      // bodies must also fill most of the view, or the bound would be a trivially loose one.
      frames.forEach((p, f) => {
        const one = createSequenceFraming(modelPath, flatHandMean);
        one.add(p);
        const fill = projectInside(meshes[f], one.camera(SIZE), LO, HI, `frame ${f} alone`);
        assert.ok(fill > 0.5, `frame ${f}: the body spans only ${(100 * fill).toFixed(0)} % of its camera's view`);
      });
    });
  }
}
