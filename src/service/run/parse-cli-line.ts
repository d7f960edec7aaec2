/**
 * One line of the CLI's --json output (src/cli/main.ts, src/report/progress.ts)
 * as a job event; null for log lines and anything that is not ours.
 */
import type { JobProgress, JobSummary } from '../store/job-record.js';

export type CliEvent =
  | { kind: 'progress'; progress: JobProgress }
  | { kind: 'summary'; summary: JobSummary }
  | { kind: 'error'; code: string; message: string };

export function parseCliLine(line: string): CliEvent | null {
  if (!line.startsWith('{')) return null;
  let o: Record<string, unknown>;
  try { o = JSON.parse(line); } catch { return null; }
  switch (o.event) {
    case 'progress':
      return {
        kind: 'progress',
        progress: { phase: o.phase as JobProgress['phase'], done: Number(o.done), total: Number(o.total), frames_per_s: Number(o.fps), eta_s: Number(o.eta_s) },
      };
    case 'summary': {
      const { totals, reasons, missing_rate, video, timing, exit_code } = o as JobSummary & Record<string, never>;
      return { kind: 'summary', summary: { totals, reasons, missing_rate, video, timing, exit_code } };
    }
    case 'error':
      return { kind: 'error', code: String(o.code), message: String(o.message) };
    default:
      return null;
  }
}
