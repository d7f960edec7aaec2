/**
 * One ffmpeg process, spawned before the first frame and fed raw RGBA frames
 * on stdin in order (H.264, yuv420p). Writes respect backpressure; a dead
 * encoder is reported with its stderr, not as a broken pipe. The file is
 * written under a temporary name and renamed when ffmpeg has finished, so
 * `render.mp4` is never half-written; after an interrupt it holds the frames
 * that were finished.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { rename, rm } from 'node:fs/promises';
import { ffmpegPath } from './ffmpeg-path.js';
import { tmpName } from '../output/write-atomic.js';
import { BatchRenderError } from '../errors.js';

export interface VideoEncoderOptions {
  path: string;
  width: number;
  height: number;
  fps: number;
  crf?: number;
  preset?: string;
}

/**
 * superfast rather than veryfast: the same speed end to end here and 13 MB less
 * memory in ffmpeg, for files about twice as large (~6 MB per minute at 720²,
 * crf 18). Measured in docs/performance.md.
 */
const DEFAULT_PRESET = 'superfast';

type EncoderEnd =
  | { type: 'running' }
  | { type: 'exited'; code: number | null; signal: NodeJS.Signals | null; stderr: string }
  | { type: 'spawn-error'; error: Error };

export class VideoEncoder {
  private readonly child: ChildProcess;
  private readonly tmp: string;
  private end: EncoderEnd = { type: 'running' };
  private readonly exited: Promise<void>;
  private stderr = '';
  frames = 0;
  /** Milliseconds spent waiting for ffmpeg to accept frames (its encode time, as seen from here). */
  waitMs = 0;

  constructor(private readonly opts: VideoEncoderOptions) {
    this.tmp = tmpName(opts.path) + '.mp4';
    const args = [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${opts.width}x${opts.height}`, '-framerate', String(opts.fps),
      '-i', 'pipe:0',
      '-an', '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', // yuv420p needs even sizes
      '-c:v', 'libx264', '-preset', opts.preset ?? DEFAULT_PRESET, '-crf', String(opts.crf ?? 18),
      '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', '-y', this.tmp,
    ];
    // On a 2-core machine one x264 thread keeps up (~240 frames/s at 720²) and leaves
    // the other core to the renderer; more threads only add ~20 MB of frame buffers.
    if (availableParallelism() <= 2) args.splice(args.indexOf('-pix_fmt', args.indexOf('-crf')), 0, '-threads', '1');
    // detached: its own process group, so a Ctrl-C in the terminal does not end
    // ffmpeg before it has the finished frames; we close it ourselves. If we die
    // (even by SIGKILL) its stdin closes and it ends too.
    this.child = spawn(ffmpegPath(), args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => { this.stderr = (this.stderr + d).slice(-4000); });
    this.child.stdin!.on('error', () => { /* EPIPE: reported through `end` below */ });
    // ffmpeg must not outlive us (second Ctrl-C, crash).
    const killOnExit = () => this.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.child.once('close', () => process.off('exit', killOnExit));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => { this.end = { type: 'spawn-error', error }; resolve(); });
      this.child.on('close', (code, signal) => {
        if (this.end.type === 'running') this.end = { type: 'exited', code, signal, stderr: this.stderr.trim() };
        resolve();
      });
    });
  }

  private failure(): BatchRenderError {
    const e = this.end;
    const why = e.type === 'spawn-error' ? e.error.message
      : e.type === 'exited' ? `exited with ${e.code ?? e.signal}${e.stderr ? `: ${e.stderr.split('\n').pop()}` : ''}`
      : 'unknown';
    // ffmpeg says "No space left on device" when the disk fills under it.
    if (/No space left|Disk quota/i.test(why)) return new BatchRenderError('OUTPUT_WRITE', `output disk full: ffmpeg could not write ${this.opts.path}`);
    return new BatchRenderError('INTERNAL', `ffmpeg failed while writing ${this.opts.path}: ${why}`);
  }

  /**
   * Appends one RGBA frame (width*height*4 bytes, top-down). Resolves once
   * ffmpeg's pipe has taken the bytes, so the caller may reuse the buffer.
   */
  async write(rgba: Uint8Array): Promise<void> {
    if (this.end.type !== 'running') throw this.failure();
    const t = performance.now();
    await new Promise<void>((resolve) => {
      const done = () => { this.child.off('close', done); resolve(); };
      this.child.once('close', done);
      this.child.stdin!.write(rgba, () => done());
    });
    if (this.end.type !== 'running') throw this.failure();
    this.waitMs += performance.now() - t;
    this.frames++;
  }

  /** Closes the stream, waits for ffmpeg, and moves the file into place. Returns false when no frame was written. */
  async finish(): Promise<boolean> {
    this.child.stdin!.end();
    await this.exited;
    const e = this.end;
    if (e.type !== 'exited' || e.code !== 0) {
      await rm(this.tmp, { force: true });
      if (this.frames === 0) return false;
      throw this.failure();
    }
    if (this.frames === 0) { await rm(this.tmp, { force: true }); return false; }
    await rename(this.tmp, this.opts.path);
    return true;
  }

  /** Stops ffmpeg without keeping the file. */
  async abort(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
    await rm(this.tmp, { force: true });
  }
}
