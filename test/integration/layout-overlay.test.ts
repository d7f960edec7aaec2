/**
 * --layout overlay through the real CLI: the mesh must land where the
 * pinhole camera of each person puts it (IoU against an independent JS
 * rasterisation), frames without a person show the plain video frame, and
 * with --person all each person keeps its own camera in one depth-tested draw.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVideo, type Rgb } from '../helpers/make-video.js';
import { runCli, readReport, countVideoFrames, videoStream } from '../helpers/run-cli.js';
import { scaleIntrinsics } from '../../src/camera/projection.js';
import { count, differsFrom, iou, readRgb, silhouette, writeFrame, type TestPerson } from '../compose/layout-fixtures.js';

const W = 240, H = 180;
const BG: Rgb = [60, 100, 80];
const dir = mkdtempSync(join(tmpdir(), 'br-overlay-'));
const seq = join(dir, 'seq');
const video = join(dir, 'bg.mp4');
const name = (k: number) => `mesh_${String(k).padStart(4, '0')}.png`;

const A: TestPerson = { pose: 0, camTrans: [0.05, 0.1, 4.2], focal: [300, 310], princpt: [110.3, 95.7] };
const B: TestPerson = { pose: 20, camTrans: [-0.2, 0.05, 3.8], focal: [280, 280], princpt: [130, 85] };
const NO_CAMERA: TestPerson = { pose: 10, camTrans: [0, 0.1, 30] };

before(async () => {
  mkdirSync(seq);
  writeFrame(join(seq, 'frame_0001_params.npz'), [H, W], [A]);
  writeFrame(join(seq, 'frame_0002_params.npz'), [H, W], []);
  writeFrame(join(seq, 'frame_0003_params.npz'), [H, W], [B]);
  writeFrame(join(seq, 'frame_0004_params.npz'), [H, W], [NO_CAMERA]);
  // One frame more than the sequence: a warning, not an error.
  await makeVideo(video, { width: W, height: H, fps: 10, frames: [BG, BG, BG, BG, BG] });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('overlay at source resolution: mesh silhouette IoU ≥ 0.95 with the true projection; plain frame without a person', async () => {
  const out = join(dir, 'out');
  const r = await runCli(['--npz_dir', seq, '--background', video, '--layout', 'overlay', '--output_dir', out]);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assert.equal(report.layout.name, 'overlay');
  assert.equal(report.layout.opacity, 0.8);
  assert.deepEqual([report.layout.width, report.layout.height], [W, H]);
  assert.deepEqual(report.video, { file: 'render.mp4', frames: 4, fps: 10, fingerprint: report.video.fingerprint }, 'one output frame per sequence frame, at the video\'s rate');
  assert.equal(report.options.fps.value, 10);
  const vs = videoStream(join(out, 'render.mp4'));
  assert.deepEqual([vs.width, vs.height, vs.pix_fmt], [W, H, 'yuv420p']);
  assert.equal(countVideoFrames(join(out, 'render.mp4')), 4);
  assert.ok(report.warnings.some((w: string) => /background video has 5 frames .*ends at frame 4/.test(w)), report.warnings.join('\n'));

  for (const [k, p] of [[1, A], [3, B]] as const) {
    const img = await readRgb(join(out, name(k)));
    assert.deepEqual([img.width, img.height], [W, H]);
    const got = differsFrom(img.data, BG);
    const want = silhouette(p, { fx: p.focal![0], fy: p.focal![1], cx: p.princpt![0], cy: p.princpt![1] }, W, H).mask;
    const score = iou(got, want);
    assert.ok(count(want) > 2000, `frame ${k}: the person covers a fair part of the image (${count(want)} px)`);
    assert.ok(score >= 0.95, `frame ${k}: IoU ${score.toFixed(4)}`);
    console.log(`# overlay frame ${k}: IoU ${score.toFixed(4)} over ${count(want)} px`);
  }
  const f2 = report.frames[1];
  assert.equal(f2.check, 'no_person');
  assert.equal(f2.status, 'skipped');
  assert.equal(f2.image, name(2));
  assert.match(f2.layout_note, /plain source frame/);
  const plain = await readRgb(join(out, name(2)));
  assert.equal(count(differsFrom(plain.data, BG, 0)), 0, 'the plain video frame, unchanged');

  const f4 = report.frames[3];
  assert.equal(f4.status, 'rendered');
  assert.match(f4.layout_note, /no focal\/princpt; OSX virtual camera on its whole frame/);
  assert.equal(report.layout.frames_with_default_camera, 1);
});

test('overlay with --img_size scales to that height (workers): the silhouette follows the scaled camera', async () => {
  const out = join(dir, 'out-small');
  const r = await runCli(['--npz_dir', seq, '--background', video, '--layout', 'overlay', '--img_size', '90', '--concurrency', '2', '--output_dir', out]);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assert.deepEqual([report.layout.width, report.layout.height], [120, 90]);
  assert.equal(report.renderer.render_processes, 2);
  const img = await readRgb(join(out, name(1)));
  assert.deepEqual([img.width, img.height], [120, 90]);
  const cam = scaleIntrinsics(A.focal!, A.princpt!, { width: W, height: H }, { width: 120, height: 90 });
  const score = iou(differsFrom(img.data, BG), silhouette(A, cam, 120, 90).mask);
  assert.ok(score >= 0.9, `IoU ${score.toFixed(4)} at 120×90`);
  assert.match(report.frames[3].layout_note, /OSX virtual camera/, 'the note travels back from the worker');
});

test('--person all: each person with its own camera, in its own colour, nearer person in front', async () => {
  const seq2 = join(dir, 'seq2');
  mkdirSync(seq2);
  const GREY: Rgb = [100, 100, 100];
  // Person 0 is nearer and drawn first: only the depth test keeps it in front.
  const near: TestPerson = { pose: 0, camTrans: [-0.25, 0.1, 3], focal: [220, 220], princpt: [120, 90] };
  const far: TestPerson = { pose: 30, camTrans: [0.2, 0.1, 5], focal: [330, 330], princpt: [110, 95] };
  writeFrame(join(seq2, 'frame_0001_params.npz'), [H, W], [near, far]);
  const bg2 = join(dir, 'grey.mp4');
  await makeVideo(bg2, { width: W, height: H, fps: 25, frames: [GREY] });
  const out = join(dir, 'out-all');
  const r = await runCli(['--npz_dir', seq2, '--background', bg2, '--layout', 'overlay', '--person', 'all', '--output_dir', out]);
  assert.equal(r.code, 0, r.stderr);

  const img = await readRgb(join(out, name(1)));
  const cam = (p: TestPerson) => ({ fx: p.focal![0], fy: p.focal![1], cx: p.princpt![0], cy: p.princpt![1] });
  const m0 = silhouette(near, cam(near), W, H).mask;
  const m1 = silhouette(far, cam(far), W, H).mask;
  const mesh = differsFrom(img.data, GREY);
  // PERSON_COLORS: person 0 is blue (b > r), person 1 orange (r > b).
  const as0 = new Uint8Array(W * H), as1 = new Uint8Array(W * H), only1 = new Uint8Array(W * H);
  let overlap = 0, overlapNear = 0;
  for (let i = 0; i < W * H; i++) {
    const rr = img.data[i * 3], bb = img.data[i * 3 + 2];
    if (mesh[i]) { if (bb > rr) as0[i] = 1; else as1[i] = 1; }
    only1[i] = m1[i] && !m0[i] ? 1 : 0;
    if (m0[i] && m1[i]) { overlap++; if (as0[i]) overlapNear++; }
  }
  assert.ok(count(as0) > 1500 && count(as1) > 1000, `two colours: ${count(as0)} blue, ${count(as1)} orange`);
  assert.ok(overlap > 200, `the people overlap (${overlap} px)`);
  assert.ok(overlapNear / overlap >= 0.95, `nearer person in front in ${overlapNear}/${overlap} overlap pixels`);
  const s0 = iou(as0, m0), s1 = iou(as1, only1);
  assert.ok(s0 >= 0.93 && s1 >= 0.9, `IoU near ${s0.toFixed(4)}, far (visible part) ${s1.toFixed(4)}`);
  console.log(`# person all: IoU near ${s0.toFixed(4)}, far ${s1.toFixed(4)}, overlap ${overlapNear}/${overlap}`);
});
