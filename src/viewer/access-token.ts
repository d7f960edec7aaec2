/**
 * Who may talk to the viewer. With a token, every request must carry it: as
 * `?token=`, `Authorization: Bearer`, or the cookie set when the index page
 * was opened with `?token=` (so <video> and fetch requests carry it too).
 * Without a token the server is bound to loopback, and requests naming
 * another Host are refused (a web page elsewhere cannot rebind its name to us).
 */
import { timingSafeEqual } from 'node:crypto';
import { isLoopback } from './parse-view-args.js';

export const TOKEN_COOKIE = 'br_token';

export interface RequestCredentials {
  query: string | null;
  authorization: string | undefined;
  cookie: string | undefined;
  host: string | undefined;
}

export type AccessDecision = { ok: true; setCookie: boolean } | { ok: false; status: 401 | 403; message: string };

const same = (a: string, b: string) => {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** Host header → host name, without the port ("[::1]:80" → "::1"). */
function hostName(h: string): string {
  const m = /^\[([^\]]+)\]/.exec(h);
  return m ? m[1] : h.replace(/:\d+$/, '');
}

export function decideAccess(token: string | null, c: RequestCredentials): AccessDecision {
  if (token === null) {
    if (c.host !== undefined && !isLoopback(hostName(c.host))) return { ok: false, status: 403, message: `host ${c.host} not allowed` };
    return { ok: true, setCookie: false };
  }
  if (c.query !== null && same(c.query, token)) return { ok: true, setCookie: true };
  const bearer = /^Bearer (.+)$/i.exec(c.authorization ?? '')?.[1];
  if (bearer !== undefined && same(bearer, token)) return { ok: true, setCookie: false };
  const cookie = cookieValue(c.cookie, TOKEN_COOKIE);
  if (cookie !== null && same(cookie, token)) return { ok: true, setCookie: false };
  return { ok: false, status: 401, message: 'a valid token is required (?token=, Authorization: Bearer, or the viewer cookie)' };
}
