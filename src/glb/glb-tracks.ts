/**
 * Pure policy for the animated glTF: what each person shows at each frame
 * of the sequence, following the run's frame statuses. Rendered and
 * interpolated frames show their own parameters; a fallback frame holds its
 * source frame's pose; placeholder, skipped and failed frames hide the body.
 */
import type { FrameStatus } from '../plan/apply-policy.js';
import type { PersonParams } from '../types.js';

export interface GlbFrame {
  frame: number;
  status: FrameStatus;
  source_frame: number | null;
}

export interface PersonTrack {
  personId: number;
  /** One per sequence frame: the parameters shown, or null (hidden). */
  params: Array<PersonParams | null>;
  /** Betas of the frames showing their own parameters (fallbacks not counted twice). */
  ownBetas: Float64Array[];
  /** Frame numbers where this person is hidden. */
  hidden: number[];
}

export interface SequenceTracks {
  /** Frame numbers, in order: keyframe k is frames[k]. */
  frames: number[];
  tracks: PersonTrack[];
  /** Fallback frames and the frame whose pose they hold. */
  held: Array<{ frame: number; source_frame: number }>;
}

const OWN: ReadonlySet<FrameStatus> = new Set(['rendered', 'interpolated']);

/**
 * @param paramsOf the usable persons of a frame that shows its own
 *                 parameters (its file, or the temporal stage's values)
 */
export function sequenceTracks(frames: readonly GlbFrame[], paramsOf: (frame: number) => readonly PersonParams[]): SequenceTracks {
  const shown: Array<readonly PersonParams[]> = [];
  const held: SequenceTracks['held'] = [];
  const cache = new Map<number, readonly PersonParams[]>();
  const lookup = (f: number) => {
    let p = cache.get(f);
    if (!p) { p = paramsOf(f); cache.set(f, p); }
    return p;
  };
  for (const f of frames) {
    if (OWN.has(f.status)) shown.push(lookup(f.frame));
    else if (f.status === 'fallback' && f.source_frame !== null) {
      shown.push(lookup(f.source_frame));
      held.push({ frame: f.frame, source_frame: f.source_frame });
    } else shown.push([]);
  }
  const ids = [...new Set(shown.flatMap((ps) => ps.map((p) => p.personId)))].sort((a, b) => a - b);
  const tracks = ids.map((personId): PersonTrack => {
    const params = shown.map((ps) => ps.find((p) => p.personId === personId) ?? null);
    return {
      personId,
      params,
      ownBetas: frames.flatMap((f, k) => (OWN.has(f.status) && params[k] ? [params[k]!.betas] : [])),
      hidden: frames.filter((_, k) => params[k] === null).map((f) => f.frame),
    };
  });
  return { frames: frames.map((f) => f.frame), tracks, held };
}
