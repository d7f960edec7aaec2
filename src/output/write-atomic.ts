/**
 * Write-then-rename, so an interrupted run never leaves a half-written file
 * under its final name.
 */
import { writeFileSync, renameSync, rmSync } from 'node:fs';
import { writeFile, rename, rm, copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Every temporary file starts with this and our pid, so a later run can remove those of a dead run. */
export const TMP_PREFIX = '.batch-render.tmp-';

export const tmpName = (path: string) =>
  join(dirname(path), `${TMP_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 8)}-${basename(path)}`);

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tmpName(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Lets `fill` write a temporary file, then renames it to `path`; removes it on failure. */
async function atomically(path: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tmpName(path);
  try {
    await fill(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export const writeFileAtomicAsync = (path: string, data: string | Uint8Array): Promise<void> =>
  atomically(path, (tmp) => writeFile(tmp, data));

export const copyFileAtomic = (from: string, to: string): Promise<void> =>
  atomically(to, (tmp) => copyFile(from, tmp));

