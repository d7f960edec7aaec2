/**
 * The main job, as a list of stage calls: scan → plan → (layout) → render →
 * encode → report. Each stage lives in its own folder; this file only
 * orders them.
 */
import { resolve } from 'node:path';
import type { RunOptions } from '../config/parse-run-options.js';
import { listFrames } from '../scan/list-frames.js';
import { scanFrames } from '../scan/scan-frames.js';
import { applyPolicy } from '../plan/apply-policy.js';
import { resolveModel } from '../body-model/resolve-model.js';
import { readModelInfo } from '../body-model/read-model-info.js';
import { createSequenceFraming } from '../camera/sequence-framing.js';
import type { OptionValue } from '../report/build-report.js';
import type { Progress } from '../report/progress.js';
import { imageName } from '../output/output-names.js';
import { finishRun, startRun, type RunOutcome, type RunState } from './run-state.js';
import { renderPlan } from './render-plan.js';

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
    const listing = listFrames(npzDir);
    run.warnings.push(...listing.warnings);
    const model = await resolveModel(opts.modelPath, opts.gender);
    Object.assign(run.input, { model: model.kind === 'demo' ? 'built-in demo body' : model.path, model_path: model.path, ...more.input });

    // The overlay draws each person with its own camera: no sequence camera to frame.
    const framing = opts.dryRun || opts.layout === 'overlay' ? null : createSequenceFraming(model.path, opts.flatHandMean);
    const total = listing.frames.length;
    const scan = await scanFrames(listing.frames, opts.person,
      (done) => ctx.progress.update({ phase: 'scan', done, total, fallback: 0, failed: 0 }), ctx.signal, framing?.add);
    run.stages.read += scan.readMs;
    run.scanned = scan.frames;
    const plan = applyPolicy(scan.frames, opts.policy);
    run.entries = plan.map((p, i) => ({
      frame: p.frame, file: scan.frames[i].file, check: p.check, detail: scan.frames[i].detail, status: p.status, source_frame: p.sourceFrame, image: null,
    }));

    if (opts.dryRun || scan.aborted) return finishPlanOnly(run, model.path, scan.aborted);
    // await: the lock is held until the render has finished.
    return await renderPlan(run, { modelPath: model.path, plan, scan, framing }, ctx);
  } finally {
    run.lock.release();
  }
}

/** Dry run (or Ctrl-C during the scan): the plan is the report; images are the ones a render would write. */
function finishPlanOnly(run: RunState, modelPath: string, interrupted: boolean): RunOutcome {
  Object.assign(run.input, readModelInfo(modelPath));
  const everyFrame = run.opts.layout !== 'mesh';
  for (const e of run.entries) e.image = run.opts.png && (everyFrame || e.status !== 'skipped') ? imageName(e.frame) : null;
  return finishRun(run, { video: null, renderer: null, interrupted });
}
