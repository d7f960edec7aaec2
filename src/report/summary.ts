/** The one-screen summary printed on stderr at the end of a run. */
import type { Report } from './build-report.js';

export function formatSummary(r: Report, outputDir: string, reportPath: string): string {
  const t = r.totals;
  const pct = (n: number) => (t.frames ? `${((100 * n) / t.frames).toFixed(1)}%` : '0%');
  const reasons = Object.entries(r.reasons).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const lines = [
    `batch-render ${r.dry_run ? 'dry run' : 'run'} ${r.interrupted ? 'INTERRUPTED' : 'finished'}: ${t.frames} frames in ${r.timing.wall_s.toFixed(1)} s (${r.timing.frames_per_s ?? 0} frames/s)`,
    `  ${r.dry_run ? 'plan (nothing drawn): ' : ''}rendered ${t.rendered} (${pct(t.rendered)})${t.interpolated ? `  interpolated ${t.interpolated}` : ''}  fallback ${t.fallback}  placeholder ${t.placeholder}  skipped ${t.skipped}  failed ${t.failed}${t.cancelled ? `  cancelled ${t.cancelled}` : ''}`,
    `  frames without a usable person: ${(r.missing_rate * 100).toFixed(1)}% (${reasons})`,
  ];
  if (r.renderer) lines.push(`  renderer: ${r.renderer.device} — ${r.renderer.gl_renderer}`);
  if (r.video) lines.push(`  video: ${r.video.file} (${r.video.frames} frames @ ${r.video.fps} fps)`);
  lines.push(`  output: ${outputDir}`, `  report: ${reportPath}`);
  for (const w of r.warnings.slice(0, 5)) lines.push(`  warning: ${w}`);
  if (r.warnings.length > 5) lines.push(`  … ${r.warnings.length - 5} more warnings in the report`);
  if (r.error) lines.push(`  error: ${r.error.message}`);
  return lines.join('\n');
}
