/**
 * Reads a video's size, frame rate and frame count with ffprobe. Width and
 * height are those of the decoded frames: ffmpeg applies the rotation stored
 * by phones, so a ±90° rotation swaps them.
 */
import { execa } from 'execa';
import { configError } from '../errors.js';
import { ffprobePath } from './ffmpeg-path.js';

export interface VideoInfo {
  path: string;
  width: number;
  height: number;
  fps: number;
  /** Exact when the container stores it, else duration × fps rounded. */
  frameCount: number;
  frameCountExact: boolean;
  durationS: number;
  /** Degrees, as stored in the file; already applied to width/height. */
  rotation: number;
  codec: string;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number | string }>;
}

/** Last non-empty line of a tool's stderr, for one-line messages. */
export function lastLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
}

/** '30000/1001' → 29.97; undefined for '0/0' and junk. */
export function parseRate(rate: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(rate ?? '');
  if (!m) return undefined;
  const v = Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2]));
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

export async function probeVideo(path: string): Promise<VideoInfo> {
  const res = await execa(
    ffprobePath(),
    ['-v', 'error', '-select_streams', 'v:0', '-show_streams', '-show_format', '-of', 'json', path],
    { reject: false, stdin: 'ignore' },
  );
  if (res.exitCode !== 0 || res.failed) {
    const why = lastLine(String(res.stderr ?? '')) || res.shortMessage || 'ffprobe failed';
    throw configError(`cannot read video ${path}: ${why}`);
  }
  let parsed: { streams?: ProbeStream[]; format?: { duration?: string } };
  try {
    parsed = JSON.parse(String(res.stdout));
  } catch (err) {
    throw configError(`cannot read video ${path}: ffprobe printed no JSON`, err);
  }
  const s = parsed.streams?.find((x) => x.codec_type === 'video') ?? parsed.streams?.[0];
  if (!s || !s.width || !s.height) throw configError(`cannot read video ${path}: it has no video stream`);
  const fps = parseRate(s.avg_frame_rate) ?? parseRate(s.r_frame_rate);
  if (!fps) throw configError(`cannot read video ${path}: no frame rate (avg_frame_rate ${s.avg_frame_rate}, r_frame_rate ${s.r_frame_rate})`);

  const rotation = Number(s.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? s.tags?.rotate ?? 0) || 0;
  const swap = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  const durationS = Number(s.duration ?? parsed.format?.duration ?? NaN);
  const nb = Number(s.nb_frames);
  const exact = Number.isInteger(nb) && nb > 0;
  const frameCount = exact ? nb : Number.isFinite(durationS) ? Math.round(durationS * fps) : 0;
  return {
    path,
    width: swap ? s.height : s.width,
    height: swap ? s.width : s.height,
    fps,
    frameCount,
    frameCountExact: exact,
    durationS: Number.isFinite(durationS) ? durationS : frameCount / fps,
    rotation,
    codec: s.codec_name ?? 'unknown',
  };
}
