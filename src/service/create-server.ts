/**
 * The Fastify app: error shape, limits, auth, and the route plugins, each
 * given its dependencies. No listening here, so it is testable with inject().
 */
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { mkdirSync } from 'node:fs';
import type { ServiceDeps } from './service-deps.js';
import { errorReply } from './service-errors.js';
import { accessHook } from './http/access-hook.js';
import { jobsRoot } from './run/job-paths.js';
import { jobsRoutes } from './routes/jobs-routes.js';
import { filesRoutes } from './routes/files-routes.js';
import { eventsRoutes } from './routes/events-routes.js';
import { flaskRoutes } from './routes/flask-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { viewRoutes } from './routes/view-routes.js';

export async function createServer(deps: ServiceDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1 << 20 });
  app.setErrorHandler((err, _req, reply) => {
    const { status, body, retryAfterS } = errorReply(err);
    if (retryAfterS) reply.header('retry-after', String(retryAfterS));
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } }));
  app.addHook('onRequest', accessHook(deps.config.token));
  await app.register(multipart, {
    limits: { fileSize: deps.config.maxUploadBytes, files: 1, fields: 64, fieldSize: 64 << 10, parts: 80 },
  });
  mkdirSync(jobsRoot(deps.config.dataDir), { recursive: true });
  await app.register(fastifyStatic, { root: jobsRoot(deps.config.dataDir), serve: false });
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  const routeDeps = { ...deps, closing: closing.signal };
  for (const plugin of [healthRoutes, jobsRoutes, filesRoutes, eventsRoutes, flaskRoutes, viewRoutes]) await app.register(plugin, routeDeps);
  return app;
}
