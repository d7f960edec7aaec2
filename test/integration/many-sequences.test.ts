/**
 * Many sequences in one run, through the real CLI: a folder of sequence
 * folders (one broken) and repeated --npz_dir; index.json against each
 * sequence's own report; the exit code is the worst one (2 over 3 over 0).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { readReport, runCli } from '../helpers/run-cli.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const pngs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

test('a folder of three sequence folders: one output folder each, index.json, the worst exit code', async () => {
  const root = tmp('br-many-');
  // alpha: everyone detected (exit 0); beta: 30 % nobody, over the gate (exit 3);
  // broken: a frame numbered far past the rest, a usage error (exit 2).
  await writeDemoSequence(join(root, 'alpha'), { frames: 12, seed: 1, noPersonRate: 0 });
  await writeDemoSequence(join(root, 'beta'), { frames: 20, seed: 2, noPersonRate: 0.3 });
  await writeDemoSequence(join(root, 'broken'), { frames: 5, seed: 3 });
  renameSync(join(root, 'broken', 'frame_0005_params.npz'), join(root, 'broken', 'frame_5000000_params.npz'));
  const out = tmp('br-many-out-');
  const r = await runCli(['--npz_dir', root, '--output_dir', out, '--img_size', '64', '--fail-on-missing-rate', '0.1']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /sequence broken: exit 2 \(.*frame_5000000_params\.npz/);

  const index = readJson(join(out, 'index.json'));
  assert.equal(index.exit_code, 2);
  assert.deepEqual(index.sequences.map((s: { name: string; exit_code: number }) => [s.name, s.exit_code]), [['alpha', 0], ['beta', 3], ['broken', 2]]);
  const sum: Record<string, number> = {};
  for (const s of index.sequences.slice(0, 2)) {
    const own = readReport(join(out, s.name));
    assert.equal(s.report, join(out, s.name, 'render_report.json'));
    assert.deepEqual(s.totals, own.totals);
    assert.deepEqual(s.reasons, own.reasons);
    assert.equal(s.exit_code, own.exit_code);
    for (const [k, v] of Object.entries(own.totals as Record<string, number>)) sum[k] = (sum[k] ?? 0) + v;
  }
  assert.equal(sum.frames, 32);
  assert.deepEqual(index.totals, sum);
  assert.equal(index.sequences[1].error.code, 'QUALITY_GATE');
  assert.equal(index.sequences[2].error.code, 'USAGE');
  assert.equal(index.sequences[2].totals, null);
  assert.ok(existsSync(join(out, 'beta', 'render.mp4')), 'beta rendered in spite of the broken sequence after it');

  // A single --npz_dir of frame files is the run of today: no index, the same images.
  const single = tmp('br-many-single-');
  assert.equal((await runCli(['--npz_dir', join(root, 'alpha'), '--output_dir', single, '--img_size', '64'])).code, 0);
  assert.ok(!existsSync(join(single, 'index.json')));
  assert.deepEqual(pngs(single), pngs(join(out, 'alpha')));
  for (const f of pngs(single)) assert.ok(readFileSync(join(single, f)).equals(readFileSync(join(out, 'alpha', f))), `${f} differs`);
});

test('repeated --npz_dir: same-named sequences get distinct folders', async () => {
  const root = tmp('br-many-rep-');
  for (const p of ['a', 'b']) mkdirSync(join(root, p));
  await writeDemoSequence(join(root, 'a', 'take'), { frames: 6, seed: 4 });
  await writeDemoSequence(join(root, 'b', 'take'), { frames: 8, seed: 5 });
  const out = tmp('br-many-rep-out-');
  const r = await runCli(['--npz_dir', join(root, 'a', 'take'), '--npz_dir', join(root, 'b', 'take'), '--output_dir', out, '--img_size', '64', '--no-mp4']);
  assert.equal(r.code, 0, r.stderr);
  const index = readJson(join(out, 'index.json'));
  assert.deepEqual(index.sequences.map((s: { name: string }) => s.name), ['take', 'take-2']);
  assert.equal(readReport(join(out, 'take')).totals.frames, 6);
  assert.equal(readReport(join(out, 'take-2')).totals.frames, 8);
});

test('Ctrl-C during a many-sequence run: the finished ones stay, the rest are listed with 130, exit 130', async () => {
  const root = tmp('br-many-int-');
  for (const [i, name] of ['a1', 'b2', 'c3'].entries()) await writeDemoSequence(join(root, name), { frames: i === 0 ? 6 : 60, seed: i + 1 });
  const out = tmp('br-many-int-out-');
  let sent = false;
  const r = await runCli(['--npz_dir', root, '--output_dir', out, '--img_size', '64'], {
    group: true,
    onStderr: (chunk, kill) => { if (!sent && /sequence a1: exit 0/.test(chunk)) { sent = true; kill('SIGINT'); } },
  });
  assert.ok(sent);
  assert.equal(r.code, 130, r.stderr);
  const index = readJson(join(out, 'index.json'));
  assert.deepEqual(index.sequences.map((s: { name: string; exit_code: number }) => [s.name, s.exit_code]), [['a1', 0], ['b2', 130], ['c3', 130]]);
  assert.equal(index.sequences[2].error.message, 'not started: the run was interrupted');
  assert.ok(!existsSync(join(out, 'c3')));
  assert.equal(readReport(join(out, 'a1')).totals.rendered, 6);
});
