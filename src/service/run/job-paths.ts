/** Where a job's files live in the data folder: everything it writes stays under jobs/<id>/. */
import { join } from 'node:path';

export const jobsRoot = (dataDir: string) => join(dataDir, 'jobs');
export const jobDir = (dataDir: string, id: string) => join(dataDir, 'jobs', id);
export const jobOutDir = (dataDir: string, id: string) => join(dataDir, 'jobs', id, 'out');
export const jobInputDir = (dataDir: string, id: string) => join(dataDir, 'jobs', id, 'input');

/** Ids are ours (random hex); anything else in a URL is an unknown job, never a path. */
export const isJobId = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);
