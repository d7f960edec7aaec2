/**
 * Renders in the main process (--concurrency 1, the default on small
 * machines): one GL context, no worker processes, one copy of the model.
 * Frames draw in order on the main thread, overlapping llvmpipe's rasteriser
 * (RenderLoop); PNG encoding runs on libuv's threads, x264 in ffmpeg.
 */
import type { FrameJob, FrameResult, WorkerConfig } from './worker-protocol.js';
import type { WorkerReady } from './worker-pool.js';
import type { FrameRenderer } from './frame-renderer.js';
import type { RenderLoop } from './render-loop.js';

export class InlinePool {
  ready: WorkerReady | null = null;
  private renderer: FrameRenderer | null = null;
  private loop: RenderLoop | null = null;

  constructor(private readonly config: WorkerConfig) {}

  async start(): Promise<void> {
    const [{ FrameRenderer }, { RenderLoop }] = await Promise.all([import('./frame-renderer.js'), import('./render-loop.js')]);
    this.renderer = await FrameRenderer.create(this.config);
    this.loop = new RenderLoop(this.renderer);
    this.ready = { type: 'ready', ...this.renderer.ready };
  }

  render(job: FrameJob): Promise<FrameResult> {
    return this.loop!.render(job);
  }

  async close(): Promise<void> {
    await this.loop?.drained();
    this.renderer?.dispose();
    this.renderer = null;
  }
}
