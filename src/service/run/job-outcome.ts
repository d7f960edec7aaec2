/**
 * How a job's process ended, as a job state (pure). A stop asked by the
 * service itself (shutdown) puts the job back in the queue; a user's cancel
 * ends it as cancelled; otherwise the CLI's exit status decides.
 */
import type { FinishResult } from '../store/job-store.js';
import type { JobSummary } from '../store/job-record.js';

export interface ProcessEnd {
  exitCode: number | null;
  signal: string | null;
  summary: JobSummary | null;
  error: { code: string; message: string } | null;
  stderrTail: string;
}

export type Outcome = FinishResult | { state: 'requeue' };

const CODE_OF_EXIT: Record<number, string> = { 1: 'INTERNAL', 2: 'USAGE', 3: 'QUALITY_GATE', 130: 'INTERRUPTED' };

export function jobOutcome(end: ProcessEnd, stop: 'cancel' | 'shutdown' | null): Outcome {
  if (stop === 'shutdown') return { state: 'requeue' };
  const base = { summary: end.summary, exitCode: end.exitCode };
  if (stop === 'cancel') return { ...base, state: 'cancelled', error: { code: 'CANCELLED', message: 'cancelled by request' } };
  if (end.exitCode === 0) return { ...base, state: 'done', error: null };
  const why = end.error ?? {
    code: end.exitCode !== null ? CODE_OF_EXIT[end.exitCode] ?? 'INTERNAL' : 'INTERNAL',
    message: end.signal ? `the render process was killed by ${end.signal}` : lastLine(end.stderrTail) || `the render process exited with status ${end.exitCode}`,
  };
  return { ...base, state: 'failed', error: why };
}

const lastLine = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean).at(-1)?.replace(/^batch-render: /, '') ?? '';
