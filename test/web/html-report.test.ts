/**
 * render_report.html in Debian's chromium, opened from file:// with every
 * network request blocked: the cards, timeline and reasons chart against the
 * report the real CLI wrote, the player's badge, and the page size and time
 * to interactive of an 1800-frame report.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, mkdirSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { writeHtmlReport } from '../../src/report/write-html-report.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { makeDemoRun, type DemoRun } from './fixtures.js';
import { screenshot } from './screenshots.js';
import { readReport, runCli } from '../helpers/run-cli.js';

let run: DemoRun;
let chrome: TestBrowser;

before(async () => {
  run = await makeDemoRun({ frames: 40 });
  chrome = await launchBrowser();
});
after(async () => {
  await chrome?.close();
  if (run) rmSync(run.work, { recursive: true, force: true });
});

/** Opens a file:// page, aborting (and recording) every request that is not a local file. */
async function openOffline(path: string): Promise<{ page: Page; blocked: string[] }> {
  const page = await chrome.browser.newPage();
  const blocked: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (req.url().startsWith('file://') || req.url().startsWith('data:')) void req.continue();
    else { blocked.push(req.url()); void req.abort(); }
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
  assert.deepEqual(errors, [], 'no script errors');
  return { page, blocked };
}

// Written here, independent of the page's own wording table.
const EXPECTED_WHY: Record<string, string> = {
  no_person: 'no person detected', missing_key: 'missing key', corrupt: 'corrupt file', invalid_value: 'invalid value', missing_file: 'missing file',
};

test('the report page from file://: cards, timeline, reasons, badge, nothing from the network', async () => {
  const html = writeHtmlReport(run.outDir, run.report);
  assert.equal(html, join(run.outDir, 'render_report.html'));
  // The page still works when the folder is copied elsewhere: open a copy.
  const copy = join(run.work, 'copied');
  mkdirSync(copy);
  for (const f of ['render_report.html', 'render.mp4']) copyFileSync(join(run.outDir, f), join(copy, f));
  const { page, blocked } = await openOffline(join(copy, 'render_report.html'));
  const r = run.report;

  const cards = await page.$$eval('.card', (cs) => Object.fromEntries(cs.map((c) => [(c as HTMLElement).dataset.key, c.querySelector('.card-value')!.textContent])));
  for (const k of ['frames', 'rendered', 'fallback', 'placeholder', 'skipped', 'failed']) assert.equal(cards[k], String(r.totals[k]), `card ${k}`);
  assert.equal(cards.success_rate, `${(100 * r.totals.rendered / r.totals.frames).toFixed(1)} %`);
  assert.equal(cards.missing_rate, `${(100 * r.missing_rate).toFixed(1)} %`);
  assert.equal(cards.frames_per_s, String(r.timing.frames_per_s));
  assert.equal(cards.device, r.renderer.device);
  assert.equal(cards.gl_renderer, r.renderer.gl_renderer);

  const cells = await page.$$eval('#timeline .cell', (cs) => cs.map((c) => ({ frame: Number((c as HTMLElement).dataset.frame), cls: c.className, bg: getComputedStyle(c).backgroundColor })));
  assert.equal(cells.length, r.frames.length, 'one cell per frame');
  const colourOf = new Map<string, string>();
  cells.forEach((c, i) => {
    const f = r.frames[i];
    assert.equal(c.frame, f.frame);
    assert.ok(c.cls.split(' ').includes(`st-${f.status}`), `frame ${f.frame}: class ${c.cls} lacks st-${f.status}`);
    assert.ok(c.cls.split(' ').includes(`chk-${f.check}`), `frame ${f.frame}: class ${c.cls} lacks chk-${f.check}`);
    // One colour per status, and different statuses look different.
    if (colourOf.has(f.status)) assert.equal(c.bg, colourOf.get(f.status));
    colourOf.set(f.status, c.bg);
  });
  assert.ok(colourOf.size >= 2, 'the demo run has rendered and fallback frames');
  assert.equal(new Set(colourOf.values()).size, colourOf.size, 'each status has its own colour');
  const title = await page.$eval('#timeline .cell[data-frame="4"]', (c) => c.getAttribute('title'));
  const f4 = r.frames.find((f: { frame: number }) => f.frame === 4);
  assert.ok(title!.includes('frame 4') && title!.includes(f4.detail ?? ''), `hover names the frame and detail: ${title}`);

  const bars = await page.$$eval('.reasons-chart .bar', (bs) => bs.map((b) => ({ reason: (b as SVGElement).dataset.reason!, count: Number((b as SVGElement).dataset.count), width: Number(b.querySelector('rect')!.getAttribute('width')) })));
  assert.deepEqual(Object.fromEntries(bars.map((b) => [b.reason, b.count])), r.reasons);
  const max = Math.max(...bars.map((b) => b.count));
  const widest = bars.find((b) => b.count === max)!.width;
  for (const b of bars) assert.ok(Math.abs(b.width - (b.count ? Math.max(2, (b.count / max) * widest) : 0)) < 0.01, `bar ${b.reason} length ∝ count`);

  // Clicking a fallback frame's cell seeks the player; the badge names the frame shown.
  const fb = r.frames.find((f: { status: string }) => f.status === 'fallback');
  await page.click(`#timeline .cell[data-frame="${fb.frame}"]`);
  await page.waitForFunction((k) => document.getElementById('frame-number')!.textContent!.startsWith(`frame ${k} `), { timeout: 10_000 }, fb.frame);
  const badge = await page.$eval('#badge', (b) => ({ text: b.textContent, hidden: (b as HTMLElement).hidden }));
  assert.equal(badge.hidden, false);
  assert.equal(badge.text, `${EXPECTED_WHY[fb.check]}: showing frame ${fb.source_frame}`);
  const rows = await page.$$eval('#problems tbody tr', (trs) => trs.map((t) => Number((t as HTMLElement).dataset.frame)));
  assert.deepEqual(rows, r.frames.filter((f: { check: string; status: string }) => f.check !== 'ok' || f.status !== 'rendered').map((f: { frame: number }) => f.frame));
  await page.select('#problems select[name="check"]', 'corrupt');
  const visible = await page.$$eval('#problems tbody tr', (trs) => trs.filter((t) => !(t as HTMLElement).hidden).length);
  assert.equal(visible, r.reasons.corrupt);
  await page.select('#problems select[name="check"]', '');
  await screenshot(page, run.work, 'report.png');
  assert.deepEqual(blocked, [], 'the page asked for nothing from the network');
  await page.close();
});

test('a dry run gets a report page too: the plan, without a player video', async () => {
  const out = join(run.work, 'dry');
  const r = await runCli(['--npz_dir', run.npzDir, '--output_dir', out, '--use_fallback', '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  writeHtmlReport(out, report);
  const { page, blocked } = await openOffline(join(out, 'render_report.html'));
  assert.equal(await page.$eval('.card-frames .card-value', (c) => c.textContent), String(report.totals.frames));
  assert.equal(await page.$eval('.card-device .card-value', (c) => c.textContent), 'dry run');
  assert.equal(await page.$$eval('#timeline .cell', (c) => c.length), report.frames.length);
  assert.equal(await page.$('video'), null);
  assert.match(await page.$eval('#player', (p) => p.textContent!), /Dry run: no video/);
  assert.deepEqual(blocked, []);
  await page.close();
});

test('an 1800-frame report: page size and time to interactive', async (t) => {
  const dir = join(run.work, 'long');
  mkdirSync(dir);
  const base = run.report.frames;
  // Synthetic: the demo run's frames repeated to 1800, with per-frame render times.
  const frames = Array.from({ length: 1800 }, (_, i) => {
    const f = base[i % base.length];
    return { ...f, frame: i + 1, file: f.file?.replace(/\d+/, String(i + 1).padStart(4, '0')) ?? null,
      source_frame: f.source_frame === null ? null : f.source_frame + i - (i % base.length),
      image: f.image ? `mesh_${String(i + 1).padStart(4, '0')}.png` : null, render_ms: f.status === 'rendered' ? 10 + (i % 17) * 0.3 : null };
  });
  const totals = { ...run.report.totals };
  for (const k of Object.keys(totals)) totals[k] = 0;
  totals.frames = frames.length;
  for (const f of frames) totals[f.status]++;
  const report = { ...run.report, frames, totals, video: { file: 'render.mp4', frames: 1800, fps: 30 } };
  writeFileSync(join(dir, 'render_report.json'), JSON.stringify(report));
  const path = writeHtmlReport(dir, report as never);
  const bytes = statSync(path).size;
  // Median of three fresh loads: the machine may be busy with other work.
  const ttis: number[] = [];
  for (let i = 0; i < 2; i++) {
    const { page: p } = await openOffline(path);
    ttis.push(await p.evaluate(() => performance.getEntriesByName('br-interactive')[0].startTime));
    await p.close();
  }
  const { page } = await openOffline(path);
  ttis.push(await page.evaluate(() => performance.getEntriesByName('br-interactive')[0].startTime));
  const tti = ttis.sort((a, b) => a - b)[1];
  assert.equal(await page.$$eval('#timeline .cell', (c) => c.length), 1800);
  // The render-time line: one pen-down per run of timed (rendered) frames.
  const d = await page.$eval('#render-time path.line', (p) => p.getAttribute('d')!);
  let runs = 0;
  frames.forEach((f, i) => { if (f.render_ms !== null && (i === 0 || frames[i - 1].render_ms === null)) runs++; });
  assert.equal(d.split('M').length - 1, runs);
  assert.equal(d.split(/[ML]/).length - 1, frames.filter((f) => f.render_ms !== null).length);
  t.diagnostic(`1800-frame render_report.html: ${(bytes / 1e6).toFixed(3)} MB, interactive at ${tti.toFixed(0)} ms after navigation start`);
  writeFileSync(join(run.work, 'long-report-figures.json'), JSON.stringify({ bytes, tti_ms: tti }));
  console.log(JSON.stringify({ report_1800_bytes: bytes, report_1800_tti_ms: Math.round(tti) }));
  assert.ok(bytes < 2e6, `page is ${bytes} bytes, limit 2 MB`);
  await page.close();
});
