/**
 * The streaming STORE zip writer, read back by Python's zipfile (CRC checked
 * by it), and the upload name checks.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipStream } from '../../src/service/files/zip-stream.js';
import { unsafeEntryName } from '../../src/service/submit/extract-frames-zip.js';

const T = mkdtempSync(join(tmpdir(), 'br-zipstream-'));
after(() => rmSync(T, { recursive: true, force: true }));

test('zipStream: Python reads every file back byte for byte', async () => {
  const files = [
    { name: 'mesh_0001.png', data: randomBytes(300_000) },
    { name: 'empty.png', data: Buffer.alloc(0) },
    { name: 'mesh_0002.png', data: Buffer.from('small') },
  ];
  for (const f of files) writeFileSync(join(T, f.name), f.data);
  const zip = join(T, 'out.zip');
  await pipeline(zipStream(files.map((f) => ({ name: f.name, path: join(T, f.name) })), new Date(2024, 5, 7, 8, 9, 10)), createWriteStream(zip));
  const py = `import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.compress_type, i.date_time, z.read(i).hex()] for i in z.infolist()]))`;
  const got = JSON.parse(execFileSync('python3', ['-c', py, zip], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  assert.deepEqual(got.map((g: any) => g[0]), files.map((f) => f.name));
  for (const [i, f] of files.entries()) {
    assert.equal(got[i][1], 0, 'STORE');
    assert.deepEqual(got[i][2], [2024, 6, 7, 8, 9, 10]);
    assert.equal(got[i][3], f.data.toString('hex'));
  }
  assert.ok(readFileSync(zip).length < 300_000 + 3 * 200, 'no compression, small overhead');
});

test('unsafe zip entry names', () => {
  assert.equal(unsafeEntryName('seq/frame_0001.npz'), null);
  assert.equal(unsafeEntryName('frame..0001.npz'), null);
  assert.match(unsafeEntryName('../../x')!, /\.\./);
  assert.match(unsafeEntryName('seq/../../x')!, /\.\./);
  assert.match(unsafeEntryName('/etc/passwd')!, /absolute/);
  assert.match(unsafeEntryName('C:/x')!, /absolute/);
  assert.match(unsafeEntryName('..\\x')!, /backslash/);
});
