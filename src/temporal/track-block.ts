/**
 * A block of tracks smoothed together: C channels (joints, or one cam_trans)
 * of D values each, sampled at N frame times. Rotation blocks hold unit
 * quaternions (D = 4); smoothers then blend them with matched signs and
 * renormalise.
 */
import type { PersonParams } from '../types.js';
import { quatDot } from './quaternion.js';

/** One frame of one person's track. */
export interface TrackSample {
  frame: number;
  params: PersonParams;
}

export interface TrackBlock {
  /** (N) ascending frame numbers. */
  times: Float64Array;
  /** (N*C*D) sample n, channel c at (n*C + c)*D. */
  values: Float64Array;
  channels: number;
  dim: number;
  rotation: boolean;
}

/** +1 or −1: the sign that puts quaternion b[bo..] on a[ao..]'s side (continuity). */
export function alignSign(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number {
  return quatDot(a, ao, b, bo) < 0 ? -1 : 1;
}

/** Renormalises every quaternion of a rotation block's values, in place. */
export function renormalize(values: Float64Array): void {
  for (let o = 0; o < values.length; o += 4) {
    const n = Math.hypot(values[o], values[o + 1], values[o + 2], values[o + 3]);
    if (n > 0) for (let k = 0; k < 4; k++) values[o + k] /= n;
  }
}
