/**
 * What we expect of the user's ONNX models, matched against the inputs and
 * outputs a loaded model declares. docs/pose-model.md is the user
 * documentation of the same contract; keep the two in step. The --pose_io
 * file that adapts a model is read by pose-io-mapping.ts.
 *
 * Pose model: one NCHW float32 RGB input (size read from the model), outputs
 * named as OSX's test outputs (POSE_OUTPUTS), optional `score` (N,).
 * Detector: one NCHW float32 RGB letterboxed input and either
 * `boxes` (N,K,4 xyxy input px) + `scores` (N,K) [+ `classes` (N,K)], or a
 * single YOLO tensor as ultralytics exports it (v5, v8+, or end-to-end).
 */
import { configError } from '../errors.js';
import type { Normalization } from './crop-input.js';
import type { CameraSpec } from '../camera/osx-camera.js';
import { POSE_OUTPUTS, type DetectorFormat, type DetectorIo, type PoseIo, type PoseOutputKey } from './pose-io-mapping.js';

/** The shape of one model input or output, as onnxruntime reports it (strings are symbolic dims). */
export interface TensorInfo {
  name: string;
  type: string;
  shape: Array<number | string>;
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
      // end-to-end exports (v10, nms=True) give (N, K, 6) = x1,y1,x2,y2,score,class. A one-class
      // v5 export is (N, boxes, 6) too: its box count is the anchor grid's, K (max detections) is not.
      if (b === 6) {
        if (typeof a !== 'number') {
          throw configError(`detector ${modelPath}: YOLO output "${yolo}" ${dims(t)} may be a one-class YOLOv5 export (cx,cy,w,h,objectness,class) or an end-to-end export (x1,y1,x2,y2,score,class); set "detector.format" in --pose_io to "yolov5" or "yolo_end2end"`);
        }
        format = yolov5BoxCounts(inp.inputH, inp.inputW).includes(a) ? 'yolov5' : 'yolo_end2end';
      } else if (typeof a === 'number' && typeof b === 'number') format = a < b ? 'yolov8' : 'yolov5';
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

/**
 * Rows of a raw YOLOv5 head for an H×W input: 3 anchors per cell of the
 * stride-8/16/32 grids (P5 models), and with the stride-64 grid (P6 models).
 */
export function yolov5BoxCounts(h: number, w: number): number[] {
  const cells = (s: number) => Math.ceil(h / s) * Math.ceil(w / s);
  const p5 = 3 * (cells(8) + cells(16) + cells(32));
  return [p5, p5 + 3 * cells(64)];
}
