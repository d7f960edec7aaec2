/**
 * Paths in the kinematic tree (pure): the joints between two joints, so a
 * per-bone quantity (a bone's length, how much a shape component can change
 * it) can be summed along the path that links two joints.
 */

export interface TreePaths {
  /** Lowest common ancestor of a and b. */
  meet(a: number, b: number): number;
  /**
   * Where joint j's transform of a vertex is best measured from when bounding
   * its distance to joint k: j's child on the way to k when j is an ancestor
   * of k (j's rotation also carries that bone, so R_j (v − J_j) + J'_j − J'_k
   * = R_j (v − J_child) + J'_child − J'_k), else j itself.
   */
  anchor(j: number, k: number): number;
  /**
   * Σ over the bones on the path a…b of a per-bone value (bone j links j to
   * its parent), given `fromRoot` = that sum from the root to each joint.
   */
  along(fromRoot: ArrayLike<number>, a: number, b: number): number;
}

/** Parents must precede children (as forward kinematics needs). */
export function treePaths(parents: ArrayLike<number>): TreePaths {
  const J = parents.length;
  const depth = new Int32Array(J);
  for (let j = 0; j < J; j++) depth[j] = parents[j] < 0 ? 0 : depth[parents[j]] + 1;
  const meet = (a: number, b: number) => {
    let x = a, y = b;
    while (x !== y) { if (depth[x] >= depth[y]) x = parents[x]; else y = parents[y]; }
    return x;
  };
  const anchor = (j: number, k: number) => {
    if (j === k) return j;
    let c = k;
    while (c >= 0 && parents[c] !== j) c = parents[c];
    return c >= 0 ? c : j;
  };
  return {
    meet,
    anchor,
    along: (fromRoot, a, b) => fromRoot[a] + fromRoot[b] - 2 * fromRoot[meet(a, b)],
  };
}

/** Σ of `bone` from the root down to each joint (root: 0). */
export function sumFromRoot(parents: ArrayLike<number>, bone: (j: number) => number, out = new Float64Array(parents.length), at = 0): Float64Array {
  for (let j = 0; j < parents.length; j++) out[at + j] = parents[j] < 0 ? 0 : out[at + parents[j]] + bone(j);
  return out;
}
