/**
 * Lists a directory's per-frame NPZ files in numeric frame order and fills
 * the gaps: a number absent between the first and last is a `missing_file` frame.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { configError } from '../errors.js';

export interface FrameFile {
  frame: number;
  /** Absolute or dir-joined path; null for a missing file. */
  path: string | null;
  name: string | null;
}

export interface FrameListing {
  frames: FrameFile[];
  /** Things a user should know that are not frame failures (duplicate numbers, ignored files). */
  warnings: string[];
}

/** The frame number of a file name: the number after "frame", else the last number in the name. */
export function frameNumberOf(name: string): number | null {
  const stem = name.replace(/\.npz$/i, '');
  const tagged = /frame[_-]?(\d+)/i.exec(stem);
  if (tagged) return Number.parseInt(tagged[1], 10);
  const all = stem.match(/\d+/g);
  return all ? Number.parseInt(all[all.length - 1], 10) : null;
}

export function planFrameList(names: string[], dir: string): FrameListing {
  const warnings: string[] = [];
  const byNumber = new Map<number, string>();
  for (const name of [...names].sort()) {
    if (!/\.npz$/i.test(name)) continue;
    const n = frameNumberOf(name);
    if (n === null) { warnings.push(`${name}: no frame number in the name, ignored`); continue; }
    const prev = byNumber.get(n);
    if (prev !== undefined) { warnings.push(`${name}: frame ${n} already read from ${prev}, ignored`); continue; }
    byNumber.set(n, name);
  }
  if (byNumber.size === 0) return { frames: [], warnings };
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  const frames: FrameFile[] = [];
  for (let n = numbers[0]; n <= numbers[numbers.length - 1]; n++) {
    const name = byNumber.get(n) ?? null;
    frames.push({ frame: n, name, path: name === null ? null : join(dir, name) });
  }
  return { frames, warnings };
}

export function listFrames(dir: string): FrameListing {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw configError(`--npz_dir ${dir}: not a directory`);
    names = readdirSync(dir);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw configError(`--npz_dir ${dir}: no such directory`);
    if ((err as { code?: string }).code === 'EACCES') throw configError(`--npz_dir ${dir}: permission denied`);
    throw err;
  }
  const listing = planFrameList(names, dir);
  if (listing.frames.length === 0) throw configError(`--npz_dir ${dir}: no .npz frame files found`);
  return listing;
}
