/**
 * Runs jobs in order through one FrameRenderer: prepare(n) happens while
 * frame n−1 is still rasterising, then collect(n−1), then submit(n).
 */
import type { FrameJob, FrameResult } from './worker-protocol.js';
import type { FrameRenderer, Prepared } from './frame-renderer.js';

export class RenderLoop {
  private queue: Array<{ job: FrameJob; resolve: (o: FrameResult) => void }> = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly renderer: FrameRenderer) {}

  render(job: FrameJob): Promise<FrameResult> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      if (!this.running) this.idle = this.run();
    });
  }

  /** Resolves when every queued job has been drawn and read back. */
  drained(): Promise<void> {
    return this.idle;
  }

  private async run(): Promise<void> {
    this.running = true;
    let inFlight: { p: Prepared; resolve: (o: FrameResult) => void } | null = null;
    const settle = (f: { p: Prepared; resolve: (o: FrameResult) => void }) => {
      let out: Promise<FrameResult>;
      try { out = this.renderer.collect(f.p); } catch (err) { out = Promise.resolve(failed(err)); }
      out.then(f.resolve, (err) => f.resolve(failed(err)));
    };
    try {
      while (this.queue.length > 0) {
        const { job, resolve } = this.queue.shift()!;
        let prepared: Prepared | FrameResult;
        try { prepared = this.renderer.prepare(job); } catch (err) { prepared = failed(err); }
        if (inFlight) { settle(inFlight); inFlight = null; }
        if ('failure' in prepared) { resolve(prepared); continue; }
        try {
          this.renderer.submit(prepared);
          inFlight = { p: prepared, resolve };
        } catch (err) {
          resolve(failed(err));
        }
        // Let the writer feed ffmpeg and queue more jobs between frames.
        await new Promise<void>((r) => setImmediate(r));
      }
      if (inFlight) settle(inFlight);
    } finally {
      this.running = false;
    }
  }
}

const noop = () => {};

export const failed = (err: unknown): FrameResult =>
  ({ times: null, pixels: null, release: noop, failure: { check: 'ok', detail: `render failed: ${(err as Error).message}` } });

