/**
 * Decodes a video to raw RGB24 frames with one ffmpeg process writing
 * rawvideo to a pipe. The async iterator pulls from the pipe only when the
 * consumer asks for the next frame, so a slow consumer blocks ffmpeg instead
 * of buffering frames: memory is one frame plus the pipe's buffer.
 * Stopping early (break, throw, abort) kills ffmpeg and waits for it to exit.
 */
import { execa } from 'execa';
import { BatchRenderError, configError } from '../errors.js';
import { ffmpegPath } from './ffmpeg-path.js';
import { lastLine } from './probe-video.js';

export interface DecodeOptions {
  /** Size of the decoded frames (from probeVideo). */
  width: number;
  height: number;
  /** Resize every frame to this size (bilinear) instead. */
  scale?: { width: number; height: number };
  signal?: AbortSignal;
}

const STDERR_KEEP = 4096;

/** Yields each frame as a fresh Buffer of width*height*3 bytes (RGB, row-major, top row first). */
export async function* decodeVideo(path: string, opts: DecodeOptions): AsyncGenerator<Buffer, void, undefined> {
  const outW = opts.scale?.width ?? opts.width;
  const outH = opts.scale?.height ?? opts.height;
  if (!(Number.isInteger(outW) && outW > 0 && Number.isInteger(outH) && outH > 0)) {
    throw new BatchRenderError('INTERNAL', `decodeVideo: bad frame size ${outW}x${outH}`);
  }
  if (opts.signal?.aborted) throw new BatchRenderError('INTERRUPTED', `decoding ${path} was interrupted`);
  const frameBytes = outW * outH * 3;
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-i', path,
    '-map', '0:v:0',
    '-vsync', '0', // one output frame per decoded frame: no duplicates or drops
    ...(opts.scale ? ['-vf', `scale=${outW}:${outH}:flags=bilinear`] : []),
    '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1',
  ];
  const child = execa(ffmpegPath(), args, {
    stdin: 'ignore',
    buffer: false,
    reject: false,
    // Own process group: a terminal's Ctrl-C is ours to handle; if we die, its stdout pipe breaks and it ends.
    detached: true,
    cancelSignal: opts.signal,
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void child.finally(() => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_KEEP);
  });

  let done = false;
  try {
    let frame = Buffer.allocUnsafe(frameBytes);
    let filled = 0;
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(chunk.length - off, frameBytes - filled);
        chunk.copy(frame, filled, off, off + n);
        filled += n;
        off += n;
        if (filled === frameBytes) {
          if (opts.signal?.aborted) throw new BatchRenderError('INTERRUPTED', `decoding ${path} was interrupted`);
          yield frame;
          frame = Buffer.allocUnsafe(frameBytes); // the consumer may keep the previous one
          filled = 0;
        }
      }
    }
    const res = await child;
    done = true;
    if (opts.signal?.aborted) throw new BatchRenderError('INTERRUPTED', `decoding ${path} was interrupted`);
    if (res.exitCode !== 0) {
      throw configError(`cannot decode video ${path}: ${lastLine(stderr) || res.shortMessage || `ffmpeg exit ${res.exitCode}`}`);
    }
    if (filled !== 0) {
      throw configError(`cannot decode video ${path}: stream ended inside a frame (${filled} of ${frameBytes} bytes); expected ${outW}x${outH} frames`);
    }
  } finally {
    if (!done) {
      child.kill('SIGKILL');
      await child; // reap: no process outlives the iterator (reject: false, never throws)
    }
  }
}
