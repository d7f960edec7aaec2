/**
 * The README's picture of --framing and --views (used by make-figures.ts):
 * one frame of a demo sequence rendered by the real CLI under --framing full,
 * upper and hands (top row), and --framing upper --views front,side,top
 * (bottom row), each panel labelled with the flags that made it.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { writeDemoSequence } from '../src/demo-data/write-sequence.js';
import { esc, figurePng, MONO, renderFigureRun } from './figure-common.js';

/** The sequence, the frame shown and each panel's size. */
export const FRAMING_FIGURE = { frames: 60, seed: 0, frame: 30, panel: 300, labelH: 34, gutter: 6 } as const;

const RUNS = [
  { name: 'full', args: ['--framing', 'full'], labels: ['--framing full'] },
  { name: 'upper', args: ['--framing', 'upper'], labels: ['--framing upper'] },
  { name: 'hands', args: ['--framing', 'hands'], labels: ['--framing hands'] },
  { name: 'views', args: ['--framing', 'upper', '--views', 'front,side,top'], labels: ['front (--views front,side,top)', 'side', 'top'] },
] as const;

async function render(npzDir: string, outDir: string, args: readonly string[]): Promise<string> {
  const frames = await renderFigureRun(npzDir, outDir, ['--img_size', String(FRAMING_FIGURE.panel), ...args]);
  const e = frames.find((x) => x.frame === FRAMING_FIGURE.frame);
  if (e?.status !== 'rendered' || !e.image) throw new Error(`${outDir}: frame ${FRAMING_FIGURE.frame} was not rendered (${e?.status})`);
  return join(outDir, e.image);
}

/** Two rows of three panels: the framings, then the three views; a label above each panel. */
export async function makeFramingFigure(work: string, outFile: string): Promise<void> {
  const { panel: P, labelH, gutter } = FRAMING_FIGURE;
  const seq = join(work, 'framing-seq');
  await writeDemoSequence(seq, { frames: FRAMING_FIGURE.frames, seed: FRAMING_FIGURE.seed, failures: false });
  const images: string[] = [];
  for (const r of RUNS) images.push(await render(seq, join(work, `framing-${r.name}`), r.args));
  const wide = await sharp(images[3]).metadata();
  if (wide.width !== 3 * P || wide.height !== P) throw new Error(`${images[3]}: ${wide.width}×${wide.height}, expected ${3 * P}×${P} for three views`);
  const width = 3 * P + 2 * gutter, rowH = labelH + P, height = 2 * rowH + gutter;
  const tiles = [
    ...images.slice(0, 3).map((input, i) => ({ input, left: i * (P + gutter), top: labelH })),
    // The views image is one strip of three panels; it is cut so the panels line up with the row above.
    ...[0, 1, 2].map((i) => ({ input: images[3], extract: { left: i * P, top: 0, width: P, height: P }, left: i * (P + gutter), top: rowH + gutter + labelH })),
  ];
  const inputs = await Promise.all(tiles.map(async (t) => ({
    input: await ('extract' in t ? sharp(t.input).extract(t.extract) : sharp(t.input)).removeAlpha().toBuffer(), left: t.left, top: t.top,
  })));
  const labels = [...RUNS.slice(0, 3).map((r) => r.labels[0]), ...RUNS[3].labels];
  const texts = labels.map((s, i) => {
    const x = (i % 3) * (P + gutter) + P / 2, y = Math.floor(i / 3) * (rowH + gutter) + labelH - 11;
    return `<text x="${x}" y="${y}" font-size="16" text-anchor="middle" fill="#222" font-family="${MONO}">${esc(s)}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${texts.join('')}</svg>`;
  const png = await figurePng(sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([...inputs, { input: Buffer.from(svg), left: 0, top: 0 }]));
  writeFileSync(outFile, png);
}
