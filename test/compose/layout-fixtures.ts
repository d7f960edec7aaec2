/**
 * Fixtures of the layout tests: NPZ frames with people whose camera we
 * choose, and an independent reference for where a mesh lands — the posed
 * demo body projected with the pinhole formula and its triangles rasterised
 * here in plain JS (no GL).
 */
import sharp from 'sharp';
import { writeNpz, type NpyInput } from '../../src/npz/write-npz.js';
import { signingFrame } from '../../src/demo-data/signing-motion.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import type { BodyModel } from '../../src/body-model/body-model.js';
import type { PersonParams } from '../../src/types.js';

export interface TestPerson {
  /** Pose of the signing demo motion at this frame index. */
  pose: number;
  camTrans: [number, number, number];
  focal?: [number, number];
  princpt?: [number, number];
}

const POSE_KEYS = [
  ['smplx_root_pose', 'rootPose'], ['smplx_body_pose', 'bodyPose'], ['smplx_lhand_pose', 'lhandPose'], ['smplx_rhand_pose', 'rhandPose'],
  ['smplx_jaw_pose', 'jawPose'], ['smplx_shape', 'betas'], ['smplx_expr', 'expr'],
] as const;

/** The PersonParams the renderer will read for this person. */
export function personParams(p: TestPerson, personId = 0): PersonParams {
  const q = signingFrame(p.pose);
  return {
    personId, rootPose: q.rootPose, bodyPose: q.bodyPose, lhandPose: q.lhandPose, rhandPose: q.rhandPose, jawPose: q.jawPose,
    betas: q.betas, expr: q.expr, camTrans: Float64Array.from(p.camTrans), focal: p.focal, princpt: p.princpt,
  };
}

/** One OSX-format frame file with these people (none: nobody detected). */
export function writeFrame(path: string, imageSize: [number, number], persons: TestPerson[]): void {
  const a: Record<string, NpyInput> = {
    image_path: { dtype: 'U', shape: [], data: ['test.jpg'] },
    image_size: { dtype: 'i8', shape: [2], data: imageSize },
    person_ids: { dtype: 'i8', shape: [persons.length], data: persons.map((_, i) => i) },
    cfg_output_hm_shape: { dtype: 'i8', shape: [3], data: [16, 16, 12] },
    cfg_input_img_shape: { dtype: 'i8', shape: [2], data: [512, 384] },
  };
  persons.forEach((p, i) => {
    const q = personParams(p, i) as unknown as Record<string, ArrayLike<number>>;
    for (const [key, field] of POSE_KEYS) a[`person_${i}_${key}`] = { dtype: 'f4', shape: [q[field].length], data: q[field] };
    a[`person_${i}_cam_trans`] = { dtype: 'f4', shape: [3], data: p.camTrans };
    if (p.focal) a[`person_${i}_focal`] = { dtype: 'f8', shape: [2], data: p.focal };
    if (p.princpt) a[`person_${i}_princpt`] = { dtype: 'f8', shape: [2], data: p.princpt };
  });
  writeNpz(path, a);
}

let model: BodyModel | undefined;
const demoModel = () => (model ??= loadBodyModel(demoBodyPath()));

/**
 * Mask (1 = covered) of the person's mesh on a width×height image under the
 * pinhole camera (fx, fy, cx, cy): pixel centres (integer u, v) inside a
 * projected triangle. Also the depth of the nearest triangle per pixel
 * (approximated by the triangle's mean z, enough for well-separated people).
 */
export function silhouette(p: TestPerson, cam: { fx: number; fy: number; cx: number; cy: number }, width: number, height: number): { mask: Uint8Array; depth: Float32Array } {
  const m = demoModel();
  const { vertices: v } = forwardBody(m, personParams(p), { flatHandMean: false });
  const n = v.length / 3;
  const u = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    u[i] = (cam.fx * v[i * 3]) / v[i * 3 + 2] + cam.cx;
    w[i] = (cam.fy * v[i * 3 + 1]) / v[i * 3 + 2] + cam.cy;
  }
  const mask = new Uint8Array(width * height);
  const depth = new Float32Array(width * height).fill(Infinity);
  const f = m.faces;
  for (let t = 0; t < f.length; t += 3) {
    const [a, b, c] = [f[t], f[t + 1], f[t + 2]];
    const z = (v[a * 3 + 2] + v[b * 3 + 2] + v[c * 3 + 2]) / 3;
    const x0 = Math.max(0, Math.ceil(Math.min(u[a], u[b], u[c]))), x1 = Math.min(width - 1, Math.floor(Math.max(u[a], u[b], u[c])));
    const y0 = Math.max(0, Math.ceil(Math.min(w[a], w[b], w[c]))), y1 = Math.min(height - 1, Math.floor(Math.max(w[a], w[b], w[c])));
    const area = (u[b] - u[a]) * (w[c] - w[a]) - (w[b] - w[a]) * (u[c] - u[a]);
    if (area === 0) continue;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const e0 = ((u[b] - u[a]) * (y - w[a]) - (w[b] - w[a]) * (x - u[a])) / area;
        const e1 = ((u[c] - u[b]) * (y - w[b]) - (w[c] - w[b]) * (x - u[b])) / area;
        const e2 = ((u[a] - u[c]) * (y - w[c]) - (w[a] - w[c]) * (x - u[c])) / area;
        if (e0 >= 0 && e1 >= 0 && e2 >= 0) {
          const i = y * width + x;
          mask[i] = 1;
          if (z < depth[i]) depth[i] = z;
        }
      }
    }
  }
  return { mask, depth };
}

export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) inter++;
    if (a[i] || b[i]) union++;
  }
  return union ? inter / union : 1;
}

export const count = (m: Uint8Array) => m.reduce((s, x) => s + (x ? 1 : 0), 0);

/** RGB pixels of a PNG. */
export async function readRgb(path: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** 1 where a pixel differs from `bg` by more than `tol` in some channel. */
export function differsFrom(rgb: Uint8Array, bg: readonly number[], tol = 12): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let i = 0; i < out.length; i++) {
    const d = Math.max(Math.abs(rgb[i * 3] - bg[0]), Math.abs(rgb[i * 3 + 1] - bg[1]), Math.abs(rgb[i * 3 + 2] - bg[2]));
    out[i] = d > tol ? 1 : 0;
  }
  return out;
}
