/**
 * Lists a directory's per-frame NPZ files in numeric frame order and fills
 * the gaps: a number absent between the first and last is a `missing_file` frame.
 *
 * Numbering is refused where it would make the run absurd: only
 * non-negative decimal frame numbers up to MAX_FRAME_NUMBER are read (other
 * names are ignored with a warning), and a gap longer than the gap bound is a
 * usage error naming the two files, since each missing frame costs an entry
 * in every stage and in the report.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { configError, usageError } from '../errors.js';

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

export interface ListOptions {
  /**
   * Most missing frames allowed between two consecutive files (--max_gap_frames).
   * Default: the larger of MIN_GAP_BOUND and 10× the number of files present.
   */
  maxGapFrames?: number;
}

/** Highest frame number read: 10^7 frames is 92 hours at 30 fps. */
export const MAX_FRAME_NUMBER = 10_000_000;
/** A gap of up to this many missing frames is always allowed. */
export const MIN_GAP_BOUND = 100_000;
/** Otherwise a gap may be up to this many times the number of files present. */
export const GAP_PER_FILE = 10;

/** A file's frame number, or why the name has none we accept. */
export type FrameNumber = { frame: number } | { ignored: string };

/**
 * The frame number of a file name: the number after "frame", else the last
 * number in the name. Only plain non-negative decimal integers up to
 * MAX_FRAME_NUMBER count: `frame_-3` is not frame 3, `frame_1.5` not frame 1.
 */
export function parseFrameNumber(name: string): FrameNumber {
  const stem = name.replace(/\.npz$/i, '');
  // "frame-7" and "frame_7" are frame 7; "frame_-3" and "frame--3" carry a sign.
  const tagged = /frame([_-]?)([-+]?)(\d+)/i.exec(stem);
  let sign: string;
  let digits: string;
  let after: string;
  if (tagged) {
    sign = tagged[2];
    digits = tagged[3];
    after = stem.slice(tagged.index + tagged[0].length);
  } else {
    const all = [...stem.matchAll(/\d+/g)];
    const last = all.at(-1);
    if (!last) return { ignored: 'no frame number in the name' };
    digits = last[0];
    after = stem.slice(last.index! + digits.length);
    // A minus right after a separator or at the start ("x_-3", "-3") is a sign; after a letter ("clip-3") it separates.
    const before = stem.slice(0, last.index);
    sign = /(^|[^a-z0-9])[-+]$/i.test(before) ? before.slice(-1) : '';
  }
  if (sign === '-') return { ignored: `negative frame number -${digits}` };
  if (sign === '+') return { ignored: `frame number +${digits} has a sign` };
  if (/^[.,]\d/.test(after) || /^e[-+]?\d/i.test(after)) return { ignored: `frame number ${digits}${after.slice(0, 8)} is not a whole number` };
  if (/^0+$/.test(digits) && /^x[0-9a-f]/i.test(after)) return { ignored: `frame number 0${after.slice(0, 8)} is not decimal` };
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  // Compare as text first: past 2^53 a number is not even exact.
  if (trimmed.length > String(MAX_FRAME_NUMBER).length || Number(trimmed) > MAX_FRAME_NUMBER) {
    const shown = trimmed.length > 24 ? `${trimmed.slice(0, 12)}…(${trimmed.length} digits)` : trimmed;
    return { ignored: `frame number ${shown} is beyond ${MAX_FRAME_NUMBER}` };
  }
  return { frame: Number(trimmed) };
}

/** The frame number of a file name, or null where parseFrameNumber ignores it. */
export function frameNumberOf(name: string): number | null {
  const r = parseFrameNumber(name);
  return 'frame' in r ? r.frame : null;
}

/** The gap bound when no --max_gap_frames is given. */
export const defaultGapBound = (filesPresent: number) => Math.max(MIN_GAP_BOUND, GAP_PER_FILE * filesPresent);

export function planFrameList(names: string[], dir: string, opts: ListOptions = {}): FrameListing {
  const warnings: string[] = [];
  const byNumber = new Map<number, string>();
  for (const name of [...names].sort()) {
    if (!/\.npz$/i.test(name)) continue;
    const n = parseFrameNumber(name);
    if ('ignored' in n) { warnings.push(`${name}: ${n.ignored}, ignored`); continue; }
    const prev = byNumber.get(n.frame);
    if (prev !== undefined) { warnings.push(`${name}: frame ${n.frame} already read from ${prev}, ignored`); continue; }
    byNumber.set(n.frame, name);
  }
  if (byNumber.size === 0) return { frames: [], warnings };
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  const bound = opts.maxGapFrames ?? defaultGapBound(numbers.length);
  for (let i = 1; i < numbers.length; i++) {
    const gap = numbers[i] - numbers[i - 1] - 1;
    if (gap > bound) {
      throw usageError(`--npz_dir ${dir}: ${gap} missing frames between ${byNumber.get(numbers[i - 1])} and ${byNumber.get(numbers[i])}, more than the ${bound} allowed; `
        + `check the numbering, or allow the gap with --max_gap_frames ${gap}`);
    }
  }
  const frames: FrameFile[] = [];
  for (let n = numbers[0]; n <= numbers[numbers.length - 1]; n++) {
    const name = byNumber.get(n) ?? null;
    frames.push({ frame: n, name, path: name === null ? null : join(dir, name) });
  }
  return { frames, warnings };
}

export function listFrames(dir: string, opts: ListOptions = {}): FrameListing {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw configError(`--npz_dir ${dir}: not a directory`);
    names = readdirSync(dir);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw configError(`--npz_dir ${dir}: no such directory`);
    if ((err as { code?: string }).code === 'EACCES') throw configError(`--npz_dir ${dir}: permission denied`);
    throw err;
  }
  const listing = planFrameList(names, dir, opts);
  if (listing.frames.length === 0) throw configError(`--npz_dir ${dir}: no .npz frame files found`);
  return listing;
}
