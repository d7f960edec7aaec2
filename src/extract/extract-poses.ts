/**
 * `--video`: decodes the video, finds people, runs the user's pose model in
 * batches and writes one NPZ per frame in our input format
 * (docs/npz-format.md), so the frames then render like an `--npz_dir` run.
 * At most `batchSize` frames (and their crops) are held at a time.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BatchRenderError, usageError } from '../errors.js';
import { writeNpz, type NpyInput } from '../npz/write-npz.js';
import type { DeviceRequest } from '../types.js';
import { cropToTensor } from './crop-input.js';
import { decodeVideo } from '../video/decode-video.js';
import { detectPersons, wholeFrame, type Detection } from './detect-persons.js';
import { cameraForBox, processBox, xyxyToXywh, type BoxXywh } from '../camera/osx-camera.js';
import { POSE_OUTPUTS, loadPoseIo, type PoseOutputKey } from './pose-io-mapping.js';
import { resolveDetectorContract, resolvePoseContract, type DetectorContract, type PoseContract } from './pose-model-contract.js';
import { probeVideo } from '../video/probe-video.js';
import { loadOnnxModel, type OnnxModel, type OutTensor } from './run-onnx.js';

export interface ExtractOptions {
  video: string;
  poseModel: string;
  detectorModel?: string;
  poseIo?: string;
  /** The npz folder; created if missing. */
  outDir: string;
  batchSize: number;
  minScore: number;
  device: DeviceRequest;
  /** Called with the 1-based frame number once its NPZ is on disk. */
  onFrame?: (frame: number) => void;
  signal?: AbortSignal;
}

export interface ExtractResult {
  frames: number;
  fps: number;
  width: number;
  height: number;
  /** 'cpu' or 'cuda'; 'pose:…,detector:…' when the two models ended up on different providers. */
  provider: string;
  /** Why 'auto' did not get CUDA, when it did not. */
  providerNote?: string;
  /** Number of people written for each frame, index 0 = frame 1. */
  personsPerFrame: number[];
}

/** NPZ file name of a 1-based frame number, as the npz_dir scanner expects. */
export const frameFileName = (frame: number) => `frame_${String(frame).padStart(4, '0')}_params.npz`;

/** One person's model outputs and camera, ready to write. */
export interface PersonResult {
  values: Record<PoseOutputKey, Float32Array>;
  box: BoxXywh;
  focal: [number, number];
  princpt: [number, number];
}

/** The arrays of one frame's NPZ (exported for tests and for the lead's report code). */
export function frameArrays(opts: {
  imagePath: string;
  frameW: number;
  frameH: number;
  contract: Pick<PoseContract, 'inputH' | 'inputW' | 'cfgOutputHmShape'>;
  persons: PersonResult[];
}): Record<string, NpyInput> {
  const a: Record<string, NpyInput> = {
    image_path: { dtype: 'U', shape: [], data: [opts.imagePath] },
    image_size: { dtype: 'i8', shape: [2], data: [opts.frameH, opts.frameW] },
    person_ids: { dtype: 'i8', shape: [opts.persons.length], data: opts.persons.map((_, i) => i) },
    cfg_output_hm_shape: { dtype: 'i8', shape: [3], data: opts.contract.cfgOutputHmShape },
    cfg_input_img_shape: { dtype: 'i8', shape: [2], data: [opts.contract.inputH, opts.contract.inputW] },
  };
  opts.persons.forEach((p, i) => {
    for (const [key] of POSE_OUTPUTS) a[`person_${i}_${key}`] = { dtype: 'f4', shape: [p.values[key].length], data: p.values[key] };
    a[`person_${i}_focal`] = { dtype: 'f8', shape: [2], data: p.focal };
    a[`person_${i}_princpt`] = { dtype: 'f8', shape: [2], data: p.princpt };
    a[`person_${i}_bbox_xywh`] = { dtype: 'f8', shape: [4], data: [p.box.x, p.box.y, p.box.w, p.box.h] };
  });
  return a;
}

function checkOptions(o: ExtractOptions): void {
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > 4096) throw usageError(`Expected integer between 1 and 4096 for batch_size but received ${o.batchSize}`);
  if (!Number.isFinite(o.minScore)) throw usageError(`Expected a finite number for min_score but received ${o.minScore}`);
  if (!['auto', 'cpu', 'cuda'].includes(o.device)) throw usageError(`Expected auto, cpu or cuda for device but received ${o.device}`);
}

/** Values per person of one output, checked against the contract. */
function slicePerPerson(t: OutTensor, name: string, key: string, n: number, want: number | null): (i: number) => Float32Array {
  const per = t.dims.slice(1).reduce((x, y) => x * y, 1);
  if (t.dims[0] !== n || (want !== null && per !== want) || per < 1) {
    throw new BatchRenderError('CONFIG', `pose model output "${name}" (${key}) has shape [${t.dims.join(',')}]; expected (${n},${want ?? 'D'})`);
  }
  return (i) => Float32Array.from(t.data.subarray(i * per, (i + 1) * per) as ArrayLike<number>, Number);
}

interface PendingPerson {
  frame: number; // index in the chunk
  box: BoxXywh;
}

export async function extractPoses(opts: ExtractOptions): Promise<ExtractResult> {
  checkOptions(opts);
  const io = loadPoseIo(opts.poseIo);
  const info = await probeVideo(opts.video);
  const { width: W, height: H } = info;
  const imageBase = resolve(opts.video);

  const models: OnnxModel[] = [];
  try {
    const pose = await loadOnnxModel(opts.poseModel, opts.device);
    models.push(pose);
    const pc = resolvePoseContract(io, opts.poseModel, pose.inputs, pose.outputs);
    let det: OnnxModel | undefined;
    let dc: DetectorContract | undefined;
    if (opts.detectorModel) {
      det = await loadOnnxModel(opts.detectorModel, opts.device);
      models.push(det);
      dc = resolveDetectorContract(io.detector, opts.detectorModel, det.inputs, det.outputs);
    }
    const provider = det && det.provider !== pose.provider ? `pose:${pose.provider},detector:${det.provider}` : pose.provider;
    mkdirSync(opts.outDir, { recursive: true });

    const aspect = pc.inputW / pc.inputH;
    const poseBatch = pc.fixedBatch ?? opts.batchSize;
    const itemFloats = 3 * pc.inputH * pc.inputW;
    const tensor = new Float32Array(poseBatch * itemFloats); // reused for every pose batch
    const outNames = [...Object.values(pc.outputs), ...(pc.scoreOutput ? [pc.scoreOutput] : [])];
    const personsPerFrame: number[] = [];

    const processChunk = async (frames: Buffer[], firstFrame: number) => {
      const dets: Detection[][] = det && dc ? await detectPersons(det, dc, frames, W, H, opts.minScore) : frames.map(() => [wholeFrame(W, H)]);
      const pending: PendingPerson[] = [];
      dets.forEach((list, f) => {
        for (const d of list) {
          const box = processBox(xyxyToXywh(d.x1, d.y1, d.x2, d.y2), W, H, aspect, pc.bboxScale);
          if (box) pending.push({ frame: f, box });
        }
      });
      const perFrame: PersonResult[][] = frames.map(() => []);
      for (let start = 0; start < pending.length; start += poseBatch) {
        const group = pending.slice(start, start + poseBatch);
        const n = pc.fixedBatch ?? group.length; // a fixed-batch model gets padded batches
        group.forEach((p, i) => cropToTensor(frames[p.frame], W, H, p.box, { data: tensor, item: i, width: pc.inputW, height: pc.inputH }, pc.normalize, 0));
        const out = await pose.run(pc.inputName, tensor.subarray(0, n * itemFloats), [n, 3, pc.inputH, pc.inputW], outNames);
        const getters = POSE_OUTPUTS.map(([key, want]) => [key, slicePerPerson(out[pc.outputs[key]], pc.outputs[key], key, n, want)] as const);
        const score = pc.scoreOutput ? slicePerPerson(out[pc.scoreOutput], pc.scoreOutput, 'score', n, 1) : undefined;
        group.forEach((p, i) => {
          if (score && !(score(i)[0] >= opts.minScore)) return; // the pose model's own confidence gates too
          const values = Object.fromEntries(getters.map(([key, get]) => [key, get(i)])) as Record<PoseOutputKey, Float32Array>;
          perFrame[p.frame].push({ values, box: p.box, ...cameraForBox(p.box, pc.camera) });
        });
      }
      perFrame.forEach((persons, f) => {
        const frame = firstFrame + f;
        writeNpz(
          join(opts.outDir, frameFileName(frame)),
          frameArrays({ imagePath: `${imageBase}#frame=${frame}`, frameW: W, frameH: H, contract: pc, persons }),
        );
        personsPerFrame.push(persons.length);
        opts.onFrame?.(frame);
      });
    };

    let chunk: Buffer[] = [];
    let next = 1;
    for await (const frame of decodeVideo(opts.video, { width: W, height: H, signal: opts.signal })) {
      if (opts.signal?.aborted) break;
      chunk.push(frame);
      if (chunk.length === opts.batchSize) {
        await processChunk(chunk, next);
        next += chunk.length;
        chunk = [];
      }
    }
    if (opts.signal?.aborted) throw new BatchRenderError('INTERRUPTED', `pose extraction interrupted after ${next - 1} frames`);
    if (chunk.length) await processChunk(chunk, next);

    return { frames: personsPerFrame.length, fps: info.fps, width: W, height: H, provider, providerNote: pose.providerNote ?? det?.providerNote, personsPerFrame };
  } finally {
    await Promise.allSettled(models.map((m) => m.release()));
  }
}
