/**
 * The full --video path through the real CLI, with tiny generated ONNX
 * models: MP4 in → NPZ files in <out>/npz → PNGs, MP4 and a report with an
 * `extraction` section; the same NPZ folder rendered again with --npz_dir
 * gives the same images; Ctrl-C during extraction keeps the finished files.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVideo, type Rgb } from '../helpers/make-video.js';
import { boxesScoresDetectorHeads, linearModel, poseHeads } from '../helpers/onnx-models.js';
import { runCli, readReport, countVideoFrames } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'br-video-'));
const W = 160, H = 120;
const BLACK: Rgb = [0, 0, 0];
const colours: Rgb[] = [[200, 120, 60], [90, 200, 150], [250, 250, 250], BLACK, [180, 90, 200], [100, 220, 100], [230, 180, 100], [160, 160, 220]];
const clip = join(dir, 'clip.mp4');
const pose = join(dir, 'pose.onnx');
const det = join(dir, 'det.onnx');
const pngs = (out: string) => readdirSync(out).filter((f) => /^mesh_\d+\.png$/.test(f)).sort();

before(async () => {
  await makeVideo(clip, { width: W, height: H, fps: 10, frames: colours });
  writeFileSync(pose, linearModel({ height: 64, width: 48, heads: poseHeads({ score: true }) }));
  writeFileSync(det, linearModel({ inputName: 'images', height: 64, width: 64, heads: boxesScoresDetectorHeads() }));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('--video: extraction into <out>/npz, rendered over the video; --npz_dir on that folder gives the same images', async () => {
  const out = join(dir, 'out');
  // Left from an earlier run: our stale frame goes, anything else stays.
  mkdirSync(join(out, 'npz'), { recursive: true });
  writeFileSync(join(out, 'npz', 'frame_0099_params.npz'), 'stale');
  writeFileSync(join(out, 'npz', 'notes.txt'), 'mine');
  const args = ['--layout', 'overlay', '--person', 'all', '--min_score', '0.3'];
  const r = await runCli(['--video', clip, '--pose_model', pose, '--detector_model', det, '--batch_size', '3', ...args, '--output_dir', out]);
  assert.equal(r.code, 0, r.stderr);

  const npz = readdirSync(join(out, 'npz')).sort();
  assert.deepEqual(npz, [...colours.map((_, i) => `frame_${String(i + 1).padStart(4, '0')}_params.npz`), 'notes.txt']);
  const report = readReport(out);
  const x = report.extraction;
  assert.equal(x.video, clip);
  assert.equal(x.pose_model, pose);
  assert.equal(x.detector_model, det);
  // setup-debian.sh skips onnxruntime-node's CUDA binaries, so the CPU provider runs on any machine it set up.
  assert.equal(x.provider, 'cpu');
  assert.equal(x.frames, colours.length);
  assert.equal(x.fps, 10);
  assert.deepEqual(x.persons_per_frame, { min: 0, max: 2, mean: 1.75, frames_with_nobody: 1, counts: { 0: 1, 2: 7 } });
  assert.ok(x.seconds > 0);
  assert.equal(report.input.video, clip);
  assert.equal(report.input.npz_dir, join(out, 'npz'));
  assert.equal(report.options.fps.value, 10, '--fps defaults to the video\'s rate');
  assert.deepEqual(report.video, { file: 'render.mp4', frames: colours.length, fps: 10, fingerprint: report.video.fingerprint });
  assert.equal(countVideoFrames(join(out, 'render.mp4')), colours.length);
  assert.equal(report.totals.rendered, 7);
  assert.equal(report.frames[3].check, 'no_person');
  assert.equal(pngs(out).length, colours.length);
  assert.match(r.stderr, /extract \d+\/8 frames/);

  const again = join(dir, 'again');
  const r2 = await runCli(['--npz_dir', join(out, 'npz'), '--background', clip, ...args, '--output_dir', again]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.deepEqual(pngs(again), pngs(out));
  for (const f of pngs(out)) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(again, f))), `${f} differs between --video and --npz_dir`);
});

test('--video, mesh layout and an explicit --fps: the NPZ folder re-renders to the same images', async () => {
  const out = join(dir, 'mesh');
  const r = await runCli(['--video', clip, '--pose_model', pose, '--min_score', '0.1', '--fps', '24', '--img_size', '96', '--output_dir', out]);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assert.equal(report.extraction.detector_model, null);
  assert.equal(report.video.fps, 24);
  assert.equal(report.layout, undefined, 'mesh layout: no layout section, as before');
  const again = join(dir, 'mesh-again');
  const r2 = await runCli(['--npz_dir', join(out, 'npz'), '--img_size', '96', '--output_dir', again]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.ok(pngs(out).length > 0);
  assert.deepEqual(pngs(again), pngs(out));
  for (const f of pngs(out)) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(again, f))), `${f} differs`);
});

test('Ctrl-C during extraction: exit 130, finished NPZ files stay, the report says what was done', async () => {
  const long = join(dir, 'long.mp4');
  await makeVideo(long, { width: W, height: H, fps: 25, frames: Array.from({ length: 400 }, (_, i) => colours[i % colours.length]), codec: 'yuv420p' });
  const out = join(dir, 'cut');
  let sent = false;
  const r = await runCli(['--video', long, '--pose_model', pose, '--batch_size', '1', '--output_dir', out], {
    onStderr: (s, kill) => { if (!sent && /extract \d+\/400/.test(s)) { sent = true; kill('SIGINT'); } },
  });
  assert.ok(sent, r.stderr);
  assert.equal(r.code, 130, r.stderr);
  const report = readReport(out);
  assert.equal(report.interrupted, true);
  assert.equal(report.exit_code, 130);
  assert.equal(report.extraction.interrupted, true);
  const files = readdirSync(join(out, 'npz')).filter((f) => f.endsWith('_params.npz'));
  assert.ok(files.length >= 1 && files.length < 400, `${files.length} NPZ files kept`);
  assert.equal(report.extraction.frames, files.length);
  assert.match(report.warnings[0], /interrupted during pose extraction/);
  assert.ok(!existsSync(join(out, 'render.mp4')));
});
