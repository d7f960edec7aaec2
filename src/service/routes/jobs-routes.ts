/** POST /jobs, GET /jobs, GET /jobs/:id, DELETE /jobs/:id. */
import { rmSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../service-deps.js';
import { TERMINAL, jobView } from '../store/job-record.js';
import { jobDir } from '../run/job-paths.js';
import { findJob, idParams } from './job-lookup.js';
import { submitJob } from './submit-job.js';

const listQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
    offset: { type: 'integer', minimum: 0, default: 0 },
    token: { type: 'string' },
  },
} as const;

export const jobsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store, queue } = deps;

  app.post('/jobs', async (req, reply) => {
    const job = await submitJob(req, deps, 'jobs');
    return reply.code(202).send({ id: job.id, status_url: `/jobs/${job.id}` });
  });

  app.get<{ Querystring: { limit: number; offset: number } }>('/jobs', { schema: { querystring: listQuery } }, async (req) => {
    const { limit, offset } = req.query;
    const { jobs, total } = store.list(limit, offset);
    const next = offset + jobs.length < total ? `/jobs?limit=${limit}&offset=${offset + limit}` : null;
    return { jobs: jobs.map(jobView), total, limit, offset, next };
  });

  app.get<{ Params: { id: string } }>('/jobs/:id', { schema: { params: idParams } }, async (req) => jobView(findJob(store, req.params.id)));

  app.delete<{ Params: { id: string } }>('/jobs/:id', { schema: { params: idParams } }, async (req, reply) => {
    const job = findJob(store, req.params.id);
    if (!TERMINAL.has(job.state)) {
      await queue.cancel(job.id);
      const now = store.get(job.id)!;
      return reply.code(202).send({ id: job.id, state: now.state, cancel_requested: true });
    }
    rmSync(jobDir(deps.config.dataDir, job.id), { recursive: true, force: true });
    store.remove(job.id);
    await queue.forget(job.id);
    return { id: job.id, deleted: true };
  });
};
