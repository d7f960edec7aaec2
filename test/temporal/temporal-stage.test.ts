import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeAa } from '../../src/body-model/axis-angle.js';
import { runTemporal, type TemporalFrame } from '../../src/temporal/temporal-stage.js';
import type { TemporalOptions } from '../../src/config/temporal-options.js';
import type { PersonParams } from '../../src/types.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

function person(id: number, x: number): PersonParams {
  return {
    personId: id, rootPose: f64([Math.PI, 0, 0]), bodyPose: new Float64Array(63), jawPose: new Float64Array(3),
    lhandPose: new Float64Array(45), rhandPose: new Float64Array(45), betas: new Float64Array(10), expr: new Float64Array(10),
    camTrans: f64([x, 0, 6]),
  };
}
const opts = (o: Partial<TemporalOptions>): TemporalOptions => ({ interpolate: null, smooth: null, rejectOutliers: false, ...o });

/** Frames 1..n; `people[f]` the ids present in frame f (none: no_person). */
function sequence(people: number[][]): { frames: TemporalFrame[]; persons: Map<number, PersonParams[]> } {
  const persons = new Map<number, PersonParams[]>();
  const frames = people.map((ids, i) => {
    const frame = i + 1;
    if (ids.length) persons.set(frame, ids.map((id) => person(id, 0.1 * frame + id)));
    return { frame, check: ids.length ? 'ok' as const : 'no_person' as const, detail: null };
  });
  return { frames, persons };
}

test('multi-person: a gap frame gets only the ids present on both sides, each interpolated', () => {
  // Person 1 is in frames 1 and 3, person 2 only in frame 3.
  const { frames, persons } = sequence([[0, 1], [], [0, 2], [2]]);
  const r = runTemporal(frames, persons, 'interpolate', opts({ interpolate: { maxGap: 5, gapPolicy: 'fallback' } }));
  assert.deepEqual(r.plan[1].interpolation, { sourceFrames: [1, 3], weight: 0.5 });
  const mid = r.persons.get(2)!;
  assert.deepEqual(mid.map((p) => p.personId), [0]);
  assert.ok(Math.abs(mid[0].camTrans[0] - 0.2) < 1e-12);
  assert.deepEqual([...r.persons.keys()], [2], 'only the interpolated frame is drawn from given parameters');
});

test('no shared id across the gap: the gap policy decides', () => {
  const { frames, persons } = sequence([[0], [], [1]]);
  const r = runTemporal(frames, persons, 'interpolate', opts({ interpolate: { maxGap: 5, gapPolicy: 'fallback' } }));
  assert.deepEqual([r.plan[1].status, r.plan[1].sourceFrame, r.plan[1].interpolation], ['fallback', 1, undefined]);
});

test('outliers: a flipped person is dropped; a frame left empty becomes an outlier frame for the policy', () => {
  const { frames, persons } = sequence([[0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1]]);
  const flip = (p: PersonParams) => { p.rootPose = f64(composeAa([0, Math.PI, 0], p.rootPose)); };
  flip(persons.get(2)!.find((p) => p.personId === 1)!);        // frame 2: one of two people flips
  for (const p of persons.get(5)!) flip(p);                       // frame 5: both flip
  const r = runTemporal(frames, persons, 'interpolate', opts({ rejectOutliers: true, interpolate: { maxGap: 5, gapPolicy: 'skip' } }));
  assert.deepEqual(r.frames.map((f) => f.check), ['ok', 'ok', 'ok', 'ok', 'outlier', 'ok', 'ok']);
  assert.match(r.frames[1].detail!, /person 1: root_flip/);
  assert.deepEqual(r.persons.get(2)!.map((p) => p.personId), [0]);
  assert.deepEqual(r.plan[4].interpolation, { sourceFrames: [4, 6], weight: 0.5 });
  assert.deepEqual(r.outliers, { root_flip: 3, cam_jump: 0, hands_swapped: 0 });
});

test('smoothing: every drawn frame gets smoothed parameters; a constant track stays put', () => {
  const { frames, persons } = sequence([[0], [0], [0], [], [0]]);
  for (const ps of persons.values()) ps[0].camTrans = f64([0.5, 0, 6]);
  const r = runTemporal(frames, persons, 'skip', opts({ smooth: { fps: 30, body: { kind: 'gaussian', sigma: 1 }, hands: { kind: 'gaussian', sigma: 1 } } }));
  assert.deepEqual([...r.persons.keys()], [1, 2, 3, 5]);
  for (const ps of r.persons.values()) assert.ok(Math.abs(ps[0].camTrans[0] - 0.5) < 1e-12);
  assert.equal(r.plan[3].status, 'skipped');
});
