import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFrameList, frameNumberOf, parseFrameNumber, defaultGapBound } from '../../src/scan/list-frames.js';
import { BatchRenderError } from '../../src/errors.js';
import { runCli } from '../helpers/run-cli.js';

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

test('only non-negative decimal frame numbers up to 10^7 are read; other names are warned about, with the reason', () => {
  const names = [
    'frame_0001_params.npz', 'frame_-3_params.npz', 'frame_99999999_params.npz', 'frame_10000000_params.npz',
    'frame_9007199254740993_params.npz', `frame_${'9'.repeat(40)}_params.npz`, 'frame_1.5_params.npz',
    'frame_0x1F_params.npz', 'shot_-7.npz', 'frame_+4.npz', 'frame--2.npz', 'video2_frame-2.npz',
  ];
  assert.equal(frameNumberOf('frame_-3_params.npz'), null, 'frame -3 is not frame 3');
  assert.deepEqual(parseFrameNumber('frame_-3_params.npz'), { ignored: 'negative frame number -3' });
  assert.deepEqual(parseFrameNumber('frame_99999999_params.npz'), { ignored: 'frame number 99999999 is beyond 10000000' });
  assert.deepEqual(parseFrameNumber('frame_9007199254740993_params.npz'), { ignored: 'frame number 9007199254740993 is beyond 10000000' });
  assert.deepEqual(parseFrameNumber('frame_10000000_params.npz'), { frame: 10_000_000 });
  assert.deepEqual(parseFrameNumber('clip-0003.npz'), { frame: 3 }, 'a hyphen after a letter separates');
  const l = planFrameList(names, '/d', { maxGapFrames: 10_000_000 });
  assert.deepEqual(l.frames.filter((f) => f.name !== null).map((f) => [f.frame, f.name]),
    [[1, 'frame_0001_params.npz'], [2, 'video2_frame-2.npz'], [10_000_000, 'frame_10000000_params.npz']]);
  const why = (name: string) => l.warnings.find((w) => w.startsWith(`${name}: `));
  assert.equal(why('frame_-3_params.npz'), 'frame_-3_params.npz: negative frame number -3, ignored');
  assert.equal(why('frame_99999999_params.npz'), 'frame_99999999_params.npz: frame number 99999999 is beyond 10000000, ignored');
  assert.match(why(`frame_${'9'.repeat(40)}_params.npz`)!, /frame number 999999999999…\(40 digits\) is beyond 10000000, ignored$/);
  assert.match(why('frame_1.5_params.npz')!, /is not a whole number, ignored$/);
  assert.match(why('frame_0x1F_params.npz')!, /is not decimal, ignored$/);
  assert.match(why('shot_-7.npz')!, /negative frame number -7/);
  assert.match(why('frame_+4.npz')!, /has a sign/);
  assert.match(why('frame--2.npz')!, /negative frame number -2/);
  assert.equal(l.warnings.length, 9);
});

test('a gap longer than the bound is a usage error naming both files, unless maxGapFrames allows it', () => {
  const err = (() => { try { planFrameList(['frame_0001_params.npz', 'frame_0002_params.npz', 'frame_200003_params.npz'], '/d'); } catch (e) { return e; } return null; })();
  assert.ok(err instanceof BatchRenderError, String(err));
  assert.equal(err.code, 'USAGE');
  assert.equal(err.exitCode, 2);
  assert.equal(err.message, '--npz_dir /d: 200000 missing frames between frame_0002_params.npz and frame_200003_params.npz, more than the 100000 allowed; '
    + 'check the numbering, or allow the gap with --max_gap_frames 200000');
  // Exactly at the bound is allowed; the option raises or lowers it.
  assert.equal(planFrameList(['frame_0.npz', 'frame_100001.npz'], '/d').frames.length, 100_002);
  assert.equal(planFrameList(['frame_1.npz', 'frame_200003.npz'], '/d', { maxGapFrames: 200_001 }).frames.length, 200_003);
  assert.throws(() => planFrameList(['frame_1.npz', 'frame_5.npz'], '/d', { maxGapFrames: 2 }), /3 missing frames between frame_1\.npz and frame_5\.npz, more than the 2 allowed/);
  // With many files the bound is 10× their number.
  const many = Array.from({ length: 20_000 }, (_, i) => `frame_${i}.npz`);
  assert.equal(defaultGapBound(20_001), 200_010);
  assert.equal(planFrameList([...many, 'frame_220000.npz'], '/d').frames.length, 220_001);
  assert.throws(() => planFrameList([...many, 'frame_230000.npz'], '/d'), /210000 missing frames between frame_19999\.npz and frame_230000\.npz, more than the 200010 allowed/);
});

test('the real CLI refuses an absurd gap with exit 2 and one line naming both files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'br-gap-'));
  const out = mkdtempSync(join(tmpdir(), 'br-gap-out-'));
  try {
    for (const name of ['frame_0001_params.npz', 'frame_99999999_params.npz', 'frame_300000_params.npz']) writeFileSync(join(dir, name), 'x');
    const r = await runCli(['--npz_dir', dir, '--output_dir', out, '--dry-run']);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^batch-render: --npz_dir .*: 299998 missing frames between frame_0001_params\.npz and frame_300000_params\.npz, more than the 100000 allowed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});
