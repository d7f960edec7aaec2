/**
 * The output folder's housekeeping before the first frame: it must be
 * writable (checked with a probe file, so a read-only or foreign folder is a
 * one-line configuration error, not a failure mid-run); one run at a time
 * (a lock file holding our pid, taken atomically, a dead holder's lock taken
 * over); and temporary files of dead runs are removed.
 */
import { closeSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { configError } from '../errors.js';
import { TMP_PREFIX } from './write-atomic.js';

export const LOCK_NAME = '.batch-render.lock';
const STALE_TMP = new RegExp(`^${TMP_PREFIX.replace(/\./g, '\\.')}(\\d+)-`);

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

export function checkWritable(dir: string): void {
  const probe = join(dir, `${TMP_PREFIX}${process.pid}-probe`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (err) {
    throw configError(`--output_dir ${dir}: not writable (${errCode(err)})`, err);
  }
}

/** True when a process with this pid exists (EPERM: it exists but is someone else's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OutputLock {
  release(): void;
  /** Set when a dead run's lock was taken over. */
  takenFrom: number | null;
}

export function takeLock(dir: string): OutputLock {
  const path = join(dir, LOCK_NAME);
  let takenFrom: number | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }) + '\n');
      closeSync(fd);
      let held = true;
      const release = () => { if (held) { held = false; rmSync(path, { force: true }); } };
      process.once('exit', release);
      return { release: () => { process.off('exit', release); release(); }, takenFrom };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw configError(`--output_dir ${dir}: cannot take the lock ${LOCK_NAME} (${errCode(err)})`, err);
      const holder = readHolder(path);
      if (holder && pidAlive(holder.pid) && holder.pid !== process.pid) {
        throw configError(`--output_dir ${dir} is in use by another batch-render run (pid ${holder.pid}, started ${holder.started}); wait for it or choose another --output_dir`);
      }
      takenFrom = holder?.pid ?? null;
      rmSync(path, { force: true });
    }
  }
  throw configError(`--output_dir ${dir}: cannot take the lock ${LOCK_NAME}`);
}

function readHolder(path: string): { pid: number; started: string } | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8'));
    return Number.isInteger(h.pid) ? h : null;
  } catch {
    return null;
  }
}

/** Removes temporary files left by runs that are no longer alive; returns what it removed, for the report. */
export function removeStaleTemps(dir: string): { files: number; pids: number[] } {
  const pids = new Set<number>();
  let files = 0;
  for (const name of readdirSync(dir)) {
    const m = STALE_TMP.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    files++;
    pids.add(pid);
  }
  return { files, pids: [...pids] };
}

const OUR_OUTPUT = /^mesh_\d+\.(png|obj|ply)$/;

/**
 * Removes per-frame outputs that belong to no frame of this run (a re-run
 * with fewer frames), so the folder never looks like part of it; returns their names.
 */
export function removeForeignOutputs(dir: string, keep: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!OUR_OUTPUT.test(name) || keep.has(name)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
