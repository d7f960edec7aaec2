/**
 * Writes the demo body as an .npz with the keys, shapes and joint tree of
 * SMPLX_NEUTRAL.npz (its own vertex count), readable by numpy and smplx.
 */
import { endianness } from 'node:os';
import { buildZip, encodeNpy, npyWithHeader } from '../../npz/write-npz.js';
import { writeFileAtomic } from '../../output/write-atomic.js';
import { NUM_JOINTS, NUM_POSE_FEATURES } from '../body-model.js';
import {
  DEMO_EXPR_DIRS, DEMO_SHAPE_DIRS, generateDemoBody, type DemoBodyArrays, type DemoBodyOptions,
} from './generate-demo-body.js';

/** .npz bytes of a generated body, keys and shapes as in SMPLX_NEUTRAL.npz. */
export function encodeDemoBody(b: DemoBodyArrays): Buffer {
  const V = b.numVertices;
  const K = DEMO_SHAPE_DIRS + DEMO_EXPR_DIRS;
  return buildZip([
    ['v_template.npy', fastNpy('f8', [V, 3], b.vTemplate)],
    ['f.npy', fastNpy('u4', [b.numFaces, 3], b.faces)],
    ['shapedirs.npy', fastNpy('f4', [V, 3, K], b.shapedirs)],
    ['posedirs.npy', fastNpy('f4', [V, 3, NUM_POSE_FEATURES], b.posedirs)],
    ['J_regressor.npy', fastNpy('f8', [NUM_JOINTS, V], b.jRegressor)],
    ['weights.npy', fastNpy('f8', [V, NUM_JOINTS], b.weights)],
    ['kintree_table.npy', encodeNpy({ dtype: 'i8', shape: [2, NUM_JOINTS], data: b.kintree })],
    ['hands_meanl.npy', fastNpy('f8', [45], b.handsMeanLeft)],
    ['hands_meanr.npy', fastNpy('f8', [45], b.handsMeanRight)],
  ]);
}

/** Typed array bytes as .npy without a per-element copy (little-endian hosts). */
function fastNpy(dtype: 'f4' | 'f8' | 'u4', shape: number[], data: Float32Array | Float64Array | Uint32Array): Buffer {
  if (endianness() !== 'LE') return encodeNpy({ dtype, shape, data });
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return npyWithHeader(`{'descr': '<${dtype}', 'fortran_order': False, 'shape': ${shapeStr}, }`, body);
}

export function writeDemoBody(path: string, opts: DemoBodyOptions = {}): void {
  writeFileAtomic(path, encodeDemoBody(generateDemoBody(opts)));
}
