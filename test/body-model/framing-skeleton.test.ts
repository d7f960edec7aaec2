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
import { numpyModel, randomParams, rng } from './fixtures.js';
import { createPoser, loadFramingSkeleton } from '../../src/body-model/framing-skeleton.js';

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

/**
 * The safety property itself, sphere by sphere: every vertex of the real
 * forward pass lies in the posed sphere of its own dominant joint (largest
 * skinning weight, computed here from the weights), for random poses, large
 * betas and expressions of every length (longer than the model's components:
 * the extra ones are ignored; shorter: the missing ones are 0).
 */
function dominantOf(model: ReturnType<typeof loadBodyModel>): Int32Array {
  const w = model.weights;
  const out = new Int32Array(w.rows).fill(-1);
  for (let v = 0; v < w.rows; v++) {
    let best = -Infinity;
    for (let e = w.rowPtr[v]; e < w.rowPtr[v + 1]; e++) if (w.values[e] > best) { best = w.values[e]; out[v] = w.colIdx[e]; }
  }
  return out;
}

function shapedParams(seed: number, betaLength: number, exprLength: number): PersonParams {
  const p = randomParams(seed);
  const r = rng(seed * 7 + 1);
  // Large leading betas (±3) and a long tail of small ones, as fitted shapes have.
  p.betas = Float64Array.from({ length: betaLength }, (_, i) => (r() * 2 - 1) * (i < 10 ? 3 : 0.5));
  p.expr = Float64Array.from({ length: exprLength }, (_, i) => (r() * 2 - 1) * (i < 10 ? 2 : 0.5));
  if (seed % 2) p.bodyPose = p.bodyPose.map((x) => 2 * x); // some wild poses too
  if (seed % 4 === 3) {
    // And some beyond any human: every joint up to ±π per axis (the correctives move the most).
    for (const a of [p.bodyPose, p.lhandPose, p.rhandPose, p.jawPose]) a.forEach((_, i) => { a[i] = (r() * 2 - 1) * Math.PI; });
  }
  return p;
}

/** Largest distance of a joint's vertices from its sphere centre, over the frames (metres), per joint. */
function checkSpheres(modelPath: string, flatHandMean: boolean, lengths: Array<[number, number]>): { worst: Float64Array; radius: Float64Array } {
  const model = loadBodyModel(modelPath);
  const dom = dominantOf(model);
  const poser = createPoser(loadFramingSkeleton(modelPath), flatHandMean);
  const worst = new Float64Array(model.numJoints), radius = new Float64Array(model.numJoints).fill(Infinity);
  lengths.forEach(([nb, ne], i) => {
    const p = shapedParams(900 + i, nb, ne);
    if (i === 0) p.betas.fill(0);
    const verts = forwardBody(model, p, { flatHandMean }).vertices;
    const spheres: number[][] = [];
    poser(p, (x, y, z, r, j) => { spheres[j] = [x, y, z, r]; });
    assert.equal(spheres.length, model.numJoints, 'one sphere per joint');
    for (let v = 0; v < dom.length; v++) {
      const [x, y, z, r] = spheres[dom[v]];
      const d = Math.hypot(verts[v * 3] - x, verts[v * 3 + 1] - y, verts[v * 3 + 2] - z);
      assert.ok(d <= r + 1e-5, `frame ${i} (betas ${nb}, expr ${ne}): vertex ${v} lies ${(100 * d).toFixed(2)} cm from joint ${dom[v]}'s sphere centre, radius ${(100 * r).toFixed(2)} cm`);
      worst[dom[v]] = Math.max(worst[dom[v]], d);
      radius[dom[v]] = Math.min(radius[dom[v]], r);
    }
  });
  return { worst, radius };
}

const LENGTHS: Array<[number, number]> = [[10, 10], [0, 0], [3, 1], [300, 100], [420, 150], [16, 0], [10, 10], [1, 50]];

for (const flatHandMean of [false, true]) {
  test(`every vertex lies in its dominant joint's sphere, any betas / expr length (demo body, flatHandMean ${flatHandMean})`, () => {
    const { worst, radius } = checkSpheres(demoBodyPath(), flatHandMean, LENGTHS);
    // Tight where it matters for --framing hands: each finger sphere (SMPL-X joints 25–54) is, in its
    // tightest frame, at most 2.5 cm wider than its farthest vertex ever came (before shape-exact
    // joints: ~17 cm radii, ~3 cm needed).
    for (let j = 25; j < 55; j++) {
      assert.ok(radius[j] - worst[j] < 0.025, `finger joint ${j}: radius ${(100 * radius[j]).toFixed(1)} cm, its vertices reach ${(100 * worst[j]).toFixed(1)} cm`);
    }
  });
}

test('every vertex lies in its dominant joint\'s sphere (numpy-written model: 10 shape + 10 expression components that move the joints)', () => {
  checkSpheres(numpyModel(), false, LENGTHS);
});

test('a shape moves the framing joints exactly as the full model regresses them', () => {
  const model = loadBodyModel(demoBodyPath());
  const skel = loadFramingSkeleton(demoBodyPath());
  const p = shapedParams(7, 300, 100);
  p.rootPose.fill(0); p.bodyPose.fill(0); p.jawPose.fill(0); p.lhandPose.fill(0); p.rhandPose.fill(0);
  p.camTrans.fill(0);
  // Unposed and flat-handed, each sphere centre is its rest joint + its fixed offset; the
  // full pass's joints are J_regressor · (shaped, corrective-free) vertices.
  const joints = forwardBody(model, p, { flatHandMean: true }).joints;
  createPoser(skel, true)(p, (x, y, z, _r, j) => {
    const want = [0, 1, 2].map((k) => joints[j * 3 + k] + skel.centres[j * 3 + k]);
    assert.ok(Math.hypot(x - want[0], y - want[1], z - want[2]) < 1e-6, `joint ${j}: (${x}, ${y}, ${z}) vs (${want.join(', ')})`);
  });
});
