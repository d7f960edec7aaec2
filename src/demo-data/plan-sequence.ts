/**
 * Decides, from the seed alone, what each frame of a demo sequence will be:
 * fine, or which documented failure (docs/npz-format.md) it carries, and the
 * harmless variations (two people, big-endian, other shapes, float64).
 * Pure: the same options give the same plan.
 */
import type { DataCheck } from '../types.js';
import { mulberry32 } from '../util/mulberry32.js';

export type FrameCase =
  | 'ok'
  | 'no_person'
  | 'missing_key'
  | 'corrupt_truncated' | 'corrupt_not_zip' | 'corrupt_empty' | 'corrupt_bad_header' | 'corrupt_object'
  | 'invalid_nan' | 'invalid_inf' | 'invalid_length'
  | 'missing_file';

/** Rare failures, each placed max(1, round(frames / RARE_EVERY)) times. */
export const RARE_CASES: readonly FrameCase[] = [
  'missing_file', 'missing_key',
  'corrupt_truncated', 'corrupt_not_zip', 'corrupt_empty', 'corrupt_bad_header', 'corrupt_object',
  'invalid_nan', 'invalid_inf', 'invalid_length',
];
const RARE_EVERY = 600;

export const SMPLX_KEYS = ['root_pose', 'body_pose', 'lhand_pose', 'rhand_pose', 'jaw_pose', 'shape', 'expr'] as const;
export type SmplxKey = (typeof SMPLX_KEYS)[number];

export type ShapeVariant = 'flat' | 'rows' | 'batch';

export interface FramePlan {
  frame: number; // 1-based
  case: FrameCase;
  /** People stored in the file: 0, 1 or 2. */
  persons: number;
  bigEndian: boolean;
  shapes: ShapeVariant;
  /** Pose arrays stored as float64 instead of float32. */
  float64: boolean;
  /** For missing_key. */
  missingKey?: SmplxKey;
  /** Which occurrence of its case this is (0-based): picks a variant of the failure. */
  occurrence: number;
}

export interface PlanOptions {
  frames: number;
  seed: number;
  failures: boolean;
  noPersonRate: number;
  twoPersonRate: number;
  bigEndianRate: number;
  shapes: 'flat' | 'mixed';
}

export const CHECK_OF_CASE: Readonly<Record<FrameCase, DataCheck>> = {
  ok: 'ok',
  no_person: 'no_person',
  missing_key: 'missing_key',
  corrupt_truncated: 'corrupt', corrupt_not_zip: 'corrupt', corrupt_empty: 'corrupt',
  corrupt_bad_header: 'corrupt', corrupt_object: 'corrupt',
  invalid_nan: 'invalid_value', invalid_inf: 'invalid_value', invalid_length: 'invalid_value',
  missing_file: 'missing_file',
};

/** mulberry32: small, fast, good enough for placing test cases. */
export const makeRng = (seed: number): (() => number) => mulberry32(seed ^ 0x6d2b79f5);

export function planSequence(o: PlanOptions): FramePlan[] {
  const n = o.frames;
  const rng = makeRng(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive
  const plan: FramePlan[] = Array.from({ length: n }, (_, i) => ({
    frame: i + 1, case: 'ok', persons: 1, bigEndian: false, shapes: 'flat', float64: false, occurrence: 0,
  }));
  const free = (i: number) => i >= 0 && i < n && plan[i].case === 'ok';
  const occ = new Map<FrameCase, number>();
  const mark = (i: number, c: FrameCase) => {
    plan[i].case = c;
    plan[i].persons = c === 'no_person' ? 0 : 1;
    plan[i].occurrence = occ.get(c) ?? 0;
    occ.set(c, plan[i].occurrence + 1);
  };
  /** A random free frame within [lo, hi] (0-based), or -1 after a bounded search. */
  const pick = (lo: number, hi: number) => {
    if (hi < lo) return -1;
    for (let tries = 0; tries < 64; tries++) { const i = int(lo, hi); if (free(i)) return i; }
    for (let i = lo; i <= hi; i++) if (free(i)) return i;
    return -1;
  };

  // Nobody detected: a run at the very start, then runs of 1–8 frames.
  let noPerson = Math.min(n, Math.round(o.noPersonRate * n));
  if (noPerson > 0) {
    const first = Math.min(noPerson, int(2, 4));
    for (let i = 0; i < first; i++) mark(i, 'no_person');
    noPerson -= first;
    for (let tries = 0; noPerson > 0 && tries < 10 * n; tries++) {
      const len = Math.min(noPerson, int(1, 8));
      const start = int(0, n - len);
      let ok = true;
      for (let i = start; i < start + len; i++) ok &&= free(i);
      if (!ok) continue;
      for (let i = start; i < start + len; i++) mark(i, 'no_person');
      noPerson -= len;
    }
  }

  if (o.failures) {
    const times = Math.max(1, Math.round(n / RARE_EVERY));
    for (let k = 0; k < times; k++) {
      for (const c of RARE_CASES) {
        // A missing first or last file would just shift the range the tool sees.
        const i = c === 'missing_file' ? pick(1, n - 2) : pick(0, n - 1);
        if (i < 0) continue;
        mark(i, c);
        if (c === 'missing_key') plan[i].missingKey = SMPLX_KEYS[int(0, SMPLX_KEYS.length - 1)];
      }
    }
  }

  // A second person walks into view for 5–15 frames at a time.
  let two = Math.round(o.twoPersonRate * n);
  for (let tries = 0; two > 0 && tries < 10 * n; tries++) {
    const len = Math.min(two, int(5, 15));
    const start = int(0, n - len);
    let ok = true;
    for (let i = start; i < start + len; i++) ok &&= free(i) && plan[i].persons === 1;
    if (!ok) continue;
    for (let i = start; i < start + len; i++) plan[i].persons = 2;
    two -= len;
  }

  for (const p of plan) {
    const r1 = rng(), r2 = rng(), r3 = rng();
    // Files that are not a readable zip have no arrays to vary.
    if (p.case === 'missing_file' || p.case === 'corrupt_truncated' || p.case === 'corrupt_not_zip' || p.case === 'corrupt_empty') continue;
    p.bigEndian = r1 < o.bigEndianRate;
    if (o.shapes === 'mixed') {
      p.shapes = r2 < 0.15 ? 'rows' : r2 < 0.3 ? 'batch' : 'flat';
      p.float64 = r3 < 0.15;
    }
  }
  return plan;
}
