/**
 * scripts/make-figures.ts end to end: the frame strip must show what its
 * labels claim (the fallback row frozen on the last frame before the gap, the
 * interpolate row moving and closer to the truth), and the jitter plot must
 * take the benchmark's --plot JSON and refuse a malformed one by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { repoRoot } from '../helpers/paths.js';

const script = join(repoRoot, 'dist', 'scripts', 'make-figures.js');
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `br-figures-${name}-`));
const run = (args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

/** Mean absolute channel difference of two equal-sized RGB buffers. */
const diff = (a: Buffer, b: Buffer) => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]); return s / a.length; };

test('the strip: 3 rows × 6 columns; fallback freezes frame 24 through the gap, interpolate moves and is nearer the truth', async () => {
  const out = tmp('strip');
  const r = run(['--out', out, '--only', 'strip']);
  assert.equal(r.status, 0, r.stderr);
  const file = join(out, 'interpolate-strip.png');
  const { width, height } = await sharp(file).metadata();
  // Layout (labels 190 px left, header 62 px, 6 px gutters, 10 px margin) around 6 × 3 tiles of 0.44 × 0.32 of a 512 px render.
  assert.equal(width, 190 + 6 * (225 + 6) - 6 + 10);
  assert.equal(height, 62 + 3 * (164 + 6) - 6 + 10);
  // Each tile's inside, clear of the red frames drawn over the gap tiles.
  const tile = (row: number, col: number) => sharp(file).removeAlpha()
    .extract({ left: 190 + col * 231 + 5, top: 62 + row * 170 + 5, width: 215, height: 154 }).raw().toBuffer();
  const [truth, fallback, interp] = [0, 1, 2];
  for (const col of [0, 5]) { // frames 24 and 33: each run's own file
    assert.equal(diff(await tile(truth, col), await tile(fallback, col)), 0, `column ${col}: truth = fallback`);
    assert.equal(diff(await tile(truth, col), await tile(interp, col)), 0, `column ${col}: truth = interpolate`);
  }
  const frozen = await tile(fallback, 0);
  const seen: Buffer[] = [];
  for (const col of [1, 2, 3, 4]) { // frames 26, 28, 30, 32: no file
    const [t, f, i] = [await tile(truth, col), await tile(fallback, col), await tile(interp, col)];
    assert.equal(diff(f, frozen), 0, `column ${col}: fallback shows frame 24`);
    assert.ok(diff(t, f) > 1, `column ${col}: the truth moved away from frame 24`);
    assert.ok(diff(i, t) < diff(f, t), `column ${col}: interpolate ${diff(i, t).toFixed(2)} nearer the truth than fallback ${diff(f, t).toFixed(2)}`);
    for (const s of seen) assert.ok(diff(i, s) > 0, `column ${col}: interpolate moves`);
    seen.push(i);
  }
});

const plot = (frames: number) => {
  const f = Array.from({ length: frames }, (_, i) => i);
  const wave = (k: number) => f.map((i) => 100 + 40 * Math.sin(i / 9) + k * Math.sin(i * 2.7));
  return {
    fps: 30, joint: 'right_wrist', axis: 'x', unit: 'mm', frames: f,
    series: [{ name: 'truth', values: wave(0) }, { name: 'raw fits', values: wave(9) }, { name: 'gaussian (default)', values: wave(1) }, { name: 'one-euro', values: wave(3) }],
    jitter: [{ name: 'raw fits', body: 41.1, hands: 57.2 }, { name: 'gaussian (default)', body: 1.3, hands: 2.2 }, { name: 'one-euro', body: 5, hands: 8 }],
  };
};

test('the jitter plot: one line per series over the middle 150 frames, a PNG of the SVG; a malformed file is named', async () => {
  const out = tmp('jitter');
  const json = join(out, 'plot.json');
  writeFileSync(json, JSON.stringify(plot(300)));
  const r = run(['--out', out, '--only', 'jitter', '--plot_json', json]);
  assert.equal(r.status, 0, r.stderr);
  const svg = readFileSync(join(out, 'jitter.svg'), 'utf8');
  const lines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1].split(' ').length);
  assert.deepEqual(lines, [150, 150, 150, 150]);
  assert.match(svg, /right_wrist x over 5 s, frames 75–224 of 300:/);
  for (const v of ['41.1', '57.2', '1.3', '2.2']) assert.ok(svg.includes(`>body ${v}<`) || svg.includes(`>hands ${v}<`), v);
  const meta = await sharp(join(out, 'jitter.png')).metadata();
  assert.deepEqual([meta.width, meta.height], [1200, 440]);

  const bad = plot(20);
  bad.series[2].values = bad.series[2].values.slice(1);
  writeFileSync(json, JSON.stringify(bad));
  const b = run(['--out', out, '--only', 'jitter', '--plot_json', json]);
  assert.equal(b.status, 1);
  assert.equal(b.stderr.trim(), `make-figures: ${json}: series "gaussian (default)" needs a name and 20 numeric values`);
});

test('without --plot_json the jitter plot is drawn from the benchmark it runs: its values, as bench-temporal --plot writes them', async () => {
  const out = tmp('bench');
  const json = join(out, 'bench-plot.json');
  const bench = spawnSync(process.execPath, [join(repoRoot, 'dist', 'scripts', 'bench-temporal.js'), '--seeds', '1', '--frames', '300', '--plot', json], { encoding: 'utf8' });
  assert.equal(bench.status, 0, bench.stderr);
  const data = JSON.parse(readFileSync(json, 'utf8'));
  const r = run(['--out', out, '--only', 'jitter']);
  assert.equal(r.status, 0, r.stderr);
  const svg = readFileSync(join(out, 'jitter.svg'), 'utf8');
  const lines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((m) => m[1].split(' ').length);
  assert.deepEqual(lines, data.series.map(() => Math.min(150, data.frames.length)));
  for (const j of data.jitter) {
    assert.ok(svg.includes(`>${j.name}<`), j.name);
    assert.ok(svg.includes(`>body ${j.body.toFixed(1)}<`) && svg.includes(`>hands ${j.hands.toFixed(1)}<`), `${j.name}: ${j.body} / ${j.hands}`);
  }
});
