/**
 * Typed errors with stable codes. The CLI maps `exitCode` to the process exit
 * status; the report stores `code`. Checks are by class or code, never by message.
 */
export type ErrorCode =
  | 'USAGE'              // bad flag or value
  | 'CONFIG'             // missing dir, unreadable model, missing system tool
  | 'DEVICE_UNAVAILABLE' // --device cuda without a usable GPU
  | 'QUALITY_GATE'       // --fail-on-missing-rate exceeded
  | 'NOTHING_RENDERABLE' // no frame had a usable person
  | 'SHARDS_INCOMPLETE'  // merge: a shard report is missing, incomplete, still running or of another plan
  | 'INTERRUPTED'        // SIGINT / SIGTERM
  | 'OUTPUT_WRITE'       // an output file could not be written (disk full, I/O error, read-only)
  | 'INTERNAL';

const EXIT: Record<ErrorCode, number> = {
  USAGE: 2,
  CONFIG: 2,
  DEVICE_UNAVAILABLE: 2,
  QUALITY_GATE: 3,
  NOTHING_RENDERABLE: 3,
  SHARDS_INCOMPLETE: 3,
  INTERRUPTED: 130,
  OUTPUT_WRITE: 1,
  INTERNAL: 1,
};

export class BatchRenderError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BatchRenderError';
    this.code = code;
  }
  get exitCode(): number {
    return EXIT[this.code];
  }
}

export const usageError = (msg: string) => new BatchRenderError('USAGE', msg);
export const configError = (msg: string, cause?: unknown) => new BatchRenderError('CONFIG', msg, { cause });

export function exitCodeOf(err: unknown): number {
  return err instanceof BatchRenderError ? err.exitCode : 1;
}

/** Why one NPZ/NPY file could not be read. `reason` is a frame check code. */
export class FrameDataError extends Error {
  readonly reason: 'corrupt' | 'invalid_value' | 'missing_key';
  constructor(reason: FrameDataError['reason'], message: string) {
    super(message);
    this.name = 'FrameDataError';
    this.reason = reason;
  }
}

/** errno codes of a failed output write: the run stops at the first one. */
const WRITE_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EACCES', 'EPERM', 'EROFS', 'EFBIG']);

export function isWriteFailure(err: unknown): boolean {
  return WRITE_ERRNOS.has((err as NodeJS.ErrnoException)?.code ?? '');
}

export function outputWriteError(what: string, err: unknown): BatchRenderError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const kind = code === 'ENOSPC' || code === 'EDQUOT' ? 'output disk full' : 'output not writable';
  return new BatchRenderError('OUTPUT_WRITE', `${kind}: writing ${what} failed (${code})`, { cause: err });
}
