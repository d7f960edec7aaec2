import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMakeDemoArgs } from '../../scripts/make-demo-data.js';

test('defaults: 300 frames with failures and mixed shapes into demo_data', () => {
  const a = parseMakeDemoArgs([]);
  assert.equal(a.out, 'demo_data');
  assert.deepEqual(a.options, { frames: 300, seed: 0, failures: true, shapes: 'mixed', names: 'params', groundTruthPath: undefined });
  const b = parseMakeDemoArgs(['--out', 'x', '--frames', '12', '--seed', '7', '--no-failures']);
  assert.deepEqual([b.out, b.options.frames, b.options.seed, b.options.failures, b.options.shapes], ['x', 12, 7, false, 'flat']);
});

test('bad values are refused with a precise message', () => {
  assert.throws(() => parseMakeDemoArgs(['--frames', '0']), { name: 'TypeError', message: 'Expected an integer >= 1 for --frames but received "0"' });
  assert.throws(() => parseMakeDemoArgs(['--seed', '-1']), TypeError);
  assert.throws(() => parseMakeDemoArgs(['--shapes', 'odd']), /one of flat, mixed/);
  assert.throws(() => parseMakeDemoArgs(['--bogus']));
});

test('the script writes the files and prints one summary line', () => {
  const root = mkdtempSync(join(tmpdir(), 'make-demo-'));
  try {
    const script = fileURLToPath(new URL('../../scripts/make-demo-data.js', import.meta.url));
    const r = spawnSync(process.execPath, [script, '--out', join(root, 'd'), '--frames', '50', '--seed', '2'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^make-demo-data: 50 frames in .* \(seed 2, [\d.]+ s\): ok \d+, no_person \d+, missing_key \d+, corrupt \d+, invalid_value \d+, missing_file \d+\n$/);
    assert.ok(readdirSync(join(root, 'd')).some((f) => f === 'frame_0050_params.npz'));
    const bad = spawnSync(process.execPath, [script, '--frames', 'many'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--frames/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
