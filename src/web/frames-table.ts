/** The frames that are not `ok` (or not their own render), filterable by check, status and text. */
import { el } from './dom.js';
import { checkText, problemFrames, type ReportData } from './report-data.js';

export function renderFramesTable(r: ReportData, seek: (frame: number) => void): HTMLElement {
  const rows = problemFrames(r);
  const select = (name: string, values: string[]) => el('select', { name, 'aria-label': name },
    el('option', { value: '' }, `any ${name}`), ...values.map((v) => el('option', { value: v }, v)));
  const checks = select('check', [...new Set(rows.map((f) => f.check))]);
  const statuses = select('status', [...new Set(rows.map((f) => f.status))]);
  const text = el('input', { type: 'search', placeholder: 'filter detail…', 'aria-label': 'filter' });
  const count = el('span', { class: 'muted count' });
  const tbody = el('tbody');
  const trs = rows.map((f) => {
    const tr = el('tr', { 'data-frame': f.frame, 'data-check': f.check, 'data-status': f.status },
      el('td', {}, String(f.frame)), el('td', {}, el('span', { class: `pill st-${f.status}` }, f.status)),
      el('td', {}, checkText(f.check)), el('td', {}, f.source_frame == null ? '' : String(f.source_frame)),
      el('td', { class: 'detail' }, f.detail ?? ''), el('td', { class: 'file' }, f.file ?? ''));
    tbody.append(tr);
    return { tr, f, hay: `${f.frame} ${f.file ?? ''} ${f.detail ?? ''} ${f.check} ${f.status}`.toLowerCase() };
  });
  const apply = () => {
    const c = checks.value, s = statuses.value, q = text.value.trim().toLowerCase();
    let shown = 0;
    for (const row of trs) {
      const ok = (!c || row.f.check === c) && (!s || row.f.status === s) && (!q || row.hay.includes(q));
      row.tr.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = `${shown} of ${rows.length} frames`;
  };
  for (const c of [checks, statuses]) c.addEventListener('change', apply);
  text.addEventListener('input', apply);
  tbody.addEventListener('click', (ev) => {
    const tr = (ev.target as HTMLElement).closest('tr') as HTMLElement | null;
    if (tr) seek(Number(tr.dataset.frame));
  });
  apply();
  return el('section', { class: 'panel', id: 'problems' }, el('h2', {}, 'Frames that are not ok'),
    el('div', { class: 'filters' }, checks, statuses, text, count),
    rows.length === 0 ? el('p', { class: 'muted' }, 'Every frame is ok.') : el('table', { class: 'frames' },
      el('thead', {}, el('tr', {}, ...['frame', 'status', 'check', 'shows', 'detail', 'file'].map((h) => el('th', {}, h)))), tbody));
}
