import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rodrigues } from '../../src/body-model/lbs.js';
import { aaToQuat, makeContinuous, quatAngle, quatToAa, slerp } from '../../src/temporal/quaternion.js';

const C45 = Math.SQRT1_2;
const deg = (d: number) => (d * Math.PI) / 180;
const quat = (aa: number[]) => { const q = new Float64Array(4); aaToQuat(aa, 0, q, 0); return q; };
const aa = (q: ArrayLike<number>) => { const v = new Float64Array(3); quatToAa(q, 0, v, 0); return [...v]; };
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) =>
  assert.ok(Array.from(a).every((x, i) => Math.abs(x - b[i]) <= tol), `${Array.from(a)} ≉ ${Array.from(b)}`);

test('axis-angle → quaternion: hand-computed values', () => {
  close(quat([0, 0, Math.PI / 2]), [C45, 0, 0, C45]);
  close(quat([0, 0, 0]), [1, 0, 0, 0]);
  close(quat([Math.PI, 0, 0]), [Math.cos(Math.PI / 2), 1, 0, 0]);
  // Small angles go through the Taylor branch: q ≈ (1 − θ²/8, v/2).
  close(quat([1e-5, 0, 0]), [1 - 1e-10 / 8, 0.5e-5, 0, 0], 1e-15);
});

test('quaternion → axis-angle inverts it, angle in [0, π], sign of q irrelevant', () => {
  for (const v of [[0.3, -0.2, 0.1], [Math.PI, 0, 0], [0, 1e-7, 0], [-2, 1, 0.5]]) {
    const q = quat(v);
    const back = aa(q);
    const neg = aa(q.map((x) => -x));
    close(neg, back);
    close(back, v, 1e-9); // every |v| ≤ π: recovered as given
  }
  // 270° about z is −90° about z.
  close(aa(quat([0, 0, 1.5 * Math.PI])), [0, 0, -0.5 * Math.PI], 1e-12);
});

test('quaternion agrees with Rodrigues (lbs.ts) on the rotation matrix', () => {
  const v = [0.4, -1.1, 0.7];
  const [w, x, y, z] = quat(v);
  const fromQuat = [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
  const m = new Float64Array(9);
  rodrigues(v, 0, m, 0);
  close(m, fromQuat, 1e-12);
});

test('slerp from the identity to a half turn: halfway is a quarter turn', () => {
  const out = new Float64Array(4);
  slerp(quat([0, 0, 0]), 0, quat([0, 0, Math.PI]), 0, 0.5, out, 0);
  close(out, [C45, 0, 0, C45]);
  slerp(quat([0, 0, 0]), 0, quat([0, 0, Math.PI]), 0, 0.25, out, 0);
  close(out, [Math.cos(deg(22.5)), 0, 0, Math.sin(deg(22.5))]);
});

test('slerp through 180°: from +170° to −170° about z goes the short way, through 180°', () => {
  const out = new Float64Array(4);
  const a = quat([0, 0, deg(170)]);
  const b = quat([0, 0, deg(-170)]); // = 190°: 20° away, not 340°
  slerp(a, 0, b, 0, 0.5, out, 0);
  assert.ok(quatAngle(out, 0, quat([0, 0, Math.PI]), 0) < 1e-9);
  slerp(a, 0, b, 0, 0.25, out, 0);
  assert.ok(Math.abs(quatAngle(out, 0, quat([0, 0, deg(175)]), 0)) < 1e-9);
});

test('slerp of antipodal quaternions (the same rotation) is that rotation for every t', () => {
  const a = quat([0.3, 0.5, -0.2]);
  const b = a.map((x) => -x);
  const out = new Float64Array(4);
  for (const t of [0, 0.3, 0.5, 1]) {
    slerp(a, 0, b, 0, t, out, 0);
    assert.ok(quatAngle(out, 0, a, 0) < 1e-9, `t=${t}`);
  }
});

test('continuity: a turn about z through 0°, 90°, 170°, 190°, 270° keeps w = cos(θ/2) falling through 0', () => {
  // Axis-angle wraps at 180° (190° is stored as −170°), the quaternions must not.
  const angles = [0, 90, 170, -170, -90];
  const track = new Float64Array(angles.length * 4);
  angles.forEach((a, k) => aaToQuat([0, 0, deg(a)], 0, track, k * 4));
  makeContinuous(track, angles.length);
  const w = [0, 1, 2, 3, 4].map((k) => track[k * 4]);
  close(w, [1, C45, Math.cos(deg(85)), -Math.cos(deg(85)), -C45]);
  const z = [0, 1, 2, 3, 4].map((k) => track[k * 4 + 3]);
  close(z, [0, C45, Math.sin(deg(85)), Math.sin(deg(85)), C45]);
});
