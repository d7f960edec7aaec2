import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cropToTensor, letterboxRegion, type Normalization } from '../../src/extract/crop-input.js';
import type { BoxXywh } from '../../src/camera/osx-camera.js';

/** Straightforward reference: OpenCV warpAffine INTER_LINEAR, BORDER_CONSTANT. */
function reference(frame: Uint8Array, W: number, H: number, box: BoxXywh, outW: number, outH: number, fill: number): Float64Array {
  const out = new Float64Array(3 * outW * outH);
  const px = (x: number, y: number, c: number) => (x >= 0 && x < W && y >= 0 && y < H ? frame[(y * W + x) * 3 + c] : fill);
  for (let v = 0; v < outH; v++) {
    for (let u = 0; u < outW; u++) {
      const x = box.x + box.w / 2 + (u - outW / 2) * (box.w / outW);
      const y = box.y + box.h / 2 + (v - outH / 2) * (box.h / outH);
      const x0 = Math.floor(x), y0 = Math.floor(y), ax = x - x0, ay = y - y0;
      for (let c = 0; c < 3; c++) {
        out[c * outW * outH + v * outW + u] =
          px(x0, y0, c) * (1 - ax) * (1 - ay) + px(x0 + 1, y0, c) * ax * (1 - ay) + px(x0, y0 + 1, c) * (1 - ax) * ay + px(x0 + 1, y0 + 1, c) * ax * ay;
      }
    }
  }
  return out;
}

function randomFrame(W: number, H: number, seed: number): Uint8Array {
  const f = new Uint8Array(W * H * 3);
  let s = seed;
  for (let i = 0; i < f.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    f[i] = s >>> 24;
  }
  return f;
}

const raw: Normalization = { scale: 1, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'rgb' };

test('hand-computed 2×2 crop of a 2×2 frame, half-pixel offsets, border taps read the fill', () => {
  // Pixels (x,y) → RGB: (0,0) 0,10,255  (1,0) 100,10,255  (0,1) 200,10,255  (1,1) 40,10,255.
  const frame = Uint8Array.from([0, 10, 255, 100, 10, 255, 200, 10, 255, 40, 10, 255]);
  // Box (0.5,0.5) 2×2 into 2×2: output u samples x = 0.5 + 1 + (u − 1) = 0.5 + u, same for y.
  //   (0.5,0.5): all four pixels, ¼ each: R (0+100+200+40)/4 = 85
  //   (1.5,0.5): x taps 1 (½) and 2 (outside, fill 0): R ¼·100 + ¼·40 = 35
  //   (0.5,1.5): y taps 1 (½) and 2 (outside): R ¼·200 + ¼·40 = 60
  //   (1.5,1.5): only pixel (1,1) at ¼: R 10
  // G and B are constant, so they scale with the inside weight 1, ½, ½, ¼.
  const data = new Float32Array(3 * 4);
  cropToTensor(frame, 2, 2, { x: 0.5, y: 0.5, w: 2, h: 2 }, { data, item: 0, width: 2, height: 2 }, raw, 0);
  assert.deepEqual([...data], [85, 35, 60, 10, 10, 5, 5, 2.5, 255, 127.5, 127.5, 63.75]);
  // (raw/255 − 0.5)/0.5 in BGR order: plane 0 is blue, plane 2 red.
  const norm: Normalization = { scale: 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], channelOrder: 'bgr' };
  cropToTensor(frame, 2, 2, { x: 0.5, y: 0.5, w: 2, h: 2 }, { data, item: 0, width: 2, height: 2 }, norm, 0);
  const want = [1, 0, 0, -0.5, 20 / 255 - 1, 10 / 255 - 1, 10 / 255 - 1, 5 / 255 - 1, 170 / 255 - 1, 70 / 255 - 1, 120 / 255 - 1, 20 / 255 - 1];
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(data[i] - want[i]) < 1e-6, `[${i}] ${data[i]} vs ${want[i]}`);
});

test('crop matches a reference bilinear warp, inside and across the border', () => {
  const W = 97, H = 61;
  const frame = randomFrame(W, H, 7);
  const boxes: BoxXywh[] = [
    { x: 10.3, y: 5.7, w: 40.2, h: 50.9 },
    { x: -30, y: -20, w: 150, h: 120 }, // larger than the frame: zero padding around
    { x: 80, y: 50, w: 30, h: 40 }, // hangs over the bottom-right corner
    { x: 200, y: 200, w: 10, h: 10 }, // entirely outside
  ];
  for (const box of boxes) {
    const outW = 24, outH = 32;
    const data = new Float32Array(2 * 3 * outW * outH).fill(NaN);
    cropToTensor(frame, W, H, box, { data, item: 1, width: outW, height: outH }, raw, 0);
    const ref = reference(frame, W, H, box, outW, outH, 0);
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(data[3 * outW * outH + i] - ref[i]) < 1e-3, `box ${JSON.stringify(box)} index ${i}: ${data[3 * outW * outH + i]} vs ${ref[i]}`);
    assert.ok(Number.isNaN(data[0]), 'item 0 untouched');
  }
});

test('the identity box copies the frame exactly; normalisation and BGR order apply per channel', () => {
  const W = 8, H = 6;
  const frame = randomFrame(W, H, 3);
  const data = new Float32Array(3 * W * H);
  const norm: Normalization = { scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], channelOrder: 'bgr' };
  cropToTensor(frame, W, H, { x: 0, y: 0, w: W, h: H }, { data, item: 0, width: W, height: H }, norm);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < 3; c++) {
        const plane = 2 - c; // bgr
        const want = (frame[(y * W + x) * 3 + c] / 255 - norm.mean[c]) / norm.std[c];
        assert.ok(Math.abs(data[plane * W * H + y * W + x] - want) < 1e-5);
      }
    }
  }
});

test('fill value is used outside the image (YOLO letterbox grey)', () => {
  const frame = new Uint8Array(4 * 2 * 3).fill(200);
  const data = new Float32Array(3 * 4 * 4);
  // 4x2 frame letterboxed into 4x4: a row of padding above and below
  const region = letterboxRegion(4, 2, 4, 4);
  assert.deepEqual(region, { x: 0, y: -1, w: 4, h: 4 });
  cropToTensor(frame, 4, 2, region, { data, item: 0, width: 4, height: 4 }, raw, 114);
  // rows 0 and 3 are padding; row 1 is the top frame row; row 2 samples between the bottom row and padding
  assert.deepEqual([...data.subarray(0, 16)], [114, 114, 114, 114, 200, 200, 200, 200, 200, 200, 200, 200, 114, 114, 114, 114]);
});
