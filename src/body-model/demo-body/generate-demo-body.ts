/**
 * Procedural, deterministic human body in the SMPLX_*.npz layout, so the
 * tool runs and is tested without the licensed SMPL-X files, through the
 * same loader. Resolution is a parameter: nothing downstream may assume V.
 */
import { NUM_JOINTS, NUM_POSE_FEATURES, SMPLX_PARENTS } from '../body-model.js';
import { demoJoints, type Vec3 } from './demo-skeleton.js';
import { demoPrimitives, smooth01, type Primitive, type Region } from './demo-primitives.js';
import { mulberry32 } from '../../util/mulberry32.js';

export interface DemoBodyOptions {
  /** Approximate vertex count; faces come out at about twice that. */
  targetVertices?: number;
}

/** A few thousand vertices: fast to generate, load and pose in tests. */
export const DEFAULT_DEMO_VERTICES = 3500;
/** SMPL-X layout: 300 shape then 100 expression components. */
export const DEMO_SHAPE_DIRS = 300;
export const DEMO_EXPR_DIRS = 100;

export interface DemoBodyArrays {
  numVertices: number;
  numFaces: number;
  vTemplate: Float64Array;  // (V,3)
  faces: Uint32Array;       // (F,3)
  shapedirs: Float32Array;  // (V,3,400)
  posedirs: Float32Array;   // (V,3,486)
  jRegressor: Float64Array; // (55,V)
  weights: Float64Array;    // (V,55)
  kintree: Float64Array;    // (2,55), root parent stored as 4294967295 like the real files
  handsMeanLeft: Float64Array;  // (45)
  handsMeanRight: Float64Array; // (45)
}

interface Ring { s: number; r: number }
interface Layout { sides: number; rings: Ring[]; bodyStart: number; bodyEnd: number }

const MIN_SIDES = 8;

/** Rings of one primitive for a target edge length h (poles are rings of radius 0). */
function layoutOf(p: Primitive, h: number): Layout {
  const L = dist(p.a, p.b);
  const rMax = Math.max(...p.profile.map(([, r]) => r));
  const meanAspect = (p.aspect[0] + p.aspect[1]) / 2;
  const sides = Math.max(MIN_SIDES, 2 * Math.round((Math.PI * rMax * meanAspect) / h));
  const body: Ring[] = [];
  if (L > 0) {
    const nb = Math.max(1, Math.round(L / h));
    for (let i = 0; i <= nb; i++) body.push({ s: (L * i) / nb, r: profileAt(p.profile, i / nb) });
  } else {
    body.push({ s: 0, r: p.profile[0][1] });
  }
  const r0 = body[0].r;
  const r1 = body[body.length - 1].r;
  const capRings = (len: number, r: number) => Math.max(2, Math.round((Math.PI / 4) * (len + r * meanAspect) / h));
  const rings: Ring[] = [];
  const n0 = capRings(p.capStart, r0);
  for (let i = n0; i >= 1; i--) {
    const phi = ((i / n0) * Math.PI) / 2;
    rings.push({ s: -p.capStart * Math.sin(phi), r: i === n0 ? 0 : r0 * Math.cos(phi) });
  }
  const bodyStart = rings.length;
  rings.push(...body);
  const bodyEnd = rings.length - 1;
  const n1 = capRings(p.capEnd, r1);
  for (let i = 1; i <= n1; i++) {
    const phi = ((i / n1) * Math.PI) / 2;
    rings.push({ s: L + p.capEnd * Math.sin(phi), r: i === n1 ? 0 : r1 * Math.cos(phi) });
  }
  return { sides, rings, bodyStart, bodyEnd };
}

const vertexCount = (l: Layout) => (l.rings.length - 2) * l.sides + 2;

function profileAt(profile: Array<[number, number]>, u: number): number {
  if (u <= profile[0][0]) return profile[0][1];
  for (let i = 1; i < profile.length; i++) {
    const [u1, r1] = profile[i];
    if (u <= u1) {
      const [u0, r0] = profile[i - 1];
      return r0 + (r1 - r0) * smooth01((u - u0) / (u1 - u0));
    }
  }
  return profile[profile.length - 1][1];
}

const dist = (p: Vec3, q: Vec3) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
const normalize = (v: Vec3): Vec3 => {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
};
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** Edge length whose total vertex count is nearest the target. */
function chooseEdge(prims: Primitive[], target: number): number {
  const count = (h: number) => prims.reduce((n, p) => n + vertexCount(layoutOf(p, h)), 0);
  let lo = 0.0005, hi = 0.5;
  let best = hi, bestErr = Infinity;
  for (let it = 0; it < 60; it++) {
    const mid = Math.sqrt(lo * hi);
    const c = count(mid);
    if (Math.abs(c - target) < bestErr) { bestErr = Math.abs(c - target); best = mid; }
    if (c > target) lo = mid; else hi = mid;
  }
  return best;
}

/** Deterministic PRNG (mulberry32): the demo body is the same on every machine. */
const rng = mulberry32;

export function generateDemoBody(opts: DemoBodyOptions = {}): DemoBodyArrays {
  const target = opts.targetVertices ?? DEFAULT_DEMO_VERTICES;
  if (!(target >= 1000 && target <= 200_000)) throw new RangeError(`targetVertices ${target}: expected 1000..200000`);
  const prims = demoPrimitives();
  const h = chooseEdge(prims, target);
  const layouts = prims.map((p) => layoutOf(p, h));
  const V = layouts.reduce((n, l) => n + vertexCount(l), 0);
  const F = layouts.reduce((n, l) => n + 2 * l.sides * (l.rings.length - 2), 0);

  const vTemplate = new Float64Array(V * 3);
  const axisPoint = new Float64Array(V * 3); // centre of each vertex's ring, for girth
  const region: Region[] = new Array(V);
  const faces = new Uint32Array(F * 3);
  const weights = new Float64Array(V * NUM_JOINTS);
  const jRegressor = new Float64Array(NUM_JOINTS * V);
  const regressed = new Set<number>();
  let nv = 0;
  let nf = 0;

  prims.forEach((p, pi) => {
    const { sides, rings, bodyStart, bodyEnd } = layouts[pi];
    const D = p.a === p.b || dist(p.a, p.b) === 0 ? normalize(p.dir!) : normalize([p.b[0] - p.a[0], p.b[1] - p.a[1], p.b[2] - p.a[2]]);
    const hd = p.widthHint[0] * D[0] + p.widthHint[1] * D[1] + p.widthHint[2] * D[2];
    const U = normalize([p.widthHint[0] - hd * D[0], p.widthHint[1] - hd * D[1], p.widthHint[2] - hd * D[2]]);
    const W = cross(D, U); // U × W = D: rings run counter-clockwise about the axis
    const ringStart: number[] = [];
    for (const ring of rings) {
      const c: Vec3 = [p.a[0] + ring.s * D[0], p.a[1] + ring.s * D[1], p.a[2] + ring.s * D[2]];
      ringStart.push(nv);
      const n = ring.r === 0 ? 1 : sides;
      for (let k = 0; k < n; k++) {
        const th = (2 * Math.PI * k) / sides;
        const cu = ring.r * p.aspect[0] * Math.cos(th);
        const cw = ring.r * p.aspect[1] * Math.sin(th);
        const pos: Vec3 = [c[0] + cu * U[0] + cw * W[0], c[1] + cu * U[1] + cw * W[1], c[2] + cu * U[2] + cw * W[2]];
        vTemplate.set(pos, nv * 3);
        axisPoint.set(c, nv * 3);
        region[nv] = p.region;
        let sum = 0;
        const ws = p.weights(ring.s, pos);
        for (const [, w] of ws) sum += w;
        for (const [j, w] of ws) weights[nv * NUM_JOINTS + j] += w / sum;
        nv++;
      }
    }
    // Faces, outward: fans at the poles, quads between rings.
    const last = rings.length - 1;
    for (let k = 0; k < sides; k++) {
      const k1 = (k + 1) % sides;
      faces.set([ringStart[0], ringStart[1] + k1, ringStart[1] + k], nf * 3); nf++;
      for (let i = 1; i < last - 1; i++) {
        const a = ringStart[i] + k, b = ringStart[i] + k1, c = ringStart[i + 1] + k1, d = ringStart[i + 1] + k;
        faces.set([a, b, c], nf * 3); nf++;
        faces.set([a, c, d], nf * 3); nf++;
      }
      faces.set([ringStart[last], ringStart[last - 1] + k, ringStart[last - 1] + k1], nf * 3); nf++;
    }
    // A ring's mean is its centre exactly: these rings sit on joints.
    const regress = (joint: number | undefined, ring: number) => {
      if (joint === undefined) return;
      if (regressed.has(joint)) throw new Error(`demo body: joint ${joint} regressed twice`);
      regressed.add(joint);
      for (let k = 0; k < sides; k++) jRegressor[joint * V + ringStart[ring] + k] = 1 / sides;
    };
    regress(p.regressStart, bodyStart);
    regress(p.regressEnd, bodyEnd);
  });
  if (nv !== V || nf !== F) throw new Error('demo body: vertex or face count mismatch');
  if (regressed.size !== NUM_JOINTS) throw new Error(`demo body: ${NUM_JOINTS - regressed.size} joints have no regressor ring`);

  const joints = demoJoints();
  const kintree = new Float64Array(2 * NUM_JOINTS);
  for (let j = 0; j < NUM_JOINTS; j++) {
    kintree[j] = SMPLX_PARENTS[j] < 0 ? 4294967295 : SMPLX_PARENTS[j];
    kintree[NUM_JOINTS + j] = j;
  }
  const [handsMeanLeft, handsMeanRight] = handsMean();
  return {
    numVertices: V,
    numFaces: F,
    vTemplate,
    faces,
    shapedirs: shapeDirs(vTemplate, axisPoint, region, joints),
    posedirs: poseDirs(vTemplate, joints),
    jRegressor,
    weights,
    kintree,
    handsMeanLeft,
    handsMeanRight,
  };
}

/**
 * (V,3,400): a few readable shape directions (size, girth, leg length,
 * shoulder width, belly), then smooth low-amplitude fields; expressions
 * move only the front of the face (jaw open, smile, brows, then fields).
 */
function shapeDirs(vt: Float64Array, axis: Float64Array, region: Region[], joints: Vec3[]): Float32Array {
  const V = region.length;
  const K = DEMO_SHAPE_DIRS + DEMO_EXPR_DIRS;
  const out = new Float32Array(V * 3 * K);
  const rand = rng(0x5eed_0001);
  const fields = Array.from({ length: K }, () => ({
    f: [0, 1, 2].map(() => [rand() * 8 - 4, rand() * 8 - 4, rand() * 8 - 4]),
    ph: [rand(), rand(), rand()].map((x) => x * 2 * Math.PI),
  }));
  const hipY = joints[1][1];
  const jawY = joints[22][1];
  for (let v = 0; v < V; v++) {
    const x = vt[v * 3], y = vt[v * 3 + 1], z = vt[v * 3 + 2];
    const rg = region[v];
    const set = (k: number, dx: number, dy: number, dz: number) => {
      out[(v * 3) * K + k] = dx;
      out[(v * 3 + 1) * K + k] = dy;
      out[(v * 3 + 2) * K + k] = dz;
    };
    // Shape 0: overall size (about the origin, near the pelvis).
    set(0, 0.03 * x, 0.03 * y, 0.03 * z);
    // Shape 1: girth, away from each segment's axis (less on head, hands, eyes).
    const g = rg === 'torso' || rg === 'limb' ? 0.15 : rg === 'eye' ? 0 : 0.04;
    set(1, g * (x - axis[v * 3]), g * (y - axis[v * 3 + 1]), g * (z - axis[v * 3 + 2]));
    // Shape 2: leg length.
    set(2, 0, 0.05 * Math.min(0, y - hipY) * smooth01((hipY + 0.05 - y) / 0.1), 0);
    // Shape 3: shoulder width / arm span.
    const ax = Math.abs(x);
    set(3, Math.sign(x) * 0.04 * Math.max(0, ax - 0.08) * smooth01((y + 0.25) / 0.1), 0, 0);
    // Shape 4: belly.
    const belly = rg === 'torso' ? smooth01(z / 0.05) * Math.exp(-(((y + 0.17) / 0.12) ** 2)) : 0;
    set(4, 0, 0, 0.03 * belly);
    for (let k = 5; k < DEMO_SHAPE_DIRS; k++) {
      const a = 0.006 / (1 + k / 20);
      const { f, ph } = fields[k];
      set(k, a * Math.sin(f[0][0] * x + f[0][1] * y + f[0][2] * z + ph[0]),
        a * Math.sin(f[1][0] * x + f[1][1] * y + f[1][2] * z + ph[1]),
        a * Math.sin(f[2][0] * x + f[2][1] * y + f[2][2] * z + ph[2]));
    }
    // Expressions: the front of the face only.
    const face = rg === 'face' ? smooth01((z - 0.02) / 0.05) : 0;
    const e = DEMO_SHAPE_DIRS;
    const lower = face * smooth01((0.29 - y) / 0.04);
    const nearJaw = face * smooth01((jawY + 0.04 - y) / 0.04);
    set(e, 0, -0.012 * nearJaw, 0.002 * nearJaw);                                  // mouth open
    set(e + 1, 0.006 * Math.sign(x) * lower * smooth01(ax / 0.03), 0.004 * lower, 0); // smile
    const brow = face * Math.exp(-(((y - 0.345) / 0.015) ** 2));
    set(e + 2, 0, 0.005 * brow, 0);                                                 // brows up
    for (let k = 3; k < DEMO_EXPR_DIRS; k++) {
      const a = (0.003 * face) / (1 + k / 10);
      const { f, ph } = fields[e + k];
      set(e + k, a * Math.sin(f[0][0] * 9 * x + ph[0]), a * Math.sin(f[1][1] * 9 * y + ph[1]), a * Math.sin(f[2][2] * 9 * z + ph[2]));
    }
  }
  return out;
}

/**
 * (V,3,486): dense pose correctives, ~1e-3 m, strongest near the joint
 * whose rotation drives them and never exactly zero, so the renderer's
 * dense product is exercised as with a real model.
 */
function poseDirs(vt: Float64Array, joints: Vec3[]): Float32Array {
  const V = vt.length / 3;
  const P = NUM_POSE_FEATURES;
  const out = new Float32Array(V * 3 * P);
  const rand = rng(0x5eed_0002);
  const kx = new Float64Array(P * 3), ky = new Float64Array(P * 3), kz = new Float64Array(P * 3), ph = new Float64Array(P * 3);
  for (let i = 0; i < P * 3; i++) {
    kx[i] = rand() * 12 - 6; ky[i] = rand() * 12 - 6; kz[i] = rand() * 12 - 6; ph[i] = rand() * 2 * Math.PI;
  }
  const near = new Float64Array(NUM_JOINTS);
  for (let v = 0; v < V; v++) {
    const x = vt[v * 3], y = vt[v * 3 + 1], z = vt[v * 3 + 2];
    for (let j = 1; j < NUM_JOINTS; j++) {
      const d2 = (x - joints[j][0]) ** 2 + (y - joints[j][1]) ** 2 + (z - joints[j][2]) ** 2;
      near[j] = 1e-3 * (0.1 + 0.9 * Math.exp(-d2 / (2 * 0.12 * 0.12)));
    }
    for (let c = 0; c < 3; c++) {
      const row = (v * 3 + c) * P;
      for (let p = 0; p < P; p++) {
        const i = p * 3 + c;
        out[row + p] = near[1 + Math.floor(p / 9)] * Math.sin(kx[i] * x + ky[i] * y + kz[i] * z + ph[i]);
      }
    }
  }
  return out;
}

/**
 * Relaxed hands, as SMPL-X's hands_mean: fingers curl a little towards the
 * palm (about −z for the left hand, whose fingers point along +x), pinky most.
 * The right hand mirrors the left in x: axis-angle (x, −y, −z).
 */
function handsMean(): [Float64Array, Float64Array] {
  const curl: Record<string, [number, number, number]> = {
    index: [0.12, 0.18, 0.1], middle: [0.16, 0.22, 0.12], pinky: [0.3, 0.3, 0.18], ring: [0.24, 0.26, 0.15],
  };
  const left = new Float64Array(45);
  let o = 0;
  for (const f of ['index', 'middle', 'pinky', 'ring']) {
    for (let k = 0; k < 3; k++) { left.set([0.03, 0.02 * (k - 1), -curl[f][k]], o); o += 3; }
  }
  left.set([0.1, 0.12, 0.05, 0.02, 0.08, -0.1, 0.0, 0.05, -0.08], o);
  const right = new Float64Array(45);
  for (let i = 0; i < 45; i += 3) { right[i] = left[i]; right[i + 1] = -left[i + 1]; right[i + 2] = -left[i + 2]; }
  return [left, right];
}
