/**
 * Rest skeleton of the demo body, in SMPL-X's conventions: T-pose, metres,
 * y up, face towards +z, the body's left on +x, pelvis near the origin
 * (SMPL-X's own pelvis sits at y ≈ −0.35), soles at y = −1.30, ~1.70 m tall.
 * Only the left side is written out; the right side is its mirror in x.
 */
import { NUM_JOINTS, SMPLX_JOINT_NAMES } from '../body-model.js';

export type Vec3 = [number, number, number];

export const FLOOR_Y = -1.3;

/** Centre-line and left-side joints; right_* are mirrored. */
const LEFT_AND_CENTRE: Record<string, Vec3> = {
  pelvis: [0, -0.35, 0],
  left_hip: [0.085, -0.44, -0.005],
  spine1: [0, -0.24, -0.015],
  left_knee: [0.1, -0.82, 0.005],
  spine2: [0, -0.11, -0.01],
  left_ankle: [0.11, -1.21, -0.035],
  spine3: [0, -0.05, -0.005],
  left_foot: [0.12, -1.265, 0.09],
  neck: [0, 0.17, -0.015],
  left_collar: [0.075, 0.09, -0.01],
  head: [0, 0.25, 0],
  left_shoulder: [0.175, 0.1, -0.015],
  left_elbow: [0.43, 0.09, -0.025],
  left_wrist: [0.68, 0.09, -0.02],
  jaw: [0, 0.225, 0.03],
  left_eye_smplhf: [0.031, 0.325, 0.088],
};

/** Hand layout relative to the wrist: fingers along +x, palm facing −y, thumb towards +z. */
export interface FingerSpec {
  name: 'index' | 'middle' | 'pinky' | 'ring' | 'thumb';
  /** Offsets of joints 1, 2, 3 and of the fingertip from the wrist (left hand). */
  points: [Vec3, Vec3, Vec3, Vec3];
  radius: number;
}

function straightFinger(name: FingerSpec['name'], base: Vec3, spread: number, lengths: Vec3, radius: number): FingerSpec {
  const n = Math.hypot(1, spread);
  const d: Vec3 = [1 / n, -0.04, spread / n]; // slight droop towards the palm
  const pts: Vec3[] = [base];
  for (const l of lengths) {
    const p = pts[pts.length - 1];
    pts.push([p[0] + d[0] * l, p[1] + d[1] * l, p[2] + d[2] * l]);
  }
  return { name, points: pts as FingerSpec['points'], radius };
}

export const FINGERS: readonly FingerSpec[] = [
  straightFinger('index', [0.094, -0.002, 0.025], 0.07, [0.038, 0.024, 0.022], 0.0085),
  straightFinger('middle', [0.097, 0, 0.006], 0.0, [0.042, 0.027, 0.024], 0.0088),
  straightFinger('pinky', [0.082, -0.005, -0.03], -0.14, [0.03, 0.019, 0.019], 0.0072),
  straightFinger('ring', [0.092, -0.002, -0.012], -0.07, [0.039, 0.026, 0.022], 0.0082),
  // The thumb leaves the palm forward and down, opposed to the fingers.
  {
    name: 'thumb',
    points: [[0.022, -0.014, 0.026], [0.047, -0.022, 0.05], [0.07, -0.026, 0.064], [0.091, -0.028, 0.074]],
    radius: 0.0115,
  },
];

export const mirror = (p: Vec3): Vec3 => [-p[0], p[1], p[2]];
export const jointIndex = (name: string): number => {
  const i = SMPLX_JOINT_NAMES.indexOf(name);
  if (i < 0) throw new Error(`unknown joint ${name}`);
  return i;
};

/** (55) rest joint locations of the demo body, in SMPL-X order. */
export function demoJoints(): Vec3[] {
  const out: Vec3[] = new Array(NUM_JOINTS);
  for (const [name, p] of Object.entries(LEFT_AND_CENTRE)) {
    out[jointIndex(name)] = p;
    if (name.startsWith('left_')) out[jointIndex(name.replace('left_', 'right_'))] = mirror(p);
  }
  const wrist = LEFT_AND_CENTRE.left_wrist;
  for (const f of FINGERS) {
    for (let k = 0; k < 3; k++) {
      const o = f.points[k];
      const p: Vec3 = [wrist[0] + o[0], wrist[1] + o[1], wrist[2] + o[2]];
      out[jointIndex(`left_${f.name}${k + 1}`)] = p;
      out[jointIndex(`right_${f.name}${k + 1}`)] = mirror(p);
    }
  }
  for (let j = 0; j < NUM_JOINTS; j++) if (!out[j]) throw new Error(`demo skeleton lacks ${SMPLX_JOINT_NAMES[j]}`);
  return out;
}
