import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { readModelInfo } from '../../src/body-model/read-model-info.js';
import { BatchRenderError } from '../../src/errors.js';
import { buildZip, encodeNpy, npyWithHeader, writeNpz, type NpyInput } from '../../src/npz/write-npz.js';
import { numpyModel, tinyModelArrays, tmp } from './fixtures.js';

const configErr = (...parts: string[]) => (err: unknown) => {
  assert.ok(err instanceof BatchRenderError, `expected BatchRenderError, got ${String(err)}`);
  assert.equal(err.code, 'CONFIG');
  assert.ok(!err.message.includes('\n'), 'one-line message');
  for (const p of parts) assert.ok(err.message.includes(p), `"${err.message}" should name ${p}`);
  return true;
};

function writeModel(arrays: Record<string, NpyInput>, name = 'SMPLX_TEST.npz'): string {
  const path = join(tmp(), name);
  writeNpz(path, arrays);
  return path;
}

test('loads a valid model: counts, parents, CSR keeps every nonzero, name', () => {
  const a = tinyModelArrays(60, 20);
  const m = loadBodyModel(writeModel(a, 'SMPLX_NEUTRAL.npz'));
  assert.equal(m.name, 'SMPLX_NEUTRAL');
  assert.equal(m.numVertices, 60);
  assert.equal(m.numFaces, 4);
  assert.equal(m.faces.length, 12);
  assert.equal(m.parents[0], -1);
  assert.equal(m.parents[54], 53);
  assert.equal(m.parents[15], 12);
  const nnz = (d: ArrayLike<number>) => Array.from(d).filter((x) => x !== 0).length;
  assert.equal(m.weights.values.length, nnz(a.weights.data as ArrayLike<number>));
  assert.equal(m.jRegressor.values.length, nnz(a.J_regressor.data as ArrayLike<number>));
});

test('posedirs are stored feature-major: row p is posedirs[:, :, p] flattened', () => {
  const a = tinyModelArrays(30, 20);
  const m = loadBodyModel(writeModel(a));
  const src = a.posedirs.data as number[];
  const n = 30 * 3;
  for (const [p, i] of [[0, 0], [5, 17], [485, 89], [200, 45]]) {
    assert.equal(m.poseDirs[p * n + i], Math.fround(src[i * 486 + p]));
  }
});

test('root parent stored as -1 is accepted like 4294967295', () => {
  const a = tinyModelArrays();
  const kt = Array.from(a.kintree_table.data as number[]);
  kt[0] = -1;
  a.kintree_table = { dtype: 'i8', shape: [2, 55], data: kt };
  assert.equal(loadBodyModel(writeModel(a)).parents[0], -1);
  a.kintree_table = { dtype: 'u4', shape: [2, 55], data: kt.map((x) => (x < 0 ? 4294967295 : x)) };
  assert.equal(loadBodyModel(writeModel(a)).parents[0], -1);
});

test('float32 faces and int32 kintree are accepted', () => {
  const a = tinyModelArrays();
  a.f = { ...a.f, dtype: 'f4' };
  a.kintree_table = { dtype: 'i4', shape: [2, 55], data: (a.kintree_table.data as number[]).map((x) => (x === 4294967295 ? -1 : x)) };
  const m = loadBodyModel(writeModel(a));
  assert.equal(m.faces[1], 1);
  assert.equal(m.parents[1], 0);
});

test('pickled object entries (joint2num, allow_pickle) are never parsed', () => {
  const a = tinyModelArrays();
  // A protocol-2 pickle of {'pelvis': 0}; parsing it would throw (object arrays are refused).
  const pickle = Buffer.from('80027d7100580600000070656c766973710149000073752e', 'hex');
  const objectNpy = npyWithHeader(`{'descr': '|O', 'fortran_order': False, 'shape': (), }`, pickle);
  const entries: Array<[string, Buffer]> = Object.entries(a).map(([k, v]) => [`${k}.npy`, encodeNpy(v)]);
  entries.push(['joint2num.npy', objectNpy], ['part2num.npy', objectNpy], ['allow_pickle.npy', objectNpy]);
  const path = join(tmp(), 'SMPLX_PICKLED.npz');
  writeFileSync(path, buildZip(entries));
  const m = loadBodyModel(path);
  assert.equal(m.numVertices, 60);
});

test('hands_components may be absent; a file holding them loads too', () => {
  const a = tinyModelArrays();
  a.hands_componentsl = { dtype: 'f8', shape: [45, 45], data: new Float64Array(45 * 45) };
  assert.equal(loadBodyModel(writeModel(a)).handsMeanLeft.length, 45);
});

test('missing key: configError naming the key and the file', () => {
  for (const key of ['posedirs', 'hands_meanr', 'kintree_table']) {
    const a = tinyModelArrays();
    delete a[key];
    const path = writeModel(a);
    assert.throws(() => loadBodyModel(path), configErr(key, path));
  }
});

test('shapes are validated against v_template, not against SMPL-X sizes', () => {
  const cases: Array<[string, (a: Record<string, NpyInput>) => void]> = [
    ['posedirs', (a) => { a.posedirs = { dtype: 'f4', shape: [59, 3, 486], data: new Float32Array(59 * 3 * 486) }; }],
    ['J_regressor', (a) => { a.J_regressor = { dtype: 'f8', shape: [54, 60], data: new Float64Array(54 * 60) }; }],
    ['weights', (a) => { a.weights = { dtype: 'f8', shape: [60, 24], data: new Float64Array(60 * 24) }; }],
    ['v_template', (a) => { a.v_template = { dtype: 'f8', shape: [180], data: new Float64Array(180) }; }],
    ['f', (a) => { a.f = { dtype: 'i4', shape: [1, 3], data: [0, 1, 60] }; }],
    ['kintree_table', (a) => {
      const kt = Array.from(a.kintree_table.data as number[]);
      kt[5] = 9; // a parent after its child
      a.kintree_table = { dtype: 'i8', shape: [2, 55], data: kt };
    }],
    ['hands_meanl', (a) => { a.hands_meanl = { dtype: 'f8', shape: [15], data: new Float64Array(15) }; }],
    ['shapedirs', (a) => { a.shapedirs = { dtype: 'f8', shape: [60, 3, 1], data: new Float64Array(180).fill(NaN) }; }],
  ];
  for (const [key, edit] of cases) {
    const a = tinyModelArrays();
    edit(a);
    const path = writeModel(a);
    assert.throws(() => loadBodyModel(path), configErr(key, path), key);
  }
});

test('not a zip, missing file, a directory: one-line configError', () => {
  const dir = tmp();
  const junk = join(dir, 'junk.npz');
  writeFileSync(junk, 'this is not a zip file at all, just some text');
  assert.throws(() => loadBodyModel(junk), configErr(junk, 'not a zip'));
  assert.throws(() => loadBodyModel(join(dir, 'absent.npz')), configErr('absent.npz', 'not found'));
  assert.throws(() => loadBodyModel(dir), configErr(dir));
});

test('shapedirs split like smplx: 300 shape + 100 expression when K >= 400, else 10 + 10', () => {
  const small = loadBodyModel(writeModel(tinyModelArrays(20, 20)));
  assert.equal(small.numShapeDirs, 10);
  assert.equal(small.numExprDirs, 10);
  const a = tinyModelArrays(20, 16);
  const m16 = loadBodyModel(writeModel(a));
  assert.equal(m16.numShapeDirs, 10);
  assert.equal(m16.numExprDirs, 6);
  // Expression row 0 is component 10 of the file.
  const src = a.shapedirs.data as number[];
  assert.equal(m16.exprDirs[7], Math.fround(src[7 * 16 + 10]));
  const big = tinyModelArrays(8, 400);
  const m400 = loadBodyModel(writeModel(big));
  assert.equal(m400.numShapeDirs, 300);
  assert.equal(m400.numExprDirs, 100);
  const bsrc = big.shapedirs.data as number[];
  assert.equal(m400.exprDirs[5], Math.fround(bsrc[5 * 400 + 300]));
  assert.equal(m400.shapeDirs[299 * 24 + 3], Math.fround(bsrc[3 * 400 + 299]));
});

test('a numpy-written model loads: counts, faces and weights as numpy wrote them', () => {
  const m = loadBodyModel(numpyModel());
  assert.equal(m.numVertices, 8 * 55);
  assert.equal(m.numFaces, 12 * 55);
  assert.deepEqual(Array.from(m.faces.subarray(0, 6)), [0, 1, 3, 0, 3, 2]); // first cube side, written by hand in numpy_model.py
  assert.equal(m.weights.values.length, 8 + 54 * 8 * 2); // root cube: one joint; every other cube: joint and parent
  assert.equal(m.numShapeDirs, 10);
  assert.equal(m.numExprDirs, 10);
});

test('numpy-written bad models: one-line CONFIG error naming the file and the problem', () => {
  const V = 8 * 55;
  const cases: Array<[string, string]> = [
    ['face_index', `'f' holds vertex index ${V}, outside 0..${V - 1}`],
    ['no_faces', `'f' holds no faces`],
    ['nan_vertex', `'v_template' holds a non-finite value at index 10`],
    ['inf_shapedirs', `'shapedirs' holds a non-finite value at index ${V * 3 * 20 - 1}`],
    ['no_weights', `missing key 'weights'`],
    ['weights_shape', `'weights' has shape (${V},54), expected (${V},55)`],
    ['zero_weight_row', `'weights' row 5 is all zero`],
    ['jreg_shape', `'J_regressor' has shape (55,${V - 1}), expected (55,${V})`],
    ['posedirs_shape', `'posedirs' has shape (${V},3,485), expected (${V},3,486)`],
    ['hands_mean_length', `'hands_meanl' has shape (44), expected (45,)`],
    ['text_template', `'v_template' holds strings`],
  ];
  for (const [variant, problem] of cases) {
    const path = numpyModel(variant);
    assert.throws(() => loadBodyModel(path), configErr(`body model ${path}: ${problem}`), variant);
  }
});

test('a dry run checks the model as a render loads it: readModelInfo gives numpy\'s counts and the loader\'s errors', () => {
  assert.deepEqual(readModelInfo(numpyModel()), { model_vertices: 8 * 55, model_faces: 12 * 55 });
  for (const variant of ['face_index', 'nan_vertex', 'zero_weight_row']) {
    const path = numpyModel(variant);
    let want = '';
    try { loadBodyModel(path); } catch (err) { want = (err as Error).message; }
    assert.ok(want, variant);
    assert.throws(() => readModelInfo(path), configErr(want), variant);
  }
});
