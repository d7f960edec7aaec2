import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseNpy } from '../../src/npz/parse-npy.js';
import { openNpz, openNpzBuffer } from '../../src/npz/read-npz.js';
import { encodeNpy, encodeNpz, npyWithHeader, buildZip } from '../../src/npz/write-npz.js';
import { FrameDataError } from '../../src/errors.js';
import { fixture } from '../helpers/paths.js';

const corruptWith = (re: RegExp) => (err: unknown) => err instanceof FrameDataError && err.reason === 'corrupt' && re.test(err.message);

test('numpy np.save output parses: values, shape, Fortran order turned to C order', () => {
  const flat = parseNpy(readFileSync(fixture('npz', 'body_pose_flat.npy')));
  const fort = parseNpy(readFileSync(fixture('npz', 'body_pose_21x3_fortran.npy')));
  assert.deepEqual(flat.shape, [63]);
  assert.deepEqual(fort.shape, [21, 3]);
  assert.equal(flat.dtype, 'f4');
  assert.deepEqual(Array.from(fort.data as Float32Array), Array.from(flat.data as Float32Array));
});

test('np.savez, np.savez_compressed and big-endian float64 files hold the same numbers', () => {
  const a = openNpz(fixture('npz', 'ok_savez.npz'));
  const b = openNpz(fixture('npz', 'ok_compressed.npz'));
  const c = openNpz(fixture('npz', 'ok_bigendian_f8.npz'));
  for (const key of ['person_0_smplx_body_pose', 'person_0_cam_trans', 'person_0_smplx_shape']) {
    const va = Array.from(a.get(key).data as Float32Array);
    assert.deepEqual(Array.from(b.get(key).data as Float32Array), va);
    const vc = Array.from(c.get(key).data as Float64Array);
    assert.equal(c.get(key).dtype, 'f8');
    vc.forEach((v, i) => assert.ok(Math.abs(v - va[i]) < 1e-6, `${key}[${i}] big-endian ${v} vs ${va[i]}`));
  }
  assert.deepEqual(Array.from(c.get('person_ids').data as Float64Array), [0]);
  assert.deepEqual(a.get('image_path').data, ['/data/video1/frame_0001.jpg']);
  assert.deepEqual(a.get('image_path').shape, []);
});

test('every dtype our writer emits round-trips, in both byte orders', () => {
  for (const dtype of ['f4', 'f8', 'i4', 'i8', 'u4'] as const) {
    for (const bigEndian of [false, true]) {
      const data = [1, -2, 3, 4, 5, 6].map((v) => (dtype === 'u4' ? Math.abs(v) : v));
      const arr = parseNpy(encodeNpy({ dtype, shape: [2, 3], data, bigEndian }));
      assert.deepEqual(arr.shape, [2, 3]);
      assert.deepEqual(Array.from(arr.data as ArrayLike<number>), data, `${dtype} ${bigEndian ? 'BE' : 'LE'}`);
    }
  }
});

test('object (pickled) arrays are refused, never unpickled', () => {
  const npz = openNpz(fixture('npz', 'object_array.npz'));
  assert.throws(() => npz.get('person_0_smplx_body_pose'), corruptWith(/object \(pickled\) array refused/));
  // Other keys of the same file stay readable: a model file with a pickled joint2num still loads.
  assert.equal(npz.get('person_0_cam_trans').shape[0], 3);
});

test('truncated and non-zip files are corrupt with a clear reason', () => {
  assert.throws(() => openNpz(fixture('npz', 'truncated.npz')), corruptWith(/truncated zip/));
  assert.throws(() => openNpzBuffer(Buffer.from('hello, this is not a zip file at all!')), corruptWith(/not a zip/));
  assert.throws(() => openNpzBuffer(Buffer.alloc(0)), corruptWith(/empty file/));
});

test('a header declaring a huge array is refused without allocating it', () => {
  const body = Buffer.alloc(16);
  const npy = npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", body);
  assert.throws(() => parseNpy(npy), corruptWith(/absurd shape \(100000,100000,100000\)/));
  const npz = openNpzBuffer(buildZip([['x.npy', npy]]));
  assert.throws(() => npz.get('x'), corruptWith(/absurd shape/));
  const small = npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 1000), }", body);
  assert.throws(() => parseNpy(small), corruptWith(/8000000 bytes\) but the data is truncated \(16 bytes\)/));
});

test('bad headers and damaged entries are corrupt', () => {
  assert.throws(() => parseNpy(Buffer.from('\x93NUMPX\x01\x00')), corruptWith(/npy/));
  const bad = npyWithHeader("{'descr': '<f4', 'shape': (3,), }", Buffer.alloc(12));
  assert.throws(() => parseNpy(bad), corruptWith(/fortran_order/));
  const zip = encodeNpz({ a: { dtype: 'f4', shape: [3], data: [1, 2, 3] } });
  zip[zip.length - 40] ^= 0xff; // flip a byte inside the central directory or data
  const flipped = encodeNpz({ a: { dtype: 'f4', shape: [3], data: [1, 2, 3] } });
  flipped[100] ^= 0xff; // inside the array data
  assert.throws(() => openNpzBuffer(flipped).get('a'), corruptWith(/CRC|bad/));
});

test('structured dtypes are refused', () => {
  const npy = npyWithHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(4));
  assert.throws(() => parseNpy(npy), corruptWith(/structured/));
});

test('a large array read in chunks equals the whole read, in row-aligned pieces, CRC checked', async () => {
  const { openNpzLazy } = await import('../../src/npz/read-npz.js');
  const { writeNpz } = await import('../../src/npz/write-npz.js');
  const { mkdtempSync, writeFileSync, readFileSync: rf } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'br-chunks-'));
  const rows = 1000, cols = 7;
  const data = Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 100);
  const path = join(dir, 'm.npz');
  writeNpz(path, { a: { dtype: 'f8', shape: [rows, cols], data }, b: { dtype: 'f4', shape: [rows, cols], data, bigEndian: true } });
  for (const key of ['a', 'b']) {
    const npz = openNpzLazy(path);
    const got = new Float64Array(rows * cols);
    let seenShape: number[] = [];
    let pieces = 0;
    npz.forEachChunk(key, 0, 1000, (_d, shape) => { seenShape = shape; return cols; }, (chunk, first) => {
      assert.equal(first % cols, 0, 'pieces hold whole rows');
      got.set(chunk, first);
      pieces++;
    });
    npz.close();
    assert.deepEqual(seenShape, [rows, cols]);
    assert.ok(pieces > 10, `read in ${pieces} pieces`);
    data.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= (key === 'a' ? 0 : 1e-4), `${key}[${i}]`));
  }
  // A flipped data byte is caught by the CRC at the end of the stream.
  const bytes = rf(path);
  bytes[400] ^= 0x55;
  writeFileSync(path, bytes);
  const npz = openNpzLazy(path);
  assert.throws(() => npz.forEachChunk('a', 0, 1000, () => cols, () => {}), corruptWith(/CRC/));
  npz.close();
});
