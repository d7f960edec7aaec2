/**
 * --views through the real CLI on demo data: the image is the views side by
 * side; the front panel is exactly the default render; the side panel is the
 * frame's exported mesh (camera space, --export obj) turned by a rotation
 * written here from the definition (camera to the right of the source view,
 * looking back at the pivot), projected with u = fx·X/Z + cx through the
 * side camera of the report and rasterised here: its silhouette must match
 * the rendered one. A mirrored rotation must not match (the check can fail).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { runCli, readReport, videoStream } from '../helpers/run-cli.js';
import { project } from '../helpers/cameras.js';
import { makeVideo } from '../helpers/make-video.js';
import type { CameraIntrinsics } from '../../src/types.js';

const SIZE = 200;
const FRAME = 'mesh_0003.png';
let seq: string;
let front: string;
let both: string;

before(async () => {
  seq = mkdtempSync(join(tmpdir(), 'br-views-seq-'));
  await writeDemoSequence(seq, { frames: 6, seed: 5, failures: false });
  front = mkdtempSync(join(tmpdir(), 'br-views-front-'));
  both = mkdtempSync(join(tmpdir(), 'br-views-both-'));
  const a = await runCli(['--npz_dir', seq, '--output_dir', front, '--img_size', String(SIZE), '--no-mp4', '--export', 'obj']);
  assert.equal(a.code, 0, a.stderr);
  const b = await runCli(['--npz_dir', seq, '--output_dir', both, '--img_size', String(SIZE), '--views', 'front,side', '--export', 'obj']);
  assert.equal(b.code, 0, b.stderr);
});

async function rgba(path: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Columns [x0, x0 + w) of an RGBA image. */
function columns(img: { data: Buffer; width: number; height: number }, x0: number, w: number): Buffer {
  const out = Buffer.alloc(w * img.height * 4);
  for (let y = 0; y < img.height; y++) img.data.copy(out, y * w * 4, (y * img.width + x0) * 4, (y * img.width + x0 + w) * 4);
  return out;
}

/** Pixels that are not the background colour (the top-left pixel's). */
function maskOf(panel: Buffer, w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const d = Math.abs(panel[i * 4] - panel[0]) + Math.abs(panel[i * 4 + 1] - panel[1]) + Math.abs(panel[i * 4 + 2] - panel[2]);
    m[i] = d > 6 ? 1 : 0;
  }
  return m;
}

/** Silhouette of triangles: pixels whose centre lies in a projected face (edge functions, either winding). */
function rasterise(v: number[][], faces: number[][], cam: CameraIntrinsics): Uint8Array {
  const m = new Uint8Array(cam.width * cam.height);
  const uv = v.map((p) => project(cam, p[0], p[1], p[2]));
  for (const [a, b, c] of faces) {
    const [p, q, r] = [uv[a], uv[b], uv[c]];
    const area = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
    if (area === 0) continue;
    const x0 = Math.max(0, Math.ceil(Math.min(p[0], q[0], r[0]))), x1 = Math.min(cam.width - 1, Math.floor(Math.max(p[0], q[0], r[0])));
    const y0 = Math.max(0, Math.ceil(Math.min(p[1], q[1], r[1]))), y1 = Math.min(cam.height - 1, Math.floor(Math.max(p[1], q[1], r[1])));
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      const w0 = ((q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])) / area;
      const w1 = ((r[0] - q[0]) * (y - q[1]) - (r[1] - q[1]) * (x - q[0])) / area;
      const w2 = ((p[0] - r[0]) * (y - r[1]) - (p[1] - r[1]) * (x - r[0])) / area;
      if (w0 >= 0 && w1 >= 0 && w2 >= 0) m[y * cam.width + x] = 1;
    }
  }
  return m;
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let both = 0, either = 0;
  for (let i = 0; i < a.length; i++) { both += a[i] & b[i]; either += a[i] | b[i]; }
  return both / either;
}

function readObj(path: string): { v: number[][]; f: number[][] } {
  const lines = readFileSync(path, 'utf8').split('\n');
  return {
    v: lines.filter((l) => l.startsWith('v ')).map((l) => l.slice(2).split(' ').map(Number)),
    f: lines.filter((l) => l.startsWith('f ')).map((l) => l.slice(2).split(' ').map((s) => Number(s.split('/')[0]) - 1)),
  };
}

test('--views front,side: twice as wide; the left half is byte for byte the default front render', async () => {
  const report = readReport(both);
  assert.deepEqual(report.options.views, { value: ['front', 'side'], source: 'cli' });
  assert.deepEqual(report.views.map((v: { name: string }) => v.name), ['front', 'side']);
  const rendered = report.frames.filter((f: { status: string }) => f.status === 'rendered');
  assert.ok(rendered.length >= 5);
  for (const f of rendered) {
    const wide = await rgba(join(both, f.image));
    const one = await rgba(join(front, f.image));
    assert.deepEqual([wide.width, wide.height], [2 * SIZE, SIZE], f.image);
    assert.deepEqual([one.width, one.height], [SIZE, SIZE]);
    assert.ok(columns(wide, 0, SIZE).equals(one.data), `${f.image}: left half differs from the default render`);
  }
});

test('the right half is the frame seen from the side: the exported mesh turned and projected here matches its silhouette', async (t) => {
  const report = readReport(both);
  const side = report.views[1];
  const { v, f } = readObj(join(both, 'mesh_0003.obj'));
  const [px, py, pz] = side.pivot;
  const d = side.distance;
  // Independent of the pivot's code: the pivot lies inside the body's box (it is the median pelvis).
  for (let k = 0; k < 3; k++) {
    const vals = v.map((p) => p[k]);
    assert.ok(side.pivot[k] > Math.min(...vals) - 0.3 && side.pivot[k] < Math.max(...vals) + 0.3, `pivot axis ${k}`);
  }
  assert.ok(Math.abs(d - pz) < 0.5, `side camera ${d} m from the pivot, the source camera ${pz} m`);
  // Camera to the right of the source view looking back at the pivot: right of the pivot comes
  // nearer (z' = d − (x − px)); nearer the source camera goes left (x' = z − pz); y unchanged.
  const turn = (s: number) => v.map(([x, y, z]) => [s * (z - pz), y - py, d - s * (x - px)]);
  const img = await rgba(join(both, FRAME));
  const shown = maskOf(columns(img, SIZE, SIZE), SIZE, SIZE);
  const expected = rasterise(turn(1), f, side.camera);
  const score = iou(shown, expected);
  assert.ok(score > 0.9, `silhouette IoU ${score.toFixed(3)}`);
  // The same rasteriser on the front panel through the front camera: a sanity check of the check.
  const frontMask = maskOf(columns(img, 0, SIZE), SIZE, SIZE);
  assert.ok(iou(frontMask, rasterise(v, f, report.views[0].camera)) > 0.9, 'front silhouette');
  // The camera on the other side (mirror image of the profile) does not match as well.
  const mirrored = iou(shown, rasterise(turn(-1), f, side.camera));
  t.diagnostic(`side silhouette IoU ${score.toFixed(3)}, mirrored ${mirrored.toFixed(3)}`);
  assert.ok(mirrored < score - 0.1, `mirrored IoU ${mirrored.toFixed(3)} vs ${score.toFixed(3)}`);
  // Every vertex is inside the side panel (the side camera holds the body).
  for (const [x, y] of turn(1).map((p) => project(side.camera, p[0], p[1], p[2]))) assert.ok(x > 0 && x < SIZE - 1 && y > 0 && y < SIZE - 1, `vertex at ${x}, ${y}`);
});

test('a default run reports its sequence camera: the exported mesh through it is the PNG\'s silhouette', async () => {
  const report = readReport(front);
  assert.equal(report.views, undefined);
  const cam = report.camera;
  assert.deepEqual([cam.width, cam.height], [SIZE, SIZE]);
  const { v, f } = readObj(join(front, 'mesh_0003.obj'));
  const score = iou(maskOf((await rgba(join(front, FRAME))).data, SIZE, SIZE), rasterise(v, f, cam));
  assert.ok(score > 0.9, `silhouette IoU ${score.toFixed(3)}`);
  // A camera 5 % off in focal length does not match as well: the check can tell.
  const off = iou(maskOf((await rgba(join(front, FRAME))).data, SIZE, SIZE), rasterise(v, f, { ...cam, fx: cam.fx * 1.05, fy: cam.fy * 1.05 }));
  assert.ok(off < score - 0.03, `5 % off: IoU ${off.toFixed(3)} vs ${score.toFixed(3)}`);
});

test('the side half differs from the front half', async () => {
  const img = await rgba(join(both, FRAME));
  const a = maskOf(columns(img, 0, SIZE), SIZE, SIZE);
  const b = maskOf(columns(img, SIZE, SIZE), SIZE, SIZE);
  assert.ok(iou(a, b) < 0.8, `front/side silhouettes overlap ${iou(a, b).toFixed(3)}`);
});

test('a changed --views renders again; the same --views reuses', async () => {
  const same = await runCli(['--npz_dir', seq, '--output_dir', both, '--img_size', String(SIZE), '--views', 'front,side', '--export', 'obj']);
  assert.equal(same.code, 0, same.stderr);
  assert.equal(readReport(both).totals.reused, 6);
  const changed = await runCli(['--npz_dir', seq, '--output_dir', both, '--img_size', String(SIZE), '--views', 'side,front', '--export', 'obj']);
  assert.equal(changed.code, 0, changed.stderr);
  const r = readReport(both);
  assert.equal(r.totals.reused, 0);
  assert.equal(r.totals.rendered, 6);
  // Order given = order drawn: the front view is now on the right. Drawn at a viewport offset,
  // llvmpipe's fixed-point rounding may move a few shading samples by one level (measured: 5 of 160 000).
  const right = columns(await rgba(join(both, FRAME)), SIZE, SIZE);
  const one = (await rgba(join(front, FRAME))).data;
  let off = 0;
  for (let i = 0; i < one.length; i++) {
    const d = Math.abs(right[i] - one[i]);
    assert.ok(d <= 2, `sample ${i} differs by ${d}`);
    if (d) off++;
  }
  assert.ok(off < one.length * 0.001, `${off} samples differ`);
});

test('--shard with --views front,side: the merged PNGs are byte for byte the one-run PNGs; the MP4 is the strip\'s size', async () => {
  const common = ['--npz_dir', seq, '--img_size', String(SIZE), '--views', 'front,side'];
  const single = mkdtempSync(join(tmpdir(), 'br-views-single-'));
  const sharded = mkdtempSync(join(tmpdir(), 'br-views-shards-'));
  assert.equal((await runCli([...common, '--output_dir', single, '--no-mp4'])).code, 0);
  for (const k of ['0/2', '1/2']) {
    const r = await runCli([...common, '--output_dir', sharded, '--shard', k]);
    assert.equal(r.code, 0, r.stderr);
  }
  const m = await runCli(['merge', sharded]);
  assert.equal(m.code, 0, m.stderr);
  for (let f = 1; f <= 6; f++) {
    const name = `mesh_000${f}.png`;
    assert.ok(readFileSync(join(sharded, name)).equals(readFileSync(join(single, name))), `${name} differs between shards and one run`);
  }
  const v = videoStream(join(sharded, 'render.mp4'));
  assert.deepEqual([v.width, v.height], [2 * SIZE, SIZE]);
});

test('--views front,front and --views back: usage error (exit 2), one line naming --views', async () => {
  for (const bad of ['front,front', 'back']) {
    const r = await runCli(['--npz_dir', seq, '--output_dir', mkdtempSync(join(tmpdir(), 'br-views-bad-')), '--views', bad]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /--views/);
    assert.match(r.stderr, bad === 'back' ? /unknown view "back"/ : /"front" given twice/);
  }
});

test('--layout side-by-side --views front,side: video | front | side, the strip as the mesh-only render draws it', async () => {
  const video = join(mkdtempSync(join(tmpdir(), 'br-views-video-')), 'bg.mp4');
  await makeVideo(video, { width: 320, height: 180, fps: 30, frames: Array.from({ length: 6 }, () => [40, 90, 160] as [number, number, number]) });
  const out = mkdtempSync(join(tmpdir(), 'br-views-sbs-'));
  const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', String(SIZE), '--views', 'front,side', '--layout', 'side-by-side', '--background', video, '--no-mp4']);
  assert.equal(r.code, 0, r.stderr);
  const left = 356; // 320×180 scaled to height 200, made even
  const img = await rgba(join(out, FRAME));
  assert.deepEqual([img.width, img.height], [left + 2 * SIZE, SIZE]);
  // The mesh-only run of the same views (the resume test reorders the views in `both`).
  const mesh = mkdtempSync(join(tmpdir(), 'br-views-mesh-'));
  const m = await runCli(['--npz_dir', seq, '--output_dir', mesh, '--img_size', String(SIZE), '--views', 'front,side', '--no-mp4']);
  assert.equal(m.code, 0, m.stderr);
  const want = await rgba(join(mesh, FRAME));
  const got = columns(img, left, 2 * SIZE);
  for (let i = 0; i < want.data.length; i += 4) {
    assert.deepEqual([got[i], got[i + 1], got[i + 2]], [want.data[i], want.data[i + 1], want.data[i + 2]], `strip pixel ${i / 4}`);
  }
  assert.deepEqual(readReport(out).views.map((v: { name: string }) => v.name), ['front', 'side']);
});

test('--layout overlay with --views front,side: usage error naming both', async () => {
  const r = await runCli(['--npz_dir', seq, '--output_dir', mkdtempSync(join(tmpdir(), 'br-views-ov-')), '--views', 'front,side', '--layout', 'overlay', '--background', 'none.mp4']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--views front,side does not work with --layout overlay/);
});
