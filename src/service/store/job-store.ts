/**
 * Jobs in SQLite (WAL) in the data folder. Every state change is one UPDATE,
 * so a kill -9 at any moment leaves a consistent table: at restart, `running`
 * rows are jobs whose process died with the server, and are queued again.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobProgress, JobRecord, JobSpec, JobState, JobSummary } from './job-record.js';

interface Row {
  seq: number; id: string; created_at: string; state: JobState; spec: string; progress: string | null;
  summary: string | null; error: string | null; started_at: string | null; finished_at: string | null;
  attempts: number; exit_code: number | null; cancel_requested: number; pid: number | null; runner: string | null;
}

const fromRow = (r: Row): JobRecord => ({
  seq: r.seq, id: r.id, createdAt: r.created_at, state: r.state, spec: JSON.parse(r.spec),
  progress: r.progress ? JSON.parse(r.progress) : null, summary: r.summary ? JSON.parse(r.summary) : null,
  error: r.error ? JSON.parse(r.error) : null, startedAt: r.started_at, finishedAt: r.finished_at,
  attempts: r.attempts, exitCode: r.exit_code, cancelRequested: r.cancel_requested === 1, pid: r.pid, runner: r.runner,
});

const now = () => new Date().toISOString();

export interface FinishResult {
  state: Extract<JobState, 'done' | 'failed' | 'cancelled'>;
  summary: JobSummary | null;
  error: { code: string; message: string } | null;
  exitCode: number | null;
}

export class JobStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'jobs.sqlite'));
    this.db.pragma('journal_mode = WAL');
    // Another process (a job's own server restarting) may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS jobs (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      state TEXT NOT NULL,
      spec TEXT NOT NULL,
      progress TEXT, summary TEXT, error TEXT,
      started_at TEXT, finished_at TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      exit_code INTEGER,
      cancel_requested INTEGER NOT NULL DEFAULT 0,
      pid INTEGER, runner TEXT)`);
    this.db.exec('CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, seq)');
  }

  close(): void { this.db.close(); }

  create(id: string, spec: JobSpec): JobRecord {
    this.db.prepare('INSERT INTO jobs (id, created_at, state, spec) VALUES (?, ?, ?, ?)').run(id, now(), 'queued', JSON.stringify(spec));
    return this.get(id)!;
  }

  get(id: string): JobRecord | null {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** Newest first. */
  list(limit: number, offset: number): { jobs: JobRecord[]; total: number } {
    const rows = this.db.prepare('SELECT * FROM jobs ORDER BY seq DESC LIMIT ? OFFSET ?').all(limit, offset) as Row[];
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;
    return { jobs: rows.map(fromRow), total };
  }

  inState(state: JobState): JobRecord[] {
    return (this.db.prepare('SELECT * FROM jobs WHERE state = ? ORDER BY seq').all(state) as Row[]).map(fromRow);
  }

  countByState(): Record<JobState, number> {
    const out: Record<JobState, number> = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
    for (const r of this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[]) out[r.state] = r.n;
    return out;
  }

  /** Frames rendered and render seconds over finished jobs, for /metrics. */
  renderTotals(): { frames: number; seconds: number } {
    const r = this.db.prepare(`SELECT
      COALESCE(SUM(json_extract(summary, '$.totals.rendered') + json_extract(summary, '$.totals.fallback')), 0) AS frames,
      COALESCE(SUM(json_extract(summary, '$.timing.wall_s')), 0) AS seconds
      FROM jobs WHERE summary IS NOT NULL`).get() as { frames: number; seconds: number };
    return r;
  }

  /** Claims the oldest queued job for a runner; null when none is queued. Atomic across processes. */
  claimNext(runner: string): JobRecord | null {
    const claim = this.db.transaction(() => {
      const r = this.db.prepare("SELECT id FROM jobs WHERE state = 'queued' ORDER BY seq LIMIT 1").get() as { id: string } | undefined;
      if (!r) return null;
      this.markRunning(r.id, runner);
      return r.id;
    });
    const id = claim.immediate();
    return id ? this.get(id) : null;
  }

  markRunning(id: string, runner: string): void {
    this.db.prepare(`UPDATE jobs SET state = 'running', started_at = ?, finished_at = NULL, attempts = attempts + 1, runner = ?,
      progress = NULL, error = NULL, pid = NULL WHERE id = ? AND state != 'cancelled'`).run(now(), runner, id);
  }

  setPid(id: string, pid: number | null): void {
    this.db.prepare('UPDATE jobs SET pid = ? WHERE id = ?').run(pid, id);
  }

  setProgress(id: string, p: JobProgress): void {
    this.db.prepare("UPDATE jobs SET progress = ? WHERE id = ? AND state = 'running'").run(JSON.stringify(p), id);
  }

  finish(id: string, f: FinishResult): void {
    this.db.prepare('UPDATE jobs SET state = ?, summary = ?, error = ?, exit_code = ?, finished_at = ?, pid = NULL WHERE id = ?')
      .run(f.state, f.summary ? JSON.stringify(f.summary) : null, f.error ? JSON.stringify(f.error) : null, f.exitCode, now(), id);
  }

  /** Back to the queue: a job whose process stopped with the server (or whose worker died). */
  requeue(id: string): void {
    this.db.prepare("UPDATE jobs SET state = 'queued', pid = NULL, runner = NULL WHERE id = ? AND state = 'running'").run(id);
  }

  /** Times reported by a remote worker (BullMQ's processedOn / finishedOn). */
  setTimes(id: string, startedMs: number | undefined, finishedMs: number | undefined): void {
    const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);
    this.db.prepare('UPDATE jobs SET started_at = COALESCE(?, started_at), finished_at = COALESCE(?, finished_at) WHERE id = ?')
      .run(iso(startedMs), iso(finishedMs), id);
  }

  setAttempts(id: string, n: number): void {
    this.db.prepare('UPDATE jobs SET attempts = ? WHERE id = ?').run(n, id);
  }

  requestCancel(id: string): void {
    this.db.prepare('UPDATE jobs SET cancel_requested = 1 WHERE id = ?').run(id);
  }

  /** Cancels a job that has not started; false if it already has. */
  cancelQueued(id: string): boolean {
    return this.db.prepare("UPDATE jobs SET state = 'cancelled', cancel_requested = 1, finished_at = ? WHERE id = ? AND state = 'queued'")
      .run(now(), id).changes === 1;
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
  }
}
