/**
 * `npm run bench:serve`: the service under load, only on 127.0.0.1 and
 * bounded in count (at most 200 jobs) and time (--timeout_s). Submits N small
 * jobs at once to a fresh server, waits for all, and reports jobs/s,
 * frames/s across jobs, p50/p95 job time (submitted → finished) and the
 * server process's peak memory (VmHWM); then runs the CLI on the same work
 * (N runs, --workers at a time, as a shell loop would) for comparison.
 *
 *   node dist/scripts/bench-serve.js [--jobs 50] [--frames 6] [--img_size 64] [--workers 1] [--timeout_s 600] [--skip_cli]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeDemoSequence } from '../src/demo-data/write-sequence.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const serveJs = join(repo, 'dist/src/service/serve-command.js');
const cli = join(repo, 'bin/batch-render');

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '50' }, frames: { type: 'string', default: '6' }, img_size: { type: 'string', default: '64' },
    workers: { type: 'string', default: '1' }, timeout_s: { type: 'string', default: '600' }, skip_cli: { type: 'boolean', default: false },
  },
});
const jobs = Math.min(200, Math.max(1, Number(values.jobs)));
const frames = Number(values.frames);
const workers = Number(values.workers);
const deadline = Date.now() + Number(values.timeout_s) * 1000;

const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const peakKb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

async function startServer(data: string, allow: string) {
  const proc = spawn(process.execPath, [serveJs, '--port', '0', '--data', data, '--allow_dir', allow, '--workers', String(workers), '--max_queue', String(jobs + 10)],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CI: '1' } });
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    proc.stdout!.on('data', (d) => { out += d; const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out); if (m) res(m[1]); });
    proc.on('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  return { proc, url };
}

function runCli(args: string[]): Promise<number | null> {
  return new Promise((res) => spawn(cli, args, { stdio: 'ignore', env: { ...process.env, CI: '1' } }).on('close', res));
}

async function main(): Promise<void> {
  const T = mkdtempSync(join(tmpdir(), 'br-bench-serve-'));
  try {
    const seq = join(T, 'in', 'seq');
    await writeDemoSequence(seq, { frames, seed: 7, failures: false });
    const { proc, url } = await startServer(join(T, 'data'), join(T, 'in'));
    const t0 = performance.now();
    const ids = await Promise.all(Array.from({ length: jobs }, async () => {
      const r = await fetch(`${url}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ npz_dir: seq, img_size: values.img_size }) });
      if (r.status !== 202) throw new Error(`submit answered ${r.status}: ${await r.text()}`);
      return (await r.json()).id as string;
    }));
    const submitS = (performance.now() - t0) / 1000;
    let list: any[] = [];
    for (;;) {
      list = (await (await fetch(`${url}/jobs?limit=200`)).json()).jobs.filter((j: any) => ids.includes(j.id));
      if (list.every((j) => ['done', 'failed', 'cancelled'].includes(j.state))) break;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallS = (performance.now() - t0) / 1000;
    const serverPeakMb = peakKb(proc.pid!) / 1024;
    proc.kill('SIGTERM');
    const done = list.filter((j) => j.state === 'done');
    const framesOut = done.reduce((n, j) => n + j.totals.rendered + j.totals.fallback, 0);
    const jobTimes = list.map((j) => (Date.parse(j.timings.finished_at) - Date.parse(j.created_at)) / 1000);
    const runTimes = done.map((j) => j.timings.run_s as number);
    const service = {
      jobs, done: done.length, frames_per_job: frames, img_size: Number(values.img_size), workers,
      submit_s: +submitS.toFixed(2), wall_s: +wallS.toFixed(2), jobs_per_s: +(list.length / wallS).toFixed(2), frames_per_s: +(framesOut / wallS).toFixed(1),
      job_time_p50_s: +quantile(jobTimes, 0.5).toFixed(2), job_time_p95_s: +quantile(jobTimes, 0.95).toFixed(2),
      run_time_p50_s: +quantile(runTimes, 0.5).toFixed(2), server_peak_rss_mb: +serverPeakMb.toFixed(1),
    };
    let cliResult = null;
    if (!values.skip_cli) {
      const c0 = performance.now();
      let next = 0;
      let failed = 0;
      await Promise.all(Array.from({ length: workers }, async () => {
        while (next < jobs && Date.now() < deadline) {
          const k = next++;
          if ((await runCli(['--npz_dir', seq, '--output_dir', join(T, 'cli', String(k)), '--img_size', String(values.img_size)])) !== 0) failed++;
        }
      }));
      const cliS = (performance.now() - c0) / 1000;
      cliResult = { runs: jobs, failed, wall_s: +cliS.toFixed(2), jobs_per_s: +(jobs / cliS).toFixed(2), frames_per_s: +((jobs * frames) / cliS).toFixed(1) };
    }
    const result = { machine: { cores: cpus().length, cpu: cpus()[0]?.model }, service, cli: cliResult };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    rmSync(T, { recursive: true, force: true });
  }
}

main().catch((err) => { process.stderr.write(`bench-serve: ${(err as Error).message}\n`); process.exitCode = 1; });
