/** Writes small test videos with the static ffmpeg from raw RGB frames we choose. */
import { execa } from 'execa';
import { ffmpegPath } from '../../src/video/ffmpeg-path.js';

export type Rgb = [number, number, number];

export interface VideoSpec {
  width: number;
  height: number;
  fps: number;
  /** One entry per frame: a uniform colour, or a full RGB24 frame. */
  frames: Array<Rgb | Uint8Array>;
  /** 'lossless': H.264 RGB at qp 0 (decodes to the exact bytes); 'yuv420p': ordinary lossy H.264. */
  codec?: 'lossless' | 'yuv420p';
}

export function solidFrame(w: number, h: number, c: Rgb): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) b.set(c, i * 3);
  return b;
}

export function frameBytes(spec: VideoSpec, i: number): Buffer {
  const f = spec.frames[i];
  return f instanceof Uint8Array ? Buffer.from(f) : solidFrame(spec.width, spec.height, f);
}

export async function makeVideo(path: string, spec: VideoSpec): Promise<void> {
  const input = Buffer.concat(spec.frames.map((_, i) => frameBytes(spec, i)));
  const codec = spec.codec === 'yuv420p' ? ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-crf', '18'] : ['-c:v', 'libx264rgb', '-qp', '0'];
  await execa(ffmpegPath(), [
    '-y', '-hide_banner', '-loglevel', 'error',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${spec.width}x${spec.height}`, '-r', String(spec.fps), '-i', 'pipe:0',
    ...codec, path,
  ], { input });
}

/** Pids of live processes whose command line mentions `needle` (Linux /proc). */
export async function processesMentioning(needle: string): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const cmd = (await readFile(`/proc/${d}/cmdline`, 'utf8')).split('\0').join(' ');
      const stat = await readFile(`/proc/${d}/stat`, 'utf8');
      if (cmd.includes(needle) && !/\) Z /.test(stat)) pids.push(Number(d));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}
