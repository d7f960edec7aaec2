/**
 * Parameters of a frame inside a gap, between the renderable frames a and b
 * around it: every joint rotation by quaternion slerp (shortest arc), the
 * vectors (betas, expression, cam_trans, focal, principal point, box)
 * linearly. Weight w is b's share: w = 0 gives a exactly, w = 1 gives b
 * exactly, so the gap's ends meet their neighbours without a round trip
 * through quaternions.
 */
import type { PersonParams } from '../types.js';
import { aaToQuat, quatToAa, slerp } from './quaternion.js';

const qa = new Float64Array(4);
const qb = new Float64Array(4);
const qt = new Float64Array(4);

/**
 * Per-joint slerp of two axis-angle poses.
 * @param a,b (J*3) axis-angle
 * @returns   (J*3) axis-angle, angles in [0, π]
 */
export function slerpPose(a: Float64Array, b: Float64Array, w: number): Float64Array {
  if (a.length !== b.length) throw new RangeError(`slerpPose: poses of ${a.length} and ${b.length} values`);
  if (w <= 0) return Float64Array.from(a);
  if (w >= 1) return Float64Array.from(b);
  const out = new Float64Array(a.length);
  for (let j = 0; j < a.length; j += 3) {
    aaToQuat(a, j, qa, 0);
    aaToQuat(b, j, qb, 0);
    slerp(qa, 0, qb, 0, w, qt, 0);
    quatToAa(qt, 0, out, j);
  }
  return out;
}

/**
 * (1 − w)·a + w·b, written so w = 0 and w = 1 reproduce a and b bit for bit.
 * Shorter vectors count as zero-padded: absent betas / expression
 * coefficients are zero in SMPL-X.
 */
export function lerpVector(a: ArrayLike<number>, b: ArrayLike<number>, w: number): Float64Array {
  const n = Math.max(a.length, b.length);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = (1 - w) * (k < a.length ? a[k] : 0) + w * (k < b.length ? b[k] : 0);
  return out;
}

/** Optional tuples: blended when both sides have them, else the side that has one (or neither). */
function lerpOptional<T extends number[]>(a: T | undefined, b: T | undefined, w: number): T | undefined {
  if (a && b) return Array.from(lerpVector(a, b, w)) as T;
  const one = a ?? b;
  return one ? ([...one] as T) : undefined;
}

/**
 * One person's parameters at weight w between two source frames.
 * @param w b's share, 0..1: (f − a) / (b − a) for frame f of the gap
 */
export function interpolateParams(a: PersonParams, b: PersonParams, w: number): PersonParams {
  const out: PersonParams = {
    personId: a.personId,
    rootPose: slerpPose(a.rootPose, b.rootPose, w),
    bodyPose: slerpPose(a.bodyPose, b.bodyPose, w),
    lhandPose: slerpPose(a.lhandPose, b.lhandPose, w),
    rhandPose: slerpPose(a.rhandPose, b.rhandPose, w),
    jawPose: slerpPose(a.jawPose, b.jawPose, w),
    betas: lerpVector(a.betas, b.betas, w),
    expr: lerpVector(a.expr, b.expr, w),
    camTrans: lerpVector(a.camTrans, b.camTrans, w),
  };
  const focal = lerpOptional(a.focal, b.focal, w);
  const princpt = lerpOptional(a.princpt, b.princpt, w);
  const bbox = lerpOptional(a.bboxXywh, b.bboxXywh, w);
  if (focal) out.focal = focal;
  if (princpt) out.princpt = princpt;
  if (bbox) out.bboxXywh = bbox;
  return out;
}
