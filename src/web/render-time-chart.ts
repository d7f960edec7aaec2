/** Render time per frame as a line (plain SVG); gaps where a frame has no timing. */
import { el, svg } from './dom.js';
import { renderTimes, type ReportData } from './report-data.js';

const W = 640;
const H = 160;
const PAD = { l: 60, r: 8, t: 8, b: 20 };
const MAX_DOTS = 300;

export function renderTimeChart(r: ReportData): HTMLElement {
  const times = renderTimes(r);
  const panel = el('section', { class: 'panel', id: 'render-time' }, el('h2', {}, 'Render time per frame'));
  const known = times.filter((t): t is number => t !== null);
  if (known.length === 0) {
    panel.append(el('p', { class: 'muted' }, r.dry_run ? 'Dry run: nothing rendered.' : 'This report records no per-frame render times.'));
    return panel;
  }
  const max = Math.max(...known) || 1;
  const n = Math.max(1, times.length - 1);
  const x = (i: number) => PAD.l + (i / n) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);
  // One path with a move at every gap, so frames without timing break the line.
  let d = '';
  let pen = false;
  times.forEach((t, i) => {
    if (t === null) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(t).toFixed(1)}`;
    // A lone timed frame between gaps: a zero-length segment, drawn as a dot by the round cap.
    if (!pen && (times[i + 1] ?? null) === null) d += 'h0';
    pen = true;
  });
  const sorted = [...known].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const first = r.frames[0]?.frame ?? 0;
  const last = r.frames.at(-1)?.frame ?? 0;
  panel.append(svg('svg', { class: 'time-chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'render time per frame in ms' },
    svg('line', { x1: PAD.l, y1: y(0), x2: W - PAD.r, y2: y(0), class: 'axis' }),
    svg('line', { x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: y(0), class: 'axis' }),
    svg('text', { x: PAD.l - 4, y: PAD.t + 8, 'text-anchor': 'end', class: 'tick' }, `${max.toFixed(1)} ms`),
    svg('text', { x: PAD.l - 4, y: y(0), 'text-anchor': 'end', class: 'tick' }, '0'),
    svg('text', { x: PAD.l, y: H - 4, class: 'tick' }, `frame ${first}`),
    svg('text', { x: W - PAD.r, y: H - 4, 'text-anchor': 'end', class: 'tick' }, `frame ${last}`),
    svg('line', { x1: PAD.l, y1: y(median), x2: W - PAD.r, y2: y(median), class: 'median' }),
    svg('path', { d, class: 'line' }),
    // Short runs get a dot per frame too, so single frames between gaps are seen.
    ...(times.length <= MAX_DOTS ? times.flatMap((t, i) => (t === null ? [] : [svg('circle', { cx: x(i).toFixed(1), cy: y(t).toFixed(1), r: 2, class: 'dot' })])) : [])));
  panel.append(el('p', { class: 'muted' }, `median ${median.toFixed(2)} ms, max ${max.toFixed(2)} ms over ${known.length} rendered frames`));
  return panel;
}
