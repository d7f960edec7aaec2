/** Paths of the ffmpeg/ffprobe binaries shipped inside npm packages (no download at install). */
import { createRequire } from 'node:module';
import { configError } from '../errors.js';

const require = createRequire(import.meta.url);

export function ffmpegPath(): string {
  if (process.env.BATCH_RENDER_FFMPEG) return process.env.BATCH_RENDER_FFMPEG;
  try {
    return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (err) {
    throw configError('ffmpeg not found: reinstall dependencies (npm ci) or set BATCH_RENDER_FFMPEG', err);
  }
}

export function ffprobePath(): string {
  if (process.env.BATCH_RENDER_FFPROBE) return process.env.BATCH_RENDER_FFPROBE;
  try {
    return (require('@ffprobe-installer/ffprobe') as { path: string }).path;
  } catch (err) {
    throw configError('ffprobe not found: reinstall dependencies (npm ci) or set BATCH_RENDER_FFPROBE', err);
  }
}
