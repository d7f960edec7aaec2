/**
 * Frames the stable sequence camera during the scan: every usable person's
 * posed joint spheres (framing-skeleton.ts) grow their frame's silhouette
 * extent; once the scan is done the camera holds the union of the frames'
 * extents, except frames that lie far outside the rest (robust framing: one
 * wild frame must not shrink every other frame to nothing). Those are named
 * so the report can warn about them.
 *
 * --framing picks which joints' spheres the camera holds: the whole body, the
 * upper body (legs below the hips may be cut) or both hands over the sequence.
 * Which frames are wild is still judged on the whole body.
 *
 * --views side/top: the spheres are also kept, and each turned view frames
 * its own camera from them once the scan is done (view-framing.ts).
 */
import type { CameraIntrinsics, PersonParams } from '../types.js';
import { createPoser, loadFramingSkeleton } from '../body-model/framing-skeleton.js';
import { addSphere, cameraForExtent, emptyExtent, type PlaneExtent } from './sequence-camera.js';
import { robustUnion } from './robust-union.js';
import { configError } from '../errors.js';
import { SphereStore, sequencePivot, turnedViewCamera, type ViewCamera } from './view-framing.js';
import { isFrontOnly, viewPose, type ViewName } from './view-rotation.js';

export type FramingMode = 'full' | 'upper' | 'hands';

/** Share of the image kept free around the sequence's bounds. */
export const FRAME_MARGIN = 0.04;

export interface SequenceFraming {
  /** Sees each usable person once (with its frame number); parameters are not kept. */
  add(p: PersonParams, frame?: number): void;
  camera(size: number): CameraIntrinsics;
  /** The camera of each view asked for, in order (the front one is camera(size), unmoved). */
  viewCameras(size: number): ViewCamera[];
  /** Frames left out of the framing (they may be cut off), known after camera(). */
  readonly excluded: number[];
}

export function createSequenceFraming(modelPath: string, flatHandMean: boolean, mode: FramingMode = 'full', views: readonly ViewName[] = ['front']): SequenceFraming {
  const perFrame = new Map<number, PlaneExtent>();
  const skel = loadFramingSkeleton(modelPath);
  const poser = createPoser(skel, flatHandMean);
  const framed = mode === 'full' ? null : framingJoints(skel.parents, mode);
  if (framed && !framed.includes(1)) throw configError(`${modelPath}: its kinematic tree has no hand (finger) joints to frame with --framing ${mode}`);
  const perRegion = framed ? new Map<number, PlaneExtent>() : perFrame;
  const excluded: number[] = [];
  // Only turned views need the spheres kept (memory: 6 numbers per joint and person and frame).
  const store = isFrontOnly(views) ? null : new SphereStore();
  const extentOf = (m: Map<number, PlaneExtent>, frame: number) => m.get(frame) ?? m.set(frame, emptyExtent()).get(frame)!;
  const camera = (size: number): CameraIntrinsics => {
    const { union, outliers } = robustUnion(perFrame, perRegion);
    excluded.splice(0, excluded.length, ...outliers);
    return cameraForExtent(union, size, FRAME_MARGIN);
  };
  return {
    add(p, frame = -1) {
      const whole = extentOf(perFrame, frame);
      const region = extentOf(perRegion, frame);
      poser(p, (x, y, z, r, j) => {
        addSphere(whole, x, y, z, r);
        if (framed?.[j]) addSphere(region, x, y, z, r);
        store?.push(frame, x, y, z, r, !framed || framed[j] === 1, skel.parents[j] < 0);
      });
    },
    camera,
    viewCameras(size) {
      const front = camera(size);
      const frontOut = new Set(excluded);
      // The pivot and the distances ignore the frames the front view finds wild; each view then judges its own.
      const pivot = store ? sequencePivot(store, frontOut) : [0, 0, 0] as [number, number, number];
      const left = new Set<number>(views.includes('front') ? frontOut : []);
      const out = views.map((name): ViewCamera => {
        if (name === 'front') return { name, camera: front, pose: viewPose('front', pivot, pivot[2]), pivot, distance: pivot[2] };
        const t = turnedViewCamera(store!, name, pivot, size, FRAME_MARGIN, frontOut);
        for (const f of t.outliers) left.add(f);
        return t.view;
      });
      excluded.splice(0, excluded.length, ...[...left].sort((a, b) => a - b));
      return out;
    },
    excluded,
  };
}

/**
 * Which joints frame the camera (1) in `mode`, from the kinematic tree alone (pure).
 * upper: all but the legs below the hips. The root's children are the hips
 * and the spine (SMPL-X: 1 left_hip, 2 right_hip, 3 spine1); the spine is the
 * one with the largest subtree (it carries the arms and head), the others are
 * hips, and their descendants (knees, ankles, feet) are left out.
 * hands: the wrists and their descendants; a wrist is a joint with four or
 * more children that each start an unbranched chain (the fingers; SMPL-X:
 * 20/21 and 25–54). No such joint: all zeros.
 */
export function framingJoints(parents: ArrayLike<number>, mode: 'upper' | 'hands'): Uint8Array {
  const J = parents.length;
  const children: number[][] = Array.from({ length: J }, () => []);
  for (let j = 0; j < J; j++) if (parents[j] >= 0) children[parents[j]].push(j);
  const subtree = (j: number) => { const s = [j]; for (let i = 0; i < s.length; i++) s.push(...children[s[i]]); return s; };
  const mark = (out: Uint8Array, j: number, v: number) => { for (const k of subtree(j)) out[k] = v; };
  const out = new Uint8Array(J);
  if (mode === 'upper') {
    out.fill(1);
    for (let root = 0; root < J; root++) {
      if (parents[root] >= 0 || children[root].length < 2) continue;
      const spine = children[root].reduce((a, b) => (subtree(b).length > subtree(a).length ? b : a));
      for (const hip of children[root]) if (hip !== spine) for (const c of children[hip]) mark(out, c, 0);
    }
    return out;
  }
  const chain = (j: number): boolean => children[j].length === 0 || (children[j].length === 1 && chain(children[j][0]));
  for (let j = 0; j < J; j++) if (children[j].length >= 4 && children[j].every(chain)) mark(out, j, 1);
  return out;
}
