/**
 * What a user looks at: the rendered picture against a reviewed golden image
 * (perceptual threshold, not byte equality), and the exported geometry
 * against the forward pass and an independent numpy SMPL-X reference.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { readFrameFile } from '../../src/scan/read-frame.js';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { writeNpz } from '../../src/npz/write-npz.js';
import { openNpz } from '../../src/npz/read-npz.js';
import { runCli, readReport } from '../helpers/run-cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { pythonWithNumpy } from '../helpers/python.js';

const GOLDEN = fixture('expected', 'golden_mesh_0006.png');
let seq: string;
let out: string;

before(async () => {
  seq = mkdtempSync(join(tmpdir(), 'br-pic-seq-'));
  await writeDemoSequence(seq, { frames: 8, seed: 5, failures: false });
  out = mkdtempSync(join(tmpdir(), 'br-pic-out-'));
  const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', '320', '--no-mp4', '--export', 'obj']);
  assert.equal(r.code, 0, r.stderr);
});

async function rgb(path: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

test('the rendered frame matches the reviewed golden image (perceptual threshold)', async () => {
  const got = join(out, 'mesh_0006.png');
  if (!existsSync(GOLDEN) || process.env.UPDATE_GOLDEN === '1') {
    // First run or an intended change: write the golden for review, and fail so it is looked at.
    copyFileSync(got, GOLDEN);
    assert.fail(`golden image written to ${GOLDEN}: review it and commit it`);
  }
  const a = await rgb(got);
  const b = await rgb(GOLDEN);
  assert.deepEqual([a.width, a.height], [b.width, b.height]);
  let sum = 0;
  let far = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i] - b.data[i]);
    sum += d;
    if (d > 40) far++;
  }
  const mean = sum / a.data.length;
  assert.ok(mean < 1.5, `mean absolute difference ${mean.toFixed(2)} / 255`);
  assert.ok(far / a.data.length < 0.005, `${(100 * far / a.data.length).toFixed(2)} % of samples differ by more than 40`);
});

test('the body is upright, facing the viewer, large in frame and inside it', async () => {
  const { data, width, height } = await rgb(join(out, 'mesh_0006.png'));
  const bg = [data[0], data[1], data[2]];
  let top = height, bottom = -1, left = width, right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (Math.abs(data[o] - bg[0]) + Math.abs(data[o + 1] - bg[1]) + Math.abs(data[o + 2] - bg[2]) > 30) {
        top = Math.min(top, y); bottom = Math.max(bottom, y); left = Math.min(left, x); right = Math.max(right, x);
      }
    }
  }
  assert.ok(top > 0 && bottom < height - 1 && left > 0 && right < width - 1, 'whole body inside the frame');
  assert.ok((bottom - top) / height > 0.6, `body fills ${(100 * (bottom - top) / height).toFixed(0)} % of the height`);
  // Upright: the head (top rows) is narrower than the spread of the arms/shoulders below it.
  const rowWidth = (y: number) => {
    let l = -1, r = -1;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (Math.abs(data[o] - bg[0]) + Math.abs(data[o + 1] - bg[1]) + Math.abs(data[o + 2] - bg[2]) > 30) { if (l < 0) l = x; r = x; }
    }
    return l < 0 ? 0 : r - l;
  };
  const h = bottom - top;
  assert.ok(rowWidth(top + Math.round(h * 0.05)) < rowWidth(top + Math.round(h * 0.25)), 'head above the shoulders');
});

test('--export obj holds the posed mesh in the input camera coordinates (smplx_mesh_cam)', async () => {
  const report = readReport(out);
  const entry = report.frames.find((f: any) => f.frame === 3);
  assert.equal(entry.status, 'rendered');
  const obj = readFileSync(join(out, 'mesh_0003.obj'), 'utf8');
  const v = obj.split('\n').filter((l) => l.startsWith('v ')).map((l) => l.slice(2).split(' ').map(Number));
  const f = obj.split('\n').filter((l) => l.startsWith('f '));
  const model = loadBodyModel(demoBodyPath());
  assert.equal(v.length, model.numVertices);
  assert.equal(f.length, model.numFaces);
  const person = readFrameFile(join(seq, 'frame_0003_params.npz'), 0).persons[0];
  const ours = forwardBody(model, person, { flatHandMean: false }).vertices;
  let max = 0;
  v.forEach((p, i) => { for (let k = 0; k < 3; k++) max = Math.max(max, Math.abs(p[k] - ours[i * 3 + k])); });
  assert.ok(max < 2e-6, `OBJ vs forward pass: ${max} m`);
  // Upright in OpenCV coordinates: y grows downward, so the head has the smallest y.
  const ys = v.map((p) => p[1]);
  const zs = v.map((p) => p[2]);
  assert.ok(Math.min(...zs) > 0, 'in front of the camera');
  const headY = Math.min(...ys);
  const head = v.filter((p) => p[1] < headY + 0.25);
  const cz = head.reduce((a, p) => a + p[2], 0) / head.length;
  assert.ok(Math.min(...head.map((p) => p[2])) < cz - 0.05, 'the face points at the camera');

  if (!pythonWithNumpy) return;
  // Independent reference: a float64 numpy transcription of smplx's lbs (test/body-model/reference_smplx.py).
  const dir = mkdtempSync(join(tmpdir(), 'br-ref-'));
  const f8 = (a: Float64Array) => ({ dtype: 'f8' as const, shape: [a.length], data: a });
  writeNpz(join(dir, 'p.npz'), {
    root_pose: f8(person.rootPose), body_pose: f8(person.bodyPose), lhand_pose: f8(person.lhandPose), rhand_pose: f8(person.rhandPose),
    jaw_pose: f8(person.jawPose), betas: f8(person.betas), expr: f8(person.expr), cam_trans: f8(person.camTrans),
  });
  const r = spawnSync(pythonWithNumpy, [resolve(repoRoot, 'test', 'body-model', 'reference_smplx.py'), demoBodyPath(), join(dir, 'p.npz'), join(dir, 'o.npz')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const ref = openNpz(join(dir, 'o.npz')).get('vertices').data as Float64Array;
  let maxRef = 0;
  v.forEach((p, i) => { for (let k = 0; k < 3; k++) maxRef = Math.max(maxRef, Math.abs(p[k] - ref[i * 3 + k])); });
  assert.ok(maxRef < 1e-4, `OBJ vs numpy smplx reference: ${maxRef} m`);
});

