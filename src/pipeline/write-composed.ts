/**
 * The ordered writer of the overlay and side-by-side layouts: each
 * sequence frame k gets one output frame, composed here from the render and
 * video frame k, so the MP4 stays in step with the source. Frames without a
 * mesh show the plain source frame. Composed frames are written as PNG
 * (libuv threads) and fed to the encoder; a few buffers are in flight.
 */
import { join } from 'node:path';
import type { RunOptions } from '../config/parse-run-options.js';
import type { PlannedFrame } from '../plan/apply-policy.js';
import type { FrameEntry } from '../report/build-report.js';
import type { VideoEncoder } from '../video/video-encoder.js';
import type { RGB } from '../types.js';
import { blendOver, fillColor, rgbToRgba } from '../compose/blend.js';
import { placeSideBySide } from '../compose/side-by-side.js';
import { writeOpaquePng } from '../compose/write-frame-png.js';
import type { BackgroundFrames } from '../video/background-frames.js';
import type { JobResult, WorkerPool } from '../workers/worker-pool.js';
import type { InlinePool } from '../workers/inline-pool.js';
import type { ScannedFrame } from '../scan/scan-frames.js';
import type { FrameJob } from '../workers/worker-protocol.js';
import { OVERLAY_OPACITY, type VideoLayout } from '../compose/layout-setup.js';
import { renderWindow, type RunContext } from './run-batch.js';
import { RenderQueue } from './render-queue.js';

/** A frame entry of a video layout: says when the picture is not the usual one. */
export type LayoutFrameEntry = FrameEntry & { layout_note?: string };

/** Past the end of the background video: mid grey. */
export const NEUTRAL_BACKGROUND: [number, number, number] = [128, 128, 128];
const PLAIN = 'no mesh drawn: plain source frame';

export interface ComposedArgs {
  opts: RunOptions;
  outDir: string;
  plan: PlannedFrame[];
  scanned: ScannedFrame[];
  entries: LayoutFrameEntry[];
  pool: WorkerPool | InlinePool | null;
  encoder: VideoEncoder | null;
  layout: VideoLayout;
  /** The job's view (the same object for every frame). */
  view: FrameJob['view'];
  background: BackgroundFrames;
  /** Mesh-view background colour (side-by-side right panel without a mesh), 0..1. */
  meshBackground: RGB;
  imageName: (frame: number) => string;
  exportPath: (frame: number) => string | null;
  stages: Record<string, number>;
  ctx: RunContext;
}

export interface ComposedResult {
  interrupted: boolean;
  /** Frames shown on the neutral background (past the end of the video). */
  neutralFrames: number[];
  defaultCameraFrames: number;
}

/** Composed frames in flight (PNG encoding) at most. */
const MAX_IN_FLIGHT = 3;

export async function writeComposed(a: ComposedArgs): Promise<ComposedResult> {
  const { opts, outDir, plan, entries, pool, encoder, layout, ctx } = a;
  const { out, render, backgroundOut } = layout;
  const pathOf = new Map(a.scanned.map((f) => [f.frame, f.path]));
  const neutralFrames: number[] = [];
  let defaultCameraFrames = 0;
  let fallback = 0, failed = 0;
  const writesImages = opts.png || !!encoder;
  // Pixels always come back: PNG and video are composed here.
  const queue = new RenderQueue(plan, pool, renderWindow(opts), ctx.signal, (p) => ({
    frame: p.frame, path: pathOf.get(p.frame)!, view: a.view, pngPath: null,
    exportPath: a.exportPath(p.frame), wantPixels: writesImages,
  }));

  // Buffers reused across frames: composed frames, a neutral background, an empty mesh view.
  const outBytes = out.width * out.height * 4;
  const free: Buffer[] = [];
  const inFlight: Array<Promise<void>> = [];
  let neutral: Buffer | null = null;
  let emptyMesh: Buffer | null = null;
  const neutralBg = () => {
    if (!neutral) { neutral = Buffer.alloc(backgroundOut.width * backgroundOut.height * 3); fillColor(neutral, 3, NEUTRAL_BACKGROUND); }
    return neutral;
  };
  const emptyMeshView = () => {
    if (!emptyMesh) {
      emptyMesh = Buffer.alloc(render.width * render.height * 4);
      fillColor(emptyMesh, 4, a.meshBackground.map((c) => Math.round(c * 255)) as [number, number, number]);
    }
    return emptyMesh;
  };

  const cancelFrom = (i: number): ComposedResult => {
    for (let j = i; j < plan.length; j++) { entries[j].status = 'cancelled'; entries[j].image = null; }
    return { interrupted: true, neutralFrames, defaultCameraFrames };
  };

  try {
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i];
      const e = entries[i];
      queue.pump();
      if (p.status === 'rendered' && !queue.has(p.frame)) {
        return cancelFrom(i);
      }
      // Every frame would get an output frame here; after Ctrl-C only frames already rendered are finished.
      if (ctx.signal.aborted && p.status !== 'rendered' && p.status !== 'fallback') return cancelFrom(i);

      let r: JobResult | null = null;
      let src = p.frame;
      let mesh: Uint8Array | null = null;
      if (p.status === 'rendered' || p.status === 'fallback') {
        src = p.status === 'rendered' ? p.frame : p.sourceFrame!;
        r = p.status === 'rendered' ? await queue.own(src) : await queue.source(src);
        if (r.failure) {
          e.status = 'failed';
          e.detail = p.status === 'rendered'
            ? (r.failure.check !== 'ok' ? `${r.failure.check}: ${r.failure.detail}` : r.failure.detail)
            : `${e.detail}; fallback frame ${src} failed to render`;
          e.layout_note = PLAIN;
          failed++;
        } else {
          if (p.status === 'rendered') {
            for (const k of Object.keys(r.times!)) a.stages[k] += r.times![k as keyof typeof r.times];
          } else fallback++;
          mesh = r.pixels;
          if (r.note) { e.layout_note = r.note; if (p.status === 'rendered') defaultCameraFrames++; }
        }
      } else {
        e.layout_note = PLAIN;
      }

      if (writesImages) {
        const t = performance.now();
        let bg = await a.background.frame(p.frame);
        if (!bg) { neutralFrames.push(p.frame); bg = neutralBg(); e.layout_note = e.layout_note ? `${e.layout_note}; past the end of the video: neutral background` : 'past the end of the video: neutral background'; }
        while (free.length === 0 && inFlight.length >= MAX_IN_FLIGHT) await inFlight.shift();
        const buf = free.pop() ?? Buffer.allocUnsafeSlow(outBytes);
        if (layout.layout === 'overlay') {
          if (mesh) blendOver(mesh, bg, buf, OVERLAY_OPACITY);
          else rgbToRgba(bg, buf);
        } else {
          let right: Uint8Array = mesh ?? emptyMeshView();
          if (!mesh && p.status === 'placeholder') {
            const { renderPlaceholder } = await import('../render/placeholder-image.js');
            right = await renderPlaceholder({ width: render.width, height: render.height, frame: p.frame, reason: e.detail ?? p.check });
          }
          placeSideBySide(bg, backgroundOut.width, right, render.width, out.height, buf);
        }
        a.stages.compose = (a.stages.compose ?? 0) + performance.now() - t;
        if (r) queue.release(src, r);
        r = null;
        if (encoder) await encoder.write(buf);
        if (opts.png) {
          const name = a.imageName(p.frame);
          e.image = name;
          const tp = performance.now();
          inFlight.push(writeOpaquePng(join(outDir, name), buf, out.width, out.height, opts.pngCompression).then(
            () => { a.stages.png += performance.now() - tp; free.push(buf); },
            (err) => { e.status = 'failed'; e.detail = `writing ${name} failed: ${(err as Error).message}`; e.image = null; free.push(buf); },
          ));
        } else free.push(buf);
      }
      if (r) queue.release(src, r);
      ctx.progress.update({ phase: 'render', done: i + 1, total: plan.length, fallback, failed });
    }
    return { interrupted: false, neutralFrames, defaultCameraFrames };
  } finally {
    await Promise.all(inFlight);
  }
}
