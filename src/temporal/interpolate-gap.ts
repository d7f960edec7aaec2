/**
 * Parameters of a frame inside a gap, from the track around it: a cubic
 * through the gap's ends a and b whose slopes at a and b follow the motion
 * just outside the gap, so an arm that is swinging keeps swinging instead of
 * cutting the arc with a straight slerp (docs/temporal.md has the figures).
 *
 * Rotations: Shoemake's quaternion Bézier (de Casteljau with slerps) with
 * control points qa·exp(ωa·h/3) and qb·exp(−ωb·h/3), ω the angular velocity
 * per frame (body frame) and h = b − a. With ω equal to the chord's velocity
 * it is exactly the slerp, which is also what a side without samples gets.
 * cam_trans: the cubic Hermite with the same slopes. Betas, expression and
 * intrinsics: linear, as in interpolateParams. The slopes are least-squares
 * fits over up to SLOPE_WINDOW frames on each side (the gap's end included),
 * which averages out the fits' per-frame noise instead of amplifying it.
 * w = 0 and w = 1 return a and b exactly.
 */
import type { PersonParams } from '../types.js';
import { interpolateParams } from './interpolate-params.js';
import { aaToQuat, quatToAa, slerp } from './quaternion.js';
import type { TrackSample } from './track-block.js';

/** Frames on each side whose motion sets the gap's end slopes (chosen with bench:temporal). */
export const SLOPE_WINDOW = 4;
/** Gaps longer than this get their end slopes faded towards the chord: over a long gap a swing rarely continues. */
export const SLOPE_FADE_FROM = 10;

type PoseKey = 'rootPose' | 'bodyPose' | 'jawPose' | 'lhandPose' | 'rhandPose';
const POSE_KEYS: readonly PoseKey[] = ['rootPose', 'bodyPose', 'jawPose', 'lhandPose', 'rhandPose'];

export interface GapEnds {
  /** The usable samples before the gap, ascending; the last is a. */
  before: readonly TrackSample[];
  /** The usable samples after the gap, ascending; the first is b. */
  after: readonly TrackSample[];
}

/** The samples of `track` within SLOPE_WINDOW frames of the gap's ends a and b (indices into track). */
export function gapEnds(track: readonly TrackSample[], ia: number, ib: number, window = SLOPE_WINDOW): GapEnds {
  const a = track[ia].frame, b = track[ib].frame;
  let s = ia, e = ib;
  while (s > 0 && a - track[s - 1].frame <= window) s--;
  while (e + 1 < track.length && track[e + 1].frame - b <= window) e++;
  return { before: track.slice(s, ia + 1), after: track.slice(ib, e + 1) };
}

/**
 * Slope at t = 0 of the least-squares line through (t_i, v_i), or null with
 * fewer than two samples. A line, not a parabola: over a few noisy frames a
 * curvature term mostly fits the noise (a parabola over 4–8 frames doubled
 * the gap error on noisy fits in bench:temporal).
 */
export function slopeAtZero(t: ArrayLike<number>, v: ArrayLike<number>): number | null {
  const n = t.length;
  if (n < 2) return null;
  let tm = 0, vm = 0;
  for (let i = 0; i < n; i++) { tm += t[i]; vm += v[i]; }
  tm /= n; vm /= n;
  let stt = 0, stv = 0;
  for (let i = 0; i < n; i++) { stt += (t[i] - tm) ** 2; stv += (t[i] - tm) * (v[i] - vm); }
  return stt > 0 ? stv / stt : null;
}

const qA = new Float64Array(4), qS = new Float64Array(4), rel = new Float64Array(4);

/** conj(p) · q, both unit quaternions (w, x, y, z). */
function relative(p: Float64Array, q: Float64Array, out: Float64Array): void {
  const [pw, px, py, pz] = [p[0], -p[1], -p[2], -p[3]];
  const [qw, qx, qy, qz] = [q[0], q[1], q[2], q[3]];
  out[0] = pw * qw - px * qx - py * qy - pz * qz;
  out[1] = pw * qx + px * qw + py * qz - pz * qy;
  out[2] = pw * qy - px * qz + py * qw + pz * qx;
  out[3] = pw * qz + px * qy - py * qx + pz * qw;
}

/**
 * Angular velocity per frame (rotation vector in the body frame of the
 * anchor) of joint j of `key` at the anchor sample, from the samples around
 * it, or null when there are too few.
 */
function angularVelocity(samples: readonly TrackSample[], anchor: TrackSample, key: PoseKey, j: number): [number, number, number] | null {
  if (samples.length < 2) return null;
  aaToQuat(anchor.params[key], j, qA, 0);
  const t = new Float64Array(samples.length);
  const v = [new Float64Array(samples.length), new Float64Array(samples.length), new Float64Array(samples.length)];
  const d = new Float64Array(3);
  samples.forEach((s, i) => {
    aaToQuat(s.params[key], j, qS, 0);
    relative(qA, qS, rel);
    quatToAa(rel, 0, d, 0);
    t[i] = s.frame - anchor.frame;
    v[0][i] = d[0]; v[1][i] = d[1]; v[2][i] = d[2];
  });
  const w = v.map((c) => slopeAtZero(t, c));
  return w.some((x) => x === null) ? null : (w as [number, number, number]);
}

/** Shares of the fitted slopes kept for a gap of h frames (the rest is the chord's). */
const slopeShare = (h: number) => (h <= SLOPE_FADE_FROM ? 1 : (SLOPE_FADE_FROM / h) ** 2);

const c1 = new Float64Array(4), c2 = new Float64Array(4), ends = new Float64Array(8), tmp = new Float64Array(24);

/** The joint's rotation at w along the Bézier; writes axis-angle to out[j..j+2]. */
function bezierJoint(e: GapEnds, key: PoseKey, j: number, w: number, out: Float64Array): void {
  const a = e.before[e.before.length - 1], b = e.after[0];
  const h = b.frame - a.frame;
  aaToQuat(a.params[key], j, ends, 0);
  aaToQuat(b.params[key], j, ends, 4);
  const chord = new Float64Array(3);
  relative(ends.subarray(0, 4), ends.subarray(4, 8), rel);
  quatToAa(rel, 0, chord, 0);
  const share = slopeShare(h);
  // Control points: ωa from before (body frame of a); ωb from after (body frame of b); a missing side follows the chord.
  const wa = angularVelocity(e.before, a, key, j);
  const wb = angularVelocity(e.after, b, key, j);
  const step = new Float64Array(3);
  for (let k = 0; k < 3; k++) step[k] = (wa ? share * wa[k] * h + (1 - share) * chord[k] : chord[k]) / 3;
  aaToQuat(step, 0, rel, 0);
  compose(ends.subarray(0, 4), rel, c1);
  // The chord seen from b is −(b's body frame rotation of the chord); near b the Bézier leaves backwards.
  relative(ends.subarray(4, 8), ends.subarray(0, 4), rel);
  const back = new Float64Array(3);
  quatToAa(rel, 0, back, 0);
  for (let k = 0; k < 3; k++) step[k] = (wb ? -share * wb[k] * h + (1 - share) * back[k] : back[k]) / 3;
  aaToQuat(step, 0, rel, 0);
  compose(ends.subarray(4, 8), rel, c2);
  // de Casteljau with slerps.
  slerp(ends, 0, c1, 0, w, tmp, 0);
  slerp(c1, 0, c2, 0, w, tmp, 4);
  slerp(c2, 0, ends, 4, w, tmp, 8);
  slerp(tmp, 0, tmp, 4, w, tmp, 12);
  slerp(tmp, 4, tmp, 8, w, tmp, 16);
  slerp(tmp, 12, tmp, 16, w, tmp, 20);
  quatToAa(tmp, 20, out, j);
}

/** p · q (w, x, y, z). */
function compose(p: ArrayLike<number>, q: ArrayLike<number>, out: Float64Array): void {
  out[0] = p[0] * q[0] - p[1] * q[1] - p[2] * q[2] - p[3] * q[3];
  out[1] = p[0] * q[1] + p[1] * q[0] + p[2] * q[3] - p[3] * q[2];
  out[2] = p[0] * q[2] - p[1] * q[3] + p[2] * q[0] + p[3] * q[1];
  out[3] = p[0] * q[3] + p[1] * q[2] - p[2] * q[1] + p[3] * q[0];
}

/** cam_trans at w along the cubic Hermite with the fitted (or chord) slopes. */
function hermiteTrans(e: GapEnds, w: number): Float64Array {
  const a = e.before[e.before.length - 1], b = e.after[0];
  const h = b.frame - a.frame, share = slopeShare(h);
  const slope = (side: readonly TrackSample[], k: number, chord: number) => {
    const m = slopeAtZero(side.map((s) => s.frame - a.frame), side.map((s) => s.params.camTrans[k]));
    return m === null ? chord : share * m * h + (1 - share) * chord;
  };
  const h00 = 2 * w ** 3 - 3 * w ** 2 + 1, h10 = w ** 3 - 2 * w ** 2 + w, h01 = -2 * w ** 3 + 3 * w ** 2, h11 = w ** 3 - w ** 2;
  const out = new Float64Array(3);
  for (let k = 0; k < 3; k++) {
    const pa = a.params.camTrans[k], pb = b.params.camTrans[k], chord = pb - pa;
    out[k] = h00 * pa + h10 * slope(e.before, k, chord) + h01 * pb + h11 * slope(e.after, k, chord);
  }
  return out;
}

/**
 * One person's parameters at weight w (b's share, (f − a) / (b − a)) inside
 * the gap between e.before's last sample a and e.after's first sample b.
 */
export function interpolateGap(e: GapEnds, w: number): PersonParams {
  const a = e.before[e.before.length - 1].params, b = e.after[0].params;
  const linear = interpolateParams(a, b, w);
  if (w <= 0 || w >= 1) return linear;
  for (const key of POSE_KEYS) {
    if (a[key].length !== b[key].length) continue; // interpolateParams has refused this already
    const out = new Float64Array(a[key].length);
    for (let j = 0; j < out.length; j += 3) bezierJoint(e, key, j, w, out);
    linear[key] = out;
  }
  linear.camTrans = hermiteTrans(e, w);
  return linear;
}
