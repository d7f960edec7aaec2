/**
 * Approximate SMPL-X neutral rest joints (body joints 0–21, metres, model
 * frame: y up, x to the subject's left, z forward) and forward kinematics.
 * Only for demo-data bookkeeping (person boxes, sanity tests): the real
 * joints come from whichever body model renders the data.
 */
import { aaToMat, matMul, matVec, type Mat3, type Vec3 } from '../body-model/axis-angle.js';

/** Parent of each of the first 22 SMPL-X joints (same tree as SMPL). */
export const BODY_PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19] as const;

export const JOINT = {
  pelvis: 0, lHip: 1, rHip: 2, spine1: 3, lKnee: 4, rKnee: 5, spine2: 6, lAnkle: 7, rAnkle: 8,
  spine3: 9, lFoot: 10, rFoot: 11, neck: 12, lCollar: 13, rCollar: 14, head: 15,
  lShoulder: 16, rShoulder: 17, lElbow: 18, rElbow: 19, lWrist: 20, rWrist: 21,
} as const;

// SMPL neutral template joints shifted so the pelvis sits where SMPL-X puts it (y ≈ −0.35).
const REST: Vec3[] = [
  [0.000, -0.351, 0.012], [0.070, -0.442, 0.008], [-0.068, -0.442, 0.005], [-0.002, -0.237, -0.014],
  [0.104, -0.803, 0.001], [-0.106, -0.800, -0.001], [0.005, -0.109, -0.012], [0.089, -1.215, -0.042],
  [-0.092, -1.217, -0.040], [0.001, -0.055, 0.013], [0.115, -1.272, 0.082], [-0.118, -1.270, 0.087],
  [0.000, 0.159, -0.029], [0.078, 0.064, -0.023], [-0.081, 0.063, -0.025], [0.005, 0.224, 0.030],
  [0.173, 0.096, -0.035], [-0.176, 0.093, -0.035], [0.436, 0.085, -0.058], [-0.440, 0.086, -0.056],
  [0.695, 0.093, -0.060], [-0.698, 0.093, -0.060],
];
export const REST_JOINTS: readonly Vec3[] = REST;

/** Extra points carried by a joint (hand tips, head top, soles), in the joint's rest frame. */
export const EXTREMITIES: ReadonlyArray<{ joint: number; offset: Vec3 }> = [
  { joint: JOINT.head, offset: [0, 0.2, 0.02] },
  { joint: JOINT.lWrist, offset: [0.18, 0, 0] },
  { joint: JOINT.rWrist, offset: [-0.18, 0, 0] },
  { joint: JOINT.lFoot, offset: [0, -0.06, 0.06] },
  { joint: JOINT.rFoot, offset: [0, -0.06, 0.06] },
  { joint: JOINT.lAnkle, offset: [0, -0.07, -0.06] },
  { joint: JOINT.rAnkle, offset: [0, -0.07, -0.06] },
];

export interface PosedSkeleton {
  /** 22 joint positions, camera/world frame of the root pose. */
  joints: Vec3[];
  /** World rotation of each joint. */
  rotations: Mat3[];
}

/**
 * SMPL-style forward kinematics: the root rotates about the rest pelvis
 * (as `smplx` does), then `transl` is added.
 */
export function poseSkeleton(rootPose: ArrayLike<number>, bodyPose: ArrayLike<number>, transl: ArrayLike<number> = [0, 0, 0]): PosedSkeleton {
  const joints: Vec3[] = [];
  const rotations: Mat3[] = [];
  for (let j = 0; j < 22; j++) {
    const p = BODY_PARENTS[j];
    const local = aaToMat(j === 0 ? rootPose : [bodyPose[(j - 1) * 3], bodyPose[(j - 1) * 3 + 1], bodyPose[(j - 1) * 3 + 2]]);
    if (p < 0) {
      rotations.push(local);
      joints.push([REST[0][0] + transl[0], REST[0][1] + transl[1], REST[0][2] + transl[2]]);
    } else {
      rotations.push(matMul(rotations[p], local));
      const bone = matVec(rotations[p], [REST[j][0] - REST[p][0], REST[j][1] - REST[p][1], REST[j][2] - REST[p][2]]);
      joints.push([joints[p][0] + bone[0], joints[p][1] + bone[1], joints[p][2] + bone[2]]);
    }
  }
  return { joints, rotations };
}

/** Joints plus extremity points: a cloud that bounds the body. */
export function bodyPoints(s: PosedSkeleton): Vec3[] {
  const pts = [...s.joints];
  for (const { joint, offset } of EXTREMITIES) {
    const d = matVec(s.rotations[joint], offset);
    const j = s.joints[joint];
    pts.push([j[0] + d[0], j[1] + d[1], j[2] + d[2]]);
  }
  return pts;
}
