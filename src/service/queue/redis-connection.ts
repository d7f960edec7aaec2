/**
 * Redis clients for BullMQ and our cancel flags. BullMQ's ESM build cannot
 * load its optional `ioredis` driver itself (it uses `require`), so we load
 * it and hand BullMQ a client. Loaded through createRequire so a missing
 * driver is a one-line configuration error, not a crash at import.
 */
import { createRequire } from 'node:module';
import { configError, usageError } from '../../errors.js';

export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

export const QUEUE_NAME = 'batch-render';
export const cancelKey = (id: string) => `batch-render:cancel:${id}`;

/** `redis://[user:pass@]host:port[/db]`, checked before any connection. */
export function checkRedisUrl(url: string): string {
  let u: URL;
  try { u = new URL(url); } catch { throw usageError(`Expected a redis://host:port URL for --queue but received "${url}"`); }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw usageError(`Expected a redis://host:port URL for --queue but received "${url}"`);
  return url;
}

export function redisClient(url: string): RedisLike {
  let IORedis: new (url: string, opts: object) => RedisLike;
  try {
    const mod = createRequire(import.meta.url)('ioredis');
    IORedis = mod.default ?? mod.Redis ?? mod;
  } catch (err) {
    throw configError('--queue redis:// needs the ioredis package (npm install ioredis), which BullMQ uses to reach Redis', err);
  }
  // BullMQ requires maxRetriesPerRequest null for its blocking commands.
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
