/**
 * Where each framing sphere sits in its joint's frame, and its radius there
 * (pure). Vertex v of joint k's set, with LBS weights w_vj, stays within
 *   f_v(o) = Σ_j |w_vj| (c_vj + |p_vj − o|)
 * of the point o attached to joint k (framing-skeleton.ts derives c and p);
 * the sphere's radius is max_v f_v(o). Centred on the joint (o = 0) a palm's
 * sphere reaches as far behind the wrist as the knuckles lie in front; the
 * o that minimises the max (convex) halves such radii.
 */

/** One joint's vertex set: for vertex i, terms t in [start[i], start[i+1]) with weight w[t], constant c[t], point p[3t..3t+2]. */
export interface SphereTerms {
  start: number[];
  w: number[];
  c: number[];
  p: number[];
}

export const emptyTerms = (): SphereTerms => ({ start: [0], w: [], c: [], p: [] });

/** Steps of the minimisation; the radius it returns is exact for the centre it returns. */
const STEPS = 300;

/** f_v(o) for vertex i, and into `grad` its gradient. */
function vertexBound(t: SphereTerms, i: number, o: ArrayLike<number>, grad?: Float64Array): number {
  let f = 0;
  if (grad) grad.fill(0);
  for (let e = t.start[i]; e < t.start[i + 1]; e++) {
    const dx = o[0] - t.p[e * 3], dy = o[1] - t.p[e * 3 + 1], dz = o[2] - t.p[e * 3 + 2];
    const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
    f += t.w[e] * (t.c[e] + d);
    if (grad && d > 0) { grad[0] += (t.w[e] * dx) / d; grad[1] += (t.w[e] * dy) / d; grad[2] += (t.w[e] * dz) / d; }
  }
  return f;
}

/** max_v f_v(o) and the vertex that attains it. */
function radiusAt(t: SphereTerms, o: ArrayLike<number>): { r: number; at: number } {
  let r = 0, at = -1;
  for (let i = 0; i + 1 < t.start.length; i++) {
    const f = vertexBound(t, i, o);
    if (f > r) { r = f; at = i; }
  }
  return { r, at };
}

/** A centre o (near-)minimising the radius, by subgradient steps from o = 0 that shrink; the best one seen. */
export function sphereCentre(t: SphereTerms): { centre: Float64Array; radius: number } {
  const o = new Float64Array(3), best = new Float64Array(3), grad = new Float64Array(3);
  let { r: bestR, at } = radiusAt(t, o);
  const step0 = bestR / 2;
  for (let s = 0; s < STEPS && at >= 0; s++) {
    vertexBound(t, at, o, grad);
    const g = Math.hypot(grad[0], grad[1], grad[2]);
    if (!(g > 0)) break;
    const h = step0 / (1 + s / 8);
    for (let x = 0; x < 3; x++) o[x] -= (h * grad[x]) / g;
    const next = radiusAt(t, o);
    at = next.at;
    if (next.r < bestR) { bestR = next.r; best.set(o); }
  }
  return { centre: best, radius: bestR };
}
