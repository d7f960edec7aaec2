/** The page's pure rules on hand-written reports: badges, which frames render.mp4 holds, cards. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { badgeText, meshSourceFrame, meshVideoFrames, problemFrames, summaryCards, type ReportData, type ReportFrame } from '../../src/web/report-data.js';

const f = (frame: number, status: string, check = 'ok', source_frame: number | null = null, detail: string | null = null): ReportFrame =>
  ({ frame, file: `frame_${frame}.npz`, check, detail, status, source_frame, image: status === 'skipped' ? null : `mesh_${frame}.png` });

const report = (frames: ReportFrame[], layout?: string): ReportData => ({
  dry_run: false, input: {}, options: {}, missing_rate: 0.5, frames, reasons: {}, renderer: null, timing: { frames_per_s: 12.5 },
  totals: { frames: frames.length, rendered: 2, fallback: 1, placeholder: 0, skipped: 1, failed: 0, cancelled: 0 },
  video: { file: 'render.mp4', frames: 3, fps: 30 }, ...(layout ? { layout: { name: layout } } : {}),
});

test('badges say why a frame is not its own render', () => {
  assert.equal(badgeText(f(44, 'fallback', 'no_person', 43)), 'no person detected: showing frame 43');
  assert.equal(badgeText(f(9, 'placeholder', 'corrupt')), 'placeholder: corrupt file');
  assert.equal(badgeText(f(9, 'interpolated', 'invalid_value', 8)), 'interpolated');
  assert.equal(badgeText(f(9, 'skipped', 'missing_file')), 'skipped: missing file');
  assert.equal(badgeText(f(9, 'rendered')), null);
});

test('render.mp4 holds rendered, fallback and placeholder frames in the mesh layout; every frame but cancelled ones in the video layouts', () => {
  const frames = [f(1, 'rendered'), f(2, 'skipped', 'no_person'), f(3, 'fallback', 'corrupt', 1), f(4, 'rendered'), f(5, 'cancelled')];
  assert.deepEqual(meshVideoFrames(report(frames)).map((x) => x.frame), [1, 3, 4]);
  const sbs = { ...report(frames, 'side-by-side'), video: { file: 'render.mp4', frames: 4, fps: 30 } };
  assert.deepEqual(meshVideoFrames(sbs).map((x) => x.frame), [1, 2, 3, 4]);
  assert.deepEqual(meshVideoFrames({ ...report(frames), video: null }), []);
  assert.deepEqual(problemFrames(report(frames)).map((x) => x.frame), [2, 3, 5]);
  assert.deepEqual(frames.map(meshSourceFrame), [1, null, 1, 4, null]);
  assert.equal(meshSourceFrame(f(6, 'interpolated', 'no_person', null)), 6, 'an interpolated frame has its own (interpolated) mesh');
});

test('cards: success rate is rendered / frames, cancelled only when there are some', () => {
  const cards = Object.fromEntries(summaryCards(report([f(1, 'rendered'), f(2, 'skipped'), f(3, 'fallback', 'no_person', 1), f(4, 'rendered')])).map((c) => [c.key, c.value]));
  assert.equal(cards.success_rate, '50.0 %');
  assert.equal(cards.missing_rate, '50.0 %');
  assert.equal(cards.frames_per_s, '12.5');
  assert.equal(cards.cancelled, undefined);
});
