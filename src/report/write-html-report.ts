/**
 * render_report.html: one self-contained page beside render_report.json —
 * the front-end bundle, its CSS and the report inlined, nothing fetched from
 * the network, the video referenced by its relative path (render.mp4), so the
 * page works opened from disk and in a copied folder. The viewer's sequence
 * pages are the same page with a different PageConfig.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configError } from '../errors.js';
import { writeFileAtomic } from '../output/write-atomic.js';
import type { PageConfig } from '../web/report-data.js';
import type { Report } from './build-report.js';

export const HTML_REPORT_NAME = 'render_report.html';

/** Where scripts/build-web.mjs puts the bundle: dist/web, beside dist/src. */
const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

let assets: { js: string; css: string } | null = null;

/** The bundle and its CSS (read once). */
export function webAssets(): { js: string; css: string } {
  if (assets) return assets;
  try {
    assets = { js: readFileSync(join(WEB_DIR, 'app.js'), 'utf8'), css: readFileSync(join(WEB_DIR, 'app.css'), 'utf8') };
  } catch (err) {
    throw configError(`HTML report: the web bundle is missing in ${WEB_DIR} (run \`npm run build\`)`, err);
  }
  return assets;
}

/** JSON safe inside <script>: no `</script>`, no `<!--`, and the two JS-breaking line separators escaped. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * What the page may load: its own folder's files (file: opened from disk,
 * 'self' when served), never the network; the report page fetches nothing.
 */
const CSP = (mode: PageConfig['mode']) => {
  const own = mode === 'viewer' ? "'self'" : "'self' file:";
  return ["default-src 'none'", "script-src 'unsafe-inline'", "style-src 'unsafe-inline'",
    `img-src ${own} data: blob:`, `media-src ${own} blob:`, `connect-src ${mode === 'viewer' ? "'self'" : "'none'"}`].join('; ');
};

export function renderReportHtml(report: unknown, cfg: PageConfig): string {
  const { js, css } = webAssets();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP(cfg.mode)}">
<title>${escapeHtml(cfg.title)}</title>
<style>${css.replace(/<\/style/gi, '<\\/style')}</style>
</head><body>
<div id="app"></div>
<script type="application/json" id="br-report">${scriptJson(report)}</script>
<script type="application/json" id="br-config">${scriptJson(cfg)}</script>
<script>${js.replace(/<\/script/gi, '<\\/script')}</script>
</body></html>
`;
}

/** Writes render_report.html beside render_report.json (atomically); returns its path. */
export function writeHtmlReport(outDir: string, report: Report): string {
  const cfg: PageConfig = {
    mode: 'report', filesBase: '', apiBase: null, sourceVideo: null, personColors: [],
    title: `batch-render report: ${basename(resolve(outDir))}`,
  };
  const path = join(outDir, HTML_REPORT_NAME);
  writeFileAtomic(path, renderReportHtml(report, cfg));
  return path;
}
