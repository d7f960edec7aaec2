/**
 * The one ordered writer: renders come back out of order from the
 * renderers; here every planned frame is turned into its output frame (the
 * layout's compose step), fed to the encoder and written as PNG, in frame
 * order. PNG writes of composed frames run a few at a time on libuv's threads.
 */
import { join } from 'node:path';
import type { PlannedFrame } from '../plan/apply-policy.js';
import type { FrameComposer, LayoutFrameEntry } from '../compose/frame-composer.js';
import type { VideoEncoder } from '../video/video-encoder.js';
import type { FrameResult, StageTimes } from '../workers/worker-protocol.js';
import { writePng } from '../output/png-writer.js';
import { copyFileAtomic } from '../output/write-atomic.js';
import { imageName } from '../output/output-names.js';
import type { RenderQueue } from './render-queue.js';
import type { RunState } from './run-state.js';
import type { RunContext } from './run-batch.js';
import { BatchRenderError, isWriteFailure, outputWriteError } from '../errors.js';
import sharp from 'sharp';
import type { Resume } from './prepare-resume.js';

export interface FrameWriter {
  plan: PlannedFrame[];
  queue: RenderQueue;
  composer: FrameComposer;
  encoder: VideoEncoder | null;
  size: { width: number; height: number };
  /** Outputs an earlier run finished, and where finished outputs are recorded. */
  resume: Resume;
  /** Leading plan items rendered only for the frames that show them (a shard's sources from other shards). */
  renderOnly?: ReadonlySet<number>;
}

/** Composed frames being written as PNG at most. */
const MAX_IN_FLIGHT = 3;

export interface Written {
  interrupted: boolean;
  /** Rendered frames whose renderer said something about how it drew them (e.g. a default camera). */
  notedRenders: number;
}

/** Writes every planned frame in order. */
export async function writeFrames(run: RunState, w: FrameWriter, ctx: RunContext): Promise<Written> {
  const { plan, queue, composer, encoder } = w;
  const entries = run.entries as LayoutFrameEntry[];
  const inFlight: Array<Promise<void>> = [];
  let fallback = 0, failed = 0, notedRenders = 0;
  let writeFailure: Error | null = null;
  try {
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i];
      const e = entries[i];
      queue.pump();
      if (i < (w.renderOnly?.size ?? 0)) { await takeOwnRender(w.queue, p.frame); continue; }
      if (w.resume.reused[i]) {
        await reuseOutput(run, w, i);
        if (p.status === 'fallback') fallback++;
        ctx.progress.update({ phase: 'render', done: i + 1, total: plan.length, fallback, failed });
        continue;
      }
      if (!reachable(p, queue, ctx.signal.aborted)) {
        cancelFrom(entries, i, composer.everyFrame);
        return { interrupted: true, notedRenders };
      }
      const src = p.status === 'fallback' ? p.sourceFrame! : p.frame;
      const r = p.status === 'rendered' ? await queue.own(src) : p.status === 'fallback' ? await queue.source(src) : null;
      // The renderer could not write the frame's file (detail: the file, code: its errno): the run stops.
      if (r?.failure?.check === 'output_write') throw outputWriteError(r.failure.detail, Object.assign(new Error(r.failure.detail), { code: r.failure.code }));
      if (r?.failure) {
        markFailed(e, p, r, src);
        failed++;
      } else if (r) {
        if (p.status === 'rendered') { addTimes(run, r.times!); e.render_ms = frameMs(r.times!); } else fallback++;
        if (r.note) { e.layout_note = r.note; if (p.status === 'rendered') notedRenders++; }
      }
      const pixels = r && !r.failure ? r.pixels : null;
      const t = performance.now();
      const out = await composer.compose(p, e, pixels);
      if (composer.everyFrame) run.stages.compose = (run.stages.compose ?? 0) + performance.now() - t;
      if (out && encoder) await encoder.write(out);
      if (r) queue.release(src, r);
      const png = writeOutputImage(run, w, i, r, out, (err) => { writeFailure ??= err; });
      if (png) {
        inFlight.push(png);
        while (inFlight.length > MAX_IN_FLIGHT) await inFlight.shift();
      }
      if (writeFailure) throw writeFailure;
      ctx.progress.update({ phase: 'render', done: i + 1, total: plan.length, fallback, failed });
    }
    await Promise.all(inFlight);
    if (writeFailure) throw writeFailure;
    return { interrupted: false, notedRenders };
  } finally {
    await Promise.allSettled(inFlight);
  }
}

/**
 * The frame's PNG (encoded here, copied from its fallback source, or already
 * written by the renderer) and its journal line; returns the write still
 * running, if any. A full or read-only disk goes to `fail` (the run stops);
 * any other failure fails this frame only.
 */
function writeOutputImage(run: RunState, w: FrameWriter, i: number, r: FrameResult | null, out: Uint8Array | null, fail: (err: Error) => void): Promise<void> | null {
  const p = w.plan[i];
  const e = run.entries[i] as LayoutFrameEntry;
  const { composer } = w;
  // The mesh layout's renders are on disk already (the renderer wrote them), pixels or not.
  const onDisk = composer.rendererWritesPng && (p.status === 'rendered' || p.status === 'fallback') && !!r && !r.failure;
  const recycle = () => { if (out) composer.recycle(out); };
  if (!((out || onDisk) && run.opts.png && e.status !== 'failed')) { recycle(); return null; }
  e.image = imageName(p.frame);
  const fp = w.resume.fingerprints[i];
  // Recorded once the file is in place, so a killed run's successor can reuse it.
  const landed = () => { if (fp && e.status !== 'failed') { e.fingerprint = fp; w.resume.journal.add(p.frame, fp, e.image!); } };
  const png = writeImage(run, composer, p, out, w.size, w.renderOnly);
  if (!png) { landed(); recycle(); return null; }
  return png.then(() => { landed(); recycle(); }, (err) => {
    recycle();
    if (isWriteFailure(err)) { fail(outputWriteError(e.image!, err)); return; }
    e.status = 'failed'; e.detail = `writing ${e.image} failed: ${(err as Error).message}`; e.image = null;
  });
}

/** An output frame finished by an earlier run: kept as is; the video gets its pixels back from the PNG. */
async function reuseOutput(run: RunState, w: FrameWriter, i: number): Promise<void> {
  const p = w.plan[i];
  const e = run.entries[i];
  if (p.status === 'rendered') await takeOwnRender(w.queue, p.frame);
  e.image = imageName(p.frame);
  e.fingerprint = w.resume.fingerprints[i]!;
  e.reused = true;
  if (w.encoder) await w.encoder.write(await readRgba(join(run.outDir, e.image), w.size));
}

/** A frame rendered only for the fallback frames that show it: take its own result so the window moves on. */
async function takeOwnRender(queue: RenderQueue, frame: number): Promise<void> {
  if (queue.renders(frame) && queue.has(frame)) queue.release(frame, await queue.own(frame));
}

export async function readRgba(path: string, size: { width: number; height: number }): Promise<Buffer> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size.width || info.height !== size.height) throw new BatchRenderError('INTERNAL', `${path}: reused image is ${info.width}×${info.height}, expected ${size.width}×${size.height}`);
  return data;
}

/** After Ctrl-C only frames whose render was already taken are finished. */
function reachable(p: PlannedFrame, queue: RenderQueue, aborted: boolean): boolean {
  if (p.status === 'rendered') return queue.has(p.frame);
  if (!aborted) return true;
  return p.status === 'fallback' && queue.has(p.sourceFrame!);
}

function cancelFrom(entries: LayoutFrameEntry[], i: number, everyFrame: boolean): void {
  for (let j = i; j < entries.length; j++) {
    if (everyFrame || entries[j].status !== 'skipped') { entries[j].status = 'cancelled'; entries[j].image = null; }
  }
}

function markFailed(e: LayoutFrameEntry, p: PlannedFrame, r: FrameResult, src: number): void {
  e.status = 'failed';
  e.detail = p.status === 'rendered'
    ? (r.failure!.check !== 'ok' ? `${r.failure!.check}: ${r.failure!.detail}` : r.failure!.detail)
    : `${e.detail}; fallback frame ${src} failed to render`;
}

/** The frame's PNG: already written by the renderer, copied from the fallback source, or encoded here. */
function writeImage(run: RunState, composer: FrameComposer, p: PlannedFrame, rgba: Uint8Array | null, size: { width: number; height: number }, renderOnly?: ReadonlySet<number>): Promise<void> | null {
  const to = join(run.outDir, imageName(p.frame));
  if (composer.rendererWritesPng && p.status === 'rendered') return null;
  // A source rendered only here has no PNG of ours to copy: encoded from its pixels, with the renderer's settings.
  if (composer.rendererWritesPng && p.status === 'fallback' && !renderOnly?.has(p.sourceFrame!)) return copyFileAtomic(join(run.outDir, imageName(p.sourceFrame!)), to);
  // Those pixels are the renderer's buffer, handed back before the PNG is encoded: encode a copy.
  const pixels = composer.rendererWritesPng && p.status === 'fallback' ? Buffer.from(rgba!) : rgba!;
  const t = performance.now();
  return writePng(to, pixels, size.width, size.height, { level: run.opts.pngCompression, opaque: composer.opaque }).then(() => {
    run.stages[p.status === 'placeholder' && !composer.everyFrame ? 'placeholder' : 'png'] += performance.now() - t;
  });
}

function addTimes(run: RunState, times: StageTimes): void {
  for (const k of Object.keys(times) as (keyof StageTimes)[]) run.stages[k] += times[k];
}

const frameMs = (t: StageTimes) => Math.round((t.read + t.mesh + t.draw + t.readback + t.png + t.export) * 100) / 100;
