/**
 * Chooses the job for the parsed options: a directory of NPZ files, or a
 * video run through pose extraction first. A --video run writes its NPZ
 * files to <output_dir>/npz/ and then renders that folder exactly as
 * --npz_dir would, with the video as the background of the video layouts.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunOptions } from '../config/parse-run-options.js';
import { buildReport, type OptionValue } from '../report/build-report.js';
import { runBatch, type RunContext, type RunOutcome } from '../pipeline/run-batch.js';
import { BatchRenderError, configError } from '../errors.js';
import { writeFileAtomic } from '../output/write-atomic.js';

/** Our own output names in <output_dir>/npz: only these are removed before a new extraction. */
const EXTRACTED_FILE = /^frame_\d+_params\.npz$/;

export async function runCommand(options: RunOptions, provenance: Record<string, OptionValue>, ctx: RunContext): Promise<RunOutcome> {
  if (options.video) return runVideo(options, provenance, ctx);
  return runBatch(options, provenance, ctx);
}

async function runVideo(options: RunOptions, provenance: Record<string, OptionValue>, ctx: RunContext): Promise<RunOutcome> {
  const t0 = performance.now();
  const video = resolve(options.video!);
  const outDir = resolve(options.outputDir);
  const npzDir = join(outDir, 'npz');
  try {
    mkdirSync(npzDir, { recursive: true });
  } catch (err) {
    throw configError(`--output_dir ${options.outputDir}: cannot create ${npzDir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  // Frames of an earlier, longer video would otherwise join this sequence.
  for (const f of readdirSync(npzDir)) if (EXTRACTED_FILE.test(f)) rmSync(join(npzDir, f), { force: true });

  const [{ extractPoses }, { probeVideo }] = await Promise.all([import('../extract/extract-poses.js'), import('../video/probe-video.js')]);
  const info = await probeVideo(video);
  const extraction: Record<string, unknown> = {
    video,
    pose_model: resolve(options.poseModel!),
    detector_model: options.detectorModel ? resolve(options.detectorModel) : null,
    pose_io: options.poseIo ? resolve(options.poseIo) : null,
    npz_dir: npzDir,
    provider: null,
    frames: 0,
    fps: info.fps,
    width: info.width,
    height: info.height,
    persons_per_frame: null,
    seconds: 0,
  };
  let done = 0;
  const tx = performance.now();
  let result;
  try {
    result = await extractPoses({
      video, poseModel: options.poseModel!, detectorModel: options.detectorModel ?? undefined, poseIo: options.poseIo ?? undefined,
      outDir: npzDir, batchSize: options.batchSize, minScore: options.minScore, device: options.device, signal: ctx.signal,
      onFrame: (frame) => {
        done = frame;
        ctx.progress.update({ phase: 'extract', done: frame, total: Math.max(frame, info.frameCount), fallback: 0, failed: 0 });
      },
    });
  } catch (err) {
    if (!(err instanceof BatchRenderError && err.code === 'INTERRUPTED')) throw err;
    ctx.progress.stop();
    extraction.frames = done;
    extraction.seconds = round((performance.now() - tx) / 1000);
    extraction.interrupted = true;
    return interruptedReport(options, provenance, outDir, npzDir, video, extraction, done, t0);
  }
  ctx.progress.stop();
  Object.assign(extraction, {
    provider: result.provider,
    ...(result.providerNote ? { provider_note: result.providerNote } : {}),
    frames: result.frames,
    fps: result.fps,
    persons_per_frame: summarisePersons(result.personsPerFrame),
    seconds: round((performance.now() - tx) / 1000),
  });

  // The rendered video keeps the source's timing unless --fps says otherwise.
  const fpsFromCli = provenance.fps?.source === 'cli';
  const fps = fpsFromCli ? options.fps : result.fps;
  const opts: RunOptions = { ...options, npzDir, background: video, fps };
  const prov = { ...provenance, fps: { value: fps, source: provenance.fps?.source ?? 'default' } as OptionValue };
  return runBatch(opts, prov, ctx, { input: { video }, extra: { extraction } });
}

/** People per frame: the histogram and its range, e.g. {min 0, max 2, mean 1.1, counts {"0": 3, "1": 40, "2": 5}}. */
export function summarisePersons(perFrame: readonly number[]): Record<string, unknown> {
  const counts: Record<string, number> = {};
  let sum = 0;
  for (const n of perFrame) { counts[n] = (counts[n] ?? 0) + 1; sum += n; }
  return {
    min: perFrame.length ? Math.min(...perFrame) : 0,
    max: perFrame.length ? Math.max(...perFrame) : 0,
    mean: perFrame.length ? round(sum / perFrame.length) : 0,
    frames_with_nobody: counts[0] ?? 0,
    counts,
  };
}

/** Ctrl-C during extraction: the NPZ files written so far stay; the report says how to render them. */
function interruptedReport(
  options: RunOptions, provenance: Record<string, OptionValue>, outDir: string, npzDir: string, video: string,
  extraction: Record<string, unknown>, done: number, t0: number,
): RunOutcome {
  const exitCode = 130;
  const report = buildReport({
    dryRun: options.dryRun, input: { video, npz_dir: npzDir }, options: provenance, frames: [], video: null, renderer: null,
    wallS: (performance.now() - t0) / 1000, stages: {},
    warnings: [`interrupted during pose extraction after ${done} frame${done === 1 ? '' : 's'}; their NPZ files stay in ${npzDir} (render them with --npz_dir ${npzDir})`],
    interrupted: true, exitCode, error: null, extra: { extraction },
  });
  const reportPath = join(outDir, 'render_report.json');
  writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
  return { report, reportPath, exitCode };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
