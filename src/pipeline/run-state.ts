/**
 * What one run accumulates on its way to the report (input description,
 * warnings, stage times, one entry per frame) and the one place that
 * turns it into render_report.json.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunOptions } from '../config/parse-run-options.js';
import { buildReport, type FrameEntry, type OptionValue, type Report } from '../report/build-report.js';
import { writeFileAtomic } from '../output/write-atomic.js';
import { configError, type BatchRenderError } from '../errors.js';
import { qualityGate } from '../plan/quality-gate.js';
import { writeHtmlReport } from '../report/write-html-report.js';
import { checkWritable, LOCK_NAME, removeStaleTemps, shardLockName, takeLock, type OutputLock } from '../output/output-dir.js';
import { REPORT_NAME } from '../output/output-names.js';
import { JOURNAL_NAME } from '../output/previous-run.js';
import { shardJournalName, shardReportName } from './shard-plan.js';
import type { ScannedFrame } from '../scan/scan-frames.js';

export type Stages = Record<'read' | 'mesh' | 'draw' | 'readback' | 'png' | 'export' | 'mux' | 'placeholder', number> & { compose?: number };

export interface RunState {
  opts: RunOptions;
  provenance: Record<string, OptionValue>;
  t0: number;
  outDir: string;
  reportPath: string;
  input: Record<string, unknown>;
  warnings: string[];
  stages: Stages;
  /** One per frame, in order; filled by the plan, then by the writer. */
  entries: FrameEntry[];
  scanned: ScannedFrame[];
  /** Report sections a stage adds (layout, extraction…). */
  extra: Record<string, unknown>;
  /** This run's hold on the output folder; released when the run ends. */
  lock: OutputLock;
  /** Where earlier outputs are read from (resume) and where finished ones are journalled: per shard in shard mode. */
  resumeFrom: { reports: string[]; journal: string };
}

export interface RunOutcome {
  report: Report;
  reportPath: string;
  exitCode: number;
}

/** Creates the output folder and the state of a run. */
export function startRun(opts: RunOptions, provenance: Record<string, OptionValue>, input: Record<string, unknown>, extra: Record<string, unknown>): RunState {
  const outDir = resolve(opts.outputDir);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw configError(`--output_dir ${opts.outputDir}: cannot create (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  checkWritable(outDir);
  const lock = takeLock(outDir, opts.shard ? shardLockName(opts.shard.index) : LOCK_NAME);
  const warnings: string[] = [];
  if (lock.takenFrom !== null) warnings.push(`took over the output folder's lock of a run that is no longer alive (pid ${lock.takenFrom})`);
  const stale = removeStaleTemps(outDir);
  if (stale.files > 0) warnings.push(`removed ${stale.files} temporary file${stale.files === 1 ? '' : 's'} left by run${stale.pids.length === 1 ? '' : 's'} no longer alive (pid ${stale.pids.join(', ')})`);
  return {
    opts, provenance, t0: performance.now(), outDir, input, warnings, lock,
    reportPath: join(outDir, opts.shard ? shardReportName(opts.shard) : REPORT_NAME),
    resumeFrom: opts.shard
      ? { reports: [REPORT_NAME, shardReportName(opts.shard)], journal: shardJournalName(opts.shard.index) }
      : { reports: [REPORT_NAME], journal: JOURNAL_NAME },
    stages: { read: 0, mesh: 0, draw: 0, readback: 0, png: 0, export: 0, mux: 0, placeholder: 0 }, entries: [], scanned: [], extra,
  };
}

export interface RunEnd {
  video: Report['video'];
  renderer: Report['renderer'];
  interrupted: boolean;
  error?: BatchRenderError | null;
}

/** Builds and writes the report; the exit code follows the error, Ctrl-C, or the quality gate. */
export function finishRun(run: RunState, end: RunEnd): RunOutcome {
  const gate = end.error || end.interrupted ? null : qualityGate(run.opts, run.scanned, run.entries);
  const report = reportOf(run, end, end.error ?? gate);
  try {
    writeHtmlReport(run.outDir, report);
  } catch (err) {
    // The JSON report is the contract; the page is a view of it.
    report.warnings.push(`render_report.html not written: ${(err as Error).message}`);
  }
  writeFileAtomic(run.reportPath, JSON.stringify(report, null, 2) + '\n');
  return { report, reportPath: run.reportPath, exitCode: report.exit_code };
}

/** The report of what the run did (not written); the exit code follows the error, else Ctrl-C. */
export function reportOf(run: RunState, end: RunEnd, error: BatchRenderError | null): Report {
  const exitCode = error ? error.exitCode : end.interrupted ? 130 : 0;
  const { opts } = run;
  return buildReport({
    dryRun: opts.dryRun, input: run.input, options: run.provenance, frames: run.entries, video: end.video, renderer: end.renderer,
    wallS: (performance.now() - run.t0) / 1000, stages: opts.dryRun ? { read: run.stages.read } : run.stages, warnings: run.warnings,
    interrupted: end.interrupted, exitCode, error: error ? { code: error.code, message: error.message } : null, extra: run.extra,
  });
}
