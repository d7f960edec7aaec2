/**
 * One cell per frame, coloured by status (fill) and check (underline), so runs
 * of missing frames stand out; the title names frame, check and detail, a
 * click seeks the player. The current frame is outlined.
 */
import { el } from './dom.js';
import { checkText, type ReportData } from './report-data.js';
import type { FrameState } from './frame-state.js';

export function renderTimeline(r: ReportData, state: FrameState, seek: (frame: number) => void): HTMLElement {
  const strip = el('div', { class: 'timeline', id: 'timeline' });
  // Short runs get wide cells, long ones wrap onto more rows.
  strip.style.setProperty('--cell-w', `${Math.max(4, Math.min(24, Math.floor(1180 / Math.max(1, r.frames.length)) - 1))}px`);
  const cells = new Map<number, HTMLElement>();
  const frag = document.createDocumentFragment();
  for (const f of r.frames) {
    const title = `frame ${f.frame} · ${f.status} · ${checkText(f.check)}${f.detail ? ` · ${f.detail}` : ''}${f.source_frame != null ? ` · shows frame ${f.source_frame}` : ''}`;
    const c = el('div', { class: `cell st-${f.status} chk-${f.check}`, 'data-frame': f.frame, title });
    cells.set(f.frame, c);
    frag.append(c);
  }
  strip.append(frag);
  strip.addEventListener('click', (ev) => {
    const t = (ev.target as HTMLElement).closest('.cell') as HTMLElement | null;
    if (t) seek(Number(t.dataset.frame));
  });
  let shown: HTMLElement | undefined;
  state.watch((frame) => {
    shown?.classList.remove('current');
    shown = cells.get(frame);
    shown?.classList.add('current');
  });
  const legend = el('div', { class: 'legend' },
    ...['rendered', 'fallback', 'placeholder', 'skipped', 'failed', 'cancelled', 'interpolated']
      .filter((s) => r.frames.some((f) => f.status === s))
      .map((s) => el('span', { class: 'legend-item' }, el('span', { class: `swatch st-${s}` }), s)));
  return el('section', { class: 'panel', id: 'timeline-panel' }, el('h2', {}, 'Frames'), strip, legend);
}
