/**
 * The cameras of --views on the demo sequence: each view's camera holds every
 * posed joint sphere of every frame turned by a rotation written here (not the
 * code's), about the per-axis median pelvis computed here, with the margin to
 * spare (sphere inside the frustum of the usable image, by plane distances);
 * the real posed meshes turned the same way project inside too. A wild frame
 * changes no camera and is named.
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
import { createPoser, loadFramingSkeleton } from '../../src/body-model/framing-skeleton.js';
import { createSequenceFraming, FRAME_MARGIN } from '../../src/camera/sequence-framing.js';
import type { ViewCamera } from '../../src/camera/view-framing.js';
import type { CameraIntrinsics, PersonParams } from '../../src/types.js';

const SIZE = 256;
const LO = FRAME_MARGIN * SIZE - 0.5;
const HI = (1 - FRAME_MARGIN) * SIZE - 0.5;
type V3 = [number, number, number];

let frames: PersonParams[];
const spheres: Array<{ c: V3; r: number; root: boolean }[]> = [];

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'br-viewframing-'));
  await writeDemoSequence(dir, { frames: 30, seed: 7 });
  frames = readdirSync(dir).filter((f) => f.endsWith('.npz')).sort().flatMap((f) => {
    const r = readFrameFile(join(dir, f), 0);
    return r.check === 'ok' ? [r.persons[0]] : [];
  });
  const skel = loadFramingSkeleton(demoBodyPath());
  const pose = createPoser(skel, false);
  for (const p of frames) {
    const s: { c: V3; r: number; root: boolean }[] = [];
    pose(p, (x, y, z, r, j) => s.push({ c: [x, y, z], r, root: skel.parents[j] < 0 }));
    spheres.push(s);
  }
});

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };

/** By definition: side = camera right of the source view looking back (x' = z, z' = −x); top = looking down (y' = −z, z' = y). */
function turn(name: string, p: V3, pivot: V3, d: number): V3 {
  const [x, y, z] = [p[0] - pivot[0], p[1] - pivot[1], p[2] - pivot[2]];
  if (name === 'side') return [z, y, d - x];
  if (name === 'top') return [x, -z, d + y];
  return p;
}

/** Signed distances of a point from the four side planes of the usable image's frustum (positive inside). */
function frustumDistances(cam: CameraIntrinsics, [X, Y, Z]: V3): number[] {
  const plane = (a: number, b: number, c: number) => (a * X + b * Y + c * Z) / Math.hypot(a, b, c);
  return [
    plane(cam.fx, 0, cam.cx - LO), plane(-cam.fx, 0, HI - cam.cx),
    plane(0, cam.fy, cam.cy - LO), plane(0, -cam.fy, HI - cam.cy),
  ];
}

function viewsOf(persons: Array<[PersonParams, number]>): { views: ViewCamera[]; excluded: number[] } {
  const f = createSequenceFraming(demoBodyPath(), false, 'full', ['front', 'side', 'top']);
  for (const [p, frame] of persons) f.add(p, frame);
  return { views: f.viewCameras(SIZE), excluded: f.excluded };
}

test('the pivot is the median pelvis; each view\'s camera holds every turned sphere of every frame with the margin to spare', () => {
  const { views, excluded } = viewsOf(frames.map((p, i) => [p, i + 1]));
  assert.deepEqual(excluded, []);
  assert.deepEqual(views.map((v) => v.name), ['front', 'side', 'top']);
  const roots = spheres.map((s) => s.find((q) => q.root)!.c);
  const pivot: V3 = [0, 1, 2].map((k) => median(roots.map((c) => c[k]))) as V3;
  for (const v of views) {
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(v.pivot[k] - pivot[k]) < 1e-12, `${v.name} pivot`);
    let tightest = Infinity;
    spheres.forEach((s, f) => {
      for (const q of s) {
        const c = turn(v.name, q.c, pivot, v.distance);
        assert.ok(c[2] > q.r, `${v.name}: frame ${f + 1} sphere reaches behind the camera`);
        for (const d of frustumDistances(v.camera, c)) {
          assert.ok(d >= q.r - 1e-9, `${v.name}: frame ${f + 1} sphere sticks out of the usable image by ${q.r - d} m`);
          tightest = Math.min(tightest, d - q.r);
        }
      }
    });
    // As large as possible: some sphere touches the usable image's edge.
    assert.ok(tightest < 1e-6, `${v.name}: ${tightest} m to spare`);
  }
});

test('the turned posed meshes project inside each view', () => {
  const { views } = viewsOf(frames.map((p, i) => [p, i + 1]));
  const model = loadBodyModel(demoBodyPath());
  for (const p of frames.slice(0, 10)) {
    const m = forwardBody(model, p, { flatHandMean: false }).vertices;
    for (const v of views) {
      for (let i = 0; i < m.length; i += 3) {
        const [X, Y, Z] = turn(v.name, [m[i], m[i + 1], m[i + 2]], v.pivot, v.distance);
        const u = (v.camera.fx * X) / Z + v.camera.cx, w = (v.camera.fy * Y) / Z + v.camera.cy;
        assert.ok(u >= LO - 1e-6 && u <= HI + 1e-6 && w >= LO - 1e-6 && w <= HI + 1e-6, `${v.name}: vertex at (${u.toFixed(1)}, ${w.toFixed(1)})`);
      }
    }
  }
});

test('a frame kilometres aside changes no view\'s camera and is named', () => {
  const base = frames.map((p, i): [PersonParams, number] => [p, i + 1]);
  const wild = { ...frames[3], camTrans: Float64Array.from([1000, 0, frames[3].camTrans[2]]) };
  const a = viewsOf(base);
  const b = viewsOf([...base, [wild, 99]]);
  assert.deepEqual(b.excluded, [99]);
  assert.deepEqual(b.views.map((v) => v.camera), a.views.map((v) => v.camera));
  assert.deepEqual(b.views.map((v) => v.distance), a.views.map((v) => v.distance));
});
