/** Camera helpers for tests, written from the pinhole formula, not from the tool's code. */
import type { CameraIntrinsics } from '../../src/types.js';
import { addSphere, cameraForExtent, emptyExtent } from '../../src/camera/sequence-camera.js';

/** u = fx·X/Z + cx, v = fy·Y/Z + cy (OpenCV pixel centres). */
export function project(cam: CameraIntrinsics, x: number, y: number, z: number): [number, number] {
  return [(cam.fx * x) / z + cam.cx, (cam.fy * y) / z + cam.cy];
}

/** The sequence camera framing spheres of radius r at the given centres (how the tool frames a sequence). */
export function frameSpheres(centres: ArrayLike<number>[], r: number, size: number, margin = 0.05): CameraIntrinsics {
  if (!(r >= 0 && Number.isFinite(r))) throw new RangeError(`Expected finite radius >= 0 but received ${r}`);
  const e = emptyExtent();
  for (const c of centres) addSphere(e, c[0], c[1], c[2], r);
  return cameraForExtent(e, size, margin);
}
