/**
 * Who may talk to the service, decided as the viewer does (src/viewer/access-token.ts):
 * with --token, every request but GET /healthz carries it (Authorization:
 * Bearer, or ?token= once in a browser, which sets a cookie so the job pages'
 * <video> and fetch requests carry it too); without a token the server is on
 * loopback and requests naming another Host are refused (DNS rebinding).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decideAccess, TOKEN_COOKIE } from '../../viewer/access-token.js';
import { ServiceError } from '../service-errors.js';

export function accessHook(token: string | null) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'GET' && req.url.split('?')[0] === '/healthz') return;
    const q = (req.query as Record<string, unknown> | undefined)?.token;
    const d = decideAccess(token, {
      query: typeof q === 'string' ? q : null, authorization: req.headers.authorization, cookie: req.headers.cookie, host: req.headers.host,
    });
    if (!d.ok) throw new ServiceError(d.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', d.message);
    if (d.setCookie) reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token!)}; HttpOnly; SameSite=Strict; Path=/`);
  };
}
