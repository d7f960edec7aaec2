/**
 * --layout side-by-side through the real CLI: output frame k holds source
 * video frame k on the left (frame numbers stamped into the video as
 * blocks), the mesh view on the right; a video shorter than the sequence
 * leaves a neutral panel and a warning, never an error.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeVideo } from '../helpers/make-video.js';
import { runCli, readReport, countVideoFrames } from '../helpers/run-cli.js';
import { readRgb, writeFrame, type TestPerson } from '../compose/layout-fixtures.js';

const W = 160, H = 120, BITS = 5, BLOCK = W / BITS;
const VIDEO_FRAMES = 10, SEQ_FRAMES = 12;
const dir = mkdtempSync(join(tmpdir(), 'br-sbs-'));
const seq = join(dir, 'seq');
const video = join(dir, 'stamped.mp4');
const name = (k: number) => `mesh_${String(k).padStart(4, '0')}.png`;

/** Frame k: its number in binary as white/black blocks across the top half, grey below. */
function stamped(k: number): Uint8Array {
  const f = new Uint8Array(W * H * 3).fill(90);
  for (let y = 0; y < H / 2; y++) {
    for (let x = 0; x < W; x++) {
      const bit = (k >> (BITS - 1 - Math.floor(x / BLOCK))) & 1;
      f.fill(bit ? 255 : 0, (y * W + x) * 3, (y * W + x) * 3 + 3);
    }
  }
  return f;
}

/** The number stamped in a left panel of width w, height h (RGB rows of stride `stride` pixels). */
function readStamp(rgb: Uint8Array, stride: number, w: number, h: number): number {
  let k = 0;
  for (let b = 0; b < BITS; b++) {
    const x = Math.floor(((b + 0.5) * w) / BITS), y = Math.floor(h / 4);
    k = (k << 1) | (rgb[(y * stride + x) * 3] > 128 ? 1 : 0);
  }
  return k;
}

before(async () => {
  mkdirSync(seq);
  for (let k = 1; k <= SEQ_FRAMES; k++) {
    const p: TestPerson = { pose: k * 3, camTrans: [0, 0.1, 4], focal: [200, 200], princpt: [80, 60] };
    writeFrame(join(seq, `frame_${String(k).padStart(4, '0')}_params.npz`), [H, W], k === 5 ? [] : [p]);
  }
  await makeVideo(video, { width: W, height: H, fps: 12, frames: Array.from({ length: VIDEO_FRAMES }, (_, i) => stamped(i + 1)) });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('side-by-side: left half of output frame k is source frame k; the mesh view on the right; short video → neutral panel + warning', async () => {
  const out = join(dir, 'out');
  const r = await runCli(['--npz_dir', seq, '--background', video, '--layout', 'side-by-side', '--img_size', '96', '--policy', 'placeholder', '--output_dir', out]);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(out);
  const leftW = 128; // 160×120 scaled to height 96
  assert.deepEqual([report.layout.width, report.layout.height, report.layout.mesh_view], [leftW + 96, 96, [96, 96]]);
  assert.equal(countVideoFrames(join(out, 'render.mp4')), SEQ_FRAMES);
  assert.ok(report.warnings.some((w: string) => /ended after 10 frames: 2 frames \(11–12\) show a neutral background/.test(w)), report.warnings.join('\n'));
  assert.equal(report.layout.frames_on_neutral_background, 2);

  for (let k = 1; k <= SEQ_FRAMES; k++) {
    const img = await readRgb(join(out, name(k)));
    assert.deepEqual([img.width, img.height], [leftW + 96, 96]);
    if (k <= VIDEO_FRAMES) {
      assert.equal(readStamp(img.data, img.width, leftW, 96), k, `output frame ${k} shows source frame ${readStamp(img.data, img.width, leftW, 96)}`);
    } else {
      const px = img.data.subarray((40 * img.width + 60) * 3, (40 * img.width + 60) * 3 + 3);
      assert.deepEqual([...px], [128, 128, 128], `frame ${k}: neutral panel past the end of the video`);
      assert.match(report.frames[k - 1].layout_note, /past the end of the video/);
    }
    // Right panel: the mesh view's light background in a corner, the body in the middle (not for the placeholder frame).
    const at = (x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
    if (k !== 5) {
      assert.deepEqual(at(leftW + 2, 2), [245, 245, 245], `frame ${k}: mesh view background`);
      assert.notDeepEqual(at(leftW + 48, 40), [245, 245, 245], `frame ${k}: mesh in the middle of the view`);
    }
  }
  const f5 = report.frames[4];
  assert.deepEqual([f5.check, f5.status, f5.image], ['no_person', 'placeholder', name(5)]);
  assert.match(f5.layout_note, /plain source frame/);
});
