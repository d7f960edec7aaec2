/**
 * One-Euro filter (Casiez et al., CHI 2012) made offline: run forward and
 * backward over each run of samples and average the two, so its lag (one
 * pass trails, the other leads) cancels. Cutoff = minCutoff + beta·speed:
 * slow motion is smoothed hard, fast motion (a sign's stroke) followed.
 * Speed is |dx/dt| per second: rad/s for rotations (2·|dq/dt|), m/s for
 * cam_trans. Runs are split at gaps longer than `maxGap` frames.
 */
import { splitSegments } from './segments.js';
import { alignSign, renormalize, type TrackBlock } from './track-block.js';

export interface OneEuroSettings {
  /** Hz: the cutoff at rest. Lower: smoother, more lag on slow motion. */
  minCutoff: number;
  /** s/unit: how fast the cutoff rises with speed. Higher: less lag on fast motion. */
  beta: number;
  /** Hz: cutoff for the speed estimate itself. */
  dCutoff: number;
  /** Longest run of missing frames a pass may cross. */
  maxGap: number;
}

const alpha = (dtS: number, cutoffHz: number) => 1 / (1 + 1 / (2 * Math.PI * cutoffHz * dtS));

/** @returns (N*C*D) smoothed values; the block is not changed */
export function oneEuroSmooth(block: TrackBlock, s: OneEuroSettings, fps: number): Float64Array {
  if (!(s.minCutoff > 0 && s.beta >= 0 && s.dCutoff > 0 && fps > 0)) {
    throw new RangeError(`oneEuroSmooth: need minCutoff > 0, beta ≥ 0, dCutoff > 0, fps > 0 (got ${s.minCutoff}, ${s.beta}, ${s.dCutoff}, ${fps})`);
  }
  const fwd = new Float64Array(block.values.length);
  const bwd = new Float64Array(block.values.length);
  for (const [start, end] of splitSegments(block.times, s.maxGap)) {
    onePass(block, s, fps, start, end, 1, fwd);
    onePass(block, s, fps, end - 1, start - 1, -1, bwd);
  }
  const out = new Float64Array(block.values.length);
  const { channels: C, dim: D, rotation } = block;
  for (let n = 0; n < block.times.length; n++) {
    for (let c = 0; c < C; c++) {
      const o = (n * C + c) * D;
      const sign = rotation ? alignSign(fwd, o, bwd, o) : 1;
      for (let k = 0; k < D; k++) out[o + k] = 0.5 * (fwd[o + k] + sign * bwd[o + k]);
    }
  }
  if (rotation) renormalize(out);
  return out;
}

/** One causal pass from index `from` towards `to` (exclusive), step ±1, into out. */
function onePass(block: TrackBlock, s: OneEuroSettings, fps: number, from: number, to: number, step: 1 | -1, out: Float64Array): void {
  const { times, values, channels: C, dim: D, rotation } = block;
  const x = new Float64Array(D);
  const dx = new Float64Array(D);
  for (let c = 0; c < C; c++) {
    dx.fill(0);
    let prev = -1;
    for (let n = from; n !== to; n += step) {
      const o = (n * C + c) * D;
      // Rotations: take the sample's sign nearest the running estimate.
      const sign = rotation && prev >= 0 ? alignSign(out, prev, values, o) : 1;
      for (let k = 0; k < D; k++) x[k] = sign * values[o + k];
      if (prev < 0) {
        out.set(x, o);
      } else {
        const dtS = Math.abs(times[n] - times[n - step]) / fps;
        const ad = alpha(dtS, s.dCutoff);
        let speed2 = 0;
        for (let k = 0; k < D; k++) {
          dx[k] += ad * ((x[k] - out[prev + k]) / dtS - dx[k]);
          speed2 += dx[k] * dx[k];
        }
        const speed = Math.sqrt(speed2) * (rotation ? 2 : 1);
        const a = alpha(dtS, s.minCutoff + s.beta * speed);
        for (let k = 0; k < D; k++) out[o + k] = out[prev + k] + a * (x[k] - out[prev + k]);
      }
      prev = o;
    }
  }
}
