/** With --token, every request but GET /healthz needs `Authorization: Bearer <token>`. */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ServiceError } from '../service-errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function bearerAuth(token: string) {
  const want = digest(token);
  return async (req: FastifyRequest) => {
    if (req.method === 'GET' && req.url.split('?')[0] === '/healthz') return;
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    // Compare digests: equal length, so timingSafeEqual never throws and leaks no length.
    if (!m || !timingSafeEqual(digest(m[1]), want)) {
      throw new ServiceError('UNAUTHORIZED', m ? 'wrong token' : 'this server needs "Authorization: Bearer <token>"');
    }
  };
}
