/**
 * The old Flask API as thin aliases over the job queue, so the users'
 * scripts keep working: POST /process_video (waits for the result),
 * POST /process_video_async, GET /job_status/:id.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../service-deps.js';
import { findJob, idParams } from './job-lookup.js';
import { submitJob } from './submit-job.js';
import { waitForEnd } from './watch-job.js';
import { flaskResult, flaskStatus } from './flask-view.js';
import { ServiceError } from '../service-errors.js';
import { TERMINAL } from '../store/job-record.js';

export const flaskRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store, config } = deps;

  app.post('/process_video', async (req, reply) => {
    const job = await submitJob(req, deps, 'flask');
    // The client waiting is the point of this endpoint; its leaving does not cancel the job.
    const abort = new AbortController();
    reply.raw.on('close', () => abort.abort());
    const onClosing = () => abort.abort();
    deps.closing.addEventListener('abort', onClosing, { once: true });
    const end = await waitForEnd(store, job.id, abort.signal).finally(() => deps.closing.removeEventListener('abort', onClosing));
    if (deps.closing.aborted) {
      throw new ServiceError('UNAVAILABLE', `the server is stopping; job ${job.id} stays queued: ask /job_status/${job.id} after it restarts`, { retryAfterS: 10 });
    }
    if (!end || !TERMINAL.has(end.state)) return reply.code(499).send({ status: 'error', job_id: job.id, error: { code: 'CLIENT_GONE', message: 'the client left' } });
    if (end.state === 'done') return { status: 'success', job_id: job.id, data: await flaskResult(end, config.dataDir) };
    return reply.code(end.state === 'cancelled' ? 409 : 500).send({
      status: 'error', job_id: job.id, error: end.error ?? { code: 'INTERNAL', message: `job ended ${end.state}` },
    });
  });

  app.post('/process_video_async', async (req, reply) => {
    const job = await submitJob(req, deps, 'flask');
    return reply.code(202).send({ status: 'queued', job_id: job.id, status_url: `/job_status/${job.id}` });
  });

  app.get<{ Params: { id: string } }>('/job_status/:id', { schema: { params: idParams } }, async (req) =>
    flaskStatus(findJob(store, req.params.id), config.dataDir));
};
