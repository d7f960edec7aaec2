/**
 * `npm run figures`: remakes the README's pictures of the motion options in docs/images.
 *
 *   node dist/scripts/make-figures.js [--out docs/images] [--plot_json FILE] [--only strip|jitter|framing|outlier] [--keep]
 *
 * interpolate-strip.png: a demo sequence (the project's generator) rendered by
 *   the real CLI three times: every file (truth); the same folder with the NPZ
 *   files of an 8-frame gap deleted, with --policy fallback; and with --policy
 *   interpolate. Rows are the three runs, columns the frames around the gap,
 *   cropped to where the arms and hands move.
 * jitter.png / jitter.svg: one joint's position over the frames (truth, raw
 *   noisy fits, each smoother) and the jitter per smoother, from the plot data
 *   of the temporal benchmark (run here, `bench-temporal --plot`, unless
 *   --plot_json names a file it wrote).
 * framing-views.png: one frame under --framing full / upper / hands, and under
 *   --framing upper --views front,side,top (figure-framing.ts).
 * reject-outliers.png: a frame whose root is turned half round, as fitted and
 *   with --reject_outliers --policy interpolate (figure-outlier.ts).
 *
 * Everything is seeded and rendered with --device cpu (llvmpipe), so a rerun on
 * another machine draws the same pixels. Takes ~12 s on 2 cores.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import sharp from 'sharp';
import { makeFramingFigure } from './figure-framing.js';
import { makeOutlierFigure } from './figure-outlier.js';
import { esc, figurePng, FONT, MONO, renderFigureRun, repo, type ReportFrame } from './figure-common.js';
import { frameFileName, writeDemoSequence } from '../src/demo-data/write-sequence.js';


/**
 * The strip's sequence. Frames 25–32 hold the right hand's change of shape
 * (frames 24–29) and a good part of both wrists' loops, so the frozen
 * fallback pose visibly parts from the truth; checked by eye, see the PNG.
 */
export const STRIP = { frames: 60, seed: 0, gapStart: 25, gapLength: 8, imgSize: 512, framing: 'upper', step: 2 } as const;

const FIGURES = ['strip', 'jitter', 'framing', 'outlier'] as const;
export interface FigureArgs { out: string; plotJson: string | null; only: (typeof FIGURES)[number] | null; keep: boolean }

/** Pure argv → options; throws TypeError naming the option on a bad value. */
export function parseFigureArgs(argv: string[]): FigureArgs {
  const { values } = parseArgs({
    args: argv.map((a) => (a.startsWith('--') ? a.replace(/_/g, '-') : a)),
    options: { out: { type: 'string', default: join(repo, 'docs', 'images') }, 'plot-json': { type: 'string' }, only: { type: 'string' }, keep: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  if (values.only !== undefined && !(FIGURES as readonly string[]).includes(values.only)) {
    throw new TypeError(`Expected ${FIGURES.join(', ')} for --only but received ${JSON.stringify(values.only)}`);
  }
  return { out: resolve(values.out), plotJson: values['plot-json'] ?? null, only: (values.only as FigureArgs['only']) ?? null, keep: values.keep };
}

// ───────────────────────────── the frame strip ─────────────────────────────

type Policy = 'truth' | 'fallback' | 'interpolate';
const ROWS: Array<{ policy: Policy; label: [string, string] }> = [
  { policy: 'truth', label: ['truth', 'all files present'] },
  { policy: 'fallback', label: ['fallback', '--policy fallback'] },
  { policy: 'interpolate', label: ['interpolate', '--policy interpolate'] },
];

export const gapFrames = () => Array.from({ length: STRIP.gapLength }, (_, i) => STRIP.gapStart + i);
/** The last frame before the gap, every other gap frame, the first frame after it. */
export function stripColumns(): number[] {
  const last = STRIP.gapStart + STRIP.gapLength - 1;
  const cols = [STRIP.gapStart - 1];
  for (let f = STRIP.gapStart + 1; f <= last; f += STRIP.step) cols.push(f);
  return [...cols, last + 1];
}

/** The complete sequence and a copy without the gap's files. */
async function writeStripInputs(work: string): Promise<{ full: string; gapped: string }> {
  const full = join(work, 'full');
  const gapped = join(work, 'gapped');
  await writeDemoSequence(full, { frames: STRIP.frames, seed: STRIP.seed });
  cpSync(full, gapped, { recursive: true });
  for (const f of gapFrames()) rmSync(join(gapped, frameFileName(f, STRIP.frames)));
  return { full, gapped };
}

const renderRun = (npzDir: string, outDir: string, policy: Policy): Promise<ReportFrame[]> =>
  renderFigureRun(npzDir, outDir, ['--img_size', String(STRIP.imgSize), '--framing', STRIP.framing, '--policy', policy === 'truth' ? 'fallback' : policy]);

/** The report must say the gap frames were filled the way the row claims; else the picture would lie. */
function checkStatuses(frames: ReportFrame[], outDir: string, policy: Policy): void {
  const want = { truth: 'rendered', fallback: 'fallback', interpolate: 'interpolated' }[policy];
  for (const f of gapFrames()) {
    const e = frames[f - 1];
    if (e?.frame !== f || e.status !== want) throw new Error(`${outDir}: frame ${f} is ${e?.status}, expected ${want}`);
  }
}

const tilePath = (outDir: string, f: number) => join(outDir, `mesh_${String(f).padStart(4, '0')}.png`);
interface Raw { data: Buffer; width: number; height: number }
const readRaw = async (file: string): Promise<Raw> => {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
};

/** Share of the rendered image the strip's tiles keep: about the forearms and hands. */
export const CROP = { width: 0.44, height: 0.32 };

/**
 * The crop window (CROP of the image) holding the most pixels where the truth
 * and fallback rows differ in the gap: the arms and hands that fallback
 * freezes, rather than the slowly swaying torso or the jaw.
 */
export function motionBox(pairs: Array<[Raw, Raw]>): { left: number; top: number; width: number; height: number } {
  const { width, height } = pairs[0][0];
  // Summed-area table of the difference mask: any window's count in four lookups.
  const sat = new Float64Array((width + 1) * (height + 1));
  let any = false;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const hit = pairs.some(([a, b]) => Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]) >= 40);
      any ||= hit;
      sat[(y + 1) * (width + 1) + x + 1] = (hit ? 1 : 0) + sat[y * (width + 1) + x + 1] + sat[(y + 1) * (width + 1) + x] - sat[y * (width + 1) + x];
    }
  }
  if (!any) throw new Error('fallback and truth draw the same pictures in the gap: no motion to show');
  const [w, h] = [Math.round(CROP.width * width), Math.round(CROP.height * height)];
  const count = (l: number, t: number) => sat[(t + h) * (width + 1) + l + w] - sat[t * (width + 1) + l + w] - sat[(t + h) * (width + 1) + l] + sat[t * (width + 1) + l];
  let best = { left: 0, top: 0, n: -1 };
  for (let t = 0; t + h <= height; t += 2) for (let l = 0; l + w <= width; l += 2) {
    const n = count(l, t);
    if (n > best.n) best = { left: l, top: t, n };
  }
  return { left: best.left, top: best.top, width: w, height: h };
}

const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;

export const STRIP_LAYOUT = { labelW: 190, headerH: 62, gutter: 6, margin: 10 };

/** Labels, frame numbers and the gap's markings, drawn over the tiles. */
function stripOverlay(cols: number[], tileW: number, tileH: number, width: number, height: number): string {
  const { labelW, headerH, gutter, margin } = STRIP_LAYOUT;
  const gap = new Set(gapFrames());
  const colX = (c: number) => labelW + c * (tileW + gutter);
  const rowY = (r: number) => headerH + r * (tileH + gutter);
  const parts: string[] = [];
  const gapCols = cols.map((f, c) => (gap.has(f) ? c : -1)).filter((c) => c >= 0);
  const [g0, g1] = [colX(gapCols[0]), colX(gapCols[gapCols.length - 1]) + tileW];
  const last = STRIP.gapStart + STRIP.gapLength - 1;
  parts.push(`<rect x="${g0}" y="${margin}" width="${g1 - g0}" height="24" rx="4" fill="#c62828"/>`);
  parts.push(text((g0 + g1) / 2, margin + 17, `no NPZ file for frames ${STRIP.gapStart}–${last}`, `font-size="15" font-weight="bold" fill="#fff" text-anchor="middle"`));
  cols.forEach((f, c) => {
    const fill = gap.has(f) ? '#c62828' : '#222';
    parts.push(text(colX(c) + tileW / 2, headerH - 10, `frame ${f}`, `font-size="15" fill="${fill}" text-anchor="middle"`));
    if (!gap.has(f)) return;
    // Gap tiles of the gapped runs are framed: they are drawn from no file of their own.
    for (const r of [1, 2]) parts.push(`<rect x="${colX(c) + 1.5}" y="${rowY(r) + 1.5}" width="${tileW - 3}" height="${tileH - 3}" fill="none" stroke="#c62828" stroke-width="3"/>`);
  });
  ROWS.forEach((row, r) => {
    const cy = rowY(r) + tileH / 2;
    const [a, b] = row.label;
    parts.push(text(margin, cy - 4, a, 'font-size="19" font-weight="bold" fill="#222"'));
    parts.push(text(margin, cy + 18, b, `font-size="14" font-family="${row.policy === 'truth' ? FONT : MONO}" fill="#444"`));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${FONT}">${parts.join('')}</svg>`;
}

/** Rows × columns of cropped tiles with the overlay on top; returns the PNG. */
async function composeStrip(runs: Record<Policy, string>, cols: number[]): Promise<Buffer> {
  const { labelW, headerH, gutter, margin } = STRIP_LAYOUT;
  const files = ROWS.flatMap((row) => cols.map((f) => tilePath(runs[row.policy], f)));
  const pairs = await Promise.all(gapFrames().map(async (f) => [await readRaw(tilePath(runs.truth, f)), await readRaw(tilePath(runs.fallback, f))] as [Raw, Raw]));
  const box = motionBox(pairs);
  const width = labelW + cols.length * (box.width + gutter) - gutter + margin;
  const height = headerH + ROWS.length * (box.height + gutter) - gutter + margin;
  const tiles = await Promise.all(files.map(async (file, i) => ({
    input: await sharp(file).removeAlpha().extract(box).toBuffer(),
    left: labelW + (i % cols.length) * (box.width + gutter),
    top: headerH + Math.floor(i / cols.length) * (box.height + gutter),
  })));
  const overlay = Buffer.from(stripOverlay(cols, box.width, box.height, width, height));
  return figurePng(sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([...tiles, { input: overlay, left: 0, top: 0 }]));
}

async function makeStrip(work: string, outFile: string): Promise<void> {
  const { full, gapped } = await writeStripInputs(work);
  const runs = { truth: join(work, 'r-truth'), fallback: join(work, 'r-fallback'), interpolate: join(work, 'r-interpolate') };
  for (const row of ROWS) {
    const frames = await renderRun(row.policy === 'truth' ? full : gapped, runs[row.policy], row.policy);
    checkStatuses(frames, runs[row.policy], row.policy);
  }
  // Outside the gap the three runs must be the same pictures (same sequence camera), or the rows cannot be compared.
  const before = STRIP.gapStart - 1;
  const ref = await sharp(tilePath(runs.truth, before)).raw().toBuffer();
  for (const p of ['fallback', 'interpolate'] as const) {
    if (!ref.equals(await sharp(tilePath(runs[p], before)).raw().toBuffer())) throw new Error(`frame ${before} of the ${p} run differs from the truth run: the sequence cameras differ`);
  }
  writeFileSync(outFile, await composeStrip(runs, stripColumns()));
}

// ───────────────────────────── the jitter plot ─────────────────────────────

export interface PlotData {
  fps: number; joint: string; axis: string; unit: string; frames: number[];
  series: Array<{ name: string; values: number[] }>;
  jitter: Array<{ name: string; body: number; hands: number }>;
}

/** The benchmark's --plot JSON, checked; one-line errors naming the file and the field. */
export function parsePlotData(json: string, file: string): PlotData {
  let d: any;
  try { d = JSON.parse(json); } catch (err) { throw new Error(`${file}: not JSON (${(err as Error).message})`); }
  const bad = (what: string) => new Error(`${file}: ${what}`);
  const nums = (xs: unknown) => Array.isArray(xs) && xs.length > 1 && xs.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!nums(d?.frames)) throw bad('"frames" must be an array of at least 2 numbers');
  for (const k of ['joint', 'axis', 'unit']) if (typeof d[k] !== 'string') throw bad(`"${k}" must be a string`);
  if (!Array.isArray(d.series) || !d.series.some((s: any) => s?.name === 'truth')) throw bad('"series" must be an array holding one named "truth"');
  for (const s of d.series) {
    if (typeof s?.name !== 'string' || !nums(s.values) || s.values.length !== d.frames.length) throw bad(`series ${JSON.stringify(s?.name)} needs a name and ${d.frames.length} numeric values`);
  }
  if (!Array.isArray(d.jitter) || d.jitter.length === 0) throw bad('"jitter" must be a non-empty array');
  for (const j of d.jitter) {
    if (typeof j?.name !== 'string' || ![j.body, j.hands].every((x) => typeof x === 'number' && x >= 0)) throw bad(`jitter ${JSON.stringify(j?.name)} needs a name and numbers body and hands >= 0`);
  }
  return d as PlotData;
}

async function loadPlotData(plotJson: string | null, work: string): Promise<PlotData> {
  let file = plotJson;
  if (!file) {
    file = join(work, 'plot.json');
    const bench = join(repo, 'dist', 'scripts', 'bench-temporal.js');
    try {
      await execa(process.execPath, [bench, '--seeds', '1', '--frames', '300', '--plot', file]);
    } catch (err) {
      throw new Error(`bench-temporal --plot failed (does this checkout's benchmark have --plot?): ${(err as { shortMessage?: string }).shortMessage ?? err}`);
    }
  }
  return parsePlotData(readFileSync(file, 'utf8'), file);
}

/** 1, 2 or 5 × 10^k steps, about `count` of them, covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const isRaw = (name: string) => /^raw/.test(name);
/** Truth black and thick, raw fits grey and thin, each smoother its own colour (in the order the data lists them). */
export function seriesStyle(d: PlotData, name: string): { color: string; width: number } {
  if (name === 'truth') return { color: '#000000', width: 2.6 };
  if (isRaw(name)) return { color: '#9e9e9e', width: 1 };
  const smoothers = [...new Set([...d.series, ...d.jitter].map((s) => s.name).filter((n) => n !== 'truth' && !isRaw(n)))];
  return { color: ['#1f77b4', '#e6550d', '#2ca02c', '#9467bd', '#8c564b'][smoothers.indexOf(name) % 5], width: 1.8 };
}

/** At most `n` frames from the middle of the data: 300 frames of noise in 660 px are a grey band. */
export function middleWindow(d: PlotData, n: number): PlotData {
  if (d.frames.length <= n) return d;
  const a = Math.floor((d.frames.length - n) / 2);
  return { ...d, frames: d.frames.slice(a, a + n), series: d.series.map((s) => ({ ...s, values: s.values.slice(a, a + n) })) };
}

interface Box { x: number; y: number; w: number; h: number }

function lineChart(d: PlotData, b: Box): string {
  const all = d.series.flatMap((s) => s.values);
  const [ylo, yhi] = [Math.min(...all), Math.max(...all)];
  const pad = (yhi - ylo) * 0.05 || 1;
  const yt = niceTicks(ylo - pad, yhi + pad, 6);
  const [y0, y1] = [Math.min(yt[0], ylo - pad), Math.max(yt[yt.length - 1], yhi + pad)];
  const [f0, f1] = [d.frames[0], d.frames[d.frames.length - 1]];
  const sx = (f: number) => b.x + ((f - f0) / (f1 - f0)) * b.w;
  const sy = (v: number) => b.y + b.h - ((v - y0) / (y1 - y0)) * b.h;
  const p: string[] = [];
  for (const t of yt) {
    p.push(`<line x1="${b.x}" x2="${b.x + b.w}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e0e0e0"/>`);
    p.push(text(b.x - 8, sy(t) + 5, String(t), 'font-size="13" text-anchor="end" fill="#333"'));
  }
  for (const t of niceTicks(f0, f1, 6)) {
    p.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${b.y + b.h}" y2="${b.y + b.h + 5}" stroke="#333"/>`);
    p.push(text(sx(t), b.y + b.h + 21, String(t), 'font-size="13" text-anchor="middle" fill="#333"'));
  }
  p.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="none" stroke="#333"/>`);
  p.push(text(b.x + b.w / 2, b.y + b.h + 42, `frame (${d.fps} fps)`, 'font-size="14" text-anchor="middle" fill="#333"'));
  p.push(text(b.x - 52, b.y + b.h / 2, `${d.joint} ${d.axis} (${d.unit})`, `font-size="14" text-anchor="middle" fill="#333" transform="rotate(-90 ${b.x - 52} ${b.y + b.h / 2})"`));
  // Raw first so the smoothers and the truth are drawn over it; truth last, on top.
  const order = [...d.series.keys()].sort((i, j) => rank(d.series[i].name) - rank(d.series[j].name));
  for (const i of order) {
    const s = d.series[i], st = seriesStyle(d, s.name);
    const pts = s.values.map((v, k) => `${sx(d.frames[k]).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
    p.push(`<polyline points="${pts}" fill="none" stroke="${st.color}" stroke-width="${st.width}" stroke-linejoin="round"/>`);
  }
  return p.join('') + legend(d, b.x, b.y - 16);
}
const rank = (name: string) => (name === 'truth' ? 2 : isRaw(name) ? 0 : 1);

function legend(d: PlotData, x: number, y: number): string {
  let cx = x;
  return d.series.map((s) => {
    const st = seriesStyle(d, s.name);
    const item = `<line x1="${cx}" x2="${cx + 26}" y1="${y - 5}" y2="${y - 5}" stroke="${st.color}" stroke-width="${Math.max(2, st.width)}"/>` + text(cx + 32, y, s.name, 'font-size="14" fill="#222"');
    cx += 32 + 8.2 * s.name.length + 22;
    return item;
  }).join('');
}

/** Jitter per series, body and hands side by side; linear, with the values written on the bars. */
function jitterBars(d: PlotData, b: Box): string {
  const max = Math.max(...d.jitter.flatMap((j) => [j.body, j.hands]));
  const group = b.h / d.jitter.length;
  const bar = Math.min(16, group * 0.32);
  const labelW = 150;
  const scale = (v: number) => (v / max) * (b.w - labelW - 90);
  const p: string[] = [
    text(b.x, b.y - 32, `jitter (${d.unit}/frame²), mean over joints`, 'font-size="15" font-weight="bold" fill="#222"'),
    text(b.x, b.y - 12, 'lower is smoother; all frames of the run', 'font-size="13" fill="#444"'),
  ];
  d.jitter.forEach((j, k) => {
    const gy = b.y + k * group + group / 2;
    const color = seriesStyle(d, j.name).color;
    p.push(text(b.x + labelW - 8, gy + 5, j.name, 'font-size="13" text-anchor="end" fill="#222"'));
    (['body', 'hands'] as const).forEach((part, m) => {
      const y = gy - bar - 1 + m * (bar + 2);
      const w = Math.max(1, scale(j[part]));
      p.push(`<rect x="${b.x + labelW}" y="${y}" width="${w}" height="${bar}" fill="${color}" fill-opacity="${m === 0 ? 1 : 0.55}"/>`);
      p.push(text(b.x + labelW + w + 5, y + bar - 3, `${part} ${j[part].toFixed(1)}`, 'font-size="12" fill="#222"'));
    });
  });
  p.push(`<line x1="${b.x + labelW}" x2="${b.x + labelW}" y1="${b.y}" y2="${b.y + b.h}" stroke="#333"/>`);
  return p.join('');
}

/**
 * Hand-written SVG, rasterised by sharp (librsvg): the chart libraries that
 * draw this well (uPlot, Chart.js…) need a browser or a canvas; this needs neither.
 */
export function jitterSvg(d: PlotData): string {
  const [W, H] = [1200, 440];
  const shown = middleWindow(d, 150);
  const part = shown.frames.length < d.frames.length ? `, frames ${shown.frames[0]}–${shown.frames[shown.frames.length - 1]} of ${d.frames.length}` : '';
  const title = `${d.joint} ${d.axis} over ${(shown.frames.length / d.fps).toFixed(0)} s${part}: the truth, noisy per-frame fits and each smoother's output`;
  const body = text(20, 26, title, 'font-size="15" font-weight="bold" fill="#222"') +
    lineChart(shown, { x: 80, y: 80, w: 660, h: 290 }) + jitterBars(d, { x: 800, y: 90, w: 380, h: 280 });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}">` +
    `<rect width="${W}" height="${H}" fill="#ffffff"/>${body}</svg>\n`;
}

async function makeJitter(plotJson: string | null, work: string, outDir: string): Promise<void> {
  const svg = jitterSvg(await loadPlotData(plotJson, work));
  writeFileSync(join(outDir, 'jitter.svg'), svg);
  await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toFile(join(outDir, 'jitter.png'));
}

async function main(): Promise<void> {
  const args = parseFigureArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'br-figures-'));
  const t0 = performance.now();
  try {
    mkdirSync(args.out, { recursive: true });
    const want = (f: FigureArgs['only']) => args.only === null || args.only === f;
    if (want('strip')) await makeStrip(work, join(args.out, 'interpolate-strip.png'));
    if (want('jitter')) await makeJitter(args.plotJson, work, args.out);
    if (want('framing')) await makeFramingFigure(work, join(args.out, 'framing-views.png'));
    if (want('outlier')) await makeOutlierFigure(work, join(args.out, 'reject-outliers.png'));
  } finally {
    if (args.keep) process.stderr.write(`make-figures: work files kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`make-figures: wrote ${args.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`make-figures: ${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
