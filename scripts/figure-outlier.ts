/**
 * The README's picture of --reject_outliers (used by make-figures.ts): a demo
 * sequence whose frame FLIP has its root turned half round about the
 * vertical (the front/back confusion of single-image fits), rendered by the
 * real CLI as it is and with --reject_outliers --policy interpolate; columns
 * are the frames around the flip, each labelled.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { frameFileName, writeDemoSequence } from '../src/demo-data/write-sequence.js';
import { openNpz } from '../src/npz/read-npz.js';
import { writeNpz, type NpyDtype, type NpyInput } from '../src/npz/write-npz.js';
import { aboutAxis, composeAa } from '../src/body-model/axis-angle.js';
import { esc, figurePng, FONT, MONO, renderFigureRun } from './figure-common.js';

export const OUTLIER_FIGURE = { frames: 40, seed: 0, flip: 20, panel: 220, labelW: 190, headerH: 30, gutter: 6 } as const;
const COLUMNS = [OUTLIER_FIGURE.flip - 2, OUTLIER_FIGURE.flip - 1, OUTLIER_FIGURE.flip, OUTLIER_FIGURE.flip + 1, OUTLIER_FIGURE.flip + 2];
const ROWS = [
  { name: 'raw', args: [] as string[], label: ['as fitted', '(no option)'], status: 'rendered' },
  { name: 'rejected', args: ['--reject_outliers', '--policy', 'interpolate'], label: ['--reject_outliers', '--policy interpolate'], status: 'interpolated' },
];

/** Turns frame `f`'s root pose half round about the camera's vertical axis, every other array as it was. */
function flipRoot(dir: string, f: number): void {
  const path = join(dir, frameFileName(f, OUTLIER_FIGURE.frames));
  const npz = openNpz(path);
  const arrays: Record<string, NpyInput> = {};
  for (const key of npz.keys) {
    const a = npz.get(key);
    arrays[key] = { dtype: a.dtype.replace(/^U\d+$/, 'U') as NpyDtype, shape: a.shape, data: a.data };
  }
  const key = [...npz.keys].find((k) => /root_pose$/.test(k));
  if (!key) throw new Error(`${path}: no root pose to turn`);
  const root = arrays[key].data as ArrayLike<number>;
  arrays[key] = { ...arrays[key], data: Float32Array.from(composeAa(aboutAxis([0, 1, 0], Math.PI), [root[0], root[1], root[2]])), dtype: 'f4' };
  writeNpz(path, arrays);
}

async function render(npzDir: string, outDir: string, args: readonly string[], flipStatus: string): Promise<string[]> {
  const frames = await renderFigureRun(npzDir, outDir, ['--img_size', String(OUTLIER_FIGURE.panel), '--framing', 'upper', ...args]);
  const flip = frames.find((e) => e.frame === OUTLIER_FIGURE.flip);
  if (flip?.status !== flipStatus) throw new Error(`${outDir}: frame ${OUTLIER_FIGURE.flip} is ${flip?.status}, expected ${flipStatus}`);
  return COLUMNS.map((f) => join(outDir, frames.find((e) => e.frame === f)!.image!));
}

export async function makeOutlierFigure(work: string, outFile: string): Promise<void> {
  const { panel: P, labelW, headerH, gutter } = OUTLIER_FIGURE;
  const seq = join(work, 'outlier-seq');
  await writeDemoSequence(seq, { frames: OUTLIER_FIGURE.frames, seed: OUTLIER_FIGURE.seed, failures: false });
  flipRoot(seq, OUTLIER_FIGURE.flip);
  const rows: string[][] = [];
  for (const r of ROWS) rows.push(await render(seq, join(work, `outlier-${r.name}`), r.args, r.status));
  const width = labelW + COLUMNS.length * (P + gutter) - gutter, height = headerH + ROWS.length * (P + gutter) - gutter;
  const tiles = await Promise.all(rows.flatMap((files, r) => files.map(async (file, c) => ({
    input: await sharp(file).removeAlpha().toBuffer(), left: labelW + c * (P + gutter), top: headerH + r * (P + gutter),
  }))));
  const texts: string[] = [];
  COLUMNS.forEach((f, c) => {
    const red = f === OUTLIER_FIGURE.flip;
    texts.push(`<text x="${labelW + c * (P + gutter) + P / 2}" y="${headerH - 9}" font-size="15" text-anchor="middle" fill="${red ? '#c62828' : '#222'}">${red ? `frame ${f}: root turned 180°` : `frame ${f}`}</text>`);
  });
  ROWS.forEach((r, i) => {
    const cy = headerH + i * (P + gutter) + P / 2;
    texts.push(`<text x="10" y="${cy - 4}" font-size="16" font-weight="bold" fill="#222" font-family="${MONO}">${esc(r.label[0])}</text>`);
    texts.push(`<text x="10" y="${cy + 16}" font-size="13" fill="#444" font-family="${MONO}">${esc(r.label[1])}</text>`);
  });
  const c = COLUMNS.indexOf(OUTLIER_FIGURE.flip), x = labelW + c * (P + gutter);
  texts.push(`<rect x="${x + 1.5}" y="${headerH + 1.5}" width="${P - 3}" height="${2 * P + gutter - 3}" fill="none" stroke="#c62828" stroke-width="3"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${FONT}">${texts.join('')}</svg>`;
  const png = await figurePng(sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([...tiles, { input: Buffer.from(svg), left: 0, top: 0 }]));
  writeFileSync(outFile, png);
}
