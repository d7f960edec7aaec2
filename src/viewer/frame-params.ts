/**
 * The parameters each frame of a run was drawn from, as the run derived
 * them: the frame's file, or — when the run had a temporal stage
 * (--policy interpolate, --smooth, --reject_outliers) — the same stage run
 * again over the same files with the report's options, so interpolated and
 * smoothed frames get the mesh that was rendered, not the raw file's.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readFrameFile, type PersonSelector } from '../scan/read-frame.js';
import { listFrames } from '../scan/list-frames.js';
import { scanFrames } from '../scan/scan-frames.js';
import { runTemporal, temporalEnabled } from '../temporal/temporal-stage.js';
import { temporalOptions, type TemporalFlags, type TemporalOptions } from '../config/temporal-options.js';
import type { Policy } from '../plan/apply-policy.js';
import type { PersonParams } from '../types.js';
import type { ReportData } from '../web/report-data.js';

/** A frame without a mesh to show, or whose inputs are gone: the HTTP status (404, 409) says which. */
export class MeshUnavailable extends Error {
  constructor(message: string, readonly status: 404 | 409 = 404) { super(message); }
}

type RunPolicy = Policy | 'interpolate';

/** The run's temporal settings from the report's options (snake_case, as recorded). */
export function reportTemporal(r: ReportData): { policy: RunPolicy; temporal: TemporalOptions } {
  const v = (k: string) => r.options[k]?.value ?? undefined;
  const policy = (v('policy') ?? 'skip') as RunPolicy;
  const flags = Object.fromEntries(Object.entries({
    policy, maxGap: v('max_gap'), gapPolicy: v('gap_policy'), smooth: v('smooth') ?? 'none', smoothSigma: v('smooth_sigma'),
    smoothMinCutoff: v('smooth_min_cutoff'), smoothBeta: v('smooth_beta'), smoothHands: v('smooth_hands'),
    rejectOutliers: v('reject_outliers'), fps: v('fps') ?? 30,
  }).filter(([, x]) => x !== undefined && x !== null)) as unknown as TemporalFlags;
  return { policy, temporal: temporalOptions(flags) };
}

export class FrameParams {
  private readonly selector: PersonSelector;
  private readonly npzDir: string;
  private temporal: Promise<(frame: number) => PersonParams[] | undefined> | null = null;

  constructor(private readonly report: ReportData) {
    const person = report.options.person?.value;
    this.selector = person === 'all' ? 'all' : typeof person === 'number' ? person : 0;
    this.npzDir = typeof report.input.npz_dir === 'string' ? report.input.npz_dir : '';
  }

  /** The people drawn at `frame` (a frame that renders: rendered or interpolated). */
  async persons(frame: number): Promise<PersonParams[]> {
    const { policy, temporal } = reportTemporal(this.report);
    if (temporalEnabled(policy, temporal)) {
      this.temporal ??= this.runTemporalStage(policy, temporal);
      const ps = (await this.temporal)(frame);
      if (!ps || ps.length === 0) throw new MeshUnavailable(`frame ${frame}: no person after the run's temporal stage`, 409);
      return ps;
    }
    return this.read(frame);
  }

  private read(frame: number): PersonParams[] {
    const f = this.report.frames.find((x) => x.frame === frame);
    if (!f?.file || !this.npzDir) throw new MeshUnavailable(`frame ${frame} has no input file in the report`);
    // The report names files inside npz_dir; a path that climbs out is not followed.
    if (basename(f.file) !== f.file) throw new MeshUnavailable(`frame ${frame}: input file ${JSON.stringify(f.file)} is not a plain file name`);
    const path = join(this.npzDir, f.file);
    if (!existsSync(path)) throw new MeshUnavailable(`input file ${path} not found`);
    const r = readFrameFile(path, this.selector);
    if (r.check !== 'ok') throw new MeshUnavailable(`${f.file}: ${r.check} (${r.detail})`, 409);
    return r.persons;
  }

  private async runTemporalStage(policy: RunPolicy, temporal: TemporalOptions): Promise<(frame: number) => PersonParams[] | undefined> {
    if (!this.npzDir || !existsSync(this.npzDir)) throw new MeshUnavailable(`input folder ${this.npzDir || '(none in the report)'} not found`);
    const read = new Map<number, PersonParams[]>();
    const scan = await scanFrames(listFrames(this.npzDir).frames, this.selector, undefined, undefined,
      (p, frame) => { (read.get(frame) ?? read.set(frame, []).get(frame)!).push(p); });
    const t = runTemporal(scan.frames, read, policy, temporal);
    return (frame) => t.persons.get(frame) ?? read.get(frame);
  }
}
