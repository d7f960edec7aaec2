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
import { checkWritable, removeStaleTemps, takeLock, type OutputLock } from '../output/output-dir.js';
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
  const lock = takeLock(outDir);
  const warnings: string[] = [];
  if (lock.takenFrom !== null) warnings.push(`took over the output folder's lock of a run that is no longer alive (pid ${lock.takenFrom})`);
  const stale = removeStaleTemps(outDir);
  if (stale.files > 0) warnings.push(`removed ${stale.files} temporary file${stale.files === 1 ? '' : 's'} left by run${stale.pids.length === 1 ? '' : 's'} no longer alive (pid ${stale.pids.join(', ')})`);
  return {
    opts, provenance, t0: performance.now(), outDir, reportPath: join(outDir, 'render_report.json'), input, warnings, lock,
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
  const error = end.error ?? gate;
  const exitCode = error ? error.exitCode : end.interrupted ? 130 : 0;
  const { opts } = run;
  const report = buildReport({
    dryRun: opts.dryRun, input: run.input, options: run.provenance, frames: run.entries, video: end.video, renderer: end.renderer,
    wallS: (performance.now() - run.t0) / 1000, stages: opts.dryRun ? { read: run.stages.read } : run.stages, warnings: run.warnings,
    interrupted: end.interrupted, exitCode, error: error ? { code: error.code, message: error.message } : null, extra: run.extra,
  });
  writeFileAtomic(run.reportPath, JSON.stringify(report, null, 2) + '\n');
  return { report, reportPath: run.reportPath, exitCode };
}
