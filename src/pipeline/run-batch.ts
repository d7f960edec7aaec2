/**
 * The main job, as a list of stage calls: scan → plan → (layout) → render →
 * encode → report. Each stage lives in its own folder; this file only
 * orders them.
 */
import { resolve } from 'node:path';
import type { RunOptions } from '../config/parse-run-options.js';
import { listFrames } from '../scan/list-frames.js';
import { scanFrames } from '../scan/scan-frames.js';
import { applyPolicy, type PlannedFrame, type Policy } from '../plan/apply-policy.js';
import { resolveModel } from '../body-model/resolve-model.js';
import { readModelInfo } from '../body-model/read-model-info.js';
import { checkModelInBackground, type ModelCounts } from '../body-model/check-model-in-background.js';
import { createSequenceFraming } from '../camera/sequence-framing.js';
import type { OptionValue } from '../report/build-report.js';
import type { Progress } from '../report/progress.js';
import { imageName } from '../output/output-names.js';
import { finishRun, startRun, type RunOutcome, type RunState } from './run-state.js';
import { renderPlan } from './render-plan.js';
import { renderShard } from './render-shard.js';
import { runTemporal, temporalEnabled } from '../temporal/temporal-stage.js';
import { temporalReport } from '../temporal/temporal-report.js';
import type { ScanResult } from '../scan/scan-frames.js';
import type { SequenceFraming } from '../camera/sequence-framing.js';
import type { PersonParams } from '../types.js';

export type { RunOutcome } from './run-state.js';

export interface RunContext {
  signal: AbortSignal;
  progress: Progress;
}

/** What a caller adds to the report (e.g. the pose extraction of a --video run). */
export interface BatchExtras {
  input?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

export async function runBatch(opts: RunOptions, provenance: Record<string, OptionValue>, ctx: RunContext, more: BatchExtras = {}): Promise<RunOutcome> {
  const npzDir = resolve(opts.npzDir!);
  const run = startRun(opts, provenance, { npz_dir: npzDir }, { ...more.extra });
  try {
    const listing = listFrames(npzDir, { maxGapFrames: opts.maxGapFrames });
    run.warnings.push(...listing.warnings);
    const model = await resolveModel(opts.modelPath, opts.gender);
    Object.assign(run.input, { model: model.kind === 'demo' ? 'built-in demo body' : model.path, model_path: model.path, ...more.input });

    // A dry run checks the model as a render would load it, on another thread while the scan runs.
    const modelCheck = opts.dryRun ? checkModelInBackground(model.path) : null;
    modelCheck?.catch(() => { /* surfaced when awaited */ });
    // The overlay draws each person with its own camera: no sequence camera to frame.
    const framing = opts.dryRun || opts.layout === 'overlay' ? null : createSequenceFraming(model.path, opts.flatHandMean, opts.framing, opts.views);
    const total = listing.frames.length;
    // The temporal stage needs every usable person's parameters; the framing then sees them after it.
    const read = temporalEnabled(opts.policy, opts.temporal) ? new Map<number, PersonParams[]>() : null;
    const keep = (p: PersonParams, frame: number) => { (read!.get(frame) ?? read!.set(frame, []).get(frame)!).push(p); };
    const scan = await scanFrames(listing.frames, opts.person,
      (done) => ctx.progress.update({ phase: 'scan', done, total, fallback: 0, failed: 0 }), ctx.signal, read ? keep : framing?.add);
    run.stages.read += scan.readMs;
    run.scanned = scan.frames;
    const { plan, persons } = read ? planTemporal(run, scan, read, framing) : { plan: applyPolicy(scan.frames, opts.policy as Policy), persons: null };
    run.entries = plan.map((p, i) => ({
      frame: p.frame, file: scan.frames[i].file, check: p.check, detail: scan.frames[i].detail,
      status: p.interpolation ? 'interpolated' : p.status, source_frame: p.sourceFrame,
      ...(p.interpolation ? { source_frames: p.interpolation.sourceFrames, weight: round6(p.interpolation.weight) } : {}), image: null,
    }));

    const inputs = { modelPath: model.path, plan, scan, framing, persons };
    // await: the lock is held until the render has finished.
    if (opts.shard) return await renderShard(run, inputs, ctx);
    if (opts.dryRun || scan.aborted) return await finishPlanOnly(run, model.path, scan.aborted, modelCheck);
    return await renderPlan(run, inputs, ctx);
  } finally {
    run.lock.release();
  }
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Outliers, interpolation and smoothing (src/temporal/temporal-stage.ts); the scan's checks follow the outliers found. */
function planTemporal(run: RunState, scan: ScanResult, read: Map<number, PersonParams[]>, framing: SequenceFraming | null): { plan: PlannedFrame[]; persons: Map<number, PersonParams[]> } {
  const t = runTemporal(scan.frames, read, run.opts.policy, run.opts.temporal);
  t.frames.forEach((f, i) => { scan.frames[i].check = f.check; scan.frames[i].detail = f.detail; });
  for (const p of t.plan) if (p.status === 'rendered') for (const q of t.persons.get(p.frame) ?? read.get(p.frame) ?? []) framing?.add(q, p.frame);
  run.extra.temporal = temporalReport(run.opts.temporal, t.outliers);
  return { plan: t.plan, persons: t.persons };
}

/** Dry run (or Ctrl-C during the scan): the plan is the report; images are the ones a render would write. */
async function finishPlanOnly(run: RunState, modelPath: string, interrupted: boolean, modelCheck: Promise<ModelCounts> | null): Promise<RunOutcome> {
  Object.assign(run.input, modelCheck ? await modelCheck : readModelInfo(modelPath));
  const everyFrame = run.opts.layout !== 'mesh';
  for (const e of run.entries) e.image = run.opts.png && (everyFrame || e.status !== 'skipped') ? imageName(e.frame) : null;
  return finishRun(run, { video: null, renderer: null, interrupted });
}
