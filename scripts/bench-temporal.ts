/**
 * `npm run bench:temporal`: how much interpolation, smoothing and outlier
 * rejection help, on sequences whose true motion is known: the demo
 * generator's signing motion (src/demo-data/signing-motion.ts), posed with
 * the demo body's skeleton (55 SMPL-X joints, camera space), with noise
 * added to the parameters per frame (levels in NOISE below). Reports, as
 * markdown tables:
 *   1. mean per-joint position error (mm, body / hands) of gap frames, gaps of
 *      1–30 frames, under fallback (previous frame) and interpolate;
 *   2. jitter (mean acceleration error, mm/frame²) and mean per-joint error
 *      of all frames, raw and after each smoother;
 *   3. outlier detection precision / recall on injected root flips, hand
 *      swaps and cam_trans jumps.
 * Everything is seeded: the same command prints the same numbers.
 *
 *   node dist/scripts/bench-temporal.js [--seeds 5] [--frames 600] [--plot FILE]
 *
 * --plot writes the data of the README's jitter figure (scripts/make-figures.ts):
 * one fingertip's horizontal position over the first seconds of the first
 * sequence, true, raw and after each default smoother, and every smoother's jitter.
 */
import { demoBodyPath } from '../src/body-model/demo-body/demo-body-path.js';
import { createPoser, loadFramingSkeleton } from '../src/body-model/framing-skeleton.js';
import { aboutAxis, composeAa, type Vec3 } from '../src/body-model/axis-angle.js';
import { signingFrame } from '../src/demo-data/signing-motion.js';
import { DEFAULT_OUTLIER_THRESHOLDS, detectOutliers, handDistance, mirrorHand, type OutlierKind } from '../src/temporal/detect-outliers.js';
import { interpolateParams } from '../src/temporal/interpolate-params.js';
import { gapCurve, gapEnds } from '../src/temporal/interpolate-gap.js';
import { runTemporal } from '../src/temporal/temporal-stage.js';
import { writeFileSync } from 'node:fs';
import { planGaps } from '../src/plan/plan-gaps.js';
import { DEFAULT_SMOOTHING, smoothParams, type SmoothConfig } from '../src/temporal/smooth-params.js';
import type { TrackSample } from '../src/temporal/track-block.js';
import type { PersonParams } from '../src/types.js';
import { mulberry32 } from '../src/util/mulberry32.js';

const FPS = 30;
const DEG = Math.PI / 180;

/**
 * Per-frame, independent noise, standard deviation per axis. Assumed levels
 * for single-image SMPL-X fits (OSX / SMPLer-X style): a few degrees on body
 * joints, several on fingers (small in the image, often blurred), a little on
 * the root, millimetres sideways and centimetres in depth for cam_trans
 * (depth comes from the person's apparent size). They give raw jitter of
 * tens of mm/frame², the order reported for per-frame methods.
 */
const NOISE = { rootDeg: 0.6, bodyDeg: 1, jawDeg: 1, fingerDeg: 3, transXYmm: 2, transZmm: 10 };
const GAP_LENGTHS = [1, 2, 3, 5, 7, 10, 15, 20, 30];
const BODY_JOINTS = 25; // 0..24: pelvis … wrists, jaw, eyes; 25..54: fingers

interface Args { seeds: number; frames: number; plot: string | null }
function parseArgs(argv: string[]): Args {
  const a: Args = { seeds: 5, frames: 600, plot: null };
  for (let i = 0; i < argv.length; i++) {
    const v = Number(argv[i + 1]);
    if (argv[i] === '--seeds') { a.seeds = v; i++; } else if (argv[i] === '--frames') { a.frames = v; i++; } else if (argv[i] === '--plot') { a.plot = argv[++i]; } else throw new Error(`unknown option ${argv[i]}`);
  }
  return a;
}

function gaussianRng(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

function truthParams(frame: number, seed: number): PersonParams {
  const p = signingFrame(frame, { fps: FPS, seed });
  return { personId: 0, ...p };
}

/** Each joint turned by a small random rotation (per-axis σ), composed in its local frame. */
function noisyPose(pose: Float64Array, sigmaDeg: number, g: () => number): Float64Array {
  const out = new Float64Array(pose.length);
  for (let j = 0; j < pose.length; j += 3) {
    const d: Vec3 = [g() * sigmaDeg * DEG, g() * sigmaDeg * DEG, g() * sigmaDeg * DEG];
    out.set(composeAa([pose[j], pose[j + 1], pose[j + 2]], d), j);
  }
  return out;
}

function addNoise(p: PersonParams, g: () => number): PersonParams {
  return {
    ...p,
    rootPose: noisyPose(p.rootPose, NOISE.rootDeg, g),
    bodyPose: noisyPose(p.bodyPose, NOISE.bodyDeg, g),
    jawPose: noisyPose(p.jawPose, NOISE.jawDeg, g),
    lhandPose: noisyPose(p.lhandPose, NOISE.fingerDeg, g),
    rhandPose: noisyPose(p.rhandPose, NOISE.fingerDeg, g),
    camTrans: Float64Array.from([
      p.camTrans[0] + (g() * NOISE.transXYmm) / 1000,
      p.camTrans[1] + (g() * NOISE.transXYmm) / 1000,
      p.camTrans[2] + (g() * NOISE.transZmm) / 1000,
    ]),
  };
}

// The framing skeleton poses the joints exactly (shaped by the betas); its spheres sit off the
// joints, so their offsets are zeroed: the callback then gives the joints themselves.
const skeleton = loadFramingSkeleton(demoBodyPath());
skeleton.centres.fill(0);
const pose = createPoser(skeleton, true);
/** (55*3) posed joints in camera space, metres. */
function jointsOf(p: PersonParams): Float64Array {
  const out = new Float64Array(55 * 3);
  let j = 0;
  pose(p, (x, y, z) => { out[j * 3] = x; out[j * 3 + 1] = y; out[j * 3 + 2] = z; j++; });
  return out;
}

/** Mean joint distance (mm) over joints [from, to). */
function jointError(a: Float64Array, b: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let j = from; j < to; j++) s += Math.hypot(a[j * 3] - b[j * 3], a[j * 3 + 1] - b[j * 3 + 1], a[j * 3 + 2] - b[j * 3 + 2]);
  return (1000 * s) / (to - from);
}

/** Mean |accel(pred) − accel(true)| (mm/frame²) over interior frames and joints [from, to). */
function accelError(pred: Float64Array[], truth: Float64Array[], from: number, to: number): number {
  let s = 0, n = 0;
  for (let t = 1; t + 1 < pred.length; t++) {
    for (let j = from; j < to; j++) {
      let e2 = 0;
      for (let k = 0; k < 3; k++) {
        const i = j * 3 + k;
        const ap = pred[t + 1][i] - 2 * pred[t][i] + pred[t - 1][i];
        const at = truth[t + 1][i] - 2 * truth[t][i] + truth[t - 1][i];
        e2 += (ap - at) ** 2;
      }
      s += Math.sqrt(e2); n++;
    }
  }
  return (1000 * s) / n;
}

interface Sequence { seed: number; truth: PersonParams[]; truthJoints: Float64Array[]; noisy: PersonParams[] }

function makeSequence(seed: number, frames: number): Sequence {
  const g = gaussianRng(0x5eed + seed);
  const truth = Array.from({ length: frames }, (_, i) => truthParams(i, seed));
  return { seed, truth, truthJoints: truth.map(jointsOf), noisy: truth.map((p) => addNoise(p, g)) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const f1 = (x: number) => x.toFixed(1);

/** Gaps of g frames every g + 25 frames, from frame 20 on. */
function withGaps(frames: number, g: number): boolean[] {
  const usable = new Array<boolean>(frames).fill(true);
  for (let start = 20; start + g + 20 < frames; start += g + 25) for (let f = start; f < start + g; f++) usable[f] = false;
  return usable;
}

/** The usable samples of `src` as one track, and each frame's index in it. */
function usableTrack(src: PersonParams[], usable: boolean[]): { track: TrackSample[]; at: Map<number, number> } {
  const track = src.flatMap((params, frame) => (usable[frame] ? [{ frame, params }] : []));
  return { track, at: new Map(track.map((x, i) => [x.frame, i])) };
}

/**
 * Errors (mm) of the gap frames of sources `src`: fallback (the previous
 * usable frame), the tool's interpolation (cubic, interpolate-gap.ts) and the
 * plain slerp between the gap's ends (interpolate-params.ts), body / hands / all.
 */
function gapErrors(s: Sequence, src: PersonParams[], usable: boolean[]) {
  const e = { fbB: [] as number[], ipB: [] as number[], fbH: [] as number[], ipH: [] as number[], fb: [] as number[], ip: [] as number[], lin: [] as number[] };
  const { track, at } = usableTrack(src, usable);
  const curves = new Map<number, (w: number) => PersonParams>();
  const curveOf = (a: number, b: number) => curves.get(a) ?? curves.set(a, gapCurve(gapEnds(track, at.get(a)!, at.get(b)!))).get(a)!;
  planGaps(usable.map((u, i) => ({ frame: i, usable: u })), 30).forEach((d, f) => {
    if (d.kind !== 'interpolate') return;
    const fb = jointsOf(src[d.a]);
    const ip = jointsOf(curveOf(d.a, d.b)(d.weight));
    const lin = jointsOf(interpolateParams(src[d.a], src[d.b], d.weight));
    const t = s.truthJoints[f];
    e.fbB.push(jointError(fb, t, 0, BODY_JOINTS)); e.ipB.push(jointError(ip, t, 0, BODY_JOINTS));
    e.fbH.push(jointError(fb, t, BODY_JOINTS, 55)); e.ipH.push(jointError(ip, t, BODY_JOINTS, 55));
    e.fb.push(jointError(fb, t, 0, 55)); e.ip.push(jointError(ip, t, 0, 55)); e.lin.push(jointError(lin, t, 0, 55));
  });
  return e;
}

/** A run with --policy interpolate --smooth (the tool's temporal stage itself, runTemporal): errors (mm, all joints) of the gap frames. */
function smoothedThenInterpolated(s: Sequence, usable: boolean[], cfg: SmoothConfig): number[] {
  const frames = usable.map((u, frame) => ({ frame, check: u ? 'ok' as const : 'missing_file' as const, detail: null }));
  const persons = new Map(s.noisy.flatMap((p, f) => (usable[f] ? [[f, [p]] as [number, PersonParams[]]] : [])));
  const t = runTemporal(frames, persons, 'interpolate', { interpolate: { maxGap: 30, gapPolicy: 'fallback' }, smooth: cfg, rejectOutliers: false });
  return t.plan.filter((p) => p.interpolation).map((p) => jointError(jointsOf(t.persons.get(p.frame)![0]), s.truthJoints[p.frame], 0, 55));
}

/**
 * 1. Gap frames: fallback (previous usable frame) against interpolation,
 * from the noisy fits as they are; the plain slerp between the gap's ends
 * for comparison; a run with --smooth gaussian (the usable frames smoothed,
 * then the gaps interpolated) against plain fallback; and interpolation from
 * the true parameters (no noise: the method's own error).
 */
function gapTable(seqs: Sequence[], smooth: SmoothConfig) {
  const rows = [
    '| gap (frames) | gap frames | fallback body | interpolate body | fallback hands | interpolate hands | interp / fallback | slerp only / fallback | gaussian + interp / fallback | interp / fallback, noise-free |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const keys = ['fb', 'ip', 'lin', 'sip', 'tfb', 'tip'] as const;
  const short = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<(typeof keys)[number], number[]>;
  for (const g of GAP_LENGTHS) {
    const raw = { fbB: [] as number[], ipB: [] as number[], fbH: [] as number[], ipH: [] as number[], fb: [] as number[], ip: [] as number[], lin: [] as number[] };
    const sip: number[] = [], tfb: number[] = [], tip: number[] = [];
    for (const s of seqs) {
      const usable = withGaps(s.noisy.length, g);
      const r = gapErrors(s, s.noisy, usable);
      for (const k of Object.keys(raw) as Array<keyof typeof raw>) raw[k].push(...r[k]);
      sip.push(...smoothedThenInterpolated(s, usable, smooth));
      const c = gapErrors(s, s.truth, usable);
      tfb.push(...c.fb); tip.push(...c.ip);
    }
    if (g <= 10) {
      short.fb.push(...raw.fb); short.ip.push(...raw.ip); short.lin.push(...raw.lin); short.sip.push(...sip);
      short.tfb.push(...tfb); short.tip.push(...tip);
    }
    const ratio = (a: number[], b: number[]) => (mean(a) / mean(b)).toFixed(2);
    rows.push(`| ${g} | ${raw.fb.length} | ${f1(mean(raw.fbB))} | ${f1(mean(raw.ipB))} | ${f1(mean(raw.fbH))} | ${f1(mean(raw.ipH))} | ${ratio(raw.ip, raw.fb)} | ${ratio(raw.lin, raw.fb)} | ${ratio(sip, raw.fb)} | ${ratio(tip, tfb)} |`);
  }
  return { rows, short: {
    raw: { fb: mean(short.fb), ip: mean(short.ip) },
    slerp: { fb: mean(short.fb), ip: mean(short.lin) },
    smoothed: { fb: mean(short.fb), ip: mean(short.sip) },
    clean: { fb: mean(short.tfb), ip: mean(short.tip) },
  } };
}

/** 2. Jitter and error of every frame, raw and smoothed. */
function smoothingTable(seqs: Sequence[], configs: Array<[string, SmoothConfig | null]>) {
  const rows = ['| smoother | jitter body | jitter hands | error body | error hands | error all |', '|---|---|---|---|---|---|'];
  const results = new Map<string, { jitter: number; error: number; jitterBody: number; jitterHands: number }>();
  for (const [name, cfg] of configs) {
    const jb: number[] = [], jh: number[] = [], eb: number[] = [], eh: number[] = [], ea: number[] = [], ja: number[] = [];
    for (const s of seqs) {
      const samples: TrackSample[] = s.noisy.map((params, frame) => ({ frame, params }));
      const out = cfg ? smoothParams(samples, cfg) : s.noisy;
      const joints = out.map(jointsOf);
      jb.push(accelError(joints, s.truthJoints, 0, BODY_JOINTS)); jh.push(accelError(joints, s.truthJoints, BODY_JOINTS, 55));
      ja.push(accelError(joints, s.truthJoints, 0, 55));
      joints.forEach((j, f) => {
        eb.push(jointError(j, s.truthJoints[f], 0, BODY_JOINTS)); eh.push(jointError(j, s.truthJoints[f], BODY_JOINTS, 55));
        ea.push(jointError(j, s.truthJoints[f], 0, 55));
      });
    }
    results.set(name, { jitter: mean(ja), error: mean(ea), jitterBody: mean(jb), jitterHands: mean(jh) });
    rows.push(`| ${name} | ${f1(mean(jb))} | ${f1(mean(jh))} | ${f1(mean(eb))} | ${f1(mean(eh))} | ${f1(mean(ea))} |`);
  }
  return { rows, results };
}

/** 3. Injected outliers: frames at least 3 apart, each kind on its own frames. */
function outlierTable(seqs: Sequence[]) {
  const kinds: OutlierKind[] = ['root_flip', 'hands_swapped', 'cam_jump'];
  const rate: Record<OutlierKind, number> = { root_flip: 0.03, hands_swapped: 0.03, cam_jump: 0.02 };
  const tp = new Map<OutlierKind, number>(), fp = new Map<OutlierKind, number>(), injected = new Map<OutlierKind, number>();
  for (const k of kinds) { tp.set(k, 0); fp.set(k, 0); injected.set(k, 0); }
  let cleanFalse = 0, cleanFrames = 0;
  // Swaps of hands that differ (mean per-joint angle between left and mirrored right) by more than twice the margin.
  const visibleDeg = 2 * DEFAULT_OUTLIER_THRESHOLDS.handSwapMarginDeg;
  let visibleSwaps = 0, visibleFound = 0;
  for (const s of seqs) {
    const rng = mulberry32(0xf11b + s.seed);
    const truthKind = new Map<number, OutlierKind>();
    const params = s.noisy.map((p) => ({ ...p }));
    const taken = new Set<number>();
    for (const k of kinds) {
      const want = Math.round(rate[k] * params.length);
      for (let n = 0, tries = 0; n < want && tries < 10000; tries++) {
        const f = 2 + Math.floor(rng() * (params.length - 4));
        if ([-2, -1, 0, 1, 2].some((d) => taken.has(f + d))) continue;
        taken.add(f); truthKind.set(f, k); n++;
        const p = params[f];
        if (k === 'root_flip') {
          // Half turn about the camera's vertical (front/back confusion), or a large turn about a random axis.
          const axis: Vec3 = rng() < 0.5 ? [0, 1, 0] : [rng() - 0.5, rng() - 0.5, rng() - 0.5];
          const angle = axis[1] === 1 && axis[0] === 0 ? Math.PI : (100 + 80 * rng()) * DEG;
          p.rootPose = Float64Array.from(composeAa(aboutAxis(axis, angle), p.rootPose));
        } else if (k === 'hands_swapped') {
          [p.lhandPose, p.rhandPose] = [mirrorHand(p.rhandPose), mirrorHand(p.lhandPose)];
        } else {
          const dir: Vec3 = [rng() - 0.5, rng() - 0.5, rng() - 0.5];
          const n2 = Math.hypot(...dir), size = 0.8 + 1.7 * rng();
          p.camTrans = Float64Array.from([0, 1, 2].map((i) => p.camTrans[i] + (dir[i] / n2) * size));
        }
      }
    }
    const found = detectOutliers(params.map((p, frame) => ({ frame, params: p })));
    found.forEach((ks, f) => {
      for (const k of ks) {
        if (truthKind.get(f) === k) tp.set(k, tp.get(k)! + 1); else fp.set(k, fp.get(k)! + 1);
      }
    });
    for (const [f, k] of truthKind) {
      injected.set(k, injected.get(k)! + 1);
      if (k === 'hands_swapped' && handDistance(s.truth[f].lhandPose, mirrorHand(s.truth[f].rhandPose)) > visibleDeg * DEG) {
        visibleSwaps++;
        if (found[f].includes(k)) visibleFound++;
      }
    }
    // The same noisy sequence without injections: any detection is a false alarm.
    const clean = detectOutliers(s.noisy.map((p, frame) => ({ frame, params: p })));
    cleanFalse += clean.filter((ks) => ks.length > 0).length;
    cleanFrames += clean.length;
  }
  const rows = ['| outlier | injected | found (true) | false alarms | precision | recall |', '|---|---|---|---|---|---|'];
  const pr = new Map<OutlierKind, { precision: number; recall: number }>();
  for (const k of kinds) {
    const t = tp.get(k)!, f = fp.get(k)!, n = injected.get(k)!;
    const precision = t + f > 0 ? t / (t + f) : 1;
    pr.set(k, { precision, recall: t / n });
    rows.push(`| ${k} | ${n} | ${t} | ${f} | ${precision.toFixed(3)} | ${(t / n).toFixed(3)} |`);
  }
  rows.push(`| hands_swapped, hands differing > ${visibleDeg}° | ${visibleSwaps} | ${visibleFound} | | | ${(visibleFound / visibleSwaps).toFixed(3)} |`);
  rows.push(`| (no injections) | 0 | – | ${cleanFalse} in ${cleanFrames} frames | | |`);
  return { rows, pr };
}

/** The jitter figure's data: right_index3 (joint 42), x in camera space (mm), over the first 150 frames of `s`. */
function plotData(s: Sequence, configs: Array<[string, SmoothConfig | null]>, results: Map<string, { jitterBody: number; jitterHands: number }>) {
  const JOINT = 42, n = Math.min(150, s.noisy.length);
  const samples: TrackSample[] = s.noisy.slice(0, n).map((params, frame) => ({ frame, params }));
  const x = (joints: Float64Array[]) => joints.map((j) => Math.round(j[JOINT * 3] * 1e4) / 10);
  const named = (name: string) => name.replace(/ min_cutoff.*| σ .*/, '') + (name.includes('(default)') ? ' (default)' : '');
  const series = [{ name: 'truth', values: x(s.truthJoints.slice(0, n)) }];
  for (const [name, cfg] of configs) {
    if (cfg && !name.includes('(default)')) continue;
    series.push({ name: cfg ? named(name) : 'raw fits', values: x((cfg ? smoothParams(samples, cfg) : s.noisy.slice(0, n)).map(jointsOf)) });
  }
  const jitter = configs.filter(([name, cfg]) => !cfg || name.includes('(default)')).map(([name, cfg]) => {
    const r = results.get(name)!;
    return { name: cfg ? named(name) : 'raw fits', body: Number(r.jitterBody.toFixed(2)), hands: Number(r.jitterHands.toFixed(2)) };
  });
  return { fps: FPS, joint: 'right_index3', axis: 'x', unit: 'mm', frames: Array.from({ length: n }, (_, i) => i), series, jitter };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const seqs = Array.from({ length: args.seeds }, (_, i) => makeSequence(i + 1, args.frames));
  console.log(`# bench:temporal — ${args.seeds} signing sequences × ${args.frames} frames at ${FPS} fps, demo body skeleton (55 joints; body = joints 0–24, hands = 25–54)`);
  console.log(`noise per frame, σ per axis: root ${NOISE.rootDeg}°, body joints ${NOISE.bodyDeg}°, jaw ${NOISE.jawDeg}°, finger joints ${NOISE.fingerDeg}°, cam_trans ${NOISE.transXYmm} mm (x, y) / ${NOISE.transZmm} mm (z)\n`);

  console.log('## 1. Gap frames: mean per-joint position error (mm)\n');
  const d = DEFAULT_SMOOTHING;
  const defaultGaussian: SmoothConfig = { fps: FPS, body: { kind: 'gaussian', ...d.gaussian.body }, hands: { kind: 'gaussian', ...d.gaussian.hands } };
  const gaps = gapTable(seqs, defaultGaussian);
  console.log(gaps.rows.join('\n'));
  for (const [name, r] of Object.entries(gaps.short)) {
    const ratio = r.ip / r.fb;
    const label = { raw: 'noisy fits', slerp: 'noisy fits, slerp only (no slopes)', smoothed: 'noisy fits, --smooth gaussian then interpolate', clean: 'noise-free' }[name];
    console.log(`${name === 'raw' ? '\n' : ''}gaps ≤ 10 frames, ${label}: fallback ${f1(r.fb)} mm, interpolate ${f1(r.ip)} mm, ratio ${ratio.toFixed(2)} (target ≤ 0.33: ${ratio <= 1 / 3 ? 'met' : 'NOT met'})`);
  }
  console.log('');

  console.log('## 2. All frames: jitter (mean acceleration error, mm/frame²) and mean per-joint error (mm)\n');
  const configs: Array<[string, SmoothConfig | null]> = [
    ['raw (none)', null],
    [`gaussian σ body ${d.gaussian.body.sigma} / hands ${d.gaussian.hands.sigma} (default)`, defaultGaussian],
    ['gaussian σ 1 / 1', { fps: FPS, body: { kind: 'gaussian', sigma: 1 }, hands: { kind: 'gaussian', sigma: 1 } }],
    ['gaussian σ 3 / 3', { fps: FPS, body: { kind: 'gaussian', sigma: 3 }, hands: { kind: 'gaussian', sigma: 3 } }],
    [`one-euro min_cutoff ${d.oneEuro.body.minCutoff} / ${d.oneEuro.hands.minCutoff} Hz, beta ${d.oneEuro.body.beta} / ${d.oneEuro.hands.beta} (default)`,
      { fps: FPS, body: { kind: 'one-euro', ...d.oneEuro.body }, hands: { kind: 'one-euro', ...d.oneEuro.hands } }],
  ];
  const sm = smoothingTable(seqs, configs);
  console.log(sm.rows.join('\n'));
  const raw = sm.results.get(configs[0][0])!;
  for (const [name] of configs.slice(1)) {
    if (!name.includes('(default)')) continue;
    const r = sm.results.get(name)!;
    const ok = r.jitter <= raw.jitter / 2 && r.error - raw.error <= 5;
    console.log(`\n${name}: jitter ×${(r.jitter / raw.jitter).toFixed(2)}, error ${r.error - raw.error >= 0 ? '+' : ''}${(r.error - raw.error).toFixed(1)} mm (target ≤ ×0.5 and ≤ +5 mm: ${ok ? 'met' : 'NOT met'})`);
  }

  if (args.plot) { writeFileSync(args.plot, JSON.stringify(plotData(seqs[0], configs, sm.results))); console.log(`\n(plot data: ${args.plot})`); }

  console.log(`\n## 3. Outlier detection (thresholds: ${JSON.stringify(DEFAULT_OUTLIER_THRESHOLDS)})\n`);
  const out = outlierTable(seqs);
  console.log(out.rows.join('\n'));
  const flip = out.pr.get('root_flip')!;
  console.log(`\nflips: precision ${flip.precision.toFixed(3)}, recall ${flip.recall.toFixed(3)} (target ≥ 0.95: ${flip.precision >= 0.95 && flip.recall >= 0.95 ? 'met' : 'NOT met'})`);
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

main();
