/**
 * Which frames of one person's track can be interpolated: a frame without
 * usable parameters inside a gap of at most `maxGap` frames between two
 * usable frames a < f < b gets them from a and b with weight
 * (f − a) / (b − a) (b's share). Longer gaps, and frames before the first
 * or after the last usable frame, are left to the gap policy. Pure.
 */

export type GapDecision =
  /** The frame has its own usable parameters. */
  | { kind: 'own' }
  | { kind: 'interpolate'; a: number; b: number; weight: number }
  /** No interpolation: the gap policy (fallback, skip, placeholder) decides. */
  | { kind: 'gap'; why: 'leading' | 'trailing' | 'long_gap' | 'none_usable' };

/**
 * @param frames one entry per frame, ascending frame numbers (numbers may
 *               jump: the frames in between count towards the gap)
 * @param maxGap longest run of unusable frames to interpolate over (≥ 0)
 * @returns      one decision per entry, same order
 */
export function planGaps(frames: ReadonlyArray<{ frame: number; usable: boolean }>, maxGap: number): GapDecision[] {
  if (!(Number.isInteger(maxGap) && maxGap >= 0)) throw new RangeError(`planGaps: maxGap must be an integer ≥ 0, got ${maxGap}`);
  for (let i = 1; i < frames.length; i++) {
    if (!(frames[i].frame > frames[i - 1].frame)) throw new RangeError(`planGaps: frame ${frames[i].frame} after ${frames[i - 1].frame}, expected ascending`);
  }
  const out: GapDecision[] = new Array(frames.length);
  // nextUsable[i]: the first usable frame number at or after entry i.
  const nextUsable = new Array<number | null>(frames.length);
  let next: number | null = null;
  for (let i = frames.length - 1; i >= 0; i--) {
    if (frames[i].usable) next = frames[i].frame;
    nextUsable[i] = next;
  }
  let prev: number | null = null;
  for (let i = 0; i < frames.length; i++) {
    const { frame, usable } = frames[i];
    if (usable) { prev = frame; out[i] = { kind: 'own' }; continue; }
    const b = nextUsable[i];
    if (prev === null && b === null) out[i] = { kind: 'gap', why: 'none_usable' };
    else if (prev === null) out[i] = { kind: 'gap', why: 'leading' };
    else if (b === null) out[i] = { kind: 'gap', why: 'trailing' };
    else if (b - prev - 1 > maxGap) out[i] = { kind: 'gap', why: 'long_gap' };
    else out[i] = { kind: 'interpolate', a: prev, b, weight: (frame - prev) / (b - prev) };
  }
  return out;
}
