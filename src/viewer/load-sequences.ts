/**
 * The output directories the viewer serves: each one's report, its real
 * path (the root nothing is served outside of) and its source video.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { configError } from '../errors.js';
import type { ReportData } from '../web/report-data.js';

export interface SourceVideo { path: string; fps: number; name: string }

export interface Sequence {
  id: number;
  name: string;
  /** Real path of the output directory. */
  root: string;
  report: ReportData;
  source: SourceVideo | null;
}

export type ProbeFps = (path: string) => Promise<number>;

export async function loadSequences(dirs: string[], videos: string[], probeFps: ProbeFps): Promise<Sequence[]> {
  const out: Sequence[] = [];
  for (const [id, dir] of dirs.entries()) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw configError(`view: ${dir}: no such directory`);
    const root = realpathSync(dir);
    const reportPath = join(root, 'render_report.json');
    let report: ReportData;
    try {
      report = JSON.parse(readFileSync(reportPath, 'utf8')) as ReportData;
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no render_report.json (not a batch-render output directory)' : `unreadable render_report.json (${(err as Error).message})`;
      throw configError(`view: ${dir}: ${why}`, err);
    }
    if (!Array.isArray(report.frames) || typeof report.totals !== 'object') throw configError(`view: ${reportPath}: not a batch-render report (no frames/totals)`);
    const video = videos[id] ?? reportSourceVideo(report, root);
    let source: SourceVideo | null = null;
    if (video) {
      if (!existsSync(video)) throw configError(`view: source video ${video}: no such file`);
      const path = realpathSync(video);
      source = { path, fps: await probeFps(path), name: basename(path) };
    }
    out.push({ id, name: basename(root), root, report, source });
  }
  return out;
}

/** The run's own source video (--video run, or --background), when it still exists. */
function reportSourceVideo(r: ReportData, root: string): string | null {
  const fromInput = typeof r.input?.video === 'string' ? r.input.video : null;
  const fromLayout = typeof r.layout?.background === 'string' ? r.layout.background : null;
  for (const v of [fromInput, fromLayout]) {
    if (!v) continue;
    const p = isAbsolute(v) ? v : resolve(root, v);
    if (existsSync(p)) return p;
  }
  return null;
}
