/**
 * Output directories made by the real CLI on demo data, once per test file,
 * and a lossless source video with each frame's index stamped in as blocks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { ffmpegPath } from '../../src/video/ffmpeg-path.js';

export interface DemoRun { work: string; npzDir: string; outDir: string; report: any }

export async function makeDemoRun(opts: { frames?: number; args?: string[]; policy?: 'fallback' | 'skip' | 'placeholder' | 'interpolate' } = {}): Promise<DemoRun> {
  const work = mkdtempSync(join(tmpdir(), 'br-web-'));
  const npzDir = join(work, 'D');
  const outDir = join(work, 'O');
  execFileSync(process.execPath, [join(repoRoot, 'dist/scripts/make-demo-data.js'), '--out', npzDir, '--frames', String(opts.frames ?? 40)], { stdio: 'ignore' });
  const run = await runCli(['--npz_dir', npzDir, '--output_dir', outDir, '--policy', opts.policy ?? 'fallback', '--img_size', '128', ...(opts.args ?? [])]);
  if (run.code !== 0) throw new Error(`batch-render exited ${run.code}: ${run.stderr}`);
  return { work, npzDir, outDir, report: JSON.parse(readFileSync(join(outDir, 'render_report.json'), 'utf8')) };
}

/** Stamp layout: 8 bits per row, 2 rows, each bit a BLOCK×BLOCK square (black 0, white 1), on a grey ground. */
export const STAMP = { block: 16, bits: 16, cols: 8, x0: 8, y0: 8 };

/** RGB24 frame with `n` stamped in binary (LSB first), block-aligned so 4:2:0 chroma never smears a bit. */
export function stampedFrame(w: number, h: number, n: number): Buffer {
  const b = Buffer.alloc(w * h * 3, 128);
  for (let bit = 0; bit < STAMP.bits; bit++) {
    const v = (n >> bit) & 1 ? 255 : 0;
    const bx = STAMP.x0 + (bit % STAMP.cols) * STAMP.block;
    const by = STAMP.y0 + Math.floor(bit / STAMP.cols) * STAMP.block;
    for (let y = by; y < by + STAMP.block; y++) for (let x = bx; x < bx + STAMP.block; x++) b.fill(v, (y * w + x) * 3, (y * w + x) * 3 + 3);
  }
  return b;
}

/** Reads the stamp back from RGBA pixels (e.g. a canvas the video was drawn into), sampling each block's centre. */
export function readStamp(rgba: ArrayLike<number>, w: number): number {
  let n = 0;
  for (let bit = 0; bit < STAMP.bits; bit++) {
    const cx = STAMP.x0 + (bit % STAMP.cols) * STAMP.block + STAMP.block / 2;
    const cy = STAMP.y0 + Math.floor(bit / STAMP.cols) * STAMP.block + STAMP.block / 2;
    if (rgba[(cy * w + cx) * 4] > 128) n |= 1 << bit;
  }
  return n;
}

/** A lossless VP9 WebM whose frame i carries the number i (0-based). */
export async function makeStampedVideo(path: string, frames: number, fps: number, w = 160, h = 64): Promise<void> {
  const input = Buffer.concat(Array.from({ length: frames }, (_, i) => stampedFrame(w, h, i)));
  await execa(ffmpegPath(), ['-y', '-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${w}x${h}`, '-r', String(fps),
    '-i', 'pipe:0', '-c:v', 'libvpx-vp9', '-lossless', '1', '-pix_fmt', 'yuv420p', '-g', '1', path], { input });
}
