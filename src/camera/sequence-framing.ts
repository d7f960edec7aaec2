/**
 * Frames the stable sequence camera during the scan: every usable person's
 * posed joint spheres (framing-skeleton.ts) grow one silhouette extent; the
 * camera is made from it once the scan is done.
 */
import type { CameraIntrinsics, PersonParams } from '../types.js';
import { createPoser, loadFramingSkeleton } from '../body-model/framing-skeleton.js';
import { addSphere, cameraForExtent, emptyExtent } from './sequence-camera.js';

/** Share of the image kept free around the sequence's bounds. */
export const FRAME_MARGIN = 0.04;

export interface SequenceFraming {
  /** Sees each usable person once; parameters are not kept. */
  add(p: PersonParams): void;
  camera(size: number): CameraIntrinsics;
}

export function createSequenceFraming(modelPath: string, flatHandMean: boolean): SequenceFraming {
  const extent = emptyExtent();
  const poser = createPoser(loadFramingSkeleton(modelPath), flatHandMean);
  const grow = (x: number, y: number, z: number, r: number) => addSphere(extent, x, y, z, r);
  return {
    add: (p) => poser(p, grow),
    camera: (size) => cameraForExtent(extent, size, FRAME_MARGIN),
  };
}
