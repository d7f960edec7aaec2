/**
 * Assembles `render_report.json` (schema batch-render/report@1) from what the
 * run did. Pure: the caller writes it (atomically).
 */
import type { CameraIntrinsics, FrameCheck, RendererInfo } from '../types.js';
import type { FrameStatus } from '../plan/apply-policy.js';
import type { ViewCamera } from '../camera/view-framing.js';

export const REPORT_SCHEMA = 'batch-render/report@1';

/** The report's `renderer` section: snake_case like the rest of the report. */
export interface ReportRenderer {
  device: RendererInfo['device'];
  gl_vendor: string;
  gl_renderer: string;
  gl_version: string;
  [more: string]: unknown;
}

export const reportRenderer = (info: RendererInfo, more: Record<string, unknown> = {}): ReportRenderer => ({
  device: info.device, gl_vendor: info.glVendor, gl_renderer: info.glRenderer, gl_version: info.glVersion, ...more,
});

/**
 * A pinhole camera as the report gives it (OpenCV pixels: u = fx·x/z + cx):
 * the `camera` section of a run drawn with the one stable sequence camera, so
 * a user can project the exported meshes onto the PNGs.
 */
export const reportCamera = (c: CameraIntrinsics) => ({ fx: c.fx, fy: c.fy, cx: c.cx, cy: c.cy, width: c.width, height: c.height });

/**
 * The report's `views` section (--views other than front alone): per view,
 * left to right, where its panel is in the image, its camera, and the move
 * of the camera-space scene into it: x_view = rotation·x + translation
 * (rotation row-major), which turns the scene about `pivot`.
 */
export const reportViews = (views: ViewCamera[]) => views.map((v, i) => ({
  name: v.name,
  panel_x: v.camera.width * i,
  camera: reportCamera(v.camera),
  rotation: v.pose.rotation,
  translation: v.pose.translation,
  pivot: v.pivot,
  distance: v.distance,
}));

export interface FrameEntry {
  frame: number;
  file: string | null;
  check: FrameCheck;
  detail: string | null;
  status: FrameStatus;
  source_frame: number | null;
  /** Interpolated frames: the two frames interpolated between, and the second one's share. */
  source_frames?: [number, number];
  weight?: number;
  image: string | null;
  /** Renderer time for the frame's own render (read, mesh, draw, readback, files), ms. */
  render_ms?: number;
  /** What the output depends on (render settings and input file); a later run reuses outputs whose fingerprint matches. */
  fingerprint?: string;
  /** The output was finished by an earlier run and kept as is. */
  reused?: boolean;
}

export interface OptionValue { value: unknown; source: 'cli' | 'default' }

export interface ReportInput {
  dryRun: boolean;
  input: Record<string, unknown>;
  options: Record<string, OptionValue>;
  frames: FrameEntry[];
  video: { file: string; frames: number; fps: number; fingerprint?: string } | null;
  renderer: ReportRenderer | null;
  wallS: number;
  stages: Record<string, number>;
  warnings: string[];
  interrupted: boolean;
  exitCode: number;
  error?: { code: string; message: string } | null;
  extra?: Record<string, unknown>;
}

const REASONS: Exclude<FrameCheck, 'ok'>[] = ['no_person', 'missing_key', 'corrupt', 'invalid_value', 'missing_file', 'outlier'];

export function countTotals(frames: readonly FrameEntry[]) {
  const totals = { frames: frames.length, rendered: 0, interpolated: 0, fallback: 0, placeholder: 0, skipped: 0, failed: 0, cancelled: 0 };
  for (const f of frames) totals[f.status]++;
  const reused = frames.filter((f) => f.reused).length;
  const reasons = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<Exclude<FrameCheck, 'ok'>, number>;
  for (const f of frames) if (f.check !== 'ok') reasons[f.check]++;
  return { totals: { ...totals, reused }, reasons };
}

export function buildReport(r: ReportInput) {
  const { totals, reasons } = countTotals(r.frames);
  const unusable = r.frames.filter((f) => f.check !== 'ok').length;
  const stagesPerFrame: Record<string, number> = {};
  const perFrameDivisor = Math.max(1, totals.rendered + totals.interpolated);
  for (const [k, v] of Object.entries(r.stages)) stagesPerFrame[k] = round(v / perFrameDivisor, 3);
  return {
    schema: REPORT_SCHEMA,
    dry_run: r.dryRun,
    interrupted: r.interrupted,
    exit_code: r.exitCode,
    error: r.error ?? null,
    input: r.input,
    options: r.options,
    totals,
    reasons,
    missing_rate: totals.frames ? round(unusable / totals.frames, 6) : 0,
    frames: r.frames,
    video: r.video,
    renderer: r.renderer,
    timing: {
      wall_s: round(r.wallS, 3),
      frames_per_s: r.wallS > 0 ? round(totals.frames / r.wallS, 2) : null,
      stages_total_ms: Object.fromEntries(Object.entries(r.stages).map(([k, v]) => [k, round(v, 1)])),
      stages_ms_per_rendered_frame: stagesPerFrame,
    },
    warnings: r.warnings,
    ...r.extra,
  };
}

export type Report = ReturnType<typeof buildReport>;

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
