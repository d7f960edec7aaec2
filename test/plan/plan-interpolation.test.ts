import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyInterpolation } from '../../src/plan/plan-interpolation.js';
import type { FrameCheck } from '../../src/types.js';

const seq = (checks: FrameCheck[]) => checks.map((check, i) => ({ frame: i + 1, check }));
const X: FrameCheck = 'no_person';
const row = (p: ReturnType<typeof applyInterpolation>[number]) =>
  p.interpolation ? `interp ${p.interpolation.sourceFrames.join('-')}@${p.interpolation.weight}` : `${p.status}${p.sourceFrame ? ` ${p.sourceFrame}` : ''}`;

test('short gaps interpolated, longer gaps and the ends by the gap policy', () => {
  // 1 2 3 4 5 6 7 8 9
  const checks: FrameCheck[] = [X, 'ok', 'corrupt', 'ok', X, X, X, 'ok', 'outlier'];
  assert.deepEqual(applyInterpolation(seq(checks), 'fallback', 2).map(row), [
    'fallback 2', 'rendered', 'interp 2-4@0.5', 'rendered', 'fallback 4', 'fallback 4', 'fallback 4', 'rendered', 'fallback 8',
  ]);
  assert.deepEqual(applyInterpolation(seq(checks), 'placeholder', 3).map(row), [
    'placeholder', 'rendered', 'interp 2-4@0.5', 'rendered', 'interp 4-8@0.25', 'interp 4-8@0.5', 'interp 4-8@0.75', 'rendered', 'placeholder',
  ]);
});

test('frames that share nobody to interpolate follow the gap policy', () => {
  const plan = applyInterpolation(seq(['ok', X, 'ok']), 'skip', 5, () => false);
  assert.deepEqual(plan.map(row), ['rendered', 'skipped', 'rendered']);
});
