/**
 * Hands the plan's rendered frames to the renderers a bounded window ahead of
 * the ordered writer, and keeps each result until the last output frame that
 * shows it (the frame itself and its fallbacks) has been written. Shared by
 * the mesh writer and the video-layout writer.
 */
import { referenceCounts, type PlannedFrame } from '../plan/apply-policy.js';
import type { FrameJob, FrameResult } from '../workers/worker-protocol.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import type { InlinePool } from '../workers/inline-pool.js';

export class RenderQueue {
  private readonly refs: Map<number, number>;
  private readonly results = new Map<number, Promise<FrameResult>>();
  private readonly toRender: PlannedFrame[];
  private dispatched = 0;
  private outstanding = 0;

  constructor(
    plan: readonly PlannedFrame[],
    private readonly pool: WorkerPool | InlinePool | null,
    /** Frames in flight ahead of the writer: enough to keep every renderer busy, few enough to keep memory flat. */
    private readonly window: number,
    private readonly signal: AbortSignal,
    private readonly jobFor: (p: PlannedFrame) => FrameJob,
    /** Rendered frames that need a render (resume skips the rest); all of them by default. */
    private readonly dispatch: ReadonlySet<number> | null = null,
    /** Per plan index: the output frame is reused, so it takes no result (its own render aside). */
    reused: readonly boolean[] = [],
  ) {
    this.refs = referenceCounts(plan.filter((p, i) => !reused[i] || p.status === 'rendered').filter((p) => p.status !== 'rendered' || this.renders(p.frame)));
    this.toRender = plan.filter((p) => p.status === 'rendered' && this.renders(p.frame));
  }

  /** Whether this frame is rendered in this run (false for frames whose earlier output is reused). */
  renders(frame: number): boolean {
    return this.dispatch === null || this.dispatch.has(frame);
  }

  /** Dispatches frames up to the window; none once Ctrl-C has stopped taking frames. */
  pump(): void {
    while (this.pool && !this.signal.aborted && this.dispatched < this.toRender.length && this.outstanding < this.window) {
      const p = this.toRender[this.dispatched++];
      this.outstanding++;
      this.results.set(p.frame, this.pool.render(this.jobFor(p)));
    }
  }

  /** Whether the frame was dispatched (false when interrupted before it was taken). */
  has(frame: number): boolean {
    return this.results.has(frame);
  }

  /** A rendered frame's own result; from then on it no longer counts against the window. */
  async own(frame: number): Promise<FrameResult> {
    const r = await this.results.get(frame)!;
    this.outstanding--;
    return r;
  }

  /** The result a fallback frame shows (its source frame's). */
  source(frame: number): Promise<FrameResult> {
    return this.results.get(frame)!;
  }

  /** One output frame is done with `frame`'s result; the last one frees it. */
  release(frame: number, r: FrameResult): void {
    const left = (this.refs.get(frame) ?? 1) - 1;
    this.refs.set(frame, left);
    if (left <= 0) { this.results.delete(frame); r.release(); }
  }
}
