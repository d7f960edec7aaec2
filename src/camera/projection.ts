/**
 * Camera intrinsics to pixels and to GL clip space, pure math. OpenCV
 * convention throughout: x right, y down, z forward; integer (u, v) are
 * pixel centres.
 */
import type { CameraIntrinsics } from '../types.js';

/**
 * Clip-space matrix (column-major, for uniformMatrix4fv) taking OpenCV
 * camera coordinates straight to clip space, so that the pixel whose centre
 * is (u, v) = (fx·X/Z + cx, fy·Y/Z + cy) — integer u, v at pixel centres,
 * top-left origin, rows read back top-down — is where the point lands.
 * Equivalent to flipping y and z into GL eye space and an off-axis frustum:
 *   x_clip = 2fx/W·X + (2(cx+½)/W − 1)·Z
 *   y_clip = −2fy/H·Y + (1 − 2(cy+½)/H)·Z
 *   z_clip = (f+n)/(f−n)·Z − 2fn/(f−n),  w_clip = Z
 */
export function projectionFromIntrinsics(cam: CameraIntrinsics, near: number, far: number, out = new Float32Array(16)): Float32Array {
  const { fx, fy, cx, cy, width: W, height: H } = cam;
  out.fill(0);
  out[0] = (2 * fx) / W;
  out[5] = (-2 * fy) / H;
  out[8] = (2 * (cx + 0.5)) / W - 1;
  out[9] = 1 - (2 * (cy + 0.5)) / H;
  out[10] = (far + near) / (far - near);
  out[11] = 1;
  out[14] = (-2 * far * near) / (far - near);
  return out;
}

/** Near/far planes hugging the meshes' depth range; geometry behind the camera is clipped. */
export function depthRange(minZ: number, maxZ: number): [number, number] {
  const pad = 0.01 * Math.max(maxZ - minZ, 0) + 1e-3;
  const near = Math.max(minZ - pad, 1e-3);
  const far = Math.max(maxZ + pad, near * 1.01 + 1e-3);
  return [near, far];
}

/**
 * Maps a camera given in source-image pixels (e.g. a person's `focal` and
 * `princpt`) to an output resolution, so a mesh drawn with the result lands
 * on the resized source frame. Scales about the image's outer edge
 * (u + 0.5 scales), which keeps the OpenCV pixel-centre convention.
 */
export function scaleIntrinsics(
  focal: readonly [number, number],
  princpt: readonly [number, number],
  source: { width: number; height: number },
  output: { width: number; height: number },
): CameraIntrinsics {
  const sx = output.width / source.width;
  const sy = output.height / source.height;
  return {
    fx: focal[0] * sx,
    fy: focal[1] * sy,
    cx: (princpt[0] + 0.5) * sx - 0.5,
    cy: (princpt[1] + 0.5) * sy - 0.5,
    width: output.width,
    height: output.height,
  };
}

