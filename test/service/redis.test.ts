/**
 * --queue redis://: a real redis-server on a random local port (no
 * persistence), one API server and two `batch-render worker` processes on the
 * same data folder. One worker is killed with SIGKILL mid-job: its job is
 * retried by the other, and every job completes exactly once, with the CLI's PNGs.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { runCli } from '../helpers/run-cli.js';
import { api, json, samePngs, startServer, startWorker, submitDir, waitJob } from './harness.js';

const T = mkdtempSync(join(tmpdir(), 'br-svc-redis-'));
const cleanup: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
  rmSync(T, { recursive: true, force: true });
});

const freePort = () => new Promise<number>((res, rej) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => res(p)); });
  srv.on('error', rej);
});

async function startRedis(): Promise<{ url: string; proc: ChildProcess }> {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  assert.equal(which.status, 0, 'redis-server is not installed: install Debian\'s redis-server (apt-get install redis-server) to run this test');
  const port = await freePort();
  const proc = spawn(which.stdout.trim(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', T], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`redis-server not ready: ${out}`)), 10_000);
    proc.stdout!.on('data', (d) => { out += d; if (/Ready to accept connections/.test(out)) { clearTimeout(timer); res(); } });
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`redis-server exited ${code}: ${out}`)); });
  });
  return { url: `redis://127.0.0.1:${port}`, proc };
}

const events = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

test('two workers, one killed mid-job: every job completes once, as the CLI renders it', async () => {
  const redis = await startRedis();
  cleanup.push(() => { redis.proc.kill('SIGKILL'); });
  const allowed = join(T, 'in');
  const seqs = [0, 1].map((k) => join(allowed, `seq${k}`));
  const reference = seqs.map((_, k) => join(T, `cli${k}`));
  for (const [k, dir] of seqs.entries()) {
    await writeDemoSequence(dir, { frames: 6, seed: 40 + k, failures: false });
    const r = await runCli(['--npz_dir', dir, '--output_dir', reference[k], '--img_size', '64']);
    assert.equal(r.code, 0, r.stderr);
  }
  const data = join(T, 'data');
  const server = await startServer(['--data', data, '--allow_dir', allowed, '--queue', redis.url]);
  cleanup.push(() => server.stop());
  const workerArgs = ['--queue', redis.url, '--data', data, '--lock_duration_ms', '2000', '--stalled_interval_ms', '1000'];
  const a = await startWorker(workerArgs);
  const b = await startWorker(workerArgs);
  cleanup.push(() => b.stop(), () => a.stop());

  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await submitDir(server, seqs[i % 2], { img_size: 64 });
    const body = await json(r);
    assert.equal(r.status, 202, JSON.stringify(body));
    ids.push(body.id);
  }
  // Kill worker a while it renders a job.
  const t0 = Date.now();
  let victim: string | undefined;
  while (!victim) {
    victim = events(a.out()).find((e) => e.event === 'started')?.id;
    assert.ok(Date.now() - t0 < 30_000, 'worker a never started a job');
    await new Promise((r) => setTimeout(r, 20));
  }
  const aEvents = () => events(a.out());
  await a.kill9();
  assert.ok(!aEvents().some((e) => e.event === 'completed' && e.id === victim), 'killed before it finished');

  const jobs = [];
  for (const id of ids) jobs.push(await waitJob(server, id, 90_000));
  assert.deepEqual(jobs.map((j) => j.state), ids.map(() => 'done'), JSON.stringify(jobs.map((j) => j.error)));
  const completions = [...aEvents(), ...events(b.out())].filter((e) => e.event === 'completed');
  for (const id of ids) assert.equal(completions.filter((e) => e.id === id).length, 1, `job ${id} completed exactly once`);
  assert.ok(events(b.out()).some((e) => e.event === 'started' && e.id === victim), 'the killed worker\'s job was retried by the other');
  assert.ok(jobs[ids.indexOf(victim)].attempts >= 2, 'the retried job shows two attempts');
  for (const [i, id] of ids.entries()) {
    const same = samePngs(join(data, 'jobs', id, 'out'), reference[i % 2]);
    assert.ok(same.equal, `job ${i}: ${same.detail}`);
  }
  const list = await json(await api(server, '/jobs'));
  assert.equal(list.total, 4);

  // Cancel reaches the worker running the job through Redis.
  const long = join(allowed, 'long');
  await writeDemoSequence(long, { frames: 300, seed: 9, failures: false });
  const r = await submitDir(server, long, { img_size: 96 });
  const id = (await json(r)).id;
  const t1 = Date.now();
  const started = async () => ((await json(await api(server, `/jobs/${id}`))).progress?.done ?? 0) > 0;
  while (!(await started())) {
    assert.ok(Date.now() - t1 < 30_000, 'the long job never started rendering');
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal((await api(server, `/jobs/${id}`, { method: 'DELETE' })).status, 202);
  const cancelled = await waitJob(server, id, 30_000);
  assert.equal(cancelled.state, 'cancelled');
  assert.ok(cancelled.totals.cancelled > 0, 'stopped before the end, by the CLI\'s own interrupt');
});
