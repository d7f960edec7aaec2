/**
 * What the README figures (make-figures.ts, figure-framing.ts,
 * figure-outlier.ts) share: where the CLI is, the fonts, SVG text escaping,
 * one CLI run with the settings that make its pixels the same on any
 * machine, and the PNG encoding of a composed figure.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Sharp } from 'sharp';

export const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const cli = join(repo, 'bin', 'batch-render');
export const FONT = 'DejaVu Sans';
export const MONO = 'DejaVu Sans Mono';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface ReportFrame { frame: number; status: string; image: string | null }

/**
 * The real CLI over `npzDir` into `outDir` with `args`, drawn with llvmpipe
 * (--device cpu) in one process, no MP4; returns the report's frames.
 */
export async function renderFigureRun(npzDir: string, outDir: string, args: readonly string[]): Promise<ReportFrame[]> {
  await execa(cli, ['--npz_dir', npzDir, '--output_dir', outDir, ...args, '--no-mp4', '--device', 'cpu', '--concurrency', '1'], { env: { CI: '1' } });
  return JSON.parse(readFileSync(join(outDir, 'render_report.json'), 'utf8')).frames;
}

/** A composed figure as a small PNG; no dither, so equal tiles stay equal pixels. */
export const figurePng = (img: Sharp): Promise<Buffer> => img.png({ compressionLevel: 9, palette: true, colours: 128, dither: 0 }).toBuffer();
