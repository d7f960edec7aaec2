import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchRenderError } from '../../src/errors.js';
import { defaultPoseIo, parsePoseIo, POSE_OUTPUTS } from '../../src/extract/pose-io-mapping.js';
import { resolveDetectorContract, resolvePoseContract, yolov5BoxCounts, type TensorInfo } from '../../src/extract/pose-model-contract.js';

const oneLineConfigError = (re: RegExp) => (err: unknown) => {
  assert.ok(err instanceof BatchRenderError, String(err));
  assert.equal(err.code, 'CONFIG');
  assert.ok(!err.message.includes('\n'), 'one line');
  assert.match(err.message, re);
  return true;
};

const poseOutputs = (rename: Record<string, string> = {}): TensorInfo[] =>
  POSE_OUTPUTS.map(([k, d]) => ({ name: rename[k] ?? k, type: 'float32', shape: ['N', d ?? 10] }));
const img = (name: string, shape: Array<number | string>): TensorInfo => ({ name, type: 'float32', shape });

test('defaults: pixel/255, no mean/std, RGB, OSX camera and bbox scale', () => {
  const io = parsePoseIo({}, 'm.json');
  assert.deepEqual(io, defaultPoseIo());
  assert.deepEqual(io.normalize, { scale: 255, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'rgb' });
  const c = resolvePoseContract(io, 'pose.onnx', [img('input', ['N', 3, 256, 192])], poseOutputs());
  assert.equal(c.inputName, 'input');
  assert.deepEqual([c.inputH, c.inputW, c.fixedBatch], [256, 192, null]);
  assert.deepEqual(c.camera, { focal: [5000, 5000], bodyShape: [256, 192] });
  assert.equal(c.scoreOutput, undefined);
  assert.equal(c.bboxScale, 1.25);
});

test('a mapping renames outputs, sets normalisation and the OSX 512x384 camera', () => {
  const io = parsePoseIo(
    {
      input: 'img',
      outputs: { smplx_root_pose: 'root', score: 'conf' },
      normalize: 'imagenet',
      camera: { input_body_shape: [256, 192] },
      detector: { format: 'yolov8', person_class: 0, normalize: { channel_order: 'bgr' } },
    },
    'm.json',
  );
  assert.deepEqual(io.normalize.mean, [0.485, 0.456, 0.406]);
  assert.equal(io.detector.normalize.channelOrder, 'bgr');
  const c = resolvePoseContract(io, 'osx.onnx', [img('img', [1, 3, 512, 384])], [...poseOutputs({ smplx_root_pose: 'root' }), img('conf', ['N'])]);
  assert.equal(c.outputs.smplx_root_pose, 'root');
  assert.equal(c.scoreOutput, 'conf');
  assert.equal(c.fixedBatch, 1);
  assert.deepEqual(c.camera.bodyShape, [256, 192]);
});

test('a model that does not fit the contract is refused with what to do', () => {
  const io = defaultPoseIo();
  const good = [img('input', ['N', 3, 256, 192])];
  assert.throws(() => resolvePoseContract(io, 'p.onnx', good, poseOutputs().slice(1)), oneLineConfigError(/no output "smplx_root_pose" \(outputs: smplx_body_pose, .*\); map it in --pose_io "outputs"/));
  assert.throws(
    () => resolvePoseContract({ ...io, outputs: { cam_trans: 'cam' } }, 'p.onnx', good, poseOutputs()),
    oneLineConfigError(/no output "cam" \(mapped from cam_trans/),
  );
  assert.throws(() => resolvePoseContract(io, 'p.onnx', [img('input', ['N', 3, 'h', 'w'])], poseOutputs()), oneLineConfigError(/symbolic size \[N,3,h,w\]; give \[height, width\] as "input_size"/));
  assert.equal(resolvePoseContract({ ...io, inputSize: [64, 48] }, 'p.onnx', [img('input', ['N', 3, 'h', 'w'])], poseOutputs()).inputW, 48);
  assert.throws(() => resolvePoseContract(io, 'p.onnx', [img('input', ['N', 256, 192, 3])], poseOutputs()), oneLineConfigError(/shape \[N,256,192,3\]; the contract is \[N,3,H,W\]/));
  assert.throws(() => resolvePoseContract(io, 'p.onnx', [img('a', ['N', 3, 8, 8]), img('b', ['N', 3, 8, 8])], poseOutputs()), oneLineConfigError(/has 2 inputs \(a, b\); name the image input/));
  assert.throws(() => resolvePoseContract(io, 'p.onnx', [{ name: 'input', type: 'uint8', shape: ['N', 3, 8, 8] }], poseOutputs()), oneLineConfigError(/is uint8; the contract is float32/));
});

test('detector format is recognised from its outputs', () => {
  const io = defaultPoseIo().detector;
  const inp = [img('images', [1, 3, 640, 640])];
  const bs = resolveDetectorContract(io, 'd.onnx', inp, [img('boxes', ['N', 'K', 4]), img('scores', ['N', 'K']), img('classes', ['N', 'K'])]);
  assert.equal(bs.format, 'boxes_scores');
  assert.deepEqual(bs.outputs, { boxes: 'boxes', scores: 'scores', classes: 'classes' });
  assert.equal(resolveDetectorContract(io, 'd.onnx', inp, [img('output0', [1, 84, 8400])]).format, 'yolov8');
  assert.equal(resolveDetectorContract(io, 'd.onnx', inp, [img('output0', [1, 25200, 85])]).format, 'yolov5');
  assert.equal(resolveDetectorContract(io, 'd.onnx', inp, [img('output0', [1, 300, 6])]).format, 'yolo_end2end');
  assert.throws(() => resolveDetectorContract(io, 'd.onnx', inp, [img('a', [1, 4]), img('b', [1, 4])]), oneLineConfigError(/neither boxes\+scores nor one YOLO tensor/));
  assert.throws(() => resolveDetectorContract({ ...io, outputs: { yolo: 'out' } }, 'd.onnx', inp, [img('output0', [1, 84, 8400])]), oneLineConfigError(/no output "out"/));
});

test('(N,B,6): one-class YOLOv5 when B is the anchor-grid count, end-to-end otherwise, refused when B is symbolic', () => {
  const io = defaultPoseIo().detector;
  const inp = [img('images', [1, 3, 640, 640])];
  // 640×640: 3 anchors × (80² + 40² + 20²) = 25200 (P5), + 3 × 10² = 25500 (P6)
  assert.deepEqual(yolov5BoxCounts(640, 640), [25200, 25500]);
  assert.deepEqual(yolov5BoxCounts(64, 48), [3 * (8 * 6 + 4 * 3 + 2 * 2), 3 * (8 * 6 + 4 * 3 + 2 * 2 + 1)]);
  assert.equal(resolveDetectorContract(io, 'd.onnx', inp, [img('output0', [1, 25200, 6])]).format, 'yolov5');
  assert.equal(resolveDetectorContract(io, 'd.onnx', inp, [img('output0', ['N', 25500, 6])]).format, 'yolov5');
  assert.equal(resolveDetectorContract(io, 'd.onnx', inp, [img('output0', [1, 300, 6])]).format, 'yolo_end2end');
  assert.throws(
    () => resolveDetectorContract(io, 'd.onnx', inp, [img('output0', [1, 'K', 6])]),
    oneLineConfigError(/d\.onnx: YOLO output "output0" \[1,K,6\] may be a one-class YOLOv5 export \(cx,cy,w,h,objectness,class\).*set "detector\.format" in --pose_io to "yolov5" or "yolo_end2end"/),
  );
  assert.equal(resolveDetectorContract({ ...io, format: 'yolov5' }, 'd.onnx', inp, [img('output0', [1, 'K', 6])]).format, 'yolov5');
});
