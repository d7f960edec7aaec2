/**
 * Finds people in frames with the user's detector model, or treats the whole
 * frame as one person when there is none. Frames are letterboxed to the
 * detector input (scaled to fit, centred, padded), boxes are decoded per the
 * contract (see pose-model-contract.ts), filtered to the person class and
 * min score, de-duplicated with NMS and mapped back to source pixels.
 */
import { letterboxRegion, cropToTensor } from './crop-input.js';
import type { BoxXywh } from '../camera/osx-camera.js';
import type { DetectorContract } from './pose-model-contract.js';
import type { OnnxModel, OutTensor } from './run-onnx.js';
import { configError } from '../errors.js';

/** A box in xyxy corners with its confidence and class id. */
export interface Detection {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
}

export function iou(a: Detection, b: Detection): number {
  const iw = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const ih = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy NMS; returns the kept boxes by descending score (ties keep input order). */
export function nms(dets: Detection[], iouThreshold: number): Detection[] {
  const sorted = dets.map((d, i) => [d, i] as const).sort((p, q) => q[0].score - p[0].score || p[1] - q[1]).map((p) => p[0]);
  const kept: Detection[] = [];
  for (const d of sorted) if (kept.every((k) => iou(k, d) <= iouThreshold)) kept.push(d);
  return kept;
}

const num = (d: OutTensor['data'], i: number) => Number(d[i]);

function perItem(t: OutTensor, name: string, rank: number, n: number): number {
  if (t.dims.length !== rank || t.dims[0] < n) {
    throw configError(`detector output "${name}" has shape [${t.dims.join(',')}]; expected rank ${rank} with batch ${n}`);
  }
  return t.dims.slice(1).reduce((a, b) => a * b, 1);
}

/**
 * Person-class candidates of batch item `item`, in detector-input pixels,
 * before NMS. `n` is the number of items in the batch.
 */
export function decodeDetections(out: Record<string, OutTensor>, item: number, n: number, c: DetectorContract, minScore: number): Detection[] {
  const found: Detection[] = [];
  const push = (x1: number, y1: number, x2: number, y2: number, score: number, classId: number) => {
    if (classId === c.personClass && score >= minScore && x2 > x1 && y2 > y1) found.push({ x1, y1, x2, y2, score, classId });
  };
  if (c.format === 'boxes_scores') {
    const boxes = out[c.outputs.boxes!];
    const scores = out[c.outputs.scores!];
    const classes = c.outputs.classes ? out[c.outputs.classes] : undefined;
    perItem(boxes, c.outputs.boxes!, 3, n);
    const k = scores.dims.length === 2 ? scores.dims[1] : -1;
    if (boxes.dims[2] !== 4 || k !== boxes.dims[1]) {
      throw configError(`detector outputs: boxes [${boxes.dims.join(',')}] and scores [${scores.dims.join(',')}] must be (N,K,4) and (N,K)`);
    }
    if (classes && (classes.dims.length !== 2 || classes.dims[1] !== k)) throw configError(`detector output "${c.outputs.classes}" has shape [${classes.dims.join(',')}]; expected (N,${k})`);
    for (let j = 0; j < k; j++) {
      const b = (item * k + j) * 4;
      const cls = classes ? Math.round(num(classes.data, item * k + j)) : c.personClass;
      push(num(boxes.data, b), num(boxes.data, b + 1), num(boxes.data, b + 2), num(boxes.data, b + 3), num(scores.data, item * k + j), cls);
    }
    return found;
  }
  const t = out[c.outputs.yolo!];
  const d = t.data;
  const stride = perItem(t, c.outputs.yolo!, 3, n);
  const o = item * stride;
  const minCols = { yolov8: 5, yolov5: 6, yolo_end2end: 6 }[c.format];
  if (t.dims[c.format === 'yolov8' ? 1 : 2] < minCols) {
    throw configError(`detector output "${c.outputs.yolo}" has shape [${t.dims.join(',')}], too small for the ${c.format} layout; set "detector.format" in --pose_io`);
  }
  const argmax = (get: (r: number) => number, from: number, to: number) => {
    let best = from;
    for (let r = from + 1; r < to; r++) if (get(r) > get(best)) best = r;
    return best;
  };
  if (c.format === 'yolov8') {
    // (N, 4+C, B): rows cx, cy, w, h, then one score per class
    const [rows, boxes] = [t.dims[1], t.dims[2]];
    for (let k = 0; k < boxes; k++) {
      const get = (r: number) => num(d, o + r * boxes + k);
      const best = argmax(get, 4, rows);
      const [cx, cy, w, h] = [get(0), get(1), get(2), get(3)];
      push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, get(best), best - 4);
    }
  } else if (c.format === 'yolov5') {
    // (N, B, 5+C): cx, cy, w, h, objectness, then class probabilities
    const [boxes, cols] = [t.dims[1], t.dims[2]];
    for (let k = 0; k < boxes; k++) {
      const get = (r: number) => num(d, o + k * cols + r);
      const best = argmax(get, 5, cols);
      const [cx, cy, w, h] = [get(0), get(1), get(2), get(3)];
      push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, get(4) * get(best), best - 5);
    }
  } else {
    // (N, K, 6): x1, y1, x2, y2, score, class
    const [boxes, cols] = [t.dims[1], t.dims[2]];
    for (let k = 0; k < boxes; k++) {
      const get = (r: number) => num(d, o + k * cols + r);
      // A confident box with its corners swapped is not end-to-end output: most likely
      // cx,cy,w,h of a one-class YOLOv5 export whose box count was not recognised.
      if (get(4) >= minScore && (get(2) < get(0) || get(3) < get(1))) {
        throw configError(`detector output "${c.outputs.yolo}" [${t.dims.join(',')}] read as end-to-end (x1,y1,x2,y2,score,class) holds a box with x2 < x1 or y2 < y1 at score ${get(4).toFixed(2)}; if it is a one-class YOLOv5 export (cx,cy,w,h,objectness,class), set "detector.format": "yolov5" in --pose_io`);
      }
      push(get(0), get(1), get(2), get(3), get(4), Math.round(get(5)));
    }
  }
  return found;
}

/** Maps a box from detector-input pixels back to the source frame and clips it to the frame. */
export function toSourcePixels(d: Detection, region: BoxXywh, inW: number, inH: number, frameW: number, frameH: number): Detection {
  const sx = region.w / inW;
  const sy = region.h / inH;
  const cl = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  return {
    ...d,
    x1: cl(region.x + d.x1 * sx, frameW),
    y1: cl(region.y + d.y1 * sy, frameH),
    x2: cl(region.x + d.x2 * sx, frameW),
    y2: cl(region.y + d.y2 * sy, frameH),
  };
}

/** Without a detector, every frame holds one person: the whole frame. */
export const wholeFrame = (frameW: number, frameH: number): Detection => ({ x1: 0, y1: 0, x2: frameW, y2: frameH, score: 1, classId: 0 });

/**
 * Runs the detector over up to one batch of frames (each frameW×frameH RGB24)
 * and returns, per frame, the people kept, by descending score.
 */
export async function detectPersons(
  model: OnnxModel,
  c: DetectorContract,
  frames: Uint8Array[],
  frameW: number,
  frameH: number,
  minScore: number,
): Promise<Detection[][]> {
  const region = letterboxRegion(frameW, frameH, c.inputW, c.inputH);
  const result: Detection[][] = [];
  const step = c.fixedBatch ?? frames.length;
  for (let start = 0; start < frames.length; start += step) {
    const chunk = frames.slice(start, start + step);
    const n = c.fixedBatch ?? chunk.length; // a fixed-batch model gets zero-padded batches
    const data = new Float32Array(n * 3 * c.inputH * c.inputW);
    chunk.forEach((f, i) => cropToTensor(f, frameW, frameH, region, { data, item: i, width: c.inputW, height: c.inputH }, c.normalize, c.padValue));
    const names = Object.values(c.outputs).filter((x): x is string => !!x);
    const out = await model.run(c.inputName, data, [n, 3, c.inputH, c.inputW], names);
    for (let i = 0; i < chunk.length; i++) {
      const cands = decodeDetections(out, i, n, c, minScore).map((d) => toSourcePixels(d, region, c.inputW, c.inputH, frameW, frameH));
      result.push(nms(cands.filter((d) => d.x2 > d.x1 && d.y2 > d.y1), c.iouThreshold));
    }
  }
  return result;
}
