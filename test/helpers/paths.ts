/** Paths shared by tests: compiled tests live in dist/test, fixtures stay at the repo root. */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const fixture = (...p: string[]) => resolve(repoRoot, 'fixtures', ...p);
export const cliPath = resolve(repoRoot, 'bin', 'batch-render');
