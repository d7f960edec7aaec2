/**
 * One frame's work, shared by the in-process renderer and the worker
 * processes, in three phases so the CPU and llvmpipe's rasteriser overlap:
 *   prepare: read the frame, compute each person's mesh (main thread);
 *   submit:  upload and draw, then flush: rasterising starts on llvmpipe's threads;
 *   collect: read the image back into a pooled buffer, write PNG / mesh files
 *            (PNG encoding runs on libuv's threads).
 * RenderLoop runs prepare(n+1) before collect(n), which hides most of the rasterising.
 */
import type { FrameJob, StageTimes, WorkerConfig } from './worker-protocol.js';
import type { CameraIntrinsics, MeshDraw, RendererInfo } from '../types.js';
import type { DrawOptions } from '../render/gl-renderer.js';

export interface FrameOutcome {
  times: StageTimes | null;
  /** The frame's RGBA when the job asked for pixels; give it back with `release`. */
  pixels: Buffer | null;
  release: () => void;
  /** Set when the frame could not be rendered. */
  failure: { check: string; detail: string } | null;
  /** Something the report should say about how the frame was drawn (e.g. a default camera), else null. */
  note?: string | null;
}

export interface ReadyInfo {
  info: RendererInfo;
  evidence: unknown;
  vertices: number;
  faces: number;
}

interface Prepared {
  job: FrameJob;
  meshes: MeshDraw[];
  camera: CameraIntrinsics;
  exportData: Buffer | null;
  times: StageTimes;
  note: string | null;
}

const noop = () => {};

export class FrameRenderer {
  private readonly scratch: Float32Array[] = [];
  private readonly free: Buffer[] = [];
  private readonly frameBytes: number;
  // Draw options are constant: made once, not per frame.
  private readonly opaque: DrawOptions;
  private readonly transparent: DrawOptions = { transparent: true };

  private constructor(
    private readonly config: WorkerConfig,
    private readonly mods: Awaited<ReturnType<typeof loadModules>>,
    private readonly model: import('../body-model/body-model.js').BodyModel,
    private readonly renderer: import('../render/gl-renderer.js').Renderer,
  ) {
    this.frameBytes = config.width * config.height * 4;
    this.opaque = { background: config.background };
  }

  /** Loads the model and creates the GL context; DISPLAY must be set. */
  static async create(config: WorkerConfig): Promise<FrameRenderer> {
    const mods = await loadModules();
    const model = mods.loadBodyModel(config.modelPath, { maxShapeDirs: config.maxShapeDirs, maxExprDirs: config.maxExprDirs });
    const renderer = await mods.createRenderer({ width: config.width, height: config.height, device: config.device });
    return new FrameRenderer(config, mods, model, renderer);
  }

  get ready(): ReadyInfo {
    return { info: this.renderer.info, evidence: this.renderer.evidence, vertices: this.model.numVertices, faces: this.model.numFaces };
  }

  /** Reads the frame and computes its meshes; a failure outcome when the file no longer reads as ok. */
  prepare(job: FrameJob): Prepared | FrameOutcome {
    const { config, model, mods } = this;
    const times: StageTimes = { read: 0, mesh: 0, draw: 0, readback: 0, png: 0, export: 0 };
    let t = performance.now();
    const reading = mods.readFrameFile(job.path, config.person);
    times.read = performance.now() - t;
    if (reading.check !== 'ok') {
      // The file changed since the scan: report it rather than render stale data.
      return { times, pixels: null, release: noop, failure: { check: reading.check, detail: reading.detail ?? reading.check } };
    }
    t = performance.now();
    const meshes = reading.persons.map((p, i) => {
      this.scratch[i] ??= new Float32Array(model.numVertices * 3);
      const { vertices } = mods.forwardBody(model, p, { flatHandMean: config.flatHandMean }, this.scratch[i]);
      return { vertices, color: config.colors[p.personId % config.colors.length] };
    });
    times.mesh = performance.now() - t;
    t = performance.now();
    // Encoded now: the scratch vertices are overwritten by the next prepare(), and
    // in the camera the data gives (before any move into a common camera below).
    const exportData = job.exportPath && config.exportFormat
      ? (config.exportFormat === 'obj' ? mods.encodeObj : mods.encodePly)(meshes.map((m) => m.vertices), model.faces)
      : null;
    times.export = performance.now() - t;
    const view = job.view;
    if (view.kind === 'sequence') return { job, meshes, camera: view.camera, exportData, times, note: null };

    // Source view: each person has its own camera; the first one is the common camera of the draw.
    t = performance.now();
    let camera: CameraIntrinsics | null = null;
    let note: string | null = null;
    for (let i = 0; i < meshes.length; i++) {
      const own = mods.personCamera(reading.persons[i], view);
      if (own.note) note = note ? `${note}; ${own.note}` : own.note;
      if (camera === null) camera = own.camera;
      else mods.toCommonCamera(meshes[i].vertices, own.camera, camera);
    }
    times.mesh += performance.now() - t;
    return { job, meshes, camera: camera!, exportData, times, note };
  }

  submit(p: Prepared): void {
    this.renderer.submit(p.meshes, this.model.faces, p.camera, p.job.view.kind === 'source' ? this.transparent : this.opaque);
    p.times.draw = this.renderer.lastTimes.draw;
  }

  /** Reads the image back (synchronously), then finishes the files. */
  collect(p: Prepared): Promise<FrameOutcome> {
    const pixels = this.free.pop() ?? Buffer.allocUnsafeSlow(this.frameBytes);
    this.renderer.readback(pixels);
    p.times.readback = this.renderer.lastTimes.readback;
    return this.finishFiles(p, pixels);
  }

  private async finishFiles(p: Prepared, pixels: Buffer): Promise<FrameOutcome> {
    const { config, mods } = this;
    const { job, times, note } = p;
    const release = () => { if (this.free.length < 8) this.free.push(pixels); };
    try {
      const t = performance.now();
      await Promise.all([
        job.pngPath ? mods.writePng(job.pngPath, pixels, config.width, config.height, config.pngLevel) : null,
        job.exportPath && p.exportData ? mods.writeFileAtomicAsync(job.exportPath, p.exportData) : null,
      ]);
      times.png = performance.now() - t;
    } catch (err) {
      release();
      return { times, pixels: null, release: noop, failure: { check: 'ok', detail: `writing the frame's files failed: ${(err as Error).message}` } };
    }
    if (!job.wantPixels) { release(); return { times, pixels: null, release: noop, failure: null, note }; }
    return { times, pixels, release, failure: null, note };
  }

  dispose(): void {
    this.renderer.dispose();
  }
}

/**
 * Runs jobs in order through one FrameRenderer: prepare(n) happens while
 * frame n−1 is still rasterising, then collect(n−1), then submit(n).
 */
export class RenderLoop {
  private queue: Array<{ job: FrameJob; resolve: (o: FrameOutcome) => void }> = [];
  private running = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly renderer: FrameRenderer) {}

  render(job: FrameJob): Promise<FrameOutcome> {
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
    let inFlight: { p: Prepared; resolve: (o: FrameOutcome) => void } | null = null;
    const settle = (f: { p: Prepared; resolve: (o: FrameOutcome) => void }) => {
      let out: Promise<FrameOutcome>;
      try { out = this.renderer.collect(f.p); } catch (err) { out = Promise.resolve(failed(err)); }
      out.then(f.resolve, (err) => f.resolve(failed(err)));
    };
    try {
      while (this.queue.length > 0) {
        const { job, resolve } = this.queue.shift()!;
        let prepared: Prepared | FrameOutcome;
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

const failed = (err: unknown): FrameOutcome =>
  ({ times: null, pixels: null, release: noop, failure: { check: 'ok', detail: `render failed: ${(err as Error).message}` } });

// Heavy modules load only when a renderer is made, after the display and GPU environment are set.
async function loadModules() {
  const [{ loadBodyModel }, { forwardBody }, { createRenderer }, { readFrameFile }, { writePng }, { encodeObj, encodePly }, { writeFileAtomicAsync }, { personCamera, toCommonCamera }] = await Promise.all([
    import('../body-model/load-body-model.js'),
    import('../body-model/forward-body.js'),
    import('../render/gl-renderer.js'),
    import('../scan/read-frame.js'),
    import('../output/png-writer.js'),
    import('../output/mesh-export.js'),
    import('../output/write-atomic.js'),
    import('../camera/person-cameras.js'),
  ]);
  return { loadBodyModel, forwardBody, createRenderer, readFrameFile, writePng, encodeObj, encodePly, writeFileAtomicAsync, personCamera, toCommonCamera };
}
