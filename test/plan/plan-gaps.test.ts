import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planGaps } from '../../src/plan/plan-gaps.js';

const seq = (usable: string) => [...usable].map((c, i) => ({ frame: i + 1, usable: c === 'x' }));
const short = (d: ReturnType<typeof planGaps>[number]) =>
  d.kind === 'interpolate' ? `${d.a}-${d.b}@${d.weight.toFixed(3)}` : d.kind === 'gap' ? d.why : 'own';

test('short gaps between usable frames are interpolated with (f − a) / (b − a)', () => {
  // frame: 1 2 3 4 5 6 7 8 9 10 11
  const plan = planGaps(seq('.x..x...x.x'), 2);
  assert.deepEqual(plan.map(short), [
    'leading', 'own', '2-5@0.333', '2-5@0.667', 'own', 'long_gap', 'long_gap', 'long_gap', 'own', '9-11@0.500', 'own',
  ]);
});

test('trailing frames and all-unusable tracks are left to the gap policy', () => {
  assert.deepEqual(planGaps(seq('x..'), 5).map(short), ['own', 'trailing', 'trailing']);
  assert.deepEqual(planGaps(seq('...'), 5).map(short), ['none_usable', 'none_usable', 'none_usable']);
});

test('frame numbers that jump count the frames in between', () => {
  const plan = planGaps([{ frame: 10, usable: true }, { frame: 12, usable: false }, { frame: 14, usable: true }], 3);
  assert.deepEqual(plan.map(short), ['own', '10-14@0.500', 'own']);
  const tooLong = planGaps([{ frame: 10, usable: true }, { frame: 12, usable: false }, { frame: 15, usable: true }], 3);
  assert.deepEqual(tooLong.map(short), ['own', 'long_gap', 'own']);
});

test('max_gap 0 interpolates nothing; bad input is refused', () => {
  assert.deepEqual(planGaps(seq('x.x'), 0).map(short), ['own', 'long_gap', 'own']);
  assert.throws(() => planGaps(seq('x.x'), -1), /maxGap/);
  assert.throws(() => planGaps([{ frame: 2, usable: true }, { frame: 1, usable: true }], 1), /ascending/);
});
