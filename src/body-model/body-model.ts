/**
 * The SMPL-X body model as held in memory: the arrays of an SMPLX_*.npz,
 * re-arranged once at load time for a fast per-frame forward pass.
 * Nothing here assumes a vertex count; only the 55-joint SMPL-X tree is fixed.
 */

import type { WasmRowKernel } from './pose-blend-wasm.js';

/** Joints of SMPL-X: pelvis, 21 body, jaw, 2 eyes, 2 × 15 finger joints. */
export const NUM_JOINTS = 55;
/** Pose-corrective features: (R − I) of the 54 non-root joints, 9 each. */
export const NUM_POSE_FEATURES = (NUM_JOINTS - 1) * 9;
/** Axis-angle values of one hand (15 joints × 3). */
export const HAND_POSE_SIZE = 45;

/** Joint order of SMPL-X (smplx/joint_names.py, first 55). */
export const SMPLX_JOINT_NAMES: readonly string[] = [
  'pelvis', 'left_hip', 'right_hip', 'spine1', 'left_knee', 'right_knee', 'spine2',
  'left_ankle', 'right_ankle', 'spine3', 'left_foot', 'right_foot', 'neck',
  'left_collar', 'right_collar', 'head', 'left_shoulder', 'right_shoulder',
  'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'jaw',
  'left_eye_smplhf', 'right_eye_smplhf',
  ...handJointNames('left'), ...handJointNames('right'),
];

function handJointNames(side: string): string[] {
  // SMPL-X finger order is index, middle, pinky, ring, thumb.
  return ['index', 'middle', 'pinky', 'ring', 'thumb'].flatMap((f) => [1, 2, 3].map((k) => `${side}_${f}${k}`));
}

/** Parent of each joint in SMPL-X's kintree_table (−1: root). */
export const SMPLX_PARENTS: readonly number[] = [
  -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 15, 15, 15,
  20, 25, 26, 20, 28, 29, 20, 31, 32, 20, 34, 35, 20, 37, 38,
  21, 40, 41, 21, 43, 44, 21, 46, 47, 21, 49, 50, 21, 52, 53,
];

/** Compressed sparse rows; every nonzero of the source matrix is kept. */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** (rows + 1) offsets into colIdx/values. */
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

export interface BodyModel {
  /** File name without extension, e.g. "SMPLX_NEUTRAL". */
  readonly name: string;
  readonly path: string;
  readonly numVertices: number;
  readonly numFaces: number;
  readonly numJoints: number;
  /** (F*3) vertex indices. */
  readonly faces: Uint32Array;
  /** (55) parent joint, −1 for the root. */
  readonly parents: Int32Array;
  /** (V*3) rest vertices. */
  readonly vTemplate: Float64Array;
  /** (numShapeDirs × 3V) shape blend shapes, component-major. */
  readonly shapeDirs: Float32Array;
  readonly numShapeDirs: number;
  /** (numExprDirs × 3V) expression blend shapes, component-major. */
  readonly exprDirs: Float32Array;
  readonly numExprDirs: number;
  /** (486 × 3V) pose correctives, feature-major (smplx's transposed posedirs). */
  readonly poseDirs: Float32Array;
  /**
   * WebAssembly SIMD kernel whose memory holds poseDirs (same values, same
   * results, ~2.5× faster); null where WebAssembly SIMD is unavailable.
   */
  readonly poseKernel: WasmRowKernel | null;
  /** (55 × V) joint regressor. */
  readonly jRegressor: CsrMatrix;
  /** (V × 55) skinning weights. */
  readonly weights: CsrMatrix;
  /** (45) mean hand poses, added when hands are not flat. */
  readonly handsMeanLeft: Float64Array;
  readonly handsMeanRight: Float64Array;
}
