/**
 * One frame's work, shared by the in-process renderer and the worker
 * processes, in three phases so the CPU and llvmpipe's rasteriser overlap:
 *   prepare: read the frame, compute each person's mesh (main thread);
 *   submit:  upload and draw, then flush: rasterising starts on llvmpipe's threads;
 *   collect: read the image back into a pooled buffer, write PNG / mesh files
 *            (PNG encoding runs on libuv's threads).
 * RenderLoop (render-loop.ts) runs prepare(n+1) before collect(n), which hides most of the rasterising.
 */
import type { FrameJob, FrameResult, StageTimes, WorkerConfig } from './worker-protocol.js';
import type { CameraIntrinsics, MeshDraw, PersonParams, RendererInfo } from '../types.js';
import type { DrawOptions, Panel } from '../render/gl-renderer.js';
import { poseVertices, type ViewPose } from '../camera/view-rotation.js';
import { isWriteFailure } from '../errors.js';

export interface ReadyInfo {
  info: RendererInfo;
  evidence: unknown;
  vertices: number;
  faces: number;
}

export interface Prepared {
  job: FrameJob;
  meshes: MeshDraw[];
  camera: CameraIntrinsics;
  /** --views with more than the front view: one panel per view, left to right (then `meshes`/`camera` are the first's). */
  panels: Panel[] | null;
  exportData: Buffer | null;
  times: StageTimes;
  note: string | null;
}

const noop = () => {};

export class FrameRenderer {
  private readonly scratch: Float32Array[] = [];
  /** Turned vertices per view and person, reused across frames. */
  private readonly viewScratch: Float32Array[][] = [];
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

  /** Loads the model and creates the GL context for the resolved device. */
  static async create(config: WorkerConfig): Promise<FrameRenderer> {
    const mods = await loadModules();
    const model = mods.loadBodyModel(config.modelPath, { maxShapeDirs: config.maxShapeDirs, maxExprDirs: config.maxExprDirs });
    const renderer = await mods.createRenderer({ width: config.width, height: config.height, plan: config.devicePlan });
    return new FrameRenderer(config, mods, model, renderer);
  }

  get ready(): ReadyInfo {
    return { info: this.renderer.info, evidence: this.renderer.evidence, vertices: this.model.numVertices, faces: this.model.numFaces };
  }

  /** Reads the frame and computes its meshes; a failure outcome when the file no longer reads as ok. */
  prepare(job: FrameJob): Prepared | FrameResult {
    const { config, model, mods } = this;
    const times: StageTimes = { read: 0, mesh: 0, draw: 0, readback: 0, png: 0, export: 0 };
    let t = performance.now();
    let persons: PersonParams[];
    if (job.persons) persons = job.persons;
    else {
      const reading = mods.readFrameFile(job.path!, config.person);
      times.read = performance.now() - t;
      if (reading.check !== 'ok') {
        // The file changed since the scan: report it rather than render stale data.
        return { times, pixels: null, release: noop, failure: { check: reading.check, detail: reading.detail ?? reading.check } };
      }
      persons = reading.persons;
    }
    t = performance.now();
    const meshes = persons.map((p, i) => {
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
    if (view.kind === 'sequence') return { job, meshes, camera: view.camera, panels: null, exportData, times, note: null };
    if (view.kind === 'views') {
      t = performance.now();
      const panels = view.views.map((v, k) => ({ camera: v.camera, meshes: v.name === 'front' ? meshes : this.turned(meshes, v.pose, k) }));
      times.mesh += performance.now() - t;
      return { job, meshes: panels[0].meshes, camera: panels[0].camera, panels, exportData, times, note: null };
    }

    // Source view: each person has its own camera; the first one is the common camera of the draw.
    t = performance.now();
    let camera: CameraIntrinsics | null = null;
    let note: string | null = null;
    for (let i = 0; i < meshes.length; i++) {
      const own = mods.personCamera(persons[i], view);
      if (own.note) note = note ? `${note}; ${own.note}` : own.note;
      if (camera === null) camera = own.camera;
      else mods.toCommonCamera(meshes[i].vertices, own.camera, camera);
    }
    times.mesh += performance.now() - t;
    return { job, meshes, camera: camera!, panels: null, exportData, times, note };
  }

  /**
   * The meshes moved into turned view `k` (the front view does not move:
   * its panel draws the meshes themselves). The renderer takes the normals
   * from the turned vertices and the shaders light in the view camera's
   * space, so each view is lit from its own camera, as the front one is.
   */
  private turned(meshes: MeshDraw[], pose: ViewPose, k: number): MeshDraw[] {
    const scratch = (this.viewScratch[k] ??= []);
    return meshes.map((m, j) => {
      scratch[j] ??= new Float32Array(m.vertices.length);
      return { vertices: poseVertices(pose, m.vertices, scratch[j]), color: m.color };
    });
  }

  submit(p: Prepared): void {
    const opts = p.job.view.kind === 'source' ? this.transparent : this.opaque;
    if (p.panels) this.renderer.submitPanels(p.panels, this.model.faces, opts);
    else this.renderer.submit(p.meshes, this.model.faces, p.camera, opts);
    p.times.draw = this.renderer.lastTimes.draw;
  }

  /** Reads the image back (synchronously), then finishes the files. */
  collect(p: Prepared): Promise<FrameResult> {
    const pixels = this.free.pop() ?? Buffer.allocUnsafeSlow(this.frameBytes);
    this.renderer.readback(pixels);
    p.times.readback = this.renderer.lastTimes.readback;
    return this.finishFiles(p, pixels);
  }

  private async finishFiles(p: Prepared, pixels: Buffer): Promise<FrameResult> {
    const { config, mods } = this;
    const { job, times, note } = p;
    const release = () => { if (this.free.length < 8) this.free.push(pixels); };
    try {
      const t = performance.now();
      await Promise.all([
        job.pngPath ? mods.writePng(job.pngPath, pixels, config.width, config.height, { level: config.pngLevel }) : null,
        job.exportPath && p.exportData ? mods.writeFileAtomicAsync(job.exportPath, p.exportData) : null,
      ]);
      times.png = performance.now() - t;
    } catch (err) {
      release();
      // 'output_write': not the frame's fault; the writer stops the run on it.
      const check = isWriteFailure(err) ? 'output_write' : 'ok';
      const code = (err as NodeJS.ErrnoException).code;
      // For 'output_write' the detail is the file and `code` its errno (the writer builds the run's error from both).
      const detail = check === 'output_write' ? `${job.pngPath ?? job.exportPath}` : `${job.pngPath ?? job.exportPath}: ${code ?? (err as Error).message}`;
      return { times, pixels: null, release: noop, failure: { check, detail, code } };
    }
    if (!job.wantPixels) { release(); return { times, pixels: null, release: noop, failure: null, note }; }
    return { times, pixels, release, failure: null, note };
  }

  dispose(): void {
    this.renderer.dispose();
  }
}

// Heavy modules load only when a renderer is made, after the display and GPU environment are set.
async function loadModules() {
  const [{ loadBodyModel }, { forwardBody }, { createRenderer }, { readFrameFile }, { writePng }, { encodeObj, encodePly }, { writeFileAtomicAsync }, { personCamera, toCommonCamera }] = await Promise.all([
    import('../body-model/load-body-model.js'),
    import('../body-model/forward-body.js'),
    import('../render/create-renderer.js'),
    import('../scan/read-frame.js'),
    import('../output/png-writer.js'),
    import('../output/mesh-export.js'),
    import('../output/write-atomic.js'),
    import('../camera/person-cameras.js'),
  ]);
  return { loadBodyModel, forwardBody, createRenderer, readFrameFile, writePng, encodeObj, encodePly, writeFileAtomicAsync, personCamera, toCommonCamera };
}
