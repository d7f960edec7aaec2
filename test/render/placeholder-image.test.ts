import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { placeholderSvg, renderPlaceholder } from '../../src/render/placeholder-image.js';
import { encodePng } from '../../src/output/png-writer.js';

test('placeholder is RGBA of the asked size, with text on a neutral background', async () => {
  const rgba = await renderPlaceholder({ width: 320, height: 180, frame: 42, reason: 'no_person' });
  assert.equal(rgba.length, 320 * 180 * 4);
  // Corner is the flat background, opaque.
  assert.deepEqual(Array.from(rgba.subarray(0, 4)), [0xd9, 0xd9, 0xd9, 255]);
  // Text drew dark pixels.
  let dark = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i] < 100) dark++;
  assert.ok(dark > 200, `only ${dark} dark pixels`);
});

test('placeholder PNG decodes to the same size; reason text is escaped', async () => {
  const png = await encodePng(await renderPlaceholder({ width: 640, height: 480, frame: 7, reason: 'corrupt: <bad> & "worse"' }), 640, 480, { level: 1 });
  const meta = await sharp(png).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', 640, 480]);
  const svg = placeholderSvg({ width: 10, height: 10, frame: 1, reason: '<x>&' });
  assert.match(svg, /&lt;x&gt;&amp;/);
  assert.match(svg, /No person detected/);
  await assert.rejects(renderPlaceholder({ width: 0, height: 10, frame: 1, reason: '' }), RangeError);
});
