/** `serve` / `worker` option parsing (pure), and the fields → CLI flags mapping of job options. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { parseServeArgs, parseWorkerArgs } from '../../src/service/serve-options.js';
import { fieldsToArgs } from '../../src/service/submit/render-fields.js';
import { BatchRenderError } from '../../src/errors.js';

const usage = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof BatchRenderError && e.code === 'USAGE' && re.test(e.message));

test('serve: documented defaults', () => {
  const o = parseServeArgs([]);
  assert.ok(!('help' in o));
  assert.deepEqual({ ...o }, {
    host: '127.0.0.1', port: 8080, dataDir: resolve('batch-render-data'), workers: 1, token: process.env.BATCH_RENDER_TOKEN ?? null,
    allowDirs: [], queue: null, poseModel: null, detectorModel: null, modelPath: null, maxQueue: 1000, maxUploadMb: 2048,
  });
});

test('serve: snake and kebab flags, repeatable --allow_dir', () => {
  const o = parseServeArgs(['--allow_dir', '/a', '--allow-dir=/b', '--max_upload_mb', '5', '--port', '0', '--queue', 'redis://127.0.0.1:6379']);
  assert.ok(!('help' in o));
  assert.deepEqual(o.allowDirs, ['/a', '/b']);
  assert.equal(o.maxUploadMb, 5);
  assert.equal(o.port, 0);
  assert.equal(o.queue, 'redis://127.0.0.1:6379');
});

test('serve: another host needs a token; bad values are one-line usage errors', () => {
  usage(() => parseServeArgs(['--host', '0.0.0.0']), /--host 0\.0\.0\.0 .*--token/);
  const o = parseServeArgs(['--host', '0.0.0.0', '--token', 's3cret']);
  assert.ok(!('help' in o) && o.token === 's3cret');
  usage(() => parseServeArgs(['--port', '70000']), /^Expected an integer between 0 and 65535 for --port but received "70000"$/);
  usage(() => parseServeArgs(['--workers', '0']), /--workers/);
  usage(() => parseServeArgs(['--queue', 'http://x']), /redis:\/\/host:port/);
  usage(() => parseServeArgs(['--detector_model', 'd.onnx']), /needs --pose_model/);
  usage(() => parseServeArgs(['--frob']), /unknown option '--frob'/);
});

test('worker: --queue and --data are required', () => {
  usage(() => parseWorkerArgs(['--data', '/d']), /--queue/);
  usage(() => parseWorkerArgs(['--queue', 'redis://h:1']), /--data/);
  const o = parseWorkerArgs(['--queue', 'redis://h:1', '--data', '/d', '--lock_duration_ms', '2000']);
  assert.ok(!('help' in o));
  assert.deepEqual({ ...o }, { queue: 'redis://h:1', dataDir: '/d', workers: 1, lockDurationMs: 2000, stalledIntervalMs: 30_000 });
});

test('job fields become CLI flags; service-owned ones are refused', () => {
  assert.deepEqual(fieldsToArgs({ img_size: '64', 'use-fallback': 'true', png: 'false', mp4: 'true', dry_run: '0', num_workers: '2', crf: '-1' }),
    ['--img_size', '64', '--use_fallback', '--no-png', '--concurrency', '2', '--crf', '-1']);
  usage(() => fieldsToArgs({ output_dir: '/x' }), /--output_dir is set by the service/);
  usage(() => fieldsToArgs({ model_path: '/x' }), /set by the service/);
  usage(() => fieldsToArgs({ dry_run: 'maybe' }), /^Expected true or false for --dry_run but received "maybe"$/);
  usage(() => fieldsToArgs({ '--json': '1' }), /unknown option/);
});
