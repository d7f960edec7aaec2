import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunOptions } from '../../src/config/parse-run-options.js';
import { BatchRenderError } from '../../src/errors.js';

const temporal = (...flags: string[]) => {
  const r = parseRunOptions(['--npz_dir', 'd', ...flags]);
  assert.equal(r.kind, 'run');
  return r.kind === 'run' ? r.options : null!;
};
const usage = (flags: string[], msg: RegExp) =>
  assert.throws(() => parseRunOptions(['--npz_dir', 'd', ...flags]), (e: unknown) => e instanceof BatchRenderError && e.code === 'USAGE' && msg.test(e.message));

test('defaults: no interpolation, no smoothing, no outlier rejection', () => {
  assert.deepEqual(temporal().temporal, { interpolate: null, smooth: null, rejectOutliers: false });
});

test('--policy interpolate: max_gap 15 and gap policy fallback unless given', () => {
  const o = temporal('--policy', 'interpolate');
  assert.equal(o.policy, 'interpolate');
  assert.deepEqual(o.temporal.interpolate, { maxGap: 15, gapPolicy: 'fallback' });
  assert.deepEqual(temporal('--policy', 'interpolate', '--max_gap', '4', '--gap_policy', 'placeholder').temporal.interpolate, { maxGap: 4, gapPolicy: 'placeholder' });
});

test('--smooth gaussian / one-euro with their knobs and the fingers\' own settings', () => {
  assert.deepEqual(temporal('--smooth', 'gaussian', '--smooth_sigma', '3').temporal.smooth, {
    fps: 30, body: { kind: 'gaussian', sigma: 3 }, hands: { kind: 'gaussian', sigma: 1.5 },
  });
  assert.deepEqual(temporal('--smooth', 'one-euro', '--smooth_beta', '0.5', '--smooth_hands', 'min_cutoff=3,beta=2', '--fps', '25').temporal.smooth, {
    fps: 25,
    body: { kind: 'one-euro', minCutoff: 1, beta: 0.5, dCutoff: 1, maxGap: 3 },
    hands: { kind: 'one-euro', minCutoff: 3, beta: 2, dCutoff: 1, maxGap: 3 },
  });
  assert.deepEqual(temporal('--smooth', 'gaussian', '--smooth_hands', 'none').temporal.smooth!.hands, { kind: 'none' });
  assert.equal(temporal('--reject_outliers').temporal.rejectOutliers, true);
});

test('knobs without their option, and malformed values, are usage errors', () => {
  usage(['--max_gap', '3'], /--max_gap needs --policy interpolate/);
  usage(['--gap_policy', 'skip'], /--gap_policy needs --policy interpolate/);
  usage(['--policy', 'interpolate', '--max_gap', '-1'], /integer between 0 and 100000 for --max_gap/);
  usage(['--policy', 'interpolate', '--gap_policy', 'interpolate'], /gap-policy/);
  usage(['--smooth_sigma', '2'], /--smooth_sigma needs --smooth gaussian/);
  usage(['--smooth', 'gaussian', '--smooth_sigma', '0'], /greater than 0/);
  usage(['--smooth', 'gaussian', '--smooth_beta', '1'], /need --smooth one-euro/);
  usage(['--smooth_hands', 'sigma=1'], /--smooth_hands needs --smooth/);
  usage(['--smooth', 'gaussian', '--smooth_hands', 'min_cutoff=1'], /sigma=N for --smooth_hands/);
  usage(['--smooth', 'one-euro', '--smooth_hands', 'beta=-1'], /≥ 0 for beta/);
});
