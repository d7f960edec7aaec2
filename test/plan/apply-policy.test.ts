import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPolicy, referenceCounts, missingRate } from '../../src/plan/apply-policy.js';
import type { FrameCheck } from '../../src/types.js';

const seq = (checks: FrameCheck[]) => checks.map((check, i) => ({ frame: i + 1, check }));
const X: FrameCheck = 'no_person';

test('fallback: nearest previous renderable frame; leading gaps use the first valid frame', () => {
  const plan = applyPolicy(seq([X, 'corrupt', 'ok', X, 'missing_file', 'ok', 'invalid_value']), 'fallback');
  assert.deepEqual(plan.map((p) => [p.status, p.sourceFrame]), [
    ['fallback', 3], ['fallback', 3], ['rendered', null], ['fallback', 3], ['fallback', 3], ['rendered', null], ['fallback', 6],
  ]);
});

test('skip and placeholder', () => {
  const checks: FrameCheck[] = ['ok', X, 'missing_key', 'ok'];
  assert.deepEqual(applyPolicy(seq(checks), 'skip').map((p) => p.status), ['rendered', 'skipped', 'skipped', 'rendered']);
  assert.deepEqual(applyPolicy(seq(checks), 'placeholder').map((p) => p.status), ['rendered', 'placeholder', 'placeholder', 'rendered']);
});

test('all-invalid sequences: nothing rendered, fallback has no source', () => {
  const checks: FrameCheck[] = [X, 'corrupt', 'missing_file'];
  assert.ok(applyPolicy(seq(checks), 'fallback').every((p) => p.status === 'skipped' && p.sourceFrame === null));
  assert.ok(applyPolicy(seq(checks), 'placeholder').every((p) => p.status === 'placeholder'));
  assert.ok(applyPolicy(seq(checks), 'skip').every((p) => p.status === 'skipped'));
});

test('reference counts let the writer free a frame after its last fallback', () => {
  const plan = applyPolicy(seq([X, 'ok', X, X, 'ok']), 'fallback');
  assert.deepEqual([...referenceCounts(plan)], [[2, 4], [5, 1]]);
});

test('missing rate counts frames whose own data is unusable', () => {
  assert.equal(missingRate(seq(['ok', X, 'corrupt', 'ok'])), 0.5);
  assert.equal(missingRate([]), 0);
});
