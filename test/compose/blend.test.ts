import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blendOver, fillColor, rgbToRgba } from '../../src/compose/blend.js';
import { placeSideBySide } from '../../src/compose/side-by-side.js';
import { even, overlaySize, sideBySideSize } from '../../src/compose/output-size.js';

const px = (b: Uint8Array, i: number, ch = 4) => Array.from(b.subarray(i * ch, i * ch + ch));

test('blendOver: transparent keeps the frame, opaque mixes by opacity, partial coverage is premultiplied', () => {
  const bg = Uint8Array.from([10, 20, 30, 200, 100, 0, 50, 50, 50, 0, 0, 0]);
  const mesh = Uint8Array.from([
    255, 255, 255, 0, // nothing drawn
    0, 0, 255, 255, // fully covered, blue
    100, 100, 100, 128, // half covered: colour already × coverage (MSAA resolve over transparent black)
    255, 0, 0, 255,
  ]);
  const out = new Uint8Array(16);
  blendOver(mesh, bg, out, 0.8);
  assert.deepEqual(px(out, 0), [10, 20, 30, 255]);
  // 0.2·bg + 0.8·mesh
  assert.deepEqual(px(out, 1), [40, 20, 204, 255]);
  // bg·(1 − 0.8·128/255) + 0.8·100 ≈ 50·0.598 + 80
  assert.deepEqual(px(out, 2).map((v) => Math.abs(v - (50 * (1 - 0.8 * 128 / 255) + 80)) <= 1), [true, true, true, false]);
  assert.equal(out[11], 255);
  blendOver(mesh, bg, out, 1);
  assert.deepEqual(px(out, 1), [0, 0, 255, 255], 'opacity 1 shows the mesh exactly');
  blendOver(mesh, bg, out, 0);
  assert.deepEqual(px(out, 3), [0, 0, 0, 255], 'opacity 0 shows the frame');
  assert.throws(() => blendOver(mesh.subarray(4), bg, out, 0.8), /RGBA mesh/);
});

test('blendOver may write into the mesh buffer itself', () => {
  const bg = Uint8Array.from([100, 100, 100]);
  const mesh = Uint8Array.from([200, 0, 0, 255]);
  blendOver(mesh, bg, mesh, 0.5);
  assert.deepEqual([...mesh], [150, 50, 50, 255]);
});

test('rgbToRgba and fillColor', () => {
  const out = new Uint8Array(8);
  rgbToRgba(Uint8Array.from([1, 2, 3, 4, 5, 6]), out);
  assert.deepEqual([...out], [1, 2, 3, 255, 4, 5, 6, 255]);
  assert.throws(() => rgbToRgba(Uint8Array.from([1, 2, 3]), out), /RGBA buffer/);
  const rgb = new Uint8Array(6);
  fillColor(rgb, 3, [7, 8, 9]);
  assert.deepEqual([...rgb], [7, 8, 9, 7, 8, 9]);
});

test('placeSideBySide: left RGB rows then right RGBA rows, row by row', () => {
  const left = Uint8Array.from([1, 1, 1, 2, 2, 2, /* row 2 */ 3, 3, 3, 4, 4, 4]); // 2×2
  const right = Uint8Array.from([9, 0, 0, 255, /* row 2 */ 8, 0, 0, 255]); // 1×2
  const out = new Uint8Array(3 * 2 * 4);
  placeSideBySide(left, 2, right, 1, 2, out);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => px(out, i)[0]), [1, 2, 9, 3, 4, 8]);
  assert.ok([0, 1, 2, 3, 4, 5].every((i) => px(out, i)[3] === 255));
  placeSideBySide(null, 2, right, 1, 2, out, [128, 128, 128]);
  assert.deepEqual(px(out, 0), [128, 128, 128, 255]);
  assert.throws(() => placeSideBySide(left, 3, right, 1, 2, out), /left panel/);
});

test('output sizes: overlay keeps the source or scales to an even height and aspect; side-by-side adds the square view', () => {
  assert.deepEqual(overlaySize({ width: 1280, height: 720 }, null), { width: 1280, height: 720 });
  assert.deepEqual(overlaySize({ width: 1280, height: 720 }, 360), { width: 640, height: 360 });
  assert.deepEqual(overlaySize({ width: 1920, height: 1080 }, 257), { width: 458, height: 258 });
  assert.deepEqual(overlaySize({ width: 720, height: 1280 }, 500), { width: 282, height: 500 });
  const s = sideBySideSize({ width: 1280, height: 720 }, 720);
  assert.deepEqual(s, { left: { width: 1280, height: 720 }, mesh: { width: 720, height: 720 }, out: { width: 2000, height: 720 } });
  assert.equal(sideBySideSize({ width: 641, height: 480 }, 240).left.width, 320);
  assert.equal(even(1), 2);
});
