/**
 * The skinned glTF's rig, pure math on the loaded body model: the rest mesh
 * shaped by one betas vector, its rest joints, the top-4 skin weights and
 * inverse bind matrices, and per-frame local joint rotations as glTF
 * quaternions. Nothing assumes the joint or vertex count.
 */
import type { BodyModel } from '../body-model/body-model.js';
import { assembleFullPose } from '../body-model/full-pose.js';
import { blendShapes, regressJoints } from '../body-model/lbs.js';
import { aaToQuat } from '../temporal/quaternion.js';
import type { PersonParams } from '../types.js';

/** glTF's JOINTS_0 / WEIGHTS_0 hold 4 influences per vertex. */
export const INFLUENCES = 4;

export interface RestShape {
  /** (V*3) v_template + shapedirs · betas, no expression (a skinned glTF has no per-frame shape). */
  vertices: Float32Array;
  /** (J*3) rest joints regressed from those vertices, float64 as the forward pass keeps them. */
  joints: Float64Array;
}

export function restShape(model: BodyModel, betas: ArrayLike<number>): RestShape {
  const v = new Float64Array(model.numVertices * 3);
  blendShapes(model, betas, [], v, new Int32Array(Math.max(1, model.numShapeDirs, model.numExprDirs)));
  const joints = new Float64Array(model.numJoints * 3);
  regressJoints(model.jRegressor, v, joints);
  return { vertices: Float32Array.from(v), joints };
}

/** Element-wise mean of betas vectors of any lengths (shorter ones count as zero-padded). */
export function meanBetas(all: ReadonlyArray<ArrayLike<number>>): number[] {
  const n = all.reduce((m, b) => Math.max(m, b.length), 0);
  const sum = new Array<number>(n).fill(0);
  for (const b of all) for (let i = 0; i < b.length; i++) sum[i] += b[i];
  return sum.map((s) => (all.length > 0 ? s / all.length : 0));
}

export interface SkinWeights {
  /** (V*4) joint indices; unused slots are joint 0 with weight 0. */
  joints: Uint8Array | Uint16Array;
  /** (V*4) float32, each row sums to 1. */
  weights: Float32Array;
}

/**
 * The 4 largest LBS weights of each vertex, renormalised to sum to 1 (SMPL-X
 * vertices near the hands have up to ~8 nonzero influences).
 */
export function topWeights(model: BodyModel): SkinWeights {
  const { rowPtr, colIdx, values } = model.weights;
  const V = model.numVertices;
  if (model.numJoints > 65536) throw new RangeError(`glTF joints are 16-bit at most; the model has ${model.numJoints}`);
  const joints = model.numJoints <= 256 ? new Uint8Array(V * INFLUENCES) : new Uint16Array(V * INFLUENCES);
  const weights = new Float32Array(V * INFLUENCES);
  const pick: Array<[number, number]> = [];
  for (let v = 0; v < V; v++) {
    pick.length = 0;
    for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) if (values[e] > 0) pick.push([colIdx[e], values[e]]);
    pick.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const kept = pick.slice(0, INFLUENCES);
    const total = kept.reduce((s, k) => s + k[1], 0);
    // A vertex whose weights are all ≤ 0 (the loader rejects all-zero rows) follows the root.
    if (kept.length === 0 || !(total > 0)) { weights[v * INFLUENCES] = 1; continue; }
    kept.forEach(([j, w], k) => { joints[v * INFLUENCES + k] = j; weights[v * INFLUENCES + k] = w / total; });
  }
  return { joints, weights };
}

/** (J*16) column-major inverse bind matrices: the rest joints carry no rotation, so each is a translation by −J. */
export function inverseBindMatrices(restJoints: Float64Array): Float32Array {
  const J = restJoints.length / 3;
  const out = new Float32Array(J * 16);
  for (let j = 0; j < J; j++) {
    const o = j * 16;
    out[o] = out[o + 5] = out[o + 10] = out[o + 15] = 1;
    out[o + 12] = -restJoints[j * 3];
    out[o + 13] = -restJoints[j * 3 + 1];
    out[o + 14] = -restJoints[j * 3 + 2];
  }
  return out;
}

/** Each joint's rest offset from its parent (the root's: its rest location), the nodes' static translations. */
export function localOffsets(restJoints: Float64Array, parents: Int32Array): Float64Array {
  const out = new Float64Array(restJoints.length);
  for (let j = 0; j < parents.length; j++) {
    const p = parents[j];
    for (let c = 0; c < 3; c++) out[j * 3 + c] = restJoints[j * 3 + c] - (p < 0 ? 0 : restJoints[p * 3 + c]);
  }
  return out;
}

/**
 * Local rotations of every joint for one person, glTF order (x, y, z, w),
 * from the full pose as the forward pass assembles it.
 * @param out  (J*4) at out[to..]
 * @param pose (J*3) scratch: the full axis-angle pose
 * @param q    (4) scratch
 */
export function jointQuaternions(model: BodyModel, params: PersonParams, flatHandMean: boolean, out: Float64Array, to: number, pose: Float64Array, q: Float64Array): void {
  const J = model.numJoints;
  assembleFullPose(model, params, flatHandMean, pose);
  for (let j = 0; j < J; j++) {
    aaToQuat(pose, j * 3, q, 0);
    const o = to + j * 4;
    out[o] = q[1]; out[o + 1] = q[2]; out[o + 2] = q[3]; out[o + 3] = q[0];
  }
}
