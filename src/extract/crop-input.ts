/**
 * Crops a box out of an RGB24 frame into one NCHW float32 slice of a model
 * input, with bilinear sampling and a constant fill outside the image. The
 * mapping is OpenCV warpAffine's for OSX generate_patch_image: output pixel
 * (u, v) samples source (cx + (u - outW/2)·box.w/outW, cy + (v - outH/2)·box.h/outH).
 * The box is axis-aligned, so the sampling weights are separable and
 * computed once per row and column.
 */
import type { BoxXywh } from '../camera/osx-camera.js';

export interface Normalization {
  /** Divide raw 0..255 values by this first (255 → 0..1). */
  scale: number;
  mean: [number, number, number];
  std: [number, number, number];
  /** Channel order of the model input. */
  channelOrder: 'rgb' | 'bgr';
}

export const DEFAULT_NORMALIZATION: Normalization = { scale: 255, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'rgb' };

export interface CropTarget {
  /** The batch tensor, NCHW float32. */
  data: Float32Array;
  /** Batch index to fill. */
  item: number;
  width: number;
  height: number;
}

/**
 * Fills `target.data[item]` with the crop of `box` from `frame`
 * (frameW×frameH×3 bytes). `fill` is the raw 0..255 value used outside the
 * image (OSX: 0; YOLO letterbox: 114).
 */
export function cropToTensor(
  frame: Uint8Array,
  frameW: number,
  frameH: number,
  box: BoxXywh,
  target: CropTarget,
  norm: Normalization = DEFAULT_NORMALIZATION,
  fill = 0,
): void {
  const { width: outW, height: outH, data } = target;
  const plane = outW * outH;
  const base = target.item * 3 * plane;
  if (data.length < base + 3 * plane) throw new RangeError(`cropToTensor: item ${target.item} is outside a tensor of ${data.length} floats`);

  // Per column: left source index (or -1 outside), weight of the right neighbour, and validity of both taps.
  const sx = box.w / outW;
  const x0 = new Int32Array(outW);
  const fx = new Float32Array(outW);
  const xin = new Uint8Array(outW); // bit0: left tap inside, bit1: right tap inside
  for (let u = 0; u < outW; u++) {
    const x = box.x + box.w / 2 + (u - outW / 2) * sx;
    const xf = Math.floor(x);
    x0[u] = xf;
    fx[u] = x - xf;
    xin[u] = (xf >= 0 && xf < frameW ? 1 : 0) | (xf + 1 >= 0 && xf + 1 < frameW ? 2 : 0);
  }

  // value = raw * a[c] + b[c]; written to plane p[c] (channel order applied here)
  const a = [0, 1, 2].map((c) => 1 / (norm.scale * norm.std[c]));
  const b = [0, 1, 2].map((c) => -norm.mean[c] / norm.std[c]);
  const p = norm.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const o0 = base + p[0] * plane;
  const o1 = base + p[1] * plane;
  const o2 = base + p[2] * plane;
  const fillV = [fill * a[0] + b[0], fill * a[1] + b[1], fill * a[2] + b[2]];
  const stride = frameW * 3;
  const sy = box.h / outH;

  for (let v = 0; v < outH; v++) {
    const y = box.y + box.h / 2 + (v - outH / 2) * sy;
    const yf = Math.floor(y);
    const wy = y - yf;
    const topIn = yf >= 0 && yf < frameH;
    const botIn = yf + 1 >= 0 && yf + 1 < frameH;
    const row = v * outW;
    if (!topIn && !botIn) {
      for (let u = 0; u < outW; u++) {
        data[o0 + row + u] = fillV[0];
        data[o1 + row + u] = fillV[1];
        data[o2 + row + u] = fillV[2];
      }
      continue;
    }
    const rt = yf * stride;
    const rb = rt + stride;
    for (let u = 0; u < outW; u++) {
      const wx = fx[u];
      const i = x0[u] * 3;
      let r: number, g: number, bl: number;
      if (xin[u] === 3 && topIn && botIn) {
        // interior: the common case, no bounds checks
        const w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
        const t = rt + i, d = rb + i;
        r = frame[t] * w00 + frame[t + 3] * w01 + frame[d] * w10 + frame[d + 3] * w11;
        g = frame[t + 1] * w00 + frame[t + 4] * w01 + frame[d + 1] * w10 + frame[d + 4] * w11;
        bl = frame[t + 2] * w00 + frame[t + 5] * w01 + frame[d + 2] * w10 + frame[d + 5] * w11;
      } else {
        // border: each tap outside the image reads the fill value
        const l = (xin[u] & 1) !== 0, rgt = (xin[u] & 2) !== 0;
        const q00 = topIn && l, q01 = topIn && rgt, q10 = botIn && l, q11 = botIn && rgt;
        const w00 = (1 - wx) * (1 - wy), w01 = wx * (1 - wy), w10 = (1 - wx) * wy, w11 = wx * wy;
        const t = rt + i, d = rb + i;
        r = (q00 ? frame[t] : fill) * w00 + (q01 ? frame[t + 3] : fill) * w01 + (q10 ? frame[d] : fill) * w10 + (q11 ? frame[d + 3] : fill) * w11;
        g = (q00 ? frame[t + 1] : fill) * w00 + (q01 ? frame[t + 4] : fill) * w01 + (q10 ? frame[d + 1] : fill) * w10 + (q11 ? frame[d + 4] : fill) * w11;
        bl = (q00 ? frame[t + 2] : fill) * w00 + (q01 ? frame[t + 5] : fill) * w01 + (q10 ? frame[d + 2] : fill) * w10 + (q11 ? frame[d + 5] : fill) * w11;
      }
      data[o0 + row + u] = r * a[0] + b[0];
      data[o1 + row + u] = g * a[1] + b[1];
      data[o2 + row + u] = bl * a[2] + b[2];
    }
  }
}

/**
 * The source region a YOLO-style letterbox maps onto a inW×inH input: the
 * whole frame, scaled to fit and centred, padding around it.
 */
export function letterboxRegion(frameW: number, frameH: number, inW: number, inH: number): BoxXywh {
  const r = Math.min(inW / frameW, inH / frameH);
  const w = inW / r;
  const h = inH / r;
  return { x: frameW / 2 - w / 2, y: frameH / 2 - h / 2, w, h };
}
