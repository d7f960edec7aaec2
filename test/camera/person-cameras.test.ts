import { test } from 'node:test';
import assert from 'node:assert/strict';
import { personCamera, toCommonCamera, type SourceView } from '../../src/camera/person-cameras.js';
import { project as projectPoint } from '../helpers/cameras.js';
import { cameraForBox, processBox, OSX_CAMERA } from '../../src/camera/osx-camera.js';
import type { CameraIntrinsics, PersonParams } from '../../src/types.js';

const person = (extra: Partial<PersonParams>): PersonParams => ({
  personId: 0, rootPose: new Float64Array(3), bodyPose: new Float64Array(63), lhandPose: new Float64Array(45), rhandPose: new Float64Array(45),
  jawPose: new Float64Array(3), betas: new Float64Array(10), expr: new Float64Array(10), camTrans: Float64Array.from([0, 0, 5]), ...extra,
});
const VIEW: SourceView = { sourceWidth: 1280, sourceHeight: 720, outWidth: 640, outHeight: 360 };

test('personCamera: own focal/princpt, scaled from source to output pixels', () => {
  const { camera, note } = personCamera(person({ focal: [2000, 2100], princpt: [600.5, 380] }), VIEW);
  assert.equal(note, null);
  assert.deepEqual(camera, { fx: 1000, fy: 1050, cx: 300, cy: 189.75, width: 640, height: 360 });
});

test('personCamera: without focal/princpt, OSX virtual camera on the bbox, else on the whole frame, with a note', () => {
  const box = { x: 400, y: 100, w: 300, h: 400 };
  const withBox = personCamera(person({ personId: 2, bboxXywh: [box.x, box.y, box.w, box.h] }), VIEW);
  const want = cameraForBox(box, OSX_CAMERA);
  assert.ok(Math.abs(withBox.camera.fx - want.focal[0] / 2) < 1e-9);
  assert.ok(Math.abs(withBox.camera.cy - ((want.princpt[1] + 0.5) / 2 - 0.5)) < 1e-9);
  assert.match(withBox.note!, /person 2: no focal\/princpt; OSX virtual camera on its bbox_xywh/);
  const whole = personCamera(person({ focal: [1000, 1000] }), VIEW);
  const wb = processBox({ x: 0, y: 0, w: 1280, h: 720 }, 1280, 720, 192 / 256)!;
  assert.ok(Math.abs(whole.camera.fx - cameraForBox(wb, OSX_CAMERA).focal[0] / 2) < 1e-9);
  assert.match(whole.note!, /no princpt; OSX virtual camera on its whole frame/);
});

test('toCommonCamera keeps every point on its own pixel and at its depth', () => {
  const own: CameraIntrinsics = { fx: 900, fy: 950, cx: 300.5, cy: 170, width: 640, height: 360 };
  const common: CameraIntrinsics = { fx: 1200, fy: 1100, cx: 320, cy: 180, width: 640, height: 360 };
  const pts = Float32Array.from([0.1, -0.4, 3, -0.5, 0.7, 6.5, 0, 0, 1]);
  const before = [0, 1, 2].map((i) => projectPoint(own, pts[i * 3], pts[i * 3 + 1], pts[i * 3 + 2]));
  const z = [pts[2], pts[5], pts[8]];
  toCommonCamera(pts, own, common);
  [0, 1, 2].forEach((i) => {
    const [u, v] = projectPoint(common, pts[i * 3], pts[i * 3 + 1], pts[i * 3 + 2]);
    assert.ok(Math.abs(u - before[i][0]) < 1e-3 && Math.abs(v - before[i][1]) < 1e-3, `point ${i}: (${u}, ${v}) vs ${before[i]}`);
    assert.equal(pts[i * 3 + 2], z[i]);
  });
  const same = Float32Array.from([1, 2, 3]);
  toCommonCamera(same, common, common);
  assert.deepEqual([...same], [1, 2, 3]);
});
