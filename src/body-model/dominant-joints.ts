/**
 * Each vertex's sphere joint in the framing skeleton: the joint of its
 * largest skinning weight (the first of equal ones), −1 for a vertex bound
 * to no joint (the loader refuses those).
 */
import type { CsrMatrix } from './body-model.js';

export function dominantJoints(weights: CsrMatrix): Int32Array {
  const out = new Int32Array(weights.rows).fill(-1);
  for (let v = 0; v < weights.rows; v++) {
    let best = -Infinity;
    for (let e = weights.rowPtr[v]; e < weights.rowPtr[v + 1]; e++) {
      if (weights.values[e] > best) { best = weights.values[e]; out[v] = weights.colIdx[e]; }
    }
  }
  return out;
}
