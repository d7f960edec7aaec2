/**
 * Frames the stable sequence camera during the scan: every usable person's
 * posed joint spheres (framing-skeleton.ts) grow their frame's silhouette
 * extent; once the scan is done the camera holds the union of the frames'
 * extents, except frames that lie far outside the rest (robust framing: one
 * wild frame must not shrink every other frame to nothing). Those are named
 * so the report can warn about them.
 */
import type { CameraIntrinsics, PersonParams } from '../types.js';
import { createPoser, loadFramingSkeleton } from '../body-model/framing-skeleton.js';
import { addSphere, cameraForExtent, emptyExtent, type PlaneExtent } from './sequence-camera.js';

/** Share of the image kept free around the sequence's bounds. */
export const FRAME_MARGIN = 0.04;
/**
 * A frame is left out of the framing when one of its bounds lies more than
 * this many median frame spans beyond the median of that bound: a body
 * standing a few body widths aside stays in; one kilometres away does not.
 */
export const OUTLIER_SPANS = 4;

export interface SequenceFraming {
  /** Sees each usable person once (with its frame number); parameters are not kept. */
  add(p: PersonParams, frame?: number): void;
  camera(size: number): CameraIntrinsics;
  /** Frames left out of the framing (they may be cut off), known after camera(). */
  readonly excluded: number[];
}

export function createSequenceFraming(modelPath: string, flatHandMean: boolean): SequenceFraming {
  const perFrame = new Map<number, PlaneExtent>();
  const poser = createPoser(loadFramingSkeleton(modelPath), flatHandMean);
  const excluded: number[] = [];
  return {
    add(p, frame = -1) {
      let e = perFrame.get(frame);
      if (!e) perFrame.set(frame, (e = emptyExtent()));
      const target = e;
      poser(p, (x, y, z, r) => addSphere(target, x, y, z, r));
    },
    camera(size) {
      const { union, outliers } = robustUnion(perFrame);
      excluded.splice(0, excluded.length, ...outliers);
      return cameraForExtent(union, size, FRAME_MARGIN);
    },
    excluded,
  };
}

/** The union of the frames' extents without the frames far outside the rest (pure). */
export function robustUnion(perFrame: ReadonlyMap<number, PlaneExtent>): { union: PlaneExtent; outliers: number[] } {
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
    union.minX = Math.min(union.minX, e.minX); union.maxX = Math.max(union.maxX, e.maxX);
    union.minY = Math.min(union.minY, e.minY); union.maxY = Math.max(union.maxY, e.maxY);
  }
  return { union, outliers: outliers.sort((a, b) => a - b) };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
