/**
 * The local scheduler: claims queued records oldest first and runs at most
 * `workers` CLI processes at once. At start, records left `running` by a
 * killed server are queued again (after their orphaned process, which its
 * parent-watch stopped, has exited), so nothing submitted is lost.
 */
import { hostname } from 'node:os';
import type { JobStore } from '../store/job-store.js';
import type { JobQueue } from './job-queue.js';
import { runJobProcess, type JobProcess } from '../run/run-job-process.js';
import { buildJobArgv } from '../run/build-job-argv.js';
import { jobOutcome } from '../run/job-outcome.js';
import { awaitOrphan } from './process-alive.js';

export class LocalQueue implements JobQueue {
  private readonly running = new Map<string, { proc: JobProcess; stop: 'cancel' | 'shutdown' | null; done: Promise<void> }>();
  private closing = false;
  private readonly runner = `${hostname()}:${process.pid}`;

  constructor(private readonly store: JobStore, private readonly dataDir: string, private readonly workers: number) {}

  async start(): Promise<void> {
    for (const r of this.store.inState('running')) {
      if (r.pid) await awaitOrphan(r.pid, r.id, 20_000);
      this.store.requeue(r.id);
    }
    this.pump();
  }

  async submit(): Promise<void> { this.pump(); }

  async cancel(id: string): Promise<void> {
    if (this.store.cancelQueued(id)) return;
    this.store.requestCancel(id);
    const run = this.running.get(id);
    if (run) { run.stop = 'cancel'; run.proc.interrupt(); }
  }

  async forget(): Promise<void> {}

  async close(): Promise<void> {
    this.closing = true;
    for (const run of this.running.values()) { run.stop ??= 'shutdown'; run.proc.interrupt(); }
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private pump(): void {
    while (!this.closing && this.running.size < this.workers) {
      const job = this.store.claimNext(this.runner);
      if (!job) return;
      const proc = runJobProcess(buildJobArgv(job.spec, this.dataDir, job.id), (p) => this.store.setProgress(job.id, p));
      this.store.setPid(job.id, proc.pid);
      const entry = { proc, stop: null as 'cancel' | 'shutdown' | null, done: Promise.resolve() };
      entry.done = proc.ended.then((end) => {
        const outcome = jobOutcome(end, entry.stop);
        if (outcome.state === 'requeue') this.store.requeue(job.id);
        else this.store.finish(job.id, outcome);
        this.running.delete(job.id);
        this.pump();
      });
      this.running.set(job.id, entry);
    }
  }
}
