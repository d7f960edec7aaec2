/**
 * Follows a job's record until it ends. Polling the store (not in-process
 * events) works whoever runs the job: this server's scheduler or a BullMQ
 * worker on another machine whose results the server writes to the store.
 */
import type { JobStore } from '../store/job-store.js';
import { TERMINAL, type JobRecord } from '../store/job-record.js';

export async function* watchJob(store: JobStore, id: string, signal: AbortSignal, everyMs = 250): AsyncGenerator<JobRecord | null> {
  let last = '';
  while (!signal.aborted) {
    const r = store.get(id);
    const key = r ? `${r.state}|${JSON.stringify(r.progress)}` : 'gone';
    if (key !== last) { last = key; yield r; }
    if (!r || TERMINAL.has(r.state)) return;
    await new Promise((res) => setTimeout(res, everyMs));
  }
}

export async function waitForEnd(store: JobStore, id: string, signal: AbortSignal): Promise<JobRecord | null> {
  let last: JobRecord | null = null;
  for await (const r of watchJob(store, id, signal)) last = r;
  return last;
}
