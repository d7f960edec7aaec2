/**
 * The optional JSON mapping (`--pose_io`) that adapts a user's ONNX models to
 * our contract: reading and validating the file, with defaults filled in.
 * docs/pose-model.md documents the file; pose-model-contract.ts matches a
 * loaded model against the result.
 */
import { readFileSync } from 'node:fs';
import { configError } from '../errors.js';
import { DEFAULT_NORMALIZATION, type Normalization } from './crop-input.js';
import { OSX_BBOX_SCALE } from '../camera/osx-camera.js';

/** Our output names and the values per person they must hold (null: any length ≥ 1). */
export const POSE_OUTPUTS = [
  ['smplx_root_pose', 3],
  ['smplx_body_pose', 63],
  ['smplx_lhand_pose', 45],
  ['smplx_rhand_pose', 45],
  ['smplx_jaw_pose', 3],
  ['smplx_shape', null],
  ['smplx_expr', null],
  ['cam_trans', 3],
] as const;
export type PoseOutputKey = (typeof POSE_OUTPUTS)[number][0];

export type DetectorFormat = 'boxes_scores' | 'yolov5' | 'yolov8' | 'yolo_end2end';

export interface DetectorIo {
  input?: string;
  inputSize?: [number, number];
  format: 'auto' | DetectorFormat;
  outputs: { boxes?: string; scores?: string; classes?: string; yolo?: string };
  personClass: number;
  iouThreshold: number;
  padValue: number;
  normalize: Normalization;
}

/** The validated --pose_io file (defaults filled in). */
export interface PoseIo {
  input?: string;
  inputSize?: [number, number];
  outputs: Partial<Record<PoseOutputKey | 'score', string>>;
  normalize: Normalization;
  camera: { focal: [number, number]; inputBodyShape?: [number, number] };
  bboxScale: number;
  cfgOutputHmShape: [number, number, number];
  detector: DetectorIo;
}

const IMAGENET = { mean: [0.485, 0.456, 0.406] as [number, number, number], std: [0.229, 0.224, 0.225] as [number, number, number] };
const OSX_HM_SHAPE: [number, number, number] = [16, 16, 12];

export function defaultPoseIo(): PoseIo {
  return {
    outputs: {},
    normalize: { ...DEFAULT_NORMALIZATION },
    camera: { focal: [5000, 5000] },
    bboxScale: OSX_BBOX_SCALE,
    cfgOutputHmShape: [...OSX_HM_SHAPE],
    detector: {
      format: 'auto',
      outputs: {},
      personClass: 0,
      iouThreshold: 0.45,
      padValue: 114,
      normalize: { ...DEFAULT_NORMALIZATION },
    },
  };
}

type Json = unknown;
const show = (v: Json) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

class Checker {
  constructor(private readonly file: string) {}
  fail(path: string, want: string, got: Json): never {
    throw configError(`--pose_io ${this.file}: ${path} must be ${want}, got ${show(got)}`);
  }
  object(v: Json, path: string, known: readonly string[]): Record<string, Json> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'an object', v);
    const o = v as Record<string, Json>;
    for (const k of Object.keys(o)) {
      if (!known.includes(k)) throw configError(`--pose_io ${this.file}: unknown key "${path === '(top level)' ? k : `${path}.${k}`}" (known: ${known.join(', ')})`);
    }
    return o;
  }
  string(v: Json, path: string): string {
    if (typeof v !== 'string' || v === '') this.fail(path, 'a non-empty string', v);
    return v as string;
  }
  number(v: Json, path: string, min: number, max: number, integer = false): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      this.fail(path, `${integer ? 'an integer' : 'a number'} between ${min} and ${max}`, v);
    }
    return v as number;
  }
  positiveNumbers<N extends number>(v: Json, path: string, n: N, integer = false): number[] {
    if (!Array.isArray(v) || v.length !== n || v.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x <= 0 || (integer && !Number.isInteger(x)))) {
      this.fail(path, `an array of ${n} positive ${integer ? 'integers' : 'numbers'}`, v);
    }
    return v as number[];
  }
  numbers(v: Json, path: string, n: number): number[] {
    if (!Array.isArray(v) || v.length !== n || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) this.fail(path, `an array of ${n} finite numbers`, v);
    return v as number[];
  }
  normalization(v: Json, path: string, base: Normalization): Normalization {
    if (v === 'imagenet') return { ...base, ...IMAGENET };
    if (v === 'none') return { ...DEFAULT_NORMALIZATION };
    const o = this.object(v, path, ['scale', 'mean', 'std', 'channel_order']);
    const out: Normalization = { ...base };
    if (o.scale !== undefined) out.scale = this.number(o.scale, `${path}.scale`, Number.MIN_VALUE, 1e9);
    if (o.mean !== undefined) out.mean = this.numbers(o.mean, `${path}.mean`, 3) as [number, number, number];
    if (o.std !== undefined) out.std = this.positiveNumbers(o.std, `${path}.std`, 3) as [number, number, number];
    if (o.channel_order !== undefined) {
      if (o.channel_order !== 'rgb' && o.channel_order !== 'bgr') this.fail(`${path}.channel_order`, '"rgb" or "bgr"', o.channel_order);
      out.channelOrder = o.channel_order;
    }
    return out;
  }
  size(v: Json, path: string): [number, number] {
    return this.positiveNumbers(v, path, 2, true) as [number, number];
  }
}

const POSE_KEYS = ['input', 'input_size', 'outputs', 'normalize', 'camera', 'bbox_scale', 'cfg_output_hm_shape', 'detector', 'comment'] as const;
const OUTPUT_KEYS = [...POSE_OUTPUTS.map(([k]) => k), 'score'];
const DET_KEYS = ['input', 'input_size', 'format', 'outputs', 'person_class', 'iou_threshold', 'pad_value', 'normalize'] as const;

/** Validates a parsed --pose_io document; `file` names it in messages. */
export function parsePoseIo(doc: Json, file: string): PoseIo {
  const c = new Checker(file);
  const io = defaultPoseIo();
  const o = c.object(doc, '(top level)', POSE_KEYS);
  if (o.input !== undefined) io.input = c.string(o.input, 'input');
  if (o.input_size !== undefined) io.inputSize = c.size(o.input_size, 'input_size');
  if (o.outputs !== undefined) {
    const m = c.object(o.outputs, 'outputs', OUTPUT_KEYS);
    for (const [k, v] of Object.entries(m)) io.outputs[k as PoseOutputKey] = c.string(v, `outputs.${k}`);
  }
  if (o.normalize !== undefined) io.normalize = c.normalization(o.normalize, 'normalize', io.normalize);
  if (o.camera !== undefined) {
    const m = c.object(o.camera, 'camera', ['focal', 'input_body_shape']);
    if (m.focal !== undefined) io.camera.focal = c.positiveNumbers(m.focal, 'camera.focal', 2) as [number, number];
    if (m.input_body_shape !== undefined) io.camera.inputBodyShape = c.size(m.input_body_shape, 'camera.input_body_shape');
  }
  if (o.bbox_scale !== undefined) io.bboxScale = c.number(o.bbox_scale, 'bbox_scale', 0.1, 10);
  if (o.cfg_output_hm_shape !== undefined) io.cfgOutputHmShape = c.positiveNumbers(o.cfg_output_hm_shape, 'cfg_output_hm_shape', 3, true) as [number, number, number];
  if (o.detector !== undefined) {
    const d = c.object(o.detector, 'detector', DET_KEYS);
    const det = io.detector;
    if (d.input !== undefined) det.input = c.string(d.input, 'detector.input');
    if (d.input_size !== undefined) det.inputSize = c.size(d.input_size, 'detector.input_size');
    if (d.format !== undefined) {
      if (!['auto', 'boxes_scores', 'yolov5', 'yolov8', 'yolo_end2end'].includes(d.format as string)) {
        c.fail('detector.format', '"auto", "boxes_scores", "yolov5", "yolov8" or "yolo_end2end"', d.format);
      }
      det.format = d.format as DetectorIo['format'];
    }
    if (d.outputs !== undefined) {
      const m = c.object(d.outputs, 'detector.outputs', ['boxes', 'scores', 'classes', 'yolo']);
      for (const [k, v] of Object.entries(m)) det.outputs[k as keyof DetectorIo['outputs']] = c.string(v, `detector.outputs.${k}`);
    }
    if (d.person_class !== undefined) det.personClass = c.number(d.person_class, 'detector.person_class', 0, 1e6, true);
    if (d.iou_threshold !== undefined) det.iouThreshold = c.number(d.iou_threshold, 'detector.iou_threshold', 0, 1);
    if (d.pad_value !== undefined) det.padValue = c.number(d.pad_value, 'detector.pad_value', 0, 255);
    if (d.normalize !== undefined) det.normalize = c.normalization(d.normalize, 'detector.normalize', det.normalize);
  }
  return io;
}

/** Reads and validates a --pose_io file; without a path, the defaults. */
export function loadPoseIo(path?: string): PoseIo {
  if (!path) return defaultPoseIo();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw configError(`--pose_io ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
  }
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw configError(`--pose_io ${path}: not valid JSON (${(err as Error).message})`, err);
  }
  return parsePoseIo(doc, path);
}

