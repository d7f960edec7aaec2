/**
 * Loads an SMPL-X model file (SMPLX_*.npz, or the generated demo body) with
 * our strict NPZ reader. Only the arrays the forward pass needs are parsed:
 * real files also hold pickled entries (joint2num, part2num, allow_pickle),
 * which are never touched. Every problem is one configError line naming the
 * file and the problem.
 */
import { basename, extname } from 'node:path';
import { configError } from '../errors.js';
import { openNpzLazy, MODEL_ENTRY_LIMIT, type NpzFile } from '../npz/read-npz.js';
import type { NpyArray, NumericArray } from '../npz/parse-npy.js';
import {
  HAND_POSE_SIZE, NUM_JOINTS, NUM_POSE_FEATURES, type BodyModel, type CsrMatrix,
} from './body-model.js';
import { createWasmRowKernel } from './pose-blend-wasm.js';

const REQUIRED_KEYS = [
  'v_template', 'f', 'shapedirs', 'posedirs', 'J_regressor', 'weights', 'kintree_table',
  'hands_meanl', 'hands_meanr',
] as const;

/** smplx SMPLX: 300 shape + 100 expression components when the file has them. */
const SHAPE_SPACE_DIM = 300;
const EXPRESSION_SPACE_DIM = 100;
/** smplx's fallback for older files: 10 shape, then 10 expression components. */
const SMALL_SPACE_DIM = 10;

/** Piece size when streaming the large arrays (a multiple of a row is taken). */
const CHUNK_BYTES = 4 * 1024 * 1024;

export interface LoadOptions {
  /**
   * Keep at most this many shape / expression components. A run passes the
   * longest betas / expr vector of its sequence: results are identical, and a
   * worker does not hold 300 unused SMPL-X shape directions (38 MB).
   */
  maxShapeDirs?: number;
  maxExprDirs?: number;
}

/**
 * A model file opened for reading, with accessors that check every array and
 * name the file and the problem in one configError line.
 */
export interface ModelReader {
  readonly npz: NpzFile;
  fail(problem: string, cause?: unknown): Error;
  /** A numeric array, all values finite. */
  get(key: string): { shape: number[]; data: NumericArray };
  /** Streams a (rows × cols) array: onHeader checks the shape and returns cols; onRows gets whole rows. */
  chunks(key: string, onHeader: (shape: number[]) => number, onRows: (data: NumericArray, firstRow: number) => void): void;
  expectShape(key: string, shape: number[], want: Array<number | null>, wantText: string): void;
  close(): void;
}

export function openModel(path: string): ModelReader {
  const fail = (problem: string, cause?: unknown) => configError(`body model ${path}: ${problem}`, cause);
  let npz: NpzFile & { close(): void };
  try {
    npz = openNpzLazy(path, MODEL_ENTRY_LIMIT);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail('file not found', err);
    if (code === 'EISDIR') throw fail('is a directory, expected an .npz file', err);
    throw fail(`cannot be read as .npz (${(err as Error).message})`, err);
  }
  return {
    npz,
    fail,
    get(key) {
      if (!npz.has(key)) throw fail(`missing key '${key}'`);
      let arr: NpyArray;
      try {
        arr = npz.get(key);
      } catch (err) {
        throw fail(`bad array '${key}' (${(err as Error).message})`, err);
      }
      if (Array.isArray(arr.data)) throw fail(`'${key}' holds strings (${arr.dtype}), expected numbers`);
      const data = arr.data as NumericArray;
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i])) throw fail(`'${key}' holds a non-finite value at index ${i}`);
      }
      return { shape: arr.shape, data };
    },
    chunks(key, onHeader, onRows) {
      if (!npz.has(key)) throw fail(`missing key '${key}'`);
      let cols = 1;
      try {
        npz.forEachChunk(key, 0, CHUNK_BYTES, (_dtype, shape) => {
          cols = onHeader(shape);
          return cols;
        }, (data, firstElement) => {
          for (let i = 0; i < data.length; i++) {
            if (!Number.isFinite(data[i])) throw fail(`'${key}' holds a non-finite value at index ${firstElement + i}`);
          }
          onRows(data, firstElement / cols);
        });
      } catch (err) {
        if (err instanceof Error && err.name === 'BatchRenderError') throw err;
        throw fail(`bad array '${key}' (${(err as Error).message})`, err);
      }
    },
    expectShape(key, shape, want, wantText) {
      const ok = shape.length === want.length && want.every((w, i) => w === null || shape[i] === w);
      if (!ok) throw fail(`'${key}' has shape (${shape.join(',')}), expected ${wantText}`);
    },
    close: () => npz.close(),
  };
}

/** The rest shape and skeleton: what both the full model and the framing skeleton need. */
export interface Rig {
  numVertices: number;
  vTemplate: Float64Array;
  jRegressor: CsrMatrix;
  weights: CsrMatrix;
  parents: Int32Array;
  handsMeanLeft: Float64Array;
  handsMeanRight: Float64Array;
}

export function readRig(m: ModelReader): Rig {
  const vt = m.get('v_template');
  if (vt.shape.length !== 2 || vt.shape[1] !== 3 || vt.shape[0] < 1) {
    throw m.fail(`'v_template' has shape (${vt.shape.join(',')}), expected (V,3)`);
  }
  const V = vt.shape[0];

  const jr = m.get('J_regressor');
  m.expectShape('J_regressor', jr.shape, [NUM_JOINTS, V], `(${NUM_JOINTS},${V})`);
  const w = m.get('weights');
  m.expectShape('weights', w.shape, [V, NUM_JOINTS], `(${V},${NUM_JOINTS})`);
  for (let v = 0; v < V; v++) {
    // A vertex bound to no joint would be skinned to the camera origin.
    let any = false;
    for (let j = 0; j < NUM_JOINTS && !any; j++) any = w.data[v * NUM_JOINTS + j] !== 0;
    if (!any) throw m.fail(`'weights' row ${v} is all zero: vertex ${v} follows no joint`);
  }

  const kt = m.get('kintree_table');
  m.expectShape('kintree_table', kt.shape, [2, NUM_JOINTS], `(2,${NUM_JOINTS})`);
  const parents = new Int32Array(NUM_JOINTS);
  parents[0] = -1; // stored as -1 or as uint32 4294967295; smplx overwrites it too
  for (let j = 1; j < NUM_JOINTS; j++) {
    const p = kt.data[j];
    // Forward kinematics walks joints in order, so a parent must come first.
    if (!Number.isInteger(p) || p < 0 || p >= j) throw m.fail(`'kintree_table' gives joint ${j} the parent ${p}, expected one of 0..${j - 1}`);
    parents[j] = p;
  }

  const hands = (key: string) => {
    const h = m.get(key);
    if (h.data.length !== HAND_POSE_SIZE) throw m.fail(`'${key}' has shape (${h.shape.join(',')}), expected (${HAND_POSE_SIZE},)`);
    return Float64Array.from(h.data);
  };
  return {
    numVertices: V,
    vTemplate: Float64Array.from(vt.data),
    jRegressor: toCsr(jr.data, NUM_JOINTS, V),
    weights: toCsr(w.data, V, NUM_JOINTS),
    parents,
    handsMeanLeft: hands('hands_meanl'),
    handsMeanRight: hands('hands_meanr'),
  };
}

export function loadBodyModel(path: string, opts: LoadOptions = {}): BodyModel {
  const m = openModel(path);
  try {
    for (const k of REQUIRED_KEYS) if (!m.npz.has(k)) throw m.fail(`missing key '${k}'`);
    const rig = readRig(m);
    const V = rig.numVertices;

    const f = m.get('f');
    m.expectShape('f', f.shape, [null, 3], '(F,3)');
    if (f.shape[0] < 1) throw m.fail(`'f' holds no faces, nothing to draw`);
    const faces = new Uint32Array(f.data.length);
    for (let i = 0; i < faces.length; i++) {
      const x = f.data[i];
      if (!Number.isInteger(x) || x < 0 || x >= V) throw m.fail(`'f' holds vertex index ${x}, outside 0..${V - 1}`);
      faces[i] = x;
    }

    // The two big arrays are read in pieces straight into their final,
    // component-major layout: loading never holds a whole 60–120 MB entry.
    let K = 0, numShapeDirs = 0, numExprDirs = 0, exprStart = 0;
    let shapeDirs = new Float32Array(0), exprDirs = new Float32Array(0);
    m.chunks('shapedirs', (shape) => {
      // smplx accepts (V,3) as a single component.
      K = shapeDirCount(m, shape, V);
      ({ exprStart, numShapeDirs, numExprDirs } = componentSplit(K, opts));
      shapeDirs = new Float32Array(numShapeDirs * V * 3);
      exprDirs = new Float32Array(numExprDirs * V * 3);
      return K;
    }, (data, firstRow) => {
      componentMajorRows(data, firstRow, V * 3, K, 0, numShapeDirs, shapeDirs);
      componentMajorRows(data, firstRow, V * 3, K, exprStart, numExprDirs, exprDirs);
    });

    // posedirs go straight into the SIMD kernel's memory when there is one.
    const poseKernel = createWasmRowKernel(NUM_POSE_FEATURES, V * 3);
    const poseDirs = poseKernel?.rows ?? new Float32Array(NUM_POSE_FEATURES * V * 3);
    m.chunks('posedirs', (shape) => {
      m.expectShape('posedirs', shape, [V, 3, NUM_POSE_FEATURES], `(${V},3,${NUM_POSE_FEATURES})`);
      return NUM_POSE_FEATURES;
    }, (data, firstRow) => componentMajorRows(data, firstRow, V * 3, NUM_POSE_FEATURES, 0, NUM_POSE_FEATURES, poseDirs));

    return {
      name: basename(path, extname(path)),
      path,
      numVertices: V,
      numFaces: faces.length / 3,
      numJoints: NUM_JOINTS,
      faces,
      parents: rig.parents,
      vTemplate: rig.vTemplate,
      shapeDirs,
      numShapeDirs,
      exprDirs,
      numExprDirs,
      poseDirs,
      poseKernel,
      jRegressor: rig.jRegressor,
      weights: rig.weights,
      handsMeanLeft: rig.handsMeanLeft,
      handsMeanRight: rig.handsMeanRight,
    };
  } finally {
    m.close();
  }
}

/** Which of shapedirs' K components are shape and which expression (smplx's split), at most as many as `opts` keep. */
export function componentSplit(K: number, opts: LoadOptions = {}): { exprStart: number; numShapeDirs: number; numExprDirs: number } {
  const full = K >= SHAPE_SPACE_DIM + EXPRESSION_SPACE_DIM;
  const exprStart = full ? SHAPE_SPACE_DIM : SMALL_SPACE_DIM;
  return {
    exprStart,
    numShapeDirs: Math.min(K, exprStart, opts.maxShapeDirs ?? Infinity),
    numExprDirs: Math.min(opts.maxExprDirs ?? Infinity,
      Math.max(0, Math.min(K, exprStart + (full ? EXPRESSION_SPACE_DIM : SMALL_SPACE_DIM)) - exprStart)),
  };
}

/** Shape (V,3) or (V,3,K) of 'shapedirs' checked as smplx accepts it; returns K. */
export function shapeDirCount(m: ModelReader, shape: number[], V: number): number {
  const K = shape.length === 2 ? 1 : shape[2];
  if (!(shape.length === 2 || shape.length === 3) || shape[0] !== V || shape[1] !== 3 || !(K >= 1)) {
    throw m.fail(`'shapedirs' has shape (${shape.join(',')}), expected (${V},3,K)`);
  }
  return K;
}

/**
 * For a piece of a (rows × cols) C-order source holding whole rows from
 * `firstRow` on: writes those rows' columns [start, start+count) into `out`
 * ((count × rows), one contiguous row per component).
 */
function componentMajorRows(
  src: NumericArray, firstRow: number, rows: number, cols: number, start: number, count: number, out: Float32Array,
): void {
  const n = Math.floor(src.length / cols);
  for (let r = 0; r < n; r++) {
    const s = r * cols + start;
    const row = firstRow + r;
    for (let c = 0; c < count; c++) out[c * rows + row] = src[s + c];
  }
}

/** Dense (rows × cols) → CSR, keeping every nonzero. */
export function toCsr(src: ArrayLike<number>, rows: number, cols: number): CsrMatrix {
  let nnz = 0;
  for (let i = 0; i < rows * cols; i++) if (src[i] !== 0) nnz++;
  const rowPtr = new Int32Array(rows + 1);
  const colIdx = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = e;
    for (let c = 0; c < cols; c++) {
      const x = src[r * cols + c];
      if (x !== 0) { colIdx[e] = c; values[e] = x; e++; }
    }
  }
  rowPtr[rows] = e;
  return { rows, cols, rowPtr, colIdx, values };
}
