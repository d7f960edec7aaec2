/**
 * Unit quaternions for rotation tracks, stored (w, x, y, z) in flat
 * Float64Arrays at an offset, as lbs.ts stores matrices. q and −q are the
 * same rotation: every function that compares or blends two quaternions
 * picks the sign that makes them closest (continuity), so a track through
 * 180° or a sign flip between frames never takes the long way round.
 */

/**
 * Axis-angle → unit quaternion, q = (cos θ/2, sin(θ/2)·v/θ), θ = |v|.
 * Near θ = 0, sin(θ/2)/θ comes from its Taylor series (no 0/0).
 * @param aa  axis-angle at aa[at..at+2]
 * @param out quaternion at out[to..to+3]
 */
export function aaToQuat(aa: ArrayLike<number>, at: number, out: Float64Array, to: number): void {
  const x = aa[at], y = aa[at + 1], z = aa[at + 2];
  const t2 = x * x + y * y + z * z;
  let s: number, w: number;
  if (t2 < 1e-8) {
    s = 0.5 - t2 / 48 + (t2 * t2) / 3840;
    w = 1 - t2 / 8 + (t2 * t2) / 384;
  } else {
    const t = Math.sqrt(t2);
    s = Math.sin(t / 2) / t;
    w = Math.cos(t / 2);
  }
  out[to] = w;
  out[to + 1] = s * x;
  out[to + 2] = s * y;
  out[to + 3] = s * z;
}

/**
 * Unit quaternion → axis-angle with the angle in [0, π] (the sign of q is
 * chosen so w ≥ 0). Near the identity the factor angle/|xyz| tends to 2/w.
 * @param q   quaternion at q[at..at+3], need not be exactly unit
 * @param out axis-angle at out[to..to+2]
 */
export function quatToAa(q: ArrayLike<number>, at: number, out: Float64Array | number[], to: number): void {
  let w = q[at], x = q[at + 1], y = q[at + 2], z = q[at + 3];
  if (w < 0) { w = -w; x = -x; y = -y; z = -z; }
  const n = Math.sqrt(x * x + y * y + z * z);
  const f = n < 1e-10 ? 2 / Math.max(w, 1e-300) : (2 * Math.atan2(n, w)) / n;
  out[to] = f * x;
  out[to + 1] = f * y;
  out[to + 2] = f * z;
}

/** 4-D dot product of two quaternions. */
export function quatDot(a: ArrayLike<number>, at: number, b: ArrayLike<number>, bt: number): number {
  return a[at] * b[bt] + a[at + 1] * b[bt + 1] + a[at + 2] * b[bt + 2] + a[at + 3] * b[bt + 3];
}

/**
 * Quaternion product p·q (w, x, y, z), or conj(p)·q with `conjugateP` (the
 * rotation from p to q in p's frame, for unit p).
 * @param out quaternion at out[to..to+3]; may alias neither input
 */
export function quatMul(p: ArrayLike<number>, pt: number, q: ArrayLike<number>, qt: number, out: Float64Array, to: number, conjugateP = false): void {
  const s = conjugateP ? -1 : 1;
  const pw = p[pt], px = s * p[pt + 1], py = s * p[pt + 2], pz = s * p[pt + 3];
  const qw = q[qt], qx = q[qt + 1], qy = q[qt + 2], qz = q[qt + 3];
  out[to] = pw * qw - px * qx - py * qy - pz * qz;
  out[to + 1] = pw * qx + px * qw + py * qz - pz * qy;
  out[to + 2] = pw * qy - px * qz + py * qw + pz * qx;
  out[to + 3] = pw * qz + px * qy - py * qx + pz * qw;
}

/** Geodesic angle (radians, 0..π) between the rotations of two unit quaternions, sign-independent. */
export function quatAngle(a: ArrayLike<number>, at: number, b: ArrayLike<number>, bt: number): number {
  const d = Math.min(1, Math.abs(quatDot(a, at, b, bt)));
  return 2 * Math.acos(d);
}

/** Scales the quaternion at q[at..at+3] to unit length, in place (identity if it is ~0). */
export function normalizeQuat(q: Float64Array, at: number): void {
  const n = Math.hypot(q[at], q[at + 1], q[at + 2], q[at + 3]);
  if (n < 1e-300) { q[at] = 1; q[at + 1] = q[at + 2] = q[at + 3] = 0; return; }
  q[at] /= n; q[at + 1] /= n; q[at + 2] /= n; q[at + 3] /= n;
}

/**
 * Continuity along a track: flips the sign of each quaternion whose dot
 * with the previous one is negative, so consecutive samples are the
 * nearest representatives of their rotations.
 * @param track (N*stride) quaternions at k*stride + offset, in place
 */
export function makeContinuous(track: Float64Array, count: number, stride = 4, offset = 0): void {
  for (let k = 1; k < count; k++) {
    const c = k * stride + offset;
    if (quatDot(track, c, track, c - stride) < 0) {
      track[c] = -track[c]; track[c + 1] = -track[c + 1]; track[c + 2] = -track[c + 2]; track[c + 3] = -track[c + 3];
    }
  }
}

/**
 * Spherical linear interpolation along the shortest arc: t = 0 gives a,
 * t = 1 gives b (or −b, the same rotation). Antipodal inputs (b = −a) are
 * the same rotation and give it for every t. The angle comes from
 * 2·atan2(|a − b|, |a + b|), exact at every size (acos of the dot loses half
 * the digits near 0), so nearly equal inputs need no normalised-lerp branch
 * and a Bézier of slerps (interpolate-gap.ts) stays on the great arc.
 * @param out quaternion at out[to..to+3]; may alias neither input
 */
export function slerp(
  a: ArrayLike<number>, at: number, b: ArrayLike<number>, bt: number, t: number, out: Float64Array, to: number,
): void {
  const sign = quatDot(a, at, b, bt) < 0 ? -1 : 1;
  let dm = 0, dp = 0;
  for (let k = 0; k < 4; k++) { dm += (a[at + k] - sign * b[bt + k]) ** 2; dp += (a[at + k] + sign * b[bt + k]) ** 2; }
  // Half the 4-D angle between a and ±b is the rotation's half-angle difference.
  const theta = 2 * Math.atan2(Math.sqrt(dm), Math.sqrt(dp));
  let wa: number, wb: number;
  if (theta < 1e-9) {
    wa = 1 - t;
    wb = t;
  } else {
    const s = Math.sin(theta);
    wa = Math.sin((1 - t) * theta) / s;
    wb = Math.sin(t * theta) / s;
  }
  wb *= sign;
  for (let k = 0; k < 4; k++) out[to + k] = wa * a[at + k] + wb * b[bt + k];
  normalizeQuat(out, to);
}
