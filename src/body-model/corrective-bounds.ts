/**
 * How far pose correctives can move a framing sphere's vertices, from
 * posedirs: a vertex moves by posedirs_v · feature, feature = (R_i − I) of
 * joints 1..54, so by at most Σ_i ‖posedirs_v,i‖_F · ‖R_i − I‖_F (block i:
 * the vertex's 3 × 9 rows for joint i). Per sphere joint k and driving joint
 * i the loader keeps Q_ki = max over k's vertices of Σ_j |w_vj| · ‖posedirs_v,i‖_F
 * (the share of the move the skinning carries); the poser multiplies by each
 * person's ‖R_i − I‖_F. Streamed one vertex at a time, never held whole.
 */
import { NUM_POSE_FEATURES } from './body-model.js';
import type { ModelReader, Rig } from './load-body-model.js';
import type { NumericArray } from '../npz/parse-npy.js';

/** (J × J) Q[k·J + i], metres per unit ‖R_i − I‖_F; column 0 (the root drives no corrective) is 0. */
export type CorrectiveBounds = Float64Array;

export function readCorrectiveBounds(m: ModelReader, rig: Rig, dominant: Int32Array): CorrectiveBounds {
  const V = rig.numVertices, P = NUM_POSE_FEATURES;
  const out = new Float64Array(rig.parents.length * rig.parents.length);
  m.chunks('posedirs', (shape) => {
    m.expectShape('posedirs', shape, [V, 3, P], `(${V},3,${P})`);
    return 3 * P; // a "row" is one whole vertex
  }, (data, first) => {
    for (let i = 0; i * 3 * P < data.length; i++) addVertex(rig, dominant, first + i, data, i * 3 * P, out);
  });
  return out;
}

/** Pure core for one vertex: rows[at + x·486 + 9(i−1) + q] is feature q of joint i, coordinate x. */
export function addVertex(rig: Rig, dominant: Int32Array, v: number, rows: NumericArray, at: number, out: Float64Array): void {
  const J = rig.parents.length, P = NUM_POSE_FEATURES, k = dominant[v];
  if (k < 0) return;
  let carried = 0;
  for (let e = rig.weights.rowPtr[v]; e < rig.weights.rowPtr[v + 1]; e++) carried += Math.abs(rig.weights.values[e]);
  for (let i = 1; i < J; i++) {
    let f2 = 0;
    for (let x = 0; x < 3; x++) {
      const s = at + x * P + (i - 1) * 9;
      for (let q = 0; q < 9; q++) f2 += rows[s + q] * rows[s + q];
    }
    const b = carried * Math.sqrt(f2);
    if (b > out[k * J + i]) out[k * J + i] = b;
  }
}

/** ‖R_i − I‖_F of each joint (rots: J × 9 row-major), into out. */
export function rotationDistances(rots: Float64Array, J: number, out: Float64Array): void {
  for (let i = 0; i < J; i++) {
    let s = 0;
    for (let q = 0; q < 9; q++) { const d = rots[i * 9 + q] - (q % 4 === 0 ? 1 : 0); s += d * d; }
    out[i] = Math.sqrt(s);
  }
}
