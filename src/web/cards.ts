/** The summary as cards: one per total, rate and the renderer. */
import { el } from './dom.js';
import { summaryCards, type ReportData } from './report-data.js';

export function renderCards(r: ReportData): HTMLElement {
  return el('section', { class: 'cards', id: 'cards' },
    ...summaryCards(r).map((c) => el('div', { class: `card card-${c.key}`, 'data-key': c.key },
      el('div', { class: 'card-value' }, c.value), el('div', { class: 'card-label' }, c.label))));
}
