/**
 * What shape and expression do to the framing skeleton, from shapedirs.
 * Joints depend on the coefficients only through
 * J_regressor · (v_template + dirs · coeffs), so J_regressor · dirs (J × 3 per
 * component) lets the poser regress each person's shaped joints exactly.
 * What is left to bound is how far a component moves a vertex relative to
 * the joints it is skinned to, and how much it lengthens the bones between
 * those joints and the vertex's sphere joint: `growth`, per component and
 * sphere joint, in metres per unit coefficient.
 *
 * shapedirs is streamed twice (a whole vertex per piece), so even SMPL-X's
 * 400 components never sit in memory.
 */
import type { NumericArray } from '../npz/parse-npy.js';
import type { CsrMatrix } from './body-model.js';
import { componentSplit, shapeDirCount, type ModelReader, type Rig } from './load-body-model.js';
import { treePaths } from './tree-paths.js';
import { dominantJoints } from './dominant-joints.js';

export interface ShapeJointBounds {
  /** Components kept: the shape ones (betas), then the expression ones (expr), as the full model splits them. */
  numShapeDirs: number;
  numExprDirs: number;
  /** ((numShapeDirs + numExprDirs) × J × 3) J_regressor · dirs. */
  jointDirs: Float64Array;
  /** ((numShapeDirs + numExprDirs) × J) metres a sphere's radius grows per unit |coefficient|. */
  growth: Float64Array;
}

/** Calls `onVertex(v, rows, at, K)` for every vertex in order: rows[at + x·K + c] is component c of coordinate x. */
export type VertexRows = (onVertex: (v: number, rows: NumericArray, at: number, K: number) => void) => void;

/** The bounds for a model file's shapedirs (checked as the full model checks them). */
export function readShapeJointBounds(m: ModelReader, rig: Rig): ShapeJointBounds {
  let K = 0;
  const pass: VertexRows = (onVertex) => m.chunks('shapedirs', (shape) => {
    K = shapeDirCount(m, shape, rig.numVertices);
    return 3 * K; // a "row" is one whole vertex
  }, (data, first) => {
    for (let i = 0; i * 3 * K < data.length; i++) onVertex(first + i, data, i * 3 * K, K);
  });
  return shapeJointBoundsFrom(rig, pass);
}

/** Pure core: two passes over the vertices' rows of a (V, 3, K) shapedirs. */
export function shapeJointBoundsFrom(rig: Rig, rows: VertexRows): ShapeJointBounds {
  const J = rig.parents.length;
  const byVertex = transpose(rig.jRegressor);
  let jointDirs = new Float64Array(0), cols: Int32Array | null = null, numShapeDirs = 0, numExprDirs = 0;
  rows((v, data, at, K) => {
    if (!cols) {
      const split = componentSplit(K);
      ({ numShapeDirs, numExprDirs } = split);
      cols = Int32Array.from({ length: numShapeDirs + numExprDirs }, (_, c) => (c < numShapeDirs ? c : split.exprStart + c - numShapeDirs));
      jointDirs = new Float64Array(cols.length * J * 3);
    }
    for (let e = byVertex.rowPtr[v]; e < byVertex.rowPtr[v + 1]; e++) {
      const j = byVertex.colIdx[e], w = byVertex.values[e];
      for (let c = 0; c < cols.length; c++) {
        for (let x = 0; x < 3; x++) jointDirs[(c * J + j) * 3 + x] += w * data[at + x * K + cols[c]];
      }
    }
  });
  const growth = growthOf(rig, jointDirs, cols ?? new Int32Array(0), rows);
  return { numShapeDirs, numExprDirs, jointDirs, growth };
}

/**
 * Second pass: per vertex and component, Σ_j |w_vj| (how much the component
 * moves the vertex relative to j's anchor + lengthens the bones from the
 * anchor to the sphere joint); the max over each sphere joint's vertices.
 */
function growthOf(rig: Rig, jointDirs: Float64Array, cols: Int32Array, rows: VertexRows): Float64Array {
  const J = rig.parents.length, C = cols.length;
  const { parents, weights } = rig;
  // Joint-major copies ([joint][component]), so the per-vertex loop below runs along memory.
  const dirs = new Float64Array(C * J * 3);
  for (let c = 0; c < C; c++) for (let j = 0; j < J; j++) for (let x = 0; x < 3; x++) dirs[(j * C + c) * 3 + x] = jointDirs[(c * J + j) * 3 + x];
  const boneDir = new Float64Array(C * J); // Σ from the root of how much each component lengthens each bone
  const bone = (j: number, c: number) => {
    const q = (j * C + c) * 3, r = (parents[j] * C + c) * 3;
    return Math.hypot(dirs[q] - dirs[r], dirs[q + 1] - dirs[r + 1], dirs[q + 2] - dirs[r + 2]);
  };
  for (let j = 0; j < J; j++) for (let c = 0; c < C; c++) boneDir[j * C + c] = parents[j] < 0 ? 0 : boneDir[parents[j] * C + c] + bone(j, c);
  const paths = treePaths(parents);
  const dominant = dominantJoints(weights);
  const growth = new Float64Array(C * J);
  const acc = new Float64Array(C), own = new Float64Array(3 * C);
  rows((v, data, at, K) => {
    const k = dominant[v];
    if (k < 0) return;
    acc.fill(0);
    for (let x = 0; x < 3; x++) for (let c = 0; c < C; c++) own[x * C + c] = data[at + x * K + cols[c]];
    for (let e = weights.rowPtr[v]; e < weights.rowPtr[v + 1]; e++) {
      // As framing-skeleton.ts bounds it: the offset from the anchor joint a, then the bones from a to k.
      const w = Math.abs(weights.values[e]), a = paths.anchor(weights.colIdx[e], k), m = paths.meet(a, k);
      const qa = a * C, qk = k * C, qm = m * C;
      for (let c = 0; c < C; c++) {
        const q = (qa + c) * 3;
        const dx = own[c] - dirs[q], dy = own[C + c] - dirs[q + 1], dz = own[2 * C + c] - dirs[q + 2];
        acc[c] += w * (Math.sqrt(dx * dx + dy * dy + dz * dz) + boneDir[qa + c] + boneDir[qk + c] - 2 * boneDir[qm + c]);
      }
    }
    for (let c = 0; c < C; c++) if (acc[c] > growth[c * J + k]) growth[c * J + k] = acc[c];
  });
  return growth;
}

/** (rows × cols) CSR → (cols × rows) CSR. */
function transpose(a: CsrMatrix): CsrMatrix {
  const rowPtr = new Int32Array(a.cols + 1);
  for (let e = 0; e < a.rowPtr[a.rows]; e++) rowPtr[a.colIdx[e] + 1]++;
  for (let c = 0; c < a.cols; c++) rowPtr[c + 1] += rowPtr[c];
  const fill = rowPtr.slice(0, a.cols);
  const colIdx = new Int32Array(a.colIdx.length), values = new Float64Array(a.values.length);
  for (let r = 0; r < a.rows; r++) {
    for (let e = a.rowPtr[r]; e < a.rowPtr[r + 1]; e++) {
      const at = fill[a.colIdx[e]]++;
      colIdx[at] = r; values[at] = a.values[e];
    }
  }
  return { rows: a.cols, cols: a.rows, rowPtr, colIdx, values };
}
