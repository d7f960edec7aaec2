/**
 * --framing upper / hands, checked against the posed meshes of the demo
 * sequence (real forward pass) projected here with u = fx·X/Z + cx: every
 * vertex of the framed region, in every frame, lands inside the image's
 * usable area, and the region fills clearly more of the image than under
 * --framing full. The regions are picked by SMPL-X's published joint order
 * (written out below), not by the code under test.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { readFrameFile } from '../../src/scan/read-frame.js';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { createSequenceFraming, framingJoints, FRAME_MARGIN, type FramingMode } from '../../src/camera/sequence-framing.js';
import { robustUnion } from '../../src/camera/robust-union.js';
import type { BodyModel } from '../../src/body-model/body-model.js';
import type { CameraIntrinsics, PersonParams } from '../../src/types.js';
import { runCli, readReport } from '../helpers/run-cli.js';

const SIZE = 256;
const LO = FRAME_MARGIN * SIZE - 0.5;
const HI = (1 - FRAME_MARGIN) * SIZE - 0.5;

// SMPL-X joint order (smplx/joint_names.py): 4/5 knees, 7/8 ankles, 10/11 feet; 20/21 wrists, 25–54 fingers.
const LEGS = new Set([4, 5, 7, 8, 10, 11]);
const HANDS = new Set([20, 21, ...Array.from({ length: 30 }, (_, i) => 25 + i)]);

let dir: string;
let frames: PersonParams[];
let model: BodyModel;
let meshes: Float32Array[];
let dominant: Int32Array;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'br-framing-'));
  await writeDemoSequence(dir, { frames: 40, seed: 5 });
  frames = readdirSync(dir).filter((f) => f.endsWith('.npz')).sort().map((f) => {
    const r = readFrameFile(join(dir, f), 0);
    assert.equal(r.check, 'ok', `${f}: ${r.detail}`);
    return r.persons[0];
  });
  model = loadBodyModel(demoBodyPath());
  meshes = frames.map((p) => Float32Array.from(forwardBody(model, p, { flatHandMean: false }).vertices));
  // Each vertex's joint of largest skinning weight.
  const w = model.weights;
  dominant = new Int32Array(w.rows).fill(-1);
  for (let v = 0; v < w.rows; v++) {
    let best = -Infinity;
    for (let e = w.rowPtr[v]; e < w.rowPtr[v + 1]; e++) if (w.values[e] > best) { best = w.values[e]; dominant[v] = w.colIdx[e]; }
  }
});

const cameraOf = (mode: FramingMode) => {
  const f = createSequenceFraming(demoBodyPath(), false, mode);
  frames.forEach((p, i) => f.add(p, i + 1));
  assert.deepEqual(f.excluded, [], 'no demo frame is an outlier');
  return f.camera(SIZE);
};

/** Largest pixel span (u or v) of the region's vertices over all frames, as a share of the usable image; `inside`: fail on any outside. */
function regionSpan(cam: CameraIntrinsics, inRegion: (joint: number) => boolean, inside: boolean, what: string): number {
  let uMin = Infinity, uMax = -Infinity, vMin = Infinity, vMax = -Infinity, n = 0;
  meshes.forEach((m, f) => {
    for (let i = 0; i < dominant.length; i++) {
      if (!inRegion(dominant[i])) continue;
      const X = m[i * 3], Y = m[i * 3 + 1], Z = m[i * 3 + 2];
      assert.ok(Z > 0, `${what}: frame ${f + 1} vertex ${i} behind the camera`);
      const u = (cam.fx * X) / Z + cam.cx, v = (cam.fy * Y) / Z + cam.cy;
      if (inside) {
        assert.ok(u >= LO - 1e-6 && u <= HI + 1e-6 && v >= LO - 1e-6 && v <= HI + 1e-6,
          `${what}: frame ${f + 1} vertex ${i} (joint ${dominant[i]}) projects to (${u.toFixed(2)}, ${v.toFixed(2)}), outside [${LO}, ${HI}]`);
      }
      uMin = Math.min(uMin, u); uMax = Math.max(uMax, u); vMin = Math.min(vMin, v); vMax = Math.max(vMax, v); n++;
    }
  });
  assert.ok(n > 0, `${what}: no vertex in the region`);
  return Math.max(uMax - uMin, vMax - vMin) / (HI - LO);
}

test('the framed joints follow SMPL-X\'s tree: upper leaves out knees, ankles and feet; hands are the wrists and fingers', () => {
  const J = model.parents.length;
  assert.equal(J, 55, 'the demo body has SMPL-X\'s 55 joints');
  const upper = framingJoints(model.parents, 'upper');
  const hands = framingJoints(model.parents, 'hands');
  for (let j = 0; j < J; j++) {
    assert.equal(upper[j], LEGS.has(j) ? 0 : 1, `upper, joint ${j}`);
    assert.equal(hands[j], HANDS.has(j) ? 1 : 0, `hands, joint ${j}`);
  }
  // A tree without finger chains has no hands (createSequenceFraming then refuses); a root with one child has no legs.
  assert.deepEqual([...framingJoints(Int32Array.of(-1, 0, 0, 0), 'hands')], [0, 0, 0, 0]);
  assert.deepEqual([...framingJoints(Int32Array.of(-1, 0, 1), 'upper')], [1, 1, 1]);
});

test('a region\'s union leaves out the frames whose whole body is far off, and only those', () => {
  const box = (x: number, w: number) => ({ minX: x, maxX: x + w, minY: 0, maxY: w });
  // Frame 3's body is 50 body widths away; its hands (region) must not widen the union.
  const whole = new Map([[1, box(0, 1)], [2, box(0.2, 1)], [3, box(50, 1)]]);
  const region = new Map([[1, box(0.4, 0.1)], [2, box(0.75, 0.25)], [3, box(5, 0.1)]]);
  const { union, outliers } = robustUnion(whole, region);
  assert.deepEqual(outliers, [3]);
  assert.deepEqual(union, { minX: 0.4, maxX: 1, minY: 0, maxY: 0.25 });
});

test('--framing upper: every pelvis-and-above vertex of every frame is inside, larger than under full', () => {
  const upperRegion = (j: number) => !LEGS.has(j);
  const full = regionSpan(cameraOf('full'), upperRegion, true, 'full');
  const upper = regionSpan(cameraOf('upper'), upperRegion, true, 'upper');
  assert.ok(upper > 1.2 * full, `the upper body spans ${(100 * upper).toFixed(0)} % of the view with upper, ${(100 * full).toFixed(0)} % with full`);
  // Legs may be cut under upper: the whole body is larger than the usable view there.
  assert.ok(regionSpan(cameraOf('upper'), () => true, false, 'upper, whole body') > 1, 'the whole body does not overflow the upper framing');
});

test('--framing hands: every hand vertex of every frame is inside, much larger than under full', () => {
  const handRegion = (j: number) => HANDS.has(j);
  const full = regionSpan(cameraOf('full'), handRegion, true, 'full');
  const hands = regionSpan(cameraOf('hands'), handRegion, true, 'hands');
  assert.ok(hands > 1.5 * full, `the hands span ${(100 * hands).toFixed(0)} % of the view with hands, ${(100 * full).toFixed(0)} % with full`);
});

test('CLI: --framing hands renders and records the choice; a bad value is a usage error', async () => {
  const out = mkdtempSync(join(tmpdir(), 'br-framing-out-'));
  const r = await runCli(['--npz_dir', dir, '--output_dir', out, '--framing', 'hands', '--img_size', '96', '--no-mp4']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readdirSync(out).filter((f) => /^mesh_\d+\.png$/.test(f)).length, frames.length);
  assert.equal(readReport(out).options.framing.value, 'hands');
  const bad = await runCli(['--npz_dir', dir, '--output_dir', out, '--framing', 'feet']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /framing/);
});
