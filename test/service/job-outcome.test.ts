/** How a job's process end maps to a job state, and the CLI's --json lines as job events. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobOutcome, type ProcessEnd } from '../../src/service/run/job-outcome.js';
import { parseCliLine } from '../../src/service/run/parse-cli-line.js';

const end = (p: Partial<ProcessEnd>): ProcessEnd => ({ exitCode: 0, signal: null, summary: null, error: null, stderrTail: '', ...p });

test('exit status, cancel and shutdown → state', () => {
  assert.equal(jobOutcome(end({}), null).state, 'done');
  assert.equal(jobOutcome(end({ exitCode: 130 }), 'shutdown').state, 'requeue');
  assert.equal(jobOutcome(end({ exitCode: 130 }), 'cancel').state, 'cancelled');
  const gate = jobOutcome(end({ exitCode: 3, stderrTail: 'x\nbatch-render: 40% of frames have no usable person\n' }), null);
  assert.deepEqual(gate, { state: 'failed', summary: null, exitCode: 3, error: { code: 'QUALITY_GATE', message: '40% of frames have no usable person' } });
  const oom = jobOutcome(end({ exitCode: null, signal: 'SIGKILL' }), null);
  assert.equal(oom.state, 'failed');
  assert.match((oom as any).error.message, /killed by SIGKILL/);
  const told = jobOutcome(end({ exitCode: 2, error: { code: 'CONFIG', message: '--npz_dir x: no such directory' } }), null);
  assert.deepEqual((told as any).error, { code: 'CONFIG', message: '--npz_dir x: no such directory' });
});

test('CLI --json lines', () => {
  assert.deepEqual(parseCliLine('{"event":"progress","phase":"render","done":3,"total":6,"fallback":0,"failed":0,"fps":12.5,"eta_s":0.2}'),
    { kind: 'progress', progress: { phase: 'render', done: 3, total: 6, frames_per_s: 12.5, eta_s: 0.2 } });
  const s = parseCliLine('{"event":"summary","totals":{"frames":6},"reasons":{},"missing_rate":0,"video":null,"timing":{"wall_s":1},"exit_code":0,"report":"/x"}');
  assert.deepEqual(s, { kind: 'summary', summary: { totals: { frames: 6 }, reasons: {}, missing_rate: 0, video: null, timing: { wall_s: 1 }, exit_code: 0 } });
  assert.deepEqual(parseCliLine('{"event":"error","code":"CONFIG","message":"m"}'), { kind: 'error', code: 'CONFIG', message: 'm' });
  assert.equal(parseCliLine('{"event":"log","message":"hi"}'), null);
  assert.equal(parseCliLine('not json'), null);
  assert.equal(parseCliLine('{broken'), null);
});
