/**
 * How far pose correctives can move a framing sphere's vertices, from
 * posedirs. A vertex moves by P_v · f (P_v: its 3 × 486 posedirs rows,
 * f: the person's (R_i − I) features). Summing worst cases joint by joint is
 * many times the real move (correctives of many joints cancel), so per
 * sphere joint k one of its vertices' P is kept as a reference P̄_k and
 *   |P_v f| ≤ |P̄_k f| + ‖P_v − P̄_k‖_F · |f|:
 * the poser applies P̄_k to each person's f exactly (55 × 3 × 486 products),
 * and only how much k's vertices' correctives differ from the reference,
 * small for a joint's nearby vertices, is bounded. Streamed one vertex at a
 * time (posedirs is never held whole).
 */
import { NUM_POSE_FEATURES } from './body-model.js';
import type { ModelReader, Rig } from './load-body-model.js';
import type { NumericArray } from '../npz/parse-npy.js';

export interface CorrectiveBounds {
  /** (J × 3 × 486) each sphere's reference rows P̄_k (0 for a joint without vertices). */
  reference: Float64Array;
  /** (J) max over k's vertices of Σ_j |w_vj|: the share of a vertex's move its skinning carries. */
  carried: Float64Array;
  /** (J) max over k's vertices of Σ_j |w_vj| · ‖P_v − P̄_k‖_F, metres per unit |f|. */
  spread: Float64Array;
}

export function readCorrectiveBounds(m: ModelReader, rig: Rig, dominant: Int32Array): CorrectiveBounds {
  const V = rig.numVertices, P = NUM_POSE_FEATURES;
  const b = emptyBounds(rig.parents.length);
  m.chunks('posedirs', (shape) => {
    m.expectShape('posedirs', shape, [V, 3, P], `(${V},3,${P})`);
    return 3 * P; // a "row" is one whole vertex
  }, (data, first) => {
    for (let i = 0; i * 3 * P < data.length; i++) addVertex(rig, dominant, first + i, data, i * 3 * P, b);
  });
  return b;
}

export function emptyBounds(J: number): CorrectiveBounds {
  return { reference: new Float64Array(J * 3 * NUM_POSE_FEATURES), carried: new Float64Array(J).fill(-1), spread: new Float64Array(J) };
}

/** One vertex (rows[at + x·486 + p]: feature p, coordinate x), in order; the first vertex of a joint becomes its reference. */
export function addVertex(rig: Rig, dominant: Int32Array, v: number, rows: NumericArray, at: number, b: CorrectiveBounds): void {
  const n = 3 * NUM_POSE_FEATURES, k = dominant[v];
  if (k < 0) return;
  let carried = 0;
  for (let e = rig.weights.rowPtr[v]; e < rig.weights.rowPtr[v + 1]; e++) carried += Math.abs(rig.weights.values[e]);
  const ref = k * n;
  if (b.carried[k] < 0) for (let q = 0; q < n; q++) b.reference[ref + q] = rows[at + q];
  let d2 = 0;
  for (let q = 0; q < n; q++) { const d = rows[at + q] - b.reference[ref + q]; d2 += d * d; }
  b.carried[k] = Math.max(b.carried[k], carried);
  b.spread[k] = Math.max(b.spread[k], carried * Math.sqrt(d2));
}

/**
 * Adds to each radius the bound on how far correctives move its vertices for
 * these pose features (486): carried_k · |P̄_k f| + spread_k · |f|.
 */
export function addCorrectives(b: CorrectiveBounds, feature: Float64Array, radii: Float64Array): void {
  const P = NUM_POSE_FEATURES;
  let f2 = 0;
  for (let p = 0; p < P; p++) f2 += feature[p] * feature[p];
  const norm = Math.sqrt(f2);
  for (let k = 0; k < radii.length; k++) {
    if (b.carried[k] < 0) continue;
    let m2 = 0;
    for (let x = 0; x < 3; x++) {
      const row = (k * 3 + x) * P;
      let s = 0;
      for (let p = 0; p < P; p++) s += b.reference[row + p] * feature[p];
      m2 += s * s;
    }
    radii[k] += b.carried[k] * Math.sqrt(m2) + b.spread[k] * norm;
  }
}
