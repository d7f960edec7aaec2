/** A job named in a URL, or the 404 every route gives for an unknown id. */
import type { JobStore } from '../store/job-store.js';
import type { JobRecord } from '../store/job-record.js';
import { isJobId } from '../run/job-paths.js';
import { notFound } from '../service-errors.js';

export function findJob(store: JobStore, id: string): JobRecord {
  const job = isJobId(id) ? store.get(id) : null;
  if (!job) throw notFound(`job ${id}`);
  return job;
}

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;
