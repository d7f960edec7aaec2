/** Shared body-model test fixtures: a tiny random model, params, the demo body. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NpyInput } from '../../src/npz/write-npz.js';
import { NUM_JOINTS, NUM_POSE_FEATURES, SMPLX_PARENTS } from '../../src/body-model/body-model.js';
import type { PersonParams } from '../../src/types.js';

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'br-body-'));

import { mulberry32 } from '../../src/util/mulberry32.js';
import { repoRoot } from '../helpers/paths.js';
import { runNumpy } from '../helpers/python.js';

export const rng = mulberry32;

/**
 * Arrays of a small, valid SMPL-X-layout model with V vertices and K shape
 * components, keyed as in SMPLX_NEUTRAL.npz.
 */
export function tinyModelArrays(V = 60, K = 20, seed = 1): Record<string, NpyInput> {
  const r = rng(seed);
  const vt = Array.from({ length: V * 3 }, () => r() - 0.5);
  const f = Array.from({ length: 4 * 3 }, (_, i) => i % V);
  const jr = new Float64Array(NUM_JOINTS * V);
  for (let j = 0; j < NUM_JOINTS; j++) { jr[j * V + (j % V)] = 0.5; jr[j * V + ((j * 7 + 3) % V)] += 0.5; }
  const w = new Float64Array(V * NUM_JOINTS);
  for (let v = 0; v < V; v++) { w[v * NUM_JOINTS + (v % NUM_JOINTS)] = 0.7; w[v * NUM_JOINTS + ((v * 3 + 1) % NUM_JOINTS)] += 0.3; }
  return {
    v_template: { dtype: 'f8', shape: [V, 3], data: vt },
    f: { dtype: 'i4', shape: [4, 3], data: f },
    shapedirs: { dtype: 'f8', shape: [V, 3, K], data: Array.from({ length: V * 3 * K }, () => (r() - 0.5) * 0.1) },
    posedirs: { dtype: 'f4', shape: [V, 3, NUM_POSE_FEATURES], data: Array.from({ length: V * 3 * NUM_POSE_FEATURES }, () => (r() - 0.5) * 0.01) },
    J_regressor: { dtype: 'f8', shape: [NUM_JOINTS, V], data: jr },
    weights: { dtype: 'f8', shape: [V, NUM_JOINTS], data: w },
    kintree_table: {
      dtype: 'i8', shape: [2, NUM_JOINTS],
      data: [...SMPLX_PARENTS.map((p) => (p < 0 ? 4294967295 : p)), ...SMPLX_PARENTS.map((_, j) => j)],
    },
    hands_meanl: { dtype: 'f8', shape: [45], data: Array.from({ length: 45 }, () => (r() - 0.5) * 0.4) },
    hands_meanr: { dtype: 'f8', shape: [45], data: Array.from({ length: 45 }, () => (r() - 0.5) * 0.4) },
  };
}

/** Zero pose, zero shape, the given camera translation. */
export function zeroParams(camTrans: [number, number, number] = [0, 0, 0]): PersonParams {
  return {
    personId: 0,
    rootPose: new Float64Array(3),
    bodyPose: new Float64Array(63),
    lhandPose: new Float64Array(45),
    rhandPose: new Float64Array(45),
    jawPose: new Float64Array(3),
    betas: new Float64Array(10),
    expr: new Float64Array(10),
    camTrans: Float64Array.from(camTrans),
  };
}

/** A random but plausible pose (±0.5 rad per axis), betas and expression. */
export function randomParams(seed: number): PersonParams {
  const r = rng(seed);
  const arr = (n: number, s: number) => Float64Array.from({ length: n }, () => (r() * 2 - 1) * s);
  return {
    personId: 0,
    rootPose: Float64Array.of(Math.PI - 0.2 + r() * 0.4, r() * 0.4 - 0.2, r() * 0.2),
    bodyPose: arr(63, 0.5),
    lhandPose: arr(45, 0.5),
    rhandPose: arr(45, 0.5),
    jawPose: arr(3, 0.3),
    betas: arr(10, 2),
    expr: arr(10, 2),
    camTrans: Float64Array.of(r() - 0.5, r() - 0.5, 4 + r()),
  };
}

export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** A model written by numpy (test/body-model/numpy_model.py), broken as `variant` says. */
export function numpyModel(variant = 'ok'): string {
  const path = join(tmp(), `SMPLX_${variant}.npz`);
  runNumpy([resolve(repoRoot, 'test', 'body-model', 'numpy_model.py'), path, variant]);
  return path;
}
