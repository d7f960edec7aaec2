/**
 * The exact posed mesh of a frame, as the run computed it: the report's model
 * file, the frame's parameters (frame-params.ts), our forward pass, the run's
 * hand mean. A fallback frame gets the mesh of the frame it shows. Results are
 * cached (a small LRU), models once per file.
 */
import { existsSync } from 'node:fs';
import { loadBodyModel } from '../body-model/load-body-model.js';
import { forwardBody } from '../body-model/forward-body.js';
import type { BodyModel } from '../body-model/body-model.js';
import { FrameParams, MeshUnavailable } from './frame-params.js';
import { encodeMesh, encodeTopology } from '../web/mesh-format.js';
import { meshSourceFrame, type ReportData, type ReportFrame } from '../web/report-data.js';

/** SMPL-X joints of the hands: wrists 20–21, fingers 25–54. */
const HAND_JOINTS = new Set([20, 21, ...Array.from({ length: 30 }, (_, i) => 25 + i)]);
const CACHE_FRAMES = 128;


const models = new Map<string, Promise<BodyModel>>();

async function modelFor(r: ReportData): Promise<BodyModel> {
  let path = typeof r.input.model_path === 'string' ? r.input.model_path : null;
  // The demo body lives in the temp folder and is regenerated on demand.
  if ((!path || !existsSync(path)) && r.input.model === 'built-in demo body') {
    const { demoBodyPath } = await import('../body-model/demo-body/demo-body-path.js');
    path = await demoBodyPath();
  }
  if (!path) throw new MeshUnavailable('the report names no body model (input.model_path)');
  if (!existsSync(path)) throw new MeshUnavailable(`body model ${path} not found`);
  let m = models.get(path);
  if (!m) {
    const p = path;
    m = Promise.resolve().then(() => loadBodyModel(p));
    models.set(path, m);
    m.catch(() => models.delete(p));
  }
  return m;
}

export class MeshService {
  private readonly byFrame: Map<number, ReportFrame>;
  private readonly cache = new Map<number, Uint8Array>();
  private topologyBin: Uint8Array | null = null;
  private readonly params: FrameParams;

  constructor(private readonly report: ReportData) {
    this.byFrame = new Map(report.frames.map((f) => [f.frame, f]));
    this.params = new FrameParams(report);
  }

  async topology(): Promise<Uint8Array> {
    if (this.topologyBin) return this.topologyBin;
    const model = await modelFor(this.report);
    this.topologyBin = encodeTopology(model.numVertices, model.faces, handVertices(model));
    return this.topologyBin;
  }

  /** The mesh binary shown at `frame` (its own, or its fallback source's). */
  async mesh(frame: number): Promise<Uint8Array> {
    const f = this.byFrame.get(frame);
    if (!f) throw new MeshUnavailable(`no frame ${frame} in this sequence`);
    const src = meshSourceFrame(f);
    if (src === null) throw new MeshUnavailable(`frame ${frame} shows no mesh (${f.status})`);
    const hit = this.cache.get(src);
    if (hit) {
      this.cache.delete(src);
      this.cache.set(src, hit);
      return hit;
    }
    const bin = await this.compute(src);
    this.cache.set(src, bin);
    if (this.cache.size > CACHE_FRAMES) this.cache.delete(this.cache.keys().next().value!);
    return bin;
  }

  private async compute(frame: number): Promise<Uint8Array> {
    const [model, persons] = await Promise.all([modelFor(this.report), this.params.persons(frame)]);
    const flatHandMean = this.report.options.flat_hand_mean?.value === true;
    const meshes = persons.map((p) => forwardBody(model, p, { flatHandMean }).vertices);
    return encodeMesh(frame, persons.map((p) => p.personId), meshes);
  }
}

/** Vertices whose largest skinning weight is a hand joint. */
function handVertices(model: BodyModel): Uint32Array {
  const w = model.weights;
  const out: number[] = [];
  for (let v = 0; v < w.rows; v++) {
    let best = -1, bestW = -Infinity;
    for (let e = w.rowPtr[v]; e < w.rowPtr[v + 1]; e++) if (w.values[e] > bestW) { bestW = w.values[e]; best = w.colIdx[e]; }
    if (HAND_JOINTS.has(best)) out.push(v);
  }
  return Uint32Array.from(out);
}
