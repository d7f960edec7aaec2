/**
 * Many sequences in one run: several --npz_dir, or one folder of sequence
 * folders. Each sequence renders into its own folder under --output_dir (named
 * after the sequence folder) as its own run; one that fails (usage, config,
 * crash) never stops the others. index.json lists each one's totals, exit code
 * and report; the process exits with the worst of them (EXIT_SEVERITY).
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { RunOptions } from '../config/parse-run-options.js';
import { buildReport, type FrameEntry, type OptionValue, type Report } from '../report/build-report.js';
import { writeFileAtomic } from '../output/write-atomic.js';
import { BatchRenderError, configError, exitCodeOf, usageError } from '../errors.js';
import { runBatch, type RunContext, type RunOutcome } from './run-batch.js';

export const INDEX_NAME = 'index.json';
export const INDEX_SCHEMA = 'batch-render/index@1';

/**
 * Least to most severe: done, quality gate, interrupted (outputs incomplete),
 * usage/configuration, internal error or failed write (something is broken).
 */
export const EXIT_SEVERITY = [0, 3, 130, 2, 1];

export const worstExit = (codes: readonly number[]) => codes.reduce((w, c) => (severity(c) > severity(w) ? c : w), 0);
const severity = (c: number) => { const i = EXIT_SEVERITY.indexOf(c); return i < 0 ? EXIT_SEVERITY.length : i; };

export interface Sequence { name: string; npzDir: string; outputDir: string }

const FRAME_FILE = /^frame_.*\.npz$/i;
const hasFrames = (dir: string) => { try { return readdirSync(dir).some((n) => FRAME_FILE.test(n)); } catch { return false; } };
const isDir = (p: string) => { try { return statSync(p).isDirectory(); } catch { return false; } };

/** A folder without frame files of its own whose subfolders hold some: those subfolders, sorted; else null. */
export function sequenceFolders(dir: string): string[] | null {
  if (hasFrames(dir)) return null;
  let names: string[];
  try { names = readdirSync(dir).sort(); } catch { return null; }
  const subs = names.map((n) => join(dir, n)).filter((p) => isDir(p) && hasFrames(p));
  return subs.length > 0 ? subs : null;
}

/** Whether these options mean several sequences (else the single run of today). */
export const isManySequences = (opts: RunOptions) => opts.npzDirs.length > 1 || (opts.npzDirs.length === 1 && sequenceFolders(opts.npzDirs[0]) !== null);

/** Every sequence, with its output folder: the sequence folder's name, made unique with -2, -3 …. */
export function listSequences(npzDirs: readonly string[], outputDir: string): Sequence[] {
  const used = new Set<string>();
  return npzDirs.flatMap((d) => sequenceFolders(d) ?? [d]).map((dir) => {
    const base = basename(resolve(dir)) || 'sequence';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return { name, npzDir: dir, outputDir: join(outputDir, name) };
  });
}

interface IndexRow {
  name: string; npz_dir: string; output_dir: string; exit_code: number; error: { code: string; message: string } | null;
  report: string | null; totals: Report['totals'] | null; reasons: Report['reasons'] | null; missing_rate: number | null; video: Report['video'];
}

export async function runSequences(opts: RunOptions, provenance: Record<string, OptionValue>, ctx: RunContext): Promise<RunOutcome> {
  if (opts.shard) throw usageError('--shard renders one sequence: give one --npz_dir of frame files, not a folder of sequence folders');
  const t0 = performance.now();
  try {
    mkdirSync(resolve(opts.outputDir), { recursive: true });
  } catch (err) {
    throw configError(`--output_dir ${opts.outputDir}: cannot create (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const rows: Array<IndexRow & { frames: FrameEntry[] }> = [];
  for (const seq of listSequences(opts.npzDirs, resolve(opts.outputDir))) {
    const row = ctx.signal.aborted ? notStarted(seq) : await runOne(seq, opts, provenance, ctx);
    ctx.progress.log(`batch-render: sequence ${seq.name}: exit ${row.exit_code}${row.error ? ` (${row.error.message})` : ''}`);
    rows.push(row);
  }
  const exitCode = worstExit(rows.map((r) => r.exit_code));
  const worst = rows.find((r) => r.exit_code === exitCode && r.error)?.error ?? null;
  const report = buildReport({
    dryRun: opts.dryRun, input: { npz_dirs: opts.npzDirs.map((d) => resolve(d)) }, options: provenance, frames: rows.flatMap((r) => r.frames),
    video: null, renderer: null, wallS: (performance.now() - t0) / 1000, stages: {}, warnings: rows.filter((r) => r.error).map((r) => `sequence ${r.name}: exit ${r.exit_code}: ${r.error!.message}`),
    interrupted: ctx.signal.aborted, exitCode, error: worst, extra: { sequences: rows.length },
  });
  const reportPath = join(resolve(opts.outputDir), INDEX_NAME);
  const index = { schema: INDEX_SCHEMA, exit_code: exitCode, totals: report.totals, reasons: report.reasons, sequences: rows.map(({ frames, ...r }) => (void frames, r)) };
  writeFileAtomic(reportPath, JSON.stringify(index, null, 2) + '\n');
  return { report, reportPath, exitCode };
}

/** One sequence as its own run; whatever it throws becomes its row. */
async function runOne(seq: Sequence, opts: RunOptions, provenance: Record<string, OptionValue>, ctx: RunContext): Promise<IndexRow & { frames: FrameEntry[] }> {
  const o: RunOptions = { ...opts, npzDir: seq.npzDir, npzDirs: [seq.npzDir], outputDir: seq.outputDir };
  const prov = { ...provenance, npz_dir: { value: seq.npzDir, source: 'cli' }, output_dir: { value: seq.outputDir, source: 'cli' } } as Record<string, OptionValue>;
  let outcome: RunOutcome | undefined;
  let error: IndexRow['error'] = null;
  let exitCode: number;
  try {
    outcome = await runBatch(o, prov, ctx);
    exitCode = outcome.exitCode;
    error = outcome.report.error;
  } catch (err) {
    outcome = (err as { outcome?: RunOutcome }).outcome;
    exitCode = exitCodeOf(err);
    error = { code: err instanceof BatchRenderError ? err.code : 'INTERNAL', message: err instanceof BatchRenderError ? err.message : `internal error: ${(err as Error).message}` };
  }
  const r = outcome?.report;
  return {
    name: seq.name, npz_dir: resolve(seq.npzDir), output_dir: seq.outputDir, exit_code: exitCode, error, report: outcome?.reportPath ?? null,
    totals: r?.totals ?? null, reasons: r?.reasons ?? null, missing_rate: r?.missing_rate ?? null, video: r?.video ?? null, frames: r?.frames ?? [],
  };
}

const notStarted = (seq: Sequence): IndexRow & { frames: FrameEntry[] } => ({
  name: seq.name, npz_dir: resolve(seq.npzDir), output_dir: seq.outputDir, exit_code: 130,
  error: { code: 'INTERRUPTED', message: 'not started: the run was interrupted' }, report: null, totals: null, reasons: null, missing_rate: null, video: null, frames: [],
});
