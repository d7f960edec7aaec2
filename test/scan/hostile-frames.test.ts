/**
 * Frame files built to hurt: headers declaring 2^53 zero-size elements, a
 * 3 GB file that is no zip, a person_ids of 8 million entries, zip bombs,
 * FIFOs, sockets, devices and directories named like frames, absurd camera
 * translations. Each is classified with bounded memory, quickly, never hanging.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, writeSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { readFrameFile, classifyNpz } from '../../src/scan/read-frame.js';
import { buildZip, encodeNpy, encodeNpz, npyWithHeader, type NpyInput } from '../../src/npz/write-npz.js';
import { assertRegularFile, openRegularFile } from '../../src/npz/open-regular-file.js';
import { openModel } from '../../src/body-model/load-body-model.js';
import { BatchRenderError } from '../../src/errors.js';
import { pythonWithNumpy } from '../helpers/python.js';
import { repoRoot } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'br-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MB = 1024 * 1024;

function person(i: number, over: Record<string, NpyInput> = {}): Record<string, NpyInput> {
  const v = (n: number, x = 0.1): NpyInput => ({ dtype: 'f4', shape: [n], data: new Array(n).fill(x) });
  return {
    [`person_${i}_smplx_root_pose`]: { dtype: 'f4', shape: [3], data: [Math.PI, 0, 0] },
    [`person_${i}_smplx_body_pose`]: v(63),
    [`person_${i}_smplx_lhand_pose`]: v(45),
    [`person_${i}_smplx_rhand_pose`]: v(45),
    [`person_${i}_smplx_jaw_pose`]: v(3),
    [`person_${i}_smplx_shape`]: v(10),
    [`person_${i}_smplx_expr`]: v(10),
    [`person_${i}_cam_trans`]: { dtype: 'f4', shape: [3], data: [0, 0.2, 6] },
    ...over,
  };
}
const ids = (n: number): NpyInput => ({ dtype: 'i8', shape: [n], data: Array.from({ length: n }, (_, i) => i) });
const validEntries = (): Array<[string, Buffer]> =>
  Object.entries({ person_ids: ids(1), ...person(0) }).map(([k, v]) => [`${k}.npy`, encodeNpy(v)]);
/** A valid frame with one array replaced by raw .npy bytes. */
const withEntry = (key: string, npy: Buffer) =>
  buildZip(validEntries().map(([n, b]): [string, Buffer] => (n === `${key}.npy` ? [n, npy] : [n, b])));
const header = (descr: string, shape: string) => `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape}), }`;

/** Runs `f` and returns its result with the growth of resident memory it caused. */
function measured<T>(f: () => T): { value: T; rssGrowth: number } {
  const before = process.memoryUsage().rss;
  const value = f();
  return { value, rssGrowth: process.memoryUsage().rss - before };
}

function classifyFile(name: string, bytes: Buffer, selector: 0 | 'all' = 0) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return measured(() => readFrameFile(path, selector));
}

test('zero-size dtypes with huge shapes are corrupt, never looped over or allocated', () => {
  const cases: Array<[string, string, string]> = [
    ['person_ids', '<U0', '9007199254740992,'],
    ['person_ids', '|S0', '1099511627776,'],
    ['person_0_smplx_body_pose', '<U0', '9007199254740992,'],
    ['person_0_smplx_body_pose', '|V0', '4294967296, 4294967296'],
    ['person_0_cam_trans', '<f4', '99999999999999999999,'],
  ];
  for (const [key, descr, shape] of cases) {
    const { value: r, rssGrowth } = classifyFile('zero_size.npz', withEntry(key, npyWithHeader(header(descr, shape), Buffer.alloc(0))));
    assert.equal(r.check, 'corrupt', `${key} ${descr} (${shape}): ${r.detail}`);
    assert.match(r.detail!, new RegExp(`^${key}: (absurd shape|unsupported dtype)`));
    assert.ok(rssGrowth < 64 * MB, `${key} ${descr}: resident memory grew ${rssGrowth} bytes`);
  }
  // Small but still more elements than bytes: each zero-size element counts one byte.
  const r = classifyFile('u0_small.npz', withEntry('person_ids', npyWithHeader(header('<U0', '1000,'), Buffer.alloc(0)))).value;
  assert.equal(r.check, 'corrupt');
  assert.match(r.detail!, /person_ids: array declares shape \(1000\) of <U0 \(1000 bytes\) but the data is truncated \(0 bytes\)/);
});

test('a 3 GB sparse file is refused from its first bytes or its tail, never read whole', () => {
  const big = 3 * 1024 * MB;
  const notZip = join(dir, 'frame_0001_params.npz');
  writeFileSync(notZip, 'this is not a zip archive');
  truncateSync(notZip, big);
  const a = measured(() => readFrameFile(notZip, 0));
  assert.deepEqual([a.value.check, a.value.detail], ['corrupt', 'not a zip archive']);
  // Starts like a zip (a whole valid frame, even) but has no end record in its last 64 KiB.
  const zipHead = join(dir, 'frame_0002_params.npz');
  writeFileSync(zipHead, buildZip(validEntries()));
  truncateSync(zipHead, big);
  const b = measured(() => readFrameFile(zipHead, 0));
  assert.equal(b.value.check, 'corrupt');
  assert.match(b.value.detail!, /no end-of-central-directory record/);
  // A real end record at the end of 3 GB, declaring a 4 GB central directory: refused before reading it.
  const bigDir = join(dir, 'frame_0003_params.npz');
  writeFileSync(bigDir, Buffer.from('PK\x03\x04'));
  truncateSync(bigDir, big);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(0xfffe, 8); eocd.writeUInt16LE(0xfffe, 10);
  eocd.writeUInt32LE(0xfffffff0, 12); eocd.writeUInt32LE(0, 16);
  const fd = openSync(bigDir, 'r+');
  writeSync(fd, eocd, 0, 22, big - 22);
  closeSync(fd);
  const c = measured(() => readFrameFile(bigDir, 0));
  assert.equal(c.value.check, 'corrupt');
  assert.match(c.value.detail!, /zip central directory of 4294967280 bytes, over the 4194304-byte limit/);
  for (const m of [a, b, c]) assert.ok(m.rssGrowth < 64 * MB, `resident memory grew ${m.rssGrowth} bytes`);
});

test('a person_ids of 8 million entries written by numpy is invalid_value, decided from the header', () => {
  assert.ok(pythonWithNumpy, 'python3 with numpy is required (Debian: python3-numpy)');
  execFileSync(pythonWithNumpy, ['-c', `
import sys, numpy as np
p = np.zeros(8_000_000, dtype=np.int64)
np.savez(sys.argv[1] + '/ids_stored.npz', person_ids=p)
np.savez_compressed(sys.argv[1] + '/ids_compressed.npz', person_ids=p)
`, dir]);
  for (const name of ['ids_stored.npz', 'ids_compressed.npz']) {
    const { value: r, rssGrowth } = measured(() => readFrameFile(join(dir, name), 'all'));
    assert.equal(r.check, 'invalid_value', `${name}: ${r.detail}`);
    assert.match(r.detail!, /person_ids has 8000000 entries, more than 1000 people/);
    assert.ok(rssGrowth < 64 * MB, `${name}: resident memory grew ${rssGrowth} bytes`);
  }
  // 1000 people is still a frame.
  assert.equal(classifyNpz(encodeNpz({ person_ids: ids(1000), ...person(0) }), 0).check, 'ok');
});

test('zip bombs cost nothing: inflation stops at the declared size', () => {
  const bombData = Buffer.alloc(32 * MB); // zeros: deflates to ~32 KB
  const deflated = deflateRawSync(bombData);
  const zipWith = (size: number) => {
    // A one-entry archive whose header declares `size` for 32 MB of zeros.
    const name = Buffer.from('person_ids.npy');
    const loc = Buffer.alloc(30);
    loc.writeUInt32LE(0x04034b50, 0); loc.writeUInt16LE(8, 8);
    loc.writeUInt32LE(crc32(bombData) >>> 0, 14); loc.writeUInt32LE(deflated.length, 18); loc.writeUInt32LE(size, 22);
    loc.writeUInt16LE(name.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(crc32(bombData) >>> 0, 16); cen.writeUInt32LE(deflated.length, 20); cen.writeUInt32LE(size, 24);
    cen.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + name.length, 12); end.writeUInt32LE(30 + name.length + deflated.length, 16);
    return Buffer.concat([loc, name, deflated, cen, name, end]);
  };
  // Declares 1 KB for 32 KB of deflated data: impossible for deflate, refused before inflating.
  const small = classifyFile('bomb_small.npz', zipWith(1024));
  assert.equal(small.value.check, 'corrupt');
  assert.match(small.value.detail!, /person_ids: entry person_ids\.npy declares \d+ compressed bytes for 1024 bytes of data/);
  // Declares its true 32 MB: over the per-entry limit, and its first bytes are no .npy anyway.
  const honest = classifyFile('bomb_honest.npz', zipWith(32 * MB));
  assert.equal(honest.value.check, 'corrupt');
  // A real .npy header declaring 40 000 bytes in all, followed by 32 MB more: inflation stops at 40 000.
  const npyBomb = Buffer.concat([npyWithHeader(header('<i8', '4984,'), Buffer.alloc(0)), bombData]);
  const lying = buildZip([['person_ids.npy', npyBomb]], { compress: true });
  lying.writeUInt32LE(40000, lying.indexOf(Buffer.from('PK\x01\x02')) + 24);
  const r = classifyFile('bomb_lying.npz', lying);
  assert.equal(r.value.check, 'corrupt');
  assert.match(r.value.detail!, /person_ids: entry person_ids\.npy inflates to more than the 40000 bytes its header says/);
  // 10 KB of empty deflate blocks, then the bomb: the header search stops after 8 MiB of output.
  const emptyBlocks = Buffer.concat(Array.from({ length: 2000 }, () => Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff])));
  const slow = buildZip([['person_ids.npy', Buffer.alloc(0)]], { compress: true });
  const stream = Buffer.concat([emptyBlocks, deflated]);
  const sized = Buffer.concat([slow.subarray(0, 30 + 14), stream, slow.subarray(slow.indexOf(Buffer.from('PK\x01\x02')))]);
  const cen = sized.indexOf(Buffer.from('PK\x01\x02'));
  sized.writeUInt32LE(stream.length, cen + 20);
  sized.writeUInt32LE(32 * MB, cen + 24);
  sized.writeUInt32LE(30 + 14 + stream.length, sized.length - 22 + 16);
  const hidden = classifyFile('bomb_hidden.npz', sized);
  assert.equal(hidden.value.check, 'corrupt');
  assert.match(hidden.value.detail!, /person_ids: entry person_ids\.npy: its first \d+ compressed bytes inflate to over 8388608 bytes/);
  for (const m of [small, honest, r, hidden]) assert.ok(m.rssGrowth < 64 * MB, `resident memory grew ${m.rssGrowth} bytes`);
});

test('an empty zip archive (end record only) is read, and is no frame: missing person_ids', () => {
  const r = classifyFile('empty.npz', buildZip([]));
  assert.deepEqual([r.value.check, r.value.detail], ['missing_key', 'missing person_ids (and no person_0_* arrays)']);
});

test('a vector declaring a million values is refused from its header', () => {
  const huge = { person_0_smplx_shape: { dtype: 'f4', shape: [1_000_000], data: new Float32Array(1_000_000) } } as Record<string, NpyInput>;
  const r = classifyNpz(encodeNpz({ person_ids: ids(1), ...person(0, huge) }), 0);
  assert.equal(r.check, 'invalid_value');
  assert.match(r.detail!, /person_0_smplx_shape has 1000000 values, more than 10000/);
  const long = classifyNpz(encodeNpz({ person_ids: ids(1), ...person(0, { person_0_smplx_body_pose: { dtype: 'f4', shape: [64], data: new Array(64).fill(0) } }) }), 0);
  assert.match(long.detail!, /person_0_smplx_body_pose has 64 values, expected 63/);
});

test('a finite but absurd cam_trans is invalid_value with the reason', () => {
  const cam = (data: number[]) => classifyNpz(encodeNpz({ person_ids: ids(1), ...person(0, { person_0_cam_trans: { dtype: 'f8', shape: [3], data } }) }), 0);
  const wild = cam([8.7e27, 0, 5]);
  assert.equal(wild.check, 'invalid_value');
  assert.equal(wild.detail, 'person_0_cam_trans x is 8.7e+27 m, beyond 1000 m (1 km) from the camera: not a plausible position');
  assert.match(cam([0, -1000.5, 5]).detail!, /cam_trans y is -1000.5 m, beyond 1000 m/);
  assert.match(cam([0, 0, 1500]).detail!, /cam_trans z is 1500 m, beyond 1000 m/);
  assert.match(cam([0, 0, -2]).detail!, /z is -2, must be in front of the camera/);
  assert.equal(cam([999, -999, 1000]).check, 'ok');
  // --person all: the wild person is dropped, the other still renders.
  const two = classifyNpz(encodeNpz({ person_ids: ids(2), ...person(0, { person_0_cam_trans: { dtype: 'f8', shape: [3], data: [0, 0, 1e6] } }), ...person(1) }), 'all');
  assert.equal(two.check, 'ok');
  assert.deepEqual(two.persons.map((p) => p.personId), [1]);
});

/** Classifies in a child process with a deadline: a read that blocks on a FIFO fails the test instead of hanging it. */
function classifyInChild(path: string): { check: string; detail: string } {
  const script = `import { readFrameFile } from ${JSON.stringify(join(repoRoot, 'dist/src/scan/read-frame.js'))};
process.stdout.write(JSON.stringify(readFrameFile(process.argv[1], 0)));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, path], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.error, undefined, `classifying ${path} did not finish: ${r.error?.message}`);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('a FIFO named like a frame, directly or through a symlink, is corrupt and never blocks', () => {
  const fifo = join(dir, 'frame_0010_params.npz');
  execFileSync('mkfifo', [fifo]);
  const link = join(dir, 'frame_0011_params.npz');
  symlinkSync(fifo, link);
  for (const p of [fifo, link]) {
    assert.deepEqual(classifyInChild(p), { check: 'corrupt', detail: 'not a regular file: fifo', persons: [], detected: 0 });
  }
});

test('a symlink to /dev/zero, a directory and a socket named like frames are corrupt', async () => {
  const zero = join(dir, 'frame_0020_params.npz');
  symlinkSync('/dev/zero', zero);
  const d = join(dir, 'frame_0021_params.npz');
  mkdirSync(d);
  const sock = join(dir, 'frame_0022_params.npz');
  const server = createServer();
  await new Promise<void>((res) => server.listen(sock, res));
  try {
    assert.deepEqual([readFrameFile(zero, 0).check, readFrameFile(zero, 0).detail], ['corrupt', 'not a regular file: character device']);
    assert.equal(readFrameFile(d, 0).detail, 'not a regular file: directory');
    assert.equal(readFrameFile(sock, 0).detail, 'not a regular file: socket');
  } finally {
    await new Promise((res) => server.close(res));
  }
  assert.equal(readFrameFile(join(dir, 'frame_9999_params.npz'), 0).check, 'missing_file');
  const dangling = join(dir, 'frame_0023_params.npz');
  symlinkSync(join(dir, 'nowhere.npz'), dangling);
  assert.deepEqual([readFrameFile(dangling, 0).check, readFrameFile(dangling, 0).detail], ['corrupt', 'broken symbolic link']);
});

test('--model_path checks: a FIFO or device is a one-line configError (exit 2); model loading refuses it too', () => {
  const fifo = join(dir, 'SMPLX_NEUTRAL.npz');
  execFileSync('mkfifo', [fifo]);
  const configErr = (...parts: string[]) => (err: unknown) => {
    assert.ok(err instanceof BatchRenderError, String(err));
    assert.equal(err.exitCode, 2);
    assert.ok(!err.message.includes('\n'));
    for (const p of parts) assert.ok(err.message.includes(p), `"${err.message}" should say ${p}`);
    return true;
  };
  assert.throws(() => assertRegularFile(fifo, '--model_path'), configErr(`--model_path ${fifo}: not a regular file: fifo`));
  assert.throws(() => assertRegularFile('/dev/zero', '--model_path'), configErr('--model_path /dev/zero: not a regular file: character device'));
  assert.throws(() => assertRegularFile(join(dir, 'nope.npz'), '--model_path'), configErr('no such file'));
  assert.throws(() => openModel(fifo), configErr(fifo, 'not a regular file: fifo'));
  const ok = join(dir, 'regular.npz');
  writeFileSync(ok, buildZip(validEntries()));
  assert.doesNotThrow(() => assertRegularFile(ok, '--model_path'));
  const { fd, size } = openRegularFile(ok);
  assert.equal(size, buildZip(validEntries()).length);
  closeSync(fd); // still open: throws EBADF otherwise
});
