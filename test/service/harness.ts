/**
 * Runs the real service (and workers) as child processes on 127.0.0.1 with a
 * random port, and talks to it with fetch. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { repoRoot } from '../helpers/paths.js';

const serveJs = resolve(repoRoot, 'dist/src/service/serve-command.js');
const workerJs = resolve(repoRoot, 'dist/src/service/worker-command.js');

export interface Proc { proc: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> }

function start(script: string, args: string[], ready: RegExp, timeoutMs: number): Promise<Proc & { match: RegExpExecArray }> {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${script} not ready in ${timeoutMs} ms: ${out} ${err}`)), timeoutMs);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) { clearTimeout(timer); res({ proc, match: m, out: () => out, err: () => err, exited }); }
    });
    proc.stderr!.on('data', (d) => { err += d; });
    void exited.then((code) => { clearTimeout(timer); rej(new Error(`${script} exited ${code} before ready: ${err}`)); });
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function terminate(p: Proc, graceMs = 15_000): Promise<void> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  p.proc.kill('SIGTERM');
  const timer = setTimeout(() => p.proc.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

export interface Server extends Proc { url: string; token: string | null; stop(): Promise<void>; kill9(): Promise<void> }

export async function startServer(args: string[], opts: { token?: string } = {}): Promise<Server> {
  const full = ['--port', '0', ...args, ...(opts.token ? ['--token', opts.token] : [])];
  const p = await start(serveJs, full, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 20_000);
  return {
    ...p,
    url: p.match[1],
    token: opts.token ?? null,
    stop: () => terminate(p),
    async kill9() { p.proc.kill('SIGKILL'); await p.exited; },
  };
}

export async function startWorker(args: string[]): Promise<Proc & { stop(): Promise<void>; kill9(): Promise<void> }> {
  const p = await start(workerJs, args, /"event":"ready"/, 20_000);
  return {
    ...p,
    stop: () => terminate(p),
    async kill9() { p.proc.kill('SIGKILL'); await p.exited; },
  };
}

/** fetch against the server with its token (unless `auth` overrides it). */
export function api(s: Server, path: string, init: RequestInit & { auth?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const auth = init.auth === undefined ? s.token : init.auth;
  if (auth) headers.set('authorization', `Bearer ${auth}`);
  return fetch(s.url + path, { ...init, headers, signal: AbortSignal.timeout(60_000) });
}

export async function json(r: Response): Promise<any> {
  const text = await r.text();
  try { return JSON.parse(text); } catch { throw new Error(`not JSON (${r.status}): ${text.slice(0, 200)}`); }
}

export const submitDir = (s: Server, dir: string, fields: Record<string, unknown> = {}) =>
  api(s, '/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ npz_dir: dir, ...fields }) });

export function uploadForm(file: { name: string; data: Uint8Array }, fields: Record<string, string> = {}, field = 'file'): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(field, new Blob([Buffer.from(file.data)]), file.name);
  return form;
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

export async function waitJob(s: Server, id: string, timeoutMs = 60_000): Promise<any> {
  const t0 = Date.now();
  for (;;) {
    const j = await json(await api(s, `/jobs/${id}`));
    if (TERMINAL.has(j.state)) return j;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${j.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const pngNames = (dir: string) => readdirSync(dir).filter((f) => /^mesh_\d+\.png$/.test(f)).sort();

/** PNG bytes of two output folders, file by file. */
export function samePngs(a: string, b: string): { equal: boolean; detail: string } {
  const na = pngNames(a);
  const nb = pngNames(b);
  if (na.join() !== nb.join()) return { equal: false, detail: `names ${na.join()} vs ${nb.join()}` };
  for (const n of na) if (!readFileSync(resolve(a, n)).equals(readFileSync(resolve(b, n)))) return { equal: false, detail: `${n} differs` };
  return { equal: na.length > 0, detail: `${na.length} PNGs` };
}

/** Every path under a folder, relative, sorted (to prove nothing was written elsewhere). */
export function tree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    out.push(rel);
    if (e.isDirectory()) out.push(...tree(resolve(dir, e.name), rel + '/'));
  }
  return out.sort();
}
