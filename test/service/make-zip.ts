/** Test zips written by Python's zipfile (test/service/make_zip.py), not by our code. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

export type ZipSpec = Array<{ name: string; file?: string; zeros?: number; symlink?: string; text?: string }>;

export function makeZip(path: string, spec: ZipSpec): Buffer {
  const specPath = `${path}.json`;
  writeFileSync(specPath, JSON.stringify(spec));
  execFileSync('python3', [join(repoRoot, 'test/service/make_zip.py'), path, specPath], { stdio: ['ignore', 'ignore', 'inherit'] });
  return readFileSync(path);
}
