/**
 * A light stand-in for the body model that bounds where a posed body can be,
 * without computing its mesh: the rest joints and, per joint, a radius that
 * holds every vertex skinned mainly to it. Posing the 55 joints of a frame
 * (forward kinematics only, microseconds) then gives 55 spheres that contain
 * the posed mesh, so one stable camera can frame a whole sequence tightly.
 *
 * Bound for vertex v dominated by joint k: |p(v) − J'_k| ≤ Σ_j w_vj (|v − J_j| + d(j,k)),
 * with d the bone-path length between j and k (bones are rigid under LBS).
 * Betas and pose correctives move things a little further; a slack covers them.
 */
import type { PersonParams } from '../types.js';
import type { CsrMatrix } from './body-model.js';
import { assembleFullPose } from './full-pose.js';
import { poseRotations, regressJoints, rigidTransforms } from './lbs.js';
import { openModel, readRig } from './load-body-model.js';

export interface FramingSkeleton {
  parents: Int32Array;
  /** (55*3) rest joints of the template. */
  joints: Float64Array;
  /** (55) sphere radius around each posed joint, slack included. */
  radii: Float64Array;
  handsMeanLeft: Float64Array;
  handsMeanRight: Float64Array;
}

/** Bone lengths may differ by this share with other betas; correctives move vertices by up to this many metres. */
const BETA_SLACK = 0.08;
const CORRECTIVE_SLACK = 0.015;

export function framingSkeletonFrom(
  vTemplate: ArrayLike<number>, jRegressor: CsrMatrix, weights: CsrMatrix,
  parents: Int32Array, handsMeanLeft: Float64Array, handsMeanRight: Float64Array,
): FramingSkeleton {
  const J = parents.length;
  const joints = new Float64Array(J * 3);
  regressJoints(jRegressor, Float64Array.from(vTemplate), joints);
  const dist = (a: number, b: number) => Math.hypot(joints[a * 3] - joints[b * 3], joints[a * 3 + 1] - joints[b * 3 + 1], joints[a * 3 + 2] - joints[b * 3 + 2]);
  const reach = new Float64Array(J); // bone-path length from the root
  const depth = new Int32Array(J);
  for (let j = 1; j < J; j++) { reach[j] = reach[parents[j]] + dist(j, parents[j]); depth[j] = depth[parents[j]] + 1; }
  const treeDist = (a: number, b: number) => {
    let x = a, y = b;
    while (x !== y) { if (depth[x] >= depth[y]) x = parents[x]; else y = parents[y]; }
    return reach[a] + reach[b] - 2 * reach[x];
  };
  const radii = new Float64Array(J);
  for (let v = 0; v < weights.rows; v++) {
    let k = -1, best = -Infinity;
    for (let e = weights.rowPtr[v]; e < weights.rowPtr[v + 1]; e++) if (weights.values[e] > best) { best = weights.values[e]; k = weights.colIdx[e]; }
    if (k < 0) continue;
    let r = 0;
    for (let e = weights.rowPtr[v]; e < weights.rowPtr[v + 1]; e++) {
      const j = weights.colIdx[e];
      const d = Math.hypot(vTemplate[v * 3] - joints[j * 3], vTemplate[v * 3 + 1] - joints[j * 3 + 1], vTemplate[v * 3 + 2] - joints[j * 3 + 2]);
      r += Math.abs(weights.values[e]) * (d + treeDist(j, k));
    }
    if (r > radii[k]) radii[k] = r;
  }
  const rootOffset = Math.hypot(joints[0], joints[1], joints[2]);
  for (let j = 0; j < J; j++) radii[j] = radii[j] * (1 + BETA_SLACK) + BETA_SLACK * (reach[j] + rootOffset) + CORRECTIVE_SLACK;
  return { parents, joints, radii, handsMeanLeft, handsMeanRight };
}

/** Reads only the rig (v_template, J_regressor, weights, kintree_table, hand means), checked like the full model. */
export function loadFramingSkeleton(path: string): FramingSkeleton {
  const m = openModel(path);
  try {
    const r = readRig(m);
    return framingSkeletonFrom(r.vTemplate, r.jRegressor, r.weights, r.parents, r.handsMeanLeft, r.handsMeanRight);
  } finally {
    m.close();
  }
}

/** Scratch for posing, reused across frames. */
export function createPoser(skel: FramingSkeleton, flatHandMean: boolean) {
  const J = skel.parents.length;
  const pose = new Float64Array(J * 3);
  const rots = new Float64Array(J * 9);
  const posed = new Float64Array(J * 3);
  const rel = new Float64Array(J * 12);
  /** Calls `sphere(x, y, z, r, joint)` for each joint of the posed person, in camera space. */
  return (p: PersonParams, sphere: (x: number, y: number, z: number, r: number, joint: number) => void): void => {
    assembleFullPose(skel, p, flatHandMean, pose);
    poseRotations(pose, J, rots);
    rigidTransforms(rots, skel.joints, skel.parents, posed, rel);
    const t = p.camTrans;
    for (let j = 0; j < J; j++) sphere(posed[j * 3] + t[0], posed[j * 3 + 1] + t[1], posed[j * 3 + 2] + t[2], skel.radii[j], j);
  };
}
