/** The viewer's index: one row per served output directory with its summary numbers. */
import type { Sequence } from './load-sequences.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function indexPageHtml(seqs: Sequence[], css: string): string {
  const rows = seqs.map((s) => {
    const t = s.report.totals;
    const cells = [
      `<a href="/seq/${s.id}/">${esc(s.name)}</a>`, String(t.frames), String(t.rendered), t.frames ? pct(t.rendered / t.frames) : '–',
      String(t.fallback), String(t.placeholder), String(t.skipped), String(t.failed), pct(s.report.missing_rate),
      s.report.timing?.frames_per_s == null ? '–' : String(s.report.timing.frames_per_s), s.source ? esc(s.source.name) : '–',
    ];
    return `<tr data-seq="${s.id}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const head = ['sequence', 'frames', 'rendered', 'success rate', 'fallback', 'placeholder', 'skipped', 'failed', 'missing rate', 'frames/s', 'source video'];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>batch-render viewer</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${css}</style></head><body>
<h1>batch-render viewer</h1><p class="muted">${seqs.length} output director${seqs.length === 1 ? 'y' : 'ies'}</p>
<section class="panel"><table class="index-table" id="sequences"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>
</body></html>
`;
}
