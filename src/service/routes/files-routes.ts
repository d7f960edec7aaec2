/**
 * A job's outputs: GET /jobs/:id/report, GET /jobs/:id/files (a listing) and
 * GET /jobs/:id/files/:name: render.mp4 with range requests (@fastify/static),
 * PNGs, the report, meshes, and pngs.zip, every PNG in one zip streamed as it
 * is read (files/zip-stream.ts), never built in memory.
 */
import { lstatSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../service-deps.js';
import { jobOutDir } from '../run/job-paths.js';
import { notFound } from '../service-errors.js';
import { findJob, idParams } from './job-lookup.js';
import { zipStream } from '../files/zip-stream.js';

const PNG_ZIP = 'pngs.zip';
/** Output names the CLI writes; anything else (a path, a dot file) is not a job file. */
const OUTPUT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

const fileParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 }, name: { type: 'string', maxLength: 255 } },
  required: ['id', 'name'],
} as const;

function outputFiles(dir: string): { name: string; size: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => OUTPUT_NAME.test(n) && !n.includes('.tmp')).flatMap((name) => {
    const st = lstatSync(join(dir, name));
    return st.isFile() ? [{ name, size: st.size }] : [];
  }).sort((a, b) => a.name.localeCompare(b.name));
}

export const filesRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const out = (id: string) => jobOutDir(deps.config.dataDir, id);

  app.get<{ Params: { id: string } }>('/jobs/:id/report', { schema: { params: idParams } }, async (req, reply) => {
    const job = findJob(deps.store, req.params.id);
    if (!existsSync(join(out(job.id), 'render_report.json'))) throw notFound(`report of job ${job.id} (state ${job.state})`);
    return reply.type('application/json').sendFile('render_report.json', out(job.id));
  });

  app.get<{ Params: { id: string } }>('/jobs/:id/files', { schema: { params: idParams } }, async (req) => {
    const job = findJob(deps.store, req.params.id);
    const files = outputFiles(out(job.id));
    const pngs = files.filter((f) => f.name.endsWith('.png'));
    return { files: [...files, ...(pngs.length ? [{ name: PNG_ZIP, size: null }] : [])].map((f) => ({ ...f, url: `/jobs/${job.id}/files/${f.name}` })) };
  });

  app.get<{ Params: { id: string; name: string } }>('/jobs/:id/files/:name', { schema: { params: fileParams } }, async (req, reply) => {
    const job = findJob(deps.store, req.params.id);
    const { name } = req.params;
    const files = outputFiles(out(job.id));
    if (name === PNG_ZIP) {
      const pngs = files.filter((f) => f.name.endsWith('.png'));
      if (pngs.length === 0) throw notFound(`PNGs of job ${job.id}`);
      return reply.type('application/zip').header('content-disposition', `attachment; filename="${job.id}-pngs.zip"`)
        .send(zipStream(pngs.map((f) => ({ name: f.name, path: join(out(job.id), f.name) }))));
    }
    if (!OUTPUT_NAME.test(name) || !files.some((f) => f.name === name)) throw notFound(`file ${name} of job ${job.id}`);
    return reply.sendFile(name, out(job.id));
  });
};
