import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planFrameList, frameNumberOf } from '../../src/scan/list-frames.js';

test('frame numbers come from the name, in numeric order, gaps become missing files', () => {
  assert.equal(frameNumberOf('frame_0012_params.npz'), 12);
  assert.equal(frameNumberOf('frame_0012.npz'), 12);
  assert.equal(frameNumberOf('video2_frame-7.npz'), 7);
  assert.equal(frameNumberOf('00042.npz'), 42);
  const l = planFrameList(['frame_10.npz', 'frame_9.npz', 'frame_0012.npz', 'notes.txt'], '/d');
  assert.deepEqual(l.frames.map((f) => [f.frame, f.name]), [[9, 'frame_9.npz'], [10, 'frame_10.npz'], [11, null], [12, 'frame_0012.npz']]);
});

test('two files for one frame: the first is kept and the other reported', () => {
  const l = planFrameList(['frame_0001.npz', 'frame_0001_params.npz'], '/d');
  assert.equal(l.frames.length, 1);
  assert.equal(l.warnings.length, 1);
  assert.match(l.warnings[0], /frame 1 already read/);
});
