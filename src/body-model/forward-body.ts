/**
 * One person's SMPL-X parameters → posed mesh in OpenCV camera space, as
 * smplx's SMPLX.forward followed by `+ cam_trans` (OSX's smplx_mesh_cam).
 */
import type { PersonParams } from '../types.js';
import { NUM_POSE_FEATURES, type BodyModel } from './body-model.js';
import { assembleFullPose } from './full-pose.js';
import {
  applyPoseBlend, blendShapes, poseFeature, poseRotations, regressJoints, rigidTransforms, skin,
} from './lbs.js';

export interface ForwardOptions {
  /** true: hand poses are used as given; false (smplx default): hands_mean is added. */
  flatHandMean: boolean;
}

export interface BodyOutput {
  /** (V*3) posed vertices + camTrans, OpenCV camera space, metres. */
  vertices: Float32Array;
  /** (55*3) posed joints + camTrans. */
  joints: Float64Array;
}

/** Per-model work buffers, reused across frames. */
interface Scratch {
  vertices: Float64Array; // (3V) v_shaped, then v_posed
  fullPose: Float64Array; // (55*3)
  rots: Float64Array;     // (55*9)
  feature: Float64Array;  // (486)
  joints: Float64Array;   // (55*3) rest joints
  rel: Float64Array;      // (55*12)
  rowIdx: Int32Array;
}

// A model is only ever used from one thread, and a forward pass runs to
// completion, so one scratch set per model is enough.
const scratchOf = new WeakMap<BodyModel, Scratch>();

function getScratch(model: BodyModel): Scratch {
  let s = scratchOf.get(model);
  if (!s) {
    const J = model.numJoints;
    s = {
      vertices: model.poseKernel?.rows === model.poseDirs ? model.poseKernel.out : new Float64Array(model.numVertices * 3),
      fullPose: new Float64Array(J * 3),
      rots: new Float64Array(J * 9),
      feature: new Float64Array(NUM_POSE_FEATURES),
      joints: new Float64Array(J * 3),
      rel: new Float64Array(J * 12),
      rowIdx: new Int32Array(Math.max(NUM_POSE_FEATURES, model.numShapeDirs, model.numExprDirs)),
    };
    scratchOf.set(model, s);
  }
  return s;
}

/**
 * Posed SMPL-X mesh and joints for one person.
 * @param out optional (V*3) float32 destination for the vertices, reused
 *            across frames; a new array is allocated when omitted.
 */
export function forwardBody(
  model: BodyModel,
  params: PersonParams,
  opts: ForwardOptions,
  out?: Float32Array,
): BodyOutput {
  const n = model.numVertices * 3;
  if (out && out.length !== n) throw new RangeError(`forwardBody: out has ${out.length} floats, model needs ${n}`);
  const vertices = out ?? new Float32Array(n);
  const s = getScratch(model);
  const J = model.numJoints;

  blendShapes(model, params.betas, params.expr, s.vertices, s.rowIdx);
  regressJoints(model.jRegressor, s.vertices, s.joints);
  assembleFullPose(model, params, opts.flatHandMean, s.fullPose);
  poseRotations(s.fullPose, J, s.rots);
  poseFeature(s.rots, J, s.feature);
  applyPoseBlend(model, s.feature, s.vertices, s.rowIdx);

  const joints = new Float64Array(J * 3);
  rigidTransforms(s.rots, s.joints, model.parents, joints, s.rel);
  skin(model.weights, s.rel, s.vertices, params.camTrans, vertices);

  const t = params.camTrans;
  for (let j = 0; j < J; j++) {
    joints[j * 3] += t[0];
    joints[j * 3 + 1] += t[1];
    joints[j * 3 + 2] += t[2];
  }
  return { vertices, joints };
}
