/**
 * Messages between the main process and render workers. Control messages go
 * over Node's IPC channel; pixels go over a dedicated pipe (fd 4) as
 * [u32 frame][u32 byteLength][bytes], which costs about a third of IPC serialisation.
 */
import type { CameraIntrinsics, DeviceRequest, RendererInfo, RGB } from '../types.js';
import type { PersonSelector } from '../scan/read-frame.js';
import type { MeshFormat } from '../encode/mesh-export.js';

export interface WorkerConfig {
  modelPath: string;
  width: number;
  height: number;
  device: DeviceRequest;
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

export interface FrameJob {
  frame: number;
  path: string;
  /** The stable sequence camera (mesh layout) or this frame's own camera (overlay). */
  camera: CameraIntrinsics;
  pngPath: string | null;
  exportPath: string | null;
  wantPixels: boolean;
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
  | { type: 'done'; frame: number; times: StageTimes; pixels: boolean }
  | { type: 'frame-failed'; frame: number; check: string; detail: string }
  | { type: 'fatal'; code: string; message: string };

export const PIXEL_FD = 4;
export const PIXEL_HEADER_BYTES = 8;
