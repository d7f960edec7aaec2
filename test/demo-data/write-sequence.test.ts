import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSequence, frameFileName, DEMO_MARKER, type GroundTruth } from '../../src/demo-data/write-sequence.js';
import { openNpz } from '../../src/npz/read-npz.js';
import { FrameDataError } from '../../src/errors.js';
import { classifyFiles, PERSON_SIZES } from './classify-frame.js';
import { runNumpy } from '../helpers/python.js';

let root: string;
let dir: string;
let truth: GroundTruth;
const FRAMES = 300;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'demo-data-test-'));
  dir = join(root, 'seq');
  truth = await writeDemoSequence(dir, { frames: FRAMES, seed: 3, failures: true, shapes: 'mixed' });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('ground truth covers every frame and every check', () => {
  assert.equal(truth.frames.length, FRAMES);
  truth.frames.forEach((f, i) => assert.equal(f.frame, i + 1));
  const sum = Object.values(truth.counts).reduce((a, b) => a + b, 0);
  assert.equal(sum, FRAMES);
  for (const c of ['ok', 'no_person', 'missing_key', 'corrupt', 'invalid_value', 'missing_file'] as const) {
    assert.ok(truth.counts[c] > 0, `no ${c}`);
    assert.equal(truth.counts[c], truth.frames.filter((f) => f.check === c).length);
  }
  // Nobody at the very start, and runs of nobody later.
  assert.equal(truth.frames[0].check, 'no_person');
  assert.equal(truth.frames[1].check, 'no_person');
  const rate = truth.counts.no_person / FRAMES;
  assert.ok(rate > 0.04 && rate < 0.08, `no-person rate ${rate}`);
  // Missing files are never the first or last number, which would change the range itself.
  assert.notEqual(truth.frames[0].check, 'missing_file');
  assert.notEqual(truth.frames[FRAMES - 1].check, 'missing_file');
  const cases = new Set(truth.frames.map((f) => f.case));
  for (const c of ['corrupt_truncated', 'corrupt_not_zip', 'corrupt_empty', 'corrupt_bad_header', 'corrupt_object', 'invalid_nan', 'invalid_inf', 'invalid_length']) {
    assert.ok(cases.has(c as never), `no ${c}`);
  }
  const tags = new Set(truth.frames.flatMap((f) => f.tags));
  for (const t of ['two_people', 'big_endian', 'shapes_rows', 'shapes_batch', 'float64']) assert.ok(tags.has(t as never), `no ${t}`);
});

test('the directory holds exactly the frame files of the ground truth', () => {
  const files = readdirSync(dir).filter((f) => f !== DEMO_MARKER).sort();
  const expected = truth.frames.filter((f) => f.file !== null).map((f) => f.file!).sort();
  assert.deepEqual(files, expected);
  assert.equal(frameFileName(7, 300), 'frame_0007_params.npz');
  assert.equal(frameFileName(7, 12000, 'plain'), 'frame_00007.npz');
});

test('every frame, read by numpy and classified from the format doc, is what its ground truth says', () => {
  const all = classifyFiles(truth.frames.map((f) => join(dir, frameFileName(f.frame, FRAMES))));
  for (const f of truth.frames) {
    const got = all.get(join(dir, frameFileName(f.frame, FRAMES)))!;
    assert.equal(got.check, f.check, `frame ${f.frame} (${f.case}: ${f.detail})`);
    if (f.check !== 'corrupt' && f.check !== 'missing_file') assert.equal(got.persons, f.persons, `frame ${f.frame}`);
  }
});

test('ok frames have the OSX keys, shapes and dtypes (as numpy reads them)', () => {
  const okFrames = truth.frames.filter((x) => x.check === 'ok');
  const all = classifyFiles(okFrames.map((f) => join(dir, f.file!)));
  for (const f of okFrames) {
    const { arrays } = all.get(join(dir, f.file!))!;
    const path = arrays.get('image_path')!;
    assert.deepEqual(path.shape, []);
    assert.match(path.dtype, /^U\d+$/);
    assert.match((path.data as string[])[0], /frames\/\d{4}\.jpg$/);
    assert.deepEqual(Array.from(arrays.get('image_size')!.data), [720, 1280]);
    assert.equal(arrays.get('person_ids')!.dtype, 'i8');
    assert.deepEqual(arrays.get('person_ids')!.data, f.persons === 2 ? [0, 1] : [0]);
    assert.deepEqual(arrays.get('cfg_output_hm_shape')!.shape, [3]);
    assert.deepEqual(arrays.get('cfg_input_img_shape')!.shape, [2]);
    for (let i = 0; i < f.persons; i++) {
      for (const [name, size] of Object.entries(PERSON_SIZES)) {
        const a = arrays.get(`person_${i}_${name}`)!;
        assert.equal(a.dtype, f.tags.includes('float64') ? 'f8' : 'f4');
        const ok = f.tags.includes('shapes_rows') ? (size % 3 === 0 ? [[size / 3, 3], [1, size]] : [[1, size]])
          : f.tags.includes('shapes_batch') ? [[1, size]] : [[size]];
        assert.ok(ok.some((s) => JSON.stringify(s) === JSON.stringify(a.shape)), `${name} shape ${a.shape}`);
      }
      for (const [name, shape, dtype] of [['focal', [2], 'f8'], ['princpt', [2], 'f8'], ['bbox_xywh', [4], 'f8'], ['joint_img', [137, 3], 'f4'], ['bb2img_trans', [2, 3], 'f8']] as const) {
        const a = arrays.get(`person_${i}_${name}`)!;
        assert.deepEqual(a.shape, shape);
        assert.equal(a.dtype, dtype);
      }
      // The box contains the projected pelvis.
      const t = arrays.get(`person_${i}_cam_trans`)!.data as number[];
      const [fx, fy] = arrays.get(`person_${i}_focal`)!.data as number[];
      const [cx, cy] = arrays.get(`person_${i}_princpt`)!.data as number[];
      const [bx, by, bw, bh] = arrays.get(`person_${i}_bbox_xywh`)!.data as number[];
      const u = fx * t[0] / t[2] + cx, v = fy * (t[1] - 0.35) / t[2] + cy;
      assert.ok(u > bx && u < bx + bw && v > by && v < by + bh, `frame ${f.frame}: pelvis outside bbox`);
      assert.ok(bx > 0 && bx + bw < 1280 && bh > 400 && bh < 720, `frame ${f.frame}: bbox ${bx},${by},${bw},${bh}`);
    }
    assert.equal(arrays.has('person_1_smplx_body_pose'), f.persons === 2);
    // Big-endian frames really store '>' arrays.
    const raw = readFileSync(join(dir, f.file!)).toString('latin1');
    assert.equal(raw.includes("'descr': '>f"), f.tags.includes('big_endian'), `frame ${f.frame}`);
  }
});

test('failure files fail the documented way', () => {
  const of = (c: string) => truth.frames.filter((f) => f.case === c);
  for (const f of [...of('corrupt_truncated'), ...of('corrupt_not_zip'), ...of('corrupt_empty')]) {
    assert.throws(() => openNpz(join(dir, f.file!)), (e) => e instanceof FrameDataError && e.reason === 'corrupt', f.detail);
  }
  for (const f of of('corrupt_object')) {
    const npz = openNpz(join(dir, f.file!));
    assert.throws(() => npz.get('person_0_smplx_body_pose'), (e) => e instanceof FrameDataError && e.reason === 'corrupt' && /object/.test(e.message));
    assert.doesNotThrow(() => npz.get('person_0_smplx_rhand_pose'));
  }
  for (const f of of('corrupt_bad_header')) {
    const npz = openNpz(join(dir, f.file!));
    assert.throws(() => npz.get('person_0_smplx_root_pose'), (e) => e instanceof FrameDataError && e.reason === 'corrupt');
  }
  for (const f of of('missing_key')) {
    const npz = openNpz(join(dir, f.file!));
    const key = f.detail.split(' ')[0];
    assert.match(key, /^person_0_smplx_/);
    assert.equal(npz.has(key), false);
    assert.throws(() => npz.get(key), (e) => e instanceof FrameDataError && e.reason === 'missing_key');
  }
  for (const f of of('invalid_length')) assert.deepEqual(openNpz(join(dir, f.file!)).get('person_0_smplx_body_pose').shape, [60]);
  for (const f of of('no_person')) {
    const npz = openNpz(join(dir, f.file!));
    assert.deepEqual(npz.get('person_ids').shape, [0]);
    assert.equal([...npz.keys].filter((k) => k.startsWith('person_') && k !== 'person_ids').length, 0);
  }
  for (const f of of('missing_file')) {
    assert.equal(f.file, null);
    assert.equal(existsSync(join(dir, frameFileName(f.frame, FRAMES))), false);
  }
});

test('same seed, same bytes; another seed, another sequence', async () => {
  const again = await writeDemoSequence(join(root, 'again'), { frames: FRAMES, seed: 3, failures: true, shapes: 'mixed' });
  assert.deepEqual({ ...again, dir: '' }, { ...truth, dir: '' });
  for (const f of truth.frames) {
    if (f.file) assert.ok(readFileSync(join(dir, f.file)).equals(readFileSync(join(root, 'again', f.file))), f.file);
  }
  const other = await writeDemoSequence(join(root, 'other'), { frames: FRAMES, seed: 4, failures: true });
  assert.notDeepEqual(other.frames.map((f) => f.case), truth.frames.map((f) => f.case));
});

test('clean sequence: every frame ok, flat float32 little-endian, plain names', async () => {
  const d = join(root, 'clean');
  const t = await writeDemoSequence(d, { frames: 40, names: 'plain' });
  assert.deepEqual(t.counts, { ok: 40, no_person: 0, missing_key: 0, corrupt: 0, invalid_value: 0, missing_file: 0 });
  assert.equal(t.frames[0].file, 'frame_0001.npz');
  const all = classifyFiles(t.frames.map((f) => join(d, f.file!)));
  for (const f of t.frames) {
    const got = all.get(join(d, f.file!))!;
    assert.equal(got.check, 'ok');
    assert.deepEqual(got.arrays.get('person_0_smplx_body_pose')!.shape, [63]);
    assert.equal(got.arrays.get('person_0_smplx_body_pose')!.dtype, 'f4');
    assert.equal(readFileSync(join(d, f.file!)).toString('latin1').includes("'descr': '>"), false);
  }
});

test('small sequences with failures still get a consistent ground truth', async () => {
  for (const n of [1, 2, 3, 7]) {
    const d = join(root, `small-${n}`);
    const t = await writeDemoSequence(d, { frames: n, failures: true, seed: n });
    assert.equal(t.frames.length, n);
    const all = classifyFiles(t.frames.map((f) => join(d, frameFileName(f.frame, n))));
    for (const f of t.frames) assert.equal(all.get(join(d, frameFileName(f.frame, n)))!.check, f.check, `n=${n} frame ${f.frame}`);
  }
});

test('a rerun replaces its own old frames and refuses a directory of someone else\'s', async () => {
  const d = join(root, 'rerun');
  await writeDemoSequence(d, { frames: 30 });
  const t = await writeDemoSequence(d, { frames: 10 });
  assert.equal(readdirSync(d).filter((f) => f.endsWith('.npz')).length, t.frames.length);

  const foreign = join(root, 'foreign');
  await writeDemoSequence(join(foreign, 'x'), { frames: 1 }); // creates the parent
  writeFileSync(join(foreign, 'frame_0001_params.npz'), 'user data');
  await assert.rejects(writeDemoSequence(foreign, { frames: 3 }), /not written by the demo generator/);
  assert.equal(readFileSync(join(foreign, 'frame_0001_params.npz'), 'utf8'), 'user data');
});

test('ground truth goes to a file outside the directory only', async () => {
  const d = join(root, 'gt');
  await assert.rejects(writeDemoSequence(d, { frames: 5, groundTruthPath: join(d, 'truth.json') }), /inside/);
  const out = join(root, 'truth.json');
  const t = await writeDemoSequence(d, { frames: 5, failures: true, groundTruthPath: out });
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), JSON.parse(JSON.stringify(t)));
  assert.ok(!readdirSync(d).some((f) => f.endsWith('.json')));
});

test('numpy (allow_pickle=False) loads every ok file as our reader does, and refuses the object array', () => {
  const script = `
import json, sys, numpy as np
out = {}
for path in sys.argv[1:]:
    try:
        with np.load(path) as z:
            out[path] = {'keys': {k: [z[k].dtype.str, list(z[k].shape), float(np.nansum(z[k].astype(np.float64))) if z[k].dtype.kind in 'fi' else z[k].tolist()] for k in z.files}}
    except Exception as e:
        out[path] = {'error': type(e).__name__, 'message': str(e)}
print(json.dumps(out))
`;
  const files = truth.frames.filter((f) => f.file && (f.check === 'ok' || f.case === 'corrupt_object' || f.case === 'corrupt_bad_header')).map((f) => join(dir, f.file!));
  const res = JSON.parse(runNumpy(['-c', script, ...files])) as Record<string, { keys?: Record<string, [string, number[], unknown]>; error?: string; message?: string }>;
  for (const f of truth.frames.filter((x) => files.includes(join(dir, x.file ?? '')))) {
    const got = res[join(dir, f.file!)];
    if (f.case === 'corrupt_object') {
      assert.equal(got.error, 'ValueError');
      assert.match(got.message!, /allow_pickle/);
      continue;
    }
    if (f.case === 'corrupt_bad_header') { assert.ok(got.error, 'numpy accepted a bad header'); continue; }
    assert.ok(got.keys, `${f.file}: ${got.error} ${got.message}`);
    const ours = openNpz(join(dir, f.file!));
    assert.deepEqual(Object.keys(got.keys).sort(), [...ours.keys].sort());
    for (const [k, [dtype, shape, sum]] of Object.entries(got.keys)) {
      const a = ours.get(k);
      assert.deepEqual(shape, a.shape, `${f.file} ${k}`);
      assert.equal(dtype.slice(1), a.dtype.startsWith('U') ? a.dtype : a.dtype, `${f.file} ${k}`);
      assert.equal(dtype[0] === '>', f.tags.includes('big_endian') && !a.dtype.startsWith('U'), `${f.file} ${k} ${dtype}`);
      if (typeof sum === 'number') {
        const mine = Array.from(a.data as ArrayLike<number>).reduce((x, y) => x + y, 0);
        assert.ok(Math.abs(sum - mine) <= 1e-6 * Math.max(1, Math.abs(mine)), `${f.file} ${k}: numpy ${sum}, ours ${mine}`);
      } else {
        assert.deepEqual(sum, a.data[0]);
      }
    }
  }
});
