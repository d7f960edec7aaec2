/**
 * Classifies frame files with classify_frame.py: a reference classifier
 * written from docs/npz-format.md alone that reads the files with numpy, so
 * the demo files are checked against neither the tool's scanner nor its NPZ
 * reader. Without python3 + numpy it fails (CI installs numpy).
 */
import { resolve } from 'node:path';
import type { FrameCheck } from '../../src/types.js';
import { repoRoot } from '../helpers/paths.js';
import { runNumpy } from '../helpers/python.js';

export const PERSON_SIZES: Record<string, number> = {
  smplx_root_pose: 3, smplx_body_pose: 63, smplx_lhand_pose: 45, smplx_rhand_pose: 45,
  smplx_jaw_pose: 3, smplx_shape: 10, smplx_expr: 10, cam_trans: 3,
};

/** One array as numpy read it: dtype without byte order ('f4', 'U40'), values flattened (non-finite: null). */
export interface NumpyArray {
  dtype: string;
  shape: number[];
  data: Array<number | string | null>;
}

export interface Classified {
  check: FrameCheck;
  persons: number;
  arrays: Map<string, NumpyArray>;
}

const SCRIPT = resolve(repoRoot, 'test', 'demo-data', 'classify_frame.py');

/** Classifies every path in one python run; the map is keyed by the paths given. */
export function classifyFiles(paths: string[]): Map<string, Classified> {
  const raw = JSON.parse(runNumpy([SCRIPT, ...paths])) as Record<string, { check: FrameCheck; persons: number; arrays: Record<string, NumpyArray> }>;
  return new Map(paths.map((p) => [p, { check: raw[p].check, persons: raw[p].persons, arrays: new Map(Object.entries(raw[p].arrays)) }]));
}
