/**
 * GET /jobs/:id/events, Server-Sent Events: `state` when the state changes,
 * `progress` while it runs, and a last `end` event with the whole job, then
 * the stream closes.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../service-deps.js';
import { TERMINAL, jobView } from '../store/job-record.js';
import { findJob, idParams } from './job-lookup.js';
import { watchJob } from './watch-job.js';

export const eventsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get<{ Params: { id: string } }>('/jobs/:id/events', { schema: { params: idParams } }, async (req, reply) => {
    const job = findJob(deps.store, req.params.id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const abort = new AbortController();
    req.raw.on('close', () => abort.abort());
    const onClosing = () => abort.abort();
    deps.closing.addEventListener('abort', onClosing, { once: true });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    let state = '';
    for await (const r of watchJob(deps.store, job.id, abort.signal)) {
      if (!r) { send('end', { id: job.id, state: 'deleted' }); break; }
      if (r.state !== state) { state = r.state; send('state', { id: r.id, state: r.state }); }
      if (r.state === 'running' && r.progress) send('progress', { id: r.id, ...r.progress });
      if (TERMINAL.has(r.state)) send('end', jobView(r));
    }
    deps.closing.removeEventListener('abort', onClosing);
    res.end();
  });
};
