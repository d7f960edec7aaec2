/**
 * Checks a model file exactly as a render loads it, on a worker thread, so a
 * dry run's scan (main thread) and the check of a large model (~0.4 s and
 * ~150 MB for SMPL-X) overlap on two cores. Resolves with the counts, or
 * rejects with the loader's one-line error.
 */
import { Worker } from 'node:worker_threads';
import { BatchRenderError, type ErrorCode } from '../errors.js';

export interface ModelCounts { model_vertices: number; model_faces: number }

export function checkModelInBackground(path: string): Promise<ModelCounts> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./check-model-worker.js', import.meta.url), { workerData: { path } });
    w.once('message', (m: { ok: true; counts: ModelCounts } | { ok: false; code: ErrorCode; message: string }) => {
      if (m.ok) resolve(m.counts);
      else reject(new BatchRenderError(m.code, m.message));
    });
    w.once('error', (err) => reject(new BatchRenderError('INTERNAL', `model check failed: ${err.message}`, { cause: err })));
  });
}
