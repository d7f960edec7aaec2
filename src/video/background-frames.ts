/**
 * The background video of the overlay and side-by-side layouts, decoded once
 * in the main process as a stream, in frame order: frame k of the video is
 * sequence frame k (1-based). A few frames are decoded ahead, so ffmpeg works
 * while frames are composed; memory stays at those few frames.
 */
import { decodeVideo } from './decode-video.js';
import type { Size } from '../types.js';

/** Frames decoded ahead of the one asked for. */
const READ_AHEAD = 3;

export class BackgroundFrames {
  private readonly iter: AsyncGenerator<Buffer, void, undefined>;
  private readonly ahead: Array<Promise<IteratorResult<Buffer, void>>> = [];
  /** Number of the next frame the iterator yields (1-based). */
  private next = 1;
  private ended = false;
  /** Frames the decoder yielded so far. */
  decoded = 0;
  /** Why decoding stopped early, when it failed. */
  error: string | null = null;

  constructor(path: string, source: Size, out: Size, signal?: AbortSignal) {
    const scale = out.width !== source.width || out.height !== source.height ? out : undefined;
    this.iter = decodeVideo(path, { width: source.width, height: source.height, scale, signal });
  }

  private pull(): Promise<IteratorResult<Buffer, void>> {
    while (this.ahead.length < READ_AHEAD) {
      const p = this.iter.next();
      p.catch(() => { /* surfaced when awaited */ });
      this.ahead.push(p);
    }
    return this.ahead.shift()!;
  }

  /**
   * RGB24 of video frame `frame` (1-based), or null past the end of the
   * video. Frames must be asked for in increasing order; skipped numbers are
   * decoded and dropped.
   */
  async frame(frame: number): Promise<Buffer | null> {
    if (frame < this.next) throw new RangeError(`background frame ${frame} asked for after frame ${this.next - 1}`);
    while (!this.ended) {
      let r: IteratorResult<Buffer, void>;
      try {
        r = await this.pull();
      } catch (err) {
        // A damaged video ends the background here; the frames after it get the neutral one.
        this.error = (err as Error).message;
        this.ended = true;
        break;
      }
      if (r.done) { this.ended = true; break; }
      this.decoded++;
      if (this.next++ === frame) return r.value;
    }
    return null;
  }

  /** True once the decoder has run out of frames. */
  get exhausted(): boolean {
    return this.ended;
  }

  /** Stops ffmpeg (read-ahead included); safe to call twice. */
  async close(): Promise<void> {
    this.ended = true;
    const pending = this.ahead.splice(0);
    await Promise.allSettled(pending);
    await this.iter.return(undefined).catch(() => {});
  }
}
