/**
 * The viewer for the service's jobs: GET / lists the jobs, GET /jobs/:id/view
 * is the viewer's page for a finished job (its PNGs and render.mp4 through
 * /jobs/:id/files/, its 3D mesh through /jobs/:id/api/…, computed by the
 * viewer's MeshService from the job's own input).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteDeps } from '../service-deps.js';
import { renderReportHtml, webAssets } from '../../report/write-html-report.js';
import { PERSON_COLORS } from '../../pipeline/open-renderers.js';
import { MeshService } from '../../viewer/mesh-service.js';
import { MeshUnavailable } from '../../viewer/frame-params.js';
import { jobOutDir } from '../run/job-paths.js';
import { notFound } from '../service-errors.js';
import { findJob, idParams } from './job-lookup.js';
import { usageError } from '../../errors.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Mesh services of the jobs viewed last (each holds a model and a frame cache). */
const KEEP = 4;

export const viewRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const meshes = new Map<string, MeshService>();
  const reportOf = (id: string) => {
    const path = join(jobOutDir(deps.config.dataDir, id), 'render_report.json');
    if (!existsSync(path)) throw notFound(`report of job ${id}`);
    return JSON.parse(readFileSync(path, 'utf8'));
  };
  const meshOf = (id: string) => {
    let m = meshes.get(id);
    if (!m) {
      m = new MeshService(reportOf(id));
      meshes.set(id, m);
      if (meshes.size > KEEP) meshes.delete(meshes.keys().next().value!);
    }
    return m;
  };

  app.get('/', async (_req, reply) => {
    const { jobs, total } = deps.store.list(100, 0);
    const rows = jobs.map((j) => {
      const t = j.summary?.totals;
      const name = j.state === 'done' || j.state === 'failed' || j.state === 'cancelled' ? `<a href="/jobs/${j.id}/view">${j.id}</a>` : j.id;
      return `<tr><td>${name}</td><td>${esc(j.state)}</td><td>${esc(j.createdAt)}</td><td>${esc(j.spec.input.kind)}</td><td>${t?.frames ?? '–'}</td><td>${t?.rendered ?? '–'}</td><td>${j.progress ? `${j.progress.done}/${j.progress.total}` : '–'}</td></tr>`;
    });
    return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>batch-render jobs</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${webAssets().css}</style></head><body>
<h1>batch-render jobs</h1><p class="muted">${total} job${total === 1 ? '' : 's'}${total > jobs.length ? `, newest ${jobs.length} shown` : ''}</p>
<section class="panel"><table class="index-table" id="jobs"><thead><tr><th>job</th><th>state</th><th>submitted</th><th>input</th><th>frames</th><th>rendered</th><th>progress</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section></body></html>
`);
  });

  app.get<{ Params: { id: string } }>('/jobs/:id/view', { schema: { params: idParams } }, async (req, reply) => {
    const job = findJob(deps.store, req.params.id);
    const html = renderReportHtml(reportOf(job.id), {
      mode: 'viewer', filesBase: `/jobs/${job.id}/files/`, apiBase: `/jobs/${job.id}/api`, sourceVideo: null,
      personColors: PERSON_COLORS, title: `batch-render: job ${job.id}`,
    });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  const binary = async (reply: FastifyReply, make: () => Promise<Uint8Array>) => {
    try {
      const bin = await make();
      return reply.type('application/octet-stream').send(Buffer.from(bin.buffer, bin.byteOffset, bin.byteLength));
    } catch (err) {
      if (err instanceof MeshUnavailable) return reply.code(err.status).send({ error: { code: err.status === 404 ? 'NOT_FOUND' : 'NO_MESH', message: err.message } });
      throw err;
    }
  };
  app.get<{ Params: { id: string } }>('/jobs/:id/api/topology', { schema: { params: idParams } }, async (req, reply) => {
    const job = findJob(deps.store, req.params.id);
    return binary(reply, () => meshOf(job.id).topology());
  });
  app.get<{ Params: { id: string; frame: string } }>('/jobs/:id/api/mesh/:frame', async (req, reply) => {
    const job = findJob(deps.store, req.params.id);
    if (!/^\d+$/.test(req.params.frame)) throw usageError(`frame must be a number, got ${JSON.stringify(req.params.frame)}`);
    return binary(reply, () => meshOf(job.id).mesh(Number(req.params.frame)));
  });
};
