/**
 * Runs that survive what users do to them: a terminal's Ctrl-C (SIGINT to the
 * whole process group), SIGTERM, kill -9, a full disk, a folder the user
 * cannot write, two runs into one folder, and a re-run with fewer frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { countVideoFrames, readReport, runCli } from '../helpers/run-cli.js';

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const renderingPast = (n: number) => (line: string) => /"phase":"render"/.test(line) && Number(/"done":(\d+)/.exec(line)?.[1]) > n;

/** Pids whose parent is `pid` (from /proc), with their command names. */
function childrenOf(pid: number): Array<{ pid: number; comm: string }> {
  const out: Array<{ pid: number; comm: string }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) out.push({ pid: Number(d), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch { /* gone */ }
  }
  return out;
}
const alive = (pid: number) => { try { process.kill(pid, 0); return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '); } catch { return false; } };
const temps = (dir: string) => readdirSync(dir).filter((f) => f.includes('.tmp'));

const seqPromise = (async () => {
  const seq = tmp('br-surv-seq-');
  await writeDemoSequence(seq, { frames: 240, seed: 5, failures: false });
  return seq;
})();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} to the whole process group (a terminal's Ctrl-C): exit 130, render.mp4 holds every finished frame`, async () => {
    const seq = await seqPromise;
    const out = tmp('br-surv-out-');
    let sent = false;
    const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', '128', '--json', '--use_fallback'], {
      group: true,
      onStdout: (chunk, kill) => { if (!sent && chunk.split('\n').some(renderingPast(5))) { sent = true; kill(signal); } },
    });
    assert.ok(sent, 'interrupted while rendering');
    assert.equal(r.code, 130, r.stderr);
    assert.doesNotMatch(r.stderr, /ffmpeg failed|internal error/);
    const report = readReport(out);
    assert.equal(report.interrupted, true);
    assert.ok(report.video, 'render.mp4 kept');
    const shown = report.frames.filter((f: { status: string }) => f.status === 'rendered' || f.status === 'fallback').length;
    assert.equal(report.video.frames, shown);
    assert.equal(countVideoFrames(join(out, 'render.mp4')), shown);
    assert.deepEqual(temps(out), []);
    assert.ok(!existsSync(join(out, '.batch-render.lock')), 'lock released');
  });
}

test('kill -9: Xvfb and ffmpeg end with the tool; the next run removes the dead run\'s temporary files', async () => {
  const seq = await seqPromise;
  const out = tmp('br-surv-k9-');
  let pid = 0;
  let kids: Array<{ pid: number; comm: string }> = [];
  const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', '128', '--json', '--use_fallback', '--gl', 'glx'], {
    onSpawn: (p) => { pid = p; },
    onStdout: (chunk, kill) => {
      if (kids.length === 0 && chunk.split('\n').some(renderingPast(5))) {
        kids = childrenOf(pid);
        kill('SIGKILL');
      }
    },
  });
  assert.equal(r.signal, 'SIGKILL');
  assert.ok(kids.some((k) => k.comm === 'ffmpeg'), `ffmpeg was running: ${JSON.stringify(kids)}`);
  const deadline = Date.now() + 5000;
  while (kids.some((k) => alive(k.pid)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  assert.deepEqual(kids.filter((k) => alive(k.pid)), [], 'no child of ours outlives it');
  assert.ok(temps(out).length > 0, 'the killed run left its temporary MP4');
  assert.ok(existsSync(join(out, '.batch-render.lock')), 'and its lock');

  const again = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', '128', '--use_fallback']);
  assert.equal(again.code, 0, again.stderr);
  const report = readReport(out);
  assert.ok(report.warnings.some((w: string) => /temporary file.*no longer alive/.test(w)), JSON.stringify(report.warnings));
  assert.ok(report.warnings.some((w: string) => /lock of a run that is no longer alive/.test(w)), JSON.stringify(report.warnings));
  assert.deepEqual(temps(out), []);
  assert.equal(countVideoFrames(join(out, 'render.mp4')), 240);
});

test('a full disk stops the run: exit 1, one line, no MP4 under its final name', async (t) => {
  const seq = await seqPromise;
  // PNGs fill 600 kB within ~40 frames; the MP4 alone (--no-png) fills 48 kB.
  for (const [size, extra] of [['600k', []], ['48k', ['--no-png']]] as const) {
    const mnt = tmp('br-surv-full-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt]);
    } catch (err) {
      // Mounting needs privileges; CI runs as root where it works. Anywhere else, say so.
      t.skip(`cannot mount a small tmpfs here: ${(err as Error).message.split('\n')[0]}`);
      return;
    }
    try {
      const out = join(mnt, 'out');
      const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', '256', '--use_fallback', ...extra]);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('batch-render:'));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /output disk full/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.ok(!existsSync(join(out, 'render.mp4')), 'no partial MP4 under the final name');
      assert.deepEqual(temps(out), []);
    } finally {
      execFileSync('umount', [mnt]);
    }
  }
});

test('an output folder the user cannot write: exit 2, one line naming it', async (t) => {
  const seq = await seqPromise;
  if (process.getuid?.() !== 0) { t.skip('needs root to switch to an unprivileged user'); return; }
  const out = tmp('br-surv-ro-');
  chmodSync(out, 0o755); // owned by root: nobody cannot write
  const home = tmp('br-surv-home-');
  chmodSync(home, 0o777);
  chmodSync(seq, 0o755);
  const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', '64'], { uid: 65534, gid: 65534, env: { TMPDIR: home, HOME: home } });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`--output_dir ${out}: not writable \\(EACCES\\)`));
});

test('one folder, one run: a live holder is named (exit 2); a re-run with fewer frames removes the extra images', async () => {
  const seq = await seqPromise;
  const out = tmp('br-surv-lock-');
  writeFileSync(join(out, '.batch-render.lock'), JSON.stringify({ pid: process.pid, started: 'now' }));
  const busy = await runCli(['--npz_dir', seq, '--output_dir', out, '--dry-run']);
  assert.equal(busy.code, 2, busy.stderr);
  assert.match(busy.stderr, new RegExp(`in use by another batch-render run \\(pid ${process.pid}`));
  rmSync(join(out, '.batch-render.lock'));

  const short = tmp('br-surv-short-');
  await writeDemoSequence(short, { frames: 6, seed: 5, failures: false });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'mesh_0100.png'), 'left by an earlier, longer run');
  const r = await runCli(['--npz_dir', short, '--output_dir', out, '--img_size', '64']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!existsSync(join(out, 'mesh_0100.png')));
  assert.ok(readReport(out).warnings.some((w: string) => /mesh_0100\.png/.test(w)));
});
