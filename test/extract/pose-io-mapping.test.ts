import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchRenderError } from '../../src/errors.js';
import { loadPoseIo, parsePoseIo } from '../../src/extract/pose-io-mapping.js';

const oneLineConfigError = (re: RegExp) => (err: unknown) => {
  assert.ok(err instanceof BatchRenderError, String(err));
  assert.equal(err.code, 'CONFIG');
  assert.ok(!err.message.includes('\n'), 'one line');
  assert.match(err.message, re);
  return true;
};

test('mapping errors are precise one-liners naming the file and the key', () => {
  const cases: Array<[unknown, RegExp]> = [
    [[], /m\.json: \(top level\) must be an object, got \[\]/],
    [{ outptus: {} }, /unknown key "outptus" \(known: input, /],
    [{ outputs: { smplx_root: 'x' } }, /unknown key "outputs\.smplx_root"/],
    [{ outputs: { cam_trans: 3 } }, /outputs\.cam_trans must be a non-empty string, got 3/],
    [{ normalize: { mean: [1, 2] } }, /normalize\.mean must be an array of 3 finite numbers, got \[1,2\]/],
    [{ normalize: { std: [1, 0, 1] } }, /normalize\.std must be an array of 3 positive numbers/],
    [{ normalize: { channel_order: 'rbg' } }, /normalize\.channel_order must be "rgb" or "bgr", got "rbg"/],
    [{ normalize: 'imagenette' }, /normalize must be an object, got "imagenette"/],
    [{ input_size: [256.5, 192] }, /input_size must be an array of 2 positive integers/],
    [{ camera: { focal: 5000 } }, /camera\.focal must be an array of 2 positive numbers, got 5000/],
    [{ bbox_scale: 0 }, /bbox_scale must be a number between 0\.1 and 10, got 0/],
    [{ detector: { format: 'yolov11' } }, /detector\.format must be "auto", "boxes_scores", "yolov5", "yolov8" or "yolo_end2end"/],
    [{ detector: { iou_threshold: 2 } }, /detector\.iou_threshold must be a number between 0 and 1, got 2/],
    [{ detector: { person_class: -1 } }, /detector\.person_class must be an integer/],
  ];
  for (const [doc, re] of cases) assert.throws(() => parsePoseIo(doc, 'm.json'), oneLineConfigError(re), JSON.stringify(doc));
});

test('loadPoseIo reports unreadable files and bad JSON in one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pose-io-'));
  assert.throws(() => loadPoseIo(join(dir, 'none.json')), oneLineConfigError(/--pose_io .*none\.json: cannot read it \(ENOENT\)/));
  writeFileSync(join(dir, 'bad.json'), '{"input": ');
  assert.throws(() => loadPoseIo(join(dir, 'bad.json')), oneLineConfigError(/bad\.json: not valid JSON/));
  writeFileSync(join(dir, 'ok.json'), '{"outputs": {"score": "conf"}}');
  assert.equal(loadPoseIo(join(dir, 'ok.json')).outputs.score, 'conf');
  rmSync(dir, { recursive: true, force: true });
});

