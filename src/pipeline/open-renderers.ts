/**
 * Starts what drawing needs, once, before the first frame: the GL backend
 * (EGL, or GLX with its display), the device (resolved here, in the main
 * process, so workers never decide on their own), and the renderers (in this
 * process, or N worker processes each with its own context and model copy).
 */
import type { RunState } from './run-state.js';
import type { WorkerConfig } from '../workers/worker-protocol.js';
import type { WorkerPool } from '../workers/worker-pool.js';
import type { InlinePool } from '../workers/inline-pool.js';
import { reportRenderer, type Report } from '../report/build-report.js';
import type { RGB } from '../types.js';

/** Distinct, colour-blind-friendly person colours (person i → PERSON_COLORS[i % n]). */
export const PERSON_COLORS: RGB[] = [
  [0.55, 0.7, 0.9], [0.95, 0.6, 0.35], [0.45, 0.8, 0.55], [0.85, 0.5, 0.75], [0.9, 0.82, 0.4], [0.5, 0.85, 0.85],
];
export const MESH_BACKGROUND: RGB = [0.96, 0.96, 0.96];

export interface Renderers {
  pool: WorkerPool | InlinePool;
  renderer: NonNullable<Report['renderer']>;
  close(force?: boolean): Promise<void>;
}

export interface RendererNeeds {
  modelPath: string;
  size: { width: number; height: number };
  /** Frames to render: no more workers than that. */
  frames: number;
  maxShapeDirs: number;
  maxExprDirs: number;
}

export async function openRenderers(run: RunState, n: RendererNeeds): Promise<Renderers> {
  const { opts } = run;
  // The backend and device are chosen here once; Xvfb starts only if it is GLX.
  const backend = await (await import('../render/open-gl-backend.js')).openGlBackend({ gl: opts.gl, device: opts.device, gpu: opts.gpu });
  run.warnings.push(...backend.warnings);
  try {
    const devicePlan = backend.plan;
    const workers = Math.min(opts.concurrency, n.frames);
    const config: WorkerConfig = {
      modelPath: n.modelPath, width: n.size.width, height: n.size.height, devicePlan,
      flatHandMean: opts.flatHandMean, person: opts.person, pngLevel: opts.pngCompression,
      exportFormat: opts.export, background: MESH_BACKGROUND, colors: PERSON_COLORS,
      maxShapeDirs: n.maxShapeDirs, maxExprDirs: n.maxExprDirs,
    };
    // One render process: draw here. More: one GL context per worker process.
    const pool = workers <= 1
      ? new (await import('../workers/inline-pool.js')).InlinePool(config)
      : new (await import('../workers/worker-pool.js')).WorkerPool(config, workers);
    await pool.start();
    const ready = pool.ready!;
    run.input.model_vertices = ready.vertices;
    run.input.model_faces = ready.faces;
    const renderer = reportRenderer(ready.info, { evidence: ready.evidence, render_processes: workers <= 1 ? 'main process' : workers });
    return {
      pool, renderer,
      async close(force = false) { await pool.close(force); await backend.stop(); },
    };
  } catch (err) {
    await backend.stop();
    throw err;
  }
}
