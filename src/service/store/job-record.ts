/**
 * A job as stored and as the API shows it. The record is the single source of
 * truth for every reader (routes, SSE, metrics), whichever process ran the job.
 */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export const TERMINAL: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled']);

/** What to render: the input and the render flags, already validated by the CLI's parser. */
export interface JobSpec {
  input:
    | { kind: 'npz_dir'; dir: string }                       // absolute, under an --allow_dir root
    | { kind: 'frames_zip'; dir: string; upload: string }     // relative to the job folder
    | { kind: 'video'; file: string; poseModel: string; detectorModel: string | null };
  /** CLI flags (`--img_size=64` …) without input, output or --json. */
  renderArgs: string[];
  /** Which API submitted it: the Flask aliases answer in their old shape. */
  api: 'jobs' | 'flask';
}

export interface JobProgress {
  phase: 'extract' | 'scan' | 'render';
  done: number;
  total: number;
  frames_per_s: number;
  eta_s: number;
}

/** The CLI's --json summary line, kept whole. */
export interface JobSummary {
  totals?: Record<string, number>;
  reasons?: Record<string, number>;
  missing_rate?: number;
  video?: { file: string; frames: number; fps: number } | null;
  timing?: Record<string, unknown>;
  exit_code?: number;
}

export interface JobRecord {
  seq: number;
  id: string;
  createdAt: string;
  state: JobState;
  spec: JobSpec;
  progress: JobProgress | null;
  summary: JobSummary | null;
  error: { code: string; message: string } | null;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  exitCode: number | null;
  cancelRequested: boolean;
  /** Process group of the running CLI on this host; null elsewhere. */
  pid: number | null;
  runner: string | null;
}

/** The public JSON of a job (GET /jobs/:id). */
export function jobView(r: JobRecord) {
  const base = `/jobs/${r.id}`;
  const seconds = (a: string | null, b: string | null) => (a && b ? round((Date.parse(b) - Date.parse(a)) / 1000) : null);
  return {
    id: r.id,
    state: r.state,
    created_at: r.createdAt,
    input: r.spec.input.kind,
    options: r.spec.renderArgs,
    progress: r.progress,
    totals: r.summary?.totals ?? null,
    reasons: r.summary?.reasons ?? null,
    missing_rate: r.summary?.missing_rate ?? null,
    video: r.summary?.video ?? null,
    timings: {
      queued_at: r.createdAt,
      started_at: r.startedAt,
      finished_at: r.finishedAt,
      wait_s: seconds(r.createdAt, r.startedAt),
      run_s: seconds(r.startedAt, r.finishedAt),
      render: r.summary?.timing ?? null,
    },
    attempts: r.attempts,
    exit_code: r.exitCode,
    error: r.error,
    links: { self: base, events: `${base}/events`, report: `${base}/report`, files: `${base}/files` },
  };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
