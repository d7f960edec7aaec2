/**
 * Messages between the main process and render workers. Control messages go
 * over Node's IPC channel; pixels go over a dedicated pipe (fd 4) as
 * [u32 frame][u32 byteLength][bytes], which costs about a third of IPC serialisation.
 */
import type { CameraIntrinsics, PersonParams, RendererInfo, RGB } from '../types.js';
import type { DevicePlan } from '../render/device/select-device.js';
import type { PersonSelector } from '../scan/read-frame.js';
import type { MeshFormat } from '../output/mesh-export.js';
import type { ViewCamera } from '../camera/view-framing.js';

export interface WorkerConfig {
  modelPath: string;
  width: number;
  height: number;
  /** Resolved once in the main process; applied before GL loads. */
  devicePlan: DevicePlan;
  flatHandMean: boolean;
  person: PersonSelector;
  pngLevel: number;
  exportFormat: MeshFormat | null;
  background: RGB;
  /** Shape / expression components to keep (the sequence's longest betas / expr). */
  maxShapeDirs: number;
  maxExprDirs: number;
  /** Mesh colours by person index; person i uses colors[i % length]. */
  colors: RGB[];
}

/**
 * How a frame is seen. 'sequence': the stable camera of the whole sequence,
 * opaque background (mesh and side-by-side layouts). 'source': each person's
 * own camera in source pixels, scaled to the output, drawn on a transparent
 * background for compositing over the video (overlay layout); the renderer
 * computes the cameras in prepare(), where the persons are read.
 * 'views' (--views other than the default front): several stable cameras,
 * each seeing the scene turned about the sequence's centre; the image is
 * their panels side by side, left to right, opaque background. The default
 * front-only run stays 'sequence' (same pixels, same resume fingerprint).
 */
export type FrameView =
  | { kind: 'sequence'; camera: CameraIntrinsics }
  | { kind: 'views'; views: ViewCamera[] }
  | { kind: 'source'; sourceWidth: number; sourceHeight: number; outWidth: number; outHeight: number };

export interface FrameJob {
  frame: number;
  /** The frame's file; null for a frame drawn only from `persons` (an interpolated frame without a file). */
  path: string | null;
  /**
   * When set, the people to draw, used instead of reading `path`: parameters
   * the temporal stage made (interpolated, smoothed, outliers removed).
   */
  persons?: PersonParams[];
  view: FrameView;
  pngPath: string | null;
  exportPath: string | null;
  wantPixels: boolean;
}

/** What the writer gets back for one frame, from the in-process renderer or a worker. */
export interface FrameResult {
  times: StageTimes | null;
  /** The frame's RGBA when the job asked for pixels; give it back with `release`. */
  pixels: Buffer | null;
  release: () => void;
  /** Set when the frame could not be rendered. */
  failure: { check: string; detail: string; /** errno of a failed output write (check 'output_write'). */ code?: string } | null;
  /** Something the report should say about how the frame was drawn (e.g. a default camera), else null. */
  note?: string | null;
}

/** Milliseconds spent per stage for one frame. */
export interface StageTimes {
  read: number;
  mesh: number;
  draw: number;
  readback: number;
  png: number;
  export: number;
}

export type ToWorker =
  | { type: 'init'; config: WorkerConfig }
  | { type: 'job'; job: FrameJob }
  | { type: 'exit' };

export type FromWorker =
  | { type: 'ready'; info: RendererInfo; evidence: unknown; vertices: number; faces: number }
  | { type: 'done'; frame: number; times: StageTimes; pixels: boolean; note: string | null }
  | { type: 'frame-failed'; frame: number; check: string; detail: string; code?: string }
  | { type: 'fatal'; code: string; message: string };

export const PIXEL_FD = 4;
export const PIXEL_HEADER_BYTES = 8;
