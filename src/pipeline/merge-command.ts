/**
 * `batch-render merge OUTPUT_DIR`: after every shard of a run (--shard K/N)
 * has finished into the shared folder, checks that all N shard reports are
 * there, complete and of the same plan, assembles render.mp4 from the PNGs in
 * frame order and writes the whole run's render_report.json (+ .html), as a
 * one-machine run would have. Missing, incomplete or foreign shards: exit 3,
 * named. docs/scale-out.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BatchRenderError, configError, exitCodeOf } from '../errors.js';
import type { RunOptions } from '../config/parse-run-options.js';
import type { FrameEntry, OptionValue, Report } from '../report/build-report.js';
import { VIDEO_NAME } from '../output/output-names.js';
import { readPreviousRun } from '../output/previous-run.js';
import { liveHolder, shardLockName } from '../output/output-dir.js';
import { finishRun, startRun, type RunOutcome, type RunState, type Stages } from './run-state.js';
import { nothingRendered } from './render-plan.js';
import { videoFingerprintOf } from './prepare-resume.js';
import { readRgba } from './write-frames.js';
import { SHARD_REPORT } from './shard-plan.js';

const USAGE = 'usage: batch-render merge OUTPUT_DIR [--json]\n  assembles render.mp4 and render_report.json from the shard reports (shard_K_of_N.json) of a --shard run\n';

interface ShardInfo { index: number; count: number; plan_indices: [number, number]; plan_frames: number; plan_fingerprint: string | null; complete: boolean; run_options: RunOptions }
type ShardReport = Report & { shard: ShardInfo; temporal?: unknown };
interface Found { name: string; index: number; count: number; report: ShardReport | null; problem: string | null }

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(USAGE); return 0; }
  const json = argv.includes('--json');
  const dirs = argv.filter((a) => a !== '--json');
  if (dirs.length !== 1 || dirs[0].startsWith('-')) { process.stderr.write(`batch-render merge: ${USAGE}`); return 2; }
  try {
    const outcome = await mergeShards(resolve(dirs[0]));
    const { formatSummary } = await import('../report/summary.js');
    const r = outcome.report;
    if (json) process.stdout.write(JSON.stringify({ event: 'summary', totals: r.totals, reasons: r.reasons, video: r.video, exit_code: r.exit_code, report: outcome.reportPath }) + '\n');
    else process.stderr.write(formatSummary(r, dirs[0], outcome.reportPath) + '\n');
    return outcome.exitCode;
  } catch (err) {
    const msg = err instanceof BatchRenderError ? err.message : `internal error: ${(err as Error).stack ?? err}`;
    if (json) process.stdout.write(JSON.stringify({ event: 'error', code: (err as BatchRenderError).code ?? 'INTERNAL', message: msg }) + '\n');
    process.stderr.write(`batch-render merge: ${msg}\n`);
    return exitCodeOf(err);
  }
}

export async function mergeShards(dir: string): Promise<RunOutcome> {
  const shards = checkShards(dir, findShards(dir));
  const first = shards[0];
  const opts: RunOptions = { ...first.shard.run_options, shard: null, outputDir: dir };
  const provenance: Record<string, OptionValue> = { ...first.options };
  delete provenance.shard;
  delete provenance.shard_count;
  const extra: Record<string, unknown> = { ...(first.temporal ? { temporal: first.temporal } : {}), merge: { shards: shards.length, shard_reports: shards.map((s) => s.shard.index) } };
  const run = startRun(opts, provenance, first.input, extra);
  try {
    gatherShards(run, shards);
    const video = await assembleVideo(run);
    const renderer = shards.find((s) => s.renderer)?.renderer ?? null;
    const renderers = new Set(shards.filter((s) => s.renderer).map((s) => s.renderer!.gl_renderer));
    if (renderers.size > 1) run.warnings.push(`the shards drew with different renderers (${[...renderers].join('; ')})`);
    return finishRun(run, { video, renderer, interrupted: false, error: nothingRendered(run, true, false) });
  } finally {
    run.lock.release();
  }
}

function findShards(dir: string): Found[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw configError(`${dir}: cannot read the output folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const found: Found[] = [];
  for (const name of names) {
    const m = SHARD_REPORT.exec(name);
    if (!m) continue;
    let report: ShardReport | null = null;
    let problem: string | null = null;
    try {
      report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (!report?.shard || !Array.isArray(report.frames)) { problem = 'not a shard report'; report = null; }
    } catch (err) {
      problem = `unreadable (${(err as Error).message})`;
    }
    found.push({ name, index: Number(m[1]), count: Number(m[2]), report, problem });
  }
  if (found.length === 0) throw configError(`${dir}: no shard reports (shard_K_of_N.json): run the shards (--shard K/N) into it first`);
  const counts = [...new Set(found.map((f) => f.count))];
  if (counts.length > 1) throw configError(`${dir}: shard reports of different shard counts (${counts.sort((a, b) => a - b).map((n) => `of_${n}`).join(', ')}): remove the stale ones`);
  return found;
}

/** Every shard 0..N-1 present, complete and of one plan; else exit 3 naming them. */
function checkShards(dir: string, found: Found[]): ShardReport[] {
  const count = found[0].count;
  const byIndex = new Map(found.map((f) => [f.index, f]));
  const problems: string[] = [];
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !byIndex.has(k));
  if (missing.length) problems.push(`missing shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} (${missing.slice(0, 5).map((k) => `shard_${k}_of_${count}.json`).join(', ')}${missing.length > 5 ? ', …' : ''})`);
  const reports = found.filter((f) => f.index < count).sort((a, b) => a.index - b.index);
  const reference = reports.find((f) => f.report?.shard.plan_fingerprint)?.report?.shard.plan_fingerprint ?? null;
  for (let k = 0; k < count; k++) {
    const holder = liveHolder(dir, shardLockName(k));
    if (holder) problems.push(`shard ${k} is still running (pid ${holder.pid}, started ${holder.started})`);
  }
  for (const f of reports) {
    const s = f.report?.shard;
    if (liveHolder(dir, shardLockName(f.index))) continue;
    if (f.problem || !s) problems.push(`shard ${f.index}: ${f.problem}`);
    else if (!s.complete) problems.push(`shard ${f.index} incomplete (exit ${f.report!.exit_code}${f.report!.error ? `: ${f.report!.error.message}` : f.report!.interrupted ? ', interrupted' : ''})`);
    else if (s.plan_fingerprint !== reference) problems.push(`shard ${f.index} is of another plan (other settings, inputs or camera): run it again`);
  }
  if (problems.length === 0) {
    const shards = reports.map((f) => f.report!);
    const frames = shards.reduce((n, s) => n + s.frames.length, 0);
    if (frames !== shards[0].shard.plan_frames) problems.push(`the shards hold ${frames} frames, the plan ${shards[0].shard.plan_frames}`);
    const lost = shards.flatMap((s) => s.frames).filter((e) => e.image && !existsSync(join(dir, e.image))).map((e) => e.image);
    if (lost.length) problems.push(`${lost.length} image${lost.length === 1 ? '' : 's'} named in the shard reports not in the folder (${lost.slice(0, 3).join(', ')}${lost.length > 3 ? ', …' : ''})`);
    if (problems.length === 0) return shards;
  }
  throw new BatchRenderError('SHARDS_INCOMPLETE', `cannot merge ${dir}: ${problems.join('; ')}`);
}

/** The shards' frames in plan order, their warnings (once each), stage times summed; the wall time is the longest shard's. */
function gatherShards(run: RunState, shards: ShardReport[]): void {
  run.entries = shards.flatMap((s) => s.frames as FrameEntry[]);
  run.scanned = run.entries.map((e) => ({ frame: e.frame, path: null, file: e.file, check: e.check, detail: e.detail, detected: 0 }));
  for (const w of shards.flatMap((s) => s.warnings)) if (!run.warnings.includes(w)) run.warnings.push(w);
  const stages = run.stages as Stages & Record<string, number>;
  for (const s of shards) for (const [k, v] of Object.entries(s.timing.stages_total_ms)) stages[k] = (stages[k] ?? 0) + v;
  run.t0 -= Math.max(...shards.map((s) => s.timing.wall_s)) * 1000;
}

/** render.mp4 from the PNGs in frame order; kept as it is when an earlier merge made it of exactly these frames. */
async function assembleVideo(run: RunState): Promise<Report['video']> {
  const { opts } = run;
  const images = run.entries.filter((e) => e.image).map((e) => e.image!);
  if (!opts.mp4 || !opts.png || images.length === 0) return null;
  // Shards draw the mesh layout only: one img_size² panel per view, side by side.
  const size = { width: opts.imgSize * (opts.views?.length ?? 1), height: opts.imgSize };
  const fingerprint = videoFingerprintOf(run.entries.map((e) => e.fingerprint ?? null), opts, size);
  const before = readPreviousRun(run.outDir).video;
  if (before?.fingerprint === fingerprint && existsSync(join(run.outDir, VIDEO_NAME))) return before;
  const { VideoEncoder } = await import('../video/video-encoder.js');
  const encoder = new VideoEncoder({ path: join(run.outDir, VIDEO_NAME), ...size, fps: opts.fps, crf: opts.crf });
  try {
    for (const name of images) await encoder.write(await readRgba(join(run.outDir, name), size));
  } catch (err) {
    await encoder.abort();
    throw err;
  }
  const frames = encoder.frames;
  return (await encoder.finish()) ? { file: VIDEO_NAME, frames, fps: opts.fps, fingerprint } : null;
}

