/**
 * `batch-render worker`: a BullMQ Worker that runs each job as the CLI, in
 * the shared data folder. Progress goes through the BullMQ job; the outcome
 * is the job's return value. If this process dies, its job's lock expires
 * and another worker's stalled-job check puts it back in the queue.
 */
import { Worker } from 'bullmq';
import { hostname } from 'node:os';
import { runJobProcess } from '../run/run-job-process.js';
import { buildJobArgv } from '../run/build-job-argv.js';
import { jobOutcome } from '../run/job-outcome.js';
import { QUEUE_NAME, cancelKey, redisClient } from './redis-connection.js';
import type { RedisJobData } from './redis-queue.js';

export interface WorkerOptions {
  url: string;
  dataDir: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  log: (event: Record<string, unknown>) => void;
}

export function startRedisWorker(o: WorkerOptions): { close(): Promise<void> } {
  const flags = redisClient(o.url);
  // BullMQ leaves a client it was given open: we close it ourselves.
  const connection = redisClient(o.url);
  const stops = new Set<() => void>();
  const name = `${hostname()}:${process.pid}`;
  const worker = new Worker<RedisJobData>(QUEUE_NAME, async (job) => {
    const { id, spec } = job.data;
    o.log({ event: 'started', id, worker: name, attempt: job.attemptsMade + 1 });
    const proc = runJobProcess(buildJobArgv(spec, o.dataDir, id), (p) => { job.updateProgress(p).catch(() => {}); });
    let stop: 'cancel' | 'shutdown' | null = null;
    const onShutdown = () => { stop ??= 'shutdown'; proc.interrupt(); };
    stops.add(onShutdown);
    const poll = setInterval(() => {
      flags.get(cancelKey(id)).then((v) => { if (v && !stop) { stop = 'cancel'; proc.interrupt(); } }, () => {});
    }, 500);
    try {
      const outcome = jobOutcome(await proc.ended, stop);
      if (outcome.state === 'requeue') throw new Error(`worker ${name} stopped; the job runs again`);
      o.log({ event: 'completed', id, worker: name, state: outcome.state });
      return outcome;
    } finally {
      clearInterval(poll);
      stops.delete(onShutdown);
    }
  }, {
    connection: connection as never,
    concurrency: o.concurrency,
    lockDuration: o.lockDurationMs,
    stalledInterval: o.stalledIntervalMs,
    maxStalledCount: 10,
  });
  worker.on('error', (err) => o.log({ event: 'error', message: err.message }));
  return {
    async close() {
      for (const s of stops) s();
      await worker.close();
      await Promise.all([flags.quit(), connection.quit()]);
    },
  };
}
