/**
 * A deterministic, signing-like SMPL-X motion of one person standing and
 * facing the camera: arms raised in front of the chest, wrists tracing loops,
 * handshapes changing every ~15 frames, jaw moving a little.
 *
 * Axes. SMPL-X rest (T-pose) frame: y up, x to the subject's left, z forward.
 * Local joint rotations are expressed in that frame. The root pose is the OSX
 * convention, a half turn about x, so in OpenCV camera space (y down, z away
 * from the camera) the body is upright and faces the camera.
 *
 * Derived signs (left side; the right side is the mirror, see mirrorAa):
 *   shoulder about −z lowers the arm from the T-pose, about −y swings it forward;
 *   elbow about −y bends the forearm forward (palms face down in the T-pose);
 *   fingers (along +x, palm toward −y) curl about −z and spread about ∓y.
 */
import { aboutAxis, aaToMat, composeAa, matMul, matToAa, mirrorAa, type Vec3 } from '../body-model/axis-angle.js';

export interface SmplxParams {
  rootPose: Float64Array;  // (3)
  bodyPose: Float64Array;  // (63) joints 1..21
  lhandPose: Float64Array; // (45) index, middle, pinky, ring, thumb × 3 joints
  rhandPose: Float64Array; // (45)
  jawPose: Float64Array;   // (3)
  betas: Float64Array;     // (10)
  expr: Float64Array;      // (10)
  camTrans: Float64Array;  // (3) metres, OpenCV camera space
}

export interface SigningMotionOptions {
  /** Frames per second of the sequence; the motion is defined in seconds. */
  fps?: number;
  /** Varies phases and the handshape sequence; same seed, same motion. */
  seed?: number;
}

export type Handshape = 'fist' | 'flat' | 'point' | 'spread' | 'thumb_up';
export const HANDSHAPES: readonly Handshape[] = ['fist', 'flat', 'point', 'spread', 'thumb_up'];
/** Frames a handshape is held, transition included. */
export const HANDSHAPE_FRAMES = 15;
/** Frames at the end of each hold spent blending into the next shape. */
const TRANSITION_FRAMES = 6;

export const DEMO_BETAS = [0.35, -0.2, 0.12, 0.05, -0.04, 0.02, 0.01, -0.01, 0.0, 0.01];
export const DEMO_EXPR = [0.2, -0.1, 0.05, 0.0, 0.03, -0.02, 0.0, 0.01, 0.0, 0.0];

const ROOT_OSX: Vec3 = [Math.PI, 0, 0];
const TAU = 2 * Math.PI;

/** Parameters of frame `index` (0-based) of the motion. */
export function signingFrame(index: number, opts: SigningMotionOptions = {}): SmplxParams {
  const fps = opts.fps ?? 30;
  const seed = opts.seed ?? 0;
  const t = index / fps;
  const ph = phases(seed);
  const wave = (hz: number, k: number) => Math.sin(TAU * hz * t + ph[k % ph.length]);

  const rootPose = new Float64Array(composeAa(ROOT_OSX, [0, 0.05 * wave(0.11, 0), 0], [0, 0, 0.025 * wave(0.17, 1)]));

  const body = new Float64Array(63);
  const set = (joint: number, aa: ArrayLike<number>) => body.set([aa[0], aa[1], aa[2]], (joint - 1) * 3);
  // Legs: soft knees, standing.
  set(1, [-0.05, 0, 0.02]); set(2, [-0.05, 0, -0.02]);
  set(4, [0.1, 0, 0]); set(5, [0.1, 0, 0]);
  set(7, [-0.05, 0, 0]); set(8, [-0.05, 0, 0]);
  // Spine: slight forward lean and a slow sway that the neck half cancels.
  const sway = 0.03 * wave(0.17, 1);
  for (const j of [3, 6, 9]) set(j, [0.03 + 0.01 * wave(0.23, 2), 0.02 * wave(0.11, 0), -sway / 3]);
  set(12, [0.02 * wave(0.3, 3), 0.04 * wave(0.2, 4), sway / 2]);
  set(15, [0.06 * wave(0.35, 5), 0.08 * wave(0.17, 6), 0.02 * wave(0.25, 7)]);

  // Arms. Each wrist loops: shoulder lowering and forward swing run in quadrature.
  const arm = (hz: number, k: number) => {
    const a = TAU * hz * t + ph[k % ph.length];
    return {
      lower: 1.2 + 0.12 * Math.sin(a),        // from T-pose toward the side
      forward: 0.5 + 0.15 * Math.cos(a),     // swing in front of the body
      twist: 0.5,                              // internal rotation: hands toward the midline
      elbow: 1.75 + 0.25 * Math.sin(a * 2 + 0.7), // bent, forearm forward and up
      wrist: [0.0, 0.15 * Math.sin(a + 1.3), 0.2 * Math.cos(a)] as Vec3,
    };
  };
  const r = arm(0.7, 8);
  const l = arm(0.55, 9);
  const shoulder = (s: ReturnType<typeof arm>): Vec3 => composeAa([0, 0, -s.lower], [0, -s.forward, 0], [s.twist, 0, 0]);
  set(13, [0, 0.05, -0.08]); set(14, mirrorAa([0, 0.05, -0.08]));
  set(16, shoulder(l)); set(17, mirrorAa(shoulder(r)));
  set(18, [0, -l.elbow, 0]); set(19, mirrorAa([0, -r.elbow, 0]));
  set(20, l.wrist); set(21, mirrorAa(r.wrist));

  const jawOpen = Math.max(0, 0.08 + 0.07 * wave(0.9, 10) + 0.04 * wave(2.1, 11));
  const camTrans = new Float64Array([
    0.05 + 0.05 * wave(1 / 23, 12),
    0.25 + 0.05 * wave(1 / 31, 13),
    6.5 + 0.5 * wave(1 / 41, 14),
  ]);
  return {
    rootPose,
    bodyPose: body,
    lhandPose: handPose(blendedShape(index, 'left', seed), 'left'),
    rhandPose: handPose(blendedShape(index, 'right', seed), 'right'),
    jawPose: new Float64Array([jawOpen, 0, 0]),
    betas: Float64Array.from(DEMO_BETAS),
    expr: Float64Array.from(DEMO_EXPR),
    camTrans,
  };
}

/** Finger parameters a handshape is made of; blended linearly between shapes. */
export interface HandshapeParams {
  /** Curl 0 (straight) … 1 (fist), per finger: index, middle, pinky, ring. */
  curl: [number, number, number, number];
  /** Finger abduction, radians (index toward the thumb, pinky away). */
  spread: number;
  /** Thumb curl across the palm, 0 … 1. */
  thumbCurl: number;
  /** Thumb abduction away from the index, radians. */
  thumbOut: number;
}

export const HANDSHAPE_PARAMS: Readonly<Record<Handshape, HandshapeParams>> = {
  fist: { curl: [1, 1, 1, 1], spread: 0, thumbCurl: 0.9, thumbOut: -0.1 },
  flat: { curl: [0.05, 0.05, 0.05, 0.05], spread: 0.02, thumbCurl: 0.1, thumbOut: -0.15 },
  point: { curl: [0, 1, 1, 1], spread: 0, thumbCurl: 0.9, thumbOut: -0.1 },
  spread: { curl: [0, 0, 0, 0], spread: 0.3, thumbCurl: 0, thumbOut: 0.45 },
  thumb_up: { curl: [1, 1, 1, 1], spread: 0, thumbCurl: 0, thumbOut: 0.4 },
};

/** The handshape held in hold `k` (0-based) by one hand; never the same twice in a row. */
export function handshapeOfHold(k: number, hand: 'left' | 'right', seed = 0): Handshape {
  const salt = hand === 'left' ? 0x9e37 : 0x7f4a;
  // Each hold steps 1–4 shapes on from the previous one; memoised because that is a running sum.
  const memoKey = `${seed}:${salt}`;
  let holds = holdMemo.get(memoKey);
  if (!holds) holdMemo.set(memoKey, (holds = [hash(seed, salt, 0) % HANDSHAPES.length]));
  for (let i = holds.length; i <= k; i++) holds.push((holds[i - 1] + 1 + (hash(seed, salt, i) % (HANDSHAPES.length - 1))) % HANDSHAPES.length);
  return HANDSHAPES[holds[Math.max(0, k)]];
}
const holdMemo = new Map<string, number[]>();

/** Handshape at a frame: the hold it is in, the next one, and how far (0..1) the blend has gone. */
export function handshapeAt(index: number, hand: 'left' | 'right', seed = 0): { from: Handshape; to: Handshape; blend: number } {
  // The left hand runs half a hold behind so the hands do not change together.
  const f = index + (hand === 'left' ? Math.floor(HANDSHAPE_FRAMES / 2) : 0);
  const k = Math.floor(f / HANDSHAPE_FRAMES);
  const into = f - k * HANDSHAPE_FRAMES - (HANDSHAPE_FRAMES - TRANSITION_FRAMES);
  const x = Math.min(1, Math.max(0, (into + 1) / (TRANSITION_FRAMES + 1)));
  return { from: handshapeOfHold(k, hand, seed), to: handshapeOfHold(k + 1, hand, seed), blend: x * x * (3 - 2 * x) };
}

function blendedShape(index: number, hand: 'left' | 'right', seed: number): HandshapeParams {
  const { from, to, blend } = handshapeAt(index, hand, seed);
  const a = HANDSHAPE_PARAMS[from];
  const b = HANDSHAPE_PARAMS[to];
  const mix = (x: number, y: number) => x + (y - x) * blend;
  return {
    curl: [0, 1, 2, 3].map((i) => mix(a.curl[i], b.curl[i])) as HandshapeParams['curl'],
    spread: mix(a.spread, b.spread),
    thumbCurl: mix(a.thumbCurl, b.thumbCurl),
    thumbOut: mix(a.thumbOut, b.thumbOut),
  };
}

// Joint angles for curl = 1: knuckle, middle, tip joints.
const CURL_ANGLES = [1.3, 1.5, 0.9];
// Per-finger abduction factor for `spread`: index, middle, pinky, ring.
const SPREAD_FACTOR = [1, 0.1, -1.2, -0.5];
// Left thumb at rest points forward and out; it curls toward the palm (−y) about thumb × palm normal.
const THUMB_CURL_AXIS: Vec3 = [0.85, 0, -0.5];
const THUMB_CURL_ANGLES = [0.5, 0.7, 0.8];

/** Full 45-D axis-angle pose of one hand (not PCA), in SMPL-X joint order. */
export function handPose(p: HandshapeParams, side: 'left' | 'right'): Float64Array {
  const out = new Float64Array(45);
  const put = (joint: number, aa: Vec3) => out.set(side === 'left' ? aa : mirrorAa(aa), joint * 3);
  for (let finger = 0; finger < 4; finger++) {
    for (let j = 0; j < 3; j++) {
      const flex = aaToMat([0, 0, -CURL_ANGLES[j] * p.curl[finger]]);
      // Abduction only at the knuckle.
      const abd = aaToMat([0, j === 0 ? -p.spread * SPREAD_FACTOR[finger] : 0, 0]);
      put(finger * 3 + j, matToAa(matMul(abd, flex)));
    }
  }
  for (let j = 0; j < 3; j++) {
    const curl = aboutAxis(THUMB_CURL_AXIS, THUMB_CURL_ANGLES[j] * p.thumbCurl);
    put(12 + j, j === 0 ? composeAa([0, -p.thumbOut, 0], curl) : curl);
  }
  return out;
}

/** Fifteen phases in [0, 2π) from the seed; seed 0 gives a fixed, tuned look. */
function phases(seed: number): number[] {
  return Array.from({ length: 15 }, (_, k) => (seed === 0 ? 0 : (hash(seed, 0x51ed, k) / 0xffffffff) * TAU));
}

/** 32-bit integer hash of a few integers (deterministic, platform independent). */
export function hash(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}
