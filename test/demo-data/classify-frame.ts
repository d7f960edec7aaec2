/**
 * A reference classifier written from docs/npz-format.md alone, used to check
 * that demo files fail the way their ground truth says. Not the tool's scanner.
 */
import { existsSync } from 'node:fs';
import type { FrameCheck } from '../../src/types.js';
import { openNpz, type NpzFile } from '../../src/npz/read-npz.js';
import { FrameDataError } from '../../src/errors.js';
import type { NpyArray } from '../../src/npz/parse-npy.js';

export const PERSON_SIZES: Record<string, number> = {
  smplx_root_pose: 3, smplx_body_pose: 63, smplx_lhand_pose: 45, smplx_rhand_pose: 45,
  smplx_jaw_pose: 3, smplx_shape: 10, smplx_expr: 10, cam_trans: 3,
};

export interface Classified {
  check: FrameCheck;
  persons: number;
  npz?: NpzFile;
  arrays: Map<string, NpyArray>;
  error?: unknown;
}

export function classifyFile(path: string): Classified {
  const arrays = new Map<string, NpyArray>();
  if (!existsSync(path)) return { check: 'missing_file', persons: 0, arrays };
  let npz: NpzFile;
  try {
    npz = openNpz(path);
  } catch (error) {
    if (error instanceof FrameDataError) return { check: error.reason, persons: 0, arrays, error };
    throw error;
  }
  try {
    for (const k of npz.keys) arrays.set(k, npz.get(k));
    const ids = arrays.get('person_ids');
    if (!ids) return { check: 'missing_key', persons: 0, npz, arrays };
    const persons = ids.data.length;
    if (persons === 0) return { check: 'no_person', persons, npz, arrays };
    for (const [name, size] of Object.entries(PERSON_SIZES)) {
      const a = arrays.get(`person_0_${name}`);
      if (!a) return { check: 'missing_key', persons, npz, arrays };
      if (Array.isArray(a.data) || a.data.length !== size) return { check: 'invalid_value', persons, npz, arrays };
      for (const x of a.data as Iterable<number>) if (!Number.isFinite(x)) return { check: 'invalid_value', persons, npz, arrays };
    }
    return { check: 'ok', persons, npz, arrays };
  } catch (error) {
    if (error instanceof FrameDataError) return { check: error.reason, persons: 0, npz, arrays, error };
    throw error;
  }
}
