import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cameraForBox, OSX_CAMERA, processBox, sanitizeBox, xyxyToXywh } from '../../src/camera/osx-camera.js';

const close = (a: number[], b: number[], eps = 1e-9) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= eps, `${a} vs ${b}`));

test('sanitizeBox clamps like OSX sanitize_bbox', () => {
  assert.deepEqual(sanitizeBox({ x: 10, y: 20, w: 100, h: 200 }, 640, 480), { x: 10, y: 20, w: 99, h: 199 });
  // far corner clamped to the last pixel
  assert.deepEqual(sanitizeBox({ x: 600, y: 400, w: 100, h: 100 }, 640, 480), { x: 600, y: 400, w: 39, h: 79 });
  // OSX measures the far corner from the clamped corner: a box starting left of the image keeps its width
  assert.deepEqual(sanitizeBox({ x: -50, y: 0, w: 100, h: 100 }, 640, 480), { x: 0, y: 0, w: 99, h: 99 });
  assert.equal(sanitizeBox({ x: 10, y: 10, w: 0, h: 50 }, 640, 480), null);
  assert.equal(sanitizeBox({ x: 700, y: 10, w: 50, h: 50 }, 640, 480), null);
});

test('processBox makes the box aspect w/h and enlarges it x1.25 around its centre', () => {
  // tall box: width grows to 0.75 * h
  const b = processBox({ x: 100, y: 50, w: 101, h: 401 }, 1000, 1000, 0.75)!;
  const c = [100 + 50, 50 + 200];
  close([b.w, b.h], [400 * 0.75 * 1.25, 400 * 1.25]);
  close([b.x + b.w / 2, b.y + b.h / 2], c);
  close([b.w / b.h], [0.75]);
  // wide box: height grows to w / 0.75
  const w = processBox({ x: 0, y: 0, w: 301, h: 101 }, 1000, 1000, 0.75)!;
  close([w.w, w.h], [300 * 1.25, (300 / 0.75) * 1.25]);
  close([w.x + w.w / 2, w.y + w.h / 2], [150, 50]);
});

test('processBox of a whole 640x480 frame (no detector)', () => {
  const b = processBox({ x: 0, y: 0, w: 640, h: 480 }, 640, 480, 192 / 256)!;
  // sanitized to 639x479, then h = 639/0.75 = 852, scaled by 1.25
  close([b.w, b.h], [639 * 1.25, (639 / 0.75) * 1.25]);
  close([b.x, b.y], [319.5 - (639 * 1.25) / 2, 239.5 - ((639 / 0.75) * 1.25) / 2]);
});

test('cameraForBox maps the virtual 5000 px camera to source pixels (OSX demo.py)', () => {
  const box = { x: 40, y: -10, w: 300, h: 400 };
  const cam = cameraForBox(box, OSX_CAMERA);
  // focal = cfg.focal / input_body_shape * bbox size; princpt = cfg.princpt / input_body_shape * size + corner
  close(cam.focal, [(5000 / 192) * 300, (5000 / 256) * 400]);
  close(cam.princpt, [(96 / 192) * 300 + 40, (128 / 256) * 400 - 10]);
  // a 512x384 crop keeps the same source camera when the virtual body shape is set
  const custom = cameraForBox(box, { focal: [5000, 5000], bodyShape: [512, 384] });
  close(custom.focal, [(5000 / 384) * 300, (5000 / 512) * 400]);
});

test('xyxyToXywh', () => {
  assert.deepEqual(xyxyToXywh(1, 2, 11, 22), { x: 1, y: 2, w: 10, h: 20 });
});
