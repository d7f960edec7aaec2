/**
 * The temporal options of a run (--policy interpolate, --max_gap,
 * --gap_policy, --smooth and its knobs, --smooth_hands, --reject_outliers):
 * their flags for the shared schema, and the typed settings they make.
 * Pure: parsed values in, TemporalOptions or a UsageError out.
 */
import { Option, type Command } from 'commander';
import { usageError } from '../errors.js';
import type { Policy } from '../plan/apply-policy.js';
import { DEFAULT_SMOOTHING, type SmoothConfig, type SmootherSettings } from '../temporal/smooth-params.js';
import type { SmoothKind, TemporalOptions } from '../temporal/temporal-settings.js';

export type { SmoothKind, TemporalOptions } from '../temporal/temporal-settings.js';

export const DEFAULT_MAX_GAP = 15;

const positive = (name: string, max: number) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) throw usageError(`Expected a number greater than 0 and at most ${max} for --${name} but received "${v}"`);
  return n;
};
const nonNegative = (name: string, max: number) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) throw usageError(`Expected a number between 0 and ${max} for --${name} but received "${v}"`);
  return n;
};

/** Adds the temporal flags to the run command. */
export function addTemporalOptions(cmd: Command): Command {
  const d = DEFAULT_SMOOTHING;
  return cmd
    .option('--max-gap <n>', `with --policy interpolate: longest run of frames without a usable person to interpolate over (default ${DEFAULT_MAX_GAP})`, (v) => {
      if (!/^\s*\d+\s*$/.test(v) || Number(v) > 100_000) throw usageError(`Expected an integer between 0 and 100000 for --max_gap but received "${v}"`);
      return Number(v);
    })
    .addOption(new Option('--gap-policy <policy>', 'with --policy interpolate: longer gaps, and frames before the first or after the last usable frame (default fallback)').choices(['fallback', 'skip', 'placeholder']))
    .addOption(new Option('--smooth <smoother>', 'smooth every joint rotation and cam_trans over time: gaussian (two-sided window) or one-euro').choices(['none', 'one-euro', 'gaussian']).default('none'))
    .option('--smooth-sigma <frames>', `gaussian: standard deviation in frames (default ${d.gaussian.body.sigma})`, positive('smooth_sigma', 100))
    .option('--smooth-min-cutoff <hz>', `one-euro: cutoff at rest, Hz (default ${d.oneEuro.body.minCutoff})`, positive('smooth_min_cutoff', 1000))
    .option('--smooth-beta <b>', `one-euro: how fast the cutoff rises with speed (default ${d.oneEuro.body.beta})`, nonNegative('smooth_beta', 1000))
    .option('--smooth-hands <settings>', `the fingers' own settings: "none", or sigma=S (gaussian), or min_cutoff=HZ,beta=B (one-euro) (default sigma=${d.gaussian.hands.sigma}; min_cutoff=${d.oneEuro.hands.minCutoff},beta=${d.oneEuro.hands.beta})`)
    .option('--reject-outliers', 'classify single frames whose root flips, cam_trans jumps or hands swap against both neighbours as "outlier", handled like a missing frame');
}

/** Parsed commander values of the temporal flags, and whether each came from the command line. */
export interface TemporalFlags {
  policy: string;
  maxGap?: number;
  gapPolicy?: Policy;
  smooth: SmoothKind;
  smoothSigma?: number;
  smoothMinCutoff?: number;
  smoothBeta?: number;
  smoothHands?: string;
  rejectOutliers?: boolean;
  fps: number;
}

export function temporalOptions(o: TemporalFlags): TemporalOptions {
  const interpolating = o.policy === 'interpolate';
  if (!interpolating && o.maxGap !== undefined) throw usageError('--max_gap needs --policy interpolate');
  if (!interpolating && o.gapPolicy !== undefined) throw usageError('--gap_policy needs --policy interpolate');
  if (o.smooth !== 'gaussian' && o.smoothSigma !== undefined) throw usageError('--smooth_sigma needs --smooth gaussian');
  if (o.smooth !== 'one-euro' && (o.smoothMinCutoff !== undefined || o.smoothBeta !== undefined)) throw usageError('--smooth_min_cutoff and --smooth_beta need --smooth one-euro');
  if (o.smooth === 'none' && o.smoothHands !== undefined) throw usageError('--smooth_hands needs --smooth gaussian or one-euro');
  return {
    interpolate: interpolating ? { maxGap: o.maxGap ?? DEFAULT_MAX_GAP, gapPolicy: o.gapPolicy ?? 'fallback' } : null,
    smooth: smoothConfig(o),
    rejectOutliers: !!o.rejectOutliers,
  };
}

function smoothConfig(o: TemporalFlags): SmoothConfig | null {
  const d = DEFAULT_SMOOTHING;
  if (o.smooth === 'gaussian') {
    const body: SmootherSettings = { kind: 'gaussian', sigma: o.smoothSigma ?? d.gaussian.body.sigma };
    return { fps: o.fps, body, hands: handSettings(o.smoothHands, { kind: 'gaussian', ...d.gaussian.hands }) };
  }
  if (o.smooth === 'one-euro') {
    const body: SmootherSettings = { kind: 'one-euro', ...d.oneEuro.body, minCutoff: o.smoothMinCutoff ?? d.oneEuro.body.minCutoff, beta: o.smoothBeta ?? d.oneEuro.body.beta };
    return { fps: o.fps, body, hands: handSettings(o.smoothHands, { kind: 'one-euro', ...d.oneEuro.hands }) };
  }
  return null;
}

/** `--smooth_hands`: "none", or key=value pairs of the run's smoother, over the finger defaults. */
export function handSettings(spec: string | undefined, defaults: Exclude<SmootherSettings, { kind: 'none' }>): SmootherSettings {
  if (spec === undefined) return defaults;
  if (spec.trim() === 'none') return { kind: 'none' };
  const keys: Record<string, string> = defaults.kind === 'gaussian' ? { sigma: 'sigma' } : { min_cutoff: 'minCutoff', beta: 'beta' };
  const out: Record<string, unknown> = { ...defaults };
  for (const part of spec.split(',')) {
    const m = /^\s*([a-z_]+)\s*=\s*([^\s,]+)\s*$/.exec(part);
    const key = m ? keys[m[1]] : undefined;
    if (!m || !key) {
      throw usageError(`Expected "none" or ${Object.keys(keys).map((k) => `${k}=N`).join(',')} for --smooth_hands with --smooth ${defaults.kind} but received "${spec}"`);
    }
    const n = Number(m[2]);
    const ok = Number.isFinite(n) && (key === 'beta' ? n >= 0 : n > 0);
    if (!ok) throw usageError(`Expected ${key === 'beta' ? 'a number ≥ 0' : 'a number > 0'} for ${m[1]} in --smooth_hands but received "${m[2]}"`);
    out[key] = n;
  }
  return out as SmootherSettings;
}
