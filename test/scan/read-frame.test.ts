import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyNpz, readFrameFile } from '../../src/scan/read-frame.js';
import { encodeNpz, type NpyInput } from '../../src/npz/write-npz.js';
import { fixture } from '../helpers/paths.js';

function personArrays(i: number, over: Partial<Record<string, NpyInput | null>> = {}): Record<string, NpyInput> {
  const v = (n: number, x = 0.1): NpyInput => ({ dtype: 'f4', shape: [n], data: Array.from({ length: n }, () => x) });
  const base: Record<string, NpyInput | null> = {
    [`person_${i}_smplx_root_pose`]: { dtype: 'f4', shape: [3], data: [Math.PI, 0, 0] },
    [`person_${i}_smplx_body_pose`]: v(63),
    [`person_${i}_smplx_lhand_pose`]: v(45),
    [`person_${i}_smplx_rhand_pose`]: v(45),
    [`person_${i}_smplx_jaw_pose`]: v(3),
    [`person_${i}_smplx_shape`]: v(10),
    [`person_${i}_smplx_expr`]: v(10),
    [`person_${i}_cam_trans`]: { dtype: 'f4', shape: [3], data: [0, 0.2, 6] },
  };
  for (const [k, val] of Object.entries(over)) base[k] = val ?? null;
  return Object.fromEntries(Object.entries(base).filter(([, x]) => x !== null)) as Record<string, NpyInput>;
}

const frame = (ids: number[], extra: Record<string, NpyInput> = {}) => encodeNpz({
  image_size: { dtype: 'i8', shape: [2], data: [720, 1280] },
  person_ids: { dtype: 'i8', shape: [ids.length], data: ids },
  ...extra,
});

test('real numpy files classify as ok, in every accepted layout and byte order', () => {
  for (const name of ['ok_savez.npz', 'ok_compressed.npz', 'ok_bigendian_f8.npz', 'ok_shapes.npz']) {
    const r = readFrameFile(fixture('npz', name), 0);
    assert.equal(r.check, 'ok', `${name}: ${r.detail}`);
    assert.equal(r.persons[0].bodyPose.length, 63);
    assert.equal(r.persons[0].lhandPose.length, 45);
    assert.deepEqual(r.persons[0].focal, [5000, 5000]);
  }
  const flat = readFrameFile(fixture('npz', 'ok_savez.npz'), 0).persons[0];
  const shaped = readFrameFile(fixture('npz', 'ok_shapes.npz'), 0).persons[0];
  assert.deepEqual(Array.from(shaped.bodyPose), Array.from(flat.bodyPose), '(21,3) Fortran body pose reads as the flat one');
});

test('empty person_ids is no_person', () => {
  assert.equal(readFrameFile(fixture('npz', 'no_person.npz'), 0).check, 'no_person');
  assert.equal(classifyNpz(frame([]), 0).check, 'no_person');
});

test('a missing required key is missing_key naming the key', () => {
  const r = classifyNpz(frame([0], personArrays(0, { person_0_smplx_body_pose: null })), 0);
  assert.equal(r.check, 'missing_key');
  assert.match(r.detail!, /person_0_smplx_body_pose/);
  const r2 = classifyNpz(frame([0], personArrays(0, { person_0_cam_trans: null })), 0);
  assert.equal(r2.check, 'missing_key');
  assert.match(r2.detail!, /person_0_cam_trans/);
});

test('NaN, Inf, wrong length and a body behind the camera are invalid_value', () => {
  const nan = classifyNpz(frame([0], personArrays(0, { person_0_smplx_jaw_pose: { dtype: 'f4', shape: [3], data: [0, NaN, 0] } })), 0);
  assert.equal(nan.check, 'invalid_value');
  assert.match(nan.detail!, /person_0_smplx_jaw_pose contains NaN/);
  const inf = classifyNpz(frame([0], personArrays(0, { person_0_cam_trans: { dtype: 'f8', shape: [3], data: [0, Infinity, 5] } })), 0);
  assert.match(inf.detail!, /Inf/);
  const short = classifyNpz(frame([0], personArrays(0, { person_0_smplx_body_pose: { dtype: 'f4', shape: [60], data: new Array(60).fill(0) } })), 0);
  assert.equal(short.check, 'invalid_value');
  assert.match(short.detail!, /60 values, expected 63/);
  const behind = classifyNpz(frame([0], personArrays(0, { person_0_cam_trans: { dtype: 'f4', shape: [3], data: [0, 0, -2] } })), 0);
  assert.equal(behind.check, 'invalid_value');
});

test('object arrays, truncated files and garbage are corrupt; a vanished file is missing_file', () => {
  assert.equal(readFrameFile(fixture('npz', 'object_array.npz'), 0).check, 'corrupt');
  assert.equal(readFrameFile(fixture('npz', 'truncated.npz'), 0).check, 'corrupt');
  assert.equal(classifyNpz(Buffer.from('garbage'), 0).check, 'corrupt');
  assert.equal(readFrameFile(fixture('npz', 'does_not_exist.npz'), 0).check, 'missing_file');
});

test('person selection: index, absent index, and all people', () => {
  const two = frame([0, 1], { ...personArrays(0), ...personArrays(1) });
  assert.equal(classifyNpz(two, 1).persons[0].personId, 1);
  const r = classifyNpz(two, 2);
  assert.equal(r.check, 'no_person');
  assert.match(r.detail!, /person 2 not detected \(2 people/);
  assert.equal(classifyNpz(two, 'all').persons.length, 2);
  // One broken person among two still leaves the other usable under --person all.
  const half = frame([0, 1], { ...personArrays(0), ...personArrays(1, { person_1_smplx_expr: null }) });
  const all = classifyNpz(half, 'all');
  assert.equal(all.check, 'ok');
  assert.equal(all.persons.length, 1);
});

test('fixture bytes are what numpy wrote (sanity)', () => {
  assert.equal(readFileSync(fixture('npz', 'ok_savez.npz')).readUInt32LE(0), 0x04034b50);
});
