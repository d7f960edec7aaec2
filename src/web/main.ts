/**
 * Entry of the one front-end bundle. The page holds the report JSON and a
 * PageConfig in two <script type="application/json"> tags: the static
 * render_report.html inlines them, the viewer's sequence page too, with
 * mode 'viewer' adding the source video and the 3D view.
 */
import { el } from './dom.js';
import type { PageConfig, ReportData } from './report-data.js';
import { FrameState } from './frame-state.js';
import { renderCards } from './cards.js';
import { renderReasonsChart } from './reasons-chart.js';
import { renderTimeline } from './timeline.js';
import { renderTimeChart } from './render-time-chart.js';
import { renderFramesTable } from './frames-table.js';
import { createPlayer } from './player.js';
import type { Mesh3DView } from './mesh-3d.js';

/** What tests and the curious can reach from the console. */
interface PageApi {
  state: FrameState;
  seek(frame: number): void;
  step(delta: number): void;
  mesh3d: Mesh3DView | null;
  ready: boolean;
}

declare global { interface Window { batchRender?: PageApi } }

const readJson = <T>(id: string): T => JSON.parse(document.getElementById(id)!.textContent!) as T;

function start(): void {
  const report = readJson<ReportData>('br-report');
  const cfg = readJson<PageConfig>('br-config');
  const root = document.getElementById('app')!;
  const state = new FrameState(report.frames[0]?.frame ?? 0);
  const player = createPlayer(report, cfg, state);
  const seek = (f: number) => player.seek(f);

  let mesh3d: Mesh3DView | null = null;
  const top = el('div', { class: 'top' }, player.element);
  if (cfg.mode === 'viewer' && cfg.apiBase) {
    // Imported only in viewer mode: the bundle holds three.js, but the report page never starts WebGL.
    void import('./mesh-3d.js').then(({ createMesh3D }) => {
      mesh3d = createMesh3D(cfg.apiBase!, cfg.personColors);
      api.mesh3d = mesh3d;
      top.append(mesh3d.element);
      state.watch((f) => mesh3d!.show(f));
    });
  }

  const warnings = (report.warnings ?? []).length
    ? el('section', { class: 'panel warnings' }, el('h2', {}, 'Warnings'), el('ul', {}, ...report.warnings!.map((w) => el('li', {}, w))))
    : null;
  root.append(
    el('header', {}, el('h1', {}, cfg.title),
      el('p', { class: 'muted' }, `${report.dry_run ? 'dry run · ' : ''}${report.interrupted ? 'interrupted · ' : ''}${String(report.input.npz_dir ?? '')}`)),
    renderCards(report),
    top,
    renderTimeline(report, state, seek),
    el('div', { class: 'charts' }, renderReasonsChart(report), renderTimeChart(report)),
    renderFramesTable(report, seek),
    warnings ?? '',
  );

  window.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight') return;
    const t = ev.target as HTMLElement;
    if (t.closest('input, select, textarea')) return;
    const playing = [...document.querySelectorAll('video')].some((v) => !v.paused);
    if (playing) return;
    ev.preventDefault();
    ev.stopPropagation();
    player.step(ev.key === 'ArrowRight' ? 1 : -1);
  }, true);

  const api: PageApi = { state, seek, step: (d) => player.step(d), mesh3d, ready: true };
  window.batchRender = api;
  document.body.dataset.ready = '1';
  // Time to interactive, for the page-size/TTI measurement: the page is built and listening.
  performance.mark('br-interactive');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
