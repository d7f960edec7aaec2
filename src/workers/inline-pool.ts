/**
 * Renders in the main process (--concurrency 1, the default on small
 * machines): one GL context, no worker processes, one copy of the model.
 * Frames draw in order on the main thread, overlapping llvmpipe's rasteriser
 * (RenderLoop); PNG encoding runs on libuv's threads, x264 in ffmpeg.
 */
import type { FrameJob, WorkerConfig } from './worker-protocol.js';
import type { JobResult, WorkerReady } from './worker-pool.js';
import type { FrameRenderer, RenderLoop } from './frame-renderer.js';

export class InlinePool {
  ready: WorkerReady | null = null;
  private renderer: FrameRenderer | null = null;
  private loop: RenderLoop | null = null;

  constructor(private readonly config: WorkerConfig) {}

  async start(): Promise<void> {
    const { FrameRenderer, RenderLoop } = await import('./frame-renderer.js');
    this.renderer = await FrameRenderer.create(this.config);
    this.loop = new RenderLoop(this.renderer);
    this.ready = { type: 'ready', ...this.renderer.ready };
  }

  async render(job: FrameJob): Promise<JobResult> {
    const o = await this.loop!.render(job);
    return { frame: job.frame, ...o };
  }

  async close(): Promise<void> {
    await this.loop?.drained();
    this.renderer?.dispose();
    this.renderer = null;
  }
}
