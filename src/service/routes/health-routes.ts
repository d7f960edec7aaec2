/**
 * GET /healthz (never needs the token) and GET /metrics in Prometheus text
 * format. Metric values are read from the job store when scraped, so they
 * count jobs run by any worker and survive restarts.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RouteDeps } from '../service-deps.js';
import type { JobStore } from '../store/job-store.js';

export function serviceMetrics(store: JobStore): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'batch_render_service_' });
  new Gauge({
    name: 'batch_render_jobs', help: 'Jobs by state', labelNames: ['state'], registers: [register],
    collect() { for (const [state, n] of Object.entries(store.countByState())) this.set({ state }, n); },
  });
  new Counter({
    name: 'batch_render_frames_rendered_total', help: 'Frames rendered (including fallback frames) by finished jobs', registers: [register],
    collect() { this.reset(); this.inc(store.renderTotals().frames); },
  });
  new Counter({
    name: 'batch_render_render_seconds_total', help: 'Wall-clock seconds of finished jobs\' render runs', registers: [register],
    collect() { this.reset(); this.inc(store.renderTotals().seconds); },
  });
  return register;
}

export const healthRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const register = serviceMetrics(deps.store);
  app.get('/healthz', async () => ({ status: 'ok', queue: deps.config.queueKind, jobs: deps.store.countByState() }));
  app.get('/metrics', async (_req, reply) => reply.type(register.contentType).send(await register.metrics()));
};
