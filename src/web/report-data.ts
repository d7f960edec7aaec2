/**
 * The report as the page sees it, and the pure functions that turn it into
 * what the page shows (cards, bars, badges, which frames the videos hold).
 * No DOM here: the node tests and the server use these too.
 */

export type FrameCheck = 'ok' | 'no_person' | 'missing_key' | 'corrupt' | 'invalid_value' | 'missing_file';
/** 'interpolated' is a status the pipeline may add later; the page already knows it. */
export type FrameStatus = 'rendered' | 'fallback' | 'placeholder' | 'skipped' | 'failed' | 'cancelled' | 'interpolated';

export interface ReportFrame {
  frame: number;
  file: string | null;
  check: FrameCheck | string;
  detail: string | null;
  status: FrameStatus | string;
  source_frame: number | null;
  image: string | null;
  /** Optional per-frame render time (ms). */
  render_ms?: number | null;
}

/** The fields of render_report.json the page reads; everything else is carried along untouched. */
export interface ReportData {
  schema?: string;
  dry_run: boolean;
  interrupted?: boolean;
  input: Record<string, unknown>;
  options: Record<string, { value: unknown; source: string }>;
  totals: Record<string, number>;
  reasons: Record<string, number>;
  missing_rate: number;
  frames: ReportFrame[];
  video: { file: string; frames: number; fps: number } | null;
  renderer: { device?: string; gl_renderer?: string; [k: string]: unknown } | null;
  timing: { wall_s?: number; frames_per_s?: number | null; [k: string]: unknown };
  layout?: { name?: string; [k: string]: unknown };
  warnings?: string[];
  [more: string]: unknown;
}

export const CHECK_TEXT: Record<string, string> = {
  ok: 'ok',
  no_person: 'no person detected',
  missing_key: 'missing key',
  corrupt: 'corrupt file',
  invalid_value: 'invalid value',
  missing_file: 'missing file',
};

export const checkText = (check: string): string => CHECK_TEXT[check] ?? check.replace(/_/g, ' ');

/** The note over the image for a frame that is not its own render; null for one that is. */
export function badgeText(f: ReportFrame): string | null {
  const why = checkText(f.check);
  switch (f.status) {
    case 'rendered': return null;
    case 'fallback': return `${why}: showing frame ${f.source_frame}`;
    case 'placeholder': return `placeholder: ${why}`;
    case 'interpolated': return 'interpolated';
    case 'skipped': return `skipped: ${why}`;
    case 'failed': return `failed: ${f.detail ?? why}`;
    case 'cancelled': return 'cancelled (run interrupted)';
    default: return f.status;
  }
}

export interface Card { key: string; label: string; value: string }

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function summaryCards(r: ReportData): Card[] {
  const t = r.totals;
  const cards: Card[] = [
    { key: 'frames', label: 'frames', value: String(t.frames) },
    { key: 'rendered', label: 'rendered', value: String(t.rendered) },
    { key: 'success_rate', label: 'success rate', value: t.frames ? pct(t.rendered / t.frames) : '–' },
    { key: 'fallback', label: 'fallback', value: String(t.fallback) },
    { key: 'placeholder', label: 'placeholder', value: String(t.placeholder) },
    { key: 'skipped', label: 'skipped', value: String(t.skipped) },
    { key: 'failed', label: 'failed', value: String(t.failed) },
  ];
  if (t.cancelled) cards.push({ key: 'cancelled', label: 'cancelled', value: String(t.cancelled) });
  if (t.interpolated) cards.push({ key: 'interpolated', label: 'interpolated', value: String(t.interpolated) });
  cards.push(
    { key: 'missing_rate', label: 'missing rate', value: pct(r.missing_rate) },
    { key: 'frames_per_s', label: 'frames/s', value: r.timing.frames_per_s == null ? '–' : String(r.timing.frames_per_s) },
    { key: 'device', label: 'device', value: r.renderer?.device ?? (r.dry_run ? 'dry run' : '–') },
    { key: 'gl_renderer', label: 'GL renderer', value: r.renderer?.gl_renderer ?? '–' },
  );
  return cards;
}

export interface Bar { key: string; label: string; count: number }

export const reasonBars = (r: ReportData): Bar[] =>
  Object.entries(r.reasons).map(([key, count]) => ({ key, label: checkText(key), count }));

/** Frames worth a row in the table: bad data, or not shown as their own render. */
export const problemFrames = (r: ReportData): ReportFrame[] =>
  r.frames.filter((f) => f.check !== 'ok' || f.status !== 'rendered');

/**
 * The sequence frames render.mp4 holds, in order (video frame i shows
 * result[i]). The mesh layout writes a video frame for rendered, fallback,
 * placeholder (and interpolated) frames; the video layouts write one for every
 * frame that was not cancelled.
 */
export function meshVideoFrames(r: ReportData): ReportFrame[] {
  if (!r.video) return [];
  const composed = r.layout?.name === 'overlay' || r.layout?.name === 'side-by-side';
  const shown = composed
    ? r.frames.filter((f) => f.status !== 'cancelled')
    : r.frames.filter((f) => f.status === 'rendered' || f.status === 'fallback' || f.status === 'placeholder' || f.status === 'interpolated');
  return shown.slice(0, r.video.frames);
}

/** The sequence frame whose mesh a frame shows (itself when rendered or interpolated, or its fallback source); null: no mesh. */
export function meshSourceFrame(f: ReportFrame): number | null {
  if (f.status === 'rendered' || f.status === 'interpolated') return f.frame;
  if (f.status === 'fallback' && f.source_frame != null) return f.source_frame;
  return null;
}

/** Per-frame render times, null where the report has none. */
export const renderTimes = (r: ReportData): Array<number | null> =>
  r.frames.map((f) => (typeof f.render_ms === 'number' && Number.isFinite(f.render_ms) ? f.render_ms : null));

/** What the served viewer adds to the page beside the report. */
export interface PageConfig {
  mode: 'report' | 'viewer';
  /** Prefix of the output directory's files (render.mp4, mesh_0001.png); '' for the static report. */
  filesBase: string;
  /** Base of the mesh API, viewer only. */
  apiBase: string | null;
  /** The source video, when the viewer has one: frame k of it is sequence frame k (1-based). */
  sourceVideo: { url: string; fps: number; name: string } | null;
  /** Colour per person (0..1 RGB), as the renderer draws them. */
  personColors: Array<[number, number, number]>;
  title: string;
}
