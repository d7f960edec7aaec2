/**
 * The demo body as a set of closed capsule-like surfaces along the bones
 * (a mannequin): each primitive knows its shape and how its vertices are
 * skinned. Limbs are written for the left side and mirrored.
 */
import { FINGERS, demoJoints, jointIndex, mirror, type Vec3 } from './demo-skeleton.js';

/** Which blend shapes touch a primitive's vertices. */
export type Region = 'torso' | 'limb' | 'head' | 'face' | 'hand' | 'eye';

export interface Primitive {
  /** Axis start (s = 0) and end (s = L); equal for a sphere, then `dir` gives the axis. */
  a: Vec3;
  b: Vec3;
  dir?: Vec3;
  /** Direction of the cross-section's first semi-axis (made perpendicular to the axis). */
  widthHint: Vec3;
  /** Rounded end lengths beyond a and b (metres), > 0. */
  capStart: number;
  capEnd: number;
  /** (u along a→b in 0..1, radius m) keyframes. */
  profile: Array<[number, number]>;
  /** Cross-section scale along the width axis and the other axis. */
  aspect: [number, number];
  /** Skinning weights of a vertex at axis position s (m from a), rest position p. */
  weights: (s: number, p: Vec3) => Array<[number, number]>;
  /** Joints regressed as the mean of the ring at s = 0 / s = L (centred on them). */
  regressStart?: number;
  regressEnd?: number;
  region: Region;
}

export const smooth01 = (x: number): number => {
  const t = x <= 0 ? 0 : x >= 1 ? 1 : x;
  return t * t * (3 - 2 * t);
};

const add = (p: Vec3, q: Vec3): Vec3 => [p[0] + q[0], p[1] + q[1], p[2] + q[2]];
const dist = (p: Vec3, q: Vec3) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);

/**
 * Weights along one bone: the owner joint, blended over ±h metres with the
 * parent around s = 0 and with the child around s = L (half each at the joint).
 */
export function boneWeights(owner: number, parent: number | null, child: number | null, length: number, hMax: number) {
  const h = Math.max(1e-4, Math.min(hMax, length / 2));
  return (s: number): Array<[number, number]> => {
    const wp = parent === null ? 0 : 1 - smooth01((s + h) / (2 * h));
    const wc = child === null ? 0 : smooth01((s - (length - h)) / (2 * h));
    const out: Array<[number, number]> = [[owner, 1 - wp - wc]];
    if (wp > 0) out.push([parent!, wp]);
    if (wc > 0) out.push([child!, wc]);
    return out;
  };
}

/** A bone primitive from joint `from` to point `to`. */
function bone(
  J: Vec3[],
  from: number,
  to: Vec3,
  o: {
    parent: number | null; child: number | null; profile: Array<[number, number]>;
    caps: [number, number]; blend: number; region: Region; widthHint?: Vec3; aspect?: [number, number];
    regressStart?: boolean; regressEnd?: number;
  },
): Primitive {
  const a = J[from];
  return {
    a,
    b: to,
    widthHint: o.widthHint ?? [0, 0, 1],
    capStart: o.caps[0],
    capEnd: o.caps[1],
    profile: o.profile,
    aspect: o.aspect ?? [1, 1],
    weights: boneWeights(from, o.parent, o.child, dist(a, to), o.blend),
    regressStart: o.regressStart === false ? undefined : from,
    regressEnd: o.regressEnd,
    region: o.region,
  };
}

export function demoPrimitives(): Primitive[] {
  const J = demoJoints();
  const j = jointIndex;
  const prims: Primitive[] = [];
  const X: Vec3 = [1, 0, 0];
  const Z: Vec3 = [0, 0, 1];

  // Torso: stacked elliptical sections, wider than deep.
  prims.push(bone(J, j('pelvis'), J[j('spine1')], {
    parent: null, child: j('spine1'), profile: [[0, 0.165], [1, 0.15]], caps: [0.11, 0.03], blend: 0.05,
    region: 'torso', widthHint: X, aspect: [1, 0.66],
  }));
  prims.push(bone(J, j('spine1'), J[j('spine2')], {
    parent: j('pelvis'), child: j('spine2'), profile: [[0, 0.15], [1, 0.155]], caps: [0.03, 0.03], blend: 0.05,
    region: 'torso', widthHint: X, aspect: [1, 0.68],
  }));
  prims.push(bone(J, j('spine2'), J[j('spine3')], {
    parent: j('spine1'), child: j('spine3'), profile: [[0, 0.155], [1, 0.16]], caps: [0.03, 0.03], blend: 0.03,
    region: 'torso', widthHint: X, aspect: [1, 0.68],
  }));
  prims.push(bone(J, j('spine3'), J[j('neck')], {
    parent: j('spine2'), child: j('neck'), profile: [[0, 0.16], [0.45, 0.168], [0.8, 0.14], [1, 0.065]],
    caps: [0.03, 0.02], blend: 0.04, region: 'torso', widthHint: X, aspect: [1, 0.68],
  }));
  prims.push(bone(J, j('neck'), J[j('head')], {
    parent: j('spine3'), child: j('head'), profile: [[0, 0.052], [1, 0.048]], caps: [0.03, 0.02], blend: 0.03,
    region: 'torso', widthHint: X, aspect: [1, 0.95], regressEnd: j('head'),
  }));

  // Head: an egg, deeper than wide; its lower front follows the jaw.
  const head = J[j('head')];
  const jawJ = j('jaw');
  const headBlend = boneWeights(j('head'), j('neck'), null, 0.1, 0.025);
  prims.push({
    a: add(head, [0, 0, 0.008]),
    b: add(head, [0, 0.1, 0.012]),
    widthHint: X,
    capStart: 0.05,
    capEnd: 0.058,
    profile: [[0, 0.07], [0.3, 0.088], [0.75, 0.092], [1, 0.088]],
    aspect: [0.84, 1],
    weights: (s, p) => {
      const w = headBlend(s);
      const wj = smooth01((0.27 - p[1]) / 0.04) * smooth01((p[2] - 0.0) / 0.05);
      if (wj <= 0) return w;
      const out = w.map(([jj, x]): [number, number] => [jj, x * (1 - wj)]);
      out.push([jawJ, wj]);
      return out;
    },
    region: 'face',
  });
  // Chin and lower jaw: the mouth opens with the jaw joint.
  prims.push(bone(J, jawJ, [0, 0.229, 0.07], {
    parent: null, child: null, profile: [[0, 0.025], [1, 0.02]], caps: [0.02, 0.016], blend: 0.01,
    region: 'face', widthHint: X, aspect: [1.45, 1],
  }));
  // Nose and ears belong to the head.
  const rigidHead = (): Array<[number, number]> => [[j('head'), 1]];
  prims.push({
    a: [0, 0.312, 0.088], b: [0, 0.288, 0.108], widthHint: X, capStart: 0.008, capEnd: 0.011,
    profile: [[0, 0.01], [1, 0.013]], aspect: [1, 0.9], weights: rigidHead, region: 'face',
  });
  for (const side of [1, -1]) {
    prims.push({
      a: [side * 0.078, 0.318, 0.0], b: [side * 0.078, 0.318, 0.0], dir: [0, 1, 0], widthHint: Z,
      capStart: 0.03, capEnd: 0.03, profile: [[0, 0.018]], aspect: [1, 0.45], weights: rigidHead, region: 'head',
    });
  }
  // Eyeballs, each its own joint; they sit just proud of the face.
  for (const name of ['left_eye_smplhf', 'right_eye_smplhf']) {
    const e = j(name);
    prims.push({
      a: J[e], b: J[e], dir: [0, 0, 1], widthHint: X, capStart: 0.0125, capEnd: 0.0125,
      profile: [[0, 0.0125]], aspect: [1, 1], weights: () => [[e, 1]], regressStart: e, region: 'eye',
    });
  }

  for (const side of ['left', 'right'] as const) prims.push(...limbs(J, side));
  return prims;
}

function limbs(J: Vec3[], side: 'left' | 'right'): Primitive[] {
  const j = (name: string) => jointIndex(`${side}_${name}`);
  const m = (p: Vec3): Vec3 => (side === 'left' ? p : mirror(p));
  const X: Vec3 = [1, 0, 0];
  const Z: Vec3 = [0, 0, 1];
  const out: Primitive[] = [];

  // Leg.
  out.push(bone(J, j('hip'), J[j('knee')], {
    parent: jointIndex('pelvis'), child: j('knee'), profile: [[0, 0.085], [0.5, 0.07], [1, 0.054]],
    caps: [0.05, 0.04], blend: 0.06, region: 'limb', widthHint: X,
  }));
  out.push(bone(J, j('knee'), J[j('ankle')], {
    parent: j('hip'), child: j('ankle'), profile: [[0, 0.054], [0.3, 0.056], [1, 0.037]],
    caps: [0.04, 0.03], blend: 0.05, region: 'limb', widthHint: X, regressEnd: j('ankle'),
  }));
  // Foot: heel → ball of the foot (the foot joint) → toes, one straight axis.
  const ball = J[j('foot')];
  const heel: Vec3 = [ball[0] - m([0.01, 0, 0])[0], ball[1], ball[2] - 0.15];
  const toe: Vec3 = [ball[0] + m([0.002, 0, 0])[0], ball[1], ball[2] + 0.065];
  const footLen = dist(heel, ball);
  const footBlend = boneWeights(j('ankle'), null, j('foot'), footLen, 0.025);
  out.push({
    a: heel, b: ball, widthHint: X, capStart: 0.03, capEnd: 0.02,
    profile: [[0, 0.034], [0.35, 0.04], [1, 0.04]], aspect: [1.15, 0.9],
    weights: (s) => footBlend(s), region: 'limb',
  });
  out.push(bone(J, j('foot'), toe, {
    parent: j('ankle'), child: null, profile: [[0, 0.038], [1, 0.03]], caps: [0.02, 0.02], blend: 0.02,
    region: 'limb', widthHint: X, aspect: [1.15, 0.65],
  }));

  // Arm.
  out.push(bone(J, j('collar'), J[j('shoulder')], {
    parent: jointIndex('spine3'), child: j('shoulder'), profile: [[0, 0.055], [1, 0.058]],
    caps: [0.03, 0.03], blend: 0.04, region: 'limb', widthHint: Z,
  }));
  out.push(bone(J, j('shoulder'), J[j('elbow')], {
    parent: j('collar'), child: j('elbow'), profile: [[0, 0.054], [0.5, 0.045], [1, 0.038]],
    caps: [0.045, 0.035], blend: 0.05, region: 'limb', widthHint: Z,
  }));
  out.push(bone(J, j('elbow'), J[j('wrist')], {
    parent: j('shoulder'), child: j('wrist'), profile: [[0, 0.039], [0.4, 0.037], [1, 0.027]],
    caps: [0.035, 0.02], blend: 0.04, region: 'limb', widthHint: Z, regressEnd: j('wrist'),
  }));

  // Palm: flat, wide across the knuckles; its knuckle edge follows the nearest finger.
  const wrist = J[j('wrist')];
  const palmEnd = add(wrist, m([0.09, -0.002, 0]));
  const palmLen = dist(wrist, palmEnd);
  const palmBlend = boneWeights(j('wrist'), j('elbow'), null, palmLen, 0.02);
  const knuckles = FINGERS.filter((f) => f.name !== 'thumb').map((f) => ({ joint: j(`${f.name}1`), z: wrist[2] + f.points[0][2] }));
  out.push({
    a: wrist, b: palmEnd, widthHint: Z, capStart: 0.012, capEnd: 0.012,
    profile: [[0, 0.026], [0.35, 0.04], [1, 0.041]], aspect: [1, 0.34],
    weights: (s, p) => {
      const w = palmBlend(s);
      const wk = 0.5 * smooth01((s - (palmLen - 0.018)) / 0.018);
      if (wk <= 0) return w;
      let best = knuckles[0];
      for (const k of knuckles) if (Math.abs(p[2] - k.z) < Math.abs(p[2] - best.z)) best = k;
      const scaled = w.map(([jj, x]): [number, number] => [jj, x * (1 - wk)]);
      scaled.push([best.joint, wk]);
      return scaled;
    },
    region: 'hand',
  });

  // Fingers: three segments each, blended at the knuckles; rounded tips.
  for (const f of FINGERS) {
    const pts = f.points.map((o) => add(wrist, m(o)));
    const r = f.radius;
    for (let k = 0; k < 3; k++) {
      const owner = j(`${f.name}${k + 1}`);
      const parent = k === 0 ? j('wrist') : j(`${f.name}${k}`);
      const child = k === 2 ? null : j(`${f.name}${k + 2}`);
      const r0 = r * (1 - 0.08 * k);
      const r1 = r * (1 - 0.08 * (k + 1));
      out.push(bone(J, owner, pts[k + 1], {
        parent, child, profile: [[0, r0], [1, r1]], caps: [r0 * 0.8, k === 2 ? r1 : r1 * 0.8],
        blend: dist(pts[k], pts[k + 1]) * 0.3, region: 'hand', widthHint: Z, aspect: [1, 0.9],
      }));
    }
  }
  return out;
}
