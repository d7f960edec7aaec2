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
 * square mesh view (`meshSize`) on the right; with --views, `views` square
 * views in a row (meshSize·views wide).
 */
export function sideBySideSize(source: Size, meshSize: number, views = 1): { left: Size; mesh: Size; out: Size } {
  const left = { width: even((source.width * meshSize) / source.height), height: meshSize };
  const mesh = viewsStripSize(meshSize, views);
  return { left, mesh, out: { width: left.width + mesh.width, height: meshSize } };
}

/** --views: `views` square views of `size` px, left to right. */
export const viewsStripSize = (size: number, views: number): Size => ({ width: size * views, height: size });
