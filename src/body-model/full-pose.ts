/**
 * One person's axis-angle parameters laid out as the 55 SMPL-X joints, the
 * input of both the full forward pass and the framing skeleton.
 */
import type { PersonParams } from '../types.js';
import { HAND_POSE_SIZE } from './body-model.js';

/** The two mean hand poses (smplx hands_meanl / hands_meanr), 45 values each. */
export interface HandMeans {
  readonly handsMeanLeft: ArrayLike<number>;
  readonly handsMeanRight: ArrayLike<number>;
}

/**
 * Full pose in SMPL-X joint order: root, body 1..21, jaw 22, eyes 23–24
 * (zero), left hand 25..39, right hand 40..54. Hand means are added unless
 * flatHandMean (smplx's flat_hand_mean).
 * @param out (55*3)
 */
export function assembleFullPose(hands: HandMeans, params: PersonParams, flatHandMean: boolean, out: Float64Array): void {
  expectLength('rootPose', params.rootPose, 3);
  expectLength('bodyPose', params.bodyPose, 63);
  expectLength('jawPose', params.jawPose, 3);
  expectLength('lhandPose', params.lhandPose, HAND_POSE_SIZE);
  expectLength('rhandPose', params.rhandPose, HAND_POSE_SIZE);
  out.set(params.rootPose, 0);
  out.set(params.bodyPose, 3);
  out.set(params.jawPose, 22 * 3);
  out.fill(0, 23 * 3, 25 * 3);
  const left = 25 * 3;
  const right = 40 * 3;
  for (let k = 0; k < HAND_POSE_SIZE; k++) {
    out[left + k] = params.lhandPose[k] + (flatHandMean ? 0 : hands.handsMeanLeft[k]);
    out[right + k] = params.rhandPose[k] + (flatHandMean ? 0 : hands.handsMeanRight[k]);
  }
}

function expectLength(name: string, a: ArrayLike<number>, n: number): void {
  if (a.length !== n) throw new RangeError(`pose: ${name} has ${a.length} values, expected ${n}`);
}
