/**
 * Scan stage: classify every frame of the listing. Keeps only what later
 * stages need (check, detail, camera translations), never the parameters,
 * so memory stays flat however long the sequence.
 */
import { basename } from 'node:path';
import { readFrameFile, type PersonSelector } from '../scan/read-frame.js';
import type { FrameFile } from '../scan/list-frames.js';
import type { FrameCheck } from '../types.js';

export interface ScannedFrame {
  frame: number;
  path: string | null;
  file: string | null;
  check: FrameCheck;
  detail: string | null;
  detected: number;
  /** cam_trans of each usable selected person (for stable framing). */
  camTrans: number[][];
}

export async function scanFrames(
  files: readonly FrameFile[],
  person: PersonSelector,
  onProgress?: (done: number) => void,
  signal?: AbortSignal,
): Promise<{ frames: ScannedFrame[]; readMs: number; aborted: boolean }> {
  const frames: ScannedFrame[] = [];
  const t0 = performance.now();
  for (const f of files) {
    if (signal?.aborted) return { frames, readMs: performance.now() - t0, aborted: true };
    if (f.path === null) {
      frames.push({ frame: f.frame, path: null, file: null, check: 'missing_file', detail: `no file for frame ${f.frame}`, detected: 0, camTrans: [] });
    } else {
      const r = readFrameFile(f.path, person);
      frames.push({
        frame: f.frame, path: f.path, file: basename(f.path), check: r.check, detail: r.detail, detected: r.detected,
        camTrans: r.persons.map((p) => Array.from(p.camTrans)),
      });
    }
    if (frames.length % 128 === 0) {
      onProgress?.(frames.length);
      // Yield so Ctrl-C is seen during long scans.
      await new Promise((r) => setImmediate(r));
    }
  }
  onProgress?.(frames.length);
  return { frames, readMs: performance.now() - t0, aborted: false };
}
