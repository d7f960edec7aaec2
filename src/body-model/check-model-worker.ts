/** Worker thread of check-model-in-background.ts: loads the model once, reports, exits. */
import { parentPort, workerData } from 'node:worker_threads';
import { readModelInfo } from './read-model-info.js';
import { BatchRenderError } from '../errors.js';

try {
  parentPort!.postMessage({ ok: true, counts: readModelInfo((workerData as { path: string }).path) });
} catch (err) {
  parentPort!.postMessage({ ok: false, code: err instanceof BatchRenderError ? err.code : 'CONFIG', message: (err as Error).message });
}
