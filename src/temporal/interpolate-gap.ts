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
import { aaToQuat, quatMul, quatToAa, slerp } from './quaternion.js';
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
  return lineFit(t, v)?.slope ?? null;
}

/** The least-squares line's slope and the slope's variance from the residuals (0 with two samples: no residual). */
function lineFit(t: ArrayLike<number>, v: ArrayLike<number>): { slope: number; variance: number } | null {
  const n = t.length;
  if (n < 2) return null;
  let tm = 0, vm = 0;
  for (let i = 0; i < n; i++) { tm += t[i]; vm += v[i]; }
  tm /= n; vm /= n;
  let stt = 0, stv = 0;
  for (let i = 0; i < n; i++) { stt += (t[i] - tm) ** 2; stv += (t[i] - tm) * (v[i] - vm); }
  if (!(stt > 0)) return null;
  const slope = stv / stt;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (v[i] - vm - slope * (t[i] - tm)) ** 2;
  return { slope, variance: n > 2 ? rss / (n - 2) / stt : 0 };
}

/**
 * The slope step (per unit w, 3 values) a gap end gets: the chord's plus
 * `share` of how far the fitted slope departs from it, shrunk by how sure
 * the fit is, k = |d|² / (|d|² + var) (a departure within the fit's noise
 * is mostly noise: keep nearer the slerp).
 */
function blendSlope(fit: Fit3 | null, chord: ArrayLike<number>, h: number, share: number, sign: number, out: Float64Array): void {
  if (!fit) { for (let k = 0; k < 3; k++) out[k] = chord[k]; return; }
  let d2 = 0, v = 0;
  for (let k = 0; k < 3; k++) { const d = sign * fit.slope[k] * h - chord[k]; d2 += d * d; v += fit.variance[k] * h * h; }
  const sure = d2 + v > 0 ? d2 / (d2 + v) : 1;
  for (let k = 0; k < 3; k++) out[k] = chord[k] + share * sure * (sign * fit.slope[k] * h - chord[k]);
}

interface Fit3 { slope: number[]; variance: number[] }

/** lineFit of each of three value columns over the same times; null when any has too few samples. */
function fit3(t: ArrayLike<number>, columns: ArrayLike<number>[]): Fit3 | null {
  const fits = columns.map((c) => lineFit(t, c));
  return fits.every((f) => f !== null) ? { slope: fits.map((f) => f!.slope), variance: fits.map((f) => f!.variance) } : null;
}

const qA = new Float64Array(4), qS = new Float64Array(4), rel = new Float64Array(4);

/**
 * Angular velocity per frame (rotation vector in the body frame of the
 * anchor) of joint j of `key` at the anchor sample, from the samples around
 * it, or null when there are too few.
 */
function angularVelocity(samples: readonly TrackSample[], anchor: TrackSample, key: PoseKey, j: number): Fit3 | null {
  if (samples.length < 2) return null;
  aaToQuat(anchor.params[key], j, qA, 0);
  const t = new Float64Array(samples.length);
  const v = [new Float64Array(samples.length), new Float64Array(samples.length), new Float64Array(samples.length)];
  const d = new Float64Array(3);
  samples.forEach((s, i) => {
    aaToQuat(s.params[key], j, qS, 0);
    quatMul(qA, 0, qS, 0, rel, 0, true);
    quatToAa(rel, 0, d, 0);
    t[i] = s.frame - anchor.frame;
    v[0][i] = d[0]; v[1][i] = d[1]; v[2][i] = d[2];
  });
  return fit3(t, v);
}

/** Shares of the fitted slopes kept for a gap of h frames (the rest is the chord's). */
const slopeShare = (h: number) => (h <= SLOPE_FADE_FROM ? 1 : (SLOPE_FADE_FROM / h) ** 2);

/**
 * A joint's four Bézier control points (qa, c1, c2, qb) at q[0..15]:
 * ωa from before (body frame of a), ωb from after (body frame of b); a
 * missing side follows the chord.
 */
function bezierControls(e: GapEnds, key: PoseKey, j: number, q: Float64Array): void {
  const a = e.before[e.before.length - 1], b = e.after[0];
  const h = b.frame - a.frame, share = slopeShare(h);
  aaToQuat(a.params[key], j, q, 0);
  aaToQuat(b.params[key], j, q, 12);
  const chord = new Float64Array(3), step = new Float64Array(3);
  quatMul(q, 0, q, 12, rel, 0, true);
  quatToAa(rel, 0, chord, 0);
  blendSlope(angularVelocity(e.before, a, key, j), chord, h, share, 1, step);
  for (let k = 0; k < 3; k++) step[k] /= 3;
  aaToQuat(step, 0, rel, 0);
  quatMul(q, 0, rel, 0, q, 4);
  // The chord seen from b runs back to a; near b the Bézier leaves backwards.
  quatMul(q, 12, q, 0, rel, 0, true);
  quatToAa(rel, 0, chord, 0);
  blendSlope(angularVelocity(e.after, b, key, j), chord, h, share, -1, step);
  for (let k = 0; k < 3; k++) step[k] /= 3;
  aaToQuat(step, 0, rel, 0);
  quatMul(q, 12, rel, 0, q, 8);
}

const tmp = new Float64Array(24);

/** The rotation at w along the Bézier of control points q[at..at+15] (de Casteljau with slerps); axis-angle to out[j..j+2]. */
function bezierAt(q: Float64Array, at: number, w: number, out: Float64Array, j: number): void {
  slerp(q, at, q, at + 4, w, tmp, 0);
  slerp(q, at + 4, q, at + 8, w, tmp, 4);
  slerp(q, at + 8, q, at + 12, w, tmp, 8);
  slerp(tmp, 0, tmp, 4, w, tmp, 12);
  slerp(tmp, 4, tmp, 8, w, tmp, 16);
  slerp(tmp, 12, tmp, 16, w, tmp, 20);
  quatToAa(tmp, 20, out, j);
}

/** cam_trans's end slopes (per unit w) at a and b, fitted or the chord's. */
function transSlopes(e: GapEnds): [Float64Array, Float64Array] {
  const a = e.before[e.before.length - 1], b = e.after[0];
  const h = b.frame - a.frame, share = slopeShare(h);
  const chord = [0, 1, 2].map((k) => b.params.camTrans[k] - a.params.camTrans[k]);
  const slope = (side: readonly TrackSample[]) => {
    const out = new Float64Array(3);
    const columns = [0, 1, 2].map((k) => side.map((s) => s.params.camTrans[k]));
    blendSlope(fit3(side.map((s) => s.frame - a.frame), columns), chord, h, share, 1, out);
    return out;
  };
  return [slope(e.before), slope(e.after)];
}

/** cam_trans at w along the cubic Hermite from pa to pb with end slopes ma, mb. */
function hermite(pa: ArrayLike<number>, ma: ArrayLike<number>, pb: ArrayLike<number>, mb: ArrayLike<number>, w: number): Float64Array {
  const h00 = 2 * w ** 3 - 3 * w ** 2 + 1, h10 = w ** 3 - 2 * w ** 2 + w, h01 = -2 * w ** 3 + 3 * w ** 2, h11 = w ** 3 - w ** 2;
  const out = new Float64Array(3);
  for (let k = 0; k < 3; k++) out[k] = h00 * pa[k] + h10 * ma[k] + h01 * pb[k] + h11 * mb[k];
  return out;
}

/**
 * The curve through the gap between e.before's last sample a and e.after's
 * first sample b: its slopes and control points are fitted once per gap, then
 * `at(w)` gives one person's parameters at weight w (b's share, (f − a) / (b − a)).
 */
export function gapCurve(e: GapEnds): (w: number) => PersonParams {
  const a = e.before[e.before.length - 1].params, b = e.after[0].params;
  const controls = POSE_KEYS.map((key) => {
    const q = new Float64Array((a[key].length / 3) * 16);
    for (let j = 0; j < a[key].length; j += 3) bezierControls(e, key, j, q.subarray((j / 3) * 16));
    return q;
  });
  const [ma, mb] = transSlopes(e);
  return (w) => {
    const out = interpolateParams(a, b, w);
    if (w <= 0 || w >= 1) return out;
    POSE_KEYS.forEach((key, i) => {
      const pose = new Float64Array(a[key].length);
      for (let j = 0; j < pose.length; j += 3) bezierAt(controls[i], (j / 3) * 16, w, pose, j);
      out[key] = pose;
    });
    out.camTrans = hermite(a.camTrans, ma, b.camTrans, mb, w);
    return out;
  };
}

/** One gap frame's parameters at weight w: gapCurve(e)(w), for a single frame. */
export const interpolateGap = (e: GapEnds, w: number): PersonParams => gapCurve(e)(w);
