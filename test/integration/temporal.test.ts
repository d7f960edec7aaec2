/**
 * --policy interpolate, --reject_outliers and --smooth through the real CLI,
 * on generated sequences with gaps placed by hand: statuses, source_frames,
 * weights and totals must match the ground truth written down here, and the
 * interpolated frames must really be drawn from interpolated parameters.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { frameFileName, writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { runCli, readReport } from '../helpers/run-cli.js';
import { pythonWithNumpy } from '../helpers/python.js';

const FRAMES = 30;
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `br-temporal-${name}-`));
const file = (dir: string, f: number) => join(dir, frameFileName(f, FRAMES));
let gaps: string;

/**
 * Frames 1–2 corrupt (leading), 4 corrupt (1-frame gap), 8–10 deleted (3
 * frames missing), 15–20 corrupt (6 frames: longer than --max_gap 5),
 * 30 corrupt (trailing). Frame 25 is a byte copy of frame 23, so frame 24
 * sits between identical neighbours.
 */
const CORRUPT = [1, 2, 4, 15, 16, 17, 18, 19, 20, 30];
const DELETED = [8, 9, 10];

before(async () => {
  gaps = tmp('gaps');
  await writeDemoSequence(gaps, { frames: FRAMES, seed: 5 });
  for (const f of CORRUPT) writeFileSync(file(gaps, f), 'not a zip archive');
  for (const f of DELETED) rmSync(file(gaps, f));
  copyFileSync(file(gaps, 23), file(gaps, 25));
  writeFileSync(file(gaps, 24), 'not a zip archive either');
});

type Row = [status: string, sourceFrame: number | null, sourceFrames: [number, number] | null, weight: number | null];

/** The ground truth for --policy interpolate --max_gap 5 with the given gap policy. */
function expected(gapPolicy: 'fallback' | 'skip'): Row[] {
  const gap = (source: number): Row => (gapPolicy === 'fallback' ? ['fallback', source, null, null] : ['skipped', null, null, null]);
  const rows: Row[] = [];
  for (let f = 1; f <= FRAMES; f++) {
    if (f <= 2) rows.push(gap(3));                                  // before the first usable frame
    else if (f === 4) rows.push(['interpolated', null, [3, 5], 0.5]);
    else if (f >= 8 && f <= 10) rows.push(['interpolated', null, [7, 11], (f - 7) / 4]);
    else if (f >= 15 && f <= 20) rows.push(gap(14));                // 6 frames > max_gap
    else if (f === 24) rows.push(['interpolated', null, [23, 25], 0.5]);
    else if (f === 30) rows.push(gap(29));                          // after the last usable frame
    else rows.push(['rendered', null, null, null]);
  }
  return rows;
}

const rowsOf = (report: any): Row[] => report.frames.map((e: any) => [e.status, e.source_frame, e.source_frames ?? null, e.weight ?? null]);
const count = (rows: Row[], status: string) => rows.filter((r) => r[0] === status).length;

for (const gapPolicy of ['fallback', 'skip'] as const) {
  test(`--policy interpolate --max_gap 5 --gap_policy ${gapPolicy} --dry-run: statuses, source_frames, weights and totals`, async () => {
    const out = tmp(`dry-${gapPolicy}`);
    const r = await runCli(['--npz_dir', gaps, '--output_dir', out, '--dry-run', '--policy', 'interpolate', '--max_gap', '5', '--gap_policy', gapPolicy]);
    assert.equal(r.code, 0, r.stderr);
    const report = readReport(out);
    const want = expected(gapPolicy);
    assert.deepEqual(rowsOf(report), want);
    for (const s of ['rendered', 'interpolated', 'fallback', 'skipped']) assert.equal(report.totals[s], count(want, s), s);
    assert.equal(report.totals.interpolated, 5);
    assert.equal(report.reasons.corrupt, CORRUPT.length + 1);
    assert.equal(report.reasons.missing_file, DELETED.length);
  });
}

test('--max_gap 0 interpolates nothing: every gap frame follows the gap policy', async () => {
  const out = tmp('gap0');
  const r = await runCli(['--npz_dir', gaps, '--output_dir', out, '--dry-run', '--policy', 'interpolate', '--max_gap', '0']);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assert.equal(report.totals.interpolated, 0);
  assert.equal(report.totals.fallback, CORRUPT.length + 1 + DELETED.length);
});

test('a real render: interpolated frames are drawn from interpolated parameters, between their neighbours', async () => {
  const out = tmp('render');
  const r = await runCli(['--npz_dir', gaps, '--output_dir', out, '--img_size', '160', '--no-mp4', '--policy', 'interpolate', '--max_gap', '5', '--concurrency', '2']);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assert.deepEqual(rowsOf(report), expected('fallback'));
  const pixels = async (f: number) => (await sharp(join(out, `mesh_${String(f).padStart(4, '0')}.png`)).raw().toBuffer());
  const diff = (a: Buffer, b: Buffer) => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]); return s / a.length; };
  // Between byte-identical neighbours a slerp would stand still; the cubic follows the motion
  // around them (its slopes come from frames 21–23 and 25–29), by less than one frame's motion.
  const still = diff(await pixels(24), await pixels(23));
  assert.ok(still < diff(await pixels(22), await pixels(23)), `frame 24 moved ${still} from its identical neighbours`);
  // Frames 8–10 between 7 and 11: each differs from both ends and is closer to each than the ends are to each other.
  const [a, b] = [await pixels(7), await pixels(11)];
  const ends = diff(a, b);
  assert.ok(ends > 0, 'the motion moves between frames 7 and 11');
  for (const f of [8, 9, 10]) {
    const m = await pixels(f);
    assert.ok(diff(m, a) > 0 && diff(m, b) > 0, `frame ${f} is its own render`);
    assert.ok(diff(m, a) < ends && diff(m, b) < ends, `frame ${f} lies between its sources`);
  }
  assert.ok(diff(await pixels(8), a) < diff(await pixels(10), a), 'weights run from 7 towards 11');
});

test('--reject_outliers: a frame whose root turns round for one frame is an outlier, then interpolated',
  { skip: pythonWithNumpy ? false : 'python3 with numpy not available' }, async () => {
    const dir = tmp('flip');
    await writeDemoSequence(dir, { frames: 20, seed: 2 });
    // numpy turns frame 10's root pose half round about the camera's vertical axis (R_y(π)·R).
    const py = `
import numpy as np, sys
p = sys.argv[1]
d = dict(np.load(p))
def mat(v):
    t = np.linalg.norm(v); k = v / t; K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(t) * K + (1 - np.cos(t)) * K @ K
def aa(R):
    t = np.arccos(np.clip((np.trace(R) - 1) / 2, -1, 1))
    w = np.array([R[2, 1] - R[1, 2], R[0, 2] - R[2, 0], R[1, 0] - R[0, 1]])
    return w / (2 * np.sin(t)) * t
k = 'person_0_smplx_root_pose'
r = d[k].reshape(-1, 3)
r[0] = aa(mat(np.array([0.0, np.pi, 0.0])) @ mat(r[0].astype(np.float64)))
d[k] = r.reshape(d[k].shape).astype(d[k].dtype)
np.savez(p, **d)
`;
    const g = spawnSync(pythonWithNumpy!, ['-c', py, join(dir, frameFileName(10, 20))], { encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);

    const plain = tmp('flip-plain');
    assert.equal((await runCli(['--npz_dir', dir, '--output_dir', plain, '--dry-run'])).code, 0);
    assert.equal(readReport(plain).frames[9].check, 'ok', 'without --reject_outliers the flipped frame is used');

    const out = tmp('flip-out');
    const r = await runCli(['--npz_dir', dir, '--output_dir', out, '--dry-run', '--reject_outliers', '--policy', 'interpolate']);
    assert.equal(r.code, 0, r.stderr);
    const report = readReport(out);
    const flagged = report.frames.filter((e: any) => e.check !== 'ok').map((e: any) => [e.frame, e.check, e.status, e.source_frames]);
    assert.deepEqual(flagged, [[10, 'outlier', 'interpolated', [9, 11]]]);
    assert.match(report.frames[9].detail, /root_flip/);
    assert.equal(report.reasons.outlier, 1);
    assert.deepEqual(report.temporal.outliers, { root_flip: 1, cam_jump: 0, hands_swapped: 0 });
    assert.equal(report.totals.interpolated, 1);
  });

test('--smooth gaussian renders every frame from smoothed parameters; bad temporal options are usage errors', async () => {
  const out = tmp('smooth');
  const r = await runCli(['--npz_dir', gaps, '--output_dir', out, '--img_size', '96', '--no-mp4', '--policy', 'interpolate', '--smooth', 'gaussian', '--smooth_sigma', '1.5', '--smooth_hands', 'sigma=1', '--concurrency', '1']);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  assert.equal(report.totals.interpolated, 11, 'the default --max_gap 15 bridges the 6-frame gap too');
  const rough = tmp('rough');
  assert.equal((await runCli(['--npz_dir', gaps, '--output_dir', rough, '--img_size', '96', '--no-mp4', '--policy', 'interpolate', '--concurrency', '1'])).code, 0);
  const changed = [];
  for (const f of [3, 5, 6, 11, 12, 13]) {
    const name = `mesh_${String(f).padStart(4, '0')}.png`;
    const [x, y] = [await sharp(join(out, name)).raw().toBuffer(), await sharp(join(rough, name)).raw().toBuffer()];
    if (!x.equals(y)) changed.push(f);
  }
  assert.ok(changed.length >= 4, `smoothing changed frames ${changed}`);
  assert.deepEqual(report.temporal, {
    interpolate: { max_gap: 15, gap_policy: 'fallback' },
    smooth: { fps: 30, body: { kind: 'gaussian', sigma: 1.5 }, hands: { kind: 'gaussian', sigma: 1 } },
    reject_outliers: false, outliers: null,
  });
  for (const [args, msg] of [
    [['--max_gap', '3'], /--max_gap needs --policy interpolate/],
    [['--smooth', 'one-euro', '--smooth_sigma', '2'], /--smooth_sigma needs --smooth gaussian/],
    [['--smooth', 'gaussian', '--smooth_hands', 'beta=2'], /--smooth_hands/],
  ] as const) {
    const bad = await runCli(['--npz_dir', gaps, '--output_dir', tmp('bad'), '--dry-run', ...args]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, msg);
  }
});
