import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianRadius, gaussianSmooth } from '../../src/temporal/gaussian-smooth.js';
import { oneEuroSmooth } from '../../src/temporal/one-euro-smooth.js';
import { aaToQuat, quatAngle } from '../../src/temporal/quaternion.js';
import { smoothParams, type SmoothConfig } from '../../src/temporal/smooth-params.js';
import type { TrackBlock, TrackSample } from '../../src/temporal/track-block.js';
import type { PersonParams } from '../../src/types.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const vectorTrack = (times: number[], xs: number[]): TrackBlock => ({ times: f64(times), values: f64(xs), channels: 1, dim: 1, rotation: false });
const EURO = { minCutoff: 1, beta: 0, dCutoff: 1, maxGap: 3 };

function person(): PersonParams {
  return {
    personId: 0,
    rootPose: f64([Math.PI, 0, 0]),
    bodyPose: f64(Array.from({ length: 63 }, (_, i) => 0.01 * (i % 7) - 0.03)),
    lhandPose: f64(Array.from({ length: 45 }, (_, i) => -0.05 * (i % 5))),
    rhandPose: f64(Array.from({ length: 45 }, (_, i) => 0.04 * (i % 3))),
    jawPose: f64([0.1, 0, 0]),
    betas: f64([0.3]), expr: f64([0.1]),
    camTrans: f64([0.05, 0.25, 6.5]),
  };
}

const configs: Array<[string, SmoothConfig]> = [
  ['gaussian', { fps: 30, body: { kind: 'gaussian', sigma: 2 }, hands: { kind: 'gaussian', sigma: 1.5 } }],
  ['one-euro', { fps: 30, body: { kind: 'one-euro', ...EURO, beta: 0.5 }, hands: { kind: 'one-euro', ...EURO, minCutoff: 2 } }],
];

for (const [name, cfg] of configs) {
  test(`${name}: a constant track comes out unchanged, even stored with flipped axis-angle signs`, () => {
    const samples: TrackSample[] = [0, 1, 2, 4, 5, 6, 7].map((frame) => ({ frame, params: person() }));
    // −π about x is the same rotation as +π: the smoother must see one constant rotation.
    samples[3].params.rootPose = f64([-Math.PI, 0, 0]);
    const out = smoothParams(samples, cfg);
    const qa = new Float64Array(4), qb = new Float64Array(4);
    out.forEach((p, n) => {
      for (const key of ['rootPose', 'bodyPose', 'jawPose', 'lhandPose', 'rhandPose'] as const) {
        for (let j = 0; j < p[key].length; j += 3) {
          aaToQuat(p[key], j, qa, 0);
          aaToQuat(samples[n].params[key], j, qb, 0);
          assert.ok(quatAngle(qa, 0, qb, 0) < 1e-7, `${key} joint ${j / 3} frame ${samples[n].frame}`);
        }
      }
      assert.ok(p.camTrans.every((x, k) => Math.abs(x - samples[n].params.camTrans[k]) < 1e-12));
      assert.deepEqual(p.betas, samples[n].params.betas);
    });
  });
}

test('gaussian: hand-computed weights: the mean where the window is symmetric, the local line where it is not, by true frame distance', () => {
  const e = Math.exp(-0.5), e4 = Math.exp(-2);
  // σ = 1 (radius 3): frame 1 sees 0 and 2 at distance 1: a symmetric window, the weighted mean.
  const out = gaussianSmooth(vectorTrack([0, 1, 2], [0, 0, 3]), { sigma: 1 });
  assert.ok(Math.abs(out[1] - (3 * e) / (1 + 2 * e)) < 1e-15);
  // Frame 0 sees 1 and 2 only (one-sided): the weighted least-squares line's value at 0,
  // ℓ_j = w_j (S2 − Δt_j S1) / (S0 S2 − S1²).
  {
    const S0 = 1 + e + e4, S1 = e + 2 * e4, S2 = e + 4 * e4;
    assert.ok(Math.abs(out[0] - (3 * e4 * (S2 - 2 * S1)) / (S0 * S2 - S1 * S1)) < 1e-14);
  }
  // Frames 0, 2, 3 (frame 1 missing): frame 2 sees 0 at distance 2, 3 at distance 1.
  const bridged = gaussianSmooth(vectorTrack([0, 2, 3], [0, 1, 0]), { sigma: 1 });
  {
    const S0 = e4 + 1 + e, S1 = -2 * e4 + e, S2 = 4 * e4 + e;
    assert.ok(Math.abs(bridged[1] - S2 / (S0 * S2 - S1 * S1)) < 1e-14);
  }
});

test('gaussian: a track moving steadily comes out unchanged, ends included (no lag in one-sided windows)', () => {
  const times = [0, 1, 2, 3, 5, 6, 7, 8];
  const out = gaussianSmooth(vectorTrack(times, times.map((t) => 0.3 * t - 1)), { sigma: 2 });
  times.forEach((t, i) => assert.ok(Math.abs(out[i] - (0.3 * t - 1)) < 1e-12, `frame ${t}: ${out[i]}`));
});

test('gaussian never crosses a gap as long as its window; a shorter one it does', () => {
  const sigma = 2;
  const R = gaussianRadius(sigma); // 6
  const times = (gap: number) => [0, 1, 2, 3, 4].concat([5, 6, 7, 8, 9].map((t) => t + gap));
  const values = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
  const far = gaussianSmooth(vectorTrack(times(R), values), { sigma });
  far.forEach((x, i) => assert.ok(Math.abs(x - values[i]) < 1e-12, `sample ${i}: ${x}`));
  const near = gaussianSmooth(vectorTrack(times(R - 1), values), { sigma });
  assert.ok(near[4] > 1e-3 && near[5] < 1 - 1e-3);
});

test('one-euro: hand-computed two samples (beta 0): forward and backward passes averaged', () => {
  const alpha = 1 / (1 + 30 / (2 * Math.PI)); // te = 1/30 s, cutoff 1 Hz
  const out = oneEuroSmooth(vectorTrack([0, 1], [0, 1]), EURO, 30);
  assert.ok(Math.abs(out[0] - (1 - alpha) / 2) < 1e-15 && Math.abs(out[1] - (1 + alpha) / 2) < 1e-15);
});

test('one-euro never crosses a gap longer than maxGap; a shorter one it does', () => {
  const values = [0, 0, 0, 1, 1, 1];
  const far = oneEuroSmooth(vectorTrack([0, 1, 2, 7, 8, 9], values), EURO, 30); // 4 missing > 3
  assert.deepEqual([...far], values);
  const near = oneEuroSmooth(vectorTrack([0, 1, 2, 6, 7, 8], values), EURO, 30); // 3 missing
  assert.ok(near[2] > 0 && near[3] < 1);
});

test('rotation tracks: a steady turn through 180° keeps its mid-point under the gaussian', () => {
  // 150°, 165°, 180°, 195°, 210° about z, stored as axis-angle (wrapping past 180°).
  const angles = [150, 165, 180, -165, -150].map((d) => (d * Math.PI) / 180);
  const values = new Float64Array(angles.length * 4);
  angles.forEach((a, k) => aaToQuat([0, 0, a], 0, values, k * 4));
  const out = gaussianSmooth({ times: f64([0, 1, 2, 3, 4]), values, channels: 1, dim: 4, rotation: true }, { sigma: 1 });
  const half = new Float64Array(4);
  aaToQuat([0, 0, Math.PI], 0, half, 0);
  assert.ok(quatAngle(out, 8, half, 0) < 1e-9); // symmetric window: exactly 180°
});
