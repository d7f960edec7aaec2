/**
 * The viewer in Debian's chromium, on an output directory the real CLI
 * wrote (demo data, --export obj) and a lossless source video whose frame i
 * carries the number i in blocks:
 *  - seeking to frame k shows source frame k (read back from a canvas) and
 *    the mesh of frame k (mesh_k.png; render.mp4 in the mesh-only page);
 *  - a fallback frame's badge names its source frame;
 *  - ← / → step exactly one frame;
 *  - the 3D view's positions equal `--export obj` of the frame to 1e-5.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'puppeteer-core';
import { startViewer, type RunningViewer } from '../../src/viewer/view-command.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { makeDemoRun, makeStampedVideo, readStamp, STAMP, type DemoRun } from './fixtures.js';
import { maxAbsDiff, objVertices } from './obj.js';
import { screenshot } from './screenshots.js';

let run: DemoRun;
let skipRun: DemoRun;
let chrome: TestBrowser;
let viewer: RunningViewer;
let page: Page;
const FPS = 30;

interface Frame { frame: number; status: string; check: string; source_frame: number | null; image: string | null }
const frames = () => run.report.frames as Frame[];
const pad = (k: number) => String(k).padStart(4, '0');

before(async () => {
  run = await makeDemoRun({ frames: 40, args: ['--export', 'obj'] });
  skipRun = await makeDemoRun({ frames: 40, policy: 'skip' });
  const video = join(run.work, 'source.webm');
  await makeStampedVideo(video, run.report.totals.frames, FPS);
  chrome = await launchBrowser();
  // The same output twice: with the source video, and the mesh MP4 alone.
  viewer = await startViewer({ dirs: [run.outDir, run.outDir, skipRun.outDir], videos: [video], port: 0, host: '127.0.0.1', open: false, token: null });
  page = await chrome.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${viewer.url}seq/0/`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]');
  assert.deepEqual(errors, []);
});
after(async () => {
  await chrome?.close();
  await viewer?.close();
  for (const r of [run, skipRun]) if (r) rmSync(r.work, { recursive: true, force: true });
});

/** RGBA pixels of a video or image element, drawn into a canvas at its own size. */
const pixelsOf = (p: Page, sel: string) => p.evaluate((s) => {
  const e = document.querySelector(s) as HTMLVideoElement | HTMLImageElement;
  const w = 'videoWidth' in e ? e.videoWidth : e.naturalWidth;
  const h = 'videoHeight' in e ? e.videoHeight : e.naturalHeight;
  const c = document.createElement('canvas');
  c.width = w; c.height = h;
  const g = c.getContext('2d')!;
  g.drawImage(e, 0, 0);
  return { w, h, data: Array.from(g.getImageData(0, 0, w, h).data) };
}, sel);

async function pngPixels(path: string): Promise<{ w: number; h: number; data: Buffer }> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { w: info.width, h: info.height, data };
}

/** Mean absolute RGB difference (0..255). */
function meanDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let s = 0, n = 0;
  for (let i = 0; i < a.length; i += 4) for (let c = 0; c < 3; c++, n++) s += Math.abs(a[i + c] - b[i + c]);
  return s / n;
}

/** Waits until the page shows frame k: label, the video's presented frame and (with a source) the mesh image. */
async function shown(p: Page, k: number, withSource: boolean): Promise<void> {
  await p.waitForFunction((frame, src) => {
    const label = document.getElementById('frame-number')?.textContent ?? '';
    const presented = document.getElementById('player')?.dataset.presented;
    const mesh = document.getElementById('mesh-view')?.dataset.shownFrame;
    return label.startsWith(`frame ${frame} `) && presented === String(frame) && (!src || mesh === String(frame));
  }, { timeout: 15_000 }, k, withSource);
}

async function seek(p: Page, k: number, withSource = true): Promise<void> {
  await p.click(`#timeline .cell[data-frame="${k}"]`);
  await shown(p, k, withSource);
}

test('seeking to frame k shows source frame k and the mesh of frame k', async () => {
  for (const k of [5, 12, frames().find((f) => f.status === 'fallback' && f.frame > 5)!.frame]) {
    await seek(page, k);
    const src = await pixelsOf(page, '#source-video');
    assert.equal(readStamp(src.data, src.w), k - 1, `source video shows its frame ${k - 1} (sequence frame ${k})`);
    const mesh = await pixelsOf(page, '#mesh-image');
    const png = await pngPixels(join(run.outDir, `mesh_${pad(k)}.png`));
    assert.equal(mesh.w, png.w);
    assert.ok(meanDiff(mesh.data, png.data) < 1, `mesh view at frame ${k} is mesh_${pad(k)}.png`);
  }
});

test('a fallback frame shows a badge naming the frame it shows', async () => {
  const fb = frames().find((f) => f.status === 'fallback' && f.check === 'no_person')!;
  await seek(page, fb.frame);
  assert.equal(await page.$eval('#badge', (b) => b.textContent), `no person detected: showing frame ${fb.source_frame}`);
  const ok = frames().find((f) => f.status === 'rendered')!;
  await seek(page, ok.frame);
  assert.equal(await page.$eval('#badge', (b) => (b as HTMLElement).hidden), true, 'no badge on a frame that is its own render');
});

test('← and → step exactly one frame while paused', async () => {
  await seek(page, 8);
  await page.keyboard.press('ArrowRight');
  await shown(page, 9, true);
  let src = await pixelsOf(page, '#source-video');
  assert.equal(readStamp(src.data, src.w), 8);
  await page.keyboard.press('ArrowLeft');
  await shown(page, 8, true);
  await page.keyboard.press('ArrowLeft');
  await shown(page, 7, true);
  src = await pixelsOf(page, '#source-video');
  assert.equal(readStamp(src.data, src.w), 6);
  assert.equal(await page.$eval('#timeline .cell.current', (c) => (c as HTMLElement).dataset.frame), '7', 'the timeline follows');
  assert.equal(await page.$eval('#frame-details dd[data-key="frame"]', (d) => d.textContent), '7', 'the details follow');
});

test('while playing, the page and the mesh view switch on the very frame the source presents', async (t) => {
  await seek(page, 2);
  const RATE = 0.25;
  const samples = await page.evaluate(async (stamp, rate, fps) => {
    type Meta = { mediaTime: number; expectedDisplayTime: number };
    const v = document.getElementById('source-video') as HTMLVideoElement & { requestVideoFrameCallback(cb: (now: number, m: Meta) => void): number };
    const img = document.getElementById('mesh-image') as HTMLImageElement;
    const c = document.createElement('canvas');
    c.width = v.videoWidth; c.height = v.videoHeight;
    const g = c.getContext('2d', { willReadFrequently: true })!;
    const out: Array<{ stamp: number; frame: number; img: string; late: boolean }> = [];
    const frameMs = 1000 / fps / rate;
    // Registered after the player's own callback, so it runs right after it, on the same presented frame.
    await new Promise<void>((done) => {
      const cb = (now: number, meta: Meta) => {
        // A callback that runs a frame late may see the next frame already drawn: such samples say nothing.
        const late = performance.now() > meta.expectedDisplayTime + frameMs / 2;
        g.drawImage(v, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let bit = 0; bit < stamp.bits; bit++) {
          const x = stamp.x0 + (bit % stamp.cols) * stamp.block + stamp.block / 2, y = stamp.y0 + Math.floor(bit / stamp.cols) * stamp.block + stamp.block / 2;
          if (d[(y * c.width + x) * 4] > 128) n |= 1 << bit;
        }
        out.push({ stamp: n, frame: window.batchRender!.state.frame, img: img.getAttribute('src') ?? '', late });
        if (out.length >= 10 || v.ended) { v.pause(); done(); } else v.requestVideoFrameCallback(cb);
      };
      v.requestVideoFrameCallback(cb);
      v.playbackRate = rate;
      void v.play();
    });
    return out;
  }, STAMP, RATE, FPS);
  const onTime = samples.filter((p) => !p.late);
  t.diagnostic(`${onTime.length} of ${samples.length} frames sampled on time`);
  assert.ok(onTime.length >= 5, `saw ${onTime.length} frames on time while playing (${samples.length} in all)`);
  for (const p of onTime) {
    assert.equal(p.frame, p.stamp + 1, `source frame ${p.stamp} presented while the page said frame ${p.frame}`);
    const f = frames().find((x) => x.frame === p.frame)!;
    assert.ok(p.img.endsWith(`/${f.image}`), `frame ${p.frame}: mesh view shows ${p.img}`);
  }
});

/** Positions the 3D view holds once it shows frame k. */
async function positions3d(p: Page, k: number): Promise<{ frame: number; meshFrame: number; positions: number[] }> {
  await p.waitForSelector(`#mesh3d[data-frame="${k}"]`, { timeout: 15_000 });
  return p.evaluate(() => {
    const c = window.batchRender!.mesh3d!.current()!;
    return { frame: c.frame, meshFrame: c.meshFrame, positions: Array.from(c.positions) };
  });
}

test("the 3D view's positions equal --export obj of the frame", async () => {
  const k = frames().filter((f) => f.status === 'rendered')[3].frame;
  await seek(page, k);
  const got = await positions3d(page, k);
  assert.equal(got.meshFrame, k);
  const obj = objVertices(join(run.outDir, `mesh_${pad(k)}.obj`));
  assert.equal(got.positions.length, obj.length);
  assert.ok(maxAbsDiff(got.positions, obj) <= 1e-5, `max difference ${maxAbsDiff(got.positions, obj)}`);
  // A fallback frame shows its source frame's mesh.
  const fb = frames().find((f) => f.status === 'fallback' && f.frame > k)!;
  await seek(page, fb.frame);
  const fbGot = await positions3d(page, fb.frame);
  assert.equal(fbGot.meshFrame, fb.source_frame);
  assert.ok(maxAbsDiff(fbGot.positions, objVertices(join(run.outDir, `mesh_${pad(fb.source_frame!)}.obj`))) <= 1e-5);
  // The view drew something: the canvas is not the plain background.
  const lit = await page.evaluate(() => {
    const c = document.getElementById('mesh3d-canvas') as HTMLCanvasElement;
    const g = document.createElement('canvas');
    g.width = c.width; g.height = c.height;
    const x = g.getContext('2d')!;
    x.drawImage(c, 0, 0);
    const d = x.getImageData(0, 0, g.width, g.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 245) > 20 || Math.abs(d[i + 2] - 245) > 20) n++;
    return n / (d.length / 4);
  });
  assert.ok(lit > 0.01, `the mesh covers ${(100 * lit).toFixed(2)} % of the 3D view`);
  await page.click('#frame-hands');
  await screenshot(page, run.work, 'viewer.png');
});

test('without a source video the mesh MP4 plays alone, frame-accurate', async () => {
  const p = await chrome.browser.newPage();
  await p.goto(`${viewer.url}seq/1/`, { waitUntil: 'load' });
  await p.waitForSelector('body[data-ready="1"]');
  assert.equal(await p.$('#source-video'), null);
  for (const k of [6, 20]) {
    await seek(p, k, false);
    const got = await pixelsOf(p, '#mesh-video');
    const want = await pngPixels(join(run.outDir, `mesh_${pad(k)}.png`));
    const d = meanDiff(got.data, want.data);
    assert.ok(d < 3, `render.mp4 at frame ${k} matches mesh_${pad(k)}.png (mean difference ${d.toFixed(2)})`);
    // …and is closer to it than to a frame further on (H.264 loss is far below the motion).
    const other = await pngPixels(join(run.outDir, `mesh_${pad(k + 12)}.png`));
    assert.ok(d < meanDiff(got.data, other.data), `frame ${k} is not frame ${k + 12}`);
  }
  await p.close();
});

test('with --policy skip, render.mp4 has no frames for skipped ones: each video frame still maps to its own frame', async () => {
  const p = await chrome.browser.newPage();
  await p.goto(`${viewer.url}seq/2/`, { waitUntil: 'load' });
  await p.waitForSelector('body[data-ready="1"]');
  const all = skipRun.report.frames as Frame[];
  // The first rendered frame after a run of skipped ones: off by the number skipped if the mapping were wrong.
  const after = all.filter((f, i) => f.status === 'rendered' && all.slice(0, i).filter((g) => g.status === 'skipped').length >= 3)[0];
  for (const k of [after.frame, all.filter((f) => f.status === 'rendered').at(-1)!.frame]) {
    await seek(p, k, false);
    const got = await pixelsOf(p, '#mesh-video');
    const d = meanDiff(got.data, (await pngPixels(join(skipRun.outDir, `mesh_${pad(k)}.png`))).data);
    assert.ok(d < 3, `frame ${k}: mean difference ${d.toFixed(2)}`);
  }
  // A skipped frame has no video frame: the page says so and the badge names why.
  const sk = all.find((f) => f.status === 'skipped')!;
  await p.click(`#timeline .cell[data-frame="${sk.frame}"]`);
  await p.waitForFunction((k) => document.getElementById('frame-number')!.textContent!.startsWith(`frame ${k} `), {}, sk.frame);
  assert.match(await p.$eval('#badge', (b) => b.textContent!), /^skipped: /);
  assert.equal(await p.$eval('#mesh-view', (m) => m.classList.contains('not-in-video')), true);
  await p.close();
});

test('the index lists each directory with its summary numbers', async () => {
  const p = await chrome.browser.newPage();
  await p.goto(viewer.url);
  const rows = await p.$$eval('#sequences tbody tr', (trs) => trs.map((t) => [...t.querySelectorAll('td')].map((td) => td.textContent)));
  assert.equal(rows.length, 3);
  const t = run.report.totals;
  assert.deepEqual(rows[0].slice(1, 3), [String(t.frames), String(t.rendered)]);
  assert.deepEqual(rows[0].slice(4, 8), [String(t.fallback), String(t.placeholder), String(t.skipped), String(t.failed)]);
  assert.equal(rows[0][10], 'source.webm');
  assert.equal(rows[1][10], '–');
  await p.close();
});
