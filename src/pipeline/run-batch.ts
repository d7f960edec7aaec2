/**
 * The main job: scan → plan → compute mesh + render (workers) → encode →
 * report. Frames are rendered out of order by the workers and written in
 * order here; a bounded window of frames in flight keeps memory flat.
 * The overlay and side-by-side layouts compose each render with the
 * background video's frame in write-composed.ts.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunOptions } from '../config/parse-run-options.js';
import { listFrames } from '../scan/list-frames.js';
import { scanFrames, type ScannedFrame } from '../scan/scan-frames.js';
import { applyPolicy, missingRate, type PlannedFrame } from '../plan/apply-policy.js';
import { resolveModel } from '../body-model/resolve-model.js';
import { buildReport, reportRenderer, type FrameEntry, type OptionValue, type Report } from '../report/build-report.js';
import type { Progress } from '../report/progress.js';
import { writeFileAtomic, copyFileAtomic } from '../output/write-atomic.js';
import { BatchRenderError, configError } from '../errors.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import { RenderQueue } from './render-queue.js';
import type { InlinePool } from '../workers/inline-pool.js';
import type { VideoEncoder } from '../video/video-encoder.js';
import type { CameraIntrinsics, PersonParams, RGB } from '../types.js';
import { openNpzLazy } from '../npz/read-npz.js';
import { loadFramingSkeleton, createPoser } from '../body-model/framing-skeleton.js';
import { emptyExtent, addSphere, cameraForExtent, type PlaneExtent } from '../camera/sequence-camera.js';
import type { FrameView } from '../workers/worker-protocol.js';
import type { VideoLayout } from '../compose/layout-setup.js';
import type { BackgroundFrames } from '../video/background-frames.js';

export interface RunContext {
  signal: AbortSignal;
  progress: Progress;
}

export interface RunOutcome {
  report: Report;
  reportPath: string;
  exitCode: number;
}

/** What a caller adds to the report (e.g. the pose extraction of a --video run). */
export interface BatchExtras {
  input?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** Distinct, colour-blind-friendly person colours (person i → PERSON_COLORS[i % n]). */
export const PERSON_COLORS: RGB[] = [
  [0.55, 0.7, 0.9], [0.95, 0.6, 0.35], [0.45, 0.8, 0.55], [0.85, 0.5, 0.75], [0.9, 0.82, 0.4], [0.5, 0.85, 0.85],
];
const BACKGROUND: RGB = [0.96, 0.96, 0.96];
/** Share of the image kept free around the sequence's bounds. */
const FRAME_MARGIN = 0.04;

export const imageName = (frame: number) => `mesh_${String(frame).padStart(4, '0')}.png`;
const meshName = (frame: number, ext: string) => `mesh_${String(frame).padStart(4, '0')}.${ext}`;

type Stages = Record<'read' | 'mesh' | 'draw' | 'readback' | 'png' | 'export' | 'mux' | 'placeholder', number> & { compose?: number };

export async function runBatch(opts: RunOptions, provenance: Record<string, OptionValue>, ctx: RunContext, more: BatchExtras = {}): Promise<RunOutcome> {
  const t0 = performance.now();
  const outDir = resolve(opts.outputDir);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw configError(`--output_dir ${opts.outputDir}: cannot create (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const npzDir = resolve(opts.npzDir!);
  const listing = listFrames(npzDir);
  const total = listing.frames.length;
  const stages: Stages = { read: 0, mesh: 0, draw: 0, readback: 0, png: 0, export: 0, mux: 0, placeholder: 0 };

  const model = await resolveModel(opts.modelPath, opts.gender);
  // One camera for the whole sequence (no per-frame re-centring or re-scaling):
  // every usable person's posed joints grow one running extent during the scan.
  let framing: { extent: PlaneExtent; pose: (p: PersonParams) => void } | null = null;
  // The overlay draws each person with its own camera: no sequence camera to frame.
  if (!opts.dryRun && opts.layout !== 'overlay') {
    const extent = emptyExtent();
    const poser = createPoser(loadFramingSkeleton(model.path), opts.flatHandMean);
    const grow = (x: number, y: number, z: number, r: number) => addSphere(extent, x, y, z, r);
    framing = { extent, pose: (p) => poser(p, grow) };
  }
  const scan = await scanFrames(listing.frames, opts.person,
    (done) => ctx.progress.update({ phase: 'scan', done, total, fallback: 0, failed: 0 }), ctx.signal, framing?.pose);
  stages.read += scan.readMs;
  const plan = applyPolicy(scan.frames, opts.policy);
  const input: Record<string, unknown> = {
    npz_dir: npzDir,
    model: model.kind === 'demo' ? 'built-in demo body' : model.path,
    model_path: model.path,
    ...more.input,
  };
  const warnings = [...listing.warnings];
  const reportPath = join(outDir, 'render_report.json');
  let videoLayout: VideoLayout | null = null;
  let layoutReport: Record<string, unknown> | null = null;
  if (opts.layout !== 'mesh' && !scan.aborted) {
    const { setupVideoLayout, OVERLAY_OPACITY } = await import('../compose/layout-setup.js');
    const firstOk = scan.frames.find((f) => f.check === 'ok')?.path ?? null;
    videoLayout = await setupVideoLayout(opts, firstOk, provenance.img_size?.source === 'cli');
    warnings.push(...videoLayout.warnings);
    const bg = videoLayout.background;
    // Drawn over the source, the output keeps the source's timing unless --fps says otherwise.
    if (provenance.fps?.source !== 'cli') {
      opts = { ...opts, fps: bg.fps };
      provenance = { ...provenance, fps: { value: bg.fps, source: 'default' } };
    }
    layoutReport = {
      name: opts.layout,
      background: resolve(opts.background!),
      background_video: { width: bg.width, height: bg.height, fps: bg.fps, frames: bg.frameCount, frames_exact: bg.frameCountExact },
      intrinsics_image_size: [videoLayout.source.width, videoLayout.source.height],
      width: videoLayout.out.width,
      height: videoLayout.out.height,
      ...(opts.layout === 'overlay' ? { opacity: OVERLAY_OPACITY } : { mesh_view: [videoLayout.render.width, videoLayout.render.height] }),
    };
  }

  const finish = (args: { frames: FrameEntry[]; video: Report['video']; renderer: Report['renderer']; interrupted: boolean; error?: BatchRenderError | null; extra?: Record<string, unknown> }): RunOutcome => {
    const exitCode = args.error ? args.error.exitCode : args.interrupted ? 130 : gateExitCode(opts, scan.frames, args.frames);
    const report = buildReport({
      dryRun: opts.dryRun, input, options: provenance, frames: args.frames, video: args.video, renderer: args.renderer,
      wallS: (performance.now() - t0) / 1000, stages: opts.dryRun ? { read: stages.read } : stages, warnings,
      interrupted: args.interrupted, exitCode,
      error: args.error ? { code: args.error.code, message: args.error.message } : null,
      extra: { ...more.extra, ...(layoutReport ? { layout: layoutReport } : {}), ...args.extra },
    });
    writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
    return { report, reportPath, exitCode };
  };

  if (opts.dryRun || scan.aborted) {
    const info = readModelInfo(model.path);
    input.model_vertices = info.vertices;
    input.model_faces = info.faces;
    const frames = plan.map((p, i) => entry(p, scan.frames[i], opts.png ? (videoLayout ? imageName(p.frame) : plannedImage(p)) : null));
    return finish({ frames, video: null, renderer: null, interrupted: scan.aborted });
  }

  // ---- render ----
  const anyRendered = plan.some((p) => p.status === 'rendered');
  // Video layouts give every frame an output frame (plain source frame when no mesh).
  const wantsImages = videoLayout !== null || plan.some((p) => p.status !== 'skipped');
  const renderSize = videoLayout?.render ?? { width: opts.imgSize, height: opts.imgSize };
  const outSize = videoLayout?.out ?? renderSize;
  let background: BackgroundFrames | null = null;
  let pool: WorkerPool | InlinePool | null = null;
  let encoder: VideoEncoder | null = null;
  let display: { stop(): Promise<void> } | null = null;
  const entries = plan.map((p, i) => entry(p, scan.frames[i], null));
  let interrupted = false;
  let rendererInfo: Report['renderer'] = null;
  try {
    let camera: CameraIntrinsics | null = null;
    if (anyRendered) {
      const [{ ensureDisplay }, { WorkerPool }, { InlinePool }] = await Promise.all([
        import('../render/start-xvfb.js'), import('../workers/worker-pool.js'), import('../workers/inline-pool.js'),
      ]);
      display = await ensureDisplay();
      const workers = Math.min(opts.concurrency, plan.filter((p) => p.status === 'rendered').length);
      const config = {
        modelPath: model.path, width: renderSize.width, height: renderSize.height, device: opts.device,
        flatHandMean: opts.flatHandMean, person: opts.person, pngLevel: opts.pngCompression,
        exportFormat: opts.export, background: BACKGROUND, colors: PERSON_COLORS,
        maxShapeDirs: scan.maxBetas, maxExprDirs: scan.maxExpr,
      };
      // One render process: draw here. More: one GL context per worker process.
      pool = workers <= 1 ? new InlinePool(config) : new WorkerPool(config, workers);
      await pool.start();
      const ready = pool.ready!;
      input.model_vertices = ready.vertices;
      input.model_faces = ready.faces;
      rendererInfo = reportRenderer(ready.info, { evidence: ready.evidence, render_processes: workers <= 1 ? 'main process' : workers });
      if (framing) camera = cameraForExtent(framing.extent, opts.imgSize, FRAME_MARGIN);
    } else {
      const info = readModelInfo(model.path);
      input.model_vertices = info.vertices;
      input.model_faces = info.faces;
    }
    if (opts.mp4 && wantsImages) {
      const { VideoEncoder } = await import('../video/video-encoder.js');
      encoder = new VideoEncoder({ path: join(outDir, 'render.mp4'), width: outSize.width, height: outSize.height, fps: opts.fps, crf: opts.crf });
    }
    if (videoLayout) {
      const [{ BackgroundFrames }, { writeComposed }, { sourceView }] = await Promise.all([
        import('../video/background-frames.js'), import('./write-composed.js'), import('../compose/layout-setup.js'),
      ]);
      background = new BackgroundFrames(opts.background!, videoLayout.background, videoLayout.backgroundOut);
      const view: FrameView = videoLayout.layout === 'overlay' ? sourceView(videoLayout) : { kind: 'sequence', camera: camera! };
      const res = await writeComposed({
        opts, outDir, plan, scanned: scan.frames, entries, pool, encoder, layout: videoLayout, view, background,
        meshBackground: BACKGROUND, imageName, exportPath: (f) => (opts.export ? join(outDir, meshName(f, opts.export)) : null),
        stages, ctx,
      });
      interrupted = res.interrupted;
      warnings.push(...layoutWarnings(videoLayout, plan, res, background));
      layoutReport!.frames_on_neutral_background = res.neutralFrames.length;
      layoutReport!.frames_with_default_camera = res.defaultCameraFrames;
      await background.close();
      background = null;
    } else {
      interrupted = await writeInOrder({ opts, outDir, plan, scanned: scan.frames, entries, pool, encoder, camera, stages, ctx });
    }
    ctx.progress.stop();
    let video: Report['video'] = null;
    if (encoder) {
      const frames = encoder.frames;
      if (await encoder.finish()) video = { file: 'render.mp4', frames, fps: opts.fps };
      stages.mux = encoder.waitMs;
      encoder = null;
    }
    await pool?.close();
    pool = null;
    const nothing = !entries.some((e) => e.status === 'rendered');
    const firstFailure = entries.find((e) => e.status === 'failed' && e.check === 'ok');
    const err = !nothing || interrupted ? null
      : anyRendered && firstFailure
        ? new BatchRenderError('INTERNAL', `every frame failed to render; first: frame ${firstFailure.frame}: ${firstFailure.detail}`)
        : new BatchRenderError('NOTHING_RENDERABLE', 'no frame had a usable person to render');
    return finish({ frames: entries, video, renderer: rendererInfo, interrupted, error: err });
  } catch (err) {
    ctx.progress.stop();
    const e = err instanceof BatchRenderError ? err : new BatchRenderError('INTERNAL', (err as Error).message, { cause: err });
    await background?.close();
    await encoder?.abort();
    await pool?.close(true);
    if (e.code === 'INTERNAL' || e.code === 'DEVICE_UNAVAILABLE' || e.code === 'CONFIG') {
      // Still leave a report of what was done, then surface the error.
      const outcome = finish({ frames: entries, video: null, renderer: rendererInfo, interrupted, error: e });
      throw Object.assign(e, { outcome });
    }
    throw e;
  } finally {
    await display?.stop();
  }
}

interface WriteArgs {
  opts: RunOptions;
  outDir: string;
  plan: PlannedFrame[];
  scanned: ScannedFrame[];
  entries: FrameEntry[];
  pool: WorkerPool | InlinePool | null;
  encoder: VideoEncoder | null;
  camera: CameraIntrinsics | null;
  stages: Stages;
  ctx: RunContext;
}

/** Frames in flight ahead of the writer: enough to keep every renderer busy, few enough to keep memory flat. */
export const renderWindow = (opts: RunOptions) => Math.max(3, opts.concurrency * 2);

/** Writes every planned frame in order; returns true when interrupted. */
async function writeInOrder(a: WriteArgs): Promise<boolean> {
  const { opts, outDir, plan, entries, pool, encoder, stages, ctx } = a;
  const pathOf = new Map(a.scanned.map((f) => [f.frame, f.path]));
  const view: FrameView = { kind: 'sequence', camera: a.camera! };
  const queue = new RenderQueue(plan, pool, renderWindow(opts), ctx.signal, (p) => ({
    frame: p.frame, path: pathOf.get(p.frame)!, view,
    pngPath: opts.png ? join(outDir, imageName(p.frame)) : null,
    exportPath: opts.export ? join(outDir, meshName(p.frame, opts.export)) : null,
    wantPixels: !!encoder,
  }));
  let fallback = 0;
  let failed = 0;
  const writeVideo = async (px: Uint8Array | null) => { if (encoder && px) await encoder.write(px); };

  for (let i = 0; i < plan.length; i++) {
    const p = plan[i];
    const e = entries[i];
    queue.pump();
    if (p.status === 'rendered' && !queue.has(p.frame)) {
      // Interrupted before this frame was taken: it and everything after is cancelled.
      for (let j = i; j < plan.length; j++) {
        if (entries[j].status !== 'skipped') { entries[j].status = 'cancelled'; entries[j].image = null; }
      }
      return true;
    }
    if (p.status === 'rendered') {
      const r = await queue.own(p.frame);
      if (r.failure) {
        e.status = 'failed';
        e.detail = r.failure.check !== 'ok' ? `${r.failure.check}: ${r.failure.detail}` : r.failure.detail;
        failed++;
      } else {
        for (const k of Object.keys(r.times!) as (keyof Stages)[]) stages[k] += r.times![k as keyof typeof r.times];
        await writeVideo(r.pixels);
        e.image = opts.png ? imageName(p.frame) : null;
      }
      queue.release(p.frame, r);
    } else if (p.status === 'fallback') {
      const src = p.sourceFrame!;
      const r = await queue.source(src);
      if (r.failure) {
        e.status = 'failed';
        e.detail = `${e.detail}; fallback frame ${src} failed to render`;
        failed++;
      } else {
        if (opts.png) {
          await copyFileAtomic(join(outDir, imageName(src)), join(outDir, imageName(p.frame)));
          e.image = imageName(p.frame);
        }
        await writeVideo(r.pixels);
        fallback++;
      }
      queue.release(src, r);
    } else if (p.status === 'placeholder') {
      const t = performance.now();
      const { renderPlaceholder } = await import('../render/placeholder-image.js');
      const rgba = await renderPlaceholder({ width: opts.imgSize, height: opts.imgSize, frame: p.frame, reason: e.detail ?? p.check });
      if (opts.png) {
        const { writePng } = await import('../output/png-writer.js');
        await writePng(join(outDir, imageName(p.frame)), rgba, opts.imgSize, opts.imgSize, opts.pngCompression);
        e.image = imageName(p.frame);
      }
      stages.placeholder += performance.now() - t;
      await writeVideo(rgba);
    }
    ctx.progress.update({ phase: 'render', done: i + 1, total: plan.length, fallback, failed });
  }
  return false;
}

function entry(p: PlannedFrame, s: ScannedFrame, image: string | null): FrameEntry {
  return { frame: p.frame, file: s.file, check: p.check, detail: s.detail, status: p.status, source_frame: p.sourceFrame, image };
}

const plannedImage = (p: PlannedFrame) => (p.status === 'skipped' ? null : imageName(p.frame));

/** The background video against the sequence: shorter or longer is worth a warning, never an error. */
function layoutWarnings(l: VideoLayout, plan: PlannedFrame[], res: { interrupted: boolean; neutralFrames: number[] }, bg: BackgroundFrames): string[] {
  const out: string[] = [];
  const n = res.neutralFrames;
  if (n.length > 0) {
    const why = bg.error ? ` (decoding failed: ${bg.error})` : '';
    out.push(`the background video ended after ${bg.decoded} frames${why}: ${n.length} frame${n.length === 1 ? '' : 's'} (${n[0]}–${n[n.length - 1]}) show a neutral background`);
  }
  const last = plan.length ? plan[plan.length - 1].frame : 0;
  if (!res.interrupted && !bg.exhausted && l.background.frameCount > last) {
    const about = l.background.frameCountExact ? '' : 'about ';
    out.push(`the background video has ${about}${l.background.frameCount} frames but the sequence ends at frame ${last}: the last ${l.background.frameCount - last} video frames are not shown`);
  }
  return out;
}

/** Exit 3 when the quality gate fails; 0 otherwise (fallbacks are fine). */
function gateExitCode(opts: RunOptions, scanned: ScannedFrame[], frames: FrameEntry[]): number {
  if (opts.failOnMissingRate !== null && missingRate(scanned) > opts.failOnMissingRate) return 3;
  if (opts.dryRun && !frames.some((f) => f.check === 'ok')) return 3;
  return 0;
}

/** Vertex/face counts without loading the whole model (dry runs, runs with nothing to draw). */
function readModelInfo(path: string): { vertices: number; faces: number } {
  try {
    const npz = openNpzLazy(path);
    try {
      return { vertices: npz.get('v_template').shape[0], faces: npz.get('f').shape[0] };
    } finally {
      npz.close();
    }
  } catch (err) {
    throw configError(`--model_path ${path}: unreadable body model (${(err as Error).message})`, err);
  }
}
