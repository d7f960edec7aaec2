/**
 * Writes a demo sequence of per-frame NPZ files in the exact OSX/AiOS layout
 * (docs/npz-format.md), with the documented failures injected by seed, and
 * returns what the tool should find for every frame.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import type { DataCheck } from '../types.js';
import { buildZip, encodeNpy, npyWithHeader, type NpyInput } from '../npz/write-npz.js';
import { writeFileAtomic, writeFileAtomicAsync } from '../output/write-atomic.js';
import { signingFrame, type SmplxParams } from './signing-motion.js';
import { projectPerson, CFG_INPUT_IMG_SHAPE, CFG_OUTPUT_HM_SHAPE, JOINT_IMG_ROWS } from './project-person.js';
import { planSequence, CHECK_OF_CASE, type FrameCase, type FramePlan, type ShapeVariant } from './plan-sequence.js';

export interface DemoSequenceOptions {
  /** Frame numbers 1..frames (missing files included). */
  frames: number;
  /** Places failures and varies the motion; default 0. */
  seed?: number;
  /** Share of frames with nobody detected; default 0.06 with failures, else 0. */
  noPersonRate?: number;
  /** Inject the rare documented failures (missing key, corrupt, invalid value, missing file). Default false. */
  failures?: boolean;
  /** Share of frames stored big-endian; default 0.05 with failures, else 0. */
  bigEndianRate?: number;
  /** Share of frames with a second person; default 0.08 with failures, else 0. */
  twoPersonRate?: number;
  /** 'mixed': some frames store poses as (1,3), (21,3), (15,3), (1,63)… and float64. Default 'flat'. */
  shapes?: 'flat' | 'mixed';
  /** 'params': frame_0001_params.npz (default); 'plain': frame_0001.npz. */
  names?: 'params' | 'plain';
  /** Source image (height, width); default [720, 1280]. */
  imageSize?: [number, number];
  fps?: number;
  /** Also write the ground truth as JSON here; must be outside `dir`. */
  groundTruthPath?: string;
}

export type FrameTag = 'two_people' | 'big_endian' | 'shapes_rows' | 'shapes_batch' | 'float64';

export interface FrameTruth {
  frame: number;
  /** File name within the directory; null for a missing file. */
  file: string | null;
  check: DataCheck;
  /** Finer failure kind, e.g. 'corrupt_object'. */
  case: FrameCase;
  detail: string;
  /** Length of person_ids as stored; 0 when nobody or the file has no readable zip. */
  persons: number;
  tags: FrameTag[];
}

export interface GroundTruth {
  dir: string;
  frameCount: number;
  seed: number;
  /** Indexed by frame − 1. */
  frames: FrameTruth[];
  counts: Record<DataCheck, number>;
}

/** Dropped in every directory this module writes, so a rerun may clear its own old frames and nothing else. */
export const DEMO_MARKER = '.batch-render-demo-data';
const FRAME_FILE = /^frame_\d+(_params)?\.npz$/;

export function frameFileName(frame: number, frameCount: number, names: 'params' | 'plain' = 'params'): string {
  const num = String(frame).padStart(Math.max(4, String(frameCount).length), '0');
  return names === 'params' ? `frame_${num}_params.npz` : `frame_${num}.npz`;
}

export async function writeDemoSequence(dir: string, opts: DemoSequenceOptions): Promise<GroundTruth> {
  const frameCount = opts.frames;
  if (!Number.isInteger(frameCount) || frameCount < 1) throw new TypeError(`Expected a positive integer for frames but received ${frameCount}`);
  const failures = opts.failures ?? false;
  const seed = opts.seed ?? 0;
  const names = opts.names ?? 'params';
  const imageSize = opts.imageSize ?? [720, 1280];
  const plan = planSequence({
    frames: frameCount,
    seed,
    failures,
    noPersonRate: rate('noPersonRate', opts.noPersonRate ?? (failures ? 0.06 : 0)),
    twoPersonRate: rate('twoPersonRate', opts.twoPersonRate ?? (failures ? 0.08 : 0)),
    bigEndianRate: rate('bigEndianRate', opts.bigEndianRate ?? (failures ? 0.05 : 0)),
    shapes: opts.shapes ?? 'flat',
  });
  if (opts.groundTruthPath !== undefined) {
    const rel = relative(resolve(dir), resolve(opts.groundTruthPath));
    if (!rel.startsWith('..') && !isAbsolute(rel)) throw new Error(`groundTruthPath ${opts.groundTruthPath} is inside ${dir}, which the tool scans`);
  }
  await prepareDir(dir);

  const ctx: FrameContext = { frameCount, seed, imageSize, fps: opts.fps ?? 30 };
  const frames: FrameTruth[] = [];
  const writes: Array<[string, Buffer]> = [];
  for (const p of plan) {
    const file = p.case === 'missing_file' ? null : frameFileName(p.frame, frameCount, names);
    const enc = encodeDemoFrame(p, ctx);
    if (file !== null && enc.bytes) writes.push([join(dir, file), enc.bytes]);
    frames.push({ frame: p.frame, file, check: CHECK_OF_CASE[p.case], case: p.case, detail: enc.detail, persons: enc.persons, tags: tagsOf(p) });
  }
  // A handful of writes in flight: fast on SSDs without opening thousands of handles.
  let next = 0;
  const worker = async () => { while (next < writes.length) { const [f, b] = writes[next++]; await writeFileAtomicAsync(f, b); } };
  await Promise.all(Array.from({ length: 16 }, worker));

  const counts: Record<DataCheck, number> = { ok: 0, no_person: 0, missing_key: 0, corrupt: 0, invalid_value: 0, missing_file: 0 };
  for (const f of frames) counts[f.check]++;
  const truth: GroundTruth = { dir, frameCount, seed, frames, counts };
  if (opts.groundTruthPath !== undefined) writeFileAtomic(opts.groundTruthPath, JSON.stringify(truth, null, 1) + '\n');
  return truth;
}

function rate(name: string, v: number): number {
  if (!(v >= 0 && v <= 1)) throw new TypeError(`Expected a number between 0 and 1 for ${name} but received ${v}`);
  return v;
}

/** Creates `dir`; clears old frame files only where our marker says we wrote them. */
async function prepareDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const old = (await readdir(dir)).filter((f) => FRAME_FILE.test(f));
  if (old.length > 0) {
    if (!existsSync(join(dir, DEMO_MARKER))) {
      throw new Error(`${dir} already holds frame files (${old[0]}…) not written by the demo generator; choose an empty directory`);
    }
    await Promise.all(old.map((f) => rm(join(dir, f), { force: true })));
  }
  writeFileAtomic(join(dir, DEMO_MARKER), 'Written by batch-render make-demo-data; frame files here may be replaced.\n');
}

export interface FrameContext {
  frameCount: number;
  seed: number;
  imageSize: [number, number];
  fps: number;
}

/** Bytes of one planned frame (null for a missing file), its detail line and stored person count. */
export function encodeDemoFrame(p: FramePlan, ctx: FrameContext): { bytes: Buffer | null; detail: string; persons: number } {
  if (p.case === 'missing_file') return { bytes: null, detail: 'file absent from the sequence', persons: 0 };
  const arrays = frameArrays(p, ctx);
  const be = p.bigEndian;
  const entries = (a: Record<string, NpyInput>): Array<[string, Buffer]> => Object.entries(a).map(([k, v]) => [`${k}.npy`, encodeNpy(v)]);
  const body = 'person_0_smplx_body_pose';
  switch (p.case) {
    case 'ok': {
      const tags = tagsOf(p);
      return { bytes: buildZip(entries(arrays)), detail: tags.length ? `ok (${tags.join(', ')})` : 'ok', persons: p.persons };
    }
    case 'no_person':
      return { bytes: buildZip(entries(arrays)), detail: 'nobody detected: person_ids empty', persons: 0 };
    case 'missing_key': {
      const key = `person_0_smplx_${p.missingKey ?? 'body_pose'}`;
      delete arrays[key];
      return { bytes: buildZip(entries(arrays)), detail: `${key} absent`, persons: 1 };
    }
    case 'invalid_nan': {
      const at = (17 + 7 * p.occurrence) % 63;
      const d = Array.from(arrays[body].data as ArrayLike<number>);
      d[at] = NaN;
      arrays[body] = { ...arrays[body], data: d };
      return { bytes: buildZip(entries(arrays)), detail: `NaN in ${body}[${at}]`, persons: 1 };
    }
    case 'invalid_inf': {
      const key = 'person_0_cam_trans';
      const d = Array.from(arrays[key].data as ArrayLike<number>);
      d[2] = Infinity;
      arrays[key] = { ...arrays[key], data: d };
      return { bytes: buildZip(entries(arrays)), detail: `Inf in ${key}[2]`, persons: 1 };
    }
    case 'invalid_length': {
      const d = Array.from(arrays[body].data as ArrayLike<number>).slice(0, 60);
      arrays[body] = { ...arrays[body], shape: [60], data: d };
      return { bytes: buildZip(entries(arrays)), detail: `${body} has 60 values, expected 63`, persons: 1 };
    }
    case 'corrupt_truncated': {
      const full = buildZip(entries(arrays));
      const keep = Math.floor(full.length * 0.6);
      // Copy: a subarray would keep the whole file alive in the write queue.
      return { bytes: Buffer.from(full.subarray(0, keep)), detail: `truncated zip (${keep} of ${full.length} bytes)`, persons: 0 };
    }
    case 'corrupt_not_zip':
      if (p.occurrence % 2 === 0) {
        const lfs = `version https://git-lfs.github.com/spec/v1\noid sha256:${'0123456789abcdef'.repeat(4)}\nsize 48213\n`;
        return { bytes: Buffer.from(lfs), detail: 'not a zip: a Git LFS pointer', persons: 0 };
      }
      return { bytes: encodeNpy(arrays[body]), detail: 'not a zip: a bare .npy (np.save, not np.savez)', persons: 0 };
    case 'corrupt_empty':
      return { bytes: Buffer.alloc(0), detail: 'empty file', persons: 0 };
    case 'corrupt_bad_header': {
      const e = entries(arrays);
      const key = 'person_0_smplx_root_pose';
      const bad = npyWithHeader(`{'descr': '${be ? '>' : '<'}f4', 'fortran_order': False, }`, Buffer.alloc(12));
      return { bytes: buildZip(e.map(([n, b]) => [n, n === `${key}.npy` ? bad : b])), detail: `bad .npy header in ${key} (no shape)`, persons: 1 };
    }
    case 'corrupt_object': {
      const e = entries(arrays);
      // Protocol-2 pickle of None: shaped like a real object array, and harmless even if someone unpickles it.
      const pickleNone = Buffer.from([0x80, 0x02, 0x4e, 0x2e]);
      const obj = npyWithHeader(`{'descr': '|O', 'fortran_order': False, 'shape': (63,), }`, pickleNone);
      return { bytes: buildZip(e.map(([n, b]) => [n, n === `${body}.npy` ? obj : b])), detail: `object array (pickle) in ${body}`, persons: 1 };
    }
  }
}

function tagsOf(p: FramePlan): FrameTag[] {
  const tags: FrameTag[] = [];
  if (p.persons === 2) tags.push('two_people');
  if (p.bigEndian) tags.push('big_endian');
  if (p.shapes !== 'flat') tags.push(`shapes_${p.shapes}` as FrameTag);
  if (p.float64) tags.push('float64');
  return tags;
}

/** The arrays of one frame in OSX's key order, before any failure is applied. */
function frameArrays(p: FramePlan, ctx: FrameContext): Record<string, NpyInput> {
  const be = p.bigEndian;
  const [h, w] = ctx.imageSize;
  const num = String(p.frame).padStart(Math.max(4, String(ctx.frameCount).length), '0');
  const ids = Array.from({ length: p.persons }, (_, i) => i);
  const a: Record<string, NpyInput> = {
    image_path: { dtype: 'U', shape: [], data: [`demo/signing/frames/${num}.jpg`] },
    image_size: { dtype: 'i8', shape: [2], data: [h, w], bigEndian: be },
    person_ids: { dtype: 'i8', shape: [ids.length], data: ids, bigEndian: be },
    cfg_output_hm_shape: { dtype: 'i8', shape: [3], data: CFG_OUTPUT_HM_SHAPE, bigEndian: be },
    cfg_input_img_shape: { dtype: 'i8', shape: [2], data: CFG_INPUT_IMG_SHAPE, bigEndian: be },
  };
  for (const i of ids) {
    const params = i === 0 ? signingFrame(p.frame - 1, { fps: ctx.fps, seed: ctx.seed }) : bystander(p.frame - 1, ctx);
    Object.assign(a, personArrays(i, params, p, ctx));
  }
  return a;
}

/** Someone standing further back, to the subject's left (image right). */
function bystander(index: number, ctx: FrameContext): SmplxParams {
  const q = signingFrame(index + 97, { fps: ctx.fps, seed: ctx.seed + 7919 });
  q.camTrans[0] += 1.5;
  q.camTrans[2] += 1.5;
  return q;
}

const POSE_SHAPES: Record<ShapeVariant, Record<string, number[]>> = {
  flat: { root_pose: [3], body_pose: [63], lhand_pose: [45], rhand_pose: [45], jaw_pose: [3], shape: [10], expr: [10], cam_trans: [3] },
  rows: { root_pose: [1, 3], body_pose: [21, 3], lhand_pose: [15, 3], rhand_pose: [15, 3], jaw_pose: [1, 3], shape: [1, 10], expr: [1, 10], cam_trans: [1, 3] },
  batch: { root_pose: [1, 3], body_pose: [1, 63], lhand_pose: [1, 45], rhand_pose: [1, 45], jaw_pose: [1, 3], shape: [1, 10], expr: [1, 10], cam_trans: [1, 3] },
};

function personArrays(i: number, q: SmplxParams, p: FramePlan, ctx: FrameContext): Record<string, NpyInput> {
  const be = p.bigEndian;
  const pose = p.float64 ? 'f8' : 'f4';
  const shp = POSE_SHAPES[p.shapes];
  const cam = projectPerson(q, ctx.imageSize);
  const k = (name: string) => `person_${i}_${name}`;
  return {
    [k('smplx_root_pose')]: { dtype: pose, shape: shp.root_pose, data: q.rootPose, bigEndian: be },
    [k('smplx_body_pose')]: { dtype: pose, shape: shp.body_pose, data: q.bodyPose, bigEndian: be },
    [k('smplx_lhand_pose')]: { dtype: pose, shape: shp.lhand_pose, data: q.lhandPose, bigEndian: be },
    [k('smplx_rhand_pose')]: { dtype: pose, shape: shp.rhand_pose, data: q.rhandPose, bigEndian: be },
    [k('smplx_jaw_pose')]: { dtype: pose, shape: shp.jaw_pose, data: q.jawPose, bigEndian: be },
    [k('smplx_shape')]: { dtype: pose, shape: shp.shape, data: q.betas, bigEndian: be },
    [k('smplx_expr')]: { dtype: pose, shape: shp.expr, data: q.expr, bigEndian: be },
    [k('cam_trans')]: { dtype: pose, shape: shp.cam_trans, data: q.camTrans, bigEndian: be },
    // Computed in Python from floats in OSX's demo, hence float64.
    [k('focal')]: { dtype: 'f8', shape: [2], data: cam.focal, bigEndian: be },
    [k('princpt')]: { dtype: 'f8', shape: [2], data: cam.princpt, bigEndian: be },
    [k('bbox_xywh')]: { dtype: 'f8', shape: [4], data: cam.bboxXywh, bigEndian: be },
    [k('joint_img')]: { dtype: 'f4', shape: [JOINT_IMG_ROWS, 3], data: cam.jointImg, bigEndian: be },
    [k('lhand_bbox')]: { dtype: 'f4', shape: [4], data: cam.lhandBbox, bigEndian: be },
    [k('rhand_bbox')]: { dtype: 'f4', shape: [4], data: cam.rhandBbox, bigEndian: be },
    [k('face_bbox')]: { dtype: 'f4', shape: [4], data: cam.faceBbox, bigEndian: be },
    [k('bb2img_trans')]: { dtype: 'f8', shape: [2, 3], data: cam.bb2imgTrans, bigEndian: be },
  };
}
