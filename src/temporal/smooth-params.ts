/**
 * Smooths one person's parameter track: every joint rotation (in
 * quaternion space) and cam_trans, with one smoother for the body (root,
 * body joints, jaw, cam_trans) and another for the fingers, which move
 * fastest in signing. Betas, expression and intrinsics are left as they are.
 */
import type { PersonParams } from '../types.js';
import { gaussianSmooth, type GaussianSettings } from './gaussian-smooth.js';
import { oneEuroSmooth, type OneEuroSettings } from './one-euro-smooth.js';
import { aaToQuat, quatToAa } from './quaternion.js';
import type { TrackBlock, TrackSample } from './track-block.js';

export type SmootherSettings =
  | { kind: 'none' }
  | ({ kind: 'gaussian' } & GaussianSettings)
  | ({ kind: 'one-euro' } & OneEuroSettings);

export interface SmoothConfig {
  body: SmootherSettings;
  hands: SmootherSettings;
  /** Frames per second: One-Euro's cutoffs are in Hz. */
  fps: number;
}

/**
 * Defaults per smoother, chosen with `npm run bench:temporal` (docs/temporal.md):
 * the fingers get their own, lighter settings because handshape changes
 * take only a few frames.
 */
export const DEFAULT_SMOOTHING = {
  gaussian: { body: { sigma: 2 }, hands: { sigma: 1.5 } },
  oneEuro: {
    body: { minCutoff: 1, beta: 1, dCutoff: 1, maxGap: 3 },
    hands: { minCutoff: 1.5, beta: 1, dCutoff: 1, maxGap: 3 },
  },
} as const satisfies { gaussian: Record<'body' | 'hands', GaussianSettings>; oneEuro: Record<'body' | 'hands', OneEuroSettings> };

type PoseKey = 'rootPose' | 'bodyPose' | 'jawPose' | 'lhandPose' | 'rhandPose';
const BODY_KEYS: readonly PoseKey[] = ['rootPose', 'bodyPose', 'jawPose'];
const HAND_KEYS: readonly PoseKey[] = ['lhandPose', 'rhandPose'];

/** Quaternion block of the joints of `keys`, concatenated per sample. */
export function rotationBlock(samples: readonly TrackSample[], keys: readonly PoseKey[]): TrackBlock {
  const joints = keys.reduce((n, k) => n + samples[0].params[k].length / 3, 0);
  const values = new Float64Array(samples.length * joints * 4);
  samples.forEach((s, n) => {
    let c = 0;
    for (const k of keys) {
      const pose = s.params[k];
      if (pose.length !== samples[0].params[k].length) throw new RangeError(`smoothParams: frame ${s.frame} ${k} has ${pose.length} values, frame ${samples[0].frame} ${samples[0].params[k].length}`);
      for (let j = 0; j < pose.length; j += 3) aaToQuat(pose, j, values, (n * joints + c++) * 4);
    }
  });
  return { times: Float64Array.from(samples, (s) => s.frame), values, channels: joints, dim: 4, rotation: true };
}

/** Writes a smoothed quaternion block back into per-sample axis-angle poses. */
function writeRotations(out: PersonParams[], keys: readonly PoseKey[], values: Float64Array, joints: number): void {
  out.forEach((p, n) => {
    let c = 0;
    for (const k of keys) {
      const pose = new Float64Array(p[k].length);
      for (let j = 0; j < pose.length; j += 3) quatToAa(values, (n * joints + c++) * 4, pose, j);
      p[k] = pose;
    }
  });
}

function runSmoother(block: TrackBlock, s: SmootherSettings, fps: number): Float64Array | null {
  if (s.kind === 'gaussian') return gaussianSmooth(block, s);
  if (s.kind === 'one-euro') return oneEuroSmooth(block, s, fps);
  return null;
}

/**
 * @param samples one person's frames with parameters, ascending frame numbers;
 *                missing frames are simply absent
 * @returns       new parameters, one per sample, same order
 */
export function smoothParams(samples: readonly TrackSample[], cfg: SmoothConfig): PersonParams[] {
  const out = samples.map((s) => ({ ...s.params }));
  if (samples.length === 0) return out;
  for (const [keys, settings] of [[BODY_KEYS, cfg.body], [HAND_KEYS, cfg.hands]] as const) {
    if (settings.kind === 'none') continue;
    const block = rotationBlock(samples, keys);
    const smoothed = runSmoother(block, settings, cfg.fps);
    if (smoothed) writeRotations(out, keys, smoothed, block.channels);
  }
  const trans: TrackBlock = {
    times: Float64Array.from(samples, (s) => s.frame),
    values: Float64Array.from(samples.flatMap((s) => [s.params.camTrans[0], s.params.camTrans[1], s.params.camTrans[2]])),
    channels: 1, dim: 3, rotation: false,
  };
  const t = runSmoother(trans, cfg.body, cfg.fps);
  if (t) out.forEach((p, n) => { p.camTrans = t.slice(n * 3, n * 3 + 3); });
  return out;
}
