/**
 * Types shared along the data path: scan → plan → compute mesh → render →
 * encode → report. Each stage's own details stay in its folder.
 */

/** What a frame's file itself says. */
export type DataCheck = 'ok' | 'no_person' | 'missing_key' | 'corrupt' | 'invalid_value' | 'missing_file';
/** Classification of one frame: its data, or 'outlier' (readable, rejected by --reject_outliers: src/temporal/detect-outliers.ts). */
export type FrameCheck = DataCheck | 'outlier';

/** SMPL-X parameters of one detected person, as in the OSX/AiOS NPZ contract (docs/npz-format.md). */
export interface PersonParams {
  personId: number;
  rootPose: Float64Array;   // (3) axis-angle, OpenCV camera frame
  bodyPose: Float64Array;   // (63) 21 joints
  lhandPose: Float64Array;  // (45) 15 joints, full axis-angle (not PCA)
  rhandPose: Float64Array;  // (45)
  jawPose: Float64Array;    // (3)
  betas: Float64Array;      // (n) usually 10
  expr: Float64Array;       // (m) usually 10
  camTrans: Float64Array;   // (3) metres, camera space
  focal?: [number, number];     // fx, fy in source pixels
  princpt?: [number, number];   // cx, cy in source pixels
  bboxXywh?: [number, number, number, number];
}

/** Pinhole camera in OpenCV convention: at the origin, x right, y down, looking along +z; pixels. */
export interface CameraIntrinsics {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  width: number;
  height: number;
}

export type RGB = [number, number, number];

/** An image size in pixels. */
export interface Size {
  width: number;
  height: number;
}

/** One posed mesh to draw, vertices in OpenCV camera space (metres), 3 floats per vertex. */
export interface MeshDraw {
  vertices: Float32Array;
  color: RGB; // 0..1
}

/** What an output frame shows: the mesh alone, over the source video, or beside it. */
export type Layout = 'mesh' | 'overlay' | 'side-by-side';

/** GL backend: EGL (no X server), headless-gl on GLX (Xvfb), or EGL with GLX as the fallback. */
export type GlBackendRequest = 'auto' | 'egl' | 'glx';

export type DeviceRequest = 'auto' | 'cpu' | 'cuda';

export interface RendererInfo {
  device: 'cpu' | 'cuda';
  glVendor: string;
  glRenderer: string;
  glVersion: string;
}
