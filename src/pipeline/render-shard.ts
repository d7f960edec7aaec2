/**
 * One shard of a run (--shard K/N): the scan, plan and sequence camera are the
 * whole run's; this process renders its range of the plan into the shared
 * output folder and writes shard_K_of_N.json instead of render_report.json
 * (no render.mp4: `batch-render merge` assembles it). docs/scale-out.md.
 */
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../output/write-atomic.js';
import type { RunOptions } from '../config/parse-run-options.js';
import { reportOf, type RunEnd, type RunOutcome, type RunState } from './run-state.js';
import { renderPlan, type RenderInputs } from './render-plan.js';
import { planKey, shardPlan, shardRange, type ShardRange } from './shard-plan.js';
import type { RunContext } from './run-batch.js';

export const SHARD_SCHEMA = 'batch-render/shard@1';

export interface ShardWork {
  range: ShardRange;
  /** Leading items of the shard's plan that are rendered only (another shard writes them). */
  renderOnly: number;
  /** The whole plan's key; with the render settings it makes the plan fingerprint every shard must share. */
  planKey: string;
  planLength: number;
  /** The run's options as given (the merge encodes render.mp4 and applies the quality gate with them). */
  options: RunOptions;
  fingerprint: string | null;
}

export async function renderShard(run: RunState, w: RenderInputs, ctx: RunContext): Promise<RunOutcome> {
  const options = run.opts;
  const range = shardRange(w.plan.length, options.shard!);
  const sp = shardPlan(w.plan, range);
  const work: ShardWork = {
    range, renderOnly: sp.renderOnly, planKey: planKey(w.plan, run.entries.map((e) => e.file)), planLength: w.plan.length, options, fingerprint: null,
  };
  const byFrame = new Map(run.entries.map((e) => [e.frame, e]));
  run.entries = [...sp.plan.slice(0, sp.renderOnly).map((p) => structuredClone(byFrame.get(p.frame)!)), ...run.entries.slice(range.start, range.end)];
  // The merge writes render.mp4 from every shard's PNGs.
  run.opts = { ...options, mp4: false };
  if (w.scan.aborted) {
    for (const e of run.entries) if (e.status !== 'skipped') e.status = 'cancelled';
    return finishShard(run, work, { video: null, renderer: null, interrupted: true });
  }
  return renderPlan(run, { ...w, plan: sp.plan, shard: work }, ctx);
}

/** The shard's plan fingerprint: the render settings (camera included), the whole plan, and what the merge encodes. */
export function shardFingerprint(settings: string, work: ShardWork): string {
  const o = work.options;
  const encode = { png: o.png, mp4: o.mp4, fps: o.fps, crf: o.crf, export: o.export, gate: o.failOnMissingRate, count: o.shard!.count };
  return createHash('sha1').update(`${settings}|${work.planKey}|${JSON.stringify(encode)}`).digest('hex').slice(0, 20);
}

/** Writes shard_K_of_N.json: the shard's own frames (render-only ones left out) and what the merge checks. */
export function finishShard(run: RunState, work: ShardWork, end: RunEnd): RunOutcome {
  run.entries = run.entries.slice(work.renderOnly);
  const s = work.options.shard!;
  const error = end.error ?? null;
  run.extra.shard = {
    index: s.index, count: s.count, plan_indices: [work.range.start, work.range.end], plan_frames: work.planLength,
    frames: run.entries.length ? [run.entries[0].frame, run.entries[run.entries.length - 1].frame] : null,
    plan_fingerprint: work.fingerprint,
    complete: !error && !end.interrupted && work.fingerprint !== null && run.entries.every((e) => e.status !== 'cancelled'),
    run_options: work.options,
  };
  const report = { ...reportOf(run, end, error), schema: SHARD_SCHEMA };
  writeFileAtomic(run.reportPath, JSON.stringify(report, null, 2) + '\n');
  return { report, reportPath: run.reportPath, exitCode: report.exit_code };
}
