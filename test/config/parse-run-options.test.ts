import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunOptions, parseConcurrency, normaliseFlags } from '../../src/config/parse-run-options.js';
import { BatchRenderError } from '../../src/errors.js';

const run = (...argv: string[]) => {
  const r = parseRunOptions(argv);
  assert.equal(r.kind, 'run');
  return r.kind === 'run' ? r : (null as never);
};
const usage = (re: RegExp) => (err: unknown) => err instanceof BatchRenderError && err.exitCode === 2 && re.test(err.message);

test('defaults: skip policy, ./render_out, 720 px, 30 fps, person 0', () => {
  const { options, provenance } = run('--npz_dir', 'd');
  assert.equal(options.policy, 'skip');
  assert.equal(options.outputDir, './render_out');
  assert.equal(options.imgSize, 720);
  assert.equal(options.fps, 30);
  assert.equal(options.person, 0);
  assert.equal(options.png && options.mp4, true);
  assert.deepEqual(provenance.policy, { value: 'skip', source: 'default' });
  assert.deepEqual(provenance.npz_dir, { value: 'd', source: 'cli' });
});

test('snake_case and kebab-case flags are the same flags', () => {
  const a = run('--npz_dir', 'd', '--img_size', '512', '--output_dir=o', '--fail-on-missing-rate', '10%');
  const b = run('--npz-dir', 'd', '--img-size', '512', '--output-dir=o', '--fail_on_missing_rate', '0.1');
  assert.deepEqual(a.options, b.options);
  assert.equal(a.options.failOnMissingRate, 0.1);
  assert.deepEqual(normaliseFlags(['--npz_dir=a_b', 'x_y', '--', '--keep_me']), ['--npz-dir=a_b', 'x_y', '--', '--keep_me']);
});

test('--use_fallback means --policy fallback', () => {
  assert.equal(run('--npz_dir', 'd', '--use_fallback').options.policy, 'fallback');
  assert.throws(() => parseRunOptions(['--npz_dir', 'd', '--use_fallback', '--policy', 'skip']), usage(/conflicts/));
});

test('bad values give one precise line', () => {
  assert.throws(() => parseRunOptions(['--npz_dir', 'd', '--img_size', 'big']), usage(/Expected an integer between 16 and 4096 for --img_size but received "big"/));
  assert.throws(() => parseRunOptions(['--npz_dir', 'd', '--policy', 'pray']), usage(/pray.*invalid|invalid.*pray/i));
  assert.throws(() => parseRunOptions(['--npz_dir', 'd', '--fail-on-missing-rate', '2']), usage(/share between 0 and 1/));
  assert.throws(() => parseRunOptions(['--npz_dir', 'd', '--bogus']), usage(/unknown option/));
  assert.throws(() => parseRunOptions([]), usage(/--npz_dir DIR or --video FILE is required/));
  assert.throws(() => parseRunOptions(['--npz_dir', 'd', '--person', 'two']), usage(/person index/));
});

test('concurrency accepts N and a share of the cores', () => {
  assert.equal(parseConcurrency('3'), 3);
  assert.equal(parseConcurrency('50%', 8), 4);
  assert.equal(parseConcurrency('10%', 2), 1);
  assert.throws(() => parseConcurrency('0'), usage(/concurrency/));
});

test('--help and --version exit 0 with output', () => {
  const h = parseRunOptions(['--help']);
  assert.equal(h.kind, 'exit');
  assert.match(h.kind === 'exit' ? h.output : '', /--npz-dir/);
  const v = parseRunOptions(['--version']);
  assert.equal(v.kind === 'exit' && v.code, 0);
});
