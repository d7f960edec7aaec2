/**
 * What we expect of the user's ONNX models, and the optional JSON mapping
 * (`--pose_io`) that adapts a model to it. docs/pose-model.md is the user
 * documentation of the same contract; keep the two in step.
 *
 * Pose model: one NCHW float32 RGB input (size read from the model), outputs
 * named as OSX's test outputs (POSE_OUTPUTS), optional `score` (N,).
 * Detector: one NCHW float32 RGB letterboxed input and either
 * `boxes` (N,K,4 xyxy input px) + `scores` (N,K) [+ `classes` (N,K)], or a
 * single YOLO tensor as ultralytics exports it (v5, v8+, or end-to-end).
 */
import { readFileSync } from 'node:fs';
import { configError } from '../errors.js';
import { DEFAULT_NORMALIZATION, type Normalization } from './crop-input.js';
import { OSX_BBOX_SCALE, type CameraSpec } from '../camera/osx-camera.js';

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

/** The shape of one model input or output, as onnxruntime reports it (strings are symbolic dims). */
export interface TensorInfo {
  name: string;
  type: string;
  shape: Array<number | string>;
}

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

/** A pose model matched against the contract. */
export interface PoseContract {
  inputName: string;
  inputH: number;
  inputW: number;
  /** Fixed batch size of the model, or null when the batch axis is dynamic. */
  fixedBatch: number | null;
  outputs: Record<PoseOutputKey, string>;
  scoreOutput?: string;
  normalize: Normalization;
  camera: CameraSpec;
  bboxScale: number;
  cfgOutputHmShape: [number, number, number];
}

export interface DetectorContract {
  inputName: string;
  inputH: number;
  inputW: number;
  fixedBatch: number | null;
  format: DetectorFormat;
  outputs: { boxes?: string; scores?: string; classes?: string; yolo?: string };
  personClass: number;
  iouThreshold: number;
  padValue: number;
  normalize: Normalization;
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

// ---------- validation of the JSON file ----------

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

// ---------- matching a loaded model against the contract ----------

const dims = (t: TensorInfo) => `[${t.shape.join(',')}]`;

/** Picks and checks the image input: rank 4, 3 channels, known H and W. */
function resolveImageInput(
  what: string,
  modelPath: string,
  inputs: TensorInfo[],
  name: string | undefined,
  size: [number, number] | undefined,
): { inputName: string; inputH: number; inputW: number; fixedBatch: number | null } {
  const mapped = name !== undefined;
  const inp = mapped ? inputs.find((i) => i.name === name) : inputs.length === 1 ? inputs[0] : undefined;
  if (!inp) {
    const names = inputs.map((i) => i.name).join(', ');
    throw configError(
      mapped
        ? `${what} ${modelPath} has no input "${name}" (inputs: ${names})`
        : `${what} ${modelPath} has ${inputs.length} inputs (${names}); name the image input in --pose_io ("${what === 'detector' ? 'detector.input' : 'input'}")`,
    );
  }
  if (inp.type !== 'float32') throw configError(`${what} ${modelPath}: input "${inp.name}" is ${inp.type}; the contract is float32 NCHW RGB`);
  const s = inp.shape;
  if (s.length !== 4 || (typeof s[1] === 'number' && s[1] !== 3)) {
    throw configError(`${what} ${modelPath}: input "${inp.name}" has shape ${dims(inp)}; the contract is [N,3,H,W]`);
  }
  const h = typeof s[2] === 'number' && s[2] > 0 ? s[2] : size?.[0];
  const w = typeof s[3] === 'number' && s[3] > 0 ? s[3] : size?.[1];
  if (!h || !w) {
    throw configError(`${what} ${modelPath}: input "${inp.name}" has symbolic size ${dims(inp)}; give [height, width] as "${what === 'detector' ? 'detector.input_size' : 'input_size'}" in --pose_io`);
  }
  if (size && (size[0] !== h || size[1] !== w)) {
    throw configError(`${what} ${modelPath}: --pose_io input_size [${size.join(',')}] contradicts the model's input ${dims(inp)}`);
  }
  const fixedBatch = typeof s[0] === 'number' && s[0] > 0 ? s[0] : null;
  return { inputName: inp.name, inputH: h, inputW: w, fixedBatch };
}

export function resolvePoseContract(io: PoseIo, modelPath: string, inputs: TensorInfo[], outputs: TensorInfo[]): PoseContract {
  const inp = resolveImageInput('pose model', modelPath, inputs, io.input, io.inputSize);
  const have = new Set(outputs.map((o) => o.name));
  const list = outputs.map((o) => o.name).join(', ');
  const out = {} as Record<PoseOutputKey, string>;
  for (const [key] of POSE_OUTPUTS) {
    const name = io.outputs[key] ?? key;
    if (!have.has(name)) {
      throw configError(
        io.outputs[key]
          ? `pose model ${modelPath} has no output "${name}" (mapped from ${key} in --pose_io; outputs: ${list})`
          : `pose model ${modelPath} has no output "${key}" (outputs: ${list}); map it in --pose_io "outputs"`,
      );
    }
    out[key] = name;
  }
  let scoreOutput: string | undefined;
  if (io.outputs.score) {
    if (!have.has(io.outputs.score)) throw configError(`pose model ${modelPath} has no output "${io.outputs.score}" (mapped from score in --pose_io; outputs: ${list})`);
    scoreOutput = io.outputs.score;
  } else if (have.has('score')) scoreOutput = 'score';
  return {
    ...inp,
    outputs: out,
    scoreOutput,
    normalize: io.normalize,
    camera: { focal: io.camera.focal, bodyShape: io.camera.inputBodyShape ?? [inp.inputH, inp.inputW] },
    bboxScale: io.bboxScale,
    cfgOutputHmShape: io.cfgOutputHmShape,
  };
}

export function resolveDetectorContract(io: DetectorIo, modelPath: string, inputs: TensorInfo[], outputs: TensorInfo[]): DetectorContract {
  const inp = resolveImageInput('detector', modelPath, inputs, io.input, io.inputSize);
  const byName = new Map(outputs.map((o) => [o.name, o]));
  const list = outputs.map((o) => o.name).join(', ');
  const need = (name: string, from: string) => {
    if (!byName.has(name)) throw configError(`detector ${modelPath} has no output "${name}" (${from}; outputs: ${list})`);
    return name;
  };
  const boxes = io.outputs.boxes ?? (byName.has('boxes') ? 'boxes' : undefined);
  const scores = io.outputs.scores ?? (byName.has('scores') ? 'scores' : undefined);
  let format: DetectorFormat;
  const res: DetectorContract['outputs'] = {};
  if (io.format === 'boxes_scores' || (io.format === 'auto' && boxes && scores)) {
    format = 'boxes_scores';
    res.boxes = need(boxes ?? 'boxes', 'boxes (N,K,4)');
    res.scores = need(scores ?? 'scores', 'scores (N,K)');
    const classes = io.outputs.classes ?? (byName.has('classes') ? 'classes' : undefined);
    if (classes) res.classes = need(classes, 'classes (N,K)');
  } else {
    const yolo = io.outputs.yolo ?? (outputs.length === 1 ? outputs[0].name : undefined);
    if (!yolo) {
      throw configError(`detector ${modelPath}: outputs (${list}) are neither boxes+scores nor one YOLO tensor; map them in --pose_io "detector.outputs"`);
    }
    res.yolo = need(yolo, 'YOLO output');
    const t = byName.get(yolo)!;
    if (t.shape.length !== 3) throw configError(`detector ${modelPath}: YOLO output "${yolo}" has shape ${dims(t)}; expected (N,boxes,5+classes), (N,4+classes,boxes) or (N,K,6)`);
    if (io.format !== 'auto') format = io.format;
    else {
      const [, a, b] = t.shape;
      // ultralytics v8+ exports (N, 4+C, boxes): far fewer rows than boxes; v5 exports (N, boxes, 5+C);
      // end-to-end exports (v10, nms=True) give (N, K, 6) = x1,y1,x2,y2,score,class
      if (b === 6) format = 'yolo_end2end';
      else if (typeof a === 'number' && typeof b === 'number') format = a < b ? 'yolov8' : 'yolov5';
      else if (typeof a === 'number') format = 'yolov8';
      else if (typeof b === 'number') format = 'yolov5';
      else throw configError(`detector ${modelPath}: YOLO output "${yolo}" has symbolic shape ${dims(t)}; set "detector.format" to "yolov5" or "yolov8"`);
    }
  }
  return {
    ...inp,
    format,
    outputs: res,
    personClass: io.personClass,
    iouThreshold: io.iouThreshold,
    padValue: io.padValue,
    normalize: io.normalize,
  };
}
