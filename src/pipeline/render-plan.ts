/**
 * The render half of a run: layout, renderers, encoder, the ordered writer,
 * then the report. Every exit path closes what was opened (ffmpeg, workers,
 * Xvfb) and leaves a report of what was done.
 */
import { join } from 'node:path';
import type { PlannedFrame } from '../plan/apply-policy.js';
import type { ScanResult } from '../scan/scan-frames.js';
import type { SequenceFraming } from '../camera/sequence-framing.js';
import { isFrontOnly } from '../camera/view-rotation.js';
import { meshComposer, VideoComposer, type FrameComposer } from '../compose/frame-composer.js';
import { layoutWarnings } from '../compose/layout-report.js';
import { viewsStripSize } from '../compose/output-size.js';
import { reportCamera, reportViews } from '../report/build-report.js';
import { openLayout } from './open-layout.js';
import type { BackgroundFrames } from '../video/background-frames.js';
import type { VideoLayout } from '../compose/layout-setup.js';
import type { PersonParams, Size } from '../types.js';
import type { VideoEncoder } from '../video/video-encoder.js';
import type { FrameJob, FrameView } from '../workers/worker-protocol.js';
import { readModelInfo } from '../body-model/read-model-info.js';
import { imageName, meshFileName, VIDEO_NAME } from '../output/output-names.js';
import { removeForeignOutputs } from '../output/output-dir.js';
import type { Report } from '../report/build-report.js';
import { BatchRenderError } from '../errors.js';
import { MESH_BACKGROUND, openRenderers, PERSON_COLORS, type Renderers } from './open-renderers.js';
import { RenderQueue } from './render-queue.js';
import { writeFrames } from './write-frames.js';
import { prepareResume, type Resume } from './prepare-resume.js';
import { existsSync, rmSync } from 'node:fs';
import { finishRun, type RunEnd, type RunOutcome, type RunState } from './run-state.js';
import { finishShard, shardFingerprint, type ShardWork } from './render-shard.js';
import type { RunContext } from './run-batch.js';

export interface RenderInputs {
  modelPath: string;
  plan: PlannedFrame[];
  scan: ScanResult;
  framing: SequenceFraming | null;
  /** Frames drawn from these parameters rather than their file (the temporal stage's), or null. */
  persons?: ReadonlyMap<number, PersonParams[]> | null;
  /** Set when this run is one shard of a run (src/pipeline/render-shard.ts). */
  shard?: ShardWork;
}

/** Frames in flight ahead of the writer: enough to keep every renderer busy, few enough to keep memory flat. */
export const renderWindow = (concurrency: number) => Math.max(3, concurrency * 2);

export async function renderPlan(run: RunState, w: RenderInputs, ctx: RunContext): Promise<RunOutcome> {
  const { opts } = run;
  let renderers: Renderers | null = null;
  let encoder: VideoEncoder | null = null;
  let background: BackgroundFrames | null = null;
  let interrupted = false;
  let renderer: Report['renderer'] = null;
  const finish = (end: RunEnd) => (w.shard ? finishShard(run, w.shard, end) : finishRun(run, end));
  // Render-only frames (a shard's sources from other shards): their pixels, never their files.
  const renderOnly = new Set(w.plan.slice(0, w.shard?.renderOnly ?? 0).map((p) => p.frame));
  try {
    const layout = opts.layout === 'mesh' ? null : await openLayout(run, w.scan);
    // --views: the views side by side, each img_size².
    const renderSize = layout?.render ?? viewsStripSize(opts.imgSize, opts.views.length);
    const outSize = layout?.out ?? renderSize;
    const { composer, view } = await openComposer(run, layout, renderSize, w.framing);
    background = composer instanceof VideoComposer ? composer.background : null;
    warnFarFrames(run, w.framing?.excluded ?? []);
    const resume = prepareResume(run, w.plan, w.modelPath, view, outSize, w.persons, renderOnly.size);
    if (w.shard) w.shard.fingerprint = shardFingerprint(resume.settings, w.shard);
    if (resume.toRender.size > 0) {
      renderers = await openRenderers(run, { modelPath: w.modelPath, size: renderSize, frames: resume.toRender.size, maxShapeDirs: w.scan.maxBetas, maxExprDirs: w.scan.maxExpr });
      renderer = renderers.renderer;
    } else Object.assign(run.input, readModelInfo(w.modelPath));
    const wantsImages = layout !== null || w.plan.some((p) => p.status !== 'skipped');
    const keptVideo = keptVideoOf(run, resume);
    if (opts.mp4 && wantsImages && !keptVideo) {
      const { VideoEncoder } = await import('../video/video-encoder.js');
      encoder = new VideoEncoder({ path: join(run.outDir, VIDEO_NAME), width: outSize.width, height: outSize.height, fps: opts.fps, crf: opts.crf });
    }
    const pathOf = new Map(w.scan.frames.map((f) => [f.frame, f.path]));
    const jobFor = jobFactory(run, { pathOf, persons: w.persons, view, composer, encoder: !!encoder, renderOnly });
    const queue = new RenderQueue(w.plan, renderers?.pool ?? null, renderWindow(opts.concurrency), ctx.signal, jobFor, resume.toRender, resume.reused);
    const written = await writeFrames(run, { plan: w.plan, queue, composer, encoder, size: outSize, resume, renderOnly }, ctx);
    interrupted = written.interrupted;
    ctx.progress.stop();
    const video = keptVideo ?? await closeEncoder(run, encoder, resume.videoFingerprint);
    encoder = null;
    resume.journal.remove();
    if (layout && composer instanceof VideoComposer) noteLayout(run, layout, composer, w.plan, interrupted, written.notedRenders);
    await background?.close();
    background = null;
    await renderers?.close();
    renderers = null;
    // Shards share the folder: the other shards' files are not foreign.
    if (!interrupted && !w.shard) dropForeignOutputs(run);
    if (opts.glb && !interrupted) run.extra.glb = await (await import('../glb/write-glb.js')).writeSequenceGlb({ outDir: run.outDir, modelPath: w.modelPath, frames: run.entries, pathOf, person: opts.person, persons: w.persons ?? null, maxBetas: w.scan.maxBetas, opts: { fps: opts.fps, flatHandMean: opts.flatHandMean, colors: PERSON_COLORS } });
    return finish({ video, renderer, interrupted, error: nothingRendered(run, resume.toRender.size > 0, interrupted, !!w.shard) });
  } catch (err) {
    ctx.progress.stop();
    const e = err instanceof BatchRenderError ? err : new BatchRenderError('INTERNAL', (err as Error).message, { cause: err });
    await background?.close();
    await encoder?.abort();
    await renderers?.close(true);
    if (e.code === 'INTERNAL' || e.code === 'DEVICE_UNAVAILABLE' || e.code === 'CONFIG' || e.code === 'OUTPUT_WRITE') {
      throw withReport(e, () => finish({ video: null, renderer, interrupted, error: e }));
    }
    throw e;
  }
}

/** Still leave a report of what was done (if the disk lets us) on the error that surfaces. */
function withReport(e: BatchRenderError, write: () => RunOutcome): BatchRenderError {
  try {
    return Object.assign(e, { outcome: write() });
  } catch (reportErr) {
    e.message += `; the report could not be written either (${(reportErr as NodeJS.ErrnoException).code ?? (reportErr as Error).message})`;
    return e;
  }
}

function warnFarFrames(run: RunState, far: number[]): void {
  if (far.length === 0) return;
  run.warnings.push(`${far.length} frame${far.length === 1 ? '' : 's'} (${far.slice(0, 5).join(', ')}${far.length > 5 ? ', …' : ''}) lie far outside the rest of the sequence and were left out of the camera's framing: they may be cut off`);
}

interface JobNeeds {
  pathOf: Map<number, string | null>;
  persons?: ReadonlyMap<number, PersonParams[]> | null;
  view: FrameView;
  composer: FrameComposer;
  encoder: boolean;
  /** A shard's sources from other shards: their pixels, never their files. */
  renderOnly: ReadonlySet<number>;
}

/** What the renderer is asked for each rendered frame: its input, its view, which files it writes, whether pixels come back. */
function jobFactory(run: RunState, n: JobNeeds): (p: PlannedFrame) => FrameJob {
  const { opts } = run;
  return (p) => ({
    frame: p.frame, path: n.pathOf.get(p.frame) ?? null, persons: n.persons?.get(p.frame), view: n.view,
    pngPath: opts.png && n.composer.rendererWritesPng && !n.renderOnly.has(p.frame) ? join(run.outDir, imageName(p.frame)) : null,
    exportPath: opts.export && !n.renderOnly.has(p.frame) ? join(run.outDir, meshFileName(p.frame, opts.export)) : null,
    wantPixels: n.composer.everyFrame ? opts.png || n.encoder : n.encoder || n.renderOnly.has(p.frame),
  });
}

/** The video layouts' report lines: the background against the sequence, frames on a neutral background or a default camera. */
function noteLayout(run: RunState, layout: VideoLayout, composer: VideoComposer, plan: PlannedFrame[], interrupted: boolean, notedRenders: number): void {
  run.warnings.push(...layoutWarnings(layout, plan, interrupted, composer.neutralFrames, composer.background));
  Object.assign(run.extra.layout as object, { frames_on_neutral_background: composer.neutralFrames.length, frames_with_default_camera: notedRenders });
}

/** The layout's compose step, and how its renders are seen (the sequence camera, or each person's own). */
async function openComposer(run: RunState, layout: VideoLayout | null, renderSize: Size, framing: SequenceFraming | null): Promise<{ composer: FrameComposer; view: FrameView }> {
  if (!layout) return { composer: meshComposer(renderSize), view: sequenceView(run, framing!) };
  const [{ BackgroundFrames }, { sourceView }] = await Promise.all([import('../video/background-frames.js'), import('../compose/layout-setup.js')]);
  const background = new BackgroundFrames(run.opts.background!, layout.background, layout.backgroundOut);
  const composer = new VideoComposer(layout, background, MESH_BACKGROUND);
  return { composer, view: layout.layout === 'overlay' ? sourceView(layout) : sequenceView(run, framing!) };
}

/**
 * The stable camera(s): the default front view alone stays the 'sequence'
 * view it always was (same pixels, same fingerprints); other --views get one
 * camera each, written to the report's `views` section.
 */
function sequenceView(run: RunState, framing: SequenceFraming): FrameView {
  const { views, imgSize } = run.opts;
  if (isFrontOnly(views)) {
    const camera = framing.camera(imgSize);
    run.extra.camera = reportCamera(camera);
    return { kind: 'sequence', camera };
  }
  const cameras = framing.viewCameras(imgSize);
  run.extra.views = reportViews(cameras);
  return { kind: 'views', views: cameras };
}

/** Closes ffmpeg: the report's video section when the MP4 is complete, else null. */
async function closeEncoder(run: RunState, encoder: VideoEncoder | null, fingerprint: string): Promise<Report['video']> {
  if (!encoder) return null;
  const frames = encoder.frames;
  const ok = await encoder.finish();
  run.stages.mux = encoder.waitMs;
  return ok ? { file: VIDEO_NAME, frames, fps: run.opts.fps, fingerprint } : null;
}

/** Every output frame reused and the earlier MP4 made of exactly them: it stays as it is. */
function keptVideoOf(run: RunState, resume: Resume): Report['video'] {
  const v = resume.previous.video;
  if (!run.opts.mp4 || !v || v.fingerprint !== resume.videoFingerprint || !existsSync(join(run.outDir, VIDEO_NAME))) return null;
  const allReused = run.entries.every((e, i) => resume.reused[i] || e.status === 'skipped');
  return allReused ? { file: VIDEO_NAME, frames: v.frames, fps: v.fps, fingerprint: v.fingerprint } : null;
}

/**
 * A run that rendered nothing is an error: internal when every render failed, else nothing was renderable
 * (a shard's range may hold nothing to render: the merge judges the whole run).
 */
export function nothingRendered(run: Pick<RunState, 'entries'>, anyToRender: boolean, interrupted: boolean, shard = false): BatchRenderError | null {
  if (interrupted || run.entries.some((e) => e.status === 'rendered')) return null;
  const firstFailure = run.entries.find((e) => e.status === 'failed' && e.check === 'ok');
  if (anyToRender && firstFailure) return new BatchRenderError('INTERNAL', `every frame failed to render; first: frame ${firstFailure.frame}: ${firstFailure.detail}`);
  return shard ? null : new BatchRenderError('NOTHING_RENDERABLE', 'no frame had a usable person to render');
}

/** Per-frame files of an earlier run that this run did not write are removed, and said so. */
function dropForeignOutputs(run: RunState): void {
  const keep = new Set<string>();
  for (const e of run.entries) {
    if (e.image) keep.add(e.image);
    if (run.opts.export && (e.status === 'rendered' || e.status === 'interpolated')) keep.add(meshFileName(e.frame, run.opts.export));
  }
  const removed = removeForeignOutputs(run.outDir, keep);
  if (removed.length > 0) run.warnings.push(`removed ${removed.length} per-frame file${removed.length === 1 ? '' : 's'} of an earlier run that belong to no frame of this one (${removed.slice(0, 3).join(', ')}${removed.length > 3 ? ', …' : ''})`);
  // A sequence-wide export of an earlier run that this run does not write would look like this run's.
  const glb = join(run.outDir, 'render.glb');
  if (!run.opts.glb && existsSync(glb)) { rmSync(glb, { force: true }); run.warnings.push('removed render.glb of an earlier run (this run has no --export glb)'); }
}
