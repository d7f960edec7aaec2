/**
 * The sequence's framing union without its wild frames (pure): used by the
 * front camera (sequence-framing.ts) and by each turned view (view-framing.ts).
 */
import { emptyExtent, type PlaneExtent } from './sequence-camera.js';

/**
 * A frame is left out of the framing when one of its bounds lies more than
 * this many median frame spans beyond the median of that bound: a body
 * standing a few body widths aside stays in; one kilometres away does not.
 */
export const OUTLIER_SPANS = 4;

/**
 * The union of the frames' `region` extents (default: their whole extents)
 * without the frames whose whole extent lies far outside the rest (pure).
 */
export function robustUnion(perFrame: ReadonlyMap<number, PlaneExtent>, region: ReadonlyMap<number, PlaneExtent> = perFrame): { union: PlaneExtent; outliers: number[] } {
  const frames = [...perFrame].filter(([, e]) => e.minX !== Infinity);
  const union = emptyExtent();
  if (frames.length === 0) return { union, outliers: [] };
  const med = (f: (e: PlaneExtent) => number) => median(frames.map(([, e]) => f(e)));
  const m = { minX: med((e) => e.minX), maxX: med((e) => e.maxX), minY: med((e) => e.minY), maxY: med((e) => e.maxY) };
  const span = med((e) => Math.max(e.maxX - e.minX, e.maxY - e.minY));
  const reach = OUTLIER_SPANS * span;
  const outliers: number[] = [];
  for (const [frame, e] of frames) {
    const far = e.minX < m.minX - reach || e.maxX > m.maxX + reach || e.minY < m.minY - reach || e.maxY > m.maxY + reach;
    if (far && frames.length > 2) { outliers.push(frame); continue; }
    const r = region.get(frame);
    if (!r) continue;
    union.minX = Math.min(union.minX, r.minX); union.maxX = Math.max(union.maxX, r.maxX);
    union.minY = Math.min(union.minY, r.minY); union.maxY = Math.max(union.maxY, r.maxY);
  }
  return { union, outliers: outliers.sort((a, b) => a - b) };
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
