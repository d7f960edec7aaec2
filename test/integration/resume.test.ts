/**
 * Resume and incremental re-render: a re-run reuses every finished output
 * whose fingerprint matches, renders the rest, and ends equal to an
 * uninterrupted run; --force renders everything again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { countVideoFrames, readReport, runCli } from '../helpers/run-cli.js';
import { execFileSync } from 'node:child_process';
import { pythonWithNumpy } from '../helpers/python.js';

/** numpy edits the test's input; without numpy this test fails (CI installs it). */
function runPython(code: string, argv: string[]): void {
  if (!pythonWithNumpy) throw new Error('python3 with numpy is required (apt-get install python3-numpy)');
  execFileSync(pythonWithNumpy, ['-c', code, ...argv]);
}

const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const pngs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
const args = (seq: string, out: string, ...more: string[]) => ['--npz_dir', seq, '--output_dir', out, '--img_size', '96', '--use_fallback', ...more];
type Frame = { frame: number; status: string; source_frame: number | null; image: string | null; reused?: boolean };

const seqPromise = (async () => {
  const seq = tmp('br-res-seq-');
  await writeDemoSequence(seq, { frames: 120, seed: 11, noPersonRate: 0.1 });
  return seq;
})();

function sameOutputs(a: string, b: string): void {
  assert.deepEqual(pngs(a), pngs(b));
  for (const f of pngs(a)) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs`);
  const ra = readReport(a), rb = readReport(b);
  const strip = (t: Record<string, number>) => { const { reused, ...rest } = t; void reused; return rest; };
  assert.deepEqual(strip(rb.totals), strip(ra.totals));
  assert.equal(countVideoFrames(join(b, 'render.mp4')), countVideoFrames(join(a, 'render.mp4')));
}

test('a no-op re-run reuses everything and touches nothing; --force renders again', async () => {
  const seq = await seqPromise;
  const out = tmp('br-res-noop-');
  assert.equal((await runCli(args(seq, out))).code, 0);
  const before = new Map(pngs(out).map((f) => [f, statSync(join(out, f)).mtimeMs]));
  const mp4 = statSync(join(out, 'render.mp4')).mtimeMs;
  const again = await runCli(args(seq, out));
  assert.equal(again.code, 0, again.stderr);
  const r = readReport(out);
  const shown = r.frames.filter((f: Frame) => f.image).length;
  assert.equal(r.totals.reused, shown);
  for (const [f, t] of before) assert.equal(statSync(join(out, f)).mtimeMs, t, `${f} untouched`);
  assert.equal(statSync(join(out, 'render.mp4')).mtimeMs, mp4, 'render.mp4 kept as it was');
  assert.equal(r.renderer, null, 'no renderer started');

  const forced = await runCli(args(seq, out, '--force'));
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readReport(out).totals.reused, 0);
});

test('changing one input file re-renders exactly that frame and the fallback frames that show it', async () => {
  const seq = await seqPromise;
  const out = tmp('br-res-inc-');
  assert.equal((await runCli(args(seq, out))).code, 0);
  const first = readReport(out);
  // A rendered frame that some fallback frame copies.
  const k = first.frames.find((f: Frame) => f.status === 'fallback')!.source_frame as number;
  const dependents = first.frames.filter((f: Frame) => f.frame === k || (f.status === 'fallback' && f.source_frame === k)).map((f: Frame) => f.frame);
  const file = join(seq, `frame_${String(k).padStart(4, '0')}_params.npz`);
  // numpy edits the file: only the expression changes, which moves no joint (the camera stays).
  runPython(`
import numpy as np, sys
p = sys.argv[1]
d = dict(np.load(p))
d['person_0_smplx_expr'] = d['person_0_smplx_expr'] + 0.5
np.savez(p, **d)
`, [file]);
  const again = await runCli(args(seq, out));
  assert.equal(again.code, 0, again.stderr);
  const r = readReport(out);
  const redone = r.frames.filter((f: Frame) => f.image && !f.reused).map((f: Frame) => f.frame);
  assert.deepEqual(redone, dependents);
  assert.equal(countVideoFrames(join(out, 'render.mp4')), r.video.frames);
});

test('after kill -9 mid-run, running the same command again finishes only what is missing and equals an uninterrupted run', async () => {
  const seq = await seqPromise;
  const whole = tmp('br-res-whole-');
  assert.equal((await runCli(args(seq, whole))).code, 0);
  const out = tmp('br-res-k9-');
  let killed = false;
  await runCli(args(seq, out, '--json'), {
    onStdout: (chunk, kill) => {
      if (!killed && chunk.split('\n').some((l) => /"phase":"render"/.test(l) && Number(/"done":(\d+)/.exec(l)?.[1]) > 30)) { killed = true; kill('SIGKILL'); }
    },
  });
  assert.ok(killed);
  const again = await runCli(args(seq, out));
  assert.equal(again.code, 0, again.stderr);
  assert.ok(readReport(out).totals.reused > 0, 'finished frames were reused');
  sameOutputs(whole, out);
});
