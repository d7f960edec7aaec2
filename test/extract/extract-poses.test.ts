import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BatchRenderError } from '../../src/errors.js';
import { openNpz } from '../../src/npz/read-npz.js';
import { letterboxRegion } from '../../src/extract/crop-input.js';
import { extractPoses, frameFileName } from '../../src/extract/extract-poses.js';
import { cameraForBox, processBox, xyxyToXywh } from '../../src/camera/osx-camera.js';
import { POSE_OUTPUTS } from '../../src/extract/pose-io-mapping.js';
import {
  boxesScoresDetectorHeads,
  DETECTOR_BOXES,
  evalHead,
  linearModel,
  poseHeads,
  yoloV5OneClassDetectorHeads,
  yoloV8DetectorHeads,
  type LinearHead,
} from '../helpers/onnx-models.js';
import { makeVideo, processesMentioning, type Rgb } from '../helpers/make-video.js';

const dir = mkdtempSync(join(tmpdir(), 'extract-poses-'));
const W = 160, H = 120;
const PH = 64, PW = 48; // pose model input
const BLACK: Rgb = [0, 0, 0];
// 12 frames; 5, 6 and 10 are black: nobody there
const colours: Rgb[] = [
  [200, 120, 60], [90, 200, 150], [250, 250, 250], [120, 140, 230], BLACK, BLACK,
  [180, 90, 200], [100, 220, 100], [230, 180, 100], BLACK, [160, 160, 220], [255, 128, 64],
];
const dark = (i: number) => colours[i] === BLACK;
const video = join(dir, 'clip.mp4');
const model = (name: string) => join(dir, name);

after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  await makeVideo(video, { width: W, height: H, fps: 10, frames: colours });
  writeFileSync(model('pose.onnx'), linearModel({ height: PH, width: PW, heads: poseHeads({ score: true }) }));
  writeFileSync(model('pose-fixed1.onnx'), linearModel({ height: PH, width: PW, batch: 1, heads: poseHeads() }));
  writeFileSync(model('pose-renamed.onnx'), linearModel({ inputName: 'img', height: PH, width: PW, heads: poseHeads().map((h) => ({ ...h, name: `out_${h.name}` })) }));
  writeFileSync(model('det.onnx'), linearModel({ inputName: 'images', height: 64, width: 64, heads: boxesScoresDetectorHeads() }));
  writeFileSync(model('det-yolo.onnx'), linearModel({ inputName: 'images', height: 64, width: 64, heads: yoloV8DetectorHeads() }));
  writeFileSync(model('det-yolov5-1class.onnx'), linearModel({ inputName: 'images', height: 64, width: 64, heads: yoloV5OneClassDetectorHeads() }));
});

/**
 * Share of a bilinear crop's sample weight that falls inside the frame along
 * one axis: output pixel k samples src = start + size/2 + (k − n/2)·size/n
 * (OpenCV warpAffine, as OSX crops), whose two taps floor(src) and
 * floor(src)+1 weigh 1 − frac and frac. Outside taps read the fill value 0.
 */
function coverage(start: number, size: number, n: number, limit: number): number {
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const src = start + size / 2 + (k - n / 2) * (size / n);
    const x0 = Math.floor(src), frac = src - x0;
    sum += (x0 >= 0 && x0 < limit ? 1 - frac : 0) + (x0 + 1 >= 0 && x0 + 1 < limit ? frac : 0);
  }
  return sum / n;
}

/**
 * What the pose model must output for a person box on frame i. The frame is
 * one colour, so the crop's channel mean is colour/255 × the share of sample
 * weight inside the frame, which is separable in x and y: no crop code needed.
 */
function expectedPerson(i: number, box: ReturnType<typeof processBox> & object, heads: LinearHead[]) {
  const inside = coverage(box.x, box.w, PW, W) * coverage(box.y, box.h, PH, H);
  const mean = colours[i].map((c) => (c / 255) * inside);
  return Object.fromEntries(heads.map((h) => [h.name, evalHead(h, mean)]));
}

function assertClose(actual: ArrayLike<number>, want: number[], what: string, eps = 1e-4) {
  assert.equal(actual.length, want.length, what);
  for (let k = 0; k < want.length; k++) assert.ok(Math.abs(actual[k] - want[k]) <= eps * Math.max(1, Math.abs(want[k])), `${what}[${k}]: ${actual[k]} vs ${want[k]}`);
}

/** Checks one person's keys in an NPZ against the pure camera math and the model's known outputs. */
function checkPerson(npz: ReturnType<typeof openNpz>, p: number, frameIdx: number, box: NonNullable<ReturnType<typeof processBox>>, heads: LinearHead[]) {
  const want = expectedPerson(frameIdx, box, heads);
  for (const [key, len] of POSE_OUTPUTS) {
    const a = npz.get(`person_${p}_${key}`);
    assert.equal(a.dtype, 'f4');
    assert.deepEqual(a.shape, [len ?? 10]);
    assertClose(a.data as Float32Array, want[key], `frame ${frameIdx + 1} person ${p} ${key}`);
  }
  const cam = cameraForBox(box, { focal: [5000, 5000], bodyShape: [PH, PW] });
  assert.deepEqual([...(npz.get(`person_${p}_focal`).data as Float64Array)], cam.focal);
  assert.deepEqual([...(npz.get(`person_${p}_princpt`).data as Float64Array)], cam.princpt);
  assert.deepEqual([...(npz.get(`person_${p}_bbox_xywh`).data as Float64Array)], [box.x, box.y, box.w, box.h]);
}

test('no detector: whole frame is the person; pose score gates dark frames; batch 5 over 12 frames', async () => {
  const out = join(dir, 'npz-whole');
  const seen: number[] = [];
  const res = await extractPoses({ video, poseModel: model('pose.onnx'), outDir: out, batchSize: 5, minScore: 0.1, device: 'cpu', onFrame: (f) => seen.push(f) });
  assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => i + 1));
  assert.deepEqual([res.frames, res.fps, res.width, res.height, res.provider], [12, 10, W, H, 'cpu']);
  assert.deepEqual(res.personsPerFrame, colours.map((_, i) => (dark(i) ? 0 : 1)));
  assert.deepEqual(readdirSync(out).sort(), colours.map((_, i) => frameFileName(i + 1)));

  const box = processBox({ x: 0, y: 0, w: W, h: H }, W, H, PW / PH)!;
  for (let i = 0; i < colours.length; i++) {
    const npz = openNpz(join(out, frameFileName(i + 1)));
    const path = npz.get('image_path');
    assert.deepEqual([path.dtype.startsWith('U'), path.shape, path.data], [true, [], [`${resolve(video)}#frame=${i + 1}`]]);
    assert.deepEqual([...(npz.get('image_size').data as Float64Array)], [H, W]);
    assert.deepEqual([...(npz.get('cfg_input_img_shape').data as Float64Array)], [PH, PW]);
    assert.deepEqual([...(npz.get('cfg_output_hm_shape').data as Float64Array)], [16, 16, 12]);
    const ids = npz.get('person_ids');
    if (dark(i)) {
      assert.deepEqual(ids.shape, [0]);
      assert.ok(![...npz.keys].some((k) => k.startsWith('person_') && k !== 'person_ids'), 'no person keys on a dark frame');
    } else {
      assert.deepEqual([...(ids.data as Float64Array)], [0]);
      checkPerson(npz, 0, i, box, poseHeads());
    }
  }
  // independent of our crop code: a uniform frame's crop mean is colour × the share of the crop inside the image
  const npz = openNpz(join(out, frameFileName(3))); // white-ish 250,250,250
  const root = npz.get('person_0_smplx_root_pose').data as Float32Array;
  const inside = (Math.min(W, box.x + box.w) - Math.max(0, box.x)) * (Math.min(H, box.y + box.h) - Math.max(0, box.y)) / (box.w * box.h);
  const m = (250 / 255) * inside; // the three channel means are equal
  assertClose(root, evalHead(poseHeads()[0], [m, m, m]), 'analytic root pose', 0.02);
});

test('boxes/scores/classes detector: class filter, NMS, two people sorted by score, boxes in source pixels', async () => {
  const out = join(dir, 'npz-det');
  const res = await extractPoses({ video, poseModel: model('pose.onnx'), detectorModel: model('det.onnx'), outDir: out, batchSize: 4, minScore: 0.3, device: 'cpu' });
  assert.deepEqual(res.personsPerFrame, colours.map((_, i) => (dark(i) ? 0 : 2)));
  const region = letterboxRegion(W, H, 64, 64); // 160x120 → 64x64: scale 0.4, y offset 20 source px
  const src = (b: number[]) => xyxyToXywh(region.x + b[0] / 0.4, region.y + b[1] / 0.4, region.x + b[2] / 0.4, region.y + b[3] / 0.4);
  const boxes = [DETECTOR_BOXES.a, DETECTOR_BOXES.b].map((b) => processBox(src(b), W, H, PW / PH)!);
  assert.deepEqual(src(DETECTOR_BOXES.a), { x: 20, y: 10, w: 50, h: 100 });
  for (let i = 0; i < colours.length; i++) {
    const npz = openNpz(join(out, frameFileName(i + 1)));
    if (dark(i)) {
      assert.deepEqual(npz.get('person_ids').shape, [0]);
      continue;
    }
    assert.deepEqual([...(npz.get('person_ids').data as Float64Array)], [0, 1]);
    checkPerson(npz, 0, i, boxes[0], poseHeads());
    checkPerson(npz, 1, i, boxes[1], poseHeads());
  }
});

test('one-class YOLOv5 detector (N,252,6) is recognised without a mapping and decoded as cx,cy,w,h,objectness,class', async () => {
  const out = join(dir, 'npz-yolov5');
  const res = await extractPoses({ video, poseModel: model('pose.onnx'), detectorModel: model('det-yolov5-1class.onnx'), outDir: out, batchSize: 4, minScore: 0.3, device: 'cpu' });
  // frame 0 (200,120,60): brightness 0.497 → score 0.8 × 0.497 ≈ 0.40 ≥ 0.3; box d overlaps box a and goes in NMS
  const score = (i: number) => 0.8 * (colours[i][0] + colours[i][1] + colours[i][2]) / 3 / 255;
  assert.deepEqual(res.personsPerFrame, colours.map((_, i) => (score(i) >= 0.3 ? 1 : 0)));
  assert.ok(res.personsPerFrame.filter((n) => n === 1).length >= 8);
  // box a = (8,12)-(28,52) in the 64×64 letterbox of 160×120: source (20,10) 50×100, as for the other detectors
  const box = processBox({ x: 20, y: 10, w: 50, h: 100 }, W, H, PW / PH)!;
  checkPerson(openNpz(join(out, frameFileName(1))), 0, 0, box, poseHeads());
});

test('single-tensor YOLO (v8 layout) detector, a fixed-batch-1 pose model and a --pose_io mapping', async () => {
  const out = join(dir, 'npz-yolo');
  const io = join(dir, 'io.json');
  // a 2-box toy output is too small for the automatic layout guess, so the mapping names it
  writeFileSync(io, JSON.stringify({ detector: { format: 'yolov8', outputs: { yolo: 'output0' } } }));
  const res = await extractPoses({ video, poseModel: model('pose-fixed1.onnx'), detectorModel: model('det-yolo.onnx'), poseIo: io, outDir: out, batchSize: 3, minScore: 0.3, device: 'cpu' });
  assert.deepEqual(res.personsPerFrame, colours.map((_, i) => (dark(i) ? 0 : 1)));
  const box = processBox({ x: 20, y: 10, w: 50, h: 100 }, W, H, PW / PH)!;
  checkPerson(openNpz(join(out, frameFileName(1))), 0, 0, box, poseHeads());

  // renamed input and outputs through the mapping
  const io2 = join(dir, 'io2.json');
  writeFileSync(io2, JSON.stringify({ input: 'img', outputs: Object.fromEntries(poseHeads().map((h) => [h.name, `out_${h.name}`])) }));
  const out2 = join(dir, 'npz-renamed');
  const res2 = await extractPoses({ video, poseModel: model('pose-renamed.onnx'), poseIo: io2, outDir: out2, batchSize: 7, minScore: 0.3, device: 'cpu' });
  assert.deepEqual(res2.personsPerFrame, colours.map(() => 1), 'no score output: every frame keeps its whole-frame person');
});

// Where an NVIDIA GPU exists CUDA may well work, so the tests of its absence do not apply.
const NO_GPU = { skip: existsSync('/dev/nvidia0') && 'an NVIDIA GPU is present (/dev/nvidia0): CUDA may work here, so its absence is not tested' };

test('--device auto without CUDA: runs on the CPU and says why', NO_GPU, async () => {
  const res = await extractPoses({ video, poseModel: model('pose.onnx'), outDir: join(dir, 'npz-auto'), batchSize: 6, minScore: 0.1, device: 'auto' });
  assert.equal(res.provider, 'cpu');
  assert.match(res.providerNote ?? '', /using CPU/);
  assert.equal(res.frames, 12);
});

test('--device cuda without CUDA binaries: DEVICE_UNAVAILABLE in one line, no frames written', NO_GPU, async () => {
  const out = join(dir, 'npz-cuda');
  await assert.rejects(
    extractPoses({ video, poseModel: model('pose.onnx'), outDir: out, batchSize: 4, minScore: 0.3, device: 'cuda' }),
    (err: unknown) => {
      assert.ok(err instanceof BatchRenderError, String(err));
      assert.equal(err.code, 'DEVICE_UNAVAILABLE');
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /^--device cuda: /);
      assert.ok(!err.message.includes('\n'));
      return true;
    },
  );
  assert.throws(() => readdirSync(out), /ENOENT/);
});

test('bad inputs fail early with one-line errors', async () => {
  const base = { video, poseModel: model('pose.onnx'), outDir: join(dir, 'npz-bad'), batchSize: 4, minScore: 0.3, device: 'cpu' as const };
  await assert.rejects(extractPoses({ ...base, batchSize: 0 }), (e: unknown) => e instanceof BatchRenderError && e.code === 'USAGE' && /batch_size/.test(e.message));
  await assert.rejects(extractPoses({ ...base, poseModel: join(dir, 'nope.onnx') }), (e: unknown) => e instanceof BatchRenderError && e.code === 'CONFIG' && /cannot load ONNX model .*nope\.onnx: file not found/.test(e.message));
  writeFileSync(join(dir, 'garbage.onnx'), 'not a model');
  await assert.rejects(extractPoses({ ...base, poseModel: join(dir, 'garbage.onnx') }), (e: unknown) => e instanceof BatchRenderError && e.code === 'CONFIG' && !e.message.includes('\n'));
  await assert.rejects(extractPoses({ ...base, poseModel: model('det.onnx') }), (e: unknown) => e instanceof BatchRenderError && /no output "smplx_root_pose"/.test(e.message));
  await assert.rejects(extractPoses({ ...base, video: join(dir, 'missing.mp4') }), (e: unknown) => e instanceof BatchRenderError && /^cannot read video /.test(e.message));
});

test('abort: frames already written stay, ffmpeg is gone, INTERRUPTED', async () => {
  const out = join(dir, 'npz-abort');
  const ac = new AbortController();
  await assert.rejects(
    extractPoses({ video, poseModel: model('pose.onnx'), outDir: out, batchSize: 2, minScore: 0.2, device: 'cpu', signal: ac.signal, onFrame: (f) => f === 4 && ac.abort() }),
    (e: unknown) => e instanceof BatchRenderError && e.code === 'INTERRUPTED',
  );
  assert.deepEqual(readdirSync(out).sort(), [1, 2, 3, 4].map(frameFileName));
  assert.deepEqual(await processesMentioning(video), []);
});
