/**
 * Runs one job as the real CLI in a child process, so a crash or
 * out-of-memory in a job never takes the service down. The child leads its own
 * process group (detached): `interrupt()` sends SIGINT to that group, exactly
 * what Ctrl-C at a terminal does, and the CLI ends the way it documents
 * (finished frames kept, report written, exit 130).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { JobProgress, JobSummary } from '../store/job-record.js';
import { parseCliLine } from './parse-cli-line.js';
import type { ProcessEnd } from './job-outcome.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** dist/src/service/run → the package root's launcher. */
export const cliPath = resolve(here, '../../../../bin/batch-render');
const parentWatch = new URL('./parent-watch.js', import.meta.url).href;

export interface JobProcess {
  pid: number;
  interrupt(): void;
  ended: Promise<ProcessEnd>;
}

export function runJobProcess(argv: string[], onProgress: (p: JobProgress) => void): JobProcess {
  const child = spawn(process.execPath, ['--import', parentWatch, cliPath, ...argv], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    // The launcher's shebang sets these malloc settings; spawning node directly skips the shebang.
    env: { ...process.env, CI: '1', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' },
  });
  let summary: JobSummary | null = null;
  let error: ProcessEnd['error'] = null;
  let stderrTail = '';
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const ev = parseCliLine(line);
    if (ev?.kind === 'progress') onProgress(ev.progress);
    else if (ev?.kind === 'summary') summary = ev.summary;
    else if (ev?.kind === 'error') error = { code: ev.code, message: ev.message };
  });
  child.stderr!.on('data', (d) => { stderrTail = (stderrTail + d).slice(-4000); });
  child.stdin!.on('error', () => {});
  const ended = new Promise<ProcessEnd>((res) => {
    child.on('error', (err) => res({ exitCode: null, signal: null, summary, error: { code: 'INTERNAL', message: `cannot start the render process: ${err.message}` }, stderrTail }));
    child.on('close', (code, signal) => res({ exitCode: code, signal, summary, error, stderrTail }));
  });
  return {
    pid: child.pid ?? -1,
    interrupt() {
      try { child.kill('SIGINT'); } catch { /* already gone */ }
    },
    ended,
  };
}
