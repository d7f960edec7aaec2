/**
 * A light stand-in for the body model that bounds where a posed body can be,
 * without computing its mesh: per joint, a sphere that holds every vertex
 * skinned mainly to it. Posing the 55 joints of a person (its shaped joints
 * regressed exactly, then forward kinematics: microseconds) gives 55 spheres
 * that contain the posed mesh, so one stable camera can frame a whole
 * sequence tightly.
 *
 * Bound for vertex v dominated by joint k, with LBS p(v) = Σ_j w_vj (R_j (v' − J_j) + J'_j)
 * and the sphere centred at C = J'_k + R_k o (o fixed in k's frame):
 *   |p(v) − C| ≤ Σ_j |w_vj| |R_j (v' − J_j) + J'_j − J'_k − R_k o| + |Σ_j w_vj − 1|·|C|,
 * each term bounded through rest distances and bone-path lengths (bones are
 * rigid under LBS), see sphereTerms; o minimises the largest bound. The
 * joints are the person's own, so shape and expression only enter through
 * how far they move a vertex relative to its joints and how much they
 * lengthen the bones between (shape-joint-bounds.ts): linear in |coefficient|.
 * Pose correctives (v' = shaped vertex + posedirs · feature) get a fixed slack.
 */
import type { PersonParams } from '../types.js';
import { assembleFullPose } from './full-pose.js';
import { poseRotations, regressJoints, rigidTransforms } from './lbs.js';
import { openModel, readRig, type Rig } from './load-body-model.js';
import { readShapeJointBounds, type ShapeJointBounds } from './shape-joint-bounds.js';
import { dominantJoints } from './dominant-joints.js';
import { sumFromRoot, treePaths } from './tree-paths.js';
import { emptyTerms, sphereCentre, type SphereTerms } from './sphere-centres.js';

export interface FramingSkeleton {
  parents: Int32Array;
  /** (55*3) rest joints of the template. */
  joints: Float64Array;
  /** (55*3) each sphere's centre in its joint's frame, relative to the joint (posed: J'_k + R_k · centre). */
  centres: Float64Array;
  /** (55) sphere radius for zero shape and expression, corrective slack included. */
  radii: Float64Array;
  /** (55) max |Σ_j w_vj − 1| over the joint's vertices: the share of |J'_k| a radius also needs (0 for a model whose weights sum to 1). */
  weightDefect: Float64Array;
  /** How shape and expression move the joints and grow the radii. */
  shape: ShapeJointBounds;
  handsMeanLeft: Float64Array;
  handsMeanRight: Float64Array;
}

/**
 * Pose correctives move a vertex by up to this many metres: an assumption,
 * not a bound. Measured on the demo body: under 1 cm over its demo sequence,
 * 2.4 cm only with every joint turned up to ±π. Bounds from posedirs itself
 * (worst case per driving joint, or about a reference vertex) came out 3–15×
 * the real move, as the correctives of many joints cancel, and would undo
 * most of the tightening (--framing hands fill 0.64–0.72 instead of 0.89).
 */
export const CORRECTIVE_SLACK = 0.015;

export function framingSkeletonFrom(rig: Rig, shape: ShapeJointBounds): FramingSkeleton {
  const J = rig.parents.length;
  const joints = new Float64Array(J * 3);
  regressJoints(rig.jRegressor, rig.vTemplate, joints);
  const { terms, weightDefect } = sphereTerms(rig, joints);
  const radii = new Float64Array(J), centres = new Float64Array(J * 3);
  for (let k = 0; k < J; k++) {
    const { centre, radius } = sphereCentre(terms[k]);
    radii[k] = radius;
    centres.set(centre, k * 3);
  }
  return { parents: rig.parents, joints, centres, radii, weightDefect, shape, handsMeanLeft: rig.handsMeanLeft, handsMeanRight: rig.handsMeanRight };
}

/**
 * Each joint's bound terms (sphere-centres.ts) at the rest shape, from the
 * three ways joint j's transform of vertex v relates to v's sphere joint k
 * (T = R_j (v − J_j) + J'_j − J'_k, minus the centre R_k o):
 *   j = k:                 |v − J_k − o|
 *   k above j (child c1):  |v − J_j| + d(j, c1) + |J_c1 − J_k − o|   (R_k carries the bone k→c1)
 *   otherwise:             |v − J_a| + d(a, k) + |o|                 (a: tree-paths.ts anchor)
 * Every term also holds the corrective slack.
 */
function sphereTerms(rig: Rig, joints: Float64Array): { terms: SphereTerms[]; weightDefect: Float64Array } {
  const { vTemplate: vt, weights, parents } = rig;
  const J = parents.length;
  const dist = (a: number, b: number) => Math.hypot(joints[a * 3] - joints[b * 3], joints[a * 3 + 1] - joints[b * 3 + 1], joints[a * 3 + 2] - joints[b * 3 + 2]);
  const toVertex = (v: number, a: number) => Math.hypot(vt[v * 3] - joints[a * 3], vt[v * 3 + 1] - joints[a * 3 + 1], vt[v * 3 + 2] - joints[a * 3 + 2]);
  const reach = sumFromRoot(parents, (j) => dist(j, parents[j]));
  const paths = treePaths(parents);
  const dominant = dominantJoints(weights);
  const terms = Array.from({ length: J }, emptyTerms), weightDefect = new Float64Array(J);
  for (let v = 0; v < weights.rows; v++) {
    const k = dominant[v];
    if (k < 0) continue;
    const t = terms[k];
    let sum = 0;
    for (let e = weights.rowPtr[v]; e < weights.rowPtr[v + 1]; e++) {
      const j = weights.colIdx[e], below = paths.anchor(k, j);
      t.w.push(Math.abs(weights.values[e]));
      sum += weights.values[e];
      if (j === k) {
        t.c.push(CORRECTIVE_SLACK);
        t.p.push(vt[v * 3] - joints[k * 3], vt[v * 3 + 1] - joints[k * 3 + 1], vt[v * 3 + 2] - joints[k * 3 + 2]);
      } else if (below !== k) {
        t.c.push(toVertex(v, j) + paths.along(reach, j, below) + CORRECTIVE_SLACK);
        t.p.push(joints[below * 3] - joints[k * 3], joints[below * 3 + 1] - joints[k * 3 + 1], joints[below * 3 + 2] - joints[k * 3 + 2]);
      } else {
        const a = paths.anchor(j, k);
        t.c.push(toVertex(v, a) + paths.along(reach, a, k) + CORRECTIVE_SLACK);
        t.p.push(0, 0, 0);
      }
    }
    t.start.push(t.w.length);
    weightDefect[k] = Math.max(weightDefect[k], Math.abs(sum - 1));
  }
  return { terms, weightDefect };
}

/** Reads only the rig and shapedirs (v_template, J_regressor, weights, kintree_table, hand means, shapedirs), checked like the full model. */
export function loadFramingSkeleton(path: string): FramingSkeleton {
  const m = openModel(path);
  try {
    const rig = readRig(m);
    return framingSkeletonFrom(rig, readShapeJointBounds(m, rig));
  } finally {
    m.close();
  }
}

/** Scratch for posing, reused across frames. */
export function createPoser(skel: FramingSkeleton, flatHandMean: boolean) {
  const J = skel.parents.length;
  const pose = new Float64Array(J * 3);
  const rots = new Float64Array(J * 9);
  const shaped = new Float64Array(J * 3);
  const radii = new Float64Array(J);
  const posed = new Float64Array(J * 3);
  const rel = new Float64Array(J * 12);
  /** Calls `sphere(x, y, z, r, joint)` for each joint of the posed person, in camera space. */
  return (p: PersonParams, sphere: (x: number, y: number, z: number, r: number, joint: number) => void): void => {
    shapeJoints(skel, p, shaped, radii);
    assembleFullPose(skel, p, flatHandMean, pose);
    poseRotations(pose, J, rots);
    rigidTransforms(rots, shaped, skel.parents, posed, rel);
    const t = p.camTrans;
    const o = skel.centres;
    for (let j = 0; j < J; j++) {
      const g = j * 12, ox = o[j * 3], oy = o[j * 3 + 1], oz = o[j * 3 + 2];
      const x = posed[j * 3] + rel[g] * ox + rel[g + 1] * oy + rel[g + 2] * oz;
      const y = posed[j * 3 + 1] + rel[g + 4] * ox + rel[g + 5] * oy + rel[g + 6] * oz;
      const z = posed[j * 3 + 2] + rel[g + 8] * ox + rel[g + 9] * oy + rel[g + 10] * oz;
      const r = radii[j] + skel.weightDefect[j] * Math.hypot(x, y, z);
      sphere(x + t[0], y + t[1], z + t[2], r, j);
    }
  };
}

/**
 * The person's rest joints (J_regressor · shaped template) and radii before
 * the weight-defect term. Coefficients beyond the model's components are
 * ignored and missing ones are 0, as the full forward pass does.
 */
function shapeJoints(skel: FramingSkeleton, p: PersonParams, joints: Float64Array, radii: Float64Array): void {
  const { numShapeDirs, jointDirs, growth } = skel.shape;
  const J = skel.parents.length;
  joints.set(skel.joints);
  radii.set(skel.radii);
  const add = (coeffs: ArrayLike<number>, count: number, first: number) => {
    for (let i = 0; i < Math.min(coeffs.length, count); i++) {
      const b = coeffs[i];
      if (b === 0) continue;
      const c = first + i, a = Math.abs(b);
      for (let j = 0; j < J; j++) {
        const q = (c * J + j) * 3;
        joints[j * 3] += b * jointDirs[q]; joints[j * 3 + 1] += b * jointDirs[q + 1]; joints[j * 3 + 2] += b * jointDirs[q + 2];
        radii[j] += a * growth[c * J + j];
      }
    }
  };
  add(p.betas, numShapeDirs, 0);
  add(p.expr, skel.shape.numExprDirs, numShapeDirs);
}
