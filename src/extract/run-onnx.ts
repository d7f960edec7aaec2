/**
 * Thin adapter over onnxruntime-node: opens a model on the requested device
 * and runs float32 batches. The runtime is imported lazily (it loads a native
 * library), so commands that do not extract poses never pay for it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { BatchRenderError, configError } from '../errors.js';
import type { DeviceRequest } from '../types.js';
import type { TensorInfo } from './pose-model-contract.js';

export type Provider = 'cpu' | 'cuda';

/** One output tensor: dims and values (float32, or int64 for class ids). */
export interface OutTensor {
  dims: readonly number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array;
}

export interface OnnxModel {
  path: string;
  /** The execution provider the session was created with (the one that runs it). */
  provider: Provider;
  /** Why a 'auto' request did not get CUDA, for the report. */
  providerNote?: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  run(inputName: string, data: Float32Array, dims: number[], outputNames: string[]): Promise<Record<string, OutTensor>>;
  release(): Promise<void>;
}

const importOrt = () => import('onnxruntime-node').then((m) => m.default);
let ortPromise: ReturnType<typeof importOrt> | undefined;
const loadOrt = () => (ortPromise ??= importOrt());

/**
 * Why CUDA cannot run, or undefined when it may. onnxruntime-node lists
 * 'cuda' even when its CUDA binaries were not downloaded at install; trying
 * it then fails inside the native code with a log line on stderr, so the
 * provider library is looked for first.
 */
export async function cudaUnavailableReason(): Promise<string | undefined> {
  const ort = await loadOrt();
  const cuda = ort.listSupportedBackends().find((b) => b.name === 'cuda');
  if (!cuda) return `this onnxruntime-node build (${process.platform}-${process.arch}) has no CUDA execution provider`;
  if (cuda.bundled) return undefined;
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  const dir = providerDir();
  if (dir && !existsSync(join(dir, lib))) {
    return `onnxruntime-node's CUDA binaries are not installed (${lib} is missing; reinstall onnxruntime-node without --onnxruntime-node-install=skip, on a machine with an NVIDIA driver and CUDA 12)`;
  }
  return undefined;
}

function providerDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('onnxruntime-node');
    return join(dirname(pkg), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0].trim();

/** Opens `path` for `device`: cpu → CPU; cuda → CUDA or DEVICE_UNAVAILABLE; auto → CUDA when it works, else CPU. */
export async function loadOnnxModel(path: string, device: DeviceRequest): Promise<OnnxModel> {
  if (!existsSync(path)) throw configError(`cannot load ONNX model ${path}: file not found`);
  const ort = await loadOrt();
  ort.env.logLevel = 'error';

  let session: Ort.InferenceSession | undefined;
  let provider: Provider = 'cpu';
  let providerNote: string | undefined;
  if (device !== 'cpu') {
    const why = await cudaUnavailableReason();
    if (!why) {
      try {
        session = await ort.InferenceSession.create(path, { executionProviders: ['cuda'], logSeverityLevel: 3 });
        provider = 'cuda';
      } catch (err) {
        if (device === 'cuda') throw new BatchRenderError('DEVICE_UNAVAILABLE', `--device cuda: the CUDA execution provider failed to start for ${path}: ${firstLine(err)}`, { cause: err });
        providerNote = `CUDA failed to start (${firstLine(err)}); using CPU`;
      }
    } else if (device === 'cuda') {
      throw new BatchRenderError('DEVICE_UNAVAILABLE', `--device cuda: ${why}`);
    } else {
      providerNote = `${why}; using CPU`;
    }
  }
  if (!session) {
    try {
      session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], logSeverityLevel: 3 });
    } catch (err) {
      throw configError(`cannot load ONNX model ${path}: ${firstLine(err)}`, err);
    }
  }
  const s = session;
  const info = (meta: readonly Ort.InferenceSession.ValueMetadata[]): TensorInfo[] =>
    meta.map((m) => ({
      name: m.name,
      type: m.isTensor ? String(m.type) : 'non-tensor',
      shape: m.isTensor ? [...m.shape] : [],
    }));

  return {
    path,
    provider,
    providerNote,
    inputs: info(s.inputMetadata),
    outputs: info(s.outputMetadata),
    async run(inputName, data, dims, outputNames) {
      const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
      let res: Ort.InferenceSession.OnnxValueMapType;
      try {
        res = await s.run(feeds, outputNames);
      } catch (err) {
        throw configError(`running ONNX model ${path} on input [${dims.join(',')}] failed: ${firstLine(err)}`, err);
      }
      const out: Record<string, OutTensor> = {};
      for (const name of outputNames) {
        const t = res[name] as Ort.Tensor;
        const d = t.data;
        if (!(d instanceof Float32Array || d instanceof Float64Array || d instanceof Int32Array || d instanceof BigInt64Array)) {
          throw configError(`ONNX model ${path}: output "${name}" is ${t.type}; expected float32`);
        }
        out[name] = { dims: t.dims, data: d };
      }
      return out;
    },
    release: () => s.release(),
  };
}
