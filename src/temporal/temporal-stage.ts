/**
 * The temporal stage of a run, between scan and render: one parameter track
 * per person id over the usable frames, then
 *   1. --reject_outliers: a person flagged by detectOutliers is dropped from
 *      its frame; a frame left with nobody becomes check 'outlier' (handled
 *      like a missing frame by the policy);
 *   2. the plan: applyPolicy, or with --policy interpolate applyInterpolation;
 *   3. --smooth: every track over the frames that render from their own
 *      parameters, never across a gap longer than the smoother's reach;
 *   4. each gap frame interpolated per person id present on both sides,
 *      from the (smoothed) track around the gap (interpolate-gap.ts).
 * Returns the plan and the parameters of every frame that must be drawn
 * from given parameters rather than from its file.
 */
import type { TemporalOptions } from './temporal-settings.js';
import { applyPolicy, type PlannedFrame, type Policy } from '../plan/apply-policy.js';
import { applyInterpolation } from '../plan/plan-interpolation.js';
import type { FrameCheck, PersonParams } from '../types.js';
import { detectOutliers, type OutlierKind } from './detect-outliers.js';
import { gapCurve, gapEnds } from './interpolate-gap.js';
import { smoothParams } from './smooth-params.js';
import type { TrackSample } from './track-block.js';

export interface TemporalFrame {
  frame: number;
  check: FrameCheck;
  detail: string | null;
}

export interface TemporalResult {
  /** Same frames, checks after outlier rejection. */
  frames: TemporalFrame[];
  plan: PlannedFrame[];
  /** Frames drawn from these parameters instead of their file (interpolated, smoothed, or with a person rejected). */
  persons: Map<number, PersonParams[]>;
  /** Outliers found, by kind (a frame may count under several). */
  outliers: Record<OutlierKind, number>;
}

/** Whether a run needs the temporal stage (and so keeps every frame's parameters from the scan). */
export const temporalEnabled = (policy: Policy | 'interpolate', t: TemporalOptions): boolean =>
  policy === 'interpolate' || t.smooth !== null || t.rejectOutliers;

/** Each person id's samples, in frame order, over the frames listed. */
function tracksById(frames: readonly number[], persons: ReadonlyMap<number, PersonParams[]>): Map<number, TrackSample[]> {
  const tracks = new Map<number, TrackSample[]>();
  for (const frame of frames) {
    for (const params of persons.get(frame) ?? []) {
      let t = tracks.get(params.personId);
      if (!t) tracks.set(params.personId, (t = []));
      t.push({ frame, params });
    }
  }
  return tracks;
}

/**
 * @param frames  every frame of the run, in order, as scanned
 * @param persons the usable people of every 'ok' frame, as read
 */
export function runTemporal(
  frames: readonly TemporalFrame[],
  persons: ReadonlyMap<number, PersonParams[]>,
  policy: Policy | 'interpolate',
  t: TemporalOptions,
): TemporalResult {
  const current = new Map([...persons].map(([f, ps]) => [f, [...ps]]));
  const checked = frames.map((f) => ({ ...f }));
  const changed = new Set<number>();
  const outliers: Record<OutlierKind, number> = { root_flip: 0, cam_jump: 0, hands_swapped: 0 };

  if (t.rejectOutliers) rejectOutliers(checked, current, changed, outliers);

  const plan = policy === 'interpolate'
    ? applyInterpolation(checked, t.interpolate!.gapPolicy, t.interpolate!.maxGap, (a, b) => sharedIds(current, a, b).length > 0)
    : applyPolicy(checked, policy);

  // Smoothing first, over the frames with their own parameters, so a gap is
  // then bridged between the ends as drawn (no jump where it meets them) and
  // its slopes come from the smoothed motion rather than the noisy fits.
  const own = plan.filter((p) => p.status === 'rendered' && !p.interpolation).map((p) => p.frame);
  if (t.smooth) {
    for (const track of tracksById(own, current).values()) {
      smoothParams(track, t.smooth).forEach((params, k) => {
        const list = current.get(track[k].frame)!;
        list[list.indexOf(track[k].params)] = params;
        changed.add(track[k].frame);
      });
    }
  }
  const byId = new Map([...tracksById(own, current)].map(([id, track]) => [id, { track, at: new Map(track.map((s, i) => [s.frame, i])) }]));
  // One curve per person and gap, shared by the gap's frames (its slopes are fitted once).
  const curves = new Map<string, (w: number) => PersonParams>();
  const curveOf = (id: number, a: number, b: number) => {
    const key = `${id}:${a}:${b}`;
    let c = curves.get(key);
    if (!c) {
      const { track, at } = byId.get(id)!;
      curves.set(key, (c = gapCurve(gapEnds(track, at.get(a)!, at.get(b)!))));
    }
    return c;
  };
  for (const p of plan) {
    if (!p.interpolation) continue;
    const [a, b] = p.interpolation.sourceFrames;
    current.set(p.frame, sharedIds(current, a, b).map((id) => curveOf(id, a, b)(p.interpolation!.weight)));
    changed.add(p.frame);
  }
  return { frames: checked, plan, persons: new Map([...changed].map((f) => [f, current.get(f)!])), outliers };
}

/** Drops flagged people from their frames; a frame left with nobody becomes an outlier frame. */
function rejectOutliers(frames: TemporalFrame[], current: Map<number, PersonParams[]>, changed: Set<number>, counts: Record<OutlierKind, number>): void {
  const notes = new Map<number, string[]>();
  const usable = frames.filter((f) => f.check === 'ok').map((f) => f.frame);
  for (const [id, track] of tracksById(usable, current)) {
    detectOutliers(track).forEach((kinds, k) => {
      if (kinds.length === 0) return;
      const frame = track[k].frame;
      for (const kind of kinds) counts[kind]++;
      current.set(frame, current.get(frame)!.filter((p) => p.personId !== id));
      (notes.get(frame) ?? notes.set(frame, []).get(frame)!).push(`person ${id}: ${kinds.join(', ')}`);
    });
  }
  for (const f of frames) {
    const note = notes.get(f.frame);
    if (!note) continue;
    if (current.get(f.frame)!.length === 0) {
      f.check = 'outlier';
      f.detail = `outlier against both neighbours (${note.join('; ')})`;
      current.delete(f.frame);
    } else {
      f.detail = `rejected as outliers: ${note.join('; ')}`;
      changed.add(f.frame);
    }
  }
}

function sharedIds(current: ReadonlyMap<number, PersonParams[]>, a: number, b: number): number[] {
  const inB = new Set((current.get(b) ?? []).map((p) => p.personId));
  return (current.get(a) ?? []).map((p) => p.personId).filter((id) => inB.has(id));
}
