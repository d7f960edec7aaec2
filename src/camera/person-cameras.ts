/**
 * Cameras of the overlay layout, pure math. Each person's mesh was
 * regressed for its own camera (`focal`, `princpt` in source pixels); the
 * overlay draws every person of a frame in ONE depth-tested draw, so each
 * person's vertices are moved into one common camera such that every point
 * lands on the same pixel as under its own camera, at the same depth.
 */
import type { CameraIntrinsics, PersonParams } from '../types.js';
import { scaleIntrinsics } from './projection.js';
import { cameraForBox, processBox, OSX_CAMERA } from './osx-camera.js';

export interface SourceView {
  /** Size of the image the intrinsics are in (the NPZ's image_size, else the video's). */
  sourceWidth: number;
  sourceHeight: number;
  /** Size of the drawn image. */
  outWidth: number;
  outHeight: number;
}

/** OSX's crop aspect (input_body_shape w/h, 192/256). */
const OSX_ASPECT = OSX_CAMERA.bodyShape[1] / OSX_CAMERA.bodyShape[0];

/**
 * A person's camera at the output resolution. Without `focal`/`princpt` the
 * default is OSX's virtual camera (focal 5000 on the 256×192 body input)
 * mapped onto the person's `bbox_xywh` as OSX's demo does, or, without a box
 * either, onto the whole frame processed as an OSX crop (what `--video`
 * without a detector writes). `note` says which default was used.
 */
export function personCamera(p: PersonParams, view: SourceView): { camera: CameraIntrinsics; note: string | null } {
  const source = { width: view.sourceWidth, height: view.sourceHeight };
  const output = { width: view.outWidth, height: view.outHeight };
  if (p.focal && p.princpt) return { camera: scaleIntrinsics(p.focal, p.princpt, source, output), note: null };
  const b = p.bboxXywh;
  const box = b ? { x: b[0], y: b[1], w: b[2], h: b[3] } : processBox({ x: 0, y: 0, w: source.width, h: source.height }, source.width, source.height, OSX_ASPECT);
  const cam = cameraForBox(box!, OSX_CAMERA);
  const what = [!p.focal && 'focal', !p.princpt && 'princpt'].filter(Boolean).join('/');
  const note = `person ${p.personId}: no ${what}; OSX virtual camera on its ${b ? 'bbox_xywh' : 'whole frame'}`;
  return { camera: scaleIntrinsics(cam.focal, cam.princpt, source, output), note };
}

/**
 * Moves camera-space vertices (x, y, z triples, in place) from camera `own`
 * to camera `common` without changing where they project or their depth:
 *   u = fx·X/Z + cx = f'x·X'/Z + c'x  ⇒  X' = (fx·X + (cx − c'x)·Z) / f'x,
 * the same for Y, Z' = Z. Linear, so triangles stay flat and depth order holds.
 */
export function toCommonCamera(vertices: Float32Array, own: CameraIntrinsics, common: CameraIntrinsics): void {
  const ax = own.fx / common.fx, bx = (own.cx - common.cx) / common.fx;
  const ay = own.fy / common.fy, by = (own.cy - common.cy) / common.fy;
  if (ax === 1 && bx === 0 && ay === 1 && by === 0) return;
  for (let i = 0; i < vertices.length; i += 3) {
    const z = vertices[i + 2];
    vertices[i] = ax * vertices[i] + bx * z;
    vertices[i + 1] = ay * vertices[i + 1] + by * z;
  }
}
