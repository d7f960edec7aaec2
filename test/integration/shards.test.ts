/**
 * Shards (--shard K/N, --shard auto) and `batch-render merge`, through the
 * real CLI: three shards into one folder, merged, equal a one-machine run of
 * the same command (PNG bytes, render.mp4 frame count, totals); a missing
 * shard is named with exit 3; Slurm's and Kubernetes' variables pick the shard.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { parseShard } from '../../src/config/parse-run-options.js';
import { countVideoFrames, readReport, runCli } from '../helpers/run-cli.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const pngs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const args = (seq: string, out: string, ...more: string[]) => ['--npz_dir', seq, '--output_dir', out, '--img_size', '64', '--use_fallback', ...more];
type Frame = { frame: number; status: string; source_frame: number | null; image: string | null };

// Seed 9: frames 1, 2, 19–22 have nobody; with N = 3 (frames 1–10, 11–20, 21–30) frames 21 and 22 show frame 18, in shard 1.
const setup = (async () => {
  const seq = tmp('br-shard-seq-');
  await writeDemoSequence(seq, { frames: 30, seed: 9, noPersonRate: 0.2 });
  const whole = tmp('br-shard-whole-');
  const r = await runCli(args(seq, whole));
  assert.equal(r.code, 0, r.stderr);
  return { seq, whole };
})();

function sameAsWhole(whole: string, out: string, names = pngs(whole)): void {
  for (const f of names) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(whole, f))), `${f} differs from the one-machine run`);
}

test('three shards into one folder, then merge: the same PNGs, video frames and totals as one machine', async () => {
  const { seq, whole } = await setup;
  const w = readReport(whole);
  const f21 = w.frames.find((f: Frame) => f.frame === 21);
  assert.deepEqual([f21.status, f21.source_frame], ['fallback', 18], 'the sequence has a fallback whose source is in another shard');
  const out = tmp('br-shard-out-');
  // Shard 2 first: its fallback source (frame 18) is shard 1's, not written yet.
  for (const k of [2, 0, 1]) {
    const r = await runCli(args(seq, out, '--shard', `${k}/3`));
    assert.equal(r.code, 0, r.stderr);
    const s = readJson(join(out, `shard_${k}_of_3.json`));
    assert.deepEqual(s.shard.plan_indices, [[0, 10], [10, 20], [20, 30]][k]);
    assert.equal(s.shard.complete, true);
    assert.deepEqual(s.frames.map((f: Frame) => f.frame), Array.from({ length: 10 }, (_, i) => 10 * k + i + 1));
    // The first shard run drew frame 18 for frames 21 and 22 but left its PNG to shard 1.
    if (k === 2) assert.deepEqual(pngs(out), Array.from({ length: 10 }, (_, i) => `mesh_00${21 + i}.png`));
  }
  assert.ok(!existsSync(join(out, 'render.mp4')) && !existsSync(join(out, 'render_report.json')), 'shards write no video and no whole report');
  const m = await runCli(['merge', out]);
  assert.equal(m.code, 0, m.stderr);
  assert.deepEqual(pngs(out), pngs(whole));
  sameAsWhole(whole, out);
  const merged = readReport(out);
  assert.deepEqual(merged.totals, w.totals);
  assert.deepEqual(merged.reasons, w.reasons);
  assert.deepEqual(merged.frames.map((f: Frame) => [f.frame, f.status, f.source_frame, f.image]), w.frames.map((f: Frame) => [f.frame, f.status, f.source_frame, f.image]));
  assert.equal(countVideoFrames(join(out, 'render.mp4')), countVideoFrames(join(whole, 'render.mp4')));
  assert.equal(merged.video.fingerprint, w.video.fingerprint, 'the merged video depends on the same frames');
  assert.ok(existsSync(join(out, 'render_report.html')));

  // Resume per shard: running shard 1 again reuses its frames and touches no other shard's file.
  const others = pngs(out).filter((f) => !/^mesh_00(1[1-9]|20)\.png$/.test(f)).map((f) => [f, statSync(join(out, f)).mtimeMs] as const);
  const again = await runCli(args(seq, out, '--shard', '1/3'));
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readJson(join(out, 'shard_1_of_3.json')).totals.reused, 10);
  for (const [f, t] of others) assert.equal(statSync(join(out, f)).mtimeMs, t, `${f} untouched`);
  sameAsWhole(whole, out);
});

test('merge with a missing shard exits 3 naming it, and writes no report', async () => {
  const { seq } = await setup;
  const out = tmp('br-shard-miss-');
  for (const k of [0, 2]) assert.equal((await runCli(args(seq, out, '--shard', `${k}/3`))).code, 0);
  const m = await runCli(['merge', out]);
  assert.equal(m.code, 3, m.stderr);
  assert.match(m.stderr, /missing shard 1 of 3 \(shard_1_of_3\.json\)/);
  assert.ok(!existsSync(join(out, 'render_report.json')) && !existsSync(join(out, 'render.mp4')));

  // A shard whose lock is held by a live process (this test) is still running: not merged.
  writeFileSync(join(out, '.batch-render.shard-0.lock'), JSON.stringify({ pid: process.pid, started: 'now' }) + '\n');
  const busy = await runCli(['merge', out]);
  assert.equal(busy.code, 3);
  assert.match(busy.stderr, new RegExp(`shard 0 is still running \\(pid ${process.pid}`));
  rmSync(join(out, '.batch-render.shard-0.lock'));

  // A shard of another plan (other settings) is named too.
  const other = tmp('br-shard-other-');
  cpSync(out, other, { recursive: true });
  assert.equal((await runCli(args(seq, other, '--shard', '1/3', '--img_size', '48'))).code, 0);
  const m2 = await runCli(['merge', other]);
  assert.equal(m2.code, 3);
  assert.match(m2.stderr, /shard 1 is of another plan/);
  rmSync(other, { recursive: true, force: true });

  const none = await runCli(['merge', tmp('br-shard-none-')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no shard reports/);
});

test('--shard auto takes the shard from Slurm array or Kubernetes Indexed Job variables', async () => {
  const { seq, whole } = await setup;
  const out = tmp('br-shard-auto-');
  // sbatch --array=1-3: task 2 is the second shard (0-based 1) of 3.
  const slurm = await runCli(args(seq, out, '--shard', 'auto'), { env: { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3' } });
  assert.equal(slurm.code, 0, slurm.stderr);
  assert.deepEqual(readJson(join(out, 'shard_1_of_3.json')).shard.plan_indices, [10, 20]);
  sameAsWhole(whole, out, pngs(out));
  assert.deepEqual(pngs(out), Array.from({ length: 10 }, (_, i) => `mesh_00${11 + i}.png`));
  const k8s = await runCli(args(seq, out, '--shard', 'auto', '--shard_count', '3'), { env: { JOB_COMPLETION_INDEX: '0' } });
  assert.equal(k8s.code, 0, k8s.stderr);
  assert.ok(existsSync(join(out, 'shard_0_of_3.json')));
  const bad = await runCli(args(seq, out, '--shard', 'auto'), { env: { JOB_COMPLETION_INDEX: '0' } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /JOB_COMPLETION_INDEX is set but no shard count/);
});

test('parseShard: K/N is 0-based; Slurm ids count from SLURM_ARRAY_TASK_MIN', () => {
  assert.deepEqual(parseShard('0/3', null, {}), { index: 0, count: 3 });
  assert.throws(() => parseShard('3/3', null, {}), /0 ≤ K < N/);
  assert.throws(() => parseShard('1of3', null, {}), /K\/N/);
  assert.deepEqual(parseShard('auto', null, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '8' }), { index: 7, count: 8 });
  assert.deepEqual(parseShard('auto', null, { SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_COUNT: '8', SLURM_ARRAY_TASK_MIN: '1' }), { index: 7, count: 8 });
  assert.deepEqual(parseShard('auto', null, { JOB_COMPLETION_INDEX: '4', BATCH_RENDER_SHARD_COUNT: '5' }), { index: 4, count: 5 });
  // A re-submitted part of the array (sbatch --array=3) with the count given keeps its index.
  assert.deepEqual(parseShard('auto', null, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '3', BATCH_RENDER_SHARD_COUNT: '8' }), { index: 3, count: 8 });
  assert.deepEqual(parseShard('auto', 8, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '1', SLURM_ARRAY_TASK_MIN: '3' }), { index: 3, count: 8 });
  assert.throws(() => parseShard('auto', null, { SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_COUNT: '8' }), /out of range/);
});

test('a shard killed with kill -9 resumes from its own journal when run again', async () => {
  // Long enough that the throttled progress reports a frame count before the end.
  const seq = tmp('br-shard-k9-seq-');
  await writeDemoSequence(seq, { frames: 120, seed: 9, noPersonRate: 0.2 });
  const out = tmp('br-shard-k9-');
  let killed = false;
  const first = await runCli(args(seq, out, '--shard', '0/1', '--json'), {
    onStdout: (chunk, kill) => {
      if (!killed && chunk.split('\n').some((l) => /"phase":"render"/.test(l) && Number(/"done":(\d+)/.exec(l)?.[1]) > 10)) { killed = true; kill('SIGKILL'); }
    },
  });
  assert.equal(first.signal, 'SIGKILL', 'killed mid-shard');
  assert.ok(existsSync(join(out, '.batch-render.journal.shard-0.jsonl')), 'the shard journalled its finished frames under its own name');
  assert.ok(!existsSync(join(out, 'shard_0_of_1.json')));
  const again = await runCli(args(seq, out, '--shard', '0/1'));
  assert.equal(again.code, 0, again.stderr);
  const s = readJson(join(out, 'shard_0_of_1.json'));
  // On a fast machine the kill can land after the last frame but before the shard report: all reused from the journal is fine.
  assert.ok(s.totals.reused > 0 && s.totals.reused <= 120, `finished frames were reused from the journal (${s.totals.reused})`);
  assert.ok(!existsSync(join(out, '.batch-render.journal.shard-0.jsonl')), 'the shard report says it all now');
  assert.equal((await runCli(['merge', out])).code, 0);
  const merged = readReport(out);
  assert.equal(merged.totals.frames, 120);
  assert.equal(countVideoFrames(join(out, 'render.mp4')), merged.frames.filter((f: Frame) => f.image).length);
});
