import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchRenderError } from '../../src/errors.js';
import { decodeVideo } from '../../src/video/decode-video.js';
import { probeVideo } from '../../src/video/probe-video.js';
import { makeVideo, processesMentioning, type Rgb } from '../helpers/make-video.js';

const dir = mkdtempSync(join(tmpdir(), 'decode-video-'));
const W = 64, H = 48;
const colours: Rgb[] = Array.from({ length: 15 }, (_, i) => [i * 17, 255 - i * 17, (i * 50) % 256]);
const lossless = join(dir, 'lossless.mp4');
const lossy = join(dir, 'lossy.mp4');
// big enough (30 × 230 kB) that ffmpeg cannot finish into the pipe buffers: it must wait for us
const big = join(dir, 'big.mp4');

after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  await makeVideo(lossless, { width: W, height: H, fps: 12, frames: colours });
  await makeVideo(lossy, { width: W, height: H, fps: 25, frames: colours, codec: 'yuv420p' });
  await makeVideo(big, { width: 320, height: 240, fps: 25, frames: [...colours, ...colours], codec: 'yuv420p' });
});

test('probeVideo reads size, fps and frame count', async () => {
  const info = await probeVideo(lossless);
  assert.deepEqual([info.width, info.height, info.fps, info.frameCount, info.frameCountExact, info.rotation], [W, H, 12, 15, true, 0]);
  assert.equal((await probeVideo(lossy)).fps, 25);
});

test('probeVideo: an unreadable file is a one-line config error naming it', async () => {
  const bad = join(dir, 'not-a-video.mp4');
  writeFileSync(bad, 'hello');
  for (const p of [bad, join(dir, 'missing.mp4')]) {
    await assert.rejects(probeVideo(p), (err: unknown) => {
      assert.ok(err instanceof BatchRenderError && err.code === 'CONFIG');
      assert.ok(err.message.startsWith(`cannot read video ${p}: `), err.message);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  }
});

test('decodeVideo yields every frame as exact RGB24 (lossless) and close colours (yuv420p)', async () => {
  let i = 0;
  for await (const f of decodeVideo(lossless, { width: W, height: H })) {
    assert.equal(f.length, W * H * 3);
    assert.deepEqual([f[0], f[1], f[2]], colours[i]);
    assert.deepEqual([f[f.length - 3], f[f.length - 2], f[f.length - 1]], colours[i]);
    i++;
  }
  assert.equal(i, 15);
  i = 0;
  for await (const f of decodeVideo(lossy, { width: W, height: H })) {
    const mid = (H / 2 * W + W / 2) * 3;
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(f[mid + c] - colours[i][c]) <= 6, `frame ${i} channel ${c}: ${f[mid + c]} vs ${colours[i][c]}`);
    i++;
  }
  assert.equal(i, 15);
});

test('decodeVideo scales when asked', async () => {
  const frames: Buffer[] = [];
  for await (const f of decodeVideo(lossless, { width: W, height: H, scale: { width: 32, height: 20 } })) frames.push(f);
  assert.equal(frames.length, 15);
  assert.ok(frames.every((f) => f.length === 32 * 20 * 3));
  assert.deepEqual([...frames[3].subarray(0, 3)], colours[3]);
});

test('stopping early kills ffmpeg: no process is left behind', async () => {
  let n = 0;
  for await (const _ of decodeVideo(big, { width: 320, height: 240 })) {
    if (++n === 2) {
      assert.equal((await processesMentioning(big)).length, 1, 'ffmpeg runs while decoding');
      break;
    }
  }
  assert.deepEqual(await processesMentioning(big), []);
  // a consumer that throws
  await assert.rejects(
    (async () => {
      for await (const _ of decodeVideo(big, { width: 320, height: 240 })) throw new Error('consumer failed');
    })(),
    /consumer failed/,
  );
  assert.deepEqual(await processesMentioning(big), []);
});

test('an abort signal stops decoding with INTERRUPTED', async () => {
  const ac = new AbortController();
  let n = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of decodeVideo(big, { width: 320, height: 240, signal: ac.signal })) {
        if (++n === 3) ac.abort();
      }
    })(),
    (err: unknown) => err instanceof BatchRenderError && err.code === 'INTERRUPTED',
  );
  assert.ok(n <= 4, `kept going for ${n} frames`);
  assert.deepEqual(await processesMentioning(big), []);
});

test('decodeVideo: a broken file is a one-line config error', async () => {
  const bad = join(dir, 'broken.mp4');
  writeFileSync(bad, Buffer.alloc(1000, 7));
  await assert.rejects(
    (async () => {
      for await (const _ of decodeVideo(bad, { width: W, height: H })) void 0;
    })(),
    (err: unknown) => err instanceof BatchRenderError && err.code === 'CONFIG' && err.message.startsWith(`cannot decode video ${bad}: `) && !err.message.includes('\n'),
  );
});
