/**
 * Linear blend skinning for SMPL-X, one step per function as in smplx/lbs.py.
 * Shapes are given as (rows × cols) of flat, C-order typed arrays. Every
 * function writes into a caller-owned output, so a frame allocates nothing
 * of size V. Joints and transforms are float64.
 */
import { accumulateRows } from './accumulate-rows.js';
import type { BodyModel, CsrMatrix } from './body-model.js';

/**
 * v_shaped = v_template + shapedirs · betas + exprdirs · expr.
 * Uses as many coefficients as given, up to what the model holds.
 * @param out     (3V) float64
 * @param scratch (≥ max(numShapeDirs, numExprDirs)) int32
 */
export function blendShapes(
  model: BodyModel,
  betas: ArrayLike<number>,
  expr: ArrayLike<number>,
  out: Float64Array,
  scratch: Int32Array,
): void {
  const n = model.numVertices * 3;
  out.set(model.vTemplate);
  accumulateRows(out, model.shapeDirs, n, betas, 0, Math.min(betas.length, model.numShapeDirs), scratch);
  accumulateRows(out, model.exprDirs, n, expr, 0, Math.min(expr.length, model.numExprDirs), scratch);
}

/**
 * J = J_regressor · vertices (smplx vertices2joints).
 * @param vertices (V*3)
 * @param out      (J*3)
 */
export function regressJoints(jReg: CsrMatrix, vertices: Float64Array, out: Float64Array): void {
  const { rowPtr, colIdx, values } = jReg;
  for (let j = 0; j < jReg.rows; j++) {
    let x = 0, y = 0, z = 0;
    for (let e = rowPtr[j]; e < rowPtr[j + 1]; e++) {
      const w = values[e];
      const v = colIdx[e] * 3;
      x += w * vertices[v];
      y += w * vertices[v + 1];
      z += w * vertices[v + 2];
    }
    out[j * 3] = x;
    out[j * 3 + 1] = y;
    out[j * 3 + 2] = z;
  }
}

/**
 * Axis-angle → rotation matrix, R = I + a·K + b·K² with K the cross-product
 * matrix of the (unnormalised) vector, a = sin θ/θ, b = (1 − cos θ)/θ².
 * Near θ = 0 both come from their Taylor series, so no division by ~0.
 * @param aa  axis-angle at aa[at..at+2]
 * @param out 3×3 row-major at out[to..to+8]
 */
export function rodrigues(aa: ArrayLike<number>, at: number, out: Float64Array, to: number): void {
  const x = aa[at], y = aa[at + 1], z = aa[at + 2];
  const t2 = x * x + y * y + z * z;
  let a: number, b: number;
  if (t2 < 1e-8) {
    a = 1 - t2 / 6 + (t2 * t2) / 120;
    b = 0.5 - t2 / 24 + (t2 * t2) / 720;
  } else {
    const t = Math.sqrt(t2);
    a = Math.sin(t) / t;
    b = (1 - Math.cos(t)) / t2;
  }
  // K² = v vᵀ − θ² I
  out[to] = 1 + b * (x * x - t2);
  out[to + 1] = -a * z + b * x * y;
  out[to + 2] = a * y + b * x * z;
  out[to + 3] = a * z + b * x * y;
  out[to + 4] = 1 + b * (y * y - t2);
  out[to + 5] = -a * x + b * y * z;
  out[to + 6] = -a * y + b * x * z;
  out[to + 7] = a * x + b * y * z;
  out[to + 8] = 1 + b * (z * z - t2);
}

/**
 * Rotation matrices of every joint.
 * @param fullPose (J*3) axis-angle
 * @param out      (J*9)
 */
export function poseRotations(fullPose: Float64Array, numJoints: number, out: Float64Array): void {
  for (let j = 0; j < numJoints; j++) rodrigues(fullPose, j * 3, out, j * 9);
}

/**
 * Pose feature (R_j − I) for joints 1..J−1, flattened row-major.
 * @param rots (J*9)
 * @param out  ((J−1)*9)
 */
export function poseFeature(rots: Float64Array, numJoints: number, out: Float64Array): void {
  for (let j = 1; j < numJoints; j++) {
    const r = j * 9;
    const o = (j - 1) * 9;
    for (let k = 0; k < 9; k++) out[o + k] = rots[r + k] - (k % 4 === 0 ? 1 : 0);
  }
}

/**
 * v_posed = v_shaped + posedirsᵀ · feature, in place.
 * @param vertices (3V) v_shaped in, v_posed out; the SIMD kernel's own
 *                 buffer (model.poseKernel.out) avoids two copies
 * @param feature  (486)
 * @param scratch  (≥ 486) int32
 */
export function applyPoseBlend(model: BodyModel, feature: Float64Array, vertices: Float64Array, scratch: Int32Array): void {
  const k = model.poseKernel;
  if (k && k.rows === model.poseDirs) {
    if (vertices !== k.out) k.out.set(vertices);
    k.accumulate(feature, feature.length, scratch);
    if (vertices !== k.out) vertices.set(k.out);
    return;
  }
  accumulateRows(vertices, model.poseDirs, model.numVertices * 3, feature, 0, feature.length, scratch);
}

/**
 * Forward kinematics (smplx batch_rigid_transform): chains each joint's
 * rotation about its rest location; parents must precede children.
 * @param rots         (J*9) local rotations
 * @param joints       (J*3) rest joints
 * @param parents      (J) −1 for the root
 * @param posedJoints  (J*3) out: posed joint locations
 * @param rel          (J*12) out: 3×4 transforms relative to the rest pose
 *                     ([R | t − R·J_rest]), what skinning applies
 */
export function rigidTransforms(
  rots: Float64Array,
  joints: Float64Array,
  parents: Int32Array,
  posedJoints: Float64Array,
  rel: Float64Array,
): void {
  const numJoints = parents.length;
  for (let i = 0; i < numJoints; i++) {
    const p = parents[i];
    const r = i * 9;
    const g = i * 12;
    const jx = joints[i * 3], jy = joints[i * 3 + 1], jz = joints[i * 3 + 2];
    if (p < 0) {
      for (let row = 0; row < 3; row++) {
        rel[g + row * 4] = rots[r + row * 3];
        rel[g + row * 4 + 1] = rots[r + row * 3 + 1];
        rel[g + row * 4 + 2] = rots[r + row * 3 + 2];
      }
      posedJoints[i * 3] = jx;
      posedJoints[i * 3 + 1] = jy;
      posedJoints[i * 3 + 2] = jz;
    } else {
      // G_i = G_p · [R_i | J_i − J_p]; rel holds G's rotation until step 2.
      const q = p * 12;
      const dx = jx - joints[p * 3], dy = jy - joints[p * 3 + 1], dz = jz - joints[p * 3 + 2];
      for (let row = 0; row < 3; row++) {
        const a0 = rel[q + row * 4], a1 = rel[q + row * 4 + 1], a2 = rel[q + row * 4 + 2];
        rel[g + row * 4] = a0 * rots[r] + a1 * rots[r + 3] + a2 * rots[r + 6];
        rel[g + row * 4 + 1] = a0 * rots[r + 1] + a1 * rots[r + 4] + a2 * rots[r + 7];
        rel[g + row * 4 + 2] = a0 * rots[r + 2] + a1 * rots[r + 5] + a2 * rots[r + 8];
        posedJoints[i * 3 + row] = a0 * dx + a1 * dy + a2 * dz + posedJoints[p * 3 + row];
      }
    }
  }
  // Translation column: posed joint minus the rotated rest joint.
  for (let i = 0; i < numJoints; i++) {
    const g = i * 12;
    const jx = joints[i * 3], jy = joints[i * 3 + 1], jz = joints[i * 3 + 2];
    for (let row = 0; row < 3; row++) {
      rel[g + row * 4 + 3] = posedJoints[i * 3 + row]
        - (rel[g + row * 4] * jx + rel[g + row * 4 + 1] * jy + rel[g + row * 4 + 2] * jz);
    }
  }
}

/**
 * Linear blend skinning: v_i = (Σ_j w_ij A_j) · [v_posed_i; 1] + trans.
 * @param weights (V × J) sparse
 * @param rel     (J*12) from rigidTransforms
 * @param vPosed  (V*3)
 * @param trans   (3) added to every vertex (camera translation)
 * @param out     (V*3) float32
 */
export function skin(
  weights: CsrMatrix,
  rel: Float64Array,
  vPosed: Float64Array,
  trans: ArrayLike<number>,
  out: Float32Array,
): void {
  const { rowPtr, colIdx, values } = weights;
  const tx = trans[0], ty = trans[1], tz = trans[2];
  for (let v = 0; v < weights.rows; v++) {
    let m0 = 0, m1 = 0, m2 = 0, m3 = 0, m4 = 0, m5 = 0, m6 = 0, m7 = 0, m8 = 0, m9 = 0, m10 = 0, m11 = 0;
    for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
      const w = values[e];
      const a = colIdx[e] * 12;
      m0 += w * rel[a]; m1 += w * rel[a + 1]; m2 += w * rel[a + 2]; m3 += w * rel[a + 3];
      m4 += w * rel[a + 4]; m5 += w * rel[a + 5]; m6 += w * rel[a + 6]; m7 += w * rel[a + 7];
      m8 += w * rel[a + 8]; m9 += w * rel[a + 9]; m10 += w * rel[a + 10]; m11 += w * rel[a + 11];
    }
    const x = vPosed[v * 3], y = vPosed[v * 3 + 1], z = vPosed[v * 3 + 2];
    out[v * 3] = m0 * x + m1 * y + m2 * z + m3 + tx;
    out[v * 3 + 1] = m4 * x + m5 * y + m6 * z + m7 + ty;
    out[v * 3 + 2] = m8 * x + m9 * y + m10 * z + m11 + tz;
  }
}
