/**
 * Offline, two-sided gaussian smoothing of a track block: each sample
 * becomes the value at its own time of the line fitted, with weights
 * exp(−Δt²/2σ²) by true frame distance, to the samples within ±radius frames
 * (radius = ⌈3σ⌉), so a short gap is bridged with the right weights and a gap
 * of radius frames or more is never crossed. Where the window is symmetric
 * this is the plain weighted mean; near a run's ends (one-sided windows) the
 * line removes the lag a weighted mean has on a moving track (local linear
 * regression: a signing hand moves a lot in the 3σ frames of a one-sided
 * window, and the gap's ends are what interpolation starts from).
 * Rotations: quaternions sign-matched to the centre sample, fitted per
 * component, renormalised (chordal, accurate for the few degrees a window spans).
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
  const kernel = new Float64Array(2 * R + 1);
  for (const [start, end] of splitSegments(times, R - 1)) {
    for (let i = start; i < end; i++) {
      let lo = i;
      while (lo > start && times[i] - times[lo - 1] <= R) lo--;
      let hi = i;
      while (hi + 1 < end && times[hi + 1] - times[i] <= R) hi++;
      // The local line's weights: ℓ_j = w_j (S2 − Δt_j S1) / (S0 S2 − S1²), S_k = Σ w_j Δt_j^k.
      let S0 = 0, S1 = 0, S2 = 0;
      for (let j = lo; j <= hi; j++) {
        const dt = times[j] - times[i];
        const w = Math.exp(-(dt * dt) / (2 * s.sigma * s.sigma));
        kernel[j - lo] = w; S0 += w; S1 += w * dt; S2 += w * dt * dt;
      }
      const det = S0 * S2 - S1 * S1;
      for (let j = lo; j <= hi; j++) {
        const dt = times[j] - times[i];
        // One sample, or all at one time: no line, the (weighted) mean.
        kernel[j - lo] = det > 1e-9 * S0 * S0 ? (kernel[j - lo] * (S2 - dt * S1)) / det : kernel[j - lo] / S0;
      }
      for (let c = 0; c < C; c++) {
        const centre = (i * C + c) * D;
        acc.fill(0);
        for (let j = lo; j <= hi; j++) {
          const src = (j * C + c) * D;
          const w = kernel[j - lo] * (rotation ? alignSign(values, centre, values, src) : 1);
          for (let k = 0; k < D; k++) acc[k] += w * values[src + k];
        }
        for (let k = 0; k < D; k++) out[centre + k] = acc[k];
      }
    }
  }
  if (rotation) renormalize(out);
  return out;
}
