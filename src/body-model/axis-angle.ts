/**
 * Small rotation helpers for building poses: axis-angle ⇄ 3×3 matrix
 * (row-major Float64Array(9)). Axis-angle → matrix is the forward pass's own
 * Rodrigues (body-model/lbs.ts), so demo poses mean what the renderer draws.
 */
import { rodrigues } from './lbs.js';

export type Vec3 = [number, number, number];
export type Mat3 = Float64Array;

/** Rodrigues: axis-angle (3) → rotation matrix. */
export function aaToMat(v: ArrayLike<number>): Mat3 {
  const m = new Float64Array(9);
  rodrigues(v, 0, m, 0);
  return m;
}

export function matMul(a: Mat3, b: Mat3): Mat3 {
  const m = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
    m[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  }
  return m;
}

export function matVec(m: Mat3, v: ArrayLike<number>): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

/** Rotation matrix → axis-angle, via a quaternion so angles near π stay exact (root pose is ≈ π). */
export function matToAa(m: Mat3): Vec3 {
  const tr = m[0] + m[4] + m[8];
  let w: number, x: number, y: number, z: number;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    w = s / 4; x = (m[7] - m[5]) / s; y = (m[2] - m[6]) / s; z = (m[3] - m[1]) / s;
  } else if (m[0] > m[4] && m[0] > m[8]) {
    const s = Math.sqrt(1 + m[0] - m[4] - m[8]) * 2;
    w = (m[7] - m[5]) / s; x = s / 4; y = (m[1] + m[3]) / s; z = (m[2] + m[6]) / s;
  } else if (m[4] > m[8]) {
    const s = Math.sqrt(1 + m[4] - m[0] - m[8]) * 2;
    w = (m[2] - m[6]) / s; x = (m[1] + m[3]) / s; y = s / 4; z = (m[5] + m[7]) / s;
  } else {
    const s = Math.sqrt(1 + m[8] - m[0] - m[4]) * 2;
    w = (m[3] - m[1]) / s; x = (m[2] + m[6]) / s; y = (m[5] + m[7]) / s; z = s / 4;
  }
  if (w < 0) { w = -w; x = -x; y = -y; z = -z; } // angle in [0, π]
  const n = Math.hypot(x, y, z);
  if (n < 1e-12) return [0, 0, 0];
  const angle = 2 * Math.atan2(n, w);
  return [(x / n) * angle, (y / n) * angle, (z / n) * angle];
}

/** Axis-angle of R(a1)·R(a2)·…: the first factor is applied last. */
export function composeAa(...aas: ArrayLike<number>[]): Vec3 {
  let m = aaToMat([0, 0, 0]);
  for (const a of aas) m = matMul(m, aaToMat(a));
  return matToAa(m);
}

/** Axis-angle of a rotation by `angle` about a (not necessarily unit) axis. */
export function aboutAxis(axis: Vec3, angle: number): Vec3 {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  return [(axis[0] / n) * angle, (axis[1] / n) * angle, (axis[2] / n) * angle];
}

/** Reflects a local rotation across the body's sagittal plane (x → −x): left ⇄ right. */
export function mirrorAa(a: ArrayLike<number>): Vec3 {
  return [a[0], -a[1], -a[2]];
}
