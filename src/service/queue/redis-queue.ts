/**
 * --queue redis://: jobs wait in a BullMQ queue and run on `batch-render
 * worker` processes anywhere that sees the data folder. The server alone
 * writes the SQLite store (SQLite's WAL must not be shared over a network
 * filesystem): workers report through BullMQ (progress, return value) and
 * this class copies it into the store twice a second. Cancelling a running
 * job sets a Redis key its worker watches.
 */
import { Queue, type Job } from 'bullmq';
import type { JobStore } from '../store/job-store.js';
import type { JobQueue } from './job-queue.js';
import type { JobProgress } from '../store/job-record.js';
import type { FinishResult } from '../store/job-store.js';
import { QUEUE_NAME, cancelKey, redisClient, type RedisLike } from './redis-connection.js';

export interface RedisJobData { id: string; spec: import('../store/job-record.js').JobSpec }

export class RedisQueue implements JobQueue {
  private readonly queue: Queue<RedisJobData>;
  private readonly flags: RedisLike;
  /** BullMQ leaves a client it was given open: we close it ourselves. */
  private readonly connection: RedisLike;
  private timer: NodeJS.Timeout | null = null;
  private syncing = false;

  constructor(private readonly store: JobStore, url: string) {
    this.connection = redisClient(url);
    this.queue = new Queue<RedisJobData>(QUEUE_NAME, { connection: this.connection as never });
    this.flags = redisClient(url);
  }

  async start(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.sync();
    this.timer = setInterval(() => { void this.sync(); }, 500);
  }

  async submit(id: string): Promise<void> {
    const r = this.store.get(id);
    if (!r) return;
    // jobId = our id: adding the same job twice (a restart's re-sync) is a no-op.
    await this.queue.add('render', { id, spec: r.spec }, { jobId: id, attempts: 5, removeOnComplete: false, removeOnFail: false });
  }

  async cancel(id: string): Promise<void> {
    if (this.store.cancelQueued(id)) {
      const job = await this.queue.getJob(id);
      try { await job?.remove(); return; } catch { /* taken by a worker meanwhile: stop it there */ }
    } else {
      this.store.requestCancel(id);
    }
    await this.flags.set(cancelKey(id), '1', 'EX', 86_400);
  }

  async forget(id: string): Promise<void> {
    try { await (await this.queue.getJob(id))?.remove(); } catch { /* already gone */ }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.syncing) await new Promise((r) => setTimeout(r, 20));
    await this.queue.close();
    await Promise.all([this.flags.quit(), this.connection.quit()]);
  }

  /** Copies BullMQ's view of every unfinished job into the store. */
  private async sync(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      for (const r of [...this.store.inState('queued'), ...this.store.inState('running')]) {
        const job = await this.queue.getJob(r.id);
        if (!job) { this.store.requeue(r.id); await this.submit(r.id); continue; }
        this.apply(r.id, r.state, job, await job.getState());
      }
    } catch {
      // Redis unreachable for a moment: the next tick tries again.
    } finally {
      this.syncing = false;
    }
  }

  private apply(id: string, state: string, job: Job<RedisJobData>, bull: string): void {
    const attempts = (job as unknown as { attemptsStarted?: number }).attemptsStarted ?? job.attemptsMade;
    if (bull === 'active') {
      if (state === 'queued') this.store.markRunning(id, 'redis-worker');
      this.store.setAttempts(id, attempts);
      const p = job.progress as JobProgress | number;
      if (p && typeof p === 'object') this.store.setProgress(id, p);
    } else if (bull === 'completed') {
      this.store.setAttempts(id, attempts);
      this.store.finish(id, job.returnvalue as unknown as FinishResult);
      this.store.setTimes(id, job.processedOn, job.finishedOn);
    } else if (bull === 'failed') {
      this.store.setAttempts(id, attempts);
      this.store.finish(id, { state: 'failed', summary: null, exitCode: null, error: { code: 'INTERNAL', message: job.failedReason || 'the job failed' } });
      this.store.setTimes(id, job.processedOn, job.finishedOn);
    } else if (state === 'running') {
      // Back in the wait list: its worker died (stalled) or stopped; another one takes it.
      this.store.requeue(id);
    }
  }
}
