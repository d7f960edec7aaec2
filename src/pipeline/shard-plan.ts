/**
 * Shards, pure: shard K of N owns the output frames of one contiguous range
 * of the plan, and renders every source frame those frames show (a fallback
 * whose source lies in another shard is rendered here again, its PNG left to
 * the shard that owns it). Names of a shard's files in the shared folder.
 */
import { createHash } from 'node:crypto';
import type { PlannedFrame } from '../plan/apply-policy.js';
import type { ShardSpec } from '../config/parse-run-options.js';

export interface ShardRange { start: number; end: number }

/** Plan indices [start, end) of shard `index` (0-based): sizes differ by at most one. */
export function shardRange(total: number, s: ShardSpec): ShardRange {
  return { start: Math.floor((s.index * total) / s.count), end: Math.floor(((s.index + 1) * total) / s.count) };
}

export interface ShardPlan {
  /** Render-only source frames from other shards first, then the shard's own frames, in order. */
  plan: PlannedFrame[];
  /** How many leading items are render-only (their outputs belong to another shard). */
  renderOnly: number;
}

export function shardPlan(plan: readonly PlannedFrame[], range: ShardRange): ShardPlan {
  const own = plan.slice(range.start, range.end);
  const inRange = new Set(own.filter((p) => p.status === 'rendered').map((p) => p.frame));
  const foreign = new Set<number>();
  for (const p of own) if (p.status === 'fallback' && !inRange.has(p.sourceFrame!)) foreign.add(p.sourceFrame!);
  const sources = plan.filter((p) => p.status === 'rendered' && foreign.has(p.frame));
  return { plan: [...sources, ...own], renderOnly: sources.length };
}

/** What every shard of one run must agree on besides the render settings: the whole plan. */
export function planKey(plan: readonly PlannedFrame[], files: ReadonlyArray<string | null>): string {
  const rows = plan.map((p, i) => [p.frame, p.status, p.sourceFrame, p.interpolation?.sourceFrames ?? null, files[i]]);
  return createHash('sha1').update(JSON.stringify(rows)).digest('hex').slice(0, 20);
}

export const shardReportName = (s: ShardSpec) => `shard_${s.index}_of_${s.count}.json`;
export const shardJournalName = (index: number) => `.batch-render.journal.shard-${index}.jsonl`;
export const SHARD_REPORT = /^shard_(\d+)_of_(\d+)\.json$/;
