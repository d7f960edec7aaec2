/**
 * Offline, two-sided gaussian smoothing of a track block: each sample
 * becomes the weighted mean of the samples within ±radius frames
 * (radius = ⌈3σ⌉), weights exp(−Δt²/2σ²) by true frame distance, so a
 * short gap is bridged with the right weights and a gap of radius frames or
 * more is never crossed. Near a run's ends the window is one-sided and
 * renormalised. Rotations: quaternions sign-matched to the centre sample,
 * averaged, renormalised (the chordal mean, accurate for the few degrees a
 * window spans).
 */
import { splitSegments } from './segments.js';
import { alignSign, renormalize, type TrackBlock } from './track-block.js';

export interface GaussianSettings {
  /** Standard deviation of the kernel, frames (> 0). */
  sigma: number;
}

/** Window half-width in frames for a sigma. */
export const gaussianRadius = (sigma: number): number => Math.ceil(3 * sigma);

/** @returns (N*C*D) smoothed values; the block is not changed */
export function gaussianSmooth(block: TrackBlock, s: GaussianSettings): Float64Array {
  if (!(s.sigma > 0)) throw new RangeError(`gaussianSmooth: sigma must be > 0, got ${s.sigma}`);
  const { times, values, channels: C, dim: D, rotation } = block;
  const R = gaussianRadius(s.sigma);
  const out = new Float64Array(values.length);
  const acc = new Float64Array(D);
  for (const [start, end] of splitSegments(times, R - 1)) {
    for (let i = start; i < end; i++) {
      let lo = i;
      while (lo > start && times[i] - times[lo - 1] <= R) lo--;
      let hi = i;
      while (hi + 1 < end && times[hi + 1] - times[i] <= R) hi++;
      for (let c = 0; c < C; c++) {
        const centre = (i * C + c) * D;
        acc.fill(0);
        let wsum = 0;
        for (let j = lo; j <= hi; j++) {
          const dt = times[j] - times[i];
          const src = (j * C + c) * D;
          const w = Math.exp(-(dt * dt) / (2 * s.sigma * s.sigma)) * (rotation ? alignSign(values, centre, values, src) : 1);
          wsum += Math.abs(w);
          for (let k = 0; k < D; k++) acc[k] += w * values[src + k];
        }
        for (let k = 0; k < D; k++) out[centre + k] = acc[k] / wsum;
      }
    }
  }
  if (rotation) renormalize(out);
  return out;
}
