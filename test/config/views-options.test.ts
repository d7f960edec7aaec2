/** --views in the shared options schema, and through the service's form/JSON fields (same parser, same messages). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunOptions } from '../../src/config/parse-run-options.js';
import { fieldsToArgs, jsonFields, validateRenderArgs } from '../../src/service/submit/render-fields.js';
import { BatchRenderError } from '../../src/errors.js';

const usage = (re: RegExp) => (err: unknown) => err instanceof BatchRenderError && err.exitCode === 2 && re.test(err.message) && !err.message.includes('\n');
const parse = (...argv: string[]) => {
  const r = parseRunOptions(['--npz_dir', 'd', ...argv]);
  assert.equal(r.kind, 'run');
  return r.kind === 'run' ? r : (null as never);
};

test('--views: default front; the order given is kept; snake/kebab alike; provenance says where it came from', () => {
  assert.deepEqual(parse().options.views, ['front']);
  assert.deepEqual(parse().provenance.views, { value: ['front'], source: 'default' });
  const r = parse('--views', 'top,front,side');
  assert.deepEqual(r.options.views, ['top', 'front', 'side']);
  assert.deepEqual(r.provenance.views, { value: ['top', 'front', 'side'], source: 'cli' });
  assert.deepEqual(parse('--views=side').options.views, ['side']);
});

test('--views: unknown, empty or repeated names are a one-line usage error naming --views', () => {
  assert.throws(() => parse('--views', 'back'), usage(/^Expected a comma-separated list of front, side, top \(each at most once\) for --views but received "back": unknown view "back"$/));
  assert.throws(() => parse('--views', 'front,front'), usage(/--views .*"front,front": view "front" given twice/));
  assert.throws(() => parse('--views', 'front,,side'), usage(/--views .*an empty view name/));
  assert.throws(() => parse('--views', ''), usage(/--views/));
});

test('--views with --layout overlay: refused; side-by-side, --shard and the default front are fine', () => {
  assert.throws(() => parse('--views', 'front,side', '--layout', 'overlay', '--background', 'v.mp4'), usage(/--views front,side does not work with --layout overlay/));
  assert.deepEqual(parse('--views', 'front,side', '--shard', '0/2').options.views, ['front', 'side']);
  assert.deepEqual(parse('--views', 'front', '--layout', 'overlay', '--background', 'v.mp4').options.views, ['front']);
  assert.deepEqual(parse('--views', 'side,front', '--layout', 'side-by-side', '--background', 'v.mp4').options.views, ['side', 'front']);
  assert.deepEqual(parse('--shard', '0/2').options.views, ['front']);
});

test('the service passes a views field through to the CLI flag, and rejects a bad one with the CLI\'s message', () => {
  const input = ['--npz_dir', 'd'];
  const args = fieldsToArgs(jsonFields({ views: 'front,side' }, []));
  assert.deepEqual(args, ['--views', 'front,side']);
  validateRenderArgs(input, args);
  assert.throws(() => validateRenderArgs(input, fieldsToArgs({ views: 'front,back' })), usage(/for --views but received "front,back": unknown view "back"/));
  assert.throws(() => validateRenderArgs(input, fieldsToArgs({ views: 'side', layout: 'overlay' })), usage(/--views side does not work with --layout overlay/));
});
