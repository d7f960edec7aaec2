/**
 * Scan stage: classify every frame of the listing. Keeps only what later
 * stages need (check, detail, camera translations), never the parameters,
 * so memory stays flat however long the sequence.
 */
import { basename } from 'node:path';
import { readFrameFile, type PersonSelector } from './read-frame.js';
import type { FrameFile } from './list-frames.js';
import type { FrameCheck, PersonParams } from '../types.js';

export interface ScannedFrame {
  frame: number;
  path: string | null;
  file: string | null;
  check: FrameCheck;
  detail: string | null;
  detected: number;
}

export interface ScanResult {
  frames: ScannedFrame[];
  readMs: number;
  aborted: boolean;
  /** Longest betas / expression vectors seen: workers keep only that many components. */
  maxBetas: number;
  maxExpr: number;
}

export async function scanFrames(
  files: readonly FrameFile[],
  person: PersonSelector,
  onProgress?: (done: number) => void,
  signal?: AbortSignal,
  /** Sees each usable person once, with its frame, e.g. to grow the framing bounds; parameters are not kept here. */
  onPerson?: (p: PersonParams, frame: number) => void,
): Promise<ScanResult> {
  const frames: ScannedFrame[] = [];
  const t0 = performance.now();
  let maxBetas = 0;
  let maxExpr = 0;
  const result = (aborted: boolean): ScanResult => ({ frames, readMs: performance.now() - t0, aborted, maxBetas, maxExpr });
  for (const f of files) {
    if (signal?.aborted) return result(true);
    if (f.path === null) {
      frames.push({ frame: f.frame, path: null, file: null, check: 'missing_file', detail: `no file for frame ${f.frame}`, detected: 0 });
    } else {
      const r = readFrameFile(f.path, person);
      frames.push({ frame: f.frame, path: f.path, file: basename(f.path), check: r.check, detail: r.detail, detected: r.detected });
      for (const p of r.persons) {
        maxBetas = Math.max(maxBetas, p.betas.length);
        maxExpr = Math.max(maxExpr, p.expr.length);
        onPerson?.(p, f.frame);
      }
    }
    if (frames.length % 128 === 0) {
      onProgress?.(frames.length);
      // Yield so Ctrl-C is seen during long scans.
      await new Promise((r) => setImmediate(r));
    }
  }
  onProgress?.(frames.length);
  return result(false);
}
