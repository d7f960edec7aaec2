/** What every route plugin receives: the store, the queue and the server's settings. */
import type { JobStore } from './store/job-store.js';
import type { JobQueue } from './queue/job-queue.js';
import type { SubmitConfig } from './submit/receive-job.js';

export interface ServiceConfig extends SubmitConfig {
  maxQueue: number;
  token: string | null;
  queueKind: 'local' | 'redis';
}

export interface ServiceDeps {
  store: JobStore;
  queue: JobQueue;
  config: ServiceConfig;
}

/** Given to route plugins: aborted when the server starts closing, so long requests (SSE, /process_video) end. */
export interface RouteDeps extends ServiceDeps {
  closing: AbortSignal;
}
