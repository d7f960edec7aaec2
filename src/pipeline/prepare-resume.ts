/**
 * Decides, before any renderer starts, which output frames an earlier run
 * already finished (same fingerprint, file still there) and which rendered
 * frames still need a render. --force reuses nothing.
 */
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PlannedFrame } from '../plan/apply-policy.js';
import { framesToRender, outputFingerprint, planReuse } from '../plan/reuse-plan.js';
import { readPreviousRun, FrameJournal, type PreviousRun } from '../output/previous-run.js';
import { imageName } from '../output/output-names.js';
import { fileFingerprint } from '../scan/file-fingerprint.js';
import { FRAGMENT_SHADER, VERTEX_SHADER } from '../render/shaders.js';
import type { FrameView } from '../workers/worker-protocol.js';
import { isFrontOnly } from '../camera/view-rotation.js';
import type { PersonParams, Size } from '../types.js';
import type { RunState } from './run-state.js';
import { MESH_BACKGROUND, PERSON_COLORS } from './open-renderers.js';

export interface Resume {
  /** Per plan index: the output frame is reused as is. */
  reused: boolean[];
  fingerprints: Array<string | null>;
  toRender: Set<number>;
  journal: FrameJournal;
  previous: PreviousRun;
  /** What the MP4 depends on: every output frame's fingerprint, in order, and the encoding. */
  videoFingerprint: string;
  /** Everything besides the input that shapes a picture (shards of one run must agree on it). */
  settings: string;
}

/** Everything besides the input file that shapes an output frame's picture. */
function settingsOf(run: RunState, modelPath: string, view: FrameView, outSize: Size): string {
  const o = run.opts;
  return JSON.stringify({
    render: createHash('sha1').update(VERTEX_SHADER + FRAGMENT_SHADER).digest('hex').slice(0, 12),
    model: fileFingerprint(modelPath), gender: o.gender, device: o.device, gl: o.gl, layout: o.layout, out: outSize, view,
    background: o.background ? fileFingerprint(o.background) : null, flat: o.flatHandMean, framing: o.framing, person: o.person, png: o.pngCompression, export: o.export,
    colors: PERSON_COLORS, bg: MESH_BACKGROUND,
    // --views: named besides the view's cameras (which already differ), absent for the default so earlier outputs stay reusable.
    ...(isFrontOnly(o.views) ? {} : { views: o.views }),
  });
}

/** The parameters a frame is drawn from when the temporal stage made them (interpolated, smoothed), not its file. */
const paramsFingerprint = (persons: PersonParams[]) => createHash('sha1')
  .update(JSON.stringify(persons, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))).digest('hex').slice(0, 20);

/** What the MP4 depends on: every output frame's fingerprint in order, and the encoding (also the merge's). */
export const videoFingerprintOf = (fingerprints: ReadonlyArray<string | null>, opts: { fps: number; crf: number }, outSize: Size) => createHash('sha1')
  .update(JSON.stringify({ fingerprints, fps: opts.fps, crf: opts.crf, outSize })).digest('hex').slice(0, 20);

/** `renderOnly`: leading plan items whose output another shard writes: rendered only when a frame here shows them. */
export function prepareResume(
  run: RunState, plan: PlannedFrame[], modelPath: string, view: FrameView, outSize: Size, persons?: ReadonlyMap<number, PersonParams[]> | null, renderOnly = 0,
): Resume {
  const settings = settingsOf(run, modelPath, view, outSize);
  const input = new Map(run.scanned.map((f) => {
    const drawn = persons?.get(f.frame);
    return [f.frame, drawn ? paramsFingerprint(drawn) : f.path ? fileFingerprint(f.path) : null];
  }));
  // Interpolated frames may have no file: their parameters are their input.
  for (const [frame, drawn] of persons ?? []) if (!input.has(frame)) input.set(frame, paramsFingerprint(drawn));
  const fingerprints = plan.map((p, i) => outputFingerprint(settings, p, input, run.entries[i].detail ?? p.check));
  const { reports, journal } = run.resumeFrom;
  const previous = run.opts.force || !run.opts.png ? { outputs: new Map(), video: null } : readPreviousRun(run.outDir, reports, journal);
  const reused = planReuse(plan, fingerprints, previous.outputs, imageName, (name) => existsSync(join(run.outDir, name)));
  for (let i = 0; i < renderOnly; i++) reused[i] = true;
  return {
    reused, fingerprints, toRender: framesToRender(plan, reused), journal: new FrameJournal(run.outDir, journal), previous,
    videoFingerprint: videoFingerprintOf(fingerprints, run.opts, outSize), settings,
  };
}
