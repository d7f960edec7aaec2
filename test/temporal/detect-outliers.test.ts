import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeAa } from '../../src/body-model/axis-angle.js';
import { detectOutliers, mirrorHand } from '../../src/temporal/detect-outliers.js';
import type { TrackSample } from '../../src/temporal/track-block.js';
import type { PersonParams } from '../../src/types.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const deg = (d: number) => (d * Math.PI) / 180;
const FIST = f64(Array.from({ length: 45 }, (_, i) => (i % 3 === 2 ? -1.2 : 0)));
const FLAT = f64(Array.from({ length: 45 }, (_, i) => (i % 3 === 1 ? 0.05 : 0)));

/** Upright facing the camera (half turn about x), turning slowly; left fist, right flat hand. */
function frame(k: number): PersonParams {
  return {
    personId: 0,
    rootPose: f64(composeAa([Math.PI, 0, 0], [0, deg(2 * k), 0])),
    bodyPose: new Float64Array(63), jawPose: new Float64Array(3),
    lhandPose: Float64Array.from(FIST), rhandPose: Float64Array.from(FLAT),
    betas: new Float64Array(10), expr: new Float64Array(10),
    camTrans: f64([0.05 * k, 0.25, 6.5]),
  };
}
const track = (n: number, edit: (k: number, p: PersonParams) => void = () => {}): TrackSample[] =>
  Array.from({ length: n }, (_, k) => { const p = frame(k); edit(k, p); return { frame: k + 1, params: p }; });
const found = (samples: TrackSample[]) => detectOutliers(samples).map((ks, i) => [samples[i].frame, ks] as const).filter(([, ks]) => ks.length > 0);

test('a clean, slowly moving track has no outliers', () => {
  assert.deepEqual(found(track(8)), []);
});

test('a one-frame half turn of the root is a root_flip; at the ends it cannot be judged', () => {
  const flip = (p: PersonParams) => { p.rootPose = f64(composeAa([0, Math.PI, 0], p.rootPose)); };
  assert.deepEqual(found(track(7, (k, p) => { if (k === 3) flip(p); })), [[4, ['root_flip']]]);
  assert.deepEqual(found(track(7, (k, p) => { if (k === 0 || k === 6) flip(p); })), []);
  // 100° about an oblique axis is over the 90° threshold too.
  assert.deepEqual(found(track(7, (k, p) => { if (k === 2) p.rootPose = f64(composeAa([0.6, 0.8, 0].map((x) => x * deg(100)), p.rootPose)); })), [[3, ['root_flip']]]);
});

test('a real turn that stays turned is not an outlier, nor a flip lasting two frames', () => {
  const turn = (p: PersonParams) => { p.rootPose = f64(composeAa([0, Math.PI, 0], p.rootPose)); };
  assert.deepEqual(found(track(7, (k, p) => { if (k >= 3) turn(p); })), []);
  assert.deepEqual(found(track(7, (k, p) => { if (k === 3 || k === 4) turn(p); })), []);
});

test('a one-frame cam_trans jump is a cam_jump; steady fast motion is not', () => {
  assert.deepEqual(found(track(7, (k, p) => { if (k === 3) p.camTrans[0] += 1; })), [[4, ['cam_jump']]]);
  // 0.5 m per frame is under 0.25 + 0.05 · 6.5 = 0.575 m per frame.
  assert.deepEqual(found(track(7, (k, p) => { p.camTrans[0] = 0.5 * k; })), []);
  // Depth noise of 0.3 m one frame is under the threshold too.
  assert.deepEqual(found(track(7, (k, p) => { if (k === 3) p.camTrans[2] += 0.3; })), []);
});

test('hands swapped against both neighbours are found; identical hands swapped cannot be, and do not matter', () => {
  const swap = (p: PersonParams) => { [p.lhandPose, p.rhandPose] = [mirrorHand(p.rhandPose), mirrorHand(p.lhandPose)]; };
  const distinct = (k: number, p: PersonParams) => { if (k === 3) swap(p); };
  assert.deepEqual(found(track(7, distinct)), [[4, ['hands_swapped']]]);
  const same = (k: number, p: PersonParams) => { p.rhandPose = mirrorHand(p.lhandPose); if (k === 3) swap(p); };
  assert.deepEqual(found(track(7, same)), []);
});

test('neighbours more than maxNeighbourGap (2) missing frames away do not count', () => {
  const all = track(8, (k, p) => { if (k === 4) p.camTrans[0] += 2; }); // frame 5 jumps 2 m
  const pick = (...frames: number[]) => all.filter((s) => frames.includes(s.frame));
  assert.deepEqual(found(pick(1, 5, 6)), []);                   // 3 missing before frame 5
  assert.deepEqual(found(pick(2, 5, 6)), [[5, ['cam_jump']]]);   // 2 missing
  assert.deepEqual(found(pick(4, 5, 8)), [[5, ['cam_jump']]]); // 2 missing after
});
