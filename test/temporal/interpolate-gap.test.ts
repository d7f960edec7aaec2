import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gapEnds, interpolateGap, slopeAtZero } from '../../src/temporal/interpolate-gap.js';
import { interpolateParams } from '../../src/temporal/interpolate-params.js';
import type { TrackSample } from '../../src/temporal/track-block.js';
import type { PersonParams } from '../../src/types.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const zeros = (n: number) => new Float64Array(n);

/** A person whose root turns about the unit axis `axis` by angle(t), cam_trans = trans(t); everything else still. */
function at(t: number, angle: (t: number) => number, trans: (t: number) => number[], axis = [0, 1, 0]): TrackSample {
  const th = angle(t);
  const params: PersonParams = {
    personId: 1,
    rootPose: f64(axis.map((x) => x * th)),
    bodyPose: f64(Array.from({ length: 63 }, (_, i) => (i % 3 === 2 ? 0.5 * th : 0.01 * i))),
    lhandPose: zeros(45), rhandPose: zeros(45), jawPose: zeros(3),
    betas: f64([0.2]), expr: f64([]), camTrans: f64(trans(t)),
  };
  return { frame: t, params };
}

/** The track over frames lo..hi without the gap (a, b) exclusive. */
function track(lo: number, hi: number, a: number, b: number, angle: (t: number) => number, trans: (t: number) => number[]): TrackSample[] {
  const out: TrackSample[] = [];
  for (let t = lo; t <= hi; t++) if (t <= a || t >= b) out.push(at(t, angle, trans));
  return out;
}

test('slopeAtZero: hand-computed least-squares slopes', () => {
  assert.equal(slopeAtZero([-2, -1, 0], [1, 3, 5]), 2);
  assert.equal(slopeAtZero([0, 1, 2, 3], [0, 1, 1, 2]), 0.6); // Σ(t−1.5)(v−1) / Σ(t−1.5)² = 3 / 5
  assert.equal(slopeAtZero([0], [4]), null);
});

test('gapEnds: up to the window on each side, gap ends included, never past missing stretches beyond it', () => {
  const tr = [0, 1, 5, 6, 7, 10, 11, 12, 13, 14, 15, 30].map((frame) => ({ frame, params: {} as PersonParams }));
  const e = gapEnds(tr, 4, 5, 4); // gap between frames 7 and 10
  assert.deepEqual(e.before.map((s) => s.frame), [5, 6, 7]);
  assert.deepEqual(e.after.map((s) => s.frame), [10, 11, 12, 13, 14]);
});

test('at the gap ends the parameters are the neighbours, exactly', () => {
  const tr = track(0, 20, 8, 13, (t) => 0.1 * t, (t) => [0.01 * t, 0, 6]);
  const e = gapEnds(tr, tr.findIndex((s) => s.frame === 8), tr.findIndex((s) => s.frame === 13));
  assert.deepEqual(interpolateGap(e, 0), tr.find((s) => s.frame === 8)!.params);
  assert.deepEqual(interpolateGap(e, 1), tr.find((s) => s.frame === 13)!.params);
});

test('without samples beyond the gap ends it is the slerp (and lerp) between them', () => {
  const angle = (t: number) => 0.3 * Math.sin(t / 3), trans = (t: number) => [Math.cos(t / 4), 0.1 * t * t, 6];
  const a = at(4, angle, trans), b = at(9, angle, trans);
  const e = { before: [a], after: [b] };
  for (const w of [0.2, 0.5, 0.8]) {
    const cubic = interpolateGap(e, w), linear = interpolateParams(a.params, b.params, w);
    for (const key of ['rootPose', 'bodyPose', 'camTrans'] as const) {
      cubic[key].forEach((x, i) => assert.ok(Math.abs(x - linear[key][i]) < 1e-12, `${key}[${i}] at w = ${w}`));
    }
  }
});

test('a steady turn and a steady drift across the gap are reproduced exactly (the slopes follow the motion)', () => {
  const angle = (t: number) => 2.5 + 0.2 * t; // passes through π: the root turns round at constant speed
  const trans = (t: number) => [0.02 * t, -0.01 * t, 6 + 0.005 * t];
  const tr = track(0, 30, 10, 16, angle, trans);
  const e = gapEnds(tr, tr.findIndex((s) => s.frame === 10), tr.findIndex((s) => s.frame === 16));
  for (let f = 11; f < 16; f++) {
    const p = interpolateGap(e, (f - 10) / 6), truth = at(f, angle, trans).params;
    // Compare rotations as rotations: axis-angle is unique up to the 2π wrap of the angle.
    const th = Math.hypot(...p.rootPose), want = ((angle(f) + Math.PI) % (2 * Math.PI)) - Math.PI;
    assert.ok(Math.abs(Math.sign(p.rootPose[1]) * th - want) < 1e-9, `frame ${f}: root ${[...p.rootPose]} want ${want} about y`);
    p.camTrans.forEach((x, k) => assert.ok(Math.abs(x - truth.camTrans[k]) < 1e-12, `frame ${f} cam_trans[${k}]`));
  }
});

test('on a swinging joint the cubic stays far closer to the true motion than the slerp between the gap ends', () => {
  const angle = (t: number) => 0.8 * Math.sin((2 * Math.PI * t) / 24); // a 0.8 s swing at 30 fps
  const trans = () => [0, 0, 6];
  let cubicErr = 0, slerpErr = 0;
  for (const a of [2, 5, 9]) {
    const b = a + 7;
    const tr = track(0, 40, a, b, angle, trans);
    const e = gapEnds(tr, tr.findIndex((s) => s.frame === a), tr.findIndex((s) => s.frame === b));
    for (let f = a + 1; f < b; f++) {
      const w = (f - a) / (b - a);
      cubicErr += Math.abs(interpolateGap(e, w).rootPose[1] - angle(f));
      slerpErr += Math.abs(interpolateParams(e.before.at(-1)!.params, e.after[0].params, w).rootPose[1] - angle(f));
    }
  }
  assert.ok(cubicErr < slerpErr / 3, `cubic ${cubicErr.toFixed(4)} rad against slerp ${slerpErr.toFixed(4)} rad`);
});
