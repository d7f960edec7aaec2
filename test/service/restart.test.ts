/**
 * Restart safety: 20 small jobs, the server killed with SIGKILL while some
 * run, started again on the same data folder: every job ends done, with the
 * same PNG bytes as the CLI on the same input, and no job process is left.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { runCli } from '../helpers/run-cli.js';
import { processesMentioning } from '../helpers/make-video.js';
import { api, json, samePngs, startServer, submitDir, waitJob, type Server } from './harness.js';

const T = mkdtempSync(join(tmpdir(), 'br-svc-restart-'));
let server: Server | null = null;
after(async () => { await server?.stop(); rmSync(T, { recursive: true, force: true }); });

test('kill -9 mid-run, start again: all 20 jobs end done and equal the CLI\'s output', async () => {
  const allowed = join(T, 'in');
  const seqs = [0, 1, 2, 3].map((k) => join(allowed, `seq${k}`));
  const reference = seqs.map((_, k) => join(T, `cli${k}`));
  for (const [k, dir] of seqs.entries()) {
    await writeDemoSequence(dir, { frames: 6, seed: 20 + k, failures: false });
    const r = await runCli(['--npz_dir', dir, '--output_dir', reference[k], '--img_size', '64']);
    assert.equal(r.code, 0, r.stderr);
  }
  const data = join(T, 'data');
  const args = ['--data', data, '--allow_dir', allowed, '--workers', '2'];
  server = await startServer(args);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await submitDir(server, seqs[i % 4], { img_size: 64 });
    assert.equal(r.status, 202);
    ids.push((await json(r)).id);
  }
  // Kill once some are done and some are running.
  const t0 = Date.now();
  let states: string[] = [];
  for (;;) {
    states = (await json(await api(server, '/jobs?limit=20'))).jobs.map((j: any) => j.state);
    assert.ok(states.filter((x) => x === 'running').length <= 2, `at most --workers 2 jobs run at once: ${states}`);
    if (states.includes('done') && states.includes('running') && states.includes('queued')) break;
    assert.ok(Date.now() - t0 < 60_000, `never saw done+running+queued: ${states}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await server.kill9();
  server = await startServer(args);
  const jobs = [];
  for (const id of ids) jobs.push(await waitJob(server, id, 90_000));
  assert.deepEqual(jobs.map((j) => j.state), ids.map(() => 'done'), 'every submitted job ends done');
  assert.ok(jobs.some((j) => j.attempts >= 2), 'a job that was running at the kill was run again');
  for (const [i, id] of ids.entries()) {
    const out = join(data, 'jobs', id, 'out');
    const same = samePngs(out, reference[i % 4]);
    assert.ok(same.equal, `job ${i}: ${same.detail}`);
    assert.deepEqual(readdirSync(out).filter((f) => f.includes('.tmp')), [], `job ${i}: no temporary files`);
  }
  for (const id of ids) assert.deepEqual(await processesMentioning(id), [], `no process of job ${id} is left`);
});
