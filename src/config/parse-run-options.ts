/**
 * The run options schema, shared by the CLI and the service: argv in, typed
 * options (with provenance) out, or a UsageError. No I/O, so it is
 * unit-tested without spawning. Every flag is accepted in snake_case and
 * kebab-case (`--npz_dir`, `--npz-dir`).
 */
import { Command, CommanderError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { BatchRenderError, usageError } from '../errors.js';
import type { Policy } from '../plan/apply-policy.js';
import type { PersonSelector } from '../scan/read-frame.js';
import type { MeshFormat } from '../output/mesh-export.js';
import type { FramingMode } from '../camera/sequence-framing.js';
import { isFrontOnly, parseViewList, VIEW_NAMES, type ViewName } from '../camera/view-rotation.js';
import type { DeviceRequest, GlBackendRequest, Layout } from '../types.js';
import { addTemporalOptions, temporalOptions, type TemporalFlags, type TemporalOptions } from './temporal-options.js';

export type { Layout } from '../types.js';
import type { OptionValue } from '../report/build-report.js';


export interface RunOptions {
  /** The one --npz_dir (the first when several are given). */
  npzDir: string | null;
  /** Every --npz_dir, in order: several (or a folder of sequence folders) render one sequence each (src/pipeline/run-sequences.ts). */
  npzDirs: string[];
  /** --shard K/N: this process renders share K (0-based) of N; null for a whole run. */
  shard: ShardSpec | null;
  video: string | null;
  outputDir: string;
  modelPath: string | null;
  gender: 'neutral' | 'male' | 'female';
  imgSize: number;
  /** interpolate: gaps per temporal.interpolate, the rest by its gap policy. */
  policy: Policy | 'interpolate';
  device: DeviceRequest;
  concurrency: number;
  fps: number;
  person: PersonSelector;
  dryRun: boolean;
  failOnMissingRate: number | null;
  export: MeshFormat | null;
  /** --export glb: one animated glTF of the sequence (render.glb) instead of per-frame meshes. */
  glb?: boolean;
  json: boolean;
  flatHandMean: boolean;
  /** What the stable sequence camera frames: the whole body, pelvis and above, or both hands. */
  framing: FramingMode;
  /** --views: the views of each frame, left to right in the image (default: front alone). */
  views: ViewName[];
  png: boolean;
  mp4: boolean;
  pngCompression: number;
  crf: number;
  layout: Layout;
  background: string | null;
  poseModel: string | null;
  detectorModel: string | null;
  poseIo: string | null;
  batchSize: number;
  minScore: number;
  /** GL backend: EGL (no X server), headless-gl on GLX (Xvfb), or EGL with GLX as the fallback. */
  gl: GlBackendRequest;
  /** Which GPU when there are several (index among the NVIDIA devices), or null. */
  gpu: number | null;
  /** Render every frame again even where a finished output matches. */
  force: boolean;
  /** Largest run of missing frame numbers between two files that is accepted. */
  maxGapFrames: number;
  /** Interpolation, smoothing and outlier rejection over the sequence. */
  temporal: TemporalOptions;
}

export interface ShardSpec { index: number; count: number }

export type { GlBackendRequest } from '../types.js';

export type ParseResult =
  | { kind: 'run'; options: RunOptions; provenance: Record<string, OptionValue> }
  | { kind: 'exit'; code: number; output: string };

const expected = (name: string, what: string, got: string) =>
  usageError(`Expected ${what} for --${name} but received "${got}"`);

function int(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!/^\s*-?\d+\s*$/.test(v) || n < min || n > max) throw expected(name, `an integer between ${min} and ${max}`, v);
    return n;
  };
}

function num(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw expected(name, `a number between ${min} and ${max}`, v);
    return n;
  };
}

/** A share as 0.05 or "5%". */
function rate(name: string) {
  return (v: string) => {
    const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
    const n = pct ? Number(pct[1]) / 100 : Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw expected(name, 'a share between 0 and 1 (or 0%–100%)', v);
    return n;
  };
}

/** Worker count as N or "50%" of the cores. */
export function parseConcurrency(v: string, cores = availableParallelism()): number {
  const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
  const n = pct ? Math.max(1, Math.round((cores * Number(pct[1])) / 100)) : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw expected('concurrency', 'an integer between 1 and 64, or a percentage of the cores such as "50%"', v);
  return n;
}

function views(v: string): ViewName[] {
  const r = parseViewList(v);
  if ('problem' in r) throw usageError(`Expected a comma-separated list of ${VIEW_NAMES.join(', ')} (each at most once) for --views but received "${v}": ${r.problem}`);
  return r.views;
}

function person(v: string): PersonSelector {
  if (v === 'all') return 'all';
  if (!/^\d+$/.test(v)) throw expected('person', 'a person index (0, 1, …) or "all"', v);
  return Number(v);
}

/**
 * Default render processes: half the cores. The other half runs what each
 * frame also needs (llvmpipe's rasteriser threads, PNG encoding, x264), and on
 * a 2-core machine one in-process renderer is both faster and half the memory
 * of two workers (docs/performance.md).
 */
export const defaultConcurrency = () => Math.max(1, Math.min(8, Math.floor(availableParallelism() / 2)));

function buildCommand(): Command {
  const choice = (flags: string, desc: string, values: string[], def?: string) => {
    const o = new Option(flags, desc).choices(values);
    return def === undefined ? o : o.default(def);
  };
  const cmd = new Command('batch-render')
    .description('Render per-frame SMPL-X parameter files (OSX / AiOS / SMPLer-X NPZ) to PNGs, an MP4 and render_report.json.\nEvery flag is also accepted in snake_case (--npz_dir).\nOther commands: batch-render view DIR… (the viewer), serve (the job service), worker (a queue worker), merge OUTPUT_DIR (after --shard runs); each has --help.')
    .version(process.env.BATCH_RENDER_VERSION ?? '0.1.0', '-V, --version')
    .option('--npz-dir <dir>', 'directory of per-frame NPZ files (frame_0001_params.npz …); repeat it, or give a folder of sequence folders, to render several sequences', (v: string, prev?: string[]) => [...(prev ?? []), v])
    .option('--shard <K/N|auto>', 'render share K (0-based, 0..N-1) of N contiguous shares of the frames; "auto" reads SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX (docs/scale-out.md)')
    .option('--shard-count <n>', 'N for --shard auto when the environment does not say it (Kubernetes), else BATCH_RENDER_SHARD_COUNT', int('shard_count', 1, 100_000))
    .option('--video <file>', 'a video to extract poses from with --pose-model (instead of --npz-dir)')
    .option('--output-dir <dir>', 'where PNGs, render.mp4 and render_report.json go', './render_out')
    .option('--model-path <path>', 'SMPL-X model: an .npz file, or a folder holding SMPLX_<GENDER>.npz (default: built-in demo body)')
    .addOption(choice('--gender <gender>', 'model gender when --model-path is a folder', ['neutral', 'male', 'female'], 'neutral'))
    .option('--img-size <px>', 'output size in pixels: the square mesh view (each view, with --views); with --layout overlay, the output height (default: the video\'s own size)', int('img_size', 16, 4096), 720)
    .addOption(choice('--policy <policy>', 'frames without a usable person: show the previous mesh, skip them, show a placeholder, or interpolate short gaps (--max_gap, --gap_policy)', ['fallback', 'skip', 'placeholder', 'interpolate'], 'skip'))
    .option('--use-fallback', 'same as --policy fallback')
    .addOption(choice('--device <device>', 'cpu: Mesa llvmpipe; cuda: the NVIDIA GPU through EGL\'s device platform (no X server; exit 2 when there is none); auto: the GPU when there is one, else cpu', ['auto', 'cpu', 'cuda'], 'auto'))
    .option('--concurrency <n>', 'render processes: 1 draws in the main process, N > 1 starts N workers; or a share of the cores such as "50%" (default: half the cores)', (v) => parseConcurrency(v))
    .option('--fps <n>', 'frame rate of render.mp4', num('fps', 0.1, 1000), 30)
    .option('--person <i>', 'which detected person to render: an index or "all"', person, 0 as PersonSelector)
    .option('--dry-run', 'read and classify every frame, write only the report (render_report.json and .html)')
    .option('--fail-on-missing-rate <r>', 'exit 3 if the share of frames without a usable person exceeds r (0.1 or 10%)', rate('fail_on_missing_rate'))
    .addOption(choice('--export <format>', 'also write the posed mesh of each rendered frame (obj, ply), or the sequence as one animated glTF, render.glb (glb)', ['obj', 'ply', 'glb']))
    .option('--json', 'progress and summary as JSON lines on stdout')
    .option('--flat-hand-mean', 'do not add the model\'s mean hand pose (smplx flat_hand_mean=True)')
    .addOption(choice('--framing <region>', 'what the sequence camera frames over the whole sequence: the whole body, the upper body (pelvis up; legs may be cut) or both hands', ['full', 'upper', 'hands'] satisfies FramingMode[], 'full'))
    .option('--views <list>', 'views of each frame side by side, left to right, each with its own stable camera: front, side (turned 90° about the vertical: how far the hands are from the body), top (looking down on the head); e.g. front,side', views, ['front'] as ViewName[])
    .option('--no-png', 'do not write PNG images')
    .option('--no-mp4', 'do not write render.mp4')
    .option('--png-compression <level>', 'PNG zlib level, 0 (fastest) to 9 (smallest)', int('png_compression', 0, 9), 1)
    .option('--crf <n>', 'H.264 quality (lower is better)', int('crf', 0, 51), 18)
    .addOption(choice('--layout <layout>', 'mesh alone, mesh over the source video, or both side by side', ['mesh', 'overlay', 'side-by-side'], 'mesh'))
    .option('--background <video>', 'source video for --layout overlay/side-by-side with --npz-dir')
    .option('--pose-model <onnx>', 'ONNX pose model for --video (see docs/pose-model.md)')
    .option('--detector-model <onnx>', 'optional ONNX person detector for --video')
    .option('--pose-io <json>', 'JSON mapping of the pose model\'s tensor names and normalisation')
    .option('--batch-size <n>', 'frames per ONNX inference batch', int('batch_size', 1, 1024), 8)
    .option('--min-score <s>', 'minimum detection score for a person', num('min_score', 0, 1), 0.5)
    .addOption(choice('--gl <backend>', 'GL backend: egl (no X server), glx (headless-gl on Xvfb), auto (EGL, else GLX)', ['auto', 'egl', 'glx'], 'auto'))
    .option('--gpu <n>', 'which NVIDIA GPU with --device cuda/auto when there are several', int('gpu', 0, 63))
    .option('--force', 'render every frame again, even where a finished output of an earlier run matches')
    .option('--max-gap-frames <n>', 'largest run of missing frame numbers accepted between two files', int('max_gap_frames', 0, 10_000_000), 100_000);
  return addTemporalOptions(cmd)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .showSuggestionAfterError(true);
}

/** `--npz_dir=x` and `--npz_dir x` become `--npz-dir…`; values are left alone. */
export function normaliseFlags(argv: string[]): string[] {
  let afterDoubleDash = false;
  return argv.map((a) => {
    if (afterDoubleDash || !a.startsWith('--')) return a;
    if (a === '--') { afterDoubleDash = true; return a; }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    return name.replace(/_/g, '-') + (eq < 0 ? '' : a.slice(eq));
  });
}

/** K/N (0-based K), or auto from the scheduler's environment (Slurm job arrays, Kubernetes Indexed Jobs). */
export function parseShard(v: string, countFlag: number | null, env: NodeJS.ProcessEnv): ShardSpec {
  if (v === 'auto') return autoShard(countFlag, env);
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  const spec = m ? { index: Number(m[1]), count: Number(m[2]) } : null;
  if (!spec || spec.count < 1 || spec.count > 100_000 || spec.index >= spec.count) throw expected('shard', 'K/N with 0 ≤ K < N (K is 0-based), or "auto"', v);
  return spec;
}

const envInt = (env: NodeJS.ProcessEnv, name: string): number | null => {
  const s = env[name];
  if (s === undefined || s === '') return null;
  if (!/^\d+$/.test(s.trim())) throw usageError(`--shard auto: ${name}="${s}" is not a non-negative integer`);
  return Number(s);
};

/**
 * Slurm: without a count given, the array is the whole run: K = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN
 * (--array=1-8 and --array=0-7 both give shards 0..7), N = SLURM_ARRAY_TASK_COUNT (or MAX − MIN + 1).
 * With --shard_count / BATCH_RENDER_SHARD_COUNT, K = SLURM_ARRAY_TASK_ID as is, so a re-submitted
 * part of the array (--array=3) is still shard 3.
 * Kubernetes: JOB_COMPLETION_INDEX (0-based), N from --shard_count or BATCH_RENDER_SHARD_COUNT.
 */
function autoShard(countFlag: number | null, env: NodeJS.ProcessEnv): ShardSpec {
  const slurmId = envInt(env, 'SLURM_ARRAY_TASK_ID');
  const k8sIndex = envInt(env, 'JOB_COMPLETION_INDEX');
  const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
  const max = envInt(env, 'SLURM_ARRAY_TASK_MAX');
  const given = countFlag ?? envInt(env, 'BATCH_RENDER_SHARD_COUNT');
  let spec: ShardSpec;
  if (slurmId !== null) {
    const count = given ?? envInt(env, 'SLURM_ARRAY_TASK_COUNT') ?? (max !== null ? max - min + 1 : null);
    if (count === null) throw usageError('--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX (give --shard_count N)');
    spec = { index: given === null ? slurmId - min : slurmId, count };
  } else if (k8sIndex !== null) {
    if (given === null) throw usageError('--shard auto: JOB_COMPLETION_INDEX is set but no shard count (give --shard_count N or BATCH_RENDER_SHARD_COUNT, the Job\'s completions)');
    spec = { index: k8sIndex, count: given };
  } else {
    throw usageError('--shard auto: none of SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX is set (use --shard K/N outside a scheduler)');
  }
  if (spec.count < 1 || spec.index < 0 || spec.index >= spec.count) throw usageError(`--shard auto: shard ${spec.index} of ${spec.count} is out of range (0-based K, 0 ≤ K < N; is the array range contiguous?)`);
  return spec;
}

export function parseRunOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ParseResult {
  const cmd = buildCommand();
  let out = '';
  cmd.configureOutput({ writeOut: (s) => { out += s; }, writeErr: (s) => { out += s; } });
  try {
    cmd.parse(normaliseFlags(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof BatchRenderError) throw err;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return { kind: 'exit', code: 0, output: out };
      }
      // Commander's own message is precise ("unknown option '--foo'"); keep its first line.
      throw usageError(err.message.replace(/^error: /, '').split('\n')[0]);
    }
    throw err;
  }
  if (cmd.args.length > 0) throw usageError(`unexpected argument "${cmd.args[0]}"`);
  const o = cmd.opts();
  const provenance: Record<string, OptionValue> = {};
  for (const key of Object.keys(o)) {
    const src = cmd.getOptionValueSource(key);
    provenance[snake(key)] = { value: o[key], source: src === 'cli' ? 'cli' : 'default' };
  }
  if (o.useFallback && cmd.getOptionValueSource('policy') === 'cli' && o.policy !== 'fallback') {
    throw usageError(`--use_fallback conflicts with --policy ${o.policy}`);
  }
  const policy: RunOptions['policy'] = o.useFallback ? 'fallback' : o.policy;
  provenance.policy = { value: policy, source: o.useFallback || cmd.getOptionValueSource('policy') === 'cli' ? 'cli' : 'default' };
  const npzDirs: string[] = o.npzDir ?? [];
  // One --npz_dir reads in the report exactly as before: a string, not a list.
  if (npzDirs.length === 1) provenance.npz_dir = { value: npzDirs[0], source: 'cli' };
  const shard = o.shard === undefined ? null : parseShard(o.shard, o.shardCount ?? null, env);
  if (o.shardCount !== undefined && o.shard !== 'auto') throw usageError('--shard_count is for --shard auto');
  if (shard && npzDirs.length !== 1) throw usageError('--shard renders one sequence: give exactly one --npz_dir');
  if (shard && o.layout !== 'mesh') throw usageError(`--shard works with --layout mesh only (got --layout ${o.layout})`);
  if (shard && o.dryRun) throw usageError('--shard and --dry-run cannot be used together');
  if (shard && o.export === 'glb') throw usageError('--shard and --export glb cannot be used together (render.glb is one file of the whole sequence)');
  if (shard && o.png === false) throw usageError('--shard needs the PNGs (batch-render merge makes render.mp4 from them): drop --no-png');
  checkViews(o.views, o.layout);
  if (shard) provenance.shard = { value: `${shard.index}/${shard.count}`, source: 'cli' };
  if (!o.npzDir && !o.video) throw usageError('one of --npz_dir DIR or --video FILE is required (see --help)');
  if (o.npzDir && o.video) throw usageError('--npz_dir and --video cannot be used together');
  if (o.video && !o.poseModel) throw usageError('--video needs --pose_model MODEL.onnx');
  if (!o.video && (o.poseModel || o.detectorModel || o.poseIo)) throw usageError('--pose_model, --detector_model and --pose_io need --video');
  if (o.background && !o.npzDir) throw usageError('--background is for --npz_dir runs; a --video run is its own background');
  if ((o.layout === 'overlay' || o.layout === 'side-by-side') && o.npzDir && !o.background) {
    throw usageError(`--layout ${o.layout} with --npz_dir needs --background VIDEO`);
  }
  const concurrency = o.concurrency ?? defaultConcurrency();
  provenance.concurrency = { value: concurrency, source: o.concurrency === undefined ? 'default' : 'cli' };
  const options: RunOptions = {
    npzDir: npzDirs[0] ?? null,
    npzDirs,
    shard,
    video: o.video ?? null,
    outputDir: o.outputDir,
    modelPath: o.modelPath ?? null,
    gender: o.gender,
    imgSize: o.imgSize,
    policy,
    device: o.device,
    concurrency,
    fps: o.fps,
    person: o.person,
    dryRun: !!o.dryRun,
    failOnMissingRate: o.failOnMissingRate ?? null,
    export: o.export === 'glb' ? null : o.export ?? null,
    glb: o.export === 'glb',
    json: !!o.json,
    flatHandMean: !!o.flatHandMean,
    framing: o.framing,
    views: o.views,
    png: o.png !== false,
    mp4: o.mp4 !== false,
    pngCompression: o.pngCompression,
    crf: o.crf,
    layout: o.layout,
    background: o.background ?? null,
    poseModel: o.poseModel ?? null,
    detectorModel: o.detectorModel ?? null,
    poseIo: o.poseIo ?? null,
    batchSize: o.batchSize,
    minScore: o.minScore,
    gl: o.gl,
    gpu: o.gpu ?? null,
    force: !!o.force,
    maxGapFrames: o.maxGapFrames,
    temporal: temporalOptions({ ...(o as TemporalFlags), policy }),
  };
  return { kind: 'run', options, provenance };
}

/**
 * The overlay draws over the video in the source camera: a turned view has
 * no place there. Side by side, the views strip is the mesh panel (video |
 * front | side …).
 */
function checkViews(v: ViewName[], layout: string): void {
  if (isFrontOnly(v)) return;
  if (layout === 'overlay') throw usageError(`--views ${v.join(',')} does not work with --layout overlay (the mesh is drawn over the video in its own camera); use --layout side-by-side or mesh`);
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
