/**
 * The viewer's HTTP server (Fastify + @fastify/static):
 *   GET /                         index of the served output directories
 *   GET /seq/:id/                 the sequence page (the report page in viewer mode)
 *   GET /seq/:id/files/*          files inside that output directory (ranged; nothing outside it)
 *   GET /seq/:id/source-video     the sequence's source video (ranged)
 *   GET /api/seq/:id/report       render_report.json
 *   GET /api/seq/:id/topology     faces + hand vertices (binary, once)
 *   GET /api/seq/:id/mesh/:frame  posed vertices of the frame (binary, cached)
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep, isAbsolute } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { renderReportHtml, webAssets } from '../report/write-html-report.js';
import { PERSON_COLORS } from '../pipeline/open-renderers.js';
import type { PageConfig } from '../web/report-data.js';
import { decideAccess, TOKEN_COOKIE } from './access-token.js';
import { indexPageHtml } from './index-page.js';
import type { Sequence } from './load-sequences.js';
import { MeshService } from './mesh-service.js';
import { MeshUnavailable } from './frame-params.js';

export interface ServerOptions { sequences: Sequence[]; token: string | null }

/** `rel` inside `root`, following symlinks; null when it leaves it. */
export function containedPath(root: string, rel: string): string | null {
  if (rel.includes('\0') || isAbsolute(rel)) return null;
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root + sep)) return null;
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    return full; // absent: the static handler answers 404
  }
  return real === root || real.startsWith(root + sep) ? real : null;
}

export async function createServer(o: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, { root: o.sequences[0]?.root ?? process.cwd(), serve: false });
  const meshes = new Map(o.sequences.map((s) => [s.id, new MeshService(s.report)]));

  app.addHook('onRequest', async (req, reply) => {
    const q = (req.query as Record<string, unknown>)?.token;
    const d = decideAccess(o.token, {
      query: typeof q === 'string' ? q : null, authorization: req.headers.authorization, cookie: req.headers.cookie, host: req.headers.host,
    });
    if (!d.ok) return reply.code(d.status).type('application/json').send({ error: d.message });
    if (d.setCookie) reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(o.token!)}; HttpOnly; SameSite=Strict; Path=/`);
    reply.header('x-content-type-options', 'nosniff');
  });

  const seqOf = (id: string, reply: FastifyReply): Sequence | null => {
    const s = /^\d+$/.test(id) ? o.sequences[Number(id)] : undefined;
    if (!s) { void reply.code(404).send({ error: `no sequence ${id}` }); return null; }
    return s;
  };

  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(indexPageHtml(o.sequences, webAssets().css)));

  app.get<{ Params: { id: string } }>('/seq/:id', async (req, reply) => reply.redirect(`/seq/${req.params.id}/`));
  app.get<{ Params: { id: string } }>('/seq/:id/', async (req, reply) => {
    const s = seqOf(req.params.id, reply);
    if (!s) return reply;
    const cfg: PageConfig = {
      mode: 'viewer', filesBase: `/seq/${s.id}/files/`, apiBase: `/api/seq/${s.id}`,
      sourceVideo: s.source ? { url: `/seq/${s.id}/source-video`, fps: s.source.fps, name: s.source.name } : null,
      personColors: PERSON_COLORS, title: `batch-render: ${s.name}`,
    };
    return reply.type('text/html; charset=utf-8').send(renderReportHtml(s.report, cfg));
  });

  app.get<{ Params: { id: string; '*': string } }>('/seq/:id/files/*', async (req, reply) => {
    const s = seqOf(req.params.id, reply);
    if (!s) return reply;
    const path = containedPath(s.root, req.params['*']);
    if (!path) return reply.code(404).send({ error: 'not found' });
    return reply.sendFile(relative(s.root, path), s.root);
  });

  app.get<{ Params: { id: string } }>('/seq/:id/source-video', async (req, reply) => {
    const s = seqOf(req.params.id, reply);
    if (!s) return reply;
    if (!s.source) return reply.code(404).send({ error: 'this sequence has no source video' });
    return reply.sendFile(basename(s.source.path), dirname(s.source.path));
  });

  app.get<{ Params: { id: string } }>('/api/seq/:id/report', async (req, reply) => {
    const s = seqOf(req.params.id, reply);
    return s ? reply.send(s.report) : reply;
  });

  const binary = async (reply: FastifyReply, make: () => Promise<Uint8Array>) => {
    try {
      const bin = await make();
      return reply.type('application/octet-stream').header('cache-control', 'private, max-age=3600').send(Buffer.from(bin.buffer, bin.byteOffset, bin.byteLength));
    } catch (err) {
      if (err instanceof MeshUnavailable) return reply.code(err.status).send({ error: err.message });
      // A model or NPZ that cannot be read is the data's problem, said in one line.
      return reply.code(500).send({ error: (err as Error).message });
    }
  };
  app.get<{ Params: { id: string } }>('/api/seq/:id/topology', async (req, reply) => {
    const s = seqOf(req.params.id, reply);
    return s ? binary(reply, () => meshes.get(s.id)!.topology()) : reply;
  });
  app.get<{ Params: { id: string; frame: string } }>('/api/seq/:id/mesh/:frame', async (req, reply) => {
    const s = seqOf(req.params.id, reply);
    if (!s) return reply;
    if (!/^\d+$/.test(req.params.frame)) return reply.code(400).send({ error: `frame must be a number, got ${JSON.stringify(req.params.frame)}` });
    return binary(reply, () => meshes.get(s.id)!.mesh(Number(req.params.frame)));
  });
  return app;
}
