/**
 * HTTP errors with stable codes. The service's own codes sit beside the CLI's
 * (src/errors.ts): a USAGE or CONFIG error from the shared option parser
 * answers 400 with the CLI's own message.
 */
import { BatchRenderError, type ErrorCode } from '../errors.js';

export type ServiceErrorCode = 'NOT_FOUND' | 'UNAUTHORIZED' | 'PAYLOAD_TOO_LARGE' | 'QUEUE_FULL' | 'BAD_UPLOAD' | 'FORBIDDEN' | 'UNAVAILABLE';

const STATUS: Record<ServiceErrorCode | ErrorCode, number> = {
  USAGE: 400,
  CONFIG: 400,
  BAD_UPLOAD: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  QUEUE_FULL: 429,
  UNAVAILABLE: 503,
  DEVICE_UNAVAILABLE: 500,
  QUALITY_GATE: 500,
  NOTHING_RENDERABLE: 500,
  SHARDS_INCOMPLETE: 500,
  INTERRUPTED: 500,
  OUTPUT_WRITE: 500,
  INTERNAL: 500,
};

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** Seconds, for 429. */
  readonly retryAfterS?: number;
  constructor(code: ServiceErrorCode, message: string, opts: { retryAfterS?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'ServiceError';
    this.code = code;
    this.retryAfterS = opts.retryAfterS;
  }
}

export const notFound = (what: string) => new ServiceError('NOT_FOUND', `${what} not found`);
export const badUpload = (msg: string) => new ServiceError('BAD_UPLOAD', msg);

export interface ErrorBody { error: { code: string; message: string } }

/** Status and body for any error: ours, the CLI's, or Fastify's own (validation, body limits). */
export function errorReply(err: unknown): { status: number; body: ErrorBody; retryAfterS?: number } {
  if (err instanceof ServiceError || err instanceof BatchRenderError) {
    return { status: STATUS[err.code], body: { error: { code: err.code, message: err.message } }, retryAfterS: err instanceof ServiceError ? err.retryAfterS : undefined };
  }
  const e = err as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (e.validation) return { status: 400, body: { error: { code: 'USAGE', message: e.message ?? 'invalid request' } } };
  if (e.statusCode === 413 || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: e.message ?? 'request too large' } } };
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, body: { error: { code: 'USAGE', message: e.message ?? 'bad request' } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: (err as Error)?.message ?? String(err) } } };
}
