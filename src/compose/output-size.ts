/** Output sizes of the video layouts. yuv420p needs even sizes, so scaled sizes are even. */
import type { Size } from '../types.js';

export type { Size } from '../types.js';

/** Nearest even integer ≥ 2. */
export const even = (v: number): number => Math.max(2, 2 * Math.round(v / 2));

/**
 * Overlay: the source resolution, or, when a height is asked for, that
 * height (made even) with the width keeping the source's aspect (even).
 */
export function overlaySize(source: Size, height: number | null): Size {
  if (height === null) return { width: source.width, height: source.height };
  const h = even(height);
  return { width: even((source.width * h) / source.height), height: h };
}

/**
 * Side by side: the source scaled to the mesh view's height on the left, the
 * square mesh view (`meshSize`) on the right.
 */
export function sideBySideSize(source: Size, meshSize: number): { left: Size; mesh: Size; out: Size } {
  const left = { width: even((source.width * meshSize) / source.height), height: meshSize };
  return { left, mesh: { width: meshSize, height: meshSize }, out: { width: left.width + meshSize, height: meshSize } };
}
