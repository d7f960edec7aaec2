/**
 * Single-frame outliers of one person's track, judged against both
 * neighbours (the nearest samples before and after, at most
 * `maxNeighbourGap` missing frames away). A frame without both neighbours
 * is never called an outlier. Thresholds: docs/temporal.md.
 *
 * - root_flip: the root rotation differs from both neighbours by more than
 *   rootFlipDeg while the neighbours agree within rootReturnDeg (the body
 *   turns round for one frame and back).
 * - cam_jump: cam_trans moves from both neighbours by more than
 *   camJumpM + camJumpDepthShare·depth per frame of distance, while the
 *   neighbours are within camReturnShare of that of each other.
 * - hands_swapped: against each neighbour, the left hand looks like the
 *   neighbour's mirrored right hand and vice versa, closer by handSwapMarginDeg
 *   (mean per-joint angle) than the hands as labelled.
 */
import { mirrorAa } from '../body-model/axis-angle.js';
import type { PersonParams } from '../types.js';
import { aaToQuat, quatAngle } from './quaternion.js';
import type { TrackSample } from './track-block.js';

export type OutlierKind = 'root_flip' | 'cam_jump' | 'hands_swapped';

export interface OutlierThresholds {
  rootFlipDeg: number;
  rootReturnDeg: number;
  camJumpM: number;
  camJumpDepthShare: number;
  camReturnShare: number;
  handSwapMarginDeg: number;
  maxNeighbourGap: number;
}

export const DEFAULT_OUTLIER_THRESHOLDS: Readonly<OutlierThresholds> = {
  rootFlipDeg: 90,
  rootReturnDeg: 45,
  camJumpM: 0.25,
  camJumpDepthShare: 0.05,
  camReturnShare: 0.5,
  handSwapMarginDeg: 8,
  maxNeighbourGap: 2,
};

const DEG = Math.PI / 180;
const qa = new Float64Array(4);
const qb = new Float64Array(4);

/** Geodesic angle (radians) between the rotations of joint j of two poses. */
function jointAngle(a: ArrayLike<number>, b: ArrayLike<number>, j: number): number {
  aaToQuat(a, j * 3, qa, 0);
  aaToQuat(b, j * 3, qb, 0);
  return quatAngle(qa, 0, qb, 0);
}

/** Mean per-joint angle (radians) between two hand poses (J*3). */
export function handDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const J = Math.min(a.length, b.length) / 3;
  let sum = 0;
  for (let j = 0; j < J; j++) sum += jointAngle(a, b, j);
  return J > 0 ? sum / J : 0;
}

/** The other hand's pose as this hand would hold it: every joint mirrored left ⇄ right. */
export function mirrorHand(pose: ArrayLike<number>): Float64Array {
  const out = new Float64Array(pose.length);
  for (let j = 0; j < pose.length; j += 3) out.set(mirrorAa([pose[j], pose[j + 1], pose[j + 2]]), j);
  return out;
}

export function isRootFlip(p: PersonParams, prev: PersonParams, next: PersonParams, th: OutlierThresholds): boolean {
  return jointAngle(p.rootPose, prev.rootPose, 0) > th.rootFlipDeg * DEG
    && jointAngle(p.rootPose, next.rootPose, 0) > th.rootFlipDeg * DEG
    && jointAngle(prev.rootPose, next.rootPose, 0) < th.rootReturnDeg * DEG;
}

export function isCamJump(p: PersonParams, prev: PersonParams, next: PersonParams, dPrev: number, dNext: number, th: OutlierThresholds): boolean {
  const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  const depth = (Math.abs(prev.camTrans[2]) + Math.abs(next.camTrans[2])) / 2;
  const perFrame = th.camJumpM + th.camJumpDepthShare * depth;
  return dist(p.camTrans, prev.camTrans) > perFrame * dPrev
    && dist(p.camTrans, next.camTrans) > perFrame * dNext
    && dist(prev.camTrans, next.camTrans) < th.camReturnShare * perFrame * (dPrev + dNext);
}

/** Swapped against one neighbour: the mirrored, exchanged hands fit clearly better than the labelled ones. */
function swappedAgainst(p: PersonParams, n: PersonParams, th: OutlierThresholds): boolean {
  const same = handDistance(p.lhandPose, n.lhandPose) + handDistance(p.rhandPose, n.rhandPose);
  const swapped = handDistance(p.lhandPose, mirrorHand(n.rhandPose)) + handDistance(p.rhandPose, mirrorHand(n.lhandPose));
  return swapped / 2 + th.handSwapMarginDeg * DEG < same / 2;
}

export function isHandSwap(p: PersonParams, prev: PersonParams, next: PersonParams, th: OutlierThresholds): boolean {
  return swappedAgainst(p, prev, th) && swappedAgainst(p, next, th);
}

/**
 * @param samples one person's frames, ascending frame numbers
 * @returns       per sample, the outlier kinds found (empty: none)
 */
export function detectOutliers(samples: readonly TrackSample[], th: OutlierThresholds = DEFAULT_OUTLIER_THRESHOLDS): OutlierKind[][] {
  return samples.map((s, i) => {
    const prev = samples[i - 1];
    const next = samples[i + 1];
    if (!prev || !next) return [];
    const dPrev = s.frame - prev.frame;
    const dNext = next.frame - s.frame;
    if (dPrev - 1 > th.maxNeighbourGap || dNext - 1 > th.maxNeighbourGap) return [];
    const kinds: OutlierKind[] = [];
    if (isRootFlip(s.params, prev.params, next.params, th)) kinds.push('root_flip');
    if (isCamJump(s.params, prev.params, next.params, dPrev, dNext, th)) kinds.push('cam_jump');
    if (isHandSwap(s.params, prev.params, next.params, th)) kinds.push('hands_swapped');
    return kinds;
  });
}
