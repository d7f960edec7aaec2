/**
 * The stable camera of a sequence, pure math: one camera at the source
 * origin, framed so the silhouette of every frame's posed joint spheres fits.
 * Pixel convention is OpenCV's: integer (u, v) are pixel centres, so an
 * image of width W spans u in [-0.5, W - 0.5].
 */
import type { CameraIntrinsics } from '../types.js';

/** Horizontal/vertical extent of a sphere's silhouette on the normalised image plane (x/z, y/z). */
export interface PlaneExtent {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/**
 * Exact silhouette extent of a sphere seen from the origin along +z: the
 * planes through the camera's y axis (x = t·z) tangent to the sphere give
 * t = (X·Z ± r·√(X² + Z² − r²)) / (Z² − r²); the same for y.
 * Needs Z > r (sphere wholly in front of the camera).
 */
export function sphereExtent(x: number, y: number, z: number, r: number): PlaneExtent {
  const d = z * z - r * r;
  const sx = r * Math.sqrt(x * x + d);
  const sy = r * Math.sqrt(y * y + d);
  return {
    minX: (x * z - sx) / d,
    maxX: (x * z + sx) / d,
    minY: (y * z - sy) / d,
    maxY: (y * z + sy) / d,
  };
}

// Sphere must end this far in front of the camera; closer spheres are shrunk.
const MIN_DEPTH_RATIO = 0.9;
// Cap on f / size (about a 1° field of view): a zero-size target must not give an infinite focal.
const MAX_FOCAL_RATIO = 50;

/** An extent that contains nothing yet; grow it with addSphere. */
export const emptyExtent = (): PlaneExtent => ({ minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity });

/**
 * Grows `e` by one sphere's silhouette. Non-finite centres and centres at
 * z <= 0 are ignored; a sphere reaching behind the camera is shrunk to 0.9·z.
 */
export function addSphere(e: PlaneExtent, x: number, y: number, z: number, r: number): void {
  if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z) && z > 0)) return;
  const s = sphereExtent(x, y, z, Math.min(r, MIN_DEPTH_RATIO * z));
  if (s.minX < e.minX) e.minX = s.minX;
  if (s.maxX > e.maxX) e.maxX = s.maxX;
  if (s.minY < e.minY) e.minY = s.minY;
  if (s.maxY > e.maxY) e.maxY = s.maxY;
}

/**
 * The camera at the source origin whose square image holds `union` with
 * `margin`·size to spare, as large as possible (the limiting axis fills,
 * the other is centred). An empty union gives f = size, centred.
 */
export function cameraForExtent(union: PlaneExtent, size: number, margin = 0.05): CameraIntrinsics {
  if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`Expected positive integer size but received ${size}`);
  if (!(margin >= 0 && margin < 0.5)) throw new RangeError(`Expected margin in [0, 0.5) but received ${margin}`);
  const { minX, maxX, minY, maxY } = union;
  const centre = (size - 1) / 2;
  if (minX === Infinity) return { fx: size, fy: size, cx: centre, cy: centre, width: size, height: size };
  const span = Math.max(maxX - minX, maxY - minY);
  const usable = size * (1 - 2 * margin);
  const f = Math.min(usable / span, MAX_FOCAL_RATIO * size); // span 0 → Infinity → capped
  return {
    fx: f,
    fy: f,
    cx: centre - f * (minX + maxX) / 2,
    cy: centre - f * (minY + maxY) / 2,
    width: size,
    height: size,
  };
}
