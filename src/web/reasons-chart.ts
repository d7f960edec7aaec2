/** The reasons frames had no usable person, as horizontal bars (plain SVG). */
import { svg, el } from './dom.js';
import { reasonBars, type ReportData } from './report-data.js';

const ROW = 22;
const LABEL_W = 140;
const BAR_W = 260;

export function renderReasonsChart(r: ReportData): HTMLElement {
  const bars = reasonBars(r);
  const max = Math.max(1, ...bars.map((b) => b.count));
  const height = bars.length * ROW + 4;
  const chart = svg('svg', { class: 'reasons-chart', width: LABEL_W + BAR_W + 60, height, role: 'img', 'aria-label': 'frames per reason' },
    ...bars.map((b, i) => svg('g', { class: `bar bar-${b.key}`, 'data-reason': b.key, 'data-count': b.count, transform: `translate(0,${i * ROW + 2})` },
      svg('text', { x: LABEL_W - 8, y: ROW / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, b.label),
      svg('rect', { x: LABEL_W, y: 3, height: ROW - 6, width: b.count ? Math.max(2, (b.count / max) * BAR_W) : 0, class: `chk-${b.key}` }),
      svg('text', { x: LABEL_W + (b.count / max) * BAR_W + 6, y: ROW / 2 + 4, class: 'bar-count' }, String(b.count)))));
  return el('section', { class: 'panel', id: 'reasons' }, el('h2', {}, 'Why frames had no usable person'), chart);
}
