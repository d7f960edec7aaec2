/**
 * Framing of the turned views (--views side, top): the scan's posed joint
 * spheres are kept (the pivot, the sequence's centre, is known only once
 * every frame is seen), then each view turns them about the pivot and frames
 * its own stable camera from them exactly as the front camera is framed:
 * same margin, same robust union (wild frames left out), same --framing
 * region. Pure apart from the growing sphere store.
 */
import type { CameraIntrinsics } from '../types.js';
import { addSphere, cameraForExtent, emptyExtent, type PlaneExtent } from './sequence-camera.js';
import { applyPose, viewPose, viewRotation, type ViewName, type ViewPose } from './view-rotation.js';
import { median, robustUnion } from './robust-union.js';

/** One view of --views: its camera and the rigid move of the scene into it. */
export interface ViewCamera {
  name: ViewName;
  camera: CameraIntrinsics;
  pose: ViewPose;
  /** The point turned about (camera space, metres) and the view camera's distance from it. */
  pivot: [number, number, number];
  distance: number;
}

/**
 * A turned sphere must end at least this share of the camera's distance in
 * front of it: the view camera then backs off from a body that would come
 * too close (a top view of a tall body near the camera), instead of cutting it.
 */
const CLEARANCE = 0.25;
/** Pivot depth below this (a body at or behind the source camera): the view camera stands this far off. */
const MIN_DISTANCE = 0.5;

const FIELDS = 6; // frame, x, y, z, r, flags
const REGION = 1;
const ROOT = 2;

/** The posed spheres of every frame, kept for the turned views. */
export class SphereStore {
  private data = new Float64Array(FIELDS * 4096);
  private n = 0;

  get count(): number { return this.n; }

  /** `region`: the sphere counts for the --framing region; `root`: a root joint (the pelvis), for the pivot. */
  push(frame: number, x: number, y: number, z: number, r: number, region: boolean, root: boolean): void {
    if ((this.n + 1) * FIELDS > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set([frame, x, y, z, r, (region ? REGION : 0) | (root ? ROOT : 0)], this.n * FIELDS);
    this.n++;
  }

  forEach(f: (frame: number, x: number, y: number, z: number, r: number, region: boolean, root: boolean) => void): void {
    const d = this.data;
    for (let o = 0; o < this.n * FIELDS; o += FIELDS) f(d[o], d[o + 1], d[o + 2], d[o + 3], d[o + 4], (d[o + 5] & REGION) !== 0, (d[o + 5] & ROOT) !== 0);
  }
}

/**
 * The sequence's centre: the per-axis median of the root joints (the
 * pelvis of every usable person of every frame not in `skip`, the frames the
 * front view finds wild). No finite root: in front of the camera, 1 m out.
 */
export function sequencePivot(store: SphereStore, skip: ReadonlySet<number> = new Set()): [number, number, number] {
  const xs: number[] = [], ys: number[] = [], zs: number[] = [];
  store.forEach((frame, x, y, z, _r, _region, root) => {
    if (root && !skip.has(frame) && Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z)) { xs.push(x); ys.push(y); zs.push(z); }
  });
  return xs.length === 0 ? [0, 0, 1] : [median(xs), median(ys), median(zs)];
}

/**
 * The camera distance of a turned view: the source camera's distance from
 * the pivot (the view is the source camera walked round the body), further
 * back when a sphere of a frame not in `skip` would come closer than CLEARANCE.
 */
export function viewDistance(store: SphereStore, name: ViewName, pivot: readonly [number, number, number], skip: ReadonlySet<number>): number {
  const R = viewRotation(name);
  let d = Math.max(pivot[2], MIN_DISTANCE);
  store.forEach((frame, x, y, z, r) => {
    if (skip.has(frame)) return;
    const zRel = R[6] * (x - pivot[0]) + R[7] * (y - pivot[1]) + R[8] * (z - pivot[2]);
    const need = (r - zRel) / (1 - CLEARANCE);
    if (need > d) d = need;
  });
  return d;
}

/**
 * A turned view's camera (pure given the store): the spheres moved by the
 * view's pose grow per-frame extents, whose robust union the camera holds.
 * Returns the frames this view left out as wild.
 */
export function turnedViewCamera(
  store: SphereStore, name: ViewName, pivot: [number, number, number], size: number, margin: number, skip: ReadonlySet<number>,
): { view: ViewCamera; outliers: number[] } {
  const distance = viewDistance(store, name, pivot, skip);
  const pose = viewPose(name, pivot, distance);
  const whole = new Map<number, PlaneExtent>();
  const region = new Map<number, PlaneExtent>();
  const extentOf = (m: Map<number, PlaneExtent>, frame: number) => m.get(frame) ?? m.set(frame, emptyExtent()).get(frame)!;
  store.forEach((frame, x, y, z, r, inRegion) => {
    const [px, py, pz] = applyPose(pose, x, y, z);
    addSphere(extentOf(whole, frame), px, py, pz, r);
    const e = extentOf(region, frame); // every frame has a region extent, empty when none of its joints count
    if (inRegion) addSphere(e, px, py, pz, r);
  });
  const { union, outliers } = robustUnion(whole, region);
  return { view: { name, camera: cameraForExtent(union, size, margin), pose, pivot, distance }, outliers };
}
