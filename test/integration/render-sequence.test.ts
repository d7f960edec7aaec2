/**
 * End to end through the real CLI on a generated OSX-format sequence with
 * every failure case: the report must match the generator's ground truth,
 * and PNG and MP4 frame counts must follow the policy.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeDemoSequence, type GroundTruth } from '../../src/demo-data/write-sequence.js';
import { runCli, readReport, countVideoFrames, videoStream } from '../helpers/run-cli.js';

const FRAMES = 48;
let dir: string;
let truth: GroundTruth;
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `br-${name}-`));
const pngs = (out: string) => readdirSync(out).filter((f) => /^mesh_\d+\.png$/.test(f)).sort();

before(async () => {
  dir = tmp('seq');
  truth = await writeDemoSequence(dir, { frames: FRAMES, seed: 3, failures: true, shapes: 'mixed', noPersonRate: 0.1 });
});

function assertMatchesTruth(report: any): void {
  assert.equal(report.schema, 'batch-render/report@1');
  assert.equal(report.frames.length, FRAMES, 'one entry per frame');
  assert.deepEqual(report.frames.map((f: any) => f.frame), Array.from({ length: FRAMES }, (_, i) => i + 1));
  for (const f of report.frames) {
    const t = truth.frames[f.frame - 1];
    assert.equal(f.check, t.check, `frame ${f.frame} (${t.case}: ${t.detail}): report says ${f.check} (${f.detail})`);
  }
  for (const reason of ['no_person', 'missing_key', 'corrupt', 'invalid_value', 'missing_file'] as const) {
    assert.equal(report.reasons[reason], truth.counts[reason], reason);
  }
}

test('fallback: every frame has an image, the video has every frame, the report matches ground truth', async () => {
  const out = tmp('fallback');
  const r = await runCli(['--npz_dir', dir, '--output_dir', out, '--use_fallback', '--img_size', '256']);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assertMatchesTruth(report);
  const ok = truth.counts.ok;
  assert.equal(report.totals.rendered, ok);
  assert.equal(report.totals.fallback, FRAMES - ok);
  assert.equal(pngs(out).length, FRAMES);
  assert.equal(countVideoFrames(join(out, 'render.mp4')), FRAMES);
  const vs = videoStream(join(out, 'render.mp4'));
  assert.equal(vs.codec_name, 'h264');
  assert.equal(vs.pix_fmt, 'yuv420p');
  assert.deepEqual(report.video, { file: 'render.mp4', frames: FRAMES, fps: 30, fingerprint: report.video.fingerprint });
  assert.match(report.video.fingerprint, /^[0-9a-f]{20}$/);
  // Fallback frames show the nearest previous renderable frame (the first valid one for leading gaps).
  const firstOk = truth.frames.find((t) => t.check === 'ok')!.frame;
  let last: number | null = null;
  for (const f of report.frames) {
    if (f.check === 'ok') { last = f.frame; assert.equal(f.status, 'rendered'); continue; }
    assert.equal(f.status, 'fallback');
    assert.equal(f.source_frame, last ?? firstOk);
    // Reused, not re-rendered: identical bytes to the source image.
    assert.ok(readFileSync(join(out, f.image)).equals(readFileSync(join(out, `mesh_${String(f.source_frame).padStart(4, '0')}.png`))));
  }
  assert.equal(report.renderer.device, 'cpu');
  assert.match(report.renderer.gl_renderer, /llvmpipe|softpipe|NVIDIA/);
  assert.match(report.renderer.gl_vendor, /\S/);
  assert.ok(!readdirSync(out).some((f) => f.includes('.tmp')), 'no temporary files left');
  assert.match(r.stderr, /rendered \d+/);
});

test('skip: only renderable frames get images and video frames', async () => {
  const out = tmp('skip');
  const r = await runCli(['--npz_dir', dir, '--output_dir', out, '--img_size', '128', '--policy', 'skip']);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assertMatchesTruth(report);
  assert.equal(report.totals.skipped, FRAMES - truth.counts.ok);
  assert.equal(pngs(out).length, truth.counts.ok);
  assert.equal(countVideoFrames(join(out, 'render.mp4')), truth.counts.ok);
  for (const f of report.frames) assert.equal(f.image === null, f.check !== 'ok');
});

test('placeholder: same size images for frames without a person', async () => {
  const out = tmp('placeholder');
  const r = await runCli(['--npz_dir', dir, '--output_dir', out, '--img_size', '200', '--policy', 'placeholder', '--no-mp4']);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assert.equal(report.totals.placeholder, FRAMES - truth.counts.ok);
  assert.equal(pngs(out).length, FRAMES);
  assert.equal(report.video, null);
  assert.ok(!existsSync(join(out, 'render.mp4')));
  const ph = report.frames.find((f: any) => f.status === 'placeholder');
  const meta = await sharp(join(out, ph.image)).metadata();
  assert.equal(meta.width, 200);
  assert.equal(meta.height, 200);
});

test('dry run writes only the plan, fast, and classifies like a real run', async () => {
  const out = tmp('dry');
  const r = await runCli(['--npz_dir', dir, '--output_dir', out, '--dry-run', '--use_fallback']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(out), ['render_report.json']);
  const report = readReport(out);
  assert.equal(report.dry_run, true);
  assertMatchesTruth(report);
  assert.equal(report.totals.fallback, FRAMES - truth.counts.ok);
  assert.equal(report.renderer, null);
});

test('quality gate: exit 3 when the missing rate exceeds the limit, 0 when it does not', async () => {
  const rate = (FRAMES - truth.counts.ok) / FRAMES;
  const low = await runCli(['--npz_dir', dir, '--output_dir', tmp('gate1'), '--dry-run', '--fail-on-missing-rate', String(rate / 2)]);
  assert.equal(low.code, 3, low.stderr);
  const high = await runCli(['--npz_dir', dir, '--output_dir', tmp('gate2'), '--dry-run', '--fail-on-missing-rate', String(Math.min(1, rate + 0.01))]);
  assert.equal(high.code, 0, high.stderr);
});

test('a sequence with no renderable frame: report written, exit 3, no crash', async () => {
  const bad = tmp('allbad');
  await writeDemoSequence(bad, { frames: 6, seed: 1, noPersonRate: 1 });
  const out = tmp('allbad-out');
  const r = await runCli(['--npz_dir', bad, '--output_dir', out, '--use_fallback']);
  assert.equal(r.code, 3, r.stderr);
  const report = readReport(out);
  assert.equal(report.totals.rendered, 0);
  assert.equal(report.frames.length, 6);
  assert.equal(report.error.code, 'NOTHING_RENDERABLE');
});

test('usage and configuration errors: exit 2 with one line naming the problem', async () => {
  const missing = await runCli(['--npz_dir', '/nonexistent/frames']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  assert.match(missing.stderr, /--npz_dir \/nonexistent\/frames: no such directory/);
  const flag = await runCli(['--npz_dir', dir, '--img_size', '-5']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--img_size/);
  const model = await runCli(['--npz_dir', dir, '--output_dir', tmp('badmodel'), '--model_path', join(dir, 'frame_0002_params.npz')]);
  assert.equal(model.code, 2, model.stderr);
  assert.match(model.stderr, /frame_0002_params\.npz/);
});
