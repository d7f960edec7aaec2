/**
 * Pure policy: given each frame's check, decide what the output shows.
 * fallback: a frame without a usable person reuses the nearest previous
 *   renderable frame (frames before the first valid one use the first valid one);
 * placeholder: an image saying no person was detected;
 * skip: no image.
 */
import type { FrameCheck } from '../types.js';

export type Policy = 'fallback' | 'skip' | 'placeholder';

/** 'interpolated' is the report's name for a frame rendered from parameters interpolated across a gap. */
export type FrameStatus = 'rendered' | 'interpolated' | 'fallback' | 'placeholder' | 'skipped' | 'failed' | 'cancelled';

export interface PlannedFrame {
  frame: number;
  check: FrameCheck;
  status: FrameStatus;
  /** For fallback frames: the frame whose mesh is shown. */
  sourceFrame: number | null;
  /**
   * Set on frames rendered (status 'rendered') from parameters interpolated
   * between sourceFrames with weight (the second frame's share): plan-interpolation.ts.
   */
  interpolation?: { sourceFrames: [number, number]; weight: number };
}

export function applyPolicy(frames: ReadonlyArray<{ frame: number; check: FrameCheck }>, policy: Policy): PlannedFrame[] {
  const firstValid = frames.find((f) => f.check === 'ok')?.frame ?? null;
  let lastValid: number | null = null;
  return frames.map(({ frame, check }) => {
    if (check === 'ok') {
      lastValid = frame;
      return { frame, check, status: 'rendered', sourceFrame: null };
    }
    if (policy === 'placeholder') return { frame, check, status: 'placeholder', sourceFrame: null };
    if (policy === 'fallback') {
      const source = lastValid ?? firstValid;
      if (source !== null) return { frame, check, status: 'fallback', sourceFrame: source };
    }
    return { frame, check, status: 'skipped', sourceFrame: null };
  });
}

/** How many output frames show each rendered frame (itself plus its fallbacks): lets the writer free pixels early. */
export function referenceCounts(plan: readonly PlannedFrame[]): Map<number, number> {
  const refs = new Map<number, number>();
  for (const p of plan) {
    const src = p.status === 'rendered' ? p.frame : p.status === 'fallback' ? p.sourceFrame : null;
    if (src !== null) refs.set(src, (refs.get(src) ?? 0) + 1);
  }
  return refs;
}

/** Share of frames whose own data has no usable person. */
export function missingRate(frames: ReadonlyArray<{ check: FrameCheck }>): number {
  if (frames.length === 0) return 0;
  return frames.filter((f) => f.check !== 'ok').length / frames.length;
}
