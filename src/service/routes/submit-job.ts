/** Shared by POST /jobs and the Flask aliases: refuse when the queue is full, receive, store, enqueue. */
import type { FastifyRequest } from 'fastify';
import type { ServiceDeps } from '../service-deps.js';
import type { JobRecord } from '../store/job-record.js';
import { receiveJob } from '../submit/receive-job.js';
import { ServiceError } from '../service-errors.js';

export async function submitJob(req: FastifyRequest, deps: ServiceDeps, api: 'jobs' | 'flask'): Promise<JobRecord> {
  const queued = deps.store.countByState().queued;
  if (queued >= deps.config.maxQueue) {
    // Drain the request so the client reads our answer instead of a reset connection.
    req.raw.resume();
    throw new ServiceError('QUEUE_FULL', `the queue is full (${queued} jobs waiting, --max_queue ${deps.config.maxQueue}); try again later`, { retryAfterS: 10 });
  }
  const { id, spec } = await receiveJob(req, deps.config);
  const job = deps.store.create(id, { ...spec, api });
  await deps.queue.submit(id);
  return job;
}
