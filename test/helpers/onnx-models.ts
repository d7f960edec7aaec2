/**
 * Tiny ONNX models written by our tests, so no model is ever downloaded.
 * Every output is a known linear function of the mean colour of the input:
 *   mean = GlobalAveragePool(input)            (N,3)
 *   out  = Reshape(mean @ W + b, [-1, ...shape])
 * so a test can predict each value from the input tensor alone.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = 1;
const INT64 = 7;

export interface LinearHead {
  name: string;
  /** Shape of one batch item; [] gives an (N,) output. */
  shape: number[];
  /** 3 rows (r,g,b) of D = prod(shape) weights. */
  weights: number[][];
  bias: number[];
}

export interface LinearModelSpec {
  inputName?: string;
  height: number;
  width: number;
  /** A fixed batch size, or 'N' for a dynamic batch axis (default). */
  batch?: number | 'N';
  heads: LinearHead[];
}

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

function floatTensor(name: string, dims: number[], values: number[]) {
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(new Float32Array(values).buffer) };
}

function int64Tensor(name: string, values: number[]) {
  return { name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer) };
}

function valueInfo(name: string, dims: Array<number | string>) {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Serialised ONNX ModelProto (opset 13) for the spec. */
export function linearModel(spec: LinearModelSpec): Uint8Array {
  const input = spec.inputName ?? 'input';
  const batch = spec.batch ?? 'N';
  const nodes: object[] = [
    { opType: 'GlobalAveragePool', input: [input], output: ['pooled'] },
    { opType: 'Flatten', input: ['pooled'], output: ['mean'], attribute: [{ name: 'axis', type: 2, i: 1 }] },
  ];
  const inits: object[] = [];
  for (const h of spec.heads) {
    const d = prod(h.shape);
    if (h.weights.length !== 3 || h.weights.some((r) => r.length !== d) || h.bias.length !== d) {
      throw new Error(`linearModel: head ${h.name} needs 3x${d} weights and ${d} biases`);
    }
    inits.push(floatTensor(`${h.name}_W`, [3, d], h.weights.flat()));
    inits.push(floatTensor(`${h.name}_b`, [d], h.bias));
    inits.push(int64Tensor(`${h.name}_shape`, [-1, ...h.shape]));
    nodes.push(
      { opType: 'MatMul', input: ['mean', `${h.name}_W`], output: [`${h.name}_mm`] },
      { opType: 'Add', input: [`${h.name}_mm`, `${h.name}_b`], output: [`${h.name}_flat`] },
      { opType: 'Reshape', input: [`${h.name}_flat`, `${h.name}_shape`], output: [h.name] },
    );
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'batch-render-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'linear_colour_model',
      node: nodes,
      initializer: inits,
      input: [valueInfo(input, [batch, 3, spec.height, spec.width])],
      output: spec.heads.map((h) => valueInfo(h.name, [batch, ...h.shape])),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** What a head outputs for one batch item with this mean colour (float64; the model computes in float32). */
export function evalHead(h: LinearHead, mean: readonly number[]): number[] {
  const d = prod(h.shape);
  const out: number[] = [];
  for (let j = 0; j < d; j++) out.push(mean[0] * h.weights[0][j] + mean[1] * h.weights[1][j] + mean[2] * h.weights[2][j] + h.bias[j]);
  return out;
}

const ramp = (d: number, f: (j: number, c: number) => number) => [0, 1, 2].map((c) => Array.from({ length: d }, (_, j) => f(j, c)));

/** Pose regressor heads with the OSX output names; the mean colour determines the pose. */
export function poseHeads(opts: { score?: boolean } = {}): LinearHead[] {
  const part = (name: string, shape: number[], k: number): LinearHead => {
    const d = prod(shape);
    return { name, shape, weights: ramp(d, (j, c) => k * 0.01 * ((j % 7) + 1) * (c + 1)), bias: Array.from({ length: d }, (_, j) => k * 0.001 * j) };
  };
  const heads = [
    part('smplx_root_pose', [3], 1),
    part('smplx_body_pose', [63], 2),
    part('smplx_lhand_pose', [45], 3),
    part('smplx_rhand_pose', [45], 4),
    part('smplx_jaw_pose', [3], 5),
    part('smplx_shape', [10], 6),
    part('smplx_expr', [10], 7),
    { name: 'cam_trans', shape: [3], weights: ramp(3, (j) => (j === 2 ? 1 : 0.1)), bias: [0.05, -0.1, 8] },
  ];
  // score = mean brightness (pixel/255), so a black crop scores 0
  if (opts.score) heads.push({ name: 'score', shape: [], weights: [[1 / 3], [1 / 3], [1 / 3]], bias: [0] });
  return heads;
}

const zeros = (d: number) => [0, 1, 2].map(() => new Array<number>(d).fill(0));
const brightness = (factors: number[]) => [0, 1, 2].map(() => factors.map((f) => f / 3));

/** Input-pixel boxes (xyxy) of the test detectors, for a 64×64 input. */
export const DETECTOR_BOXES = {
  a: [8, 12, 28, 52], // person, score = brightness
  b: [36, 12, 56, 52], // person, score = 0.9 × brightness
  c: [20, 20, 40, 40], // class 1 (not a person), score = brightness
  d: [9, 12, 29, 52], // person overlapping a (IoU 0.9), score = 0.95 × brightness: removed by NMS
};

/**
 * Detector with the boxes/scores/classes contract: 4 constant boxes, scores
 * proportional to the mean brightness of the letterboxed input.
 */
export function boxesScoresDetectorHeads(): LinearHead[] {
  const { a, b, c, d } = DETECTOR_BOXES;
  return [
    { name: 'boxes', shape: [4, 4], weights: zeros(16), bias: [...a, ...b, ...c, ...d] },
    { name: 'scores', shape: [4], weights: brightness([1, 0.9, 1, 0.95]), bias: [0, 0, 0, 0] },
    { name: 'classes', shape: [4], weights: zeros(4), bias: [0, 0, 1, 0] },
  ];
}

/**
 * Single-tensor ultralytics v8 layout (N, 4+2, 2): box a (person score =
 * brightness) and box c whose class 1 always wins (constant 0.9).
 */
export function yoloV8DetectorHeads(): LinearHead[] {
  const { a, c } = DETECTOR_BOXES;
  const cxcywh = (b: number[]) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[2] - b[0], b[3] - b[1]];
  const [pa, pc] = [cxcywh(a), cxcywh(c)];
  // row-major (6 rows × 2 boxes): cx, cy, w, h, class0, class1
  const bias = [pa[0], pc[0], pa[1], pc[1], pa[2], pc[2], pa[3], pc[3], 0, 0, 0, 0.9];
  const w = zeros(12);
  for (let ch = 0; ch < 3; ch++) w[ch][8] = 1 / 3; // class 0 score of box a
  return [{ name: 'output0', shape: [6, 2], weights: w, bias }];
}

/**
 * Single-tensor one-class YOLOv5 layout (N, B, 6) = cx, cy, w, h, objectness,
 * class score, with B the anchor-grid count of an H×W input (3 anchors per cell
 * of the stride 8, 16 and 32 grids: 252 rows at 64×64). Row 0 is box a
 * (objectness = brightness, class score 0.8), row 1 box d (objectness
 * 0.95 × brightness, removed by NMS); every other row has objectness 0.
 */
export function yoloV5OneClassDetectorHeads(height = 64, width = 64): LinearHead[] {
  const cells = (s: number) => Math.ceil(height / s) * Math.ceil(width / s);
  const rows = 3 * (cells(8) + cells(16) + cells(32));
  const { a, d } = DETECTOR_BOXES;
  const cxcywh = (b: number[]) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[2] - b[0], b[3] - b[1]];
  const bias = new Array<number>(rows * 6).fill(0);
  bias.splice(0, 12, ...cxcywh(a), 0, 0.8, ...cxcywh(d), 0, 0.8);
  const w = zeros(rows * 6);
  for (let ch = 0; ch < 3; ch++) { w[ch][4] = 1 / 3; w[ch][10] = 0.95 / 3; }
  return [{ name: 'output0', shape: [rows, 6], weights: w, bias }];
}
