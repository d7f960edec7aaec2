/**
 * Where the built-in demo body lives: generated on first use into the temp
 * folder, so a run without model files loads it through the same loader as
 * a real SMPLX_NEUTRAL.npz.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DEMO_VERTICES, type DemoBodyOptions } from './generate-demo-body.js';
import { writeDemoBody } from './write-demo-body.js';

/** Bump when the generated body changes, so stale cached files are not reused. */
export const DEMO_BODY_VERSION = 1;

/**
 * Path of the demo body for these options, generated on first use into the
 * temp folder (atomically, so concurrent runs never read half a file).
 */
export function demoBodyPath(opts: DemoBodyOptions = {}, dir: string = tmpdir()): string {
  const key = JSON.stringify({ v: DEMO_BODY_VERSION, n: opts.targetVertices ?? DEFAULT_DEMO_VERTICES });
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  const path = join(dir, `batch-render-demo-body-${hash}.npz`);
  if (!existsSync(path)) writeDemoBody(path, opts);
  return path;
}
