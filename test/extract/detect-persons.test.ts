import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDetections, iou, nms, toSourcePixels, type Detection } from '../../src/extract/detect-persons.js';
import { letterboxRegion } from '../../src/extract/crop-input.js';
import type { DetectorContract } from '../../src/extract/pose-model-contract.js';
import { DEFAULT_NORMALIZATION } from '../../src/extract/crop-input.js';

const det = (x1: number, y1: number, x2: number, y2: number, score: number, classId = 0): Detection => ({ x1, y1, x2, y2, score, classId });
const contract = (format: DetectorContract['format'], outputs: DetectorContract['outputs']): DetectorContract => ({
  inputName: 'images', inputH: 64, inputW: 64, fixedBatch: null, format, outputs,
  personClass: 0, iouThreshold: 0.45, padValue: 114, normalize: DEFAULT_NORMALIZATION,
});

test('iou and greedy nms', () => {
  assert.equal(iou(det(0, 0, 10, 10, 1), det(5, 0, 15, 10, 1)), 50 / 150);
  assert.equal(iou(det(0, 0, 10, 10, 1), det(20, 20, 30, 30, 1)), 0);
  const kept = nms([det(0, 0, 10, 10, 0.5), det(1, 0, 11, 10, 0.9), det(50, 50, 60, 60, 0.7)], 0.45);
  assert.deepEqual(kept.map((d) => d.score), [0.9, 0.7]);
});

test('boxes+scores+classes: person class and min score only', () => {
  // 2 items, K=3 boxes each
  const boxes = new Float32Array([0, 0, 10, 20, 5, 5, 15, 25, 1, 1, 2, 2, /* item 1 */ 0, 0, 30, 30, 0, 0, 1, 1, 0, 0, 1, 1]);
  const scores = new Float32Array([0.9, 0.8, 0.3, 0.6, 0.95, 0.1]);
  const classes = new BigInt64Array([0n, 2n, 0n, 0n, 1n, 0n]);
  const out = { b: { dims: [2, 3, 4], data: boxes }, s: { dims: [2, 3], data: scores }, c: { dims: [2, 3], data: classes } };
  const c = contract('boxes_scores', { boxes: 'b', scores: 's', classes: 'c' });
  assert.deepEqual(decodeDetections(out, 0, 2, c, 0.5), [{ x1: 0, y1: 0, x2: 10, y2: 20, score: scores[0], classId: 0 }]);
  assert.deepEqual(decodeDetections(out, 1, 2, c, 0.5).map((d) => d.x2), [30]);
});

test('YOLO layouts: v8 (N,4+C,B), v5 (N,B,5+C), end-to-end (N,K,6)', () => {
  // v8: 2 classes, 3 boxes; rows cx,cy,w,h,cls0,cls1
  const v8 = new Float32Array([
    32, 10, 50, // cx
    32, 10, 50, // cy
    20, 4, 10, // w
    40, 4, 10, // h
    0.9, 0.2, 0.6, // person
    0.1, 0.8, 0.7, // other class: box 2 is class 1 (argmax)
  ]);
  const d8 = decodeDetections({ y: { dims: [1, 6, 3], data: v8 } }, 0, 1, contract('yolov8', { yolo: 'y' }), 0.25);
  assert.deepEqual(d8, [{ x1: 22, y1: 12, x2: 42, y2: 52, score: v8[12], classId: 0 }]);
  // v5: 2 boxes, cols cx,cy,w,h,obj,cls0,cls1; score = obj * cls
  const v5 = new Float32Array([32, 32, 20, 40, 0.5, 0.9, 0.1, 10, 10, 4, 4, 0.9, 0.3, 0.2]);
  const d5 = decodeDetections({ y: { dims: [1, 2, 7], data: v5 } }, 0, 1, contract('yolov5', { yolo: 'y' }), 0.25);
  assert.equal(d5.length, 2);
  assert.ok(Math.abs(d5[0].score - 0.45) < 1e-6 && Math.abs(d5[1].score - 0.27) < 1e-6);
  const e2e = new Float32Array([1, 2, 3, 4, 0.9, 0, 5, 6, 7, 8, 0.9, 3]);
  assert.deepEqual(decodeDetections({ y: { dims: [1, 2, 6], data: e2e } }, 0, 1, contract('yolo_end2end', { yolo: 'y' }), 0.5).map((d) => d.x1), [1]);
});

test('one-class YOLOv5 (N,B,6): cx,cy,w,h,objectness,class score; the same rows read as end-to-end are refused', () => {
  // box 0: centre (20,30), 10×20, objectness 0.9, class 0.5 → (15,20)-(25,40), score 0.45; box 1: objectness 0.1 → dropped
  const v5 = new Float32Array([20, 30, 10, 20, 0.9, 0.5, 40, 40, 8, 8, 0.1, 1]);
  const out = { y: { dims: [1, 2, 6], data: v5 } };
  const d = decodeDetections(out, 0, 1, contract('yolov5', { yolo: 'y' }), 0.25);
  assert.equal(d.length, 1);
  assert.deepEqual([d[0].x1, d[0].y1, d[0].x2, d[0].y2, d[0].classId], [15, 20, 25, 40, 0]);
  assert.ok(Math.abs(d[0].score - 0.45) < 1e-6);
  // As x1,y1,x2,y2 that row has x2 = 10 < x1 = 20 at score 0.9: not end-to-end output.
  assert.throws(() => decodeDetections(out, 0, 1, contract('yolo_end2end', { yolo: 'y' }), 0.25), (err: unknown) =>
    err instanceof Error && !err.message.includes('\n') && /x2 < x1 .*one-class YOLOv5 export \(cx,cy,w,h,objectness,class\), set "detector\.format": "yolov5" in --pose_io/.test(err.message));
});

test('boxes map back from the letterboxed input to source pixels', () => {
  // 1280x720 into 64x64: scale 0.05, vertical padding of 14 input px
  const region = letterboxRegion(1280, 720, 64, 64);
  assert.deepEqual(region, { x: 0, y: -280, w: 1280, h: 1280 });
  const s = toSourcePixels(det(16, 14, 48, 50, 0.9), region, 64, 64, 1280, 720);
  assert.deepEqual([s.x1, s.y1, s.x2, s.y2], [320, 0, 960, 720]);
  const clipped = toSourcePixels(det(-5, 0, 70, 64, 0.9), region, 64, 64, 1280, 720);
  assert.deepEqual([clipped.x1, clipped.y1, clipped.x2, clipped.y2], [0, 0, 1280, 720]);
});

test('malformed detector outputs give a one-line error', () => {
  const c = contract('boxes_scores', { boxes: 'b', scores: 's' });
  assert.throws(() => decodeDetections({ b: { dims: [1, 3, 5], data: new Float32Array(15) }, s: { dims: [1, 3], data: new Float32Array(3) } }, 0, 1, c, 0.5), /must be \(N,K,4\) and \(N,K\)/);
});
